"""Export a framework version as CSV, XLSX or JSON, in the same columns the importer reads.

An export re-imports to an identical version. Exports meant for the public or for another
organisation (audience "public") never carry the proxy amounts or value sources of a framework
whose values are restricted (such as a licensed National TOMs set a council holds).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Literal

from commonweal.core.exports import csv_text, workbook_bytes
from commonweal.frameworks.engine_inputs import proxy_of
from commonweal.frameworks.importing import IMPORT_FIELDS, LIST_SEPARATOR
from commonweal.frameworks.models import FrameworkVersion, Measure

Format = Literal["csv", "xlsx", "json"]
Audience = Literal["owner", "public"]
FORMATS: tuple[Format, ...] = ("csv", "xlsx", "json")
JSON_FORMAT_NAME = "commonweal-framework"
JSON_FORMAT_VERSION = 1
WITHHELD_NOTE = (
    "The values of this framework are licensed for its owner's use only, so proxy amounts and "
    "their sources are left out of this export."
)

CONTENT_TYPES: dict[Format, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def values_withheld(version: FrameworkVersion, audience: Audience) -> bool:
    """True when this export must leave out proxy amounts and value sources."""
    return audience != "owner" and version.framework.values_restricted


def _joined(values: list[str]) -> str:
    return f"{LIST_SEPARATOR} ".join(values)


def measure_record(measure: Measure, *, withhold_values: bool) -> dict[str, str]:
    """One measure as text cells keyed by canonical field name, as the importer reads them."""
    proxy = None if withhold_values else proxy_of(measure)
    outcome = measure.outcome
    record = {
        "theme_code": outcome.theme.code,
        "theme_name": outcome.theme.name,
        "outcome_code": outcome.code,
        "outcome_name": outcome.name,
        "measure_code": measure.code,
        "title": measure.title,
        "description": measure.description,
        "unit": measure.unit,
        "value_type": measure.value_type,
        "evidence_expected": measure.evidence_expected,
        "counting_notes": measure.counting_notes,
        "tags": _joined(measure.tags),
        "light_set": "yes" if measure.light_set else "no",
        "ppn002_outcomes": _joined(measure.ppn002_outcomes),
        "cwb_pillars": _joined(measure.cwb_pillars),
        "eflg_modules": _joined(measure.eflg_modules),
        "proxy_amount": _amount_text(proxy.amount_per_unit) if proxy else "",
        "proxy_price_year": str(proxy.price_year) if proxy else "",
        "proxy_source_title": proxy.source_title if proxy else "",
        "proxy_source_url": proxy.source_url if proxy else "",
        "proxy_licence": proxy.licence if proxy else "",
        "proxy_confidence": proxy.confidence if proxy else "",
        "proxy_notes": proxy.notes if proxy else "",
    }
    return record


def _amount_text(amount: Decimal) -> str:
    """The amount without trailing zeros beyond the penny: 245.0000 → 245.00, 16.9300 → 16.93."""
    text = f"{amount.normalize():f}"
    whole, _, fraction = text.partition(".")
    return f"{whole}.{fraction.ljust(2, '0')}"


def _records(version: FrameworkVersion, audience: Audience) -> list[dict[str, str]]:
    withhold = values_withheld(version, audience)
    measures = version.measures.select_related("outcome__theme", "proxy").order_by(
        "position", "code"
    )
    return [measure_record(measure, withhold_values=withhold) for measure in measures]


def _metadata(version: FrameworkVersion, audience: Audience) -> dict[str, Any]:
    framework = version.framework
    return {
        "format": JSON_FORMAT_NAME,
        "format_version": JSON_FORMAT_VERSION,
        "framework": {
            "slug": framework.slug,
            "name": framework.name,
            "publisher": framework.publisher,
            "description": framework.description,
            "licence": framework.licence,
            "licence_url": framework.licence_url,
            "source_title": framework.source_title,
            "source_url": framework.source_url,
            "values_restricted": framework.values_restricted,
        },
        "version": {
            "year": version.year,
            "label": version.label,
            "in_force_from": version.in_force_from.isoformat(),
            "price_base_year": version.price_base_year,
            "status": version.status,
        },
        "values_withheld": values_withheld(version, audience),
    }


def _csv(records: list[dict[str, str]]) -> bytes:
    text = csv_text(
        [
            [import_field.label for import_field in IMPORT_FIELDS],
            *(record.values() for record in records),
        ],
        lineterminator="\r\n",
    )
    # The BOM makes Excel open the file as UTF-8, so "£" survives.
    return text.encode("utf-8-sig")


def _xlsx(records: list[dict[str, str]], metadata: dict[str, Any]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Measures"
    sheet.append([import_field.label for import_field in IMPORT_FIELDS])
    for record in records:
        # Text cells keep amounts exact; Excel still sums them after "convert to number".
        sheet.append(list(record.values()))
    sheet.freeze_panes = "A2"
    about = workbook.create_sheet("About")
    framework = metadata["framework"]
    version = metadata["version"]
    rows: list[tuple[str, Any]] = [
        ("Framework", framework["name"]),
        ("Publisher", framework["publisher"]),
        ("Licence", framework["licence"]),
        ("Licence link", framework["licence_url"]),
        ("Source", framework["source_title"]),
        ("Source link", framework["source_url"]),
        ("Version year", version["year"]),
        ("In force from", version["in_force_from"]),
        ("Price base year", version["price_base_year"]),
        ("Status", version["status"]),
    ]
    if metadata["values_withheld"]:
        rows.append(("Values", WITHHELD_NOTE))
    for row in rows:
        about.append(list(row))
    return workbook_bytes(workbook)


def _json(records: list[dict[str, str]], metadata: dict[str, Any]) -> bytes:
    document = dict(metadata)
    if metadata["values_withheld"]:
        document["values_note"] = WITHHELD_NOTE
    document["measures"] = records
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def export_version(version: FrameworkVersion, *, fmt: Format, audience: Audience) -> bytes:
    """The version's measures in `fmt`; audience "public" withholds restricted values."""
    if fmt not in FORMATS:
        raise ValueError(f"Cannot export as {fmt!r}; choose one of {', '.join(FORMATS)}")
    if audience not in ("owner", "public"):
        raise ValueError(f"Unknown audience {audience!r}; use 'owner' or 'public'")
    records = _records(version, audience)
    if fmt == "csv":
        return _csv(records)
    metadata = _metadata(version, audience)
    if fmt == "xlsx":
        return _xlsx(records, metadata)
    return _json(records, metadata)


def export_filename(version: FrameworkVersion, fmt: Format) -> str:
    """A file name like national-toms-2025.xlsx."""
    return f"{version.framework.slug}-{version.year}.{fmt}"
