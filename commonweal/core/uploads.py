"""Uploaded tables on the Django side: the limits from settings, an upload as a file on disk,
whether a file is read while the person waits or by a background job, and uploads kept for a
later step (or for the job) in the data folder, which the web process and workers share."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.text import get_valid_filename

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


def upload_reads_in_background(upload: Any) -> bool:
    """``reads_in_background`` for a file still being uploaded (not yet kept)."""
    if upload.size > settings.COMMONWEAL_UPLOAD_BACKGROUND_BYTES:
        return True
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return workbook_format(head) is not None


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


def uploads_dir() -> Path:
    return Path(settings.DATA_DIR) / "uploads"


#: A kept upload nobody went on with (a person who left at the column step) is removed then.
KEPT_UPLOADS_LAST = timedelta(days=2)


def upload_keep(upload: Any, *, purpose: str) -> Path:
    """Keep an uploaded file for a later step: ``<DATA_DIR>/uploads/<purpose>/<random>/<name>``,
    its name made safe. Returns where it is kept. Uploads for ``purpose`` kept longer than
    ``KEPT_UPLOADS_LAST`` are removed first."""
    _remove_stale(uploads_dir() / purpose)
    folder = uploads_dir() / purpose / uuid.uuid4().hex
    folder.mkdir(parents=True)
    path = folder / (get_valid_filename(Path(upload.name).name) or "upload")
    upload.seek(0)
    with path.open("wb") as copy:
        if hasattr(upload, "chunks"):
            for chunk in upload.chunks():
                copy.write(chunk)
        else:
            shutil.copyfileobj(upload, copy)
    upload.seek(0)
    return path


def _remove_stale(purpose_dir: Path) -> None:
    if not purpose_dir.is_dir():
        return
    cutoff = (timezone.now() - KEPT_UPLOADS_LAST).timestamp()
    for folder in purpose_dir.iterdir():
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)


def kept_upload(text: str, *, purpose: str) -> Path | None:
    """The kept upload at ``text`` (as ``upload_keep`` returned it, perhaps from a session),
    if it is still there and was kept for ``purpose``; None otherwise."""
    path = Path(text)
    folder = uploads_dir() / purpose
    if path.parent.parent != folder or not path.is_file():
        return None
    return path


def upload_forget(path: Path) -> None:
    """Remove a kept upload and whatever was written beside it."""
    if path.parent.parent.parent == uploads_dir():
        shutil.rmtree(path.parent, ignore_errors=True)
