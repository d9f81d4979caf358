"""axe-core in the browser finds no serious or critical problems on the foundation's pages, the
Content Security Policy blocks nothing the pages need, and GOV.UK Frontend starts on each."""

from __future__ import annotations

from urllib.parse import urlsplit

from commonweal.accounts import services
from commonweal.accounts.models import Membership
from commonweal.accounts.roles import Role
from tests.browser.support import (
    BROWSER,
    BrowserProblems,
    assert_govuk_frontend_ready,
    assert_no_browser_problems,
    assert_no_serious_accessibility_violations,
    error_summary,
)

pytestmark = BROWSER


def assert_page_is_sound(page, problems: BrowserProblems) -> None:
    assert_govuk_frontend_ready(page)
    # Before axe runs, so that only the page's own scripts and styles are judged.
    assert_no_browser_problems(problems)
    assert_no_serious_accessibility_violations(page)


def test_the_start_page_is_accessible(page, problems, db):
    page.goto("/")
    assert_page_is_sound(page, problems)


def test_the_sign_in_page_is_accessible(page, problems, db):
    page.goto("/sign-in/")
    assert_page_is_sound(page, problems)


def test_the_sign_in_page_submitted_empty_is_accessible(page, problems, db):
    page.goto("/sign-in/")
    page.get_by_role("button", name="Sign in").click()
    error_summary(page)
    assert_page_is_sound(page, problems)


def test_the_signed_in_home_page_is_accessible(page, problems, signed_in_as, council_officer):
    signed_in_as(council_officer)
    page.goto("/")
    assert_page_is_sound(page, problems)


def test_the_home_page_with_the_organisation_switcher_is_accessible(
    page, problems, signed_in_as, world, council_officer
):
    Membership.objects.create(
        user=council_officer, organisation=world.supplier, role=Role.SUPPLIER_CONTRIBUTOR
    )
    signed_in_as(council_officer)
    page.goto("/")
    page.get_by_label("Acting for").wait_for()
    assert_page_is_sound(page, problems)


def test_the_page_not_found_page_is_accessible(page, problems, signed_in_as, council_officer):
    signed_in_as(council_officer)
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    assert_page_is_sound(page, problems)


def test_the_invite_form_with_errors_is_accessible(
    page, problems, signed_in_as, world, council_admin
):
    signed_in_as(council_admin)
    page.goto(f"/organisations/{world.council.pk}/invite/")
    page.get_by_label("Email address").fill("not an email address")
    page.get_by_role("button", name="Send invitation").click()
    error_summary(page)
    assert_page_is_sound(page, problems)


def test_the_invitation_page_with_errors_is_accessible(page, problems, world, council_admin):
    _, link = services.invitation_create(
        organisation=world.council,
        email="new.officer@rotherham.test",
        role=Role.EVALUATOR,
        by=council_admin,
        send=False,
    )
    page.goto(urlsplit(link).path)
    page.get_by_label("Create a password").fill("a long and unguessable passphrase")
    page.get_by_label("Confirm your password").fill("a different passphrase")
    page.get_by_role("button", name="Create account and join").click()
    error_summary(page)
    assert_page_is_sound(page, problems)
