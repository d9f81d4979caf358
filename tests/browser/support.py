"""What the browser tests share: where chromium lives, signing in, and the page-level checks."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "correct horse battery staple"

# Every module in this folder sets ``pytestmark = BROWSER``.
BROWSER = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"browser tests drive Debian's chromium at {CHROMIUM}"
    ),
]

# How the browser reports the document's own status; a 404 page is meant to answer 404.
DOCUMENT_STATUS = re.compile(r"^Failed to load resource: the server responded with a status")


@dataclass
class BrowserProblems:
    """Console errors and uncaught script exceptions seen while a page was open.

    Chromium reports a Content Security Policy refusal as a console error ("Refused to execute
    inline script…" in older versions, "Executing inline script violates…" in newer ones), as
    it does a stylesheet, script or image that failed to load.
    """

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def all(self) -> list[str]:
        return [*self.console_errors, *self.page_errors]


def sign_in(page: Any, email: str, password: str = PASSWORD) -> None:
    """Sign in through the sign-in page, as a person would, and wait for the home page."""
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("/")


def error_summary(page: Any) -> Any:
    """The error summary, once GOV.UK Frontend has started it (which moves focus to it)."""
    summary = page.locator(".govuk-error-summary[data-govuk-error-summary-init]")
    summary.wait_for(state="attached")
    return summary


def save_screenshot(page: Any, name: str) -> None:
    """Keep a full-page screenshot when COMMONWEAL_SCREENSHOTS names a folder, for a human eye."""
    folder = os.environ.get("COMMONWEAL_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"commonweal-{name}.png"), full_page=True)


def assert_no_browser_problems(problems: BrowserProblems) -> None:
    """No CSP refusals, no failed assets and no script exceptions on the pages visited."""
    assert problems.all() == [], "The browser reported problems:\n" + "\n".join(problems.all())


def assert_govuk_frontend_ready(page: Any) -> None:
    """GOV.UK Frontend's stylesheet applied and its JavaScript initialised the components."""
    body_classes = page.evaluate("document.body.className").split()
    assert "govuk-frontend-supported" in body_classes, body_classes
    # initAll() marks each component it starts with data-<module name>-init.
    for module in ("govuk-skip-link", "govuk-service-navigation"):
        page.wait_for_selector(f"[data-module='{module}'][data-{module}-init]", state="attached")
    # GOV.UK's stylesheet resets the body's margin and tints the service navigation.
    assert page.evaluate("getComputedStyle(document.body).marginTop") == "0px"
    navigation_background = page.evaluate(
        "getComputedStyle(document.querySelector('.govuk-service-navigation')).backgroundColor"
    )
    assert navigation_background == "rgb(244, 248, 251)"


def assert_no_serious_accessibility_violations(page: Any) -> None:
    """axe-core finds nothing serious or critical on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} – {v['helpUrl']}\n"
        + "\n".join(f"    {node['target']}: {node['html']}" for node in v["nodes"])
        for v in serious
    )
    assert serious == [], f"axe-core found on {page.url}:\n{report}"
