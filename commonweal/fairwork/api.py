"""JSON API for fair work and equality: Real Living Wage rates (and the rate in force on a
day), accreditations (the council's own and its suppliers'), compliance findings and the EFLG
self-assessment. The same access rules as the pages: a council's members read its own records;
anyone else gets a 404. Figures about people with a protected characteristic are withheld below
the council's small number, as on every page."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from commonweal.accounts.selectors import living_wage_index
from commonweal.fairwork import selectors
from commonweal.fairwork.access import council_access
from commonweal.fairwork.models import EflgEvidence, WageFinding
from commonweal.valuation.fair_work import Area

router = Router()


class RateOut(Schema):
    label: str
    year: int
    uk_rate: Decimal | None
    london_rate: Decimal | None
    announced: str
    pay_by: date | None
    pay_by_basis: str
    national_living_wage_on_pay_by: Decimal | None
    added_by_council: bool
    sources: list[str]
    note: str


class InForceOut(Schema):
    day: date
    area: str
    rate: Decimal | None
    """What an accredited employer had to pay per hour; null when no rate is known."""
    rate_label: str | None
    due_from: date | None
    announced_label: str | None
    """A newer rate announced but still inside its six-month grace window."""
    announced_rate: Decimal | None
    announced_due_from: date | None
    explanation: str


class InForceQuery(Schema):
    on: date | None = None
    """The day (default today)."""
    area: str = "uk"
    """uk (outside London) or london."""


@router.get(
    "/rates", response=list[RateOut], summary="Real Living Wage rates by year, newest first"
)
def rate_list(request: HttpRequest) -> list[RateOut]:
    access = council_access(request)
    return [
        RateOut(
            label=row.rate.label,
            year=row.rate.year,
            uk_rate=row.rate.uk_rate,
            london_rate=row.rate.london_rate,
            announced=row.announced_text,
            pay_by=row.rate.pay_by,
            pay_by_basis=row.pay_by_basis,
            national_living_wage_on_pay_by=(
                row.national_living_wage.rate if row.national_living_wage else None
            ),
            added_by_council=row.added is not None,
            sources=list(row.rate.sources),
            note=row.rate.note,
        )
        for row in selectors.rate_rows(access.council)
    ]


@router.get(
    "/rates/in-force",
    response=InForceOut,
    summary="The Real Living Wage an accredited employer had to pay on a day, by pay-by date",
)
def rate_in_force(request: HttpRequest, filters: Query[InForceQuery]) -> InForceOut:
    access = council_access(request)
    if filters.area not in {a.value for a in Area}:
        raise HttpError(422, "area must be uk or london")
    day = filters.on or timezone.localdate()
    found = selectors.living_wage_schedule(access.council).in_force_on(day, Area(filters.area))
    announced = found.announced
    return InForceOut(
        day=day,
        area=filters.area,
        rate=found.amount,
        rate_label=found.rate.label if found.rate else None,
        due_from=found.rate.pay_by if found.rate else None,
        announced_label=announced.label if announced else None,
        announced_rate=announced.rate_for(Area(filters.area)) if announced else None,
        announced_due_from=announced.pay_by if announced else None,
        explanation=found.reason,
    )


class StepOut(Schema):
    description: str
    owner: str
    due_on: date
    status: str
    done_on: date | None


class EventOut(Schema):
    status: str
    happened_on: date
    note: str


class CouncilAccreditationOut(Schema):
    status: str
    since: date | None
    accredited_on: date | None
    renewal_due_on: date | None
    scope: str
    steps_total: int
    steps_done: int
    steps_overdue: int
    journey: list[EventOut]
    plan: list[StepOut]


class SupplierAccreditationOut(Schema):
    supplier_id: int
    supplier: str
    accredited: bool
    basis: str
    accredited_since: date
    checked_on: date | None
    ended_on: date | None
    recorded_by_council: bool
    contracts: int
    contract_value_pence: int


class AccreditationsOut(Schema):
    council: CouncilAccreditationOut
    suppliers: list[SupplierAccreditationOut]


@router.get(
    "/accreditations",
    response=AccreditationsOut,
    summary="The council's own Real Living Wage accreditation journey, and its suppliers'",
)
def accreditations(request: HttpRequest) -> AccreditationsOut:
    access = council_access(request)
    council = access.council
    today = timezone.localdate()
    progress = selectors.accreditation_progress(council, today)
    rows = selectors.council_suppliers(council, living_wage_index(council, today))
    return AccreditationsOut(
        council=CouncilAccreditationOut(
            status=progress.status,
            since=progress.since,
            accredited_on=progress.accredited_on,
            renewal_due_on=progress.renewal_due_on,
            scope=progress.scope,
            steps_total=progress.steps_total,
            steps_done=progress.steps_done,
            steps_overdue=progress.steps_overdue,
            journey=[
                EventOut(status=e.status, happened_on=e.happened_on, note=e.note)
                for e in selectors.accreditation_events(council)
            ],
            plan=[
                StepOut(
                    description=s.description,
                    owner=s.owner,
                    due_on=s.due_on,
                    status=s.status,
                    done_on=s.done_on,
                )
                for s in selectors.plan_steps(council)
            ],
        ),
        suppliers=[
            SupplierAccreditationOut(
                supplier_id=r.supplier.pk,
                supplier=r.supplier.name,
                accredited=r.status.accredited,
                basis="verified" if r.status.verified else "self_declared",
                accredited_since=r.status.accredited_since,
                checked_on=r.status.checked_on,
                ended_on=r.status.ended_on,
                recorded_by_council=r.status.recorded_by_viewer,
                contracts=r.contracts,
                contract_value_pence=r.contract_value_pence,
            )
            for r in rows
            if r.status is not None
        ],
    )


class FindingOut(Schema):
    id: int
    contract_id: int
    contract_reference: str = Field(alias="contract.reference")
    supplier: str = Field(alias="contract.supplier.name")
    return_reference: str = Field(alias="supplier_return.reference")
    period: str = Field(alias="supplier_return.period.label")
    checked_on: date = Field(alias="day")
    area: str
    paid: Decimal
    required: Decimal
    rate_label: str
    due_from: date
    rule: str = Field(alias="rule_code")
    message: str
    status: str
    action: str
    action_owner: str
    action_due_on: date
    action_status: str
    resolution: str


@router.get(
    "/findings",
    response=list[FindingOut],
    summary="Returns that paid below the Real Living Wage in force, with recovery actions",
)
@paginate(LimitOffsetPagination)
def finding_list(request: HttpRequest, status: str = "") -> QuerySet[WageFinding]:
    """Newest first, a page at a time (limit and offset), like every list in the API."""
    access = council_access(request)
    return selectors.wage_findings(access.council, status=status)


class EvidenceOut(Schema):
    kind: str
    description: str
    commitment_id: int | None
    figure_label: str | None
    figure: str | None
    """As shown on the pages: a count of people with a protected characteristic below the
    council's small number reads "fewer than N"."""
    withheld: bool
    url: str
    linked_record: str
    """A record elsewhere in Commonweal (a charter pledge), as it read when linked."""
    linked_address: str
    document: str


class CriterionOut(Schema):
    id: int
    reference: str
    criterion: str
    level: str | None
    owner: str
    assessed_on: date | None
    narrative: str
    evidence: list[EvidenceOut]


class ModuleOut(Schema):
    key: str
    number: int
    name: str
    level: str | None
    explanation: str
    level_a_year_ago: str | None
    criteria: list[CriterionOut]


class SelfAssessmentOut(Schema):
    as_of: date
    small_number: int
    rule: str
    modules: list[ModuleOut]


@router.get(
    "/equality",
    response=SelfAssessmentOut,
    summary="The Equality Framework self-assessment: modules, levels, criteria and evidence",
)
def self_assessment(request: HttpRequest) -> SelfAssessmentOut:
    access = council_access(request)
    council = access.council
    today = timezone.localdate()
    suppression = selectors.suppression_for(council)
    modules = selectors.module_summaries(council, today)
    current_ids = [r.current.pk for m in modules for r in m.rows if r.current]
    evidence = list(
        EflgEvidence.objects.filter(assessment_id__in=current_ids).select_related(
            "commitment__measure"
        )
    )
    figures = selectors.delivery_figures_for(
        [e.commitment_id for e in evidence if e.commitment_id], today
    )
    by_assessment: dict[int, list[EvidenceOut]] = {}
    for item in evidence:
        figure = selectors.evidence_figure(item, suppression, figures)
        by_assessment.setdefault(item.assessment_id, []).append(
            EvidenceOut(
                kind=item.kind,
                description=item.description,
                commitment_id=item.commitment_id,
                figure_label=figure.label if figure else None,
                figure=figure.text if figure else None,
                withheld=bool(figure and figure.shown and figure.shown.withheld),
                url=item.url,
                linked_record=item.linked_record,
                linked_address=item.linked_address,
                document=item.original_name,
            )
        )
    return SelfAssessmentOut(
        as_of=today,
        small_number=suppression.threshold,
        rule=selectors.MODULE_RULE.title,
        modules=[
            ModuleOut(
                key=m.key,
                number=m.number,
                name=m.name,
                level=m.now.level.value if m.now.level else None,
                explanation=m.now.explanation,
                level_a_year_ago=m.year_ago.level.value if m.year_ago.level else None,
                criteria=[
                    CriterionOut(
                        id=r.criterion.pk,
                        reference=r.criterion.reference,
                        criterion=r.criterion.text,
                        level=r.current.level if r.current else None,
                        owner=r.current.owner if r.current else "",
                        assessed_on=r.current.assessed_on if r.current else None,
                        narrative=r.current.narrative if r.current else "",
                        evidence=by_assessment.get(r.current.pk, []) if r.current else [],
                    )
                    for r in m.rows
                ],
            )
            for m in modules
        ],
    )
