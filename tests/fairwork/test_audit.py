"""Every change to fair work and equality records is in the audit trail, with who made it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from commonweal.accounts.models import AccreditationBasis, LivingWageAccreditation
from commonweal.fairwork import services
from commonweal.fairwork.loading import RateRowIn
from commonweal.fairwork.models import (
    EflgAssessment,
    FairWorkSettings,
    LivingWageRateAddition,
    WageFinding,
)
from commonweal.monitoring.models import ActionStatus
from tests.fairwork.builders import care_contract, wage_return

pytestmark = pytest.mark.django_db
TODAY = date(2026, 5, 15)


def _entries(model: type, by) -> list[LogEntry]:
    return list(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), actor=by
        ).order_by("pk")
    )


def _rate(council, by, year: int) -> LivingWageRateAddition:
    return services.rate_add(
        council=council,
        year=year,
        label="",
        announced_on=date(year, 10, 1),
        pay_by=None,
        uk_rate=Decimal("20.00"),
        london_rate=None,
        source_title="Test rate (not a real announcement)",
        source_url="",
        by=by,
        today=TODAY,
    )


def test_adding_loading_and_removing_a_rate_is_audited(world, council_admin):
    added = _rate(world.council, council_admin, 2030)
    services.rates_load(
        council=world.council,
        rows=[
            RateRowIn(
                year=2031,
                label="2031-32",
                announced_on="2031-10-01",
                pay_by="2032-04-01",
                pay_by_published=False,
                uk_rate="21.00",
                london_rate="",
                source_title="Test rate (not a real announcement)",
                source_url="",
            )
        ],
        by=council_admin,
        today=TODAY,
    )
    services.rate_remove(addition=added, by=council_admin)

    actions = [e.action for e in _entries(LivingWageRateAddition, council_admin)]
    assert actions == [LogEntry.Action.CREATE, LogEntry.Action.CREATE, LogEntry.Action.DELETE]


def test_the_small_number_and_a_suppliers_verified_accreditation_are_audited(world, council_admin):
    services.settings_update(council=world.council, by=council_admin, small_number_threshold=10)
    services.supplier_accreditation_record(
        council=world.council,
        supplier=world.supplier,
        basis=AccreditationBasis.VERIFIED,
        accredited_since=date(2024, 5, 1),
        evidence_url="https://www.livingwage.org.uk/",
        evidence_note="Licence seen",
        checked_on=date(2026, 5, 1),
        ended_on=None,
        by=council_admin,
    )

    [setting] = _entries(FairWorkSettings, council_admin)
    assert "small_number_threshold" in setting.changes_dict
    [accreditation] = _entries(LivingWageAccreditation, council_admin)
    assert accreditation.changes_dict["basis"][1] == "verified"


def test_a_findings_recovery_action_and_an_assessment_are_audited(
    world, contract_manager, supplier_user, council_officer
):
    contract = care_contract(world, contract_manager)
    wage_return(contract, "2025-26 Q1", by=supplier_user, outside="12.00")
    services.wage_checks_run(council=world.council, today=TODAY)
    finding = WageFinding.objects.get()
    services.finding_update(
        finding=finding,
        action="Pay the rate and make up the difference",
        action_owner="Registered manager",
        action_due_on=date(2026, 6, 30),
        action_status=ActionStatus.IN_PROGRESS,
        resolution="",
        by=council_officer,
    )
    criterion = services.criterion_add(
        council=world.council, module="workforce", reference="4.1", text="W", by=council_officer
    )
    services.assessment_add(
        criterion=criterion,
        level="developing",
        narrative="Started",
        owner="HR",
        assessed_on=date(2026, 1, 5),
        by=council_officer,
        today=TODAY,
    )

    [update] = _entries(WageFinding, council_officer)
    assert update.changes_dict["action_status"][1] == ActionStatus.IN_PROGRESS
    assert [e.action for e in _entries(EflgAssessment, council_officer)] == [LogEntry.Action.CREATE]
