"""Exports re-import to an identical version, and never leak restricted values to the public."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from openpyxl import load_workbook

from commonweal.frameworks.exporting import export_filename, export_version
from commonweal.frameworks.importing import IMPORT_FIELDS
from commonweal.frameworks.models import FrameworkVersion, Measure, ProxyValue
from tests.frameworks.sample_frameworks import (
    RESTRICTED_AMOUNT,
    RESTRICTED_SOURCE,
    import_sample,
    import_table,
    table_of,
)

MEASURE_FIELDS = (
    "code",
    "title",
    "description",
    "unit",
    "value_type",
    "evidence_expected",
    "counting_notes",
    "tags",
    "light_set",
    "ppn002_outcomes",
    "cwb_pillars",
    "eflg_modules",
    "position",
)
PROXY_FIELDS = (
    "amount_per_unit",
    "price_year",
    "source_title",
    "source_url",
    "licence",
    "confidence",
    "notes",
)


def _snapshot(version: FrameworkVersion) -> list[dict[str, object]]:
    """Every field of every measure and its proxy, with its theme and outcome."""
    snapshot = []
    for measure in version.measures.select_related("outcome__theme").order_by("position"):
        row: dict[str, object] = {name: getattr(measure, name) for name in MEASURE_FIELDS}
        row["outcome"] = (measure.outcome.code, measure.outcome.name, measure.outcome.position)
        theme = measure.outcome.theme
        row["theme"] = (theme.code, theme.name, theme.position)
        try:
            proxy = measure.proxy
            row["proxy"] = {name: getattr(proxy, name) for name in PROXY_FIELDS}
        except ProxyValue.DoesNotExist:
            row["proxy"] = None
        snapshot.append(row)
    return snapshot


def _xlsx_text(data: bytes) -> str:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    cells = [
        str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    ]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        raw = "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    return "\n".join(cells) + raw


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_an_export_reimports_to_an_identical_version(world, fmt):
    original = import_sample(world.council)

    data = export_version(original, fmt=fmt, audience="owner")
    copy = import_table(
        table_of(data, export_filename(original, fmt)), owner=world.council, slug="copy"
    )

    assert _snapshot(copy) == _snapshot(original)
    assert Measure.objects.filter(version=copy).count() == 3


def test_the_csv_has_one_column_per_import_field_in_order(world):
    version = import_sample(world.council)

    data = export_version(version, fmt="csv", audience="owner")

    assert data.startswith(b"\xef\xbb\xbf")
    header = data.decode("utf-8-sig").splitlines()[0].split(",")
    assert header == [import_field.label for import_field in IMPORT_FIELDS]


def test_the_json_export_says_which_framework_and_version_it_is(world):
    version = import_sample(world.council)

    document = json.loads(export_version(version, fmt="json", audience="owner"))

    assert document["framework"]["slug"] == "test-framework"
    assert document["version"]["year"] == 2025
    assert document["version"]["price_base_year"] == 2020
    assert document["measures"][0]["proxy_amount"] == "245.00"


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_restricted_values_are_absent_from_public_text_exports(world, fmt):
    version = import_sample(world.council, restricted=True)

    data = export_version(version, fmt=fmt, audience="public")

    assert b"123.4567" not in data
    assert RESTRICTED_AMOUNT.encode() not in data
    assert RESTRICTED_SOURCE.encode() not in data
    assert b"licensed.example" not in data
    assert b"Licensed to this council only" not in data
    assert b"T-ENV-01" in data


def test_restricted_values_are_absent_from_public_workbooks(world):
    version = import_sample(world.council, restricted=True)

    text = _xlsx_text(export_version(version, fmt="xlsx", audience="public"))

    assert "123.4567" not in text
    assert RESTRICTED_SOURCE not in text
    assert "licensed.example" not in text
    assert "T-ENV-01" in text


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_the_owner_export_keeps_restricted_values(world, fmt):
    version = import_sample(world.council, restricted=True)

    data = export_version(version, fmt=fmt, audience="owner")

    assert b"123.4567" in data
    assert RESTRICTED_SOURCE.encode() in data


def test_unrestricted_values_appear_in_public_exports(world):
    version = import_sample(world.council)

    data = export_version(version, fmt="csv", audience="public")

    assert b"245.00" in data


def test_the_file_name_is_the_short_name_and_year(world):
    version = import_sample(world.council)

    assert export_filename(version, "xlsx") == "test-framework-2025.xlsx"


def test_an_unknown_format_is_refused(world):
    version = import_sample(world.council)

    with pytest.raises(ValueError, match="pdf"):
        export_version(version, fmt="pdf", audience="owner")  # type: ignore[arg-type]
