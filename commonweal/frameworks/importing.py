"""Import a measures framework from a spreadsheet (CSV or a workbook) or a Commonweal JSON
export.

One row per measure; the theme and outcome columns (code and name) repeat on each row. The
council maps its own column headings to the canonical fields below (`suggest_mapping` guesses).
Everything is checked before anything is written, and every problem is reported with its row
and column, so a council fixes its file once rather than one error at a time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_slug
from django.db import transaction

from commonweal import tabular
from commonweal.accounts.models import Organisation, User
from commonweal.core.audit import acting_as
from commonweal.core.uploads import upload_limits, upload_on_disk
from commonweal.frameworks.models import (
    Framework,
    FrameworkVersion,
    Measure,
    Outcome,
    ProxyValue,
    Theme,
    VersionStatus,
)
from commonweal.frameworks.vocabulary import UNITS, CwbPillar, EflgModule
from commonweal.tabular import (
    SPREADSHEET_KINDS,
    WORKBOOK_SUFFIXES,
    Limits,
    TableError,
    read_json,
)
from commonweal.tabular.delimited import checked_records
from commonweal.valuation import ProxyConfidence, ValueType
from commonweal.valuation.tags import ALL_TAGS

#: Larger framework files are refused on the upload page (no framework comes near it).
MAX_FILE_BYTES = 20 * 1024 * 1024
LIST_SEPARATOR = ";"
"""Tags and mappings to CWB pillars, EFLG modules and PPN 002 outcomes are listed in one cell,
separated by semicolons (commas are accepted on import too)."""

CODE_MAX = 32
NAME_MAX = 300
AMOUNT_INTEGER_DIGITS = 10
AMOUNT_DECIMAL_PLACES = 4
EARLIEST_YEAR = 1900
LATEST_YEAR = 2100


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with an import: where (spreadsheet row, column heading) and what."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class FrameworkImportError(Exception):
    """The file cannot be imported; `problems` lists every problem found, not just the first."""

    def __init__(self, problems: Iterable[ImportProblem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        listed = "; ".join(str(problem) for problem in self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''}: {listed}")


@dataclass
class Table:
    """A sheet of text cells. `row_numbers[i]` is the spreadsheet row of `rows[i]`.

    The header is row 1, so the first data row is row 2. Blank rows are dropped but keep the
    numbering, so problems point at the row the council sees in its spreadsheet. For a JSON
    file, the first record is "row 2" in the same way.
    """

    headers: list[str]
    rows: list[list[str]]
    row_numbers: list[int] = field(default_factory=list)
    filename: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    """For a Commonweal JSON export: the framework and version it came from."""

    def __post_init__(self) -> None:
        if not self.row_numbers:
            self.row_numbers = [index + 2 for index in range(len(self.rows))]
        if len(self.row_numbers) != len(self.rows):
            raise ValueError("Table needs one row number per row")

    def column(self, header: str) -> int:
        return self.headers.index(header)


# Reading files -----------------------------------------------------------------------------


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return f"{LIST_SEPARATOR} ".join(_cell_text(item) for item in value)
    return str(value).strip()


def _table_from_rows(
    raw_rows: Iterable[Iterable[object]], filename: str, metadata: dict[str, Any] | None = None
) -> Table:
    problems: list[ImportProblem] = []
    iterator = iter(raw_rows)
    header_cells = next(iterator, None)
    if header_cells is None:
        raise FrameworkImportError([ImportProblem(None, None, f"{filename} is empty")])
    headers = [_cell_text(cell) for cell in header_cells]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise FrameworkImportError(
            [ImportProblem(1, None, f"{filename}: row 1 must hold the column headings")]
        )
    seen: dict[str, int] = {}
    for position, header in enumerate(headers, start=1):
        if not header:
            problems.append(
                ImportProblem(1, f"column {position}", "has no heading; give every column one")
            )
        elif header in seen:
            problems.append(
                ImportProblem(1, header, f"heads columns {seen[header]} and {position}")
            )
        else:
            seen[header] = position
    rows: list[list[str]] = []
    numbers: list[int] = []
    for number, raw in enumerate(iterator, start=2):
        cells = [_cell_text(cell) for cell in raw]
        if not any(cells):
            continue
        extra = [cell for cell in cells[len(headers) :] if cell]
        if extra:
            problems.append(
                ImportProblem(
                    number,
                    None,
                    f"has {len(cells)} cells but only {len(headers)} columns have headings "
                    f"(extra value {extra[0]!r})",
                )
            )
        cells = (cells + [""] * len(headers))[: len(headers)]
        rows.append(cells)
        numbers.append(number)
    if problems:
        raise FrameworkImportError(problems)
    return Table(headers, rows, numbers, filename=filename, metadata=metadata or {})


def _table_from_json(document: Any, filename: str, limits: Limits) -> Table:
    metadata: dict[str, Any] = {}
    if isinstance(document, dict):
        records = document.get("measures")
        metadata = {key: value for key, value in document.items() if key != "measures"}
    else:
        records = document
    if not isinstance(records, list):
        raise FrameworkImportError(
            [
                ImportProblem(
                    None,
                    None,
                    f"{filename} must hold a list of measures, or an object with a "
                    '"measures" list (as Commonweal exports)',
                )
            ]
        )
    headers: dict[str, None] = {}
    for number, record in enumerate(records, start=2):
        if not isinstance(record, dict):
            raise FrameworkImportError(
                [ImportProblem(number, None, "each measure must be a JSON object")]
            )
        headers.update(dict.fromkeys(record))
        if len(headers) > limits.max_columns:
            break  # refused as the first row is checked below
    rows = [list(headers)]
    rows.extend([_cell_text(record.get(header)) for header in headers] for record in records)
    # Checked as a table read from a spreadsheet would be: rows, columns and cell lengths.
    return _table_from_rows(checked_records(rows, filename, limits), filename, metadata)


#: The files a framework is read from: a table (CSV or a workbook's first worksheet with
#: rows), or a Commonweal JSON export.
READABLE_SUFFIXES = (".csv", *WORKBOOK_SUFFIXES, ".json")


def read_table(file: IO[bytes] | Path, filename: str) -> Table:
    """Read a CSV (in any encoding and delimiter), the first worksheet with rows of a workbook
    (.xlsx, .xlsm, .xls, .ods) or a Commonweal JSON export, within the upload limits."""
    suffix = Path(filename).suffix.lower()
    if suffix not in READABLE_SUFFIXES:
        raise FrameworkImportError(
            [
                ImportProblem(
                    None,
                    None,
                    f"{filename}: Commonweal reads .csv, {SPREADSHEET_KINDS} and .json files, "
                    f"not {suffix or 'files without an extension'}",
                )
            ]
        )
    limits = upload_limits()
    try:
        with _on_disk(file) as path:
            if suffix == ".json":
                return _table_from_json(read_json(path, filename, limits), filename, limits)
            rows = tabular.read_table(path, filename, limits).rows
    except TableError as problem:
        if problem.row is None:
            raise FrameworkImportError([ImportProblem(None, None, str(problem))]) from None
        raise FrameworkImportError(
            [ImportProblem(problem.row, problem.column, f"{filename}: {problem.problem}")]
        ) from None
    return _table_from_rows(rows, filename)


@contextmanager
def _on_disk(file: IO[bytes] | Path) -> Iterator[Path]:
    if isinstance(file, Path):
        yield file
    else:
        with upload_on_disk(file) as path:
            yield path


# Canonical fields --------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportField:
    name: str
    label: str
    required: bool
    description: str
    aliases: tuple[str, ...] = ()


IMPORT_FIELDS: tuple[ImportField, ...] = (
    ImportField("theme_code", "Theme code", True, "Code of the theme, such as T1", ("theme id",)),
    ImportField("theme_name", "Theme name", True, "Name of the theme", ("theme",)),
    ImportField(
        "outcome_code",
        "Outcome code",
        True,
        "Code of the outcome within its theme",
        ("outcome id",),
    ),
    ImportField("outcome_name", "Outcome name", True, "Name of the outcome", ("outcome",)),
    ImportField(
        "measure_code",
        "Measure code",
        True,
        "Code of the measure, unique in the framework, such as NT1",
        ("code", "ref", "reference", "measure id", "measure ref"),
    ),
    ImportField(
        "title", "Measure title", True, "Short title of the measure", ("measure", "measure name")
    ),
    ImportField("description", "Description", False, "What the measure counts", ("details",)),
    ImportField(
        "unit",
        "Unit",
        True,
        "One of: " + ", ".join(UNITS),
        ("units", "unit of measure", "unit of measurement"),
    ),
    ImportField(
        "value_type",
        "Value type",
        True,
        "monetised (valued with a £ proxy per unit), record-only or qualitative",
        ("type", "valuation type"),
    ),
    ImportField(
        "evidence_expected",
        "Evidence expected",
        False,
        "Evidence a supplier must give",
        ("evidence", "evidence required"),
    ),
    ImportField(
        "counting_notes",
        "Counting notes",
        False,
        "How the measure is counted",
        ("notes", "guidance", "counting guidance"),
    ),
    ImportField(
        "tags",
        "Tags",
        False,
        "Tags for counting rules, separated by semicolons: " + ", ".join(sorted(ALL_TAGS)),
        ("valuation tags",),
    ),
    ImportField(
        "light_set",
        "Light set",
        False,
        "yes if the measure is in the light set for small contracts",
        ("light", "in light set"),
    ),
    ImportField(
        "ppn002_outcomes",
        "PPN 002 outcomes",
        False,
        "Codes of UK Government Social Value Model outcomes, separated by semicolons",
        ("ppn 002", "ppn002", "social value model outcomes"),
    ),
    ImportField(
        "cwb_pillars",
        "CWB pillars",
        False,
        "Community wealth building pillars, separated by semicolons: "
        + ", ".join(CwbPillar.values),
        ("community wealth building pillars", "pillars"),
    ),
    ImportField(
        "eflg_modules",
        "EFLG modules",
        False,
        "Equality Framework for Local Government modules, separated by semicolons: "
        + ", ".join(EflgModule.values),
        ("equality framework modules",),
    ),
    ImportField(
        "proxy_amount",
        "Proxy £ per unit",
        False,
        "£ value per unit of a monetised measure, up to 4 decimal places",
        ("proxy value", "proxy", "value per unit", "£ per unit", "amount per unit", "proxy amount"),
    ),
    ImportField(
        "proxy_price_year",
        "Proxy price year",
        False,
        "The year whose prices the proxy is stated in (the version's price base year if blank)",
        ("price year", "price base"),
    ),
    ImportField(
        "proxy_source_title",
        "Proxy source",
        False,
        "Title of the publication the proxy value comes from",
        ("source", "value source", "proxy source title", "source title"),
    ),
    ImportField(
        "proxy_source_url",
        "Proxy source link",
        False,
        "Web address of that publication",
        ("source url", "source link", "proxy source url"),
    ),
    ImportField(
        "proxy_licence",
        "Proxy licence",
        False,
        "Licence the proxy value is published under",
        ("licence", "license", "proxy license"),
    ),
    ImportField(
        "proxy_confidence",
        "Proxy confidence",
        False,
        "high, medium or low (medium if blank)",
        ("confidence",),
    ),
    ImportField("proxy_notes", "Proxy notes", False, "Notes on the proxy value", ("value notes",)),
)
FIELDS_BY_NAME = {import_field.name: import_field for import_field in IMPORT_FIELDS}
REQUIRED_FIELDS = tuple(f.name for f in IMPORT_FIELDS if f.required)


def _normalise_heading(text: str) -> str:
    return re.sub(r"[^0-9a-z£]", "", text.lower())


def suggest_mapping(headers: Iterable[str]) -> dict[str, str | None]:
    """Guess which heading holds each canonical field, ignoring case, spaces and punctuation."""
    by_key: dict[str, str] = {}
    for header in headers:
        by_key.setdefault(_normalise_heading(header), header)
    used: set[str] = set()
    mapping: dict[str, str | None] = {}
    for import_field in IMPORT_FIELDS:
        mapping[import_field.name] = None
        for candidate in (import_field.name, import_field.label, *import_field.aliases):
            match = by_key.get(_normalise_heading(candidate))
            if match is not None and match not in used:
                mapping[import_field.name] = match
                used.add(match)
                break
    return mapping


# Parsing cells -----------------------------------------------------------------------------


class CellProblem(ValueError):
    """A cell's value is not acceptable; the message says why, naming the value."""


def parse_decimal(text: str, *, places: int, integer_digits: int, minimum: Decimal) -> Decimal:
    cleaned = text.replace("£", "").replace(",", "").strip()
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise CellProblem(f"{text!r} is not a number") from None
    if not number.is_finite():
        raise CellProblem(f"{text!r} is not a number")
    if number < minimum:
        raise CellProblem(f"{text!r} must be at least {minimum}")
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        raise CellProblem(f"{text!r} has more than {places} decimal places")
    if abs(number) >= Decimal(10) ** integer_digits:
        raise CellProblem(f"{text!r} is too large")
    return number


def parse_year(text: str) -> int:
    cleaned = text.strip()
    if not cleaned.isdigit() or not EARLIEST_YEAR <= int(cleaned) <= LATEST_YEAR:
        raise CellProblem(
            f"{text!r} is not a year between {EARLIEST_YEAR} and {LATEST_YEAR}, like 2024"
        )
    return int(cleaned)


def parse_list(text: str) -> list[str]:
    return [item.strip() for item in re.split(r"[;,]", text) if item.strip()]


def _choice_lookup(choices: Iterable[tuple[str, str]]) -> dict[str, str]:
    lookup = {}
    for value, label in choices:
        lookup[_normalise_heading(value)] = value
        lookup[_normalise_heading(label)] = value
    return lookup


UNIT_LOOKUP = {unit.lower(): unit for unit in UNITS}
VALUE_TYPE_LOOKUP = _choice_lookup(
    [(value_type.value, value_type.value.replace("_", " ")) for value_type in ValueType]
)
CONFIDENCE_LOOKUP = _choice_lookup([(c.value, c.value) for c in ProxyConfidence])
CWB_LOOKUP = _choice_lookup(CwbPillar.choices)
EFLG_LOOKUP = _choice_lookup(EflgModule.choices)
TAG_LOOKUP = _choice_lookup((tag, tag) for tag in ALL_TAGS)
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


def _parse_choices(
    text: str, lookup: dict[str, str], what: str, allowed: Iterable[str]
) -> list[str]:
    values = []
    for item in parse_list(text):
        value = lookup.get(_normalise_heading(item))
        if value is None:
            raise CellProblem(f"{item!r} is not a known {what}; use {', '.join(allowed)}")
        if value not in values:
            values.append(value)
    return values


# Validating rows ---------------------------------------------------------------------------


@dataclass
class ParsedProxy:
    amount_per_unit: Decimal
    price_year: int
    source_title: str
    source_url: str
    licence: str
    confidence: str
    notes: str


@dataclass
class ParsedMeasure:
    row: int
    theme_code: str
    theme_name: str
    outcome_code: str
    outcome_name: str
    code: str
    title: str
    description: str
    unit: str
    value_type: str
    evidence_expected: str
    counting_notes: str
    tags: list[str]
    light_set: bool
    ppn002_outcomes: list[str]
    cwb_pillars: list[str]
    eflg_modules: list[str]
    proxy: ParsedProxy | None


class _RowReader:
    """Reads one row's cells by canonical field and collects every problem found in it."""

    def __init__(
        self,
        row: int,
        cells: list[str],
        columns: dict[str, int],
        headings: dict[str, str],
        problems: list[ImportProblem],
    ) -> None:
        self.row = row
        self.cells = cells
        self.columns = columns
        self.headings = headings
        self.problems = problems

    def heading(self, field_name: str) -> str:
        return self.headings.get(field_name, FIELDS_BY_NAME[field_name].label)

    def text(self, field_name: str, *, max_length: int | None = None) -> str:
        column = self.columns.get(field_name)
        value = self.cells[column].strip() if column is not None else ""
        if max_length is not None and len(value) > max_length:
            self.problem(field_name, f"{value[:40]!r}… is longer than {max_length} characters")
        if column is not None and FIELDS_BY_NAME[field_name].required and not value:
            self.problem(field_name, "is empty; every measure needs it")
        return value

    def problem(self, field_name: str, message: str) -> None:
        self.problems.append(ImportProblem(self.row, self.heading(field_name), message))

    def parsed(self, field_name: str, parse: Callable[[str], Any], default: Any) -> Any:
        text = self.text(field_name)
        if not text:
            return default
        try:
            return parse(text)
        except CellProblem as problem:
            self.problem(field_name, str(problem))
            return default


_url_validator = URLValidator()


def _valid_url(text: str) -> str:
    try:
        _url_validator(text)
    except ValidationError:
        raise CellProblem(f"{text!r} is not a web address starting http:// or https://") from None
    return text


def _parse_row(reader: _RowReader, price_base_year: int) -> ParsedMeasure:
    value_type = reader.parsed(
        "value_type",
        lambda text: _parse_choices(
            text, VALUE_TYPE_LOOKUP, "value type", ["monetised", "record-only", "qualitative"]
        )[0],
        "",
    )
    unit_text = reader.text("unit")
    unit = UNIT_LOOKUP.get(unit_text.lower(), "")
    if unit_text and not unit:
        reader.problem("unit", f"{unit_text!r} is not a known unit; use one of {', '.join(UNITS)}")
    tags = reader.parsed(
        "tags", lambda text: _parse_choices(text, TAG_LOOKUP, "tag", sorted(ALL_TAGS)), []
    )
    light_text = reader.text("light_set").lower()
    if light_text not in YES | NO:
        reader.problem("light_set", f"{light_text!r} must be yes or no")
    measure = ParsedMeasure(
        row=reader.row,
        theme_code=reader.text("theme_code", max_length=CODE_MAX),
        theme_name=reader.text("theme_name", max_length=NAME_MAX),
        outcome_code=reader.text("outcome_code", max_length=CODE_MAX),
        outcome_name=reader.text("outcome_name", max_length=NAME_MAX),
        code=reader.text("measure_code", max_length=CODE_MAX),
        title=reader.text("title", max_length=NAME_MAX),
        description=reader.text("description"),
        unit=unit,
        value_type=value_type,
        evidence_expected=reader.text("evidence_expected"),
        counting_notes=reader.text("counting_notes"),
        tags=tags,
        light_set=light_text in YES,
        ppn002_outcomes=reader.parsed("ppn002_outcomes", parse_list, []),
        cwb_pillars=reader.parsed(
            "cwb_pillars",
            lambda text: _parse_choices(text, CWB_LOOKUP, "CWB pillar", CwbPillar.values),
            [],
        ),
        eflg_modules=reader.parsed(
            "eflg_modules",
            lambda text: _parse_choices(text, EFLG_LOOKUP, "EFLG module", EflgModule.values),
            [],
        ),
        proxy=None,
    )
    amount = reader.parsed(
        "proxy_amount",
        lambda text: parse_decimal(
            text,
            places=AMOUNT_DECIMAL_PLACES,
            integer_digits=AMOUNT_INTEGER_DIGITS,
            minimum=Decimal(0),
        ),
        None,
    )
    price_year = reader.parsed("proxy_price_year", parse_year, price_base_year)
    source_title = reader.text("proxy_source_title", max_length=300)
    source_url = reader.parsed("proxy_source_url", _valid_url, "")
    licence = reader.text("proxy_licence", max_length=200)
    confidence = reader.parsed(
        "proxy_confidence",
        lambda text: _parse_choices(
            text, CONFIDENCE_LOOKUP, "confidence", [c.value for c in ProxyConfidence]
        )[0],
        ProxyConfidence.MEDIUM.value,
    )
    notes = reader.text("proxy_notes")
    if value_type == ValueType.MONETISED.value:
        if not reader.text("proxy_amount"):
            reader.problem(
                "proxy_amount", f"measure {measure.code} is monetised: give its £ per unit"
            )
        if not source_title:
            reader.problem(
                "proxy_source_title",
                f"measure {measure.code} is monetised: name the source of its value",
            )
        if not licence:
            reader.problem(
                "proxy_licence",
                f"measure {measure.code} is monetised: name the licence its value is under",
            )
        if amount is not None:
            measure.proxy = ParsedProxy(
                amount, price_year, source_title, source_url, licence, confidence, notes
            )
    elif value_type and amount is not None:
        reader.problem(
            "proxy_amount",
            f"measure {measure.code} is {value_type.replace('_', '-')} and must not carry a £ "
            "value; make it monetised or leave the proxy columns empty",
        )
    return measure


def _check_structure(measures: list[ParsedMeasure], reader_for: dict[int, _RowReader]) -> None:
    """Codes unique; each theme and outcome code has one name throughout the file."""
    first_row_of_code: dict[str, int] = {}
    theme_names: dict[str, tuple[str, int]] = {}
    outcome_names: dict[tuple[str, str], tuple[str, int]] = {}
    for measure in measures:
        reader = reader_for[measure.row]
        if measure.code:
            if measure.code in first_row_of_code:
                reader.problem(
                    "measure_code",
                    f"measure code {measure.code!r} is already used on row "
                    f"{first_row_of_code[measure.code]}; codes must be unique",
                )
            else:
                first_row_of_code[measure.code] = measure.row
        if measure.theme_code and measure.theme_name:
            name, row = theme_names.setdefault(
                measure.theme_code, (measure.theme_name, measure.row)
            )
            if name != measure.theme_name:
                reader.problem(
                    "theme_name",
                    f"theme {measure.theme_code!r} is named {name!r} on row {row}; "
                    f"here it is {measure.theme_name!r}",
                )
        if measure.theme_code and measure.outcome_code and measure.outcome_name:
            key = (measure.theme_code, measure.outcome_code)
            name, row = outcome_names.setdefault(key, (measure.outcome_name, measure.row))
            if name != measure.outcome_name:
                reader.problem(
                    "outcome_name",
                    f"outcome {measure.outcome_code!r} is named {name!r} on row {row}; "
                    f"here it is {measure.outcome_name!r}",
                )


def _check_details(
    *,
    owner: Organisation | None,
    name: str,
    slug: str,
    publisher: str,
    licence: str,
    year: int,
    price_base_year: int,
    licence_url: str,
    source_url: str,
) -> list[ImportProblem]:
    problems = []
    for label, value, max_length in (
        ("name", name, 200),
        ("publisher", publisher, 200),
        ("licence", licence, 200),
    ):
        if not value.strip():
            problems.append(ImportProblem(None, None, f"The framework's {label} is required"))
        elif len(value) > max_length:
            problems.append(
                ImportProblem(
                    None, None, f"The framework's {label} is over {max_length} characters"
                )
            )
    try:
        validate_slug(slug)
        if len(slug) > 80:
            raise ValidationError("too long")
    except ValidationError:
        problems.append(
            ImportProblem(
                None,
                None,
                f"The short name {slug!r} must be up to 80 letters, numbers, hyphens or "
                "underscores",
            )
        )
    for label, number in (("year", year), ("price base year", price_base_year)):
        if not 2000 <= number <= LATEST_YEAR:
            problems.append(
                ImportProblem(None, None, f"The {label} {number} must be between 2000 and 2100")
            )
    for label, url in (("licence link", licence_url), ("source link", source_url)):
        if url:
            try:
                _valid_url(url)
            except CellProblem as problem:
                problems.append(ImportProblem(None, None, f"The {label}: {problem}"))
    existing = FrameworkVersion.objects.filter(
        framework__owner=owner, framework__slug=slug, year=year
    ).first()
    if existing is not None:
        problems.append(
            ImportProblem(
                None,
                None,
                f"{existing.framework.name} already has a {year} version; choose another year "
                "or copy and edit that version",
            )
        )
    return problems


def framework_import(
    *,
    owner: Organisation | None,
    table: Table,
    mapping: dict[str, str],
    name: str,
    slug: str,
    publisher: str,
    licence: str,
    values_restricted: bool,
    year: int,
    in_force_from: date,
    price_base_year: int,
    by: User | None,
    licence_url: str = "",
    source_title: str = "",
    source_url: str = "",
    description: str = "",
) -> FrameworkVersion:
    """Check every row, then create the framework version as a draft in one transaction.

    `mapping` maps canonical field names (see IMPORT_FIELDS) to the table's headings; unmapped
    optional fields are left empty. If the owner already has a framework with this `slug`, the
    import becomes a new version of it (the framework's details stay as they are, except that
    asking for restricted values restricts it). Raises FrameworkImportError listing every
    problem, having written nothing.
    """
    problems = _check_details(
        owner=owner,
        name=name,
        slug=slug,
        publisher=publisher,
        licence=licence,
        year=year,
        price_base_year=price_base_year,
        licence_url=licence_url,
        source_url=source_url,
    )
    columns: dict[str, int] = {}
    headings: dict[str, str] = {}
    for field_name, heading in mapping.items():
        if not heading:
            continue
        if field_name not in FIELDS_BY_NAME:
            problems.append(ImportProblem(None, heading, f"{field_name!r} is not a known field"))
        elif heading not in table.headers:
            problems.append(
                ImportProblem(
                    None,
                    heading,
                    f"no column has this heading (mapped to {FIELDS_BY_NAME[field_name].label})",
                )
            )
        else:
            columns[field_name] = table.column(heading)
            headings[field_name] = heading
    for field_name in REQUIRED_FIELDS:
        if not mapping.get(field_name):
            problems.append(
                ImportProblem(
                    None,
                    FIELDS_BY_NAME[field_name].label,
                    "is missing: no column is mapped to this required field",
                )
            )
    if not table.rows:
        problems.append(
            ImportProblem(None, None, f"{table.filename or 'The file'} has no measures")
        )

    measures: list[ParsedMeasure] = []
    readers: dict[int, _RowReader] = {}
    for number, cells in zip(table.row_numbers, table.rows, strict=True):
        reader = _RowReader(number, cells, columns, headings, problems)
        readers[number] = reader
        measures.append(_parse_row(reader, price_base_year))
    _check_structure(measures, readers)
    if problems:
        raise FrameworkImportError(problems)
    return _write(
        owner=owner,
        measures=measures,
        details={
            "name": name,
            "slug": slug,
            "publisher": publisher,
            "licence": licence,
            "licence_url": licence_url,
            "source_title": source_title,
            "source_url": source_url,
            "description": description,
            "values_restricted": values_restricted,
        },
        year=year,
        in_force_from=in_force_from,
        price_base_year=price_base_year,
        by=by,
    )


def _write(
    *,
    owner: Organisation | None,
    measures: list[ParsedMeasure],
    details: dict[str, Any],
    year: int,
    in_force_from: date,
    price_base_year: int,
    by: User | None,
) -> FrameworkVersion:
    with transaction.atomic(), acting_as(by):
        framework = Framework.objects.filter(owner=owner, slug=details["slug"]).first()
        if framework is None:
            framework = Framework(owner=owner, **details)
            framework.full_clean()
            framework.save()
        elif details["values_restricted"] and not framework.values_restricted:
            framework.values_restricted = True
            framework.save()
        version = FrameworkVersion(
            framework=framework,
            year=year,
            in_force_from=in_force_from,
            price_base_year=price_base_year,
            status=VersionStatus.DRAFT,
        )
        version.full_clean()
        version.save()
        themes: dict[str, Theme] = {}
        outcomes: dict[tuple[str, str], Outcome] = {}
        for position, parsed in enumerate(measures, start=1):
            theme = themes.get(parsed.theme_code)
            if theme is None:
                theme = Theme.objects.create(
                    version=version,
                    code=parsed.theme_code,
                    name=parsed.theme_name,
                    position=len(themes) + 1,
                )
                themes[parsed.theme_code] = theme
            outcome_key = (parsed.theme_code, parsed.outcome_code)
            outcome = outcomes.get(outcome_key)
            if outcome is None:
                outcome = Outcome.objects.create(
                    theme=theme,
                    code=parsed.outcome_code,
                    name=parsed.outcome_name,
                    position=len(outcomes) + 1,
                )
                outcomes[outcome_key] = outcome
            measure = Measure.objects.create(
                version=version,
                outcome=outcome,
                code=parsed.code,
                title=parsed.title,
                description=parsed.description,
                unit=parsed.unit,
                value_type=parsed.value_type,
                evidence_expected=parsed.evidence_expected,
                counting_notes=parsed.counting_notes,
                tags=parsed.tags,
                light_set=parsed.light_set,
                ppn002_outcomes=parsed.ppn002_outcomes,
                cwb_pillars=parsed.cwb_pillars,
                eflg_modules=parsed.eflg_modules,
                position=position,
            )
            if parsed.proxy is not None:
                ProxyValue.objects.create(
                    measure=measure,
                    amount_per_unit=parsed.proxy.amount_per_unit,
                    price_year=parsed.proxy.price_year,
                    source_title=parsed.proxy.source_title,
                    source_url=parsed.proxy.source_url,
                    licence=parsed.proxy.licence,
                    confidence=parsed.proxy.confidence,
                    notes=parsed.proxy.notes,
                )
    return version


# Tables read once and kept for the next step ------------------------------------------------


def table_save(table: Table, folder: Path) -> None:
    """Keep a table read from an upload beside it (``table.json``), with what the column step
    shows of it (``summary.json``: headings, the first rows, how many), so that no later step
    reads the upload again."""
    document = {"headers": table.headers, "rows": table.rows, "row_numbers": table.row_numbers}
    (folder / "table.json").write_text(json.dumps(document), encoding="utf-8")
    summary = {
        "headers": table.headers,
        "preview": table.rows[:SUMMARY_ROWS],
        "row_count": len(table.rows),
    }
    (folder / "summary.json").write_text(json.dumps(summary), encoding="utf-8")


SUMMARY_ROWS = 5


def table_load(folder: Path, filename: str) -> Table:
    document = json.loads((folder / "table.json").read_text(encoding="utf-8"))
    return Table(document["headers"], document["rows"], document["row_numbers"], filename=filename)


def table_summary(folder: Path) -> dict[str, Any] | None:
    """What ``table_save`` kept for the column step; None while the table is still being read."""
    path = folder / "summary.json"
    if not path.is_file():
        return None
    summary: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return summary
