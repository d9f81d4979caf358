"""Demo measures for the demo council: its local measures and a published local measure set.

The shipped frameworks (Commonweal open measure set, PPN 002) must be loaded first. The staff
time rates are illustrative demo figures, labelled as such wherever they appear.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from commonweal.accounts.models import Organisation
from commonweal.frameworks import local_sets, services
from commonweal.frameworks.content import load_shipped_frameworks
from commonweal.frameworks.models import LocalMeasureSet, LocalMeasureSetVersion, Measure
from commonweal.valuation import tags

DEMO_SET_NAME = "Rotherham Social Value Measures"
DEMO_RATE_SOURCE = "Rotherham MBC demo rate (illustrative demo data)"
DEMO_RATE_LICENCE = "Demo data"
DEMO_YEAR = 2025

# (code, title, unit, value type, £ per unit or None, tags, evidence, in version 1)
LOCAL_MEASURES: list[tuple[str, str, str, str, str | None, list[str], str, bool]] = [
    (
        "RMBC-01",
        "Staff volunteering hours in Rotherham, valued at the council's rate",
        "hours",
        "monetised",
        "17.50",
        [tags.VOLUNTEERING_HOURS],
        "Timesheets naming the Rotherham organisation helped and the hours given.",
        True,
    ),
    (
        "RMBC-02",
        "Expert hours given to Rotherham voluntary and community groups",
        "hours",
        "monetised",
        "105.00",
        [],
        "A letter from each group helped confirming the advice given and the hours.",
        True,
    ),
    (
        "RMBC-03",
        "Rotherham care leavers given work experience or jobs",
        "people",
        "record_only",
        None,
        [tags.DISADVANTAGED, tags.EMPLOYMENT_AND_SKILLS],
        "Referral records from the council's leaving care service.",
        True,
    ),
    (
        "RMBC-04",
        "Support for Rotherham food banks and community pantries",
        "£",
        "record_only",
        None,
        [],
        "Receipts or letters from the food banks supported.",
        False,
    ),
    (
        "RMBC-05",
        "How the supplier will support the Rotherham Together Partnership's plan",
        "qualitative",
        "qualitative",
        None,
        [],
        "A delivery plan agreed with the contract manager.",
        False,
    ),
]


def _local_measures(council: Organisation) -> dict[str, Measure]:
    measures = {}
    for code, title, unit, value_type, amount, measure_tags, evidence, _ in LOCAL_MEASURES:
        proxy = (
            local_sets.LocalProxy(
                amount_per_unit=Decimal(amount),
                price_year=DEMO_YEAR,
                source_title=DEMO_RATE_SOURCE,
                licence=DEMO_RATE_LICENCE,
                confidence="low",
            )
            if amount is not None
            else None
        )
        measures[code] = local_sets.local_measure_add(
            council=council,
            code=code,
            title=title,
            unit=unit,
            value_type=value_type,
            evidence_expected=evidence,
            tags=measure_tags,
            proxy=proxy,
            year=DEMO_YEAR,
            by=None,
        )
    return measures


def seed_demo_data(council: Organisation) -> LocalMeasureSet:
    """Rotherham's local measures and its published measure set, in two versions."""
    shipped = load_shipped_frameworks()
    local = _local_measures(council)
    local_version = next(iter(local.values())).version
    services.framework_version_publish(version=local_version, by=None)

    shipped_measures = list(
        Measure.objects.filter(version__in=[s.version for s in shipped]).order_by(
            "version__framework__name", "position"
        )
    )
    measure_set = local_sets.measure_set_create(
        owner=council,
        name=DEMO_SET_NAME,
        description="The measures Rotherham asks suppliers about on contracts of £100,000 and "
        "over (demo data).",
        by=None,
    )
    first: LocalMeasureSetVersion = measure_set.versions.get()
    in_first = [code for code, *_, in_v1 in LOCAL_MEASURES if in_v1]
    for measure in [*shipped_measures, *(local[code] for code in in_first)]:
        local_sets.set_item_add(set_version=first, measure=measure, by=None)
    local_sets.set_version_publish(set_version=first, in_force_from=date(2025, 4, 1), by=None)

    second = local_sets.set_version_create_draft(measure_set=measure_set, by=None)
    for code, *_, in_v1 in LOCAL_MEASURES:
        if not in_v1:
            local_sets.set_item_add(set_version=second, measure=local[code], by=None)
    local_sets.set_version_publish(set_version=second, in_force_from=date(2026, 4, 1), by=None)
    return measure_set
