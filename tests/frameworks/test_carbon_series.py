"""A council's own carbon values: loading a series (every refusal names its row, column and
value; nothing is half-written; audited), and choosing it, or a DESNZ path, for a draft
measure set version (a published version keeps its choice)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from commonweal.frameworks import local_sets
from commonweal.frameworks.engine_inputs import carbon_by_delivery_year, carbon_for_contract
from commonweal.frameworks.importing import FrameworkImportError, ImportProblem
from commonweal.frameworks.models import (
    CarbonPoint,
    CarbonSeries,
    LocalMeasureSetVersion,
)
from commonweal.frameworks.services import carbon_series_import
from commonweal.valuation import CarbonPath
from commonweal.valuation.official_series import carbon_values
from tests.frameworks.measures_world import MeasuresWorld, build_measures_world
from tests.frameworks.sample_frameworks import csv_bytes, table_of

pytestmark = pytest.mark.django_db

SOURCE = "Rotherham MBC Climate Emergency Action Plan, annex B"


@pytest.fixture
def measures(world) -> MeasuresWorld:
    return build_measures_world(world.council)


def load(owner, rows: list[dict[str, str]], **overrides):
    details = {
        "name": "Rotherham carbon values 2026",
        "slug": "rotherham-carbon",
        "price_year": 2024,
        "source_title": SOURCE,
        "licence": "Open Government Licence v3.0",
        "by": None,
        **overrides,
    }
    return carbon_series_import(
        owner=owner, table=table_of(csv_bytes(rows), "carbon.csv"), **details
    )


def make_series(owner, slug: str = "ours", name: str = "Our carbon values") -> CarbonSeries:
    return load(owner, [{"Year": "2025", "Value": "300"}], slug=slug, name=name)


# --- Loading ---------------------------------------------------------------------------------


def test_a_carbon_series_is_loaded_with_its_price_year_source_and_licence(world, council_admin):
    series = load(
        world.council,
        [{"Year": "2026", "Value": "£310.50"}, {"Year": "2025", "Value": "300"}],
        by=council_admin,
    )

    assert (series.owner, series.price_year, series.source_title) == (
        world.council,
        2024,
        SOURCE,
    )
    assert list(series.points.values_list("year", "value")) == [
        (2025, Decimal("300.00")),
        (2026, Decimal("310.50")),
    ]
    entry = LogEntry.objects.get_for_model(CarbonSeries).get(object_pk=str(series.pk))
    assert entry.actor == council_admin
    assert entry.additional_data["organisation_id"] == world.council.pk
    assert LogEntry.objects.get_for_model(CarbonPoint).count() == 2


def test_every_bad_row_is_named_by_row_column_and_value_and_nothing_is_written(world):
    rows = [
        {"Year": "2025", "Value": "300"},
        {"Year": "2025", "Value": "301"},
        {"Year": "twenty", "Value": "0"},
        {"Year": "2027", "Value": "-5"},
        {"Year": "2028", "Value": "12.345"},
        {"Year": "2029", "Value": "lots"},
    ]

    with pytest.raises(FrameworkImportError) as raised:
        load(world.council, rows)

    problems = raised.value.problems
    assert ImportProblem(3, "Year", "2025 is already given on row 2") in problems
    assert (
        ImportProblem(4, "Year", "'twenty' is not a year between 1900 and 2100, like 2024")
        in problems
    )
    assert ImportProblem(4, "Value", "a carbon value must be above £0 per tCO2e") in problems
    assert ImportProblem(5, "Value", "'-5' must be at least 0") in problems
    assert ImportProblem(6, "Value", "'12.345' has more than 2 decimal places") in problems
    assert ImportProblem(7, "Value", "'lots' is not a number") in problems
    assert not CarbonSeries.objects.exists()
    assert not CarbonPoint.objects.exists()


def test_a_missing_column_names_the_file_and_the_column(world):
    with pytest.raises(FrameworkImportError) as raised:
        load(world.council, [{"Year": "2025", "£ per tonne": "300"}])
    assert raised.value.problems == [
        ImportProblem(
            None,
            "value",
            "carbon.csv has no column with this heading; the value column is required",
        )
    ]


def test_a_series_without_its_source_or_licence_is_refused_never_loaded(world):
    for missing in ({"source_title": " "}, {"licence": ""}):
        with pytest.raises(FrameworkImportError) as raised:
            load(world.council, [{"Year": "2025", "Value": "300"}], **missing)
        assert "A carbon series needs its source and its licence" in str(raised.value)
    assert not CarbonSeries.objects.exists()


def test_a_price_year_out_of_range_and_a_slug_in_use_are_refused(world):
    make_series(world.council, slug="rotherham-carbon")
    with pytest.raises(FrameworkImportError) as raised:
        load(world.council, [{"Year": "2025", "Value": "300"}], price_year=24)
    message = str(raised.value)
    assert "The price year 24 is not a year between 1900 and 2100, like 2024" in message
    assert "A carbon series 'rotherham-carbon' already exists" in message
    assert CarbonSeries.objects.count() == 1


def test_another_council_may_use_the_same_slug(world):
    make_series(world.council, slug="carbon")
    make_series(world.other_council, slug="carbon")
    assert CarbonSeries.objects.filter(slug="carbon").count() == 2


def test_the_database_refuses_a_value_of_nothing_and_a_series_without_a_source(world):
    series = make_series(world.council)
    with pytest.raises(IntegrityError), transaction.atomic():
        CarbonPoint.objects.create(series=series, year=2030, value=Decimal(0))
    with pytest.raises(IntegrityError), transaction.atomic():
        CarbonSeries.objects.create(
            owner=world.council, slug="x", name="x", price_year=2024, source_title="", licence="L"
        )


# --- Choosing the carbon values of a draft version ---------------------------------------------


def test_a_draft_version_chooses_its_council_series_on_the_audit_trail(
    measures, council_admin, world
):
    draft = local_sets.set_version_create_draft(measure_set=measures.measure_set, by=council_admin)
    series = make_series(world.council)

    local_sets.set_version_carbon_choose(
        set_version=draft, carbon_series=series, path="central", by=council_admin
    )

    draft.refresh_from_db()
    assert (draft.carbon_series, draft.carbon_path) == (series, "central")
    entry = (
        LogEntry.objects.get_for_model(LocalMeasureSetVersion)
        .filter(action=1, object_pk=str(draft.pk))
        .get()
    )
    assert entry.actor == council_admin
    assert entry.changes_dict["carbon_series"][1] == str(series.pk)


def test_a_draft_version_chooses_the_desnz_high_path(measures, council_admin):
    draft = local_sets.set_version_create_draft(measure_set=measures.measure_set, by=council_admin)
    local_sets.set_version_carbon_choose(
        set_version=draft, carbon_series=None, path="high", by=council_admin
    )
    draft.refresh_from_db()
    assert (draft.carbon_series, draft.carbon_path) == (None, "high")
    rule = carbon_for_contract(draft, 2026)
    assert (rule.series, rule.path) == (carbon_values(), CarbonPath.HIGH)


def test_a_council_series_with_a_low_or_high_path_is_refused_saying_why(
    measures, council_admin, world
):
    draft = local_sets.set_version_create_draft(measure_set=measures.measure_set, by=council_admin)
    series = make_series(world.council)
    with pytest.raises(ValidationError) as raised:
        local_sets.set_version_carbon_choose(
            set_version=draft, carbon_series=series, path="low", by=council_admin
        )
    assert raised.value.message_dict["carbon_path"] == [
        "Our carbon values gives one value a year, so it has no low path. Choose the central "
        "path, or the DESNZ series for its low path"
    ]
    draft.refresh_from_db()
    assert (draft.carbon_series, draft.carbon_path) == (None, "central")


def test_a_version_cannot_use_another_councils_carbon_series(measures, council_admin, world):
    draft = local_sets.set_version_create_draft(measure_set=measures.measure_set, by=council_admin)
    theirs = make_series(world.other_council, name="Sheffield carbon values")
    with pytest.raises(ValidationError, match="cannot use the carbon series Sheffield"):
        local_sets.set_version_carbon_choose(
            set_version=draft, carbon_series=theirs, path="central", by=council_admin
        )
    draft.refresh_from_db()
    assert draft.carbon_series is None


def test_a_published_version_keeps_its_carbon_values(measures, council_admin, world):
    series = make_series(world.council)
    with pytest.raises(ValidationError, match="published and cannot change"):
        local_sets.set_version_carbon_choose(
            set_version=measures.set_version, carbon_series=series, path="central", by=None
        )
    measures.set_version.refresh_from_db()
    assert measures.set_version.carbon_series is None


def test_the_next_draft_keeps_the_carbon_values_of_the_version_before(
    measures, council_admin, world
):
    series = make_series(world.council)
    LocalMeasureSetVersion.objects.filter(pk=measures.set_version.pk).update(carbon_series=series)
    draft = local_sets.set_version_create_draft(measure_set=measures.measure_set, by=council_admin)
    assert draft.carbon_series == series


def test_a_series_in_use_cannot_be_deleted(measures, world):
    series = make_series(world.council)
    LocalMeasureSetVersion.objects.filter(pk=measures.set_version.pk).update(carbon_series=series)
    with pytest.raises(ProtectedError):
        series.delete()


def test_the_engine_inputs_value_with_the_versions_choice(measures, world):
    version = measures.set_version
    assert carbon_by_delivery_year(2025, "basis", version).series == carbon_values()
    series = make_series(world.council)
    version.carbon_series = series
    rule = carbon_by_delivery_year(2025, "basis", version)
    assert rule.series.name == "Our carbon values"
    assert rule.series.value_for(2025) == Decimal("300.00")
    assert rule.recognised_by == carbon_values()


def test_a_series_in_prices_the_deflator_cannot_re_base_is_refused_at_choice_and_publish(
    measures, council_admin, world
):
    # The shipped GDP deflator ends in 2024: values in 2026 prices could never be re-based.
    series = load(world.council, [{"Year": "2027", "Value": "300"}], price_year=2026, slug="later")
    draft = local_sets.set_version_create_draft(measure_set=measures.measure_set, by=council_admin)
    with pytest.raises(ValidationError) as raised:
        local_sets.set_version_carbon_choose(
            set_version=draft, carbon_series=series, path="central", by=council_admin
        )
    assert raised.value.message_dict["carbon_series"][0].startswith(
        "Rotherham carbon values 2026 is in 2026 prices, but the version's deflator (HM Treasury"
    )
    assert raised.value.message_dict["carbon_series"][0].endswith(
        "has no index for 2026, so its values could not be re-based. Choose a deflator series "
        "that covers 2026 first"
    )
    LocalMeasureSetVersion.objects.filter(pk=draft.pk).update(carbon_series=series)
    draft.refresh_from_db()
    with pytest.raises(ValidationError, match="has no index for 2026"):
        local_sets.set_version_publish(
            set_version=draft, in_force_from=date(2026, 4, 1), by=council_admin
        )
