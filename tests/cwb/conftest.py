"""Fixtures for the local economy pages: a private data folder and small spend files."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"

STANDARD_HEADER = "Payment Date,Supplier Name,Supplier ID,Directorate,Amount\n"


@pytest.fixture(autouse=True)
def private_data_dir(settings, tmp_path: Path) -> Path:
    """Every test writes its uploads and Parquet datasets to its own folder."""
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    return settings.DATA_DIR


@pytest.fixture
def spend_csv(tmp_path: Path):
    """Write a small spend file; rows are (date, supplier, supplier id, directorate, amount)."""

    def make(
        name: str, rows: list[tuple[str, str, str, str, str]], header: str = STANDARD_HEADER
    ) -> Path:
        path = tmp_path / "incoming" / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(header + "".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
        return path

    return make


ROTHERHAM_ROWS = [
    ("01/04/2024", "DON VALLEY CATERING LTD", "1001", "Children", "1185.60"),
    ("15/04/2024", "Don Valley Catering Limited", "1001", "Children", "500.00"),
    ("02/05/2024", "NORTHERN INFRASTRUCTURE GROUP PLC", "2002", "Place", "25000.00"),
    ("03/05/2024", "WENTWORTH COMMUNITY TRANSPORT", "3003", "Adult Care", "-250.00"),
    ("31/13/2024", "BAD DATE LTD", "4004", "Place", "100.00"),
]
