"""Demo contracts for Rotherham with a year of returns in every state.

Three contracts started in April of last financial year: one above the £250,000 delivery plan
band, one below it (a milestone tracker), and one above £5m with Procurement Act KPIs. Their
returns are verified, verified in part, rejected, queried, submitted, still a draft, or overdue,
each claim with a small evidence file, so the dashboard shows committed, claimed and verified
side by side, traceable to evidence. All figures are demo data.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from commonweal.accounts.models import Organisation, User
from commonweal.accounts.roles import OrganisationKind, Role
from commonweal.contracts.models import Contract, ContractSource
from commonweal.contracts.services import CommitmentInput, contract_create
from commonweal.demo.people import first_member
from commonweal.financial_years import financial_year_of
from commonweal.frameworks.models import LocalMeasureSetVersion, Measure, VersionStatus
from commonweal.monitoring import selectors, services
from commonweal.monitoring.models import (
    EvidenceType,
    KpiRating,
    LineOutcome,
    PeriodTarget,
    ReportingPeriod,
    ReturnLine,
    SupplierReturn,
)
from commonweal.valuation.plausibility import splits_a_person

# (title, reference, supplier name, value in pence, years, {measure code: quantity a year})
DEMO_CONTRACTS: list[tuple[str, str, str, int, int, dict[str, str]]] = [
    (
        "Catering for council buildings (demo)",
        "RMBC-DEMO-101",
        "Don Valley Catering Ltd (demo)",
        40_000_000,
        3,
        {"RMBC-01": "400", "RMBC-02": "40", "RMBC-03": "4"},
    ),
    (
        "Community transport for day services (demo)",
        "RMBC-DEMO-102",
        "Wentworth Community Transport (demo)",
        18_000_000,
        2,
        {"RMBC-01": "200", "RMBC-03": "2"},
    ),
    (
        "Highways maintenance (demo)",
        "RMBC-DEMO-103",
        "Northern Infrastructure Group plc (demo)",
        650_000_000,
        3,
        {"RMBC-01": "1000", "RMBC-02": "200", "RMBC-03": "6"},
    ),
]

# For each contract, the state each ended period's return is left in and the share of the
# period's target claimed, oldest first; ended periods beyond the plan are overdue. The first
# contract is on track (green), the second slipping (amber), the third behind (red), and
# between them the returns take every state.
RETURN_PLANS: list[list[tuple[str, str]]] = [
    [("verified", "1.1")] * 5 + [("submitted", "1.0")],
    [("verified", "1.0"), ("verified", "1.0"), ("verified", "0.9"), ("part_verified", "1.0")]
    + [("verified", "1.0")],
    [("part_verified", "0.8"), ("rejected", "0.8"), ("queried", "1.1"), ("draft", "0.8")],
]


def _measure_set_version(council: Organisation) -> LocalMeasureSetVersion | None:
    return (
        LocalMeasureSetVersion.objects.filter(
            measure_set__owner=council, status=VersionStatus.PUBLISHED
        )
        .order_by("number")
        .first()
    )


def demo_quantity(quantity: Decimal, line: ReturnLine) -> Decimal:
    """A share of a target as a demo claim or verified figure: to the penny, or to a whole
    person where the measure counts people (returns refuse to split a person)."""
    if splits_a_person(line.commitment.measure.unit, quantity):
        return quantity.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return quantity.quantize(Decimal("0.01"))


def file_demo_return(
    contract: Contract,
    period: ReportingPeriod,
    state: str,
    *,
    supplier_user: User,
    manager: User,
    share: Decimal,
    case_study: tuple[str, str] | None = None,
) -> None:
    """A return for the period claiming `share` of each target, left in `state` (draft,
    submitted, verified, part_verified, rejected or queried), with evidence and, if given, a
    case study (title, story) whose people agreed to publication."""
    supplier_return = services.return_start(period=period, by=supplier_user)
    targets = {t.commitment_id: t.target for t in PeriodTarget.objects.filter(period=period)}
    claims = {
        line.pk: (demo_quantity(targets.get(line.commitment_id, Decimal(0)) * share, line), "")
        for line in supplier_return.lines.select_related("commitment__measure")
    }
    services.return_save(
        supplier_return=supplier_return,
        claims=claims,
        narrative="Staff volunteered at two Rotherham schools and mentored care leavers (demo).",
        attests_contract_and_period=True,
        attests_commitment=True,
        by=supplier_user,
    )
    if case_study is not None:
        services.case_study_add(
            supplier_return=supplier_return,
            title=case_study[0],
            story=case_study[1],
            consent=True,
            by=supplier_user,
        )
    _attach_evidence(supplier_return, supplier_user)
    if state == "draft":
        return
    late = state == "submitted"
    services.return_submit(
        supplier_return=supplier_return,
        by=supplier_user,
        today=period.due_on + timedelta(days=3 if late else -5),
    )
    if state == "submitted":
        return
    supplier_return.refresh_from_db()
    decisions = []
    lines = supplier_return.lines.exclude(claimed=0).select_related("commitment__measure")
    for index, line in enumerate(lines):
        outcome, verified, reason = LineOutcome.VERIFIED, None, ""
        if state == "part_verified" and index == 0:
            outcome = LineOutcome.PART_VERIFIED
            verified = demo_quantity(line.claimed * Decimal("0.6"), line)
            reason = "Timesheets cover only part of the hours claimed (demo)."
        elif state == "rejected":
            outcome, reason = (
                LineOutcome.REJECTED,
                "The evidence relates to another contract (demo).",
            )
        elif state == "queried" and index == 0:
            outcome, reason = LineOutcome.QUERIED, "Which schools were these hours given at? (demo)"
        decisions.append(services.Decision(line.pk, outcome, verified, reason))
    services.return_verify(
        supplier_return=supplier_return,
        decisions=decisions,
        expected_version=supplier_return.version,
        by=manager,
    )


# What each demo measure's evidence is, as the measure's own "evidence expected" asks.
EVIDENCE_BY_MEASURE = {
    "RMBC-01": (EvidenceType.ATTENDANCE_REGISTER, "volunteering timesheet"),
    "RMBC-02": (EvidenceType.OTHER, "letters from groups helped"),
    "RMBC-03": (EvidenceType.OTHER, "leaving care referrals"),
}


def _attach_evidence(supplier_return: SupplierReturn, supplier_user: User) -> None:
    """One small CSV per claimed line, uploaded through the same checks as a supplier's own,
    so every figure on the dashboard leads to the lines and evidence behind it."""
    period = supplier_return.period
    for line in supplier_return.lines.exclude(claimed=0).select_related("commitment__measure"):
        code = line.commitment.measure.code
        evidence_type, what = EVIDENCE_BY_MEASURE.get(code, (EvidenceType.OTHER, "records"))
        rows = "\r\n".join(
            f"{period.starts_on + timedelta(days=7 * week)},Demo person {week + 1},Rotherham"
            for week in range(3)
        )
        content = f"date,person,place\r\n{rows}\r\n".encode()
        services.evidence_add(
            supplier_return=supplier_return,
            upload=SimpleUploadedFile(
                f"{code} {period.label} {what} demo.csv", content, content_type="text/csv"
            ),
            evidence_type=evidence_type,
            line=line,
            by=supplier_user,
        )


@transaction.atomic
def seed_demo_data(*, council: Organisation) -> None:
    version = _measure_set_version(council)
    manager = first_member(council, [Role.CONTRACT_MANAGER])
    if version is None or manager is None:
        return
    measures = {
        m.code: m for m in Measure.objects.filter(pk__in=version.items.values("measure_id"))
    }
    today = timezone.localdate()
    start = date(financial_year_of(today) - 1, 4, 1)
    for number, (title, reference, supplier_name, value, years, per_year) in enumerate(
        DEMO_CONTRACTS
    ):
        supplier = Organisation.objects.filter(
            kind=OrganisationKind.SUPPLIER, name=supplier_name
        ).first()
        if supplier is None:
            continue
        supplier_user = first_member(supplier, [Role.SUPPLIER_ADMIN, Role.SUPPLIER_CONTRIBUTOR])
        chosen = {code: quantity for code, quantity in per_year.items() if code in measures}
        if supplier_user is None or not chosen:
            continue
        contract = contract_create(
            council=council,
            supplier=supplier,
            title=title,
            reference=reference,
            value_pence=value,
            start_date=start,
            end_date=date(start.year + years, 3, 31),
            directorate=("Adult Care, Housing and Public Health", "Regeneration and Environment")[
                number % 2
            ],
            contract_manager=manager,
            measure_set_version=version,
            price_year=2025,
            commitments=[
                CommitmentInput(
                    measures[code], {year: Decimal(quantity) for year in range(1, years + 1)}
                )
                for code, quantity in chosen.items()
            ],
            source=ContractSource.MANUAL,
            by=manager,
        )
        ended = list(
            ReportingPeriod.objects.filter(contract=contract, ends_on__lt=today).order_by(
                "position"
            )
        )
        for period, (state, share) in zip(ended, RETURN_PLANS[number], strict=False):
            file_demo_return(
                contract,
                period,
                state,
                supplier_user=supplier_user,
                manager=manager,
                share=Decimal(share),
            )
        if not selectors.needs_full_plan(contract):
            for months, description in (
                (3, "Driver volunteering scheme launched"),
                (9, "First care leaver placement starts"),
            ):
                milestone = services.milestone_create(
                    contract=contract,
                    description=f"{description} (demo)",
                    due_on=start + timedelta(days=30 * months),
                    commitment=None,
                    by=manager,
                )
                services.milestone_set_status(milestone=milestone, status="done", by=manager)
        if selectors.kpis_required(contract):
            for name, rating in (
                ("Local people employed on the contract (demo)", KpiRating.GOOD),
                ("Repairs completed on time (demo)", KpiRating.APPROACHING),
                ("Apprenticeships started (demo)", KpiRating.REQUIRES_IMPROVEMENT),
            ):
                kpi = services.kpi_create(contract=contract, name=name, description="", by=manager)
                services.kpi_assess(
                    kpi=kpi,
                    period_start=start,
                    period_end=date(start.year + 1, 3, 31),
                    rating=rating,
                    explanation="Reviewed at the annual contract meeting (demo).",
                    by=manager,
                )
        commitment = contract.commitments.order_by("position").first()
        if commitment is not None:
            services.recovery_action_create(
                commitment=commitment,
                action="Agree a volunteering calendar with three Rotherham schools (demo).",
                owner="Supplier's community manager",
                due_on=today + timedelta(days=60),
                by=manager,
            )
