"""Checks on uploaded evidence: what the file really is, how big it is, and (optionally) viruses.

The type is decided from the file's content, never its name: a PDF starts with %PDF-, a PNG and
a JPEG with their signatures, an XLSX or DOCX is a zip holding the parts those formats require,
and a CSV is plain UTF-8 text with no markup in it. Anything else is refused.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import socket
import struct
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings

CSV_SAMPLE_BYTES = 64 * 1024
MARKUP = re.compile(rb"<\s*(!doctype|html|script|svg|iframe|body|head|meta|object|embed)", re.I)


@dataclass(frozen=True)
class AllowedType:
    extension: str
    content_type: str
    label: str


PDF = AllowedType("pdf", "application/pdf", "PDF")
PNG = AllowedType("png", "image/png", "PNG image")
JPEG = AllowedType("jpg", "image/jpeg", "JPEG image")
CSV = AllowedType("csv", "text/csv", "CSV file")
XLSX = AllowedType(
    "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "Excel workbook",
)
DOCX = AllowedType(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "Word document",
)
ALLOWED_LABELS = "PDF, PNG, JPEG, CSV, Excel (.xlsx) or Word (.docx)"


class EvidenceRefused(ValueError):
    """The file cannot be accepted; the message says why and what to do."""


def max_bytes() -> int:
    return int(settings.COMMONWEAL_EVIDENCE_MAX_BYTES)


def _zip_type(data: IO[bytes]) -> AllowedType | None:
    try:
        with zipfile.ZipFile(data) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "xl/workbook.xml" in names:
        return XLSX
    if "word/document.xml" in names:
        return DOCX
    return None


def _looks_like_csv(sample: bytes) -> bool:
    if b"\x00" in sample or MARKUP.search(sample):
        return False
    try:
        text = sample.decode("utf-8-sig")
    except UnicodeDecodeError:
        # The sample may cut a multi-byte character in half at its end.
        try:
            text = sample[:-3].decode("utf-8-sig")
        except UnicodeDecodeError:
            return False
    if not text.strip() or text.lstrip().startswith("<"):
        return False
    try:
        # newline="": a lone carriage return ends a line, as in the file, not mid-field.
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:  # a quote left open at the end of the sample, say: not a table we read
        return False
    return bool(rows) and any(len(row) > 1 for row in rows)


def detect_type(data: IO[bytes]) -> AllowedType:
    """What the file is, judged by its content; EvidenceRefused if not on the allow-list."""
    data.seek(0)
    head = data.read(8)
    data.seek(0)
    if head.startswith(b"%PDF-"):
        found = PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        found = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        found = JPEG
    elif head.startswith(b"PK\x03\x04"):
        zipped = _zip_type(data)
        data.seek(0)
        if zipped is None:
            raise EvidenceRefused(
                f"The file is a zip archive but not an Excel or Word document. Upload a "
                f"{ALLOWED_LABELS} file"
            )
        found = zipped
    elif _looks_like_csv(data.read(CSV_SAMPLE_BYTES)):
        found = CSV
    else:
        data.seek(0)
        raise EvidenceRefused(
            f"The file's content is not a type we accept. Upload a {ALLOWED_LABELS} file"
        )
    data.seek(0)
    return found


def safe_name(original: str, allowed: AllowedType) -> str:
    """A display and download name with no path, control characters or misleading extension."""
    base = original.replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = re.sub(r"[^A-Za-z0-9._ -]+", "-", stem).strip(" .-_")[:120] or "evidence"
    return f"{stem}.{allowed.extension}"


def sha256_of(data: IO[bytes]) -> str:
    data.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: data.read(1024 * 1024), b""):
        digest.update(chunk)
    data.seek(0)
    return digest.hexdigest()


def virus_scan(data: IO[bytes]) -> None:
    """Stream the file to clamd when COMMONWEAL_CLAMD_SOCKET names its Unix socket.

    Skipped when the setting is empty. A file clamd flags, or any failure to reach clamd, is
    refused: evidence that could not be checked is not stored.
    """
    path = settings.COMMONWEAL_CLAMD_SOCKET
    if not path:
        return
    data.seek(0)
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(30)
            connection.connect(path)
            connection.sendall(b"zINSTREAM\0")
            for chunk in iter(lambda: data.read(64 * 1024), b""):
                connection.sendall(struct.pack("!L", len(chunk)) + chunk)
            connection.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                part = connection.recv(4096)
                if not part:
                    break
                reply += part
    except OSError as error:
        raise EvidenceRefused(
            "The file could not be checked for viruses just now. Try again later"
        ) from error
    finally:
        data.seek(0)
    answer = reply.rstrip(b"\0").decode(errors="replace")
    if answer.endswith("FOUND"):
        raise EvidenceRefused("The file was refused because the virus check found a problem")
    if not answer.endswith("OK"):
        raise EvidenceRefused("The file could not be checked for viruses just now. Try again later")


def check_upload(data: IO[bytes], size: int) -> AllowedType:
    """Size, type by content and virus scan; the type found, or EvidenceRefused."""
    limit = max_bytes()
    if size > limit:
        raise EvidenceRefused(f"The file must be smaller than {limit // (1024 * 1024)} MB")
    if size == 0:
        raise EvidenceRefused("The file is empty")
    allowed = detect_type(data)
    virus_scan(data)
    return allowed
