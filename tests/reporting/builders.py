"""A small programme built through the services, for the progress report's tests.

The council adopted its Social Value Policy on 1 October 2024 and reports by financial year:
year 1 is 2024-25, year 2 is 2025-26. Every figure the golden test expects is worked out by
hand from what is built here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from commonweal.accounts.models import Organisation, User
from commonweal.commissioning.models import Procurement
from commonweal.contracts.models import Contract
from commonweal.contracts.services import CommitmentInput, contract_create
from commonweal.monitoring import services as monitoring
from commonweal.reporting import services
from commonweal.reporting.models import Action
from commonweal.tenders import services as tendering
from commonweal.tenders.models import Tender
from tests.commissioning.builders import planned_procurement, published_measure_set
from tests.contracts.builders import Measures, build_measures
from tests.monitoring.helpers import decide, file_return
from tests.tenders.conftest import submitted_offer

ADOPTED = date(2024, 10, 1)
REPORT_DAY = date(2026, 6, 1)
"""The day the year-2 report is worked out on: after both years have ended."""


def file_with_story(contract, label, claims, *, by, title, consent):
    """A return with a case study, submitted."""
    supplier_return = file_return(contract, label, claims, by=by, submit=False)
    monitoring.case_study_add(
        supplier_return=supplier_return,
        title=title,
        story=f"{title}: what happened, in the supplier's words.",
        consent=consent,
        by=by,
    )
    monitoring.return_submit(supplier_return=supplier_return, by=by, today=date(2026, 1, 15))
    return supplier_return


def at_noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def tender_in_year(
    council: Organisation,
    officer: User,
    set_version,
    *,
    issued: date,
    value_pence: int,
    route: str = "open",
    directorate: str = "Children and Young People's Services",
    awarded: date | None = None,
    offer_from: tuple[Organisation, User] | None = None,
) -> Tender:
    """A tender issued (and perhaps awarded) on the given days. Time travel: the tender is
    issued today through the services, then its dates are moved; the award itself is tested
    in tenders, only its date matters here."""
    procurement = planned_procurement(
        council, officer, value_pence=value_pence, set_version=set_version
    )
    Procurement.objects.filter(pk=procurement.pk).update(route=route, directorate=directorate)
    procurement.refresh_from_db()
    tender = tendering.tender_issue(
        procurement=procurement, deadline=timezone.now() + timedelta(days=14), by=officer
    )
    if offer_from is not None:
        supplier, user = offer_from
        submitted_offer(tender, supplier, user, {("LE1", 1): 1, ("AP1", 1): 10, ("VO1", 1): 50})
    Tender.objects.filter(pk=tender.pk).update(
        issued_at=at_noon(issued),
        deadline=at_noon(issued + timedelta(days=30)),
        awarded_at=at_noon(awarded) if awarded else None,
    )
    tender.refresh_from_db()
    return tender


def two_year_contract(
    council: Organisation,
    supplier: Organisation,
    measures: Measures,
    *,
    starts: date,
    reference: str,
    carbon: bool,
    by: User,
) -> Contract:
    commitments = [
        CommitmentInput(measures.jobs, {1: Decimal("2"), 2: Decimal("2")}),
        CommitmentInput(measures.volunteering, {1: Decimal("400"), 2: Decimal("400")}),
    ]
    if carbon:
        commitments.append(CommitmentInput(measures.carbon, {1: Decimal("10"), 2: Decimal("12")}))
    return contract_create(
        council=council,
        supplier=supplier,
        title=f"Contract {reference}",
        reference=reference,
        value_pence=50_000_000,
        start_date=starts,
        end_date=date(starts.year + 2, 3, 31),
        directorate="Children and Young People's Services",
        contract_manager=by,
        measure_set_version=measures.version,
        price_year=2025,
        commitments=commitments,
        source="manual",
        by=by,
    )


@dataclass
class Programme:
    council: Organisation
    contract_a: Contract
    contract_b: Contract
    tenders: list[Tender]
    at_risk: Action
    done: Action
    overdue: Action


def build_programme(
    world, *, admin: User, officer: User, manager: User, supplier_user: User
) -> Programme:
    council = world.council
    services.settings_update(council=council, by=admin, policy_adopted_on=ADOPTED)
    measures = build_measures(council)

    # Contract A: 1 Apr 2024 – 31 Mar 2026. RM1 jobs (£10,000 an FTE) 2 FTE a year; RM2
    # volunteering (£16.93 an hour) 400 hours a year. Quarterly targets: 0.5 FTE, 100 hours.
    a = two_year_contract(
        council,
        world.supplier,
        measures,
        starts=date(2024, 4, 1),
        reference="A",
        carbon=False,
        by=manager,
    )
    # Contract B: 1 Apr 2025 – 31 Mar 2027, the same, plus RM3 carbon (record only).
    b = two_year_contract(
        council,
        world.supplier,
        measures,
        starts=date(2025, 4, 1),
        reference="B",
        carbon=True,
        by=manager,
    )
    # Year 1 returns on A: Q1 RM1 0.5 verified, RM2 120 verified as 110; Q2 RM1 0.5 and RM2
    # 100, both verified.
    a1 = file_with_story(
        a,
        "2024-25 Q1",
        {"RM1": "0.5", "RM2": "120"},
        by=supplier_user,
        title="A care leaver's first job",
        consent=True,
    )
    decide(
        a1,
        {"RM1": ("verified", None, ""), "RM2": ("part_verified", "110", "10 hours elsewhere")},
        by=manager,
    )
    a2 = file_return(a, "2024-25 Q2", {"RM1": "0.5", "RM2": "100"}, by=supplier_user)
    decide(a2, {"RM1": ("verified", None, ""), "RM2": ("verified", None, "")}, by=manager)
    # Year 2: A Q1 RM1 0.5 and RM2 100, both verified. B Q1 RM1 0.5 rejected, RM2 50
    # verified, RM3 2.5 verified; B Q2 RM1 0.5 and RM2 100 submitted, not yet decided.
    a5 = file_with_story(
        a,
        "2025-26 Q1",
        {"RM1": "0.5", "RM2": "100"},
        by=supplier_user,
        title="Volunteers at Maltby library",
        consent=True,
    )
    decide(a5, {"RM1": ("verified", None, ""), "RM2": ("verified", None, "")}, by=manager)
    b1 = file_with_story(
        b,
        "2025-26 Q1",
        {"RM1": "0.5", "RM2": "50", "RM3": "2.5"},
        by=supplier_user,
        title="Not to be published",
        consent=False,
    )
    decide(
        b1,
        {
            "RM1": ("rejected", None, "No payroll evidence"),
            "RM2": ("verified", None, ""),
            "RM3": ("verified", None, ""),
        },
        by=manager,
    )
    file_return(b, "2025-26 Q2", {"RM1": "0.5", "RM2": "100"}, by=supplier_user)

    # Procurement: year 1 issued T1 (£500,000, open) and T2 (£50,000, below threshold, Adult
    # Care); T1 awarded in year 1 with one offer. Year 2 issued T3 (£150,000), T4
    # (£6,000,000, competitive flexible) and T5 (£300,000); T3 awarded in year 2 with one
    # offer. T4 and T5 are not awarded.
    set_version = published_measure_set(council)
    bidder = (world.supplier, supplier_user)
    tenders = [
        tender_in_year(
            council,
            officer,
            set_version,
            issued=date(2024, 6, 1),
            value_pence=50_000_000,
            awarded=date(2024, 9, 1),
            offer_from=bidder,
        ),
        tender_in_year(
            council,
            officer,
            set_version,
            issued=date(2024, 11, 1),
            value_pence=5_000_000,
            route="below_threshold",
            directorate="Adult Care",
        ),
        tender_in_year(
            council,
            officer,
            set_version,
            issued=date(2025, 5, 1),
            value_pence=15_000_000,
            awarded=date(2025, 8, 1),
            offer_from=bidder,
        ),
        tender_in_year(
            council,
            officer,
            set_version,
            issued=date(2025, 7, 1),
            value_pence=600_000_000,
            route="competitive_flexible",
        ),
        tender_in_year(
            council, officer, set_version, issued=date(2026, 1, 10), value_pence=30_000_000
        ),
    ]

    # The Cabinet decision and its actions.
    decision = services.decision_create(
        council=council,
        meeting="Cabinet",
        decided_on=date(2025, 1, 20),
        report_title="Social Value Policy: first year",
        by=officer,
    )
    living_wage = services.recommendation_add(
        decision=decision, label="e", text="Support Community Wealth Building", by=officer
    )
    workshop = services.recommendation_add(
        decision=decision, label="f", text="Hold a workshop in the summer", by=officer
    )
    done = services.action_create(
        council=council,
        recommendation=workshop,
        title="Hold the summer workshop",
        owner=officer,
        due_on=date(2025, 7, 31),
        status="done",
        by=officer,
    )
    at_risk = services.action_create(
        council=council,
        recommendation=living_wage,
        title="Real Living Wage accreditation",
        owner=admin,
        due_on=date(2026, 9, 30),
        status="at_risk",
        status_reason="The accreditation fee is not budgeted",
        by=officer,
    )
    overdue = services.action_create(
        council=council,
        recommendation=living_wage,
        title="Anchor network terms of reference",
        owner=officer,
        due_on=date(2026, 3, 1),
        by=officer,
    )
    return Programme(council, a, b, tenders, at_risk, done, overdue)
