"""Reading the files the service hands out, as a person's spreadsheet would."""

from __future__ import annotations

from typing import Any

from commonweal.core.downloads import EXCEL_UTF8_MARK


def csv_text(response: Any) -> str:
    """A CSV download's text after the mark that makes Excel read it as UTF-8 (checked)."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8")
    assert text.startswith(EXCEL_UTF8_MARK), "a CSV download starts with the UTF-8 mark"
    return text[len(EXCEL_UTF8_MARK) :]
