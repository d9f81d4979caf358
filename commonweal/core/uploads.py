"""Uploaded tables on the Django side: the limits from settings, an upload as a file on disk,
and whether a file is read while the person waits or by a background job."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings

from commonweal.tabular import Limits, workbook_format
from commonweal.tabular.sniff import HEAD_BYTES


def upload_limits() -> Limits:
    """The most an uploaded table may hold (settings ``COMMONWEAL_UPLOAD_*``)."""
    limits: Limits = settings.COMMONWEAL_UPLOAD_LIMITS
    return limits


def reads_in_background(path: Path) -> bool:
    """Whether reading the file may take more than a second: every workbook (it is unpacked
    and parsed whole), and any file over ``COMMONWEAL_UPLOAD_BACKGROUND_BYTES``."""
    if path.stat().st_size > settings.COMMONWEAL_UPLOAD_BACKGROUND_BYTES:
        return True
    with path.open("rb") as handle:
        return workbook_format(handle.read(HEAD_BYTES)) is not None


@contextmanager
def upload_on_disk(upload: Any) -> Iterator[Path]:
    """An uploaded file (or any file object) as a path to read, for as long as the block runs:
    the upload's own temporary file when it has one, else a copy."""
    if hasattr(upload, "temporary_file_path"):
        yield Path(upload.temporary_file_path())
        return
    with tempfile.TemporaryDirectory(prefix="commonweal-upload-") as folder:
        path = Path(folder) / "upload"
        upload.seek(0)
        with path.open("wb") as copy:
            shutil.copyfileobj(upload, copy)
        upload.seek(0)
        yield path
