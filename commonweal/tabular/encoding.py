"""The text encoding of a CSV file, by one rule wherever a file is read.

Excel and finance systems save "CSV" as UTF-16 when the file starts with a byte-order mark,
as UTF-8 (with or without a byte-order mark), or, on a UK machine, as Windows-1252 (the pound
sign is byte 0xA3). A file that is valid UTF-8 is read as UTF-8; any other is Windows-1252,
which gives every byte a character, so text is never refused for its encoding.
"""

from __future__ import annotations

import codecs

UTF8 = "utf-8"
UTF16 = "utf-16"
WINDOWS_1252 = "cp1252"

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def starts_utf16(head: bytes) -> bool:
    return head.startswith(_UTF16_BOMS)


class EncodingSniffer:
    """Decides a file's encoding from its bytes fed in pieces (so a large file is read once,
    perhaps while it is hashed); ``encoding`` is the answer once every piece is fed."""

    def __init__(self, head: bytes) -> None:
        self._utf16 = starts_utf16(head)
        self._decoder = codecs.getincrementaldecoder(UTF8)()
        self._is_utf8 = not self._utf16

    def feed(self, chunk: bytes) -> None:
        if self._is_utf8:
            try:
                self._decoder.decode(chunk)
            except UnicodeDecodeError:
                self._is_utf8 = False

    @property
    def encoding(self) -> str:
        if self._utf16:
            return UTF16
        if self._is_utf8:
            try:
                self._decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                self._is_utf8 = False
        return UTF8 if self._is_utf8 else WINDOWS_1252


def encoding_of(data: bytes) -> str:
    """The encoding of the whole of a file's bytes."""
    sniffer = EncodingSniffer(data)
    sniffer.feed(data)
    return sniffer.encoding


def decode_text(data: bytes) -> str:
    """The text of the whole of a file's bytes (a byte-order mark is dropped)."""
    encoding = encoding_of(data)
    if encoding == UTF16:
        return data.decode(UTF16)
    return data.decode("utf-8-sig" if encoding == UTF8 else WINDOWS_1252, errors="replace")


def decode_sample(data: bytes) -> str:
    """The text of the first bytes of a file, whose last character may be cut short."""
    if starts_utf16(data):
        return data[: len(data) - len(data) % 2].decode(UTF16, errors="replace")
    for cut in range(4):  # a UTF-8 character is at most four bytes, three of them cut off
        try:
            return data[: len(data) - cut].decode("utf-8-sig")
        except UnicodeDecodeError:
            continue
    return data.decode(WINDOWS_1252, errors="replace")
