"""The charter in a real browser: the signatory reports progress on a pledge, the coordinator
queries it, the signatory answers, the coordinator accepts it; the anchor network's page and the
combined authority's region view; no script or style is refused and axe finds nothing serious."""

# ruff: noqa: F811 (the charter fixtures are imported from tests/partnership)
from __future__ import annotations

import re

from commonweal.cwb import services as cwb_services
from commonweal.partnership import services
from commonweal.partnership.models import ProgressReturn, ReturnStatus
from tests.browser.support import (
    BROWSER,
    assert_no_browser_problems,
    assert_no_serious_accessibility_violations,
)
from tests.partnership.conftest import ca_officer, charter, coordinator  # noqa: F401

pytestmark = BROWSER


def press(page, name: str) -> None:
    page.get_by_role("button", name=name).click()


def test_a_progress_return_from_the_signatory_through_a_query_to_acceptance(
    page,
    problems,
    signed_in_as,
    charter,
    coordinator,
    partner_user,
):
    signed_in_as(partner_user)
    page.goto(f"/partnerships/signatories/{charter.signatory.pk}/")
    press(page, re.compile("Start the 2024-25 return on pledge " + str(charter.target.pk)))
    page.check("input[name=progress][value=on_track]")
    page.fill("#id_reported_quantity", "14")
    page.fill("#id_narrative", "Fourteen local people started in portering and catering.")
    assert_no_serious_accessibility_violations(page)
    press(page, "Send to the partnership")
    page.get_by_text(re.compile("sent to the partnership's coordinators")).wait_for()
    progress_return = ProgressReturn.objects.get(financial_year=2024, pledge=charter.target)

    signed_in_as(coordinator)
    page.goto(f"/partnerships/{charter.partnership.pk}/")
    page.get_by_role("link", name="1 progress return to review").click()
    page.get_by_role("link", name=progress_return.reference).first.click()
    page.check("input[name=decision][value=query]")
    page.fill("#id_note", "Were all fourteen from Rotherham?")
    assert_no_serious_accessibility_violations(page)
    press(page, "Save your decision")
    page.get_by_text(re.compile(f"{progress_return.reference} queried")).wait_for()

    signed_in_as(partner_user)
    page.goto(f"/partnerships/returns/{progress_return.pk}/")
    page.get_by_text("Were all fourteen from Rotherham?").wait_for()
    page.get_by_role("link", name="Answer the query").click()
    page.fill("#id_answer", "Twelve were; two live in Barnsley.")
    press(page, "Send the answer")

    signed_in_as(coordinator)
    page.goto(f"/partnerships/returns/{progress_return.pk}/")
    page.check("input[name=decision][value=accept]")
    page.fill("#id_reviewed_quantity", "12")
    press(page, "Save your decision")
    page.get_by_text(re.compile(f"{progress_return.reference} accepted")).wait_for()
    progress_return.refresh_from_db()
    assert progress_return.status == ReturnStatus.ACCEPTED
    page.goto(f"/partnerships/returns/{progress_return.pk}/")
    summary = page.locator(".govuk-summary-list").inner_text()
    assert "Self-reported figure\t14 people" in summary
    assert "Reviewed figure\t12 people" in summary
    assert_no_browser_problems(problems)


def test_the_network_page_and_the_region_view(
    page,
    problems,
    signed_in_as,
    charter,
    coordinator,
    partner_user,
    world,
    council_admin,
    ca_officer,  # noqa: F811
):
    link = services.network_start(
        partnership=charter.partnership, name="Rotherham Anchors", by=coordinator
    )
    place = services.network_invite_signatory(
        link=link, signatory=charter.signatory, by=coordinator
    )
    cwb_services.anchor_network_join(place=place, by=partner_user)
    services.region_sharing_update(council=world.council, by=council_admin, partnerships=True)

    signed_in_as(partner_user)
    page.goto(f"/partnerships/networks/{link.network.pk}/")
    page.get_by_role("link", name="Change what you share").click()
    page.check("input[name=jobs][value=named]")
    press(page, "Save your choices")
    page.get_by_text("Your choices are saved").wait_for()
    table = page.get_by_role("table", name=re.compile("Jobs and apprenticeships")).inner_text()
    assert "Withheld: fewer than 3 members share this (1 does)" in table
    assert_no_serious_accessibility_violations(page)

    signed_in_as(ca_officer)
    page.goto("/")
    page.get_by_role("link", name="Region").click()
    page.get_by_text("1 of the 2 councils").wait_for()
    assert "Sheffield" not in page.locator("main").inner_text()
    assert_no_serious_accessibility_violations(page)
    assert_no_browser_problems(problems)
