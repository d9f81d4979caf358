"""Builders for a council's published measure set and a procurement ready to issue."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from commonweal.accounts.models import Organisation, User
from commonweal.commissioning import services
from commonweal.commissioning.models import Procurement
from commonweal.frameworks.models import LocalMeasureSetVersion, Measure
from tests.factories import MeasureFactory, OutcomeFactory, ProxyValueFactory, published_set

# code, title, unit, value type, £ per unit, tags, light set
MEASURES = [
    (
        "LE1",
        "Local people employed on the contract",
        "FTE",
        "monetised",
        "30000",
        ["local-employment", "employment-and-skills"],
        False,
    ),
    (
        "AP1",
        "Apprenticeship weeks for local people",
        "weeks",
        "monetised",
        "250",
        ["apprenticeships", "employment-and-skills"],
        True,
    ),
    (
        "VO1",
        "Staff volunteering hours in the borough",
        "hours",
        "monetised",
        "16.93",
        ["volunteering-hours"],
        True,
    ),
    (
        "SC1",
        "Spend with local suppliers",
        "£",
        "monetised",
        "1",
        ["local-supply-chain-spend"],
        False,
    ),
    ("CO1", "Carbon emissions saved", "tCO2e", "record_only", None, ["environment"], False),
    (
        "TR1",
        "Training hours for young people",
        "hours",
        "monetised",
        "20",
        ["training-hours", "employment-and-skills"],
        True,
    ),
    ("GR1", "Green spaces improved with community groups", "hours", "monetised", "10", [], False),
]


def published_measure_set(council: Organisation, *, year: int = 2026) -> LocalMeasureSetVersion:
    outcome = OutcomeFactory(
        theme__version__framework__owner=council,
        theme__version__framework__slug="local",
        theme__version__framework__name="Rotherham measures",
        theme__version__framework__publisher=council.name,
        theme__version__year=year,
        theme__version__in_force_from=date(year, 1, 1),
        theme__code="JOBS",
        theme__name="Jobs and skills",
        code="J1",
        name="More local people in work",
    )
    measures = []
    for position, (code, title, unit, kind, proxy, tags, light) in enumerate(MEASURES):
        measure = MeasureFactory(
            outcome=outcome,
            code=code,
            title=title,
            unit=unit,
            value_type=kind,
            tags=tags,
            light_set=light,
            position=position,
            evidence_expected="Payroll extract" if code == "LE1" else "",
        )
        if proxy is not None:
            ProxyValueFactory(measure=measure, amount_per_unit=Decimal(proxy))
        measures.append(measure)
    return published_set(
        council,
        measures,
        measure_set__name="Rotherham social value measures",
        in_force_from=date(2025, 1, 1),
    )


def measure(code: str) -> Measure:
    return Measure.objects.get(code=code)


def planned_procurement(
    council: Organisation,
    by: User,
    *,
    value_pence: int = 50_000_000,
    codes: tuple[str, ...] = ("LE1", "AP1", "VO1"),
    questions: int = 1,
    set_version: LocalMeasureSetVersion | None = None,
    **weighting: object,
) -> Procurement:
    """A procurement with every section completed, ready for its tender to be issued."""
    set_version = set_version or published_measure_set(council)
    procurement = services.procurement_create(
        council=council,
        by=by,
        title="School meals for Rotherham",
        category="services",
        cpv_code="55520000-1",
        estimated_value_pence=value_pence,
        duration_months=24,
        directorate="Children and Young People's Services",
        commissioner=by,
        route="open",
    )
    services.procurement_record_consideration(
        procurement=procurement,
        by=by,
        wellbeing_improvements="Local jobs and healthy food",
        consulted=True,
        consultation_details="Parents' forum",
        local_priorities="apprenticeships",
        decision="Ask for local jobs and apprenticeships",
        completed=True,
    )
    services.procurement_choose_measures(
        procurement=procurement,
        by=by,
        set_version=set_version,
        measures=[measure(code) for code in codes],
        completed=True,
    )
    services.procurement_set_weighting(procurement=procurement, by=by, completed=True, **weighting)
    for number in range(questions):
        services.question_add(
            procurement=procurement,
            by=by,
            text=f"How will you deliver your offer? ({number + 1})",
            guidance="Named programmes and partners",
            word_limit=500,
        )
    services.procurement_complete_questions(procurement=procurement, by=by, completed=questions > 0)
    procurement.refresh_from_db()
    return procurement
