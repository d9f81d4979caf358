"""Returns on contracts that require the Real Living Wage are checked against the rate in force
on the period's last day (rule BelowRealLivingWage), with the six-month grace window."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from commonweal.fairwork import services
from commonweal.fairwork.models import FindingStatus, LivingWageRateAddition, WageFinding
from commonweal.monitoring.models import ActionStatus, Notification
from tests.fairwork.builders import care_contract, wage_return

pytestmark = pytest.mark.django_db

TODAY = date(2026, 5, 15)


@pytest.fixture
def contract(world, contract_manager):
    return care_contract(world, contract_manager)


def test_a_return_paying_below_the_rate_in_force_raises_a_finding_and_a_recovery_action(
    contract, supplier_user, contract_manager
):
    # Q1 2025-26 ends 30 June 2025: the 2024-25 rate of £12.60 was due from 1 May 2025.
    supplier_return = wage_return(contract, "2025-26 Q1", by=supplier_user, outside="12.00")
    run = services.wage_checks_run(council=contract.council, today=TODAY)
    assert (run.returns_checked, run.findings_raised) == (1, 1)
    finding = WageFinding.objects.get()
    assert finding.supplier_return == supplier_return
    assert (finding.paid, finding.required, finding.rate_label) == (
        Decimal("12.00"),
        Decimal("12.60"),
        "2024-25",
    )
    assert finding.due_from == date(2025, 5, 1)
    assert finding.rule_code == "below-real-living-wage"
    assert finding.status == FindingStatus.OPEN
    assert "at least £12.60 an hour" in finding.action
    assert finding.action_due_on == date(2026, 6, 12)
    notified = set(Notification.objects.values_list("recipient__email", flat=True))
    assert {contract_manager.email, supplier_user.email} <= notified


def test_a_return_inside_the_grace_window_paying_the_previous_rate_raises_nothing(
    contract, supplier_user
):
    # Q3 2025-26 ends 31 December 2025: 2025-26 (£13.45) was announced on 22 October 2025 but
    # is due only from 1 May 2026, so £12.60 is still the rate in force.
    wage_return(contract, "2025-26 Q3", by=supplier_user, outside="12.60")
    run = services.wage_checks_run(council=contract.council, today=TODAY)
    assert (run.returns_checked, run.findings_raised) == (1, 0)
    assert not WageFinding.objects.exists()


def test_a_london_return_is_held_to_the_london_rate(contract, supplier_user):
    wage_return(contract, "2025-26 Q1", by=supplier_user, outside="12.60", london="13.00")
    services.wage_checks_run(council=contract.council, today=TODAY)
    finding = WageFinding.objects.get()
    assert (finding.area, finding.required) == ("london", Decimal("13.85"))


def test_a_shortfall_is_found_once_however_often_the_check_runs(contract, supplier_user):
    wage_return(contract, "2025-26 Q1", by=supplier_user, outside="12.00")
    services.wage_checks_run(council=contract.council, today=TODAY)
    again = services.wage_checks_run(council=None, today=TODAY)
    assert again.findings_raised == 0
    assert WageFinding.objects.count() == 1
    assert Notification.objects.filter(subject__startswith="Paid below").count() == 2


def test_returns_on_contracts_without_the_clause_are_not_checked(
    world, supplier_user, contract_manager
):
    from tests.contracts.builders import build_contract, build_measures

    other = build_contract(world.council, world.supplier, build_measures(world.council))
    assert not other.requires_real_living_wage
    run = services.wage_checks_run(council=world.council, today=TODAY)
    assert run.returns_checked == 0


def test_a_rate_the_council_adds_is_used_from_its_pay_by_date(
    contract, supplier_user, council_admin
):
    # A council adds a (made-up, test-only) 2026-27 rate; Q2 2026-27 ends 30 September 2026.
    services.rate_add(
        council=contract.council,
        year=2026,
        label="2026-27",
        announced_on=date(2026, 3, 1),
        pay_by=None,
        uk_rate=Decimal("14.00"),
        london_rate=None,
        source_title="Test rate for the rule (not a real announcement)",
        source_url="",
        by=council_admin,
        today=date(2026, 3, 2),
    )
    added = LivingWageRateAddition.objects.get()
    assert added.pay_by == date(2026, 9, 1)  # six months after the announcement
    assert not added.pay_by_published
    wage_return(contract, "2026-27 Q2", by=supplier_user, outside="13.45", today=date(2026, 10, 5))
    services.wage_checks_run(council=contract.council, today=date(2026, 10, 5))
    finding = WageFinding.objects.get()
    assert (finding.required, finding.rate_label) == (Decimal("14.00"), "2026-27")


def test_a_council_cannot_add_a_year_that_ships(world, council_admin):
    with pytest.raises(ValidationError, match="The 2025 rate ships with Commonweal already"):
        services.rate_add(
            council=world.council,
            year=2025,
            label="",
            announced_on=date(2025, 10, 22),
            pay_by=None,
            uk_rate=Decimal("13.45"),
            london_rate=None,
            source_title="Living Wage Foundation",
            source_url="",
            by=council_admin,
            today=TODAY,
        )


def test_suppliers_and_managers_are_reminded_of_a_new_rate_once(contract, supplier_user):
    assert services.rate_reminders_send(today=date(2025, 11, 1)) == 2
    assert services.rate_reminders_send(today=date(2025, 11, 2)) == 0
    reminder = Notification.objects.filter(recipient=supplier_user).get()
    assert "£13.45 outside London and £14.80 in London" in reminder.body
    assert "1 May 2026" in reminder.subject
    # Outside a grace window there is nothing to remind anyone of.
    assert services.rate_reminders_send(today=date(2026, 6, 1)) == 0


def test_a_finding_is_resolved_when_its_action_is_done_and_the_council_says_how(
    contract, supplier_user, contract_manager
):
    wage_return(contract, "2025-26 Q1", by=supplier_user, outside="12.00")
    services.wage_checks_run(council=contract.council, today=TODAY)
    finding = WageFinding.objects.get()
    fields = {
        "action": finding.action,
        "action_owner": "Pennine Care HR",
        "action_due_on": date(2026, 6, 30),
        "by": contract_manager,
    }
    with pytest.raises(ValidationError, match="Say how the finding was resolved"):
        services.finding_update(
            finding=finding, action_status=ActionStatus.DONE, resolution="", **fields
        )
    services.finding_update(
        finding=finding,
        action_status=ActionStatus.DONE,
        resolution="Back pay made; next return shows £12.60",
        **fields,
    )
    finding.refresh_from_db()
    assert finding.status == FindingStatus.RESOLVED


def test_the_policy_adds_the_clause_to_contracts_in_its_categories(world, contract_manager):
    from commonweal.contracts.services import contract_living_wage_set
    from tests.contracts.builders import build_contract, build_measures

    cleaning = build_contract(world.council, world.supplier, build_measures(world.council))
    contract_living_wage_set(
        contract=cleaning,
        service_category="cleaning",
        requires_real_living_wage=False,
        by=contract_manager,
    )
    _, gained = services.living_wage_policy_set(
        council=world.council, categories=["cleaning", "care"], by=contract_manager
    )
    cleaning.refresh_from_db()
    assert gained == 1 and cleaning.requires_real_living_wage
    # Taking the category off the policy leaves the clause on the contract.
    services.living_wage_policy_set(council=world.council, categories=[], by=contract_manager)
    cleaning.refresh_from_db()
    assert cleaning.requires_real_living_wage
