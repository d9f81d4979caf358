"""Small measure tables for framework tests, built in the test (never copied from shared data)."""

from __future__ import annotations

import contextlib
import csv
import io
import json
from datetime import date
from typing import Any

from openpyxl import Workbook

from commonweal.accounts.models import Organisation, User
from commonweal.frameworks.importing import (
    IMPORT_FIELDS,
    Table,
    framework_import,
    read_table,
    suggest_mapping,
)
from commonweal.frameworks.models import FrameworkVersion

LABELS = [import_field.label for import_field in IMPORT_FIELDS]
CARBON_SOURCE = "Test carbon values for appraisal (2021)"
RESTRICTED_AMOUNT = "123.4567"
RESTRICTED_SOURCE = "Licensed value bank 2024 edition"


def sample_rows() -> list[dict[str, str]]:
    """Three measures, one of each value type, with every field filled in somewhere."""
    return [
        {
            "Theme code": "ENV",
            "Theme name": "Environment",
            "Outcome code": "ENV-1",
            "Outcome name": "Lower emissions",
            "Measure code": "T-ENV-01",
            "Measure title": "Carbon saved",
            "Description": "Tonnes of CO2e avoided, with “quotes”, commas, and £ signs",
            "Unit": "tCO2e",
            "Value type": "monetised",
            "Evidence expected": "Emissions calculation",
            "Counting notes": "Against the agreed baseline",
            "Tags": "environment",
            "Light set": "yes",
            "PPN 002 outcomes": "1",
            "CWB pillars": "",
            "EFLG modules": "",
            "Proxy £ per unit": "245",
            "Proxy price year": "2020",
            "Proxy source": CARBON_SOURCE,
            "Proxy source link": "https://www.gov.uk/example-carbon-values",
            "Proxy licence": "Open Government Licence v3.0",
            "Proxy confidence": "high",
            "Proxy notes": "Central value",
        },
        {
            "Theme code": "JOBS",
            "Theme name": "Jobs",
            "Outcome code": "JOBS-1",
            "Outcome name": "Local jobs",
            "Measure code": "T-JOBS-01",
            "Measure title": "Volunteering hours",
            "Description": "Hours volunteered locally",
            "Unit": "hours",
            "Value type": "record-only",
            "Evidence expected": "Signed log",
            "Counting notes": "",
            "Tags": "volunteering-hours; employment-and-skills",
            "Light set": "no",
            "PPN 002 outcomes": "1; 2",
            "CWB pillars": "fair-employment; plural-ownership",
            "EFLG modules": "communities; workforce",
            "Proxy £ per unit": "",
            "Proxy price year": "",
            "Proxy source": "",
            "Proxy source link": "",
            "Proxy licence": "",
            "Proxy confidence": "",
            "Proxy notes": "",
        },
        {
            "Theme code": "JOBS",
            "Theme name": "Jobs",
            "Outcome code": "JOBS-2",
            "Outcome name": "Fair work",
            "Measure code": "T-JOBS-02",
            "Measure title": "How fair work will be delivered",
            "Description": "",
            "Unit": "qualitative",
            "Value type": "qualitative",
            "Evidence expected": "",
            "Counting notes": "",
            "Tags": "",
            "Light set": "",
            "PPN 002 outcomes": "",
            "CWB pillars": "",
            "EFLG modules": "",
            "Proxy £ per unit": "",
            "Proxy price year": "",
            "Proxy source": "",
            "Proxy source link": "",
            "Proxy licence": "",
            "Proxy confidence": "",
            "Proxy notes": "",
        },
    ]


def restricted_rows() -> list[dict[str, str]]:
    rows = sample_rows()
    rows[0]["Proxy £ per unit"] = RESTRICTED_AMOUNT
    rows[0]["Proxy source"] = RESTRICTED_SOURCE
    rows[0]["Proxy source link"] = "https://licensed.example/value-bank"
    rows[0]["Proxy notes"] = "Licensed to this council only"
    return rows


def csv_bytes(rows: list[dict[str, Any]], headers: list[str] | None = None) -> bytes:
    headers = headers or list(rows[0])
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(header, "") for header in headers])
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(rows: list[dict[str, Any]], headers: list[str] | None = None) -> bytes:
    """A workbook like a council would save: numbers as numeric cells, blanks as empty cells."""
    headers = headers or list(rows[0])
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Measures"
    sheet.append(headers)
    for row in rows:
        cells: list[Any] = []
        for header in headers:
            value = row.get(header, "")
            if header in ("Proxy price year",) and str(value).isdigit():
                value = int(value)
            elif header == "Proxy £ per unit" and value not in ("", None):
                with contextlib.suppress(ValueError):
                    value = float(value)
            cells.append(value if value != "" else None)
        sheet.append(cells)
    workbook.create_sheet("Notes").append(["This second sheet is ignored"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def json_bytes(rows: list[dict[str, Any]]) -> bytes:
    return json.dumps(rows).encode("utf-8")


def table_of(data: bytes, filename: str) -> Table:
    return read_table(io.BytesIO(data), filename)


def mapping_for(table: Table) -> dict[str, str]:
    return {field: header for field, header in suggest_mapping(table.headers).items() if header}


def import_table(
    table: Table,
    *,
    owner: Organisation | None,
    slug: str = "test-framework",
    year: int = 2025,
    restricted: bool = False,
    by: User | None = None,
    mapping: dict[str, str] | None = None,
) -> FrameworkVersion:
    return framework_import(
        owner=owner,
        table=table,
        mapping=mapping if mapping is not None else mapping_for(table),
        name="Test framework",
        slug=slug,
        publisher="Test publisher",
        licence="CC BY 4.0",
        values_restricted=restricted,
        year=year,
        in_force_from=date(year, 4, 1),
        price_base_year=2020,
        by=by,
    )


def import_sample(
    owner: Organisation | None,
    *,
    slug: str = "test-framework",
    year: int = 2025,
    restricted: bool = False,
    by: User | None = None,
) -> FrameworkVersion:
    rows = restricted_rows() if restricted else sample_rows()
    return import_table(
        table_of(csv_bytes(rows), "measures.csv"),
        owner=owner,
        slug=slug,
        year=year,
        restricted=restricted,
        by=by,
    )
