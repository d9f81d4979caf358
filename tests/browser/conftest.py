"""Drive Debian's chromium through Playwright against pytest-django's live server.

One browser per test module on each pytest-xdist worker; each test gets a fresh browser
context, so no cookies leak between tests. Every page records console errors and uncaught
exceptions so a test can assert the Content Security Policy blocked nothing and no script failed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, DOCUMENT_STATUS, BrowserProblems


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread while the browser is
    # open, which trips Django's async-safety check on every ORM call the test itself makes
    # (the calls are not concurrent). Allowed for as long as the browser is open, no longer,
    # so the check still guards every other test.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def problems() -> BrowserProblems:
    return BrowserProblems()


@pytest.fixture
def page(browser: Any, live_server: Any, problems: BrowserProblems) -> Iterator[Any]:
    """A tab in a fresh browser context whose relative addresses go to the live server."""
    context = browser.new_context(
        base_url=str(live_server.url), viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()

    def on_console(message: Any) -> None:
        if message.type != "error":
            return
        location = message.location.get("url", "")
        if DOCUMENT_STATUS.match(message.text) and location == tab.url:
            return
        problems.console_errors.append(f"{message.text} ({location or 'inline'})")

    tab.on("console", on_console)
    tab.on("pageerror", lambda error: problems.page_errors.append(str(error)))
    yield tab
    context.close()


@pytest.fixture
def signed_in_as(page: Any, live_server: Any) -> Callable[[Any], None]:
    """Give the browser a session for a person, for tests about pages other than sign-in."""
    from django.conf import settings
    from django.test import Client

    def sign_in(user: Any) -> None:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )

    return sign_in
