"""Services for background jobs: start one, claim it in the worker, report progress, finish.

Tasks take a job id, claim it with a conditional update (so two workers never run the same
job), and can be re-run after a failure.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from commonweal.core.models import Job


def job_create(*, organisation: Any, kind: str, title: str, by: Any) -> Job:
    return Job.objects.create(organisation=organisation, kind=kind, title=title, created_by=by)


def job_start(
    *, organisation: Any, kind: str, title: str, by: Any, task: Any, args: Sequence[Any] = ()
) -> Job:
    """Create a job and queue ``task`` (a django-tasks task taking the job's id, then
    ``args``) to do it."""
    job = job_create(organisation=organisation, kind=kind, title=title, by=by)
    task.enqueue(str(job.pk), *args)
    return job


def job_claim(*, job_id: uuid.UUID | str) -> bool:
    """Mark a queued (or previously failed) job as running. False if someone else has it."""
    claimed = Job.objects.filter(
        pk=job_id, status__in=[Job.Status.QUEUED, Job.Status.FAILED]
    ).update(status=Job.Status.RUNNING, started_at=timezone.now(), error="", finished_at=None)
    return claimed == 1


def job_progress(
    *, job_id: uuid.UUID | str, stage: str, rows_done: int = 0, rows_total: int | None = None
) -> None:
    if rows_total is not None:
        rows_done = min(rows_done, rows_total)
    Job.objects.filter(pk=job_id).update(
        stage=stage, rows_done=rows_done, rows_total=rows_total, updated_at=timezone.now()
    )


def job_succeed(*, job_id: uuid.UUID | str, result_url: str = "", stage: str = "Finished") -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.SUCCEEDED, result_url=result_url, stage=stage, finished_at=timezone.now()
    )


def job_fail(*, job_id: uuid.UUID | str, error: str, retry_url: str = "") -> None:
    """Record the failure; ``retry_url`` is where the person can put the problem right."""
    # A message may quote a broken file's bytes; PostgreSQL refuses NUL in text.
    error = error.replace("\x00", "\ufffd")
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.FAILED, error=error, result_url=retry_url, finished_at=timezone.now()
    )


def run_job(job_id: uuid.UUID | str, work: Callable[[Job], str]) -> None:
    """Claim the job, run ``work`` (which returns the result page's address), record the outcome.

    Expected problems are raised by ``work`` as ``JobError`` with a message for the person who
    started the job; anything else is recorded as an unexpected failure and re-raised so the
    worker logs the traceback.
    """
    if not job_claim(job_id=job_id):
        return
    job = Job.objects.get(pk=job_id)
    try:
        result_url = work(job)
    except JobError as problem:
        job_fail(job_id=job_id, error=str(problem), retry_url=problem.retry_url)
        return
    except Exception:
        job_fail(
            job_id=job_id,
            error="Something went wrong on our side. Try again; if it happens again, "
            "tell your administrator the job reference " + str(job_id),
        )
        raise
    with transaction.atomic():
        job_succeed(job_id=job_id, result_url=result_url)


class JobError(Exception):
    """A problem with the job's input that the person who started it can fix, and where they
    can fix it (``retry_url``: the page to start again from), if there is such a page. Several
    problems (every problem with an uploaded file, say) are given one a line; the job's page
    lists them."""

    def __init__(self, message: str, *, retry_url: str = "") -> None:
        super().__init__(message)
        self.retry_url = retry_url

    @classmethod
    def listing(cls, problems: Sequence[object], *, retry_url: str = "") -> JobError:
        """A JobError whose message is every problem, one a line."""
        return cls("\n".join(str(problem) for problem in problems), retry_url=retry_url)
