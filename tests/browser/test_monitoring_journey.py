"""Delivery monitoring in a real browser: the supplier submits a return with evidence, the
contract manager queries a line, the supplier answers, the contract manager verifies it in
part, and the council's dashboard figures move at each step."""

from __future__ import annotations

import re

from commonweal.monitoring.models import EvidenceFile, LineOutcome, SupplierReturn
from tests.browser.support import (
    BROWSER,
    assert_no_browser_problems,
    assert_no_serious_accessibility_violations,
)
from tests.contracts.builders import build_contract, build_measures

pytestmark = BROWSER

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"


def press(page, name: str) -> None:
    page.get_by_role("button", name=name).click()


def headline(page, state: str) -> str:
    """The big £ figure above 'committed', 'claimed to date' or 'verified to date'."""
    page.goto("/monitoring/dashboard/")
    paragraph = page.locator("p.govuk-body", has_text=re.compile(f"{state}$"))
    return paragraph.locator(".app-figure-large").inner_text()


def test_a_return_from_submission_through_a_query_to_verification_in_part(
    page, problems, signed_in_as, world, supplier_user, contract_manager
):
    # RM1 jobs at £10,000 per FTE, RM2 volunteering at £16.93 an hour, RM3 carbon (record
    # only); £53,544 committed (see test_golden_figures).
    measures = build_measures(world.council)
    contract = build_contract(
        world.council, world.supplier, measures, contract_manager=contract_manager
    )

    signed_in_as(contract_manager)
    assert headline(page, "committed") == "£53,544.00"
    assert headline(page, "claimed to date") == "£0.00"

    # The supplier starts the first quarter's return, claims, uploads payroll evidence for
    # the jobs and submits.
    signed_in_as(supplier_user)
    page.goto("/monitoring/returns/")
    press(page, "Start return for 2025-26 Q1")
    supplier_return = SupplierReturn.objects.get(
        period__contract=contract, period__label="2025-26 Q1"
    )
    lines = {line.commitment.measure.code: line for line in supplier_return.lines.all()}
    page.fill(f"#id_claimed_{lines['RM1'].pk}", "0.5")
    page.fill(f"#id_claimed_{lines['RM2'].pk}", "50")
    page.fill(f"#id_claimed_{lines['RM3'].pk}", "2")
    page.fill("#id_narrative", "Two apprentices started; staff volunteered at the food bank.")
    page.check("#id_attests_contract_and_period")
    page.check("#id_attests_commitment")
    press(page, "Save as draft")
    page.get_by_role("link", name="Upload evidence").click()
    page.check("input[name=evidence_type][value=payroll_extract]")
    page.select_option("#id_line", str(lines["RM1"].pk))
    page.set_input_files(
        "#id_file", {"name": "payroll June.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.get_by_role("button", name="Upload", exact=True).click()
    page.get_by_role("link", name="payroll June.pdf").wait_for()
    assert_no_serious_accessibility_violations(page)
    press(page, "Save and check your answers")
    press(page, "Submit return")
    page.get_by_text(re.compile("SVR-")).first.wait_for()
    assert EvidenceFile.objects.get().line == lines["RM1"]

    # Claimed: 0.5 FTE → £5,000 and 50 hours → £846.50. Nothing verified yet.
    signed_in_as(contract_manager)
    assert headline(page, "claimed to date") == "£5,846.50"
    assert headline(page, "verified to date") == "£0.00"

    # The contract manager verifies the volunteering and the carbon, and queries the jobs.
    page.goto("/monitoring/verification/")
    page.get_by_role("link", name=re.compile("SVR-.* 2025-26 Q1")).click()
    page.get_by_role("link", name="payroll June.pdf").first.wait_for()
    assert_no_serious_accessibility_violations(page)
    page.check(f"input[name=outcome_{lines['RM1'].pk}][value={LineOutcome.QUERIED}]")
    page.fill(f"#id_reason_{lines['RM1'].pk}", "Both apprentices for the whole quarter?")
    page.check(f"input[name=outcome_{lines['RM2'].pk}][value={LineOutcome.VERIFIED}]")
    page.check(f"input[name=outcome_{lines['RM3'].pk}][value={LineOutcome.VERIFIED}]")
    press(page, "Save decisions")
    page.get_by_text("Both apprentices for the whole quarter?").first.wait_for()
    # Verified: 50 hours → £846.50.
    assert headline(page, "verified to date") == "£846.50"

    # The supplier answers the query.
    signed_in_as(supplier_user)
    page.goto(f"/monitoring/returns/{supplier_return.pk}/")
    page.fill(f"#answer-{lines['RM1'].pk}", "One started in May, so a quarter FTE in all.")
    press(page, "Send answer")
    page.get_by_text("One started in May, so a quarter FTE in all.").first.wait_for()

    # The contract manager verifies the jobs in part: 0.25 FTE.
    signed_in_as(contract_manager)
    page.goto(f"/monitoring/returns/{supplier_return.pk}/verify/")
    page.get_by_text("One started in May, so a quarter FTE in all.").first.wait_for()
    page.check(f"input[name=outcome_{lines['RM1'].pk}][value={LineOutcome.PART_VERIFIED}]")
    page.fill(f"#id_verified_{lines['RM1'].pk}", "0.25")
    page.fill(f"#id_reason_{lines['RM1'].pk}", "One apprentice for half the quarter")
    press(page, "Save decisions")
    page.get_by_text("One apprentice for half the quarter").first.wait_for()

    # Verified: 0.25 FTE → £2,500 and 50 hours → £846.50 = £3,346.50; claimed unchanged.
    assert headline(page, "verified to date") == "£3,346.50"
    assert headline(page, "claimed to date") == "£5,846.50"
    assert headline(page, "committed") == "£53,544.00"
    assert_no_browser_problems(problems)


def test_a_wide_delivery_plan_scrolls_in_a_region_a_keyboard_can_reach(
    page, problems, signed_in_as, world, supplier_user, contract_manager
):
    contract = build_contract(
        world.council,
        world.supplier,
        build_measures(world.council),
        contract_manager=contract_manager,
    )
    # On a phone-sized screen the supplier reads the plan (nothing in it to focus) and the
    # contract manager edits it (a hidden label per box); only the table scrolls sideways.
    page.set_viewport_size({"width": 320, "height": 800})
    for person in (supplier_user, contract_manager):
        signed_in_as(person)
        page.goto(f"/monitoring/contracts/{contract.pk}/plan/")
        region = page.get_by_role("region", name="Targets by period")
        assert region.evaluate("element => element.scrollWidth > element.clientWidth")
        assert page.evaluate("() => document.documentElement.scrollWidth <= 320")
        assert_no_serious_accessibility_violations(page)
    assert_no_browser_problems(problems)
