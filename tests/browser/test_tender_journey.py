"""The whole tender journey in a real browser: the commissioner plans and issues, a supplier
registers from the link and submits, after the deadline both declare about the named bidder, the
evaluator scores, the commissioner moderates, both sign, the commissioner awards, and a contract
with commitments exists."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

from django.core import mail
from django.utils import timezone

from commonweal.contracts.models import Contract
from commonweal.frameworks.models import Measure
from commonweal.tenders.models import Tender
from tests.browser.support import BROWSER, assert_no_browser_problems, save_screenshot
from tests.commissioning.builders import published_measure_set

pytestmark = BROWSER


def press(page, name: str) -> None:
    page.get_by_role("button", name=name).click()


def test_a_tender_from_plan_to_contract(
    page, problems, signed_in_as, world, council_officer, evaluator, contract_manager
):
    published_measure_set(world.council)

    # The commissioner plans the procurement.
    signed_in_as(council_officer)
    page.goto("/procurements/new/")
    page.fill("#id_title", "School meals for Rotherham")
    page.check("#id_category_0")  # Services
    page.fill("#id_cpv_code", "55520000-1")
    page.fill("#id_estimated_value_pence", "500000")
    page.fill("#id_duration_months", "24")
    page.fill("#id_directorate", "Children and Young People's Services")
    page.select_option("#id_commissioner", label="Ben Carter")
    page.check("#id_route_0")
    press(page, "Start planning")
    page.get_by_role("heading", name="School meals for Rotherham").wait_for()
    procurement_url = page.url

    page.get_by_role("link", name="Social Value Act consideration").click()
    page.fill("#id_wellbeing_improvements", "Local jobs and healthy food")
    page.check("#id_consulted_0")
    page.fill("#id_consultation_details", "The parents' forum")
    page.fill("#id_local_priorities", "Apprenticeships for young people")
    page.fill("#id_decision", "Ask for jobs and apprenticeships")
    page.check("#id_completed_0")
    press(page, "Save and continue")

    page.get_by_role("link", name="Choose measures").click()
    for code in ("LE1", "AP1", "VO1"):
        page.check(f"input[name=measures][value='{Measure.objects.get(code=code).pk}']")
    page.check("#id_completed_0")
    press(page, "Save and continue")

    page.get_by_role("link", name="Weighting and scoring").click()
    page.check("#id_completed_0")
    press(page, "Save and continue")

    page.get_by_role("link", name="Written questions").click()
    page.get_by_role("link", name="Add a question").click()
    page.fill("#id_text", "How will you deliver your social value?")
    press(page, "Add question")
    page.check("#id_completed_0")
    press(page, "Save and continue")
    assert page.url == procurement_url
    assert page.locator(".govuk-task-list__status").all_inner_texts() == ["Completed"] * 5

    page.get_by_role("link", name="Issue the tender").click()
    deadline = timezone.localdate() + timedelta(days=14)
    page.fill("#id_deadline_date_0", str(deadline.day))
    page.fill("#id_deadline_date_1", str(deadline.month))
    page.fill("#id_deadline_date_2", str(deadline.year))
    page.fill("#id_deadline_time", "12:00")
    press(page, "Issue the tender")
    page.get_by_text("Sealed until the offers are opened").wait_for()
    tender_url = page.url
    share_path = urlsplit(page.get_by_text("/tenders/join/").inner_text()).path
    save_screenshot(page, "tender-issued")

    # A supplier registers from the link and submits an offer.
    page.context.clear_cookies()
    page.goto(share_path)
    page.fill("#id_organisation_name", "Maltby Youth Trust")
    page.fill("#id_postcode", "S66 8AA")
    page.check("#id_is_sme_0")
    page.fill("#id_full_name", "Sam Hill")
    page.fill("#id_email", "sam@maltby.test")
    page.fill("#id_password", "a long enough passphrase")
    press(page, "Register and start your offer")
    page.get_by_role("heading", name="Your offer: School meals for Rotherham").wait_for()
    # The address is confirmed from the emailed link before the offer can be submitted.
    page.get_by_text("Confirm your email address before you submit").wait_for()
    offer_url = page.url
    confirm = next(m for m in mail.outbox if "Confirm your email address" in m.subject)
    link = re.search(r"https?://\S+/account/confirm-email/\S+/", confirm.body)
    assert link is not None
    page.goto(urlsplit(link.group(0)).path)
    page.get_by_text("Your email address is confirmed").wait_for()
    page.goto(offer_url)
    page.fill("#id_q_LE1_1", "2")
    page.fill("#id_q_AP1_1", "52")
    page.fill("#id_q_VO1_2", "100")
    # Volunteering hours are checked against the workforce, so it is asked for.
    page.fill("#id_workforce_fte", "24")
    page.fill("#id_people_LE1", "H1, H2")
    page.locator("textarea").first.fill("Through the Rotherham Opportunities College")
    press(page, "Save and check your offer")
    # 2 FTE × £30,000 + 52 weeks × £250 + 100 hours × £16.93 = £60,000 + £13,000 + £1,693
    page.get_by_text("£74,693.00").wait_for()
    press(page, "Submit offer")
    page.get_by_role("heading", name="Offer submitted").wait_for()
    save_screenshot(page, "offer-submitted")

    # Time travel: the deadline passes.
    tender = Tender.objects.get()
    Tender.objects.filter(pk=tender.pk).update(deadline=timezone.now() - timedelta(minutes=1))

    page.context.clear_cookies()
    signed_in_as(council_officer)
    page.goto(tender_url)
    press(page, "Open the offers")
    page.get_by_text("1 submitted").wait_for()
    page.get_by_role("link", name="Add an evaluator").click()
    page.select_option("#id_evaluator", label="Chloe Evans")
    press(page, "Add evaluator")

    # The evaluator declares no conflict, then scores the written answer.
    page.context.clear_cookies()
    signed_in_as(evaluator)
    page.goto(tender_url)
    page.get_by_role("link", name="Declare conflicts of interest").click()
    page.get_by_text("Maltby Youth Trust").wait_for()
    page.check("#id_has_conflict_0")
    page.check("#id_confirm")
    press(page, "Make declaration")
    page.get_by_role("link", name="Read and score the offers").click()
    page.get_by_role("link", name="Maltby Youth Trust").click()
    question = tender.procurement.questions.get()
    page.check(f"#id_q{question.pk}-level_3")  # 75: Good
    page.fill(f"#id_q{question.pk}-rationale", "A named college programme")
    press(page, "Save your score for question 1")
    page.get_by_text("Your score for question 1 is saved").wait_for()

    # The commissioner declares, moderates, enters price and quality, and signs.
    page.context.clear_cookies()
    signed_in_as(council_officer)
    page.goto(tender_url)
    page.get_by_role("link", name="Declare conflicts of interest").click()
    page.check("#id_has_conflict_0")
    page.check("#id_confirm")
    press(page, "Make declaration")
    page.get_by_role("link", name="Read and score the offers").click()
    page.get_by_role("link", name="Moderate and enter scores").click()
    page.check(f"#id_q{question.pk}-level_3")
    page.fill(f"#id_q{question.pk}-notes", "Agreed with the evaluator")
    press(page, "Record consensus for question 1")
    page.fill("#id_price_marks", "35")
    page.fill("#id_quality_marks", "30")
    press(page, "Save price and quality scores")
    page.goto(tender_url)
    page.get_by_role("link", name="Evaluation results").click()
    press(page, "Sign these results")
    page.get_by_text("1 has").wait_for()
    # A second person with no conflict signs the same results, which locks them; then the award.
    page.context.clear_cookies()
    signed_in_as(evaluator)
    page.goto(tender_url)
    page.get_by_role("link", name="Evaluation results").click()
    press(page, "Sign these results")
    page.get_by_role("heading", name="Evaluation report: School meals for Rotherham").wait_for()
    page.context.clear_cookies()
    signed_in_as(council_officer)
    page.goto(tender_url)
    page.get_by_role("link", name="Evaluation report").click()
    # 10.00 (only offer, so the best) + 7.50 + 35 + 30 = 82.50
    page.get_by_text("82.50").first.wait_for()
    save_screenshot(page, "evaluation-report")
    page.get_by_role("link", name="Award the contract").click()
    page.fill("#id_start_date_0", "1")
    page.fill("#id_start_date_1", "4")
    page.fill("#id_start_date_2", "2027")
    page.select_option("#id_contract_manager", label="Dan Hughes")
    press(page, "Award and create the contract")
    page.wait_for_url("**/contracts/*/")

    contract = Contract.objects.get()
    assert contract.supplier.name == "Maltby Youth Trust"
    assert contract.commitments.count() == 3
    assert_no_browser_problems(problems)


def test_the_tender_pages_are_accessible(
    page, problems, signed_in_as, world, council_officer, evaluator, supplier_user
):
    from decimal import Decimal

    from commonweal.tenders import services
    from tests.browser.support import (
        assert_govuk_frontend_ready,
        assert_no_serious_accessibility_violations,
    )
    from tests.commissioning.builders import planned_procurement

    procurement = planned_procurement(world.council, council_officer)
    tender = services.tender_issue(
        procurement=procurement, deadline=timezone.now() + timedelta(days=7), by=council_officer
    )
    question = procurement.questions.get()
    offer = services.offer_start(tender=tender, supplier=world.supplier, by=supplier_user)
    services.offer_save_draft(
        offer=offer,
        by=supplier_user,
        quantities={("LE1", 1): Decimal(2), ("AP1", 2): Decimal(30)},
        answers={question.pk: "Plan"},
    )

    def check(url: str) -> None:
        page.goto(url)
        assert_govuk_frontend_ready(page)
        assert_no_serious_accessibility_violations(page)

    signed_in_as(supplier_user)
    check(f"/tenders/{tender.pk}/offer/")
    check(f"/tenders/{tender.pk}/offer/check/")
    check(f"/tenders/{tender.pk}/offer/upload/")
    page.context.clear_cookies()
    signed_in_as(council_officer)
    check(f"/procurements/{procurement.pk}/")
    check(f"/procurements/{procurement.pk}/measures/")
    check(f"/procurements/{procurement.pk}/tender-pack/")
    check(f"/tenders/{tender.pk}/")
    assert_no_browser_problems(problems)
