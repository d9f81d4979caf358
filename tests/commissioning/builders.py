"""Builders for a council's published measure set and a procurement ready to issue."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from commonweal.accounts.models import Organisation, User
from commonweal.commissioning import services
from commonweal.commissioning.models import Procurement
from commonweal.frameworks.models import (
    Framework,
    FrameworkVersion,
    LocalMeasureSet,
    LocalMeasureSetItem,
    LocalMeasureSetVersion,
    Measure,
    Outcome,
    ProxyValue,
    Theme,
    VersionStatus,
)

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
    framework = Framework.objects.create(
        owner=council,
        slug="local",
        name="Rotherham measures",
        publisher=council.name,
        licence="OGL v3.0",
    )
    version = FrameworkVersion.objects.create(
        framework=framework,
        year=year,
        in_force_from=date(year, 1, 1),
        price_base_year=year,
        status=VersionStatus.PUBLISHED,
    )
    theme = Theme.objects.create(version=version, code="JOBS", name="Jobs and skills")
    outcome = Outcome.objects.create(theme=theme, code="J1", name="More local people in work")
    measure_set = LocalMeasureSet.objects.create(
        owner=council, name="Rotherham social value measures"
    )
    set_version = LocalMeasureSetVersion.objects.create(
        measure_set=measure_set,
        number=1,
        status=VersionStatus.PUBLISHED,
        in_force_from=date(2025, 1, 1),
    )
    for position, (code, title, unit, kind, proxy, tags, light) in enumerate(MEASURES):
        measure = Measure.objects.create(
            version=version,
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
            ProxyValue.objects.create(
                measure=measure,
                amount_per_unit=Decimal(proxy),
                price_year=year,
                source_title="Test proxy values",
                licence="OGL v3.0",
            )
        LocalMeasureSetItem.objects.create(
            set_version=set_version, measure=measure, position=position
        )
    return set_version


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
