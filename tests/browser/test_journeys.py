"""The foundation's journeys in a real browser: sign in, switch organisation, fix a form error,
accept an invitation."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import expect

from commonweal.accounts import services
from commonweal.accounts.models import Membership
from commonweal.accounts.roles import Role
from tests.browser.support import (
    BROWSER,
    assert_govuk_frontend_ready,
    assert_no_browser_problems,
    error_summary,
    save_screenshot,
    sign_in,
)

pytestmark = BROWSER


def test_a_council_officer_signs_in_and_lands_on_their_councils_home_page(
    page, problems, council_officer
):
    sign_in(page, "officer@rotherham.test")

    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Ben Carter"
    account_bar = page.get_by_role("region", name="Your account")
    assert "Acting for Rotherham Metropolitan Borough Council (Commissioner)" in (
        account_bar.inner_text()
    )
    assert_govuk_frontend_ready(page)
    save_screenshot(page, "home")
    assert_no_browser_problems(problems)


def test_a_supplier_signs_in_and_acts_for_their_company(page, problems, supplier_user):
    sign_in(page, "femi@donvalley.test")

    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Femi Adeyemi"
    account_bar = page.get_by_role("region", name="Your account")
    assert "Acting for Don Valley Catering Ltd (Supplier admin)" in account_bar.inner_text()
    assert "supplier admin for Don Valley Catering Ltd" in page.locator("main").inner_text()
    assert_no_browser_problems(problems)


def test_a_person_with_two_memberships_switches_organisation_from_the_account_bar(
    page, problems, world, council_officer
):
    Membership.objects.create(
        user=council_officer, organisation=world.supplier, role=Role.SUPPLIER_CONTRIBUTOR
    )
    sign_in(page, "officer@rotherham.test")
    main = page.locator("main")
    # With no choice made yet, a person acts for the first of their organisations by name.
    assert "supplier contributor for Don Valley Catering Ltd" in main.inner_text()

    switcher = page.get_by_label("Acting for")
    switcher.select_option(label="Rotherham Metropolitan Borough Council (Commissioner)")
    page.get_by_role("button", name="Switch").click()

    # The switch redirects back to the page it was made on, so wait for its confirmation.
    expect(main).to_contain_text("You are now acting for Rotherham Metropolitan Borough Council")
    assert "commissioner for Rotherham Metropolitan Borough Council" in main.inner_text()
    selected = switcher.evaluate("select => select.selectedOptions[0].text")
    assert selected == "Rotherham Metropolitan Borough Council (Commissioner)"
    assert_no_browser_problems(problems)


def test_the_error_summary_takes_focus_and_its_links_move_focus_to_the_field(page, problems, db):
    page.goto("/sign-in/")
    page.get_by_role("button", name="Sign in").click()
    summary = error_summary(page)

    # GOV.UK Frontend moves focus to the summary so screen readers announce it at once.
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    assert page.title().startswith("Error: ")
    save_screenshot(page, "error-summary")

    summary.get_by_role("link", name="Enter your password").click()
    assert page.evaluate("document.activeElement.id") == "id_password"
    summary.get_by_role("link", name="Enter your email address").click()
    assert page.evaluate("document.activeElement.id") == "id_email"
    assert_no_browser_problems(problems)


def test_an_error_summary_link_to_radios_moves_focus_to_the_first_option(
    page, problems, signed_in_as, world, council_admin
):
    signed_in_as(council_admin)
    page.goto(f"/organisations/{world.council.pk}/invite/")
    page.get_by_role("button", name="Send invitation").click()
    summary = error_summary(page)

    summary.get_by_role("link", name="Select the role this person will have").click()
    assert page.evaluate("document.activeElement.id") == "id_role_0"
    assert page.evaluate("document.activeElement.type") == "radio"
    assert_no_browser_problems(problems)


def test_an_invited_person_creates_their_account_and_lands_on_the_home_page_signed_in(
    page, problems, world, council_admin
):
    _, link = services.invitation_create(
        organisation=world.council,
        email="new.officer@rotherham.test",
        role=Role.EVALUATOR,
        by=council_admin,
        send=False,
    )

    page.goto(urlsplit(link).path)
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Join Rotherham Metropolitan Borough Council"
    )
    page.get_by_label("Full name").fill("Grace Okafor")
    page.get_by_label("Create a password").fill("a long and unguessable passphrase")
    page.get_by_label("Confirm your password").fill("a long and unguessable passphrase")
    page.get_by_role("button", name="Create account and join").click()
    page.wait_for_url("/")

    assert "You have joined Rotherham Metropolitan Borough Council" in (
        page.locator("main").inner_text()
    )
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Grace Okafor"
    assert "Acting for Rotherham Metropolitan Borough Council (Evaluator)" in (
        page.get_by_role("region", name="Your account").inner_text()
    )
    assert Membership.objects.filter(
        user__email="new.officer@rotherham.test", organisation=world.council, role=Role.EVALUATOR
    ).exists()
    assert_no_browser_problems(problems)
