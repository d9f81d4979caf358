"""Publishing, retiring and copying versions; importing deflators; provenance in the database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from commonweal.frameworks.importing import FrameworkImportError, ImportProblem
from commonweal.frameworks.models import (
    DeflatorPoint,
    DeflatorSeries,
    Measure,
    ProxyValue,
    VersionStatus,
)
from commonweal.frameworks.services import (
    deflator_series_import,
    framework_version_copy,
    framework_version_publish,
    framework_version_retire,
)
from tests.frameworks.sample_frameworks import csv_bytes, import_sample, table_of


def test_publishing_a_draft_records_when(world, council_admin):
    version = import_sample(world.council)

    framework_version_publish(version=version, by=council_admin)

    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED
    assert version.published_at is not None


def test_publishing_is_audited_in_the_name_of_the_person(world, council_admin):
    version = import_sample(world.council)

    framework_version_publish(version=version, by=council_admin)

    entry = LogEntry.objects.get_for_object(version).latest("timestamp")
    assert entry.actor == council_admin
    assert entry.additional_data == {"organisation_id": world.council.pk}


def test_publishing_is_refused_while_a_monetised_measure_has_no_value(world):
    version = import_sample(world.council)
    ProxyValue.objects.filter(measure__code="T-ENV-01", measure__version=version).delete()

    with pytest.raises(ValidationError) as raised:
        framework_version_publish(version=version, by=None)

    assert "T-ENV-01" in raised.value.messages[0]
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


def test_only_a_draft_can_be_published(world):
    version = import_sample(world.council)
    framework_version_publish(version=version, by=None)

    with pytest.raises(ValidationError, match="Only a draft"):
        framework_version_publish(version=version, by=None)


def test_retiring_a_version(world):
    version = import_sample(world.council)
    framework_version_publish(version=version, by=None)

    framework_version_retire(version=version, by=None)

    version.refresh_from_db()
    assert version.status == VersionStatus.RETIRED
    with pytest.raises(ValidationError, match="already retired"):
        framework_version_retire(version=version, by=None)


def test_copying_makes_a_draft_for_next_year_with_the_same_measures_and_values(world):
    version = import_sample(world.council)
    framework_version_publish(version=version, by=None)

    copy = framework_version_copy(
        version=version, year=2026, in_force_from=date(2026, 4, 1), by=None
    )

    assert copy.status == VersionStatus.DRAFT
    assert copy.framework == version.framework
    assert copy.price_base_year == version.price_base_year
    assert list(copy.measures.values_list("code", "unit", "value_type", "tags")) == list(
        version.measures.values_list("code", "unit", "value_type", "tags")
    )
    carbon = copy.measures.get(code="T-ENV-01")
    assert carbon.proxy.amount_per_unit == Decimal("245")
    assert carbon.outcome.theme.version == copy
    assert Measure.objects.filter(version=version).count() == 3


def test_copying_into_a_year_that_exists_is_refused(world):
    version = import_sample(world.council)

    with pytest.raises(ValidationError, match="already has a 2025 version"):
        framework_version_copy(version=version, year=2025, in_force_from=date(2025, 4, 1), by=None)


def test_a_proxy_value_without_a_source_cannot_be_saved(world):
    version = import_sample(world.council)
    measure = version.measures.get(code="T-JOBS-02")

    with pytest.raises(IntegrityError), transaction.atomic():
        ProxyValue.objects.create(
            measure=measure,
            amount_per_unit=Decimal("1"),
            price_year=2024,
            source_title="",
            licence="OGL",
        )


def test_a_proxy_value_without_a_licence_cannot_be_saved(world):
    version = import_sample(world.council)
    measure = version.measures.get(code="T-JOBS-02")

    with pytest.raises(IntegrityError), transaction.atomic():
        ProxyValue.objects.create(
            measure=measure,
            amount_per_unit=Decimal("1"),
            price_year=2024,
            source_title="Somewhere",
            licence="",
        )


def _deflator_table(rows: list[dict[str, str]]):
    return table_of(csv_bytes(rows), "deflators.csv")


def test_a_deflator_series_is_imported_from_years_and_indices(world, council_admin):
    table = _deflator_table(
        [{"Year": "2020", "Index": "100"}, {"Year": "2021", "Index": "101.234567"}]
    )

    series = deflator_series_import(
        owner=world.council,
        table=table,
        name="GDP deflator",
        slug="gdp-deflator",
        source_title="Council's copy of the GDP deflators",
        licence="Open Government Licence v3.0",
        by=council_admin,
    )

    assert list(series.points.values_list("year", "index")) == [
        (2020, Decimal("100")),
        (2021, Decimal("101.234567")),
    ]


def test_a_deflator_import_names_every_bad_row_and_writes_nothing(world):
    table = _deflator_table(
        [
            {"Year": "2020", "Index": "100"},
            {"Year": "2020", "Index": "101"},
            {"Year": "twenty", "Index": "0"},
        ]
    )

    with pytest.raises(FrameworkImportError) as raised:
        deflator_series_import(
            owner=world.council,
            table=table,
            name="GDP deflator",
            slug="gdp-deflator",
            source_title="Somewhere",
            licence="OGL",
            by=None,
        )

    problems = raised.value.problems
    assert ImportProblem(3, "Year", "2020 is already given on row 2") in problems
    assert {(p.row, p.column) for p in problems} == {(3, "Year"), (4, "Year"), (4, "Index")}
    assert not DeflatorSeries.objects.exists()
    assert not DeflatorPoint.objects.exists()


def test_a_deflator_import_may_map_other_headings(world):
    table = _deflator_table([{"Calendar year": "2022", "GDP deflator": "95.5"}])

    series = deflator_series_import(
        owner=world.council,
        table=table,
        mapping={"year": "Calendar year", "index": "GDP deflator"},
        name="GDP deflator",
        slug="gdp",
        source_title="Somewhere",
        licence="OGL",
        by=None,
    )

    assert series.points.get().index == Decimal("95.5")
