"""The Splink model names only columns its input has: ``score_pairs_on_duckdb`` skips Splink's
own settings check (it only logs, and takes time on every run), so the check runs here."""

import copy
import logging
from typing import Any

import duckdb
import pyarrow as pa
import pytest
from splink import DuckDBAPI, Linker

from commonweal.spend_engine.linkage import SupplierRecord, link_suppliers, score_pairs_on_duckdb

NAMES = [
    "CARLTON FUELS",
    "CARLTON FUELS LIMITED",
    "SHEFFIELD COLLEGE",
    "THE SHEFFIELD COLLEGE",
    "SHEFFIELD CITY TRUST",
    "SHEFFIELD WILDLIFE TRUST",
    "NEXT STEP CARE MANAGEMENT LTD",
    "NEXT STEP CARE MANAGMENT",
]


def _model_and_input() -> tuple[pa.Table, dict[str, Any]]:
    """The input table and settings that linkage hands to Splink."""
    seen: list[tuple[pa.Table, dict[str, Any]]] = []

    def scorer(
        names: pa.Table, settings: dict[str, Any], threshold: float
    ) -> list[tuple[int, int, float]]:
        seen.append((names, settings))
        return score_pairs_on_duckdb(names, settings, threshold)

    records = [
        SupplierRecord(
            record_id=f"R{i}", anchor="a", source_supplier_id=None, raw_name=name, spend_pence=100
        )
        for i, name in enumerate(NAMES)
    ]
    link_suppliers(records, scorer=scorer)
    assert len(seen) == 1
    return seen[0]


def _settings_warnings(
    caplog: pytest.LogCaptureFixture, names: pa.Table, settings: dict[str, Any]
) -> list[str]:
    connection = duckdb.connect(":memory:")
    try:
        table = DuckDBAPI(connection).register(names, table_name="supplier_names")
        with caplog.at_level(logging.WARNING):
            Linker(table, settings, log_level=logging.WARNING, validate_settings=True)
    finally:
        connection.close()
    return [r.getMessage() for r in caplog.records if "SETTINGS VALIDATION" in r.getMessage()]


def test_splinks_settings_check_finds_nothing_in_the_model(
    caplog: pytest.LogCaptureFixture,
) -> None:
    names, settings = _model_and_input()
    assert _settings_warnings(caplog, names, settings) == []


def test_splinks_settings_check_would_name_a_column_the_input_lacks(
    caplog: pytest.LogCaptureFixture,
) -> None:
    names, settings = _model_and_input()
    broken = copy.deepcopy(settings)
    broken["blocking_rules_to_generate_predictions"].append("l.no_such_column = r.no_such_column")
    assert _settings_warnings(caplog, names, broken) != []
