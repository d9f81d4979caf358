"""A publisher's saved mapping lets ingest find a header row made only of its own names."""

from __future__ import annotations

from pathlib import Path

import pytest

from commonweal.spend_engine.ingest import SpendImportError, ingest_spend_files

UNKNOWN_HEADERS = "When,Who,Cost\n01/04/2024,ACME LTD,10.00\n02/04/2024,BETA LTD,20.50\n"


def test_it_finds_a_header_of_unknown_names_through_the_saved_mapping(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text(UNKNOWN_HEADERS, encoding="utf-8")
    result = ingest_spend_files(
        [path],
        output_dir=tmp_path / "out",
        import_run_id="run-1",
        mapping={"payment_date": "When", "supplier_name": "Who", "amount_pence": "Cost"},
    )
    assert (result.rows_accepted, result.total_pence) == (2, 3050)
    assert result.files[0].header_row == 1


def test_without_a_mapping_such_a_file_still_has_no_header(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text(UNKNOWN_HEADERS, encoding="utf-8")
    with pytest.raises(SpendImportError, match="no header row found"):
        ingest_spend_files([path], output_dir=tmp_path / "out", import_run_id="run-1")
