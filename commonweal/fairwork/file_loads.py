"""The page side of loading Real Living Wage rates or Equality Framework criteria from a file.

A small CSV file is read while the person waits; a workbook, or any file over
``COMMONWEAL_UPLOAD_BACKGROUND_BYTES``, is kept in the data folder and read by a background job
(core.jobs), whose page shows its progress, then the confirm page, or every problem with the file
and 'Try again'. Either way nothing is written until the person confirms: the rows wait in their
session (read here) or beside the kept file (read by the job).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from commonweal.accounts.access import request_user
from commonweal.accounts.models import Organisation
from commonweal.accounts.organisation_pages import follow_job
from commonweal.core.jobs import job_start
from commonweal.core.uploads import reads_in_background, upload_forget, upload_keep
from commonweal.fairwork import selectors
from commonweal.fairwork.forms import UploadForm
from commonweal.fairwork.loading import as_session
from commonweal.frameworks.importing import FrameworkImportError, ImportProblem


@dataclass(frozen=True)
class FileLoad:
    """One kind of file a council loads: how it is read, where it waits, and its two pages."""

    what: str
    """What the file holds, in a job's title: "Real Living Wage rates"."""
    session_key: str
    purpose: str
    read: Callable[..., Sequence[Any]]
    """The service that reads and checks the file: read(council=, path=, filename=)."""
    task: Any
    """The background task that calls ``read`` for a large file or a workbook."""
    upload_page: str
    confirm_page: str
    upload_template: str
    confirm_template: str
    upload_again: str
    """Said when the confirm page has no rows waiting: "Upload the file of rates again"."""


def upload_page(request: HttpRequest, council: Organisation, load: FileLoad) -> HttpResponse:
    """The upload form; a file read without problems goes on to the confirm page."""
    form = UploadForm(request.POST or None, request.FILES or None)
    problems = None
    if request.method == "POST" and form.is_valid():
        received = file_received(
            request,
            form.cleaned_data["file"],
            council=council,
            session_key=load.session_key,
            purpose=load.purpose,
            read=lambda path, filename: load.read(council=council, path=path, filename=filename),
            task=load.task,
            what=load.what,
            confirm=reverse(load.confirm_page),
        )
        if isinstance(received, HttpResponse):
            return received
        problems = received
    return render(
        request,
        load.upload_template,
        {"form": form, "problems": problems, "filename": form.files.get("file", "")},
    )


def confirm_page(
    request: HttpRequest,
    council: Organisation,
    load: FileLoad,
    *,
    row: Callable[..., Any],
    save: Callable[[list[Any], str], str],
    done_page: str,
    shown: Callable[[list[Any]], Any] = list,
) -> HttpResponse:
    """The rows read from the file, to check; on confirming, ``save(rows, filename)`` writes all
    of them or none and returns what to tell the person."""
    waiting = rows_waiting(
        request, council=council, session_key=load.session_key, purpose=load.purpose
    )
    if waiting is None:
        messages.info(request, load.upload_again)
        return redirect(load.upload_page)
    filename, rows = waiting[0], [row(**fields) for fields in waiting[1]]
    if request.method == "POST":
        try:
            done = save(rows, filename)
        except ValidationError as problem:
            messages.error(request, "; ".join(problem.messages))
            return redirect(load.upload_page)
        file_finished(request, load.session_key)
        messages.success(request, done)
        return redirect(done_page)
    return render(request, load.confirm_template, {"rows": shown(rows), "filename": filename})


def file_received(
    request: HttpRequest,
    upload: Any,
    *,
    council: Organisation,
    session_key: str,
    purpose: str,
    read: Callable[[Path, str], Sequence[Any]],
    task: Any,
    what: str,
    confirm: str,
) -> HttpResponse | list[ImportProblem]:
    """Read ``upload`` (with ``read``, here or by ``task`` in a job) and go on to the ``confirm``
    page; or the problems with the file, to list on the upload page."""
    file_finished(request, session_key)
    filename = PurePath(upload.name).name
    path = upload_keep(upload, purpose=purpose)
    state = {"council": council.pk, "filename": filename, "path": str(path)}
    request.session[session_key] = state
    if reads_in_background(path):
        job = job_start(
            organisation=council,
            kind=f"{purpose}-read",
            title=f"Reading the {what} in {filename}",
            by=request_user(request),
            task=task,
            args=[str(path), filename, council.pk],
        )
        return follow_job(job)
    try:
        rows = read(path, filename)
    except FrameworkImportError as error:
        file_finished(request, session_key)
        return list(error.problems)
    upload_forget(path)
    request.session[session_key] = {**state, "path": "", "rows": as_session(list(rows))}
    return redirect(confirm)


def rows_waiting(
    request: HttpRequest, *, council: Organisation, session_key: str, purpose: str
) -> tuple[str, list[dict[str, Any]]] | None:
    """(the file's name, its rows) waiting to be confirmed by this person for ``council``; None
    if there are none (never uploaded, already loaded, or a job still reading it)."""
    state = request.session.get(session_key)
    if not state or state.get("council") != council.pk:
        return None
    rows = state.get("rows")
    if rows is None and state.get("path"):
        rows = selectors.loaded_rows(state["path"], purpose=purpose)
    return (state["filename"], rows) if rows is not None else None


def file_finished(request: HttpRequest, session_key: str) -> None:
    """Forget the file waiting in this person's session, and remove it if it was kept."""
    state = request.session.pop(session_key, None)
    if state and state.get("path"):
        upload_forget(Path(state["path"]))
