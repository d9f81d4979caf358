"""Writing small workbooks for tests in each format councils publish spend in, by the name's
suffix: .xlsx and .xlsm (openpyxl), .xls (xlwt) and .ods (written out here: an OpenDocument
spreadsheet is a zip of XML files, and no maintained library writes one without pandas)."""

import zipfile
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import xlwt
from openpyxl import Workbook

Sheets = dict[str, list[list]]
FORMATS = (".xlsx", ".xlsm", ".xls", ".ods")


def write_workbook(path: Path, sheets: Sheets) -> Path:
    """A workbook holding ``sheets`` (title -> rows), in the format ``path``'s suffix names.
    Dates are written as dates, numbers as numbers and None as an empty cell."""
    writers = {".xlsx": _write_xlsx, ".xlsm": _write_xlsx, ".xls": _write_xls, ".ods": _write_ods}
    writers[path.suffix](path, sheets)
    return path


def _write_xlsx(path: Path, sheets: Sheets, hidden: frozenset[str] = frozenset()) -> None:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        sheet.sheet_state = "hidden" if title in hidden else "visible"
        for row in rows:
            sheet.append(row)
    book.save(path)


def write_xlsx_with_hidden_sheets(path: Path, sheets: Sheets, hidden: set[str]) -> Path:
    """An .xlsx workbook whose worksheets named in ``hidden`` are hidden, as Excel hides them."""
    _write_xlsx(path, sheets, frozenset(hidden))
    return path


def _write_xls(path: Path, sheets: Sheets) -> None:
    book = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for title, rows in sheets.items():
        sheet = book.add_sheet(title)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, date):
                    sheet.write(r, c, value, date_style)
                elif value is not None:
                    sheet.write(r, c, value)
    book.save(str(path))


_ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)
_ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"


def _ods_cell(value: object) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, date):
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
            f"<text:p>{value:%d/%m/%Y}</text:p></table:table-cell>"
        )
    if isinstance(value, int | float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p>'
        "</table:table-cell>"
    )


def _write_ods(path: Path, sheets: Sheets) -> None:
    _write_ods_content(path, _ods_tables(sheets))


def _ods_tables(sheets: Sheets) -> str:
    return "".join(
        f"<table:table table:name={quoteattr(title)}>"
        + "".join(
            "<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>"
            for row in rows
        )
        + "</table:table>"
        for title, rows in sheets.items()
    )


def _write_ods_content(path: Path, tables: str) -> None:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NAMESPACES} '
        'office:version="1.2"><office:body><office:spreadsheet>'
        f"{tables}</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{_ODS_MIMETYPE}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        # The specification puts the media type first and uncompressed, where readers look.
        archive.writestr(zipfile.ZipInfo("mimetype"), _ODS_MIMETYPE, zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)


def write_password_protected(path: Path, sheets: Sheets, password: str) -> Path:
    """An .xlsx workbook encrypted with ``password``, as Excel's "Encrypt with Password" saves it."""
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = path.with_name(f"plain-{path.name}")
    _write_xlsx(plain, sheets)
    with plain.open("rb") as source, path.open("wb") as target:
        OOXMLFile(source).encrypt(password, target)
    plain.unlink()
    return path


def write_xlsx_cells(path: Path, cells: dict[str, object]) -> Path:
    """An .xlsx workbook with one worksheet holding ``cells`` ("A1": value), wherever they
    stand (openpyxl writes only the cells that are set)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    for reference, value in cells.items():
        sheet[reference] = value
    book.save(path)
    return path


def write_ods_repeated(path: Path, rows: int, columns: int) -> Path:
    """An .ods spreadsheet of a few hundred bytes whose second row, a cell holding "x"
    repeated ``columns`` times, is itself repeated ``rows`` times: rows x columns cells."""
    table = (
        '<table:table table:name="Sheet1"><table:table-row><table:table-cell '
        'office:value-type="string"><text:p>Amount</text:p></table:table-cell></table:table-row>'
        f'<table:table-row table:number-rows-repeated="{rows}"><table:table-cell '
        f'table:number-columns-repeated="{columns}" office:value-type="string"><text:p>x</text:p>'
        "</table:table-cell></table:table-row></table:table>"
    )
    _write_ods_content(path, table)
    return path


def write_xlsx_bomb(path: Path, rows: int, columns: int = 10) -> Path:
    """A small .xlsx workbook that unpacks to far more: ``rows`` rows of ``columns`` numbers,
    written straight to the zip (openpyxl would take minutes over a large one)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="'
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http:'
            '//schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats'
            '.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http:'
            '//schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        )
        row = "".join(f"<c><v>{column}</v></c>" for column in range(columns))
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            block = (f"<row>{row}</row>" * 1000).encode()
            for _ in range(rows // 1000):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    return path
