"""Importing a framework: every problem named by row and column, and nothing half-written."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from commonweal.frameworks.importing import (
    FrameworkImportError,
    ImportProblem,
    read_table,
    suggest_mapping,
)
from commonweal.frameworks.models import (
    Framework,
    FrameworkVersion,
    Measure,
    Outcome,
    ProxyValue,
    Theme,
    VersionStatus,
)
from tests.frameworks.sample_frameworks import (
    CARBON_SOURCE,
    csv_bytes,
    import_sample,
    import_table,
    json_bytes,
    mapping_for,
    sample_rows,
    table_of,
    xlsx_bytes,
)

MODELS = (Framework, FrameworkVersion, Theme, Outcome, Measure, ProxyValue)
BUILDERS = {"csv": csv_bytes, "xlsx": xlsx_bytes}


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def _problems_of(fmt: str, rows: list[dict[str, str]], headers: list[str] | None = None):
    table = table_of(BUILDERS[fmt](rows, headers), f"measures.{fmt}")
    with pytest.raises(FrameworkImportError) as raised:
        import_table(table, owner=None)
    return raised.value.problems


def test_it_imports_a_csv_as_a_draft_with_themes_outcomes_measures_and_proxies(world):
    version = import_sample(world.council)

    assert version.status == VersionStatus.DRAFT
    assert version.framework.owner == world.council
    assert [theme.code for theme in version.themes.all()] == ["ENV", "JOBS"]
    assert [m.code for m in version.measures.order_by("position")] == [
        "T-ENV-01",
        "T-JOBS-01",
        "T-JOBS-02",
    ]
    carbon = version.measures.get(code="T-ENV-01")
    assert carbon.outcome.name == "Lower emissions"
    assert carbon.outcome.theme.name == "Environment"
    assert carbon.proxy.amount_per_unit == Decimal("245")
    assert carbon.proxy.price_year == 2020
    assert carbon.proxy.source_title == CARBON_SOURCE
    assert carbon.light_set is True
    hours = version.measures.get(code="T-JOBS-01")
    assert hours.value_type == "record_only"
    assert hours.tags == ["volunteering-hours", "employment-and-skills"]
    assert hours.cwb_pillars == ["fair-employment", "plural-ownership"]
    assert hours.eflg_modules == ["communities", "workforce"]
    assert hours.ppn002_outcomes == ["1", "2"]
    assert not ProxyValue.objects.filter(measure=hours).exists()


def test_it_reads_a_csv_saved_by_excel_with_a_byte_order_mark():
    data = b"\xef\xbb\xbf" + csv_bytes(sample_rows())

    table = read_table(io.BytesIO(data), "measures.csv")

    assert table.headers[0] == "Theme code"
    assert table.rows[0][0] == "ENV"


def test_it_reads_the_first_sheet_of_an_xlsx_with_numbers_as_numeric_cells(world):
    table = table_of(xlsx_bytes(sample_rows()), "measures.xlsx")

    version = import_table(table, owner=world.council)

    carbon = version.measures.get(code="T-ENV-01")
    assert carbon.proxy.amount_per_unit == Decimal("245")
    assert carbon.proxy.price_year == 2020


def test_it_reads_a_plain_json_list_of_measures(world):
    table = table_of(json_bytes(sample_rows()), "measures.json")

    version = import_table(table, owner=world.council)

    assert version.measures.count() == 3


def test_it_keeps_spreadsheet_row_numbers_when_blank_rows_are_skipped():
    rows = sample_rows()
    data = csv_bytes(rows).replace(b"\r\nJOBS,", b"\r\n,,,\r\nJOBS,", 1)

    table = read_table(io.BytesIO(data), "measures.csv")

    assert table.row_numbers == [2, 4, 5]


def test_it_refuses_a_file_type_it_cannot_read():
    with pytest.raises(FrameworkImportError) as raised:
        read_table(io.BytesIO(b"x"), "measures.pdf")
    assert ".pdf" in raised.value.problems[0].message


def test_it_says_a_broken_xlsx_is_not_a_workbook():
    with pytest.raises(FrameworkImportError) as raised:
        read_table(io.BytesIO(b"PK\x03\x04not a zip"), "measures.xlsx")
    assert "measures.xlsx: the workbook cannot be read" in raised.value.problems[0].message


def test_deeply_nested_json_is_refused_naming_the_limit_not_a_recursion_error():
    data = b'{"measures": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    with pytest.raises(FrameworkImportError) as raised:
        read_table(io.BytesIO(data), "measures.json")
    assert raised.value.problems == [
        ImportProblem(
            None,
            None,
            "measures.json: the JSON nests more than 32 levels deep (the limit is set by "
            "COMMONWEAL_UPLOAD_MAX_JSON_DEPTH)",
        )
    ]


def test_a_json_measure_with_thousands_of_fields_is_refused_naming_the_limit():
    data = json.dumps({"measures": [{f"field {i}": i for i in range(10_000)}]}).encode()
    with pytest.raises(FrameworkImportError) as raised:
        read_table(io.BytesIO(data), "measures.json")
    assert "the row has 10,000 cells; rows of up to 500 columns" in str(raised.value)


def test_a_cell_of_five_megabytes_is_refused_naming_its_row():
    data = b"Measure code,Name\nA1," + b"x" * 5_000_000 + b"\n"
    with pytest.raises(FrameworkImportError) as raised:
        read_table(io.BytesIO(data), "measures.csv")
    (problem,) = raised.value.problems
    assert (problem.row, problem.column) == (2, None)
    assert "a cell holds more than 32,767 characters" in problem.message


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_missing_required_column_is_named(fmt):
    rows = sample_rows()
    headers = [header for header in rows[0] if header != "Unit"]

    problems = _problems_of(fmt, rows, headers)

    assert ImportProblem(
        None, "Unit", "is missing: no column is mapped to this required field"
    ) in (problems)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_bad_number_is_named_by_row_and_column(fmt):
    rows = sample_rows()
    rows[0]["Proxy £ per unit"] = "two hundred"

    problems = _problems_of(fmt, rows)

    assert ImportProblem(2, "Proxy £ per unit", "'two hundred' is not a number") in problems


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_unknown_unit_is_named_by_row_and_column(fmt):
    rows = sample_rows()
    rows[1]["Unit"] = "furlongs"

    problems = _problems_of(fmt, rows)

    assert [(p.row, p.column) for p in problems] == [(3, "Unit")]
    assert "'furlongs' is not a known unit" in problems[0].message


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_duplicate_measure_code_is_named_by_row_and_column(fmt):
    rows = sample_rows()
    rows[2]["Measure code"] = "T-JOBS-01"

    problems = _problems_of(fmt, rows)

    assert problems == [
        ImportProblem(
            4,
            "Measure code",
            "measure code 'T-JOBS-01' is already used on row 3; codes must be unique",
        )
    ]


@pytest.mark.django_db
def test_it_lists_every_problem_not_just_the_first():
    rows = sample_rows()
    rows[0]["Value type"] = "priceless"
    rows[1]["Tags"] = "volunteering-hours; good-vibes"
    rows[1]["Light set"] = "maybe"
    rows[2]["CWB pillars"] = "fair-employment; moonshots"

    problems = _problems_of("csv", rows)

    assert {(p.row, p.column) for p in problems} == {
        (2, "Value type"),
        (3, "Tags"),
        (3, "Light set"),
        (4, "CWB pillars"),
    }
    assert any("'good-vibes' is not a known tag" in p.message for p in problems)


@pytest.mark.django_db
def test_a_monetised_measure_needs_an_amount_a_source_and_a_licence():
    rows = sample_rows()
    rows[0]["Proxy £ per unit"] = ""
    rows[0]["Proxy source"] = ""
    rows[0]["Proxy licence"] = ""

    problems = _problems_of("csv", rows)

    assert {(p.row, p.column) for p in problems} == {
        (2, "Proxy £ per unit"),
        (2, "Proxy source"),
        (2, "Proxy licence"),
    }


@pytest.mark.django_db
def test_a_record_only_measure_may_not_carry_a_pound_value():
    rows = sample_rows()
    rows[1]["Proxy £ per unit"] = "16.93"

    problems = _problems_of("csv", rows)

    assert [(p.row, p.column) for p in problems] == [(3, "Proxy £ per unit")]
    assert "must not carry a £ value" in problems[0].message


@pytest.mark.django_db
def test_one_theme_code_may_not_carry_two_names():
    rows = sample_rows()
    rows[2]["Theme name"] = "Employment"

    problems = _problems_of("csv", rows)

    assert [(p.row, p.column) for p in problems] == [(4, "Theme name")]
    assert "named 'Jobs' on row 3" in problems[0].message


def test_a_failed_import_leaves_nothing_behind(world):
    import_sample(world.council, slug="existing")
    before = _counts()
    rows = sample_rows()
    rows[2]["Unit"] = "parsecs"
    table = table_of(csv_bytes(rows), "measures.csv")

    with pytest.raises(FrameworkImportError):
        import_table(table, owner=world.council, slug="existing", year=2026)
    with pytest.raises(FrameworkImportError):
        import_table(table, owner=world.council, slug="brand-new")

    assert _counts() == before


def test_a_second_year_becomes_a_new_version_of_the_same_framework(world):
    first = import_sample(world.council, year=2025)
    second = import_sample(world.council, year=2026)

    assert second.framework == first.framework
    assert list(first.framework.versions.values_list("year", flat=True)) == [2026, 2025]


def test_importing_a_year_that_already_exists_is_refused(world):
    import_sample(world.council, year=2025)

    with pytest.raises(FrameworkImportError) as raised:
        import_sample(world.council, year=2025)

    assert "already has a 2025 version" in raised.value.problems[0].message


def test_two_councils_may_use_the_same_short_name(world):
    ours = import_sample(world.council)
    theirs = import_sample(world.other_council)

    assert ours.framework != theirs.framework


def test_a_column_mapped_to_a_heading_that_is_not_there_is_named(world):
    table = table_of(csv_bytes(sample_rows()), "measures.csv")
    mapping = mapping_for(table) | {"description": "Notes for bidders"}

    with pytest.raises(FrameworkImportError) as raised:
        import_table(table, owner=world.council, mapping=mapping)

    assert raised.value.problems == [
        ImportProblem(
            None, "Notes for bidders", "no column has this heading (mapped to Description)"
        )
    ]


def test_suggest_mapping_ignores_case_spaces_and_punctuation():
    mapping = suggest_mapping(["MEASURE-CODE", "Unit of measure", "theme_name", "£ per unit"])

    assert mapping["measure_code"] == "MEASURE-CODE"
    assert mapping["unit"] == "Unit of measure"
    assert mapping["theme_name"] == "theme_name"
    assert mapping["proxy_amount"] == "£ per unit"
    assert mapping["title"] is None


def test_read_table_accepts_a_path(tmp_path: Path):
    path = tmp_path / "measures.csv"
    path.write_bytes(csv_bytes(sample_rows()))

    table = read_table(path, path.name)

    assert len(table.rows) == 3
