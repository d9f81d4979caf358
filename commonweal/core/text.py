"""Text of uploaded spreadsheets saved as CSV."""

from __future__ import annotations

import codecs


def decode_csv_bytes(data: bytes) -> str:
    """The text of a CSV file as Excel and finance systems save it: UTF-16 when it starts with
    a byte-order mark, UTF-8 (with or without one) when it is valid UTF-8, and otherwise
    Windows-1252, which Excel on a UK machine writes for "CSV" (the pound sign is 0xA3)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
