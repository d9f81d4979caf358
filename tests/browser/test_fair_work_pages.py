"""The fair work and equality pages pass axe-core with nothing serious, start GOV.UK Frontend
and break no Content Security Policy, with records on them and a form showing its errors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from commonweal.fairwork import services
from commonweal.fairwork.models import EvidenceKind, ProtectedCharacteristic, WageFinding
from tests.browser.support import (
    BROWSER,
    assert_govuk_frontend_ready,
    assert_no_browser_problems,
    assert_no_serious_accessibility_violations,
    error_summary,
)
from tests.fairwork.builders import care_contract, wage_return

pytestmark = BROWSER


def assert_page_is_sound(page, problems) -> None:
    assert_govuk_frontend_ready(page)
    assert_no_browser_problems(problems)
    assert_no_serious_accessibility_violations(page)


@pytest.fixture
def records(world, contract_manager, supplier_user, council_admin):
    contract = care_contract(world, contract_manager)
    wage_return(contract, "2025-26 Q1", by=supplier_user, outside="12.00")
    services.wage_checks_run(council=world.council, today=date(2026, 5, 15))
    criterion = services.criterion_add(
        council=world.council,
        module="workforce",
        reference="4.1",
        text="Workforce",
        by=council_admin,
    )
    assessment = services.assessment_add(
        criterion=criterion,
        level="achieving",
        narrative="Recruitment reaches more of the borough",
        owner="Head of HR",
        assessed_on=date(2026, 1, 5),
        by=council_admin,
        today=date(2026, 5, 15),
    )
    services.evidence_add(
        assessment=assessment,
        kind=EvidenceKind.LINK,
        description="Care workers who told us they are disabled",
        url="https://example.org/survey",
        people_count=Decimal(3),
        characteristic=ProtectedCharacteristic.DISABILITY,
        by=council_admin,
    )
    return contract, WageFinding.objects.get(), criterion


def test_the_fair_work_and_equality_pages_are_accessible(
    page, problems, signed_in_as, records, council_admin
):
    contract, finding, criterion = records
    signed_in_as(council_admin)
    for url in (
        reverse("fairwork:overview"),
        reverse("fairwork:rates"),
        reverse("fairwork:accreditation"),
        reverse("fairwork:contracts"),
        reverse("fairwork:finding-detail", args=[finding.pk]),
        reverse("fairwork:equality"),
        reverse("fairwork:eflg-criterion", args=[criterion.pk]),
        reverse("fairwork:sources"),
    ):
        page.goto(url)
        assert_page_is_sound(page, problems)
    assert (
        "fewer than 5" in page.goto(reverse("fairwork:eflg-criterion", args=[criterion.pk])).text()
    )


def test_adding_a_rate_with_mistakes_shows_an_accessible_error_summary(
    page, problems, signed_in_as, world, council_admin
):
    signed_in_as(council_admin)
    page.goto(reverse("fairwork:rate-add"))
    page.get_by_role("button", name="Add rate").click()
    error_summary(page)
    assert_page_is_sound(page, problems)
