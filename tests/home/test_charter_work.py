"""The charter's work on the home page: a coordinator's progress returns to review and the
signatories' overdue returns; a signatory organisation's own returns to send."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from commonweal.partnership import services
from commonweal.partnership.models import Sector
from tests.partnership.conftest import build_measures, build_partnership, sign

pytestmark = pytest.mark.django_db


def work(page: str, key: str) -> int | None:
    found = re.search(rf'id="work-{key}".*?<span[^>]*>(\d+)</span>', page, re.S)
    return int(found.group(1)) if found else None


@pytest.fixture
def charter(world, council_officer, partner_user):
    """The hospital signed on 3 June 2024 with a target and a commitment, so by now (after
    30 June 2026) it owes a return on each for 2024-25 and 2025-26, four in all, all past
    their due dates; it has sent one, the target's for 2024-25."""
    measures = build_measures()
    partnership, jobs, local = build_partnership(
        world.council, council_officer, measures, "Rotherham Together Partnership"
    )
    hospital = sign(
        partnership, world.partner, Sector.NHS, by=council_officer, email=partner_user.email
    )
    target = services.pledge_add(
        signatory=hospital,
        principle=jobs,
        kind="target",
        measure=measures.jobs,
        quantity=Decimal(20),
        target_year=2024,
        made_on=date(2024, 6, 3),
        by=partner_user,
    )
    services.pledge_add(
        signatory=hospital,
        principle=local,
        kind="commitment",
        commitment="Buy local first",
        made_on=date(2024, 6, 3),
        by=partner_user,
    )
    sent = services.progress_return_start(pledge=target, financial_year=2024, by=partner_user)
    services.progress_return_save(
        progress_return=sent,
        progress="on_track",
        reported_quantity=Decimal(14),
        narrative="Fourteen local people started",
        by=partner_user,
    )
    services.progress_return_submit(progress_return=sent, by=partner_user)
    return partnership


def test_a_coordinator_sees_returns_to_review_and_returns_overdue(
    charter, client_for, council_admin
):
    page = client_for(council_admin).get(reverse("home:home")).content.decode()
    assert work(page, "charter-returns-to-review") == 1
    assert f"/partnerships/{charter.pk}/returns/?status=submitted" in page
    # Not sent and past due: the commitment's 2024-25 and both 2025-26 returns = 3.
    assert work(page, "charter-returns-late") == 3
    assert "Rotherham Hospital Trust" in page


def test_a_signatory_sees_the_returns_it_owes(charter, client_for, partner_user):
    page = client_for(partner_user).get(reverse("home:home")).content.decode()
    assert work(page, "charter-returns-to-send") == 3
    assert "3 to send, 3 overdue" in page
    assert work(page, "charter-returns-to-review") is None


def test_people_outside_the_charter_see_no_charter_work(
    charter, client_for, contract_manager, other_council_officer
):
    for person in (contract_manager, other_council_officer):
        page = client_for(person).get(reverse("home:home")).content.decode()
        assert "charter-returns" not in page
