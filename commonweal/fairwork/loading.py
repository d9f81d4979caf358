"""Spreadsheet loads: Real Living Wage rates and EFLG criteria, from CSV or XLSX.

Each file is read by the same table reader as every other import, checked in full, and either
listed back with every problem (row, column, what is wrong) or shown as a preview to confirm.
Nothing is written until the person confirms; the parsed rows wait in their session.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from commonweal.core import exports
from commonweal.frameworks.importing import (
    FrameworkImportError,
    ImportProblem,
    Table,
    read_table,
)
from commonweal.frameworks.vocabulary import EflgModule
from commonweal.valuation.fair_work import DatePrecision, pay_by_after

MAX_ROWS = 2000
"""More rows than any rates or criteria file needs; a larger file is refused."""

RATE_HEADINGS = (
    "Year",
    "Label",
    "Announced on",
    "Pay by",
    "UK rate",
    "London rate",
    "Source",
    "Source link",
)
CRITERIA_HEADINGS = ("Module", "Reference", "Criterion")


def _norm(text: str) -> str:
    return " ".join(text.strip().lower().replace("_", " ").split())


def _columns(table: Table, headings: tuple[str, ...], required: set[str]) -> dict[str, int]:
    by_name = {_norm(h): i for i, h in enumerate(table.headers)}
    missing = [h for h in headings if h in required and _norm(h) not in by_name]
    if missing:
        raise FrameworkImportError(
            ImportProblem(
                None,
                h,
                f"{table.filename or 'the file'} has no column with this heading; it is required",
            )
            for h in missing
        )
    return {h: by_name[_norm(h)] for h in headings if _norm(h) in by_name}


def read_upload(upload: IO[bytes] | Path, filename: str) -> Table:
    table = read_table(upload, filename)
    if len(table.rows) > MAX_ROWS:
        raise FrameworkImportError(
            [ImportProblem(None, None, f"{filename} has more than {MAX_ROWS} rows")]
        )
    if not table.rows:
        raise FrameworkImportError([ImportProblem(None, None, f"{filename} has no rows")])
    return table


def parse_day(text: str) -> date:
    """2026-10-22 or 22/10/2026."""
    text = text.strip()
    try:
        if "/" in text:
            day, month, year = (int(part) for part in text.split("/"))
            return date(year, month, day)
        return date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(
            f"{text!r} is not a date; write it like 2026-10-22 or 22/10/2026"
        ) from None


def parse_rate(text: str) -> Decimal:
    cleaned = text.strip().lstrip("£").strip()
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not an hourly rate; write it like 13.45") from None
    if not amount.is_finite() or amount <= 0 or amount >= 1000:
        raise ValueError(f"{text!r} is not an hourly rate above £0; write it like 13.45")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"{text!r} has more than two decimal places; write it like 13.45")
    return amount.quantize(Decimal("0.01"))


@dataclass(frozen=True)
class RateRowIn:
    year: int
    label: str
    announced_on: str
    pay_by: str
    pay_by_published: bool
    uk_rate: str
    london_rate: str
    source_title: str
    source_url: str


def parse_rates(
    table: Table, *, shipped_years: set[int], existing_years: set[int]
) -> list[RateRowIn]:
    """Every rate row, or FrameworkImportError listing every problem."""
    columns = _columns(table, RATE_HEADINGS, {"Year", "Announced on", "UK rate", "Source"})
    problems: list[ImportProblem] = []
    parsed: list[RateRowIn] = []
    seen: dict[int, int] = {}

    def cell(cells: list[str], heading: str) -> str:
        index = columns.get(heading)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    for number, cells in zip(table.row_numbers, table.rows, strict=True):
        row_problems: list[ImportProblem] = []
        year_text = cell(cells, "Year")
        year = 0
        try:
            year = int(year_text)
            if not 2011 <= year <= 2100:
                raise ValueError
        except ValueError:
            row_problems.append(
                ImportProblem(number, "Year", f"{year_text!r} is not a year like 2026")
            )
        if year in shipped_years:
            row_problems.append(
                ImportProblem(number, "Year", f"the {year} rate ships with Commonweal already")
            )
        elif year in existing_years:
            row_problems.append(
                ImportProblem(number, "Year", f"your council has added a {year} rate already")
            )
        elif year in seen:
            row_problems.append(
                ImportProblem(number, "Year", f"{year} is also on row {seen[year]}")
            )
        seen.setdefault(year, number)
        announced = pay_by = None
        try:
            announced = parse_day(cell(cells, "Announced on"))
        except ValueError as error:
            row_problems.append(ImportProblem(number, "Announced on", str(error)))
        pay_by_text = cell(cells, "Pay by")
        if pay_by_text:
            try:
                pay_by = parse_day(pay_by_text)
            except ValueError as error:
                row_problems.append(ImportProblem(number, "Pay by", str(error)))
        if announced and pay_by and pay_by < announced:
            row_problems.append(
                ImportProblem(number, "Pay by", "the pay-by date is before the announcement")
            )
        rates: dict[str, str] = {}
        for heading in ("UK rate", "London rate"):
            text = cell(cells, heading)
            if not text:
                if heading == "UK rate":
                    row_problems.append(ImportProblem(number, heading, "enter the UK rate"))
                rates[heading] = ""
                continue
            try:
                rates[heading] = str(parse_rate(text))
            except ValueError as error:
                row_problems.append(ImportProblem(number, heading, str(error)))
        source = cell(cells, "Source")
        if not source:
            row_problems.append(ImportProblem(number, "Source", "say where the rate was published"))
        link = cell(cells, "Source link")
        if link and not link.startswith(("https://", "http://")):
            row_problems.append(ImportProblem(number, "Source link", "a link starts with https://"))
        if row_problems or announced is None:
            problems.extend(row_problems)
            continue
        label = cell(cells, "Label") or f"{year}-{(year + 1) % 100:02d}"
        parsed.append(
            RateRowIn(
                year=year,
                label=label[:20],
                announced_on=announced.isoformat(),
                pay_by=(
                    pay_by or pay_by_after(announced, DatePrecision.DAY) or announced
                ).isoformat(),
                pay_by_published=pay_by is not None,
                uk_rate=rates["UK rate"],
                london_rate=rates["London rate"],
                source_title=source[:300],
                source_url=link[:200],
            )
        )
    if problems:
        raise FrameworkImportError(problems)
    return parsed


@dataclass(frozen=True)
class CriterionRowIn:
    module: str
    reference: str
    text: str


def module_from_text(text: str) -> str | None:
    """A module from its number (1 to 4), key or name, as a council might write it."""
    wanted = _norm(text)
    for number, (key, name) in enumerate(EflgModule.choices, start=1):
        if wanted in {str(number), key, _norm(str(name)), f"module {number}"}:
            return key
        if wanted.startswith(f"{number} ") or wanted.startswith(f"{number}."):
            return key
    return None


def parse_criteria(table: Table, *, existing: set[tuple[str, str]]) -> list[CriterionRowIn]:
    columns = _columns(table, CRITERIA_HEADINGS, set(CRITERIA_HEADINGS))
    problems: list[ImportProblem] = []
    parsed: list[CriterionRowIn] = []
    seen: dict[tuple[str, str], int] = {}
    for number, cells in zip(table.row_numbers, table.rows, strict=True):

        def cell(heading: str, cells: list[str] = cells) -> str:
            index = columns[heading]
            return cells[index].strip() if index < len(cells) else ""

        module_text, reference, text = cell("Module"), cell("Reference"), cell("Criterion")
        row_problems = []
        module = module_from_text(module_text)
        if module is None:
            row_problems.append(
                ImportProblem(
                    number,
                    "Module",
                    f"{module_text!r} is not one of the four modules; write 1 to 4 or its name",
                )
            )
        if not reference:
            row_problems.append(ImportProblem(number, "Reference", "enter a reference, like 1.1"))
        elif len(reference) > 20:
            row_problems.append(ImportProblem(number, "Reference", "keep it to 20 characters"))
        if not text:
            row_problems.append(ImportProblem(number, "Criterion", "enter the criterion"))
        elif len(text) > 5000:
            row_problems.append(ImportProblem(number, "Criterion", "keep it to 5,000 characters"))
        if module and reference:
            key = (module, reference)
            if key in existing:
                row_problems.append(
                    ImportProblem(number, "Reference", f"{reference} is in this module already")
                )
            elif key in seen:
                row_problems.append(
                    ImportProblem(number, "Reference", f"{reference} is also on row {seen[key]}")
                )
            seen.setdefault(key, number)
        if row_problems or module is None:
            problems.extend(row_problems)
            continue
        parsed.append(CriterionRowIn(module, reference, text))
    if problems:
        raise FrameworkImportError(problems)
    return parsed


def as_session(rows: list[Any]) -> list[dict[str, Any]]:
    return [asdict(row) for row in rows]


def criteria_template_csv() -> str:
    """The criteria template: headings and one row per module naming it, criteria left blank
    (the LGA's criteria text is not shipped)."""
    return exports.csv_text(
        [
            CRITERIA_HEADINGS,
            *(
                [f"{number} {name}", f"{number}.1", ""]
                for number, (_, name) in enumerate(EflgModule.choices, start=1)
            ),
        ]
    )


def criteria_template_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Criteria"
    sheet.append(list(CRITERIA_HEADINGS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    modules = [f"{n} {name}" for n, (_, name) in enumerate(EflgModule.choices, start=1)]
    for number, name in enumerate(modules, start=1):
        sheet.append([name, f"{number}.1", ""])
    sheet.column_dimensions["A"].width = 55
    sheet.column_dimensions["B"].width = 12
    sheet.column_dimensions["C"].width = 90
    lists = workbook.create_sheet("Modules")
    for name in modules:
        lists.append([name])
    validation = DataValidation(type="list", formula1="=Modules!$A$1:$A$4", allow_blank=False)
    validation.error = "Choose one of the four modules"
    sheet.add_data_validation(validation)
    validation.add("A2:A1000")
    notes = workbook.create_sheet("About")
    notes.append(["Equality Framework for Local Government (LGA, 2021): enter your criteria."])
    notes.append(["One row per criterion: its module, a reference like 1.1, and its words."])
    notes.append(["Commonweal does not ship the LGA's criteria text; use your own copy."])
    return exports.workbook_bytes(workbook)


def rates_template_csv() -> str:
    return exports.csv_text([RATE_HEADINGS])
