"""Reads for the fair work and equality pages, the API, and the apps above (partnership reads
members' Real Living Wage status; reporting reads accreditation progress, suppliers accredited
by year, compliance findings and the EFLG module levels by year)."""

from __future__ import annotations

import inspect
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from commonweal.accounts.models import Organisation
from commonweal.accounts.selectors import LivingWageIndex, LivingWageStatus, living_wage_index
from commonweal.contracts.models import Commitment, Contract
from commonweal.core.composed import ComposedOnce
from commonweal.core.uploads import kept_upload
from commonweal.cwb.analyses import spend_by_supplier_year
from commonweal.cwb.models import RegisterSupplier
from commonweal.fairwork.models import (
    AccreditationEvent,
    AccreditationStatus,
    ActionPlanStep,
    CouncilAccreditation,
    EflgAssessment,
    EflgCriterion,
    EflgEvidence,
    EvidenceKind,
    FairWorkSettings,
    FindingStatus,
    LivingWageRateAddition,
    WageFinding,
)
from commonweal.financial_years import financial_year_label, financial_year_of
from commonweal.frameworks.vocabulary import EflgModule
from commonweal.monitoring.models import (
    ActionStatus,
    DeliveryFigures,
    ReturnStatus,
    SupplierReturn,
)
from commonweal.valuation.fair_work import (
    EFLG_LEVELS,
    Area,
    BelowRealLivingWage,
    DatePrecision,
    EflgLevel,
    LivingWageRate,
    LivingWageSchedule,
    ModuleLevel,
    ModuleLevelFromCriteria,
    NationalLivingWageRate,
    RateInForce,
    ShownCount,
    SmallNumberSuppression,
    WageCheck,
    national_living_wage_on,
)
from commonweal.valuation.official_series import (
    announced_as_published,
    living_wage_rates,
    national_living_wage_rates,
)


@dataclass(frozen=True)
class RuleText:
    """A named rule as the pages list it: its title, code and plain-English docstring."""

    title: str
    code: str
    text: str


def rule_text(rule: type) -> RuleText:
    lines = (inspect.getdoc(rule) or "").split("\n", 1)
    return RuleText(
        title=getattr(rule, "title", lines[0]),
        code=getattr(rule, "code", ""),
        text=lines[1].strip() if len(lines) > 1 else "",
    )


RENEWAL_WARNING_DAYS = 60
"""The journey shows "renewal due" this many days before the renewal date."""


# --- Settings ----------------------------------------------------------------------------------


def settings_for(council: Organisation) -> FairWorkSettings:
    """The council's settings, or the defaults (unsaved) when it has never changed them."""
    found = FairWorkSettings.objects.filter(council=council).first()
    return found or FairWorkSettings(council=council)


def suppression_for(council: Organisation) -> SmallNumberSuppression:
    return SmallNumberSuppression(settings_for(council).small_number_threshold)


# --- Rates -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RateRow:
    """A Real Living Wage rate as the rates page lists it."""

    rate: LivingWageRate
    announced_text: str
    added: LivingWageRateAddition | None
    national_living_wage: NationalLivingWageRate | None
    """The statutory rate in force on the pay-by date, for comparison."""

    @property
    def pay_by_basis(self) -> str:
        if self.rate.pay_by is None:
            return "Not known: the announcement date is not known to the month"
        if self.rate.pay_by_published:
            return "As published"
        if self.rate.announced_precision is DatePrecision.MONTH:
            return "Six months after the end of the month announced"
        return "Six months after the announcement"


def _added_rate(addition: LivingWageRateAddition) -> LivingWageRate:
    return LivingWageRate(
        year=addition.year,
        label=addition.label,
        uk_rate=addition.uk_rate,
        london_rate=addition.london_rate,
        announced_on=addition.announced_on,
        announced_precision=DatePrecision.DAY,
        pay_by=addition.pay_by,
        pay_by_published=addition.pay_by_published,
        sources=(addition.source_title,),
    )


def added_rates(council: Organisation) -> QuerySet[LivingWageRateAddition]:
    return LivingWageRateAddition.objects.filter(council=council).select_related("added_by")


def living_wage_rates_for(council: Organisation) -> list[LivingWageRate]:
    """The shipped rates and those the council added (a council's own rate for a year stands
    in for a shipped one, so a rate added before a release ships it keeps being used)."""
    by_year = {rate.year: rate for rate in living_wage_rates()}
    for addition in added_rates(council):
        by_year[addition.year] = _added_rate(addition)
    return [by_year[year] for year in sorted(by_year)]


def living_wage_schedule(council: Organisation) -> LivingWageSchedule:
    return LivingWageSchedule(living_wage_rates_for(council))


def rate_rows(council: Organisation) -> list[RateRow]:
    """Every rate, newest first, with the National Living Wage beside it."""
    additions = {a.year: a for a in added_rates(council)}
    shipped_years = {rate.year for rate in living_wage_rates()}
    nlw = national_living_wage_rates()
    rows = []
    for rate in reversed(living_wage_rates_for(council)):
        added = additions.get(rate.year)
        if added is not None or rate.year not in shipped_years:
            announced = f"{rate.announced_on:%d %B %Y}".lstrip("0") if rate.announced_on else ""
        elif rate.announced_precision is DatePrecision.DAY and rate.announced_on:
            announced = f"{rate.announced_on.day} {rate.announced_on:%B %Y}"
        elif rate.announced_precision is DatePrecision.MONTH and rate.announced_on:
            announced = f"{rate.announced_on:%B %Y}"
        else:
            announced = announced_as_published(rate.year)
        rows.append(
            RateRow(
                rate=rate,
                announced_text=announced,
                added=added,
                national_living_wage=national_living_wage_on(nlw, rate.pay_by)
                if rate.pay_by
                else None,
            )
        )
    return rows


def rates_in_force(council: Organisation, day: date) -> dict[Area, RateInForce]:
    schedule = living_wage_schedule(council)
    return {area: schedule.in_force_on(day, area) for area in Area}


def national_living_wage_table() -> list[NationalLivingWageRate]:
    """The National Living Wage by date, newest first."""
    return list(reversed(national_living_wage_rates()))


def national_living_wage_in_force(day: date) -> NationalLivingWageRate | None:
    return national_living_wage_on(national_living_wage_rates(), day)


# --- The council's own accreditation -----------------------------------------------------------


def _journeys(council: Organisation | int) -> QuerySet[CouncilAccreditation]:
    return CouncilAccreditation.objects.filter(council=council).order_by("pk")


def accreditation_of(council: Organisation) -> CouncilAccreditation | None:
    return _journeys(council).first()


def accreditation_events(council: Organisation | int) -> QuerySet[AccreditationEvent]:
    return AccreditationEvent.objects.filter(council=council).select_related("recorded_by")


def plan_steps(council: Organisation | int) -> QuerySet[ActionPlanStep]:
    return ActionPlanStep.objects.filter(council=council)


@dataclass(frozen=True)
class AccreditationProgress:
    """Where the council is on its journey to (and as) an accredited employer: what a Cabinet
    report's "Real Living Wage accreditation" action shows."""

    status: str
    status_label: str
    since: date | None
    accredited_on: date | None
    """The first day the journey records the council as accredited."""
    renewal_due_on: date | None
    renewal_due_soon: bool
    scope: str
    steps_total: int
    steps_done: int
    steps_overdue: int
    next_step: ActionPlanStep | None


# Read on every council home page: composed once, as composing them took longer than running.
_journey_of = ComposedOnce(lambda council_id: _journeys(council_id)[:1])
_events_of = ComposedOnce(accreditation_events)
_steps_of = ComposedOnce(plan_steps)


def accreditation_progress(council: Organisation, today: date) -> AccreditationProgress:
    journey = next(iter(_journey_of(council.pk)), None)
    events = _events_of(council.pk)
    latest = next((e for e in events if e.happened_on <= today), None)
    status = AccreditationStatus(latest.status) if latest else AccreditationStatus.NOT_STARTED
    accredited_on = min(
        (e.happened_on for e in events if e.status == AccreditationStatus.ACCREDITED),
        default=None,
    )
    renewal = journey.renewal_due_on if journey else None
    due_soon = (
        status == AccreditationStatus.ACCREDITED
        and renewal is not None
        and (renewal - today).days <= RENEWAL_WARNING_DAYS
    )
    if due_soon:
        status = AccreditationStatus.RENEWAL_DUE
    steps = _steps_of(council.pk)
    open_steps = [s for s in steps if s.status != ActionStatus.DONE]
    return AccreditationProgress(
        status=status.value,
        status_label=status.label,
        since=latest.happened_on if latest else None,
        accredited_on=accredited_on,
        renewal_due_on=renewal,
        renewal_due_soon=due_soon,
        scope=journey.scope if journey else "",
        steps_total=len(steps),
        steps_done=len(steps) - len(open_steps),
        steps_overdue=sum(1 for s in open_steps if s.due_on < today),
        next_step=min(open_steps, key=lambda s: (s.due_on, s.pk), default=None),
    )


def living_wage_status(
    organisation: Organisation, *, seen_by: Organisation | None, today: date
) -> LivingWageStatus | None:
    """An organisation's Real Living Wage accreditation as `seen_by` sees it. A council's own
    accreditation comes from its journey (for partnership's members' status)."""
    if organisation.is_council:
        progress = accreditation_progress(organisation, today)
        if progress.status not in (AccreditationStatus.ACCREDITED, AccreditationStatus.RENEWAL_DUE):
            return None
        return LivingWageStatus(
            employer_id=organisation.pk,
            accredited=True,
            verified=False,
            basis_label="Self-declared",
            accredited_since=progress.accredited_on or progress.since or today,
            checked_on=None,
            ended_on=None,
            recorded_by_viewer=seen_by is not None and seen_by.pk == organisation.pk,
            evidence_url="",
        )
    return living_wage_index(seen_by, today).for_employer(organisation.pk)


# --- Suppliers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SupplierRow:
    supplier: Organisation
    status: LivingWageStatus | None
    contracts: int
    contract_value_pence: int


def council_suppliers(
    council: Organisation, index: LivingWageIndex, query: str = ""
) -> list[SupplierRow]:
    """Suppliers holding the council's contracts, and any other the council has a Real Living
    Wage record of, accredited first, then by name."""
    recorded = set(
        Organisation.objects.filter(living_wage_accreditations__council=council).values_list(
            "pk", flat=True
        )
    )
    suppliers = (
        Organisation.objects.filter(Q(supplied_contracts__council=council) | Q(pk__in=recorded))
        .distinct()
        .order_by("name")
    )
    if query:
        suppliers = suppliers.filter(
            Q(name__icontains=query) | Q(company_number__iexact=query) | Q(charity_number=query)
        )
    totals = {
        row["supplier_id"]: (row["count"], row["value"])
        for row in Contract.objects.filter(council=council)
        .values("supplier_id")
        .annotate(count=Count("pk"), value=Sum("value_pence"))
        .order_by()
    }
    rows = [
        SupplierRow(
            supplier=s,
            status=index.for_employer(s.pk),
            contracts=totals.get(s.pk, (0, 0))[0],
            contract_value_pence=totals.get(s.pk, (0, 0))[1],
        )
        for s in suppliers
    ]
    return sorted(rows, key=lambda r: (not (r.status and r.status.accredited), r.supplier.name))


def supplier_records(council: Organisation, supplier: Organisation) -> dict[str, object]:
    """The supplier's own declaration and the council's record of it."""
    from commonweal.accounts.models import LivingWageAccreditation

    return {
        "declared": LivingWageAccreditation.objects.filter(
            employer=supplier, council__isnull=True
        ).first(),
        "ours": LivingWageAccreditation.objects.filter(employer=supplier, council=council).first(),
    }


def _year_end(start_year: int) -> date:
    return date(start_year + 1, 3, 31)


@dataclass
class AccreditedYear:
    """Contracts let and spend paid in one financial year, with suppliers accredited then.
    Verified and self-declared are counted apart and never added together."""

    financial_year: str
    contracts_total: int = 0
    contract_value_total_pence: int = 0
    contracts_verified: int = 0
    contract_value_verified_pence: int = 0
    contracts_declared: int = 0
    contract_value_declared_pence: int = 0
    spend_total_pence: int | None = None
    spend_verified_pence: int | None = None
    spend_declared_pence: int | None = None
    suppliers_paid_verified: int | None = None
    suppliers_paid_declared: int | None = None


def _status_on(
    records: dict[int, list[tuple[date, date | None, bool]]], employer_id: int, day: date
) -> str | None:
    """ "verified", "declared" or None for an employer on a day (verified wins)."""
    found = None
    for since, ended, verified in records.get(employer_id, []):
        if since <= day and (ended is None or day < ended):
            if verified:
                return "verified"
            found = "declared"
    return found


def _accreditation_records(
    council: Organisation,
) -> dict[int, list[tuple[date, date | None, bool]]]:
    """Each employer's accreditation periods as the council sees them: its own record where it
    has one, else the employer's declaration."""
    from commonweal.accounts.models import LivingWageAccreditation

    own: dict[int, list[tuple[date, date | None, bool]]] = {}
    declared: dict[int, list[tuple[date, date | None, bool]]] = {}
    for record in LivingWageAccreditation.objects.filter(
        Q(council__isnull=True) | Q(council=council)
    ):
        target = own if record.council_id else declared
        target.setdefault(record.employer_id, []).append(
            (record.accredited_since, record.ended_on, record.is_verified)
        )
    return {**declared, **own}


def accredited_by_year(council: Organisation, today: date) -> list[AccreditedYear]:
    """Count and £ of contract value (contracts by the financial year they start, with a
    supplier accredited on the start date) and of spend (by financial year, with suppliers
    accredited on the year's last day, or today for the year in progress), year on year."""
    records = _accreditation_records(council)
    years: dict[int, AccreditedYear] = {}

    def year(start: int) -> AccreditedYear:
        return years.setdefault(start, AccreditedYear(financial_year_label(start)))

    for supplier_id, start_date, value in Contract.objects.filter(council=council).values_list(
        "supplier_id", "start_date", "value_pence"
    ):
        row = year(financial_year_of(start_date))
        row.contracts_total += 1
        row.contract_value_total_pence += value
        status = _status_on(records, supplier_id, start_date)
        if status == "verified":
            row.contracts_verified += 1
            row.contract_value_verified_pence += value
        elif status == "declared":
            row.contracts_declared += 1
            row.contract_value_declared_pence += value
    spend = spend_by_supplier_year(council)
    if spend is not None:
        registers = {
            s.cluster_key: s
            for s in RegisterSupplier.objects.filter(organisation=council).only(
                "cluster_key", "display_name", "company_number", "charity_number"
            )
        }
        employer_of = _employers_by_identity(council, records)
        counted: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for fy_label, total in spend.total_by_year.items():
            row = year(int(fy_label[:4]))
            row.spend_total_pence = total
            row.spend_verified_pence = row.spend_declared_pence = 0
            row.suppliers_paid_verified = row.suppliers_paid_declared = 0
        for item in spend.rows:
            start = int(item.financial_year[:4])
            row = year(start)
            register = registers.get(item.supplier_key)
            employer_id = (
                employer_of(register.display_name, register.company_number, register.charity_number)
                if register is not None
                else employer_of(item.supplier_key, "", "")
            )
            if employer_id is None:
                continue
            status = _status_on(records, employer_id, min(_year_end(start), today))
            if status == "verified":
                row.spend_verified_pence = (row.spend_verified_pence or 0) + item.pence
                counted[row.financial_year]["verified"].add(item.supplier_key)
            elif status == "declared":
                row.spend_declared_pence = (row.spend_declared_pence or 0) + item.pence
                counted[row.financial_year]["declared"].add(item.supplier_key)
        for row in years.values():
            if row.spend_total_pence is not None:
                row.suppliers_paid_verified = len(counted[row.financial_year]["verified"])
                row.suppliers_paid_declared = len(counted[row.financial_year]["declared"])
    return [years[y] for y in sorted(years)]


def _employers_by_identity(
    council: Organisation, records: dict[int, list[tuple[date, date | None, bool]]]
) -> Callable[[str, str, str], int | None]:
    """A finder from a paid name (with numbers) to an employer with a record."""
    from commonweal.spend_engine.names import normalise_supplier_name

    employers = Organisation.objects.filter(pk__in=records).only(
        "pk", "name", "company_number", "charity_number"
    )
    by_company = {e.company_number.upper(): e.pk for e in employers if e.company_number}
    by_charity = {e.charity_number: e.pk for e in employers if e.charity_number}
    by_name = {normalise_supplier_name(e.name): e.pk for e in employers}

    def find(name: str, company_number: str, charity_number: str) -> int | None:
        if company_number and company_number.upper() in by_company:
            return by_company[company_number.upper()]
        if charity_number and charity_number in by_charity:
            return by_charity[charity_number]
        return by_name.get(normalise_supplier_name(name)) if name else None

    return find


# --- Contracts and compliance ------------------------------------------------------------------


def living_wage_contracts(council: Organisation) -> QuerySet[Contract]:
    return Contract.objects.filter(council=council, requires_real_living_wage=True).select_related(
        "supplier"
    )


def council_contracts(council: Organisation, query: str = "") -> QuerySet[Contract]:
    contracts = Contract.objects.filter(council=council).select_related("supplier")
    if query:
        contracts = contracts.filter(
            Q(title__icontains=query)
            | Q(reference__icontains=query)
            | Q(supplier__name__icontains=query)
        )
    return contracts.order_by("-requires_real_living_wage", "reference")


def returns_to_check(council: Organisation) -> QuerySet[SupplierReturn]:
    """Submitted returns on the council's Real Living Wage contracts that report pay."""
    return (
        SupplierReturn.objects.filter(
            contract__council=council, contract__requires_real_living_wage=True
        )
        .exclude(status=ReturnStatus.DRAFT)
        .filter(
            Q(lowest_hourly_rate_outside_london__isnull=False)
            | Q(lowest_hourly_rate_in_london__isnull=False)
        )
        .select_related("period", "contract__supplier")
        .order_by("-period__ends_on", "contract__reference")
    )


def lowest_paid(supplier_return: SupplierReturn) -> dict[Area, Decimal]:
    paid = {}
    if supplier_return.lowest_hourly_rate_outside_london is not None:
        paid[Area.UK] = supplier_return.lowest_hourly_rate_outside_london
    if supplier_return.lowest_hourly_rate_in_london is not None:
        paid[Area.LONDON] = supplier_return.lowest_hourly_rate_in_london
    return paid


def check_return(supplier_return: SupplierReturn, schedule: LivingWageSchedule) -> WageCheck:
    """The BelowRealLivingWage rule on one return, for the period's last day."""
    return BelowRealLivingWage().check(
        schedule=schedule,
        day=supplier_return.period.ends_on,
        lowest_paid=lowest_paid(supplier_return),
    )


@dataclass(frozen=True)
class CheckedReturn:
    supplier_return: SupplierReturn
    check: WageCheck
    findings: tuple[WageFinding, ...]


def checked_returns(
    council: Organisation, returns: Iterable[SupplierReturn]
) -> list[CheckedReturn]:
    schedule = living_wage_schedule(council)
    returns = list(returns)
    findings: dict[int, list[WageFinding]] = defaultdict(list)
    for finding in WageFinding.objects.filter(supplier_return__in=returns):
        findings[finding.supplier_return_id].append(finding)
    return [
        CheckedReturn(r, check_return(r, schedule), tuple(findings.get(r.pk, ()))) for r in returns
    ]


def wage_findings(council: Organisation | int, *, status: str = "") -> QuerySet[WageFinding]:
    findings = WageFinding.objects.filter(council=council).select_related(
        "contract__supplier", "supplier_return__period"
    )
    if status:
        findings = findings.filter(status=status)
    return findings


def open_wage_findings_count(council: Organisation) -> int:
    return WageFinding.objects.filter(council=council, status=FindingStatus.OPEN).count()


# --- Equality Framework for Local Government ---------------------------------------------------

MODULE_RULE = ModuleLevelFromCriteria()


def criteria_of(council: Organisation, module: str | None = None) -> QuerySet[EflgCriterion]:
    criteria = EflgCriterion.objects.filter(council=council)
    return criteria.filter(module=module) if module else criteria


def latest_assessment(
    assessments: Sequence[EflgAssessment], on: date | None = None
) -> EflgAssessment | None:
    """The assessment that counts on a day: the latest assessed on or before it."""
    eligible = [a for a in assessments if on is None or a.assessed_on <= on]
    return max(eligible, key=lambda a: (a.assessed_on, a.pk), default=None)


@dataclass
class CriterionRow:
    criterion: EflgCriterion
    current: EflgAssessment | None
    evidence_count: int

    @property
    def level(self) -> EflgLevel | None:
        return EflgLevel(self.current.level) if self.current else None


@dataclass
class ModuleSummary:
    key: str
    number: int
    name: str
    rows: list[CriterionRow]
    now: ModuleLevel
    year_ago: ModuleLevel
    evidence_count: int = 0
    counts_now: dict[str, int] = field(default_factory=dict)
    counts_year_ago: dict[str, int] = field(default_factory=dict)


def _assessments_by_criterion(criteria: Iterable[EflgCriterion]) -> dict[int, list[EflgAssessment]]:
    grouped: dict[int, list[EflgAssessment]] = defaultdict(list)
    for assessment in EflgAssessment.objects.filter(criterion__in=list(criteria)).annotate(
        evidence_count=Count("evidence")
    ):
        grouped[assessment.criterion_id].append(assessment)
    return grouped


def _level_counts(levels: Sequence[EflgLevel | None]) -> dict[str, int]:
    counts = {level.value: 0 for level in EFLG_LEVELS}
    counts["not_assessed"] = 0
    for level in levels:
        counts[level.value if level else "not_assessed"] += 1
    return counts


def year_ago(today: date) -> date:
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


def module_summaries(council: Organisation, today: date) -> list[ModuleSummary]:
    """Each module with its criteria's latest assessments and its level by the rule, now and a
    year ago (assessments made on or before that day)."""
    criteria = list(criteria_of(council))
    assessments = _assessments_by_criterion(criteria)
    before = year_ago(today)
    summaries = []
    for number, (key, name) in enumerate(EflgModule.choices, start=1):
        rows = []
        levels_now: list[EflgLevel | None] = []
        levels_before: list[EflgLevel | None] = []
        for criterion in (c for c in criteria if c.module == key):
            history = assessments.get(criterion.pk, [])
            current = latest_assessment(history, today)
            earlier = latest_assessment(history, before)
            evidence = sum(getattr(a, "evidence_count", 0) for a in history)
            rows.append(CriterionRow(criterion, current, evidence))
            levels_now.append(EflgLevel(current.level) if current else None)
            levels_before.append(EflgLevel(earlier.level) if earlier else None)
        summaries.append(
            ModuleSummary(
                key=key,
                number=number,
                name=str(name),
                rows=rows,
                now=MODULE_RULE.level(levels_now),
                year_ago=MODULE_RULE.level(levels_before),
                evidence_count=sum(r.evidence_count for r in rows),
                counts_now=_level_counts(levels_now),
                counts_year_ago=_level_counts(levels_before),
            )
        )
    return summaries


def module_levels_by_year(
    council: Organisation, years: Sequence[int]
) -> dict[int, dict[str, ModuleLevel]]:
    """Each module's level at the end of each financial year (31 March), for reports."""
    criteria = list(criteria_of(council))
    assessments = _assessments_by_criterion(criteria)
    result: dict[int, dict[str, ModuleLevel]] = {}
    for start in years:
        end = _year_end(start)
        result[start] = {}
        for key, _ in EflgModule.choices:
            levels: list[EflgLevel | None] = []
            for criterion in (c for c in criteria if c.module == key):
                found = latest_assessment(assessments.get(criterion.pk, []), end)
                levels.append(EflgLevel(found.level) if found else None)
            result[start][key] = MODULE_RULE.level(levels)
    return result


def criterion_history(criterion: EflgCriterion) -> QuerySet[EflgAssessment]:
    return criterion.assessments.select_related("recorded_by").prefetch_related(
        Prefetch(
            "evidence",
            queryset=EflgEvidence.objects.select_related(
                "commitment__measure", "commitment__contract"
            ),
        )
    )


def commitments_for_module(council: Organisation, module: str) -> list[Commitment]:
    """The council's commitments whose measure is tagged to the EFLG module."""
    return [c for c in commitments_of_council(council) if module in (c.measure.eflg_modules or [])]


def commitments_of_council(council: Organisation) -> QuerySet[Commitment]:
    return (
        Commitment.objects.filter(contract__council=council)
        .select_related("measure", "contract__supplier")
        .order_by("contract__reference", "position", "pk")
    )


@dataclass(frozen=True)
class EvidenceFigure:
    """What a piece of evidence shows as a figure, suppressed where it counts people with a
    protected characteristic."""

    label: str
    shown: ShownCount | None
    text: str


def evidence_figure(
    evidence: EflgEvidence,
    suppression: SmallNumberSuppression,
    figures: dict[int, tuple[Decimal, Decimal]],
) -> EvidenceFigure | None:
    """The figure the evidence carries: people counted (entered), a commitment's committed
    quantity or its verified delivery to date, or a spend figure. `figures` maps commitment ids
    to (committed, verified to date)."""
    about_people = bool(evidence.characteristic)
    characteristic = evidence.get_characteristic_display() if about_people else ""
    if evidence.kind in (EvidenceKind.COMMITMENT, EvidenceKind.DELIVERY) and evidence.commitment:
        committed, verified = figures.get(evidence.commitment.pk, (Decimal(0), Decimal(0)))
        quantity = committed if evidence.kind == EvidenceKind.COMMITMENT else verified
        unit = evidence.commitment.measure.unit
        label = "Committed" if evidence.kind == EvidenceKind.COMMITMENT else "Verified to date"
        if about_people:
            shown = suppression.show(quantity)
            return EvidenceFigure(f"{label} ({characteristic})", shown, f"{shown.text} {unit}")
        plain = f"{quantity.normalize():,f} {unit}"
        return EvidenceFigure(label, None, plain)
    if evidence.kind == EvidenceKind.SPEND and evidence.spend_pence is not None:
        pounds = f"£{Decimal(evidence.spend_pence) / 100:,.2f}"
        percent = (
            f" ({evidence.spend_percent}% of spend)" if evidence.spend_percent is not None else ""
        )
        return EvidenceFigure(
            f"{evidence.spend_figure}, {evidence.spend_year}", None, pounds + percent
        )
    if evidence.people_count is not None:
        if about_people:
            shown = suppression.show(evidence.people_count)
            return EvidenceFigure(f"People ({characteristic})", shown, shown.text)
        return EvidenceFigure("People", None, f"{evidence.people_count.normalize():,f}")
    return None


def delivery_figures_for(
    commitment_ids: Iterable[int], today: date
) -> dict[int, tuple[Decimal, Decimal]]:
    """(Committed quantity, verified to date) per commitment, from its stored delivery figures
    current on `today`, or the latest before; a commitment with none yet has its committed
    quantities and nothing verified."""
    ids = set(commitment_ids)
    result: dict[int, tuple[Decimal, Decimal]] = {}
    rows = DeliveryFigures.objects.filter(commitment_id__in=ids, from_date__lte=today).order_by(
        "commitment_id", "from_date"
    )
    for row in rows:
        result[row.commitment_id] = (row.committed, row.verified_to_date)
    missing = [i for i in ids if i not in result]
    for commitment in Commitment.objects.filter(pk__in=missing).prefetch_related("years"):
        committed = sum((y.quantity for y in commitment.years.all()), Decimal(0))
        result[commitment.pk] = (committed, Decimal(0))
    return result


#: Beside a kept rates or criteria file, the rows its background job read from it.
LOADED_ROWS = "rows.json"


def loaded_rows(path_text: str, *, purpose: str) -> list[dict[str, Any]] | None:
    """The rows a background job read from the file kept at ``path_text`` for ``purpose``, as
    the confirm page shows them; None if the file is gone or was not read."""
    path = kept_upload(path_text, purpose=purpose)
    rows = path.parent / LOADED_ROWS if path else None
    if rows is None or not rows.is_file():
        return None
    loaded: list[dict[str, Any]] = json.loads(rows.read_text())
    return loaded
