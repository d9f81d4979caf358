"""Background tasks for fair work: the morning check of returns against the Real Living Wage,
reminders of a newly announced rate, and reading an uploaded file of rates or criteria (a
workbook, or a large file, is never read while the web request waits)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django_tasks import task

from commonweal.core.jobs import run_job
from commonweal.core.schedule import REMINDERS_AT, book_next_morning
from commonweal.fairwork import services

CHECKS_AT = REMINDERS_AT
"""Returns are checked each morning at the time monitoring's reminders go out."""


@dataclass(frozen=True)
class MorningRun:
    returns_checked: int
    findings_raised: int
    reminders_sent: int


def morning_run(today: date) -> MorningRun:
    """Check every council's returns on contracts that require the Real Living Wage
    (BelowRealLivingWage), then remind suppliers and contract managers of any rate announced
    and not yet due. Each finding and each reminder is made once, so it is safe to run often."""
    run = services.wage_checks_run(today=today)
    sent = services.rate_reminders_send(today=today)
    return MorningRun(run.returns_checked, run.findings_raised, sent)


@task()
def check_wages() -> int:
    """The morning run for today, then book the next morning's; returns findings raised."""
    raised = morning_run(timezone.localdate()).findings_raised
    book_next_morning(check_wages)
    return raised


@task()
def read_rates_file(job_id: str, path: str, filename: str, council_id: int) -> None:
    run_job(
        job_id,
        lambda job: services.rates_file_read_job(
            job=job, council_id=council_id, path=path, filename=filename
        ),
    )


@task()
def read_criteria_file(job_id: str, path: str, filename: str, council_id: int) -> None:
    run_job(
        job_id,
        lambda job: services.criteria_file_read_job(
            job=job, council_id=council_id, path=path, filename=filename
        ),
    )
