"""`commonweal framework import | export | value | load-shipped`."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from commonweal.frameworks.models import (
    CarbonSeries,
    DeflatorPoint,
    DeflatorSeries,
    Framework,
    FrameworkVersion,
    Measure,
)
from commonweal.frameworks.services import framework_version_publish
from tests.frameworks.sample_frameworks import (
    RESTRICTED_SOURCE,
    csv_bytes,
    import_sample,
    sample_rows,
    xlsx_bytes,
)


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("framework", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _import_args(path: Path, *extra: str) -> list[str]:
    return [
        "import",
        str(path),
        "--org",
        "E08000018",
        "--name",
        "Our measures",
        "--slug",
        "our-measures",
        "--publisher",
        "Rotherham MBC",
        "--licence",
        "CC BY 4.0",
        "--year",
        "2025",
        "--in-force-from",
        "2025-04-01",
        "--price-base-year",
        "2020",
        *extra,
    ]


def test_import_prints_the_version_id_and_counts(world, tmp_path):
    path = tmp_path / "measures.xlsx"
    path.write_bytes(xlsx_bytes(sample_rows()))

    out, _ = _run(*_import_args(path))

    version = FrameworkVersion.objects.get(framework__slug="our-measures")
    assert out.startswith(f"Imported version {version.pk}:")
    assert "2 themes, 3 outcomes, 3 measures, 1 proxy values" in out
    assert version.framework.owner == world.council


def test_import_maps_headings_given_on_the_command_line(world, tmp_path):
    rows = [
        {("Ref" if key == "Measure code" else key): value for key, value in row.items()}
        for row in sample_rows()
    ]
    path = tmp_path / "measures.csv"
    path.write_bytes(csv_bytes(rows))

    _run(*_import_args(path, "--map", "measure_code=Ref", "--restricted"))

    framework = Framework.objects.get(slug="our-measures")
    assert framework.values_restricted
    assert Measure.objects.filter(version__framework=framework).count() == 3


def test_a_failed_import_prints_every_problem_and_exits_non_zero(world, tmp_path):
    rows = sample_rows()
    rows[0]["Unit"] = "furlongs"
    rows[1]["Proxy £ per unit"] = "lots"
    path = tmp_path / "measures.csv"
    path.write_bytes(csv_bytes(rows))
    err = io.StringIO()

    with pytest.raises(CommandError, match="2 problems"):
        call_command("framework", *_import_args(path), stdout=io.StringIO(), stderr=err)

    lines = err.getvalue().splitlines()
    assert lines[0].startswith("row 2\tcolumn Unit\t'furlongs' is not a known unit")
    assert lines[1] == "row 3\tcolumn Proxy £ per unit\t'lots' is not a number"
    assert not Framework.objects.exists()


def test_deeply_nested_json_fails_the_command_with_a_message_not_a_traceback(world, tmp_path):
    path = tmp_path / "measures.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    err = io.StringIO()

    with pytest.raises(CommandError, match="1 problem"):
        call_command("framework", *_import_args(path), stdout=io.StringIO(), stderr=err)

    assert "measures.json: the JSON nests more than 32 levels deep" in err.getvalue()
    assert not Framework.objects.exists()


def test_export_writes_csv_to_stdout(world):
    import_sample(world.council)

    out, _ = _run(
        "export",
        "--framework",
        "test-framework",
        "--org",
        "E08000018",
        "--version",
        "2025",
        "--format",
        "csv",
    )

    assert out.splitlines()[0].startswith("Theme code,Theme name")
    assert "T-ENV-01" in out


def test_a_public_export_leaves_out_restricted_values(world, tmp_path):
    import_sample(world.council, restricted=True)
    output = tmp_path / "public.json"

    _run(
        "export",
        "--framework",
        "test-framework",
        "--org",
        "E08000018",
        "--version",
        "2025",
        "--format",
        "json",
        "--audience",
        "public",
        "--output",
        str(output),
    )

    assert RESTRICTED_SOURCE.encode() not in output.read_bytes()
    assert json.loads(output.read_bytes())["values_withheld"] is True


def test_export_of_a_missing_version_is_an_error(world):
    with pytest.raises(CommandError, match="has a 2030 version"):
        _run("export", "--framework", "nope", "--version", "2030", "--format", "csv")


def test_value_prints_totals_lines_and_findings_as_json(world, tmp_path):
    version = import_sample(world.council)
    framework_version_publish(version=version, by=None)
    commitments = tmp_path / "commitments.csv"
    commitments.write_text(
        "measure code,quantity,year,deadweight,attribution\n"
        "T-ENV-01,10,1,0.2,1\n"
        "T-JOBS-01,40,1,,\n",
        encoding="utf-8",
    )

    out, _ = _run(
        "value",
        "--framework",
        "test-framework",
        "--org",
        "E08000018",
        "--version",
        "2025",
        "--input",
        str(commitments),
        "--format",
        "json",
        "--contract-value",
        "100000",
    )

    result = json.loads(out)
    # 10 tCO2e × £245 × (1 − 0.2) × 1 = £1,960.00; £1,960 ÷ £100,000 = 0.0196 per £1
    assert result["total_value"] == "1960.00"
    assert result["value_per_pound"] == "0.0196"
    assert result["price_year"] == 2020
    assert result["record_only_by_unit"] == {"hours": "40"}
    assert result["lines"][0]["line"] == "row 2"
    assert "× (1 − 0.2 deadweight)" in result["lines"][0]["explanation"]
    assert isinstance(result["findings"], list)
    assert {skipped["rule"] for skipped in result["rules_skipped"]}


def test_value_names_lines_that_cannot_be_valued(world, tmp_path):
    import_sample(world.council)
    commitments = tmp_path / "commitments.csv"
    commitments.write_text("measure code,quantity,year\nNOPE,1,1\n", encoding="utf-8")
    err = io.StringIO()

    with pytest.raises(CommandError, match="could not be valued"):
        call_command(
            "framework",
            "value",
            "--framework",
            "test-framework",
            "--org",
            "E08000018",
            "--version",
            "2025",
            "--input",
            str(commitments),
            stdout=io.StringIO(),
            stderr=err,
        )

    assert "line row 2: measure_code NOPE: is not a measure of this framework" in err.getvalue()


@pytest.mark.django_db
def test_load_shipped_loads_once():
    first, _ = _run("load-shipped")
    second, _ = _run("load-shipped")

    assert "commonweal-open-measures 2025: loaded" in first
    assert "commonweal-open-measures 2025: already loaded" in second
    assert Framework.objects.filter(owner__isnull=True).count() == 2


# --- import-deflator ------------------------------------------------------------------------


def _deflator_args(path: Path, *extra: str) -> list[str]:
    return [
        "import-deflator",
        str(path),
        "--org",
        "E08000018",
        "--name",
        "GDP deflator",
        "--slug",
        "gdp-deflator",
        "--source-title",
        "HM Treasury GDP deflators at market prices",
        "--licence",
        "Open Government Licence v3.0",
        *extra,
    ]


def test_import_deflator_prints_the_series_and_its_years(world, tmp_path):
    path = tmp_path / "deflators.xlsx"
    path.write_bytes(
        xlsx_bytes([{"Year": "2024", "Index": "100"}, {"Year": "2023", "Index": "97.25"}])
    )

    out, _ = _run(*_deflator_args(path, "--source-url", "https://www.gov.uk/gdp-deflators"))

    series = DeflatorSeries.objects.get(slug="gdp-deflator")
    assert series.owner == world.council
    assert series.source_url == "https://www.gov.uk/gdp-deflators"
    lines = out.splitlines()
    assert lines[0] == (
        "Imported deflator series gdp-deflator: GDP deflator "
        "(Rotherham Metropolitan Borough Council), 2 years, 2023 to 2024"
    )
    assert lines[1:] == ["2023\t97.250000", "2024\t100.000000"]


def test_import_deflator_without_an_org_shares_the_series_with_every_council(world, tmp_path):
    path = tmp_path / "deflators.csv"
    path.write_bytes(csv_bytes([{"year": "2024", "index": "100"}]))

    args = _deflator_args(path)
    del args[2:4]
    out, _ = _run(*args)

    assert DeflatorSeries.objects.get(slug="gdp-deflator").owner is None
    assert "(shared with every council), 1 year, 2024 to 2024" in out


def test_a_failed_deflator_import_names_row_and_column_and_writes_nothing(world, tmp_path):
    path = tmp_path / "deflators.csv"
    path.write_bytes(
        csv_bytes(
            [
                {"Year": "2023", "Index": "97"},
                {"Year": "2023", "Index": "98"},
                {"Year": "2024", "Index": "none"},
            ]
        )
    )
    err = io.StringIO()

    with pytest.raises(CommandError, match="deflators.csv was not imported: 2 problems"):
        call_command("framework", *_deflator_args(path), stdout=io.StringIO(), stderr=err)

    assert err.getvalue().splitlines() == [
        "row 3\tcolumn Year\t2023 is already given on row 2",
        "row 4\tcolumn Index\t'none' is not a number",
    ]
    assert not DeflatorSeries.objects.exists()
    assert not DeflatorPoint.objects.exists()


def test_a_deflator_file_without_an_index_column_is_refused(world, tmp_path):
    path = tmp_path / "deflators.csv"
    path.write_bytes(csv_bytes([{"Year": "2023", "Value": "97"}]))
    err = io.StringIO()

    with pytest.raises(CommandError, match="1 problem$"):
        call_command("framework", *_deflator_args(path), stdout=io.StringIO(), stderr=err)

    assert err.getvalue().startswith(
        "row -\tcolumn index\tdeflators.csv has no column with this heading"
    )


def test_a_deflator_import_for_an_unknown_council_is_an_error(world, tmp_path):
    path = tmp_path / "deflators.csv"
    path.write_bytes(csv_bytes([{"year": "2024", "index": "100"}]))
    args = _deflator_args(path)
    args[3] = "E99999999"

    with pytest.raises(CommandError, match="No organisation with code or id 'E99999999'"):
        _run(*args)


@pytest.mark.django_db
def test_value_counts_carbon_by_the_year_it_is_saved_in_from_the_first_year(tmp_path):
    _run("load-shipped")
    commitments = tmp_path / "commitments.csv"
    commitments.write_text(
        "measure code,quantity,year\nCW-ENV-01,10,1\nCW-ENV-01,10,2\n", encoding="utf-8"
    )
    args = ["value", "--framework", "commonweal-open-measures", "--version", "2025"]
    args += ["--input", str(commitments), "--price-year", "2022", "--first-year", "2027"]

    result = json.loads(_run(*args)[0])

    # DESNZ central values in 2022 prices: 2027 £281.44, 2028 £285.73 per tCO2e.
    # 10 × 281.44 + 10 × 285.73 = 2,814.40 + 2,857.30 = 5,671.70
    assert result["total_value"] == "5671.70"
    assert "contract year 1 counts as 2027 (--first-year 2027)" in result["carbon_rule"]


# --- import-carbon and valuing with a council's carbon values or a DESNZ path -----------------


def _carbon_args(path: Path, *extra: str) -> list[str]:
    return [
        "import-carbon",
        str(path),
        "--org",
        "E08000018",
        "--name",
        "Rotherham carbon values",
        "--slug",
        "rotherham-carbon",
        "--price-year",
        "2022",
        "--source-title",
        "Rotherham MBC Climate Emergency Action Plan, annex B",
        "--licence",
        "Open Government Licence v3.0",
        *extra,
    ]


def test_import_carbon_prints_the_series_its_years_and_price_base(world, tmp_path):
    path = tmp_path / "carbon.xlsx"
    path.write_bytes(
        xlsx_bytes([{"Year": "2028", "Value": "320"}, {"Year": "2027", "Value": "300.5"}])
    )

    out, _ = _run(*_carbon_args(path))

    series = CarbonSeries.objects.get(slug="rotherham-carbon")
    assert (series.owner, series.price_year) == (world.council, 2022)
    lines = out.splitlines()
    assert lines[0] == (
        "Imported carbon series rotherham-carbon: Rotherham carbon values "
        "(Rotherham Metropolitan Borough Council), 2 years, 2027 to 2028, £ per tCO2e in 2022 "
        "prices"
    )
    assert lines[1:] == ["2027\t300.50", "2028\t320.00"]


def test_a_failed_carbon_import_names_row_column_and_value_and_writes_nothing(world, tmp_path):
    path = tmp_path / "carbon.csv"
    path.write_bytes(csv_bytes([{"Year": "2027", "Value": "300"}, {"Year": "2028", "Value": "x"}]))
    err = io.StringIO()

    with pytest.raises(CommandError, match="carbon.csv was not imported: 1 problem"):
        call_command("framework", *_carbon_args(path), stdout=io.StringIO(), stderr=err)

    assert err.getvalue().splitlines() == ["row 3\tcolumn Value\t'x' is not a number"]
    assert not CarbonSeries.objects.exists()


def _value_args(tmp_path: Path) -> list[str]:
    commitments = tmp_path / "commitments.csv"
    commitments.write_text(
        "measure code,quantity,year\nCW-ENV-01,10,1\nCW-ENV-01,10,2\n", encoding="utf-8"
    )
    args = ["value", "--framework", "commonweal-open-measures", "--version", "2025"]
    return [*args, "--input", str(commitments), "--price-year", "2022", "--first-year", "2027"]


def test_value_with_a_council_carbon_series_uses_its_figures_and_names_it(world, tmp_path):
    _run("load-shipped")
    path = tmp_path / "carbon.csv"
    path.write_bytes(
        csv_bytes([{"Year": "2027", "Value": "300"}, {"Year": "2028", "Value": "320"}])
    )
    _run(*_carbon_args(path))

    args = [*_value_args(tmp_path), "--series-org", "E08000018"]
    result = json.loads(_run(*args, "--carbon-series", "rotherham-carbon")[0])

    # 10 × 300 + 10 × 320 = 6,200.00, in the series' 2022 prices.
    assert result["total_value"] == "6200.00"
    assert "the values in Rotherham carbon values (Rotherham MBC" in result["carbon_rule"]


def test_value_on_the_desnz_low_path(tmp_path, db):
    _run("load-shipped")
    result = json.loads(_run(*_value_args(tmp_path), "--carbon-path", "low")[0])
    # DESNZ low values in 2022 prices: 2027 £140.72, 2028 £142.87 per tCO2e.
    # 10 × 140.72 + 10 × 142.87 = 1,407.20 + 1,428.70 = 2,835.90
    assert result["total_value"] == "2835.90"
    assert "the low DESNZ carbon value" in result["carbon_rule"]


def test_value_refuses_a_path_a_council_series_does_not_have(world, tmp_path):
    _run("load-shipped")
    path = tmp_path / "carbon.csv"
    path.write_bytes(csv_bytes([{"Year": "2027", "Value": "300"}]))
    _run(*_carbon_args(path))
    args = [*_value_args(tmp_path), "--series-org", "E08000018"]
    args += ["--carbon-series", "rotherham-carbon"]
    with pytest.raises(CommandError, match="gives one value a year, so it has no high path"):
        _run(*args, "--carbon-path", "high")
    with pytest.raises(CommandError, match="No carbon series 'nothing'"):
        _run(*[*args[:-1], "nothing"])
