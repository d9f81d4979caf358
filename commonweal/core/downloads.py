"""Files the service hands out are always downloads, never pages the browser renders."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

CSV = "text/csv; charset=utf-8"
#: Written first in every CSV download: without it Excel reads UTF-8 as Windows-1252, so
#: "£" shows as "Â£" and "CAFÉ" as "CAFÃ‰". Spreadsheet tools, DuckDB and pandas skip it.
EXCEL_UTF8_MARK = "\ufeff"


def attachment(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def csv_attachment(filename: str) -> HttpResponse:
    """An empty CSV download, marked for Excel, for a ``csv.writer`` to write into."""
    return attachment(EXCEL_UTF8_MARK, CSV, filename)


def streamed_csv_attachment(chunks: Iterable[str | bytes], filename: str) -> StreamingHttpResponse:
    """A CSV download, marked for Excel, sent as ``chunks`` (UTF-8) are produced."""
    response = StreamingHttpResponse(chain([EXCEL_UTF8_MARK], chunks), content_type=CSV)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def file_chunks(path: Path) -> Iterator[bytes]:
    """A file's bytes in pieces, for a streamed download."""
    with path.open("rb") as handle:
        yield from iter(lambda: handle.read(64 * 1024), b"")
