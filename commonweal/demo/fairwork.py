"""Demo fair work and equality for Rotherham: its Real Living Wage accreditation journey
(accredited in September 2021, as the domain brief records; the day, the other dates and the
plan are demo data), two accredited suppliers (one self-declared, one verified), a care
contract that requires the Real Living Wage with a return paying below the rate in force, and an
Equality Framework self-assessment with a year of progress and evidence linked from its own
social value records. Criteria are written for the demo, not the LGA's text."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from commonweal.accounts.models import AccreditationBasis, Organisation, User
from commonweal.accounts.roles import OrganisationKind, Role
from commonweal.contracts.models import Commitment, ContractSource
from commonweal.contracts.services import CommitmentInput, contract_create
from commonweal.cwb.analyses import AnalysisNotReady, headline_rows, organisation_analysis
from commonweal.demo.monitoring import demo_quantity
from commonweal.demo.people import first_member
from commonweal.fairwork import selectors, services
from commonweal.fairwork.models import EvidenceKind, WageFinding
from commonweal.financial_years import financial_year_of
from commonweal.frameworks.models import LocalMeasureSetVersion, Measure, VersionStatus
from commonweal.monitoring import services as monitoring
from commonweal.monitoring.models import (
    ActionStatus,
    LineOutcome,
    PeriodTarget,
    ReportingPeriod,
)
from commonweal.valuation.fair_work import Area

CARE_SUPPLIER = "Pennine Care Services Ltd (demo)"
DECLARING_SUPPLIER = "Don Valley Catering Ltd (demo)"
CARE_REFERENCE = "RMBC-DEMO-104"
LWF_DIRECTORY = "https://www.livingwage.org.uk/accredited-living-wage-employers"

# The shortfall of the one return the demo flags, below the rate in force on its last day.
SHORTFALL = Decimal("0.20")
FLAGGED_PERIOD = 1  # the second ended period (from 0)

CRITERIA = [
    ("communities", "1.1", "We know who lives in Rotherham and how their needs differ (demo)."),
    ("communities", "1.2", "Communities shape the services and contracts we commission (demo)."),
    ("leadership", "2.1", "Councillors and senior leaders champion equality in decisions (demo)."),
    ("leadership", "2.2", "Our partners and suppliers share our equality commitments (demo)."),
    ("services", "3.1", "Services are accessible to everyone who needs them (demo)."),
    ("services", "3.2", "Complaints and feedback lead to fairer services (demo)."),
    ("workforce", "4.1", "Our workforce and our suppliers' reflect Rotherham (demo)."),
    ("workforce", "4.2", "Everyone working for us or on our contracts is paid fairly (demo)."),
]
# (level a year and a half ago, level now) per criterion, in the order above.
LEVELS = [
    ("developing", "achieving"),
    ("developing", "achieving"),
    ("achieving", "excellent"),
    ("developing", "achieving"),
    ("developing", "developing"),
    ("developing", "achieving"),
    ("developing", "achieving"),
    ("achieving", "excellent"),
]


def _journey(council: Organisation, admin: User, today: date) -> None:
    services.accreditation_event_add(
        council=council,
        status="applying",
        happened_on=date(2021, 3, 1),
        note="Applied to the Living Wage Foundation (demo date).",
        by=admin,
    )
    services.accreditation_event_add(
        council=council,
        status="accredited",
        happened_on=date(2021, 9, 1),
        note="Accredited as a Real Living Wage employer in September 2021 (the day is a demo "
        "date).",
        by=admin,
    )
    services.accreditation_update(
        council=council,
        scope="Directly employed staff, and staff of contractors working on council sites or on "
        "care, cleaning, catering and security contracts (demo wording).",
        renewal_due_on=today + timedelta(days=120),
        by=admin,
    )
    for description, owner, due, status, done in (
        ("Pay all directly employed staff at least the Real Living Wage (demo)", "Head of HR",
         date(2021, 4, 1), "done", date(2021, 4, 1)),
        ("Add the Real Living Wage clause to care, cleaning, catering and security contracts "
         "(demo)", "Head of Procurement", date(2021, 8, 31), "done", date(2021, 8, 20)),
        ("Check each care provider's lowest hourly rate every quarter (demo)",
         "Contract management team", today + timedelta(days=90), "in_progress", None),
        ("Renew the accreditation licence (demo)", "Head of HR", today + timedelta(days=120),
         "open", None),
    ):  # fmt: skip
        step = services.plan_step_add(
            council=council, description=description, owner=owner, due_on=due, by=admin
        )
        if status != "open":
            services.plan_step_update(
                step=step,
                description=description,
                owner=owner,
                due_on=due,
                status=status,
                done_on=done,
                by=admin,
            )


def _suppliers(council: Organisation, admin: User, today: date) -> None:
    declaring = Organisation.objects.filter(
        kind=OrganisationKind.SUPPLIER, name=DECLARING_SUPPLIER
    ).first()
    declarer = first_member(declaring, [Role.SUPPLIER_ADMIN]) if declaring else None
    if declaring is not None and declarer is not None:
        services.own_accreditation_declare(
            employer=declaring,
            accredited_since=date(2023, 5, 1),
            evidence_url="",
            evidence_note="We became a Living Wage employer in May 2023 (demo).",
            ended_on=None,
            by=declarer,
        )
    care = Organisation.objects.filter(kind=OrganisationKind.SUPPLIER, name=CARE_SUPPLIER).first()
    if care is not None:
        services.supplier_accreditation_record(
            council=council,
            supplier=care,
            basis=AccreditationBasis.VERIFIED,
            accredited_since=date(2022, 11, 1),
            evidence_url=LWF_DIRECTORY,
            evidence_note="Listed in the Living Wage Foundation's directory of accredited "
            "employers; licence seen at the contract meeting (demo).",
            checked_on=today - timedelta(days=30),
            ended_on=None,
            by=admin,
        )


def _care_contract(council: Organisation, admin: User, today: date) -> None:
    care = Organisation.objects.filter(kind=OrganisationKind.SUPPLIER, name=CARE_SUPPLIER).first()
    manager = first_member(council, [Role.CONTRACT_MANAGER])
    version = (
        LocalMeasureSetVersion.objects.filter(
            measure_set__owner=council, status=VersionStatus.PUBLISHED
        )
        .order_by("number")
        .first()
    )
    if care is None or manager is None or version is None:
        return
    supplier_user = first_member(care, [Role.SUPPLIER_ADMIN, Role.SUPPLIER_CONTRIBUTOR])
    measures = {
        m.code: m for m in Measure.objects.filter(pk__in=version.items.values("measure_id"))
    }
    chosen = {code: q for code, q in (("CW-JOBS-02", "6"), ("RMBC-03", "3")) if code in measures}
    if supplier_user is None or not chosen:
        return
    start = date(financial_year_of(today) - 1, 4, 1)
    contract = contract_create(
        council=council,
        supplier=care,
        title="Home care in Rotherham South (demo)",
        reference=CARE_REFERENCE,
        value_pence=240_000_000,
        start_date=start,
        end_date=date(start.year + 3, 3, 31),
        directorate="Adult Care, Housing and Public Health",
        contract_manager=manager,
        measure_set_version=version,
        price_year=2025,
        commitments=[
            CommitmentInput(measures[code], {year: Decimal(q) for year in range(1, 4)})
            for code, q in chosen.items()
        ],
        source=ContractSource.MANUAL,
        by=manager,
    )
    services.contract_clause_set(
        contract=contract, service_category="care", requires=None, by=admin, today=today
    )
    schedule = selectors.living_wage_schedule(council)
    ended = ReportingPeriod.objects.filter(contract=contract, ends_on__lt=today).order_by(
        "position"
    )
    for index, period in enumerate(ended):
        required = schedule.in_force_on(period.ends_on, Area.UK).amount
        if required is None:
            continue
        paid = required - SHORTFALL if index == FLAGGED_PERIOD else required
        supplier_return = monitoring.return_start(period=period, by=supplier_user)
        targets = {t.commitment_id: t.target for t in PeriodTarget.objects.filter(period=period)}
        monitoring.return_save(
            supplier_return=supplier_return,
            claims={
                line.pk: (demo_quantity(targets.get(line.commitment_id, Decimal(0)), line), "")
                for line in supplier_return.lines.select_related("commitment__measure")
            },
            narrative="Care workers recruited locally, including two care leavers (demo).",
            attests_contract_and_period=True,
            attests_commitment=True,
            by=supplier_user,
        )
        monitoring.return_wages_save(
            supplier_return=supplier_return,
            lowest_outside_london=paid,
            lowest_in_london=None,
            by=supplier_user,
        )
        monitoring.return_submit(
            supplier_return=supplier_return, by=supplier_user, today=period.due_on - timedelta(5)
        )
        if index < FLAGGED_PERIOD + 3:
            supplier_return.refresh_from_db()
            monitoring.return_verify(
                supplier_return=supplier_return,
                decisions=[
                    monitoring.Decision(line.pk, LineOutcome.VERIFIED, None, "")
                    for line in supplier_return.lines.exclude(claimed=0)
                ],
                expected_version=supplier_return.version,
                by=manager,
            )
    services.wage_checks_run(council=council, today=today)
    finding = WageFinding.objects.filter(contract=contract).first()
    if finding is not None:
        services.finding_update(
            finding=finding,
            action=finding.action,
            action_owner="Pennine Care Services' registered manager (demo)",
            action_due_on=today + timedelta(days=21),
            action_status=ActionStatus.IN_PROGRESS,
            resolution="",
            by=manager,
        )


def _self_assessment(council: Organisation, admin: User, today: date) -> None:
    earlier = today - timedelta(days=540)
    recent = today - timedelta(days=20)
    care_commitment = (
        Commitment.objects.filter(
            contract__council=council,
            contract__reference=CARE_REFERENCE,
            measure__code="CW-JOBS-02",
        )
        .select_related("measure")
        .first()
    )
    try:
        analysis = organisation_analysis(council)
        spend_year = analysis.years[-1] if analysis.years else None
    except AnalysisNotReady:
        spend_year = None
    for (module, reference, text), (before, now) in zip(CRITERIA, LEVELS, strict=True):
        criterion = services.criterion_add(
            council=council, module=module, reference=reference, text=text, by=admin
        )
        services.assessment_add(
            criterion=criterion,
            level=before,
            narrative="Baseline self-assessment for the first year of the social value policy "
            "(demo).",
            owner="Equalities lead",
            assessed_on=earlier,
            by=admin,
            today=today,
        )
        current = services.assessment_add(
            criterion=criterion,
            level=now,
            narrative="Reviewed with the Cabinet member; evidence from contracts and spend (demo).",
            owner="Equalities lead" if module != "workforce" else "Head of HR",
            assessed_on=recent,
            by=admin,
            today=today,
        )
        if reference == "4.1" and care_commitment is not None:
            services.evidence_add(
                assessment=current,
                kind=EvidenceKind.DELIVERY,
                description="Local people facing barriers to work employed on the home care "
                "contract, verified from returns (demo)",
                commitment=care_commitment,
                by=admin,
            )
            services.evidence_add(
                assessment=current,
                kind=EvidenceKind.LINK,
                description="Care workers on the contract who told us they are disabled "
                "(demo survey)",
                url="https://www.rotherham.gov.uk/",
                people_count=Decimal("3"),
                characteristic="disability",
                by=admin,
            )
            services.evidence_add(
                assessment=current,
                kind=EvidenceKind.LINK,
                description="Women in the council's senior leadership roles (demo)",
                url="https://www.rotherham.gov.uk/",
                people_count=Decimal("14"),
                characteristic="sex",
                by=admin,
            )
        if reference == "4.2" and care_commitment is not None:
            services.evidence_add(
                assessment=current,
                kind=EvidenceKind.COMMITMENT,
                description="The home care contract requires the Real Living Wage and "
                "commits to local jobs for people facing barriers (demo)",
                commitment=care_commitment,
                by=admin,
            )
        if reference == "2.2" and spend_year is not None:
            for label, pence, percent in headline_rows(spend_year):
                if "VCSE" in label or "voluntary" in label.lower():
                    services.evidence_add(
                        assessment=current,
                        kind=EvidenceKind.SPEND,
                        description="Spend with voluntary, community and social enterprises "
                        "(demo spend)",
                        spend={
                            "year": spend_year.financial_year,
                            "label": label,
                            "pence": pence,
                            "percent": percent,
                        },
                        by=admin,
                    )
                    break


@transaction.atomic
def seed_demo_data(*, council: Organisation) -> None:
    admin = first_member(council, [Role.COUNCIL_ADMIN])
    if admin is None:
        return
    today = timezone.localdate()
    services.living_wage_policy_set(
        council=council, categories=["care", "cleaning", "catering", "security"], by=admin
    )
    _journey(council, admin, today)
    _suppliers(council, admin, today)
    _care_contract(council, admin, today)
    _self_assessment(council, admin, today)
