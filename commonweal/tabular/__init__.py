"""Reading uploaded tables, once, for every import: CSV files in any encoding and delimiter,
workbooks (.xlsx, .xlsm, .xls, .ods) and JSON, each within ``Limits`` checked before the
file is parsed. No Django here: the web app passes its settings in as ``Limits``.

- ``read_table``: one table (a CSV file, or a worksheet) as rows of text.
- ``open_workbook``: the visible worksheets of a workbook, each read when asked.
- ``read_json``: a JSON document.
- ``TableError`` (and ``LimitExceeded``): what every reader raises, naming the file, and the
  row and column when the problem is in one place.
"""

from commonweal.tabular.delimited import column_letter, csv_records, read_csv
from commonweal.tabular.encoding import EncodingSniffer, decode_sample, decode_text
from commonweal.tabular.jsonfile import read_json
from commonweal.tabular.limits import LimitExceeded, Limits, TableError, size_text
from commonweal.tabular.sniff import (
    HEADER_SEARCH_RECORDS,
    file_head,
    sniff_delimiter,
    workbook_format,
)
from commonweal.tabular.tables import Table, find_header_row, read_table
from commonweal.tabular.workbooks import (
    SPREADSHEET_KINDS,
    WORKBOOK_SUFFIXES,
    UnreadableWorkbook,
    Worksheet,
    cell_text,
    open_workbook,
)

__all__ = [
    "HEADER_SEARCH_RECORDS",
    "SPREADSHEET_KINDS",
    "WORKBOOK_SUFFIXES",
    "EncodingSniffer",
    "LimitExceeded",
    "Limits",
    "Table",
    "TableError",
    "UnreadableWorkbook",
    "Worksheet",
    "cell_text",
    "column_letter",
    "csv_records",
    "decode_sample",
    "decode_text",
    "file_head",
    "find_header_row",
    "open_workbook",
    "read_csv",
    "read_json",
    "read_table",
    "size_text",
    "sniff_delimiter",
    "workbook_format",
]
