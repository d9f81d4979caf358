"""What kind of file this is, judged by its first bytes rather than its name, and which
delimiter a CSV file uses."""

from __future__ import annotations

from pathlib import Path

from commonweal.tabular.encoding import starts_utf16
from commonweal.tabular.limits import LimitExceeded, Limits, TableError, size_text

HEAD_BYTES = 8192
#: Records of a file looked at to find its header row and its delimiter.
HEADER_SEARCH_RECORDS = 50

_ZIP_SIGNATURE = b"PK\x03\x04"
_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0"
# An OpenDocument file starts with an uncompressed entry "mimetype" naming its kind.
_ODS_MIMETYPE = b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet"
_SAVE_AS = "open it in Excel and save it as an .xlsx workbook or a CSV file"
DELIMITERS = (",", ";", "\t", "|")


def workbook_format(head: bytes) -> str | None:
    """The kind of workbook the first bytes of a file begin ("xlsx", "xls" or "ods"); None
    for anything else (text, most likely)."""
    if head.startswith(_OLE2_SIGNATURE):
        return "xls"
    if head.startswith(_ZIP_SIGNATURE):
        return "ods" if head[30 : 30 + len(_ODS_MIMETYPE)] == _ODS_MIMETYPE else "xlsx"
    return None


def check_size(path: Path, name: str, limits: Limits) -> int:
    """The file's size in bytes; refused when it is over the limit."""
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise LimitExceeded(
            name,
            f"the file is {size_text(size)}; files of up to {size_text(limits.max_bytes)} can "
            "be read, so split it into smaller files",
            limit="max_bytes",
        )
    return size


def file_head(path: Path, name: str, limits: Limits) -> bytes:
    """The first bytes of a file that is not empty nor too large, for telling a workbook
    from text.

    Some finance and web systems export a web page or an Excel 2003 XML file under a
    spreadsheet's name; neither is read, and the message says how to save it instead.
    """
    check_size(path, name, limits)
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    if not head.strip():
        raise TableError(name, "the file is empty")
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:64].lower()
    if start.startswith((b"<!doctype html", b"<html", b"<table")):
        raise TableError(name, f"this is a web page (HTML), not a spreadsheet; {_SAVE_AS}")
    if start.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        raise TableError(name, f"this is an Excel 2003 XML spreadsheet; {_SAVE_AS}")
    return head


def check_text(head: bytes, name: str) -> None:
    """Refuse a file that is not text (and is no workbook either)."""
    if b"\x00" in head and not starts_utf16(head):
        raise TableError(name, "this is not a text (CSV) file or a spreadsheet")


def sniff_delimiter(sample: str) -> str:
    """The delimiter (comma, semicolon, tab or bar) used most in the first lines of a text."""
    lines = first_lines(sample, HEADER_SEARCH_RECORDS)
    counts = {d: sum(line.count(d) for line in lines) for d in DELIMITERS}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def first_lines(text: str, count: int) -> list[str]:
    """``text.splitlines()[:count]`` without splitting all of a long text."""
    prefix_length = 16384
    while True:
        lines = text[:prefix_length].splitlines()
        # With more than ``count`` lines in the prefix, the first ``count`` all ended inside it.
        if len(lines) > count or prefix_length >= len(text):
            return lines[:count]
        prefix_length *= 4
