"""The progress report's outputs, all drawn from one document (see `document.py`): the words a
figure is shown in, the public view, the charts, the Word document and what changed between
two published versions."""

from __future__ import annotations

import copy
import io
from datetime import date
from decimal import Decimal
from typing import Any, cast

import vl_convert
from django.http import Http404
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from commonweal.cwb.analyses import bars_svg
from commonweal.monitoring.dashboard import chart_svg as dashboard_chart_svg
from commonweal.reporting.document import totals_rows

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DASH = "—"
WITHHELD = "Withheld"
WITHHELD_REASON = (
    "Withheld: these pounds rest on proxy values the council uses under a licence that does "
    "not allow them to be published."
)
OGL_NAME = "Open Government Licence v3.0"
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def format_value(value: Any, unit: str) -> str:
    """A figure or cell as a councillor reads it."""
    if value is None or value == "":
        return DASH
    if unit == "pence":
        pence = int(value)
        sign = "−" if pence < 0 else ""
        whole, part = divmod(abs(pence), 100)
        return f"{sign}£{whole:,}.{part:02d}"
    if unit == "percent":
        return f"{Decimal(str(value)):,.1f}%"
    if unit == "count":
        return f"{int(value):,}"
    if unit in ("quantity", "ratio"):
        number = Decimal(str(value))
        return f"{number:,.2f}".rstrip("0").rstrip(".") if number % 1 else f"{number:,.0f}"
    if unit == "date":
        return date.fromisoformat(str(value)).strftime("%-d %B %Y")
    return str(value)


def format_change(item: dict[str, Any]) -> str:
    """The change since last year in words, or a dash when there is no comparison."""
    difference = item.get("difference")
    if difference is None:
        return DASH
    unit = item["unit"]
    number = Decimal(str(difference))
    if number == 0:
        return "No change"
    sign = "+" if number > 0 else "−"
    if unit == "percent":
        text = f"{sign}{abs(number):,.1f} percentage points"
    else:
        text = sign + format_value(abs(number) if unit != "pence" else abs(int(number)), unit)
    if item.get("change_percent") is not None and unit != "percent":
        text += f" ({Decimal(str(item['change_percent'])):+,.1f}%)"
    return text


# --- What the public may see -------------------------------------------------------------


def public_view(document: dict[str, Any]) -> dict[str, Any]:
    """The document without anything that must not leave the council: pounds resting on
    licence-restricted values (withheld, with the reason), people's names, and addresses of
    pages only the council's own people can open. Counts and open figures stay."""
    public = copy.deepcopy(document)
    public["audience"] = "public"
    public["licence"] = {"name": OGL_NAME, "url": OGL_URL}
    for section in public["sections"]:
        for item in section["figures"]:
            item["link"] = None
            if (
                item.get("restricted")
                and item["unit"] == "pence"
                or item.get("restricted")
                and item["unit"] == "percent"
            ):
                for key in ("value", "previous", "difference", "change_percent"):
                    item[key] = None
                item["withheld"] = WITHHELD_REASON
        for table_ in section["tables"]:
            people = [c["key"] for c in table_["columns"] if c["unit"] == "person"]
            table_["columns"] = [c for c in table_["columns"] if c["unit"] != "person"]
            money = [c["key"] for c in table_["columns"] if c["unit"] == "pence"]
            for entry in table_["rows"]:
                entry["link"] = None
                for key in people:
                    entry["cells"].pop(key, None)
                if entry.get("restricted"):
                    for key in money:
                        entry["cells"][key] = None
                    entry["withheld"] = WITHHELD_REASON
        for item in section.get("items", []):
            item["link"] = None
    return public


def table_of(document: dict[str, Any], section_key: str, table_key: str) -> dict[str, Any]:
    """One table of a document; 404 when there is none."""
    for section in document["sections"]:
        if section["key"] == section_key:
            for found in section["tables"]:
                if found["key"] == table_key:
                    return cast(dict[str, Any], found)
    raise Http404("No such table")


def with_absolute_links(document: dict[str, Any], site: str) -> dict[str, Any]:
    """The document with its links made whole addresses on `site`, for a file read outside
    the service (the command line's HTML)."""
    whole = copy.deepcopy(document)
    for section in whole["sections"]:
        for entry in [*section["figures"], *section.get("items", [])]:
            if entry.get("link"):
                entry["link"] = site + entry["link"]
        for table_ in section["tables"]:
            for entry in table_["rows"]:
                if entry.get("link"):
                    entry["link"] = site + entry["link"]
    return whole


# --- Charts ------------------------------------------------------------------------------


def _drawn_rows(table_: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows a table's chart draws: rows whose pounds are withheld are left out."""
    chart = table_.get("chart")
    if not chart:
        return []
    if chart["kind"] == "committed-claimed-verified":
        return [r for r in table_["rows"] if r["cells"].get("committed") is not None]
    return list(table_["rows"])


def has_chart(table_: dict[str, Any]) -> bool:
    return bool(_drawn_rows(table_))


def chart_svg(table_: dict[str, Any]) -> str | None:
    """The table's chart as SVG, drawn by the same spec as the dashboard it comes from; None
    when the table has no chart or nothing to draw."""
    rows = _drawn_rows(table_)
    if not rows:
        return None
    chart = table_["chart"]
    if chart["kind"] == "committed-claimed-verified":
        return dashboard_chart_svg(chart["title"], totals_rows({**table_, "rows": rows}))
    if chart["kind"] == "percent-bars":
        return bars_svg(
            [
                (
                    str(r["cells"]["group"]),
                    int(r["cells"]["pounds"] or 0),
                    _decimal(r["cells"]["percent"]),
                )
                for r in rows
            ],
            "local-shares",
        )
    return None


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


# --- The Word document --------------------------------------------------------------------


def _alt_text(picture: Any, text: str) -> None:
    """Set a picture's description, which screen readers read as its alternative text."""
    inline = picture._inline  # noqa: SLF001 — python-docx has no API for alt text yet
    inline.docPr.set("descr", text)
    inline.docPr.set("title", text)


def _cell(cell: Any, text: str, *, bold: bool = False, numeric: bool = False) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = bold
    if numeric:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _header_row(table_: Any) -> None:
    """Mark the first row as a header that repeats on each page (read as headers by
    assistive technology)."""
    properties = table_.rows[0]._tr.get_or_add_trPr()  # noqa: SLF001
    header = properties.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"})
    properties.append(header)


NUMERIC_UNITS = {"pence", "percent", "count", "quantity", "ratio"}


def docx_bytes(document: dict[str, Any], *, status: str) -> bytes:
    """The report in a committee-report shape: title, status, contents in numbered sections,
    each figure with its definition, tables with header rows, charts as images with alt text,
    and the recommendations for the coming year."""
    word = Document()
    word.core_properties.title = document["title"]
    word.core_properties.author = document["council"]["name"]
    word.styles["Normal"].font.name = "Arial"
    word.styles["Normal"].font.size = Pt(11)
    word.add_heading(document["title"], level=0)
    word.add_paragraph(f"{document['council']['name']}. {status}.")
    year = document["year"]
    previous = document.get("previous_year")
    word.add_paragraph(
        f"Year {year['number']} of the Social Value Policy: "
        f"{format_value(year['starts_on'], 'date')} to {format_value(year['ends_on'], 'date')}"
        + (f", compared with year {previous['number']} ({previous['label']})." if previous else ".")
    )
    if document.get("introduction"):
        word.add_heading("Introduction", level=1)
        for paragraph in str(document["introduction"]).split("\n\n"):
            word.add_paragraph(paragraph.strip())
    word.add_heading("Contents", level=1)
    for section in document["sections"]:
        word.add_paragraph(f"{section['number']}. {section['title']}")
    if document.get("recommendations"):
        word.add_paragraph(f"{len(document['sections']) + 1}. Recommendations")
    for section in document["sections"]:
        word.add_heading(f"{section['number']}. {section['title']}", level=1)
        if section.get("narrative"):
            for paragraph in str(section["narrative"]).split("\n\n"):
                word.add_paragraph(paragraph.strip())
        for note in section.get("notes", []):
            word.add_paragraph(note)
        if section["figures"]:
            _figures_table(word, section["figures"], bool(previous))
        for table_ in section["tables"]:
            _table(word, table_)
        for item in section.get("items", []):
            word.add_heading(item["title"], level=3)
            word.add_paragraph(f"{item['supplier']}, {item['contract']}, {item['period']}.")
            word.add_paragraph(item["story"])
    if document.get("recommendations"):
        number = len(document["sections"]) + 1
        word.add_heading(f"{number}. Recommendations", level=1)
        for index, text in enumerate(document["recommendations"], start=1):
            word.add_paragraph(f"{number}.{index} {text}")
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _figures_table(word: Any, figures: list[dict[str, Any]], compare: bool) -> None:
    headings = (
        ["Figure", "This year"] + (["Last year", "Change"] if compare else []) + ["What it means"]
    )
    grid = word.add_table(rows=1, cols=len(headings))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(grid.rows[0].cells, headings, strict=True):
        _cell(cell, text, bold=True)
    _header_row(grid)
    for item in figures:
        cells = grid.add_row().cells
        _cell(cells[0], item["label"])
        value = item.get("withheld") and WITHHELD or format_value(item["value"], item["unit"])
        _cell(cells[1], value, numeric=True)
        if compare:
            _cell(cells[2], format_value(item["previous"], item["unit"]), numeric=True)
            _cell(cells[3], format_change(item), numeric=True)
        _cell(cells[-1], item.get("withheld") or item["definition"])


def _table(word: Any, table_: dict[str, Any]) -> None:
    word.add_heading(table_["title"], level=2)
    word.add_paragraph(table_["definition"])
    if not table_["rows"]:
        word.add_paragraph("None in this year.")
        return
    svg = chart_svg(table_)
    if svg is not None:
        png = vl_convert.svg_to_png(svg, scale=1.5)
        picture = word.add_picture(io.BytesIO(png), width=Cm(16))
        _alt_text(picture, table_["chart"]["alt"])
    columns = table_["columns"]
    grid = word.add_table(rows=1, cols=len(columns))
    grid.style = "Table Grid"
    for cell, col in zip(grid.rows[0].cells, columns, strict=True):
        _cell(cell, col["label"] or table_["title"], bold=True)
    _header_row(grid)
    for entry in table_["rows"]:
        cells = grid.add_row().cells
        for cell, col in zip(cells, columns, strict=True):
            value = entry["cells"].get(col["key"])
            if entry.get("withheld") and col["unit"] == "pence":
                text = WITHHELD
            else:
                text = format_value(value, col["unit"])
            _cell(cell, text, numeric=col["unit"] in NUMERIC_UNITS)


# --- What changed between versions -------------------------------------------------------


def changes_between(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, str]]:
    """Every figure, table cell, section and word that differs between two versions, as
    {"where", "what", "before", "after"} in words."""
    found: list[dict[str, str]] = []

    def add(where: str, what: str, before: str, after: str) -> None:
        if before != after:
            found.append({"where": where, "what": what, "before": before, "after": after})

    old_sections = {s["key"]: s for s in old["sections"]}
    new_sections = {s["key"]: s for s in new["sections"]}
    for key, section in new_sections.items():
        if key not in old_sections:
            add(section["title"], "Section", "Not in the report", "Added")
    for key, section in old_sections.items():
        if key not in new_sections:
            add(section["title"], "Section", "In the report", "Removed")
    add("Report", "Introduction", old.get("introduction", ""), new.get("introduction", ""))
    add(
        "Report",
        "Recommendations for the coming year",
        "; ".join(old.get("recommendations", [])),
        "; ".join(new.get("recommendations", [])),
    )
    for key, section in new_sections.items():
        before_section = old_sections.get(key)
        if before_section is None:
            continue
        title = section["title"]
        add(title, "Narrative", before_section.get("narrative", ""), section.get("narrative", ""))
        old_figures = {f["key"]: f for f in before_section["figures"]}
        for item in section["figures"]:
            earlier = old_figures.get(item["key"])
            if earlier is None:
                add(title, item["label"], DASH, format_value(item["value"], item["unit"]))
                continue
            add(
                title,
                item["label"],
                format_value(earlier["value"], earlier["unit"]),
                format_value(item["value"], item["unit"]),
            )
        old_tables = {t["key"]: t for t in before_section["tables"]}
        for table_ in section["tables"]:
            earlier_table = old_tables.get(table_["key"])
            if earlier_table is None:
                continue
            first = table_["columns"][0]["key"]
            old_rows = {str(r["cells"].get(first)): r for r in earlier_table["rows"]}
            new_rows = {str(r["cells"].get(first)): r for r in table_["rows"]}
            for name, entry in new_rows.items():
                previous_row = old_rows.get(name)
                for col in table_["columns"][1:]:
                    before_text = (
                        format_value(previous_row["cells"].get(col["key"]), col["unit"])
                        if previous_row
                        else DASH
                    )
                    add(
                        f"{title}: {table_['title']}",
                        f"{name}, {col['label'].lower() or col['key']}",
                        before_text,
                        format_value(entry["cells"].get(col["key"]), col["unit"]),
                    )
            for name in old_rows.keys() - new_rows.keys():
                add(f"{title}: {table_['title']}", name, "In the table", "No longer in the table")
    return found


# --- Open data: one table as CSV rows or JSON --------------------------------------------

UNIT_SUFFIX = {"pence": " (£)", "percent": " (%)"}


def _open_value(value: Any, unit: str) -> Any:
    """A cell as open data: pounds to the penny, other numbers as they are, dates ISO."""
    if value is None:
        return ""
    if unit == "pence":
        pence = int(value)
        sign = "-" if pence < 0 else ""
        whole, part = divmod(abs(pence), 100)
        return f"{sign}{whole}.{part:02d}"
    return value


def table_csv_rows(table_: dict[str, Any]) -> list[list[Any]]:
    """The table as rows after a header row; a "note" column says why any cell is withheld."""
    columns = table_["columns"]
    withheld = any(entry.get("withheld") for entry in table_["rows"])
    header = [(c["label"] or table_["title"]) + UNIT_SUFFIX.get(c["unit"], "") for c in columns]
    rows: list[list[Any]] = [header + (["note"] if withheld else [])]
    for entry in table_["rows"]:
        cells = [_open_value(entry["cells"].get(c["key"]), c["unit"]) for c in columns]
        rows.append(cells + ([entry.get("withheld", "")] if withheld else []))
    return rows


def table_json(table_: dict[str, Any], *, source: str) -> dict[str, Any]:
    return {
        "title": table_["title"],
        "definition": table_["definition"],
        "source": source,
        "licence": {"name": OGL_NAME, "url": OGL_URL},
        "columns": [
            {"key": c["key"], "label": c["label"] or table_["title"], "unit": c["unit"]}
            for c in table_["columns"]
        ],
        "rows": [
            {
                **{
                    c["key"]: _open_value(entry["cells"].get(c["key"]), c["unit"])
                    for c in table_["columns"]
                },
                **({"withheld": entry["withheld"]} if entry.get("withheld") else {}),
            }
            for entry in table_["rows"]
        ],
    }
