"""Background tasks for delivery monitoring."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from commonweal.monitoring import services

REMINDERS_AT = time(7, 0)
"""When the worker sends the day's reminders, in the service's time zone."""


@task()
def send_reminders() -> int:
    """Send due, overdue and query reminders for today, then book the next morning's run;
    returns how many notifications were recorded."""
    sent = services.reminders_send(today=timezone.localdate()).notifications
    schedule_reminders()
    return sent


def next_reminder_run(now: datetime) -> datetime:
    """The first REMINDERS_AT, local time, after `now`."""
    local = timezone.localtime(now)
    run = local.replace(hour=REMINDERS_AT.hour, minute=REMINDERS_AT.minute, second=0, microsecond=0)
    return run if run > local else run + timedelta(days=1)


def schedule_reminders(now: datetime | None = None) -> datetime | None:
    """Book the next morning's reminders with the worker, unless a run is already booked.
    Returns when the booked run is, or None where tasks cannot wait (tests run them at once)."""
    if not send_reminders.get_backend().supports_defer:
        return None
    booked = (
        DBTaskResult.objects.filter(
            task_path=send_reminders.module_path, status=TaskResultStatus.READY
        )
        .order_by("run_after")
        .values_list("run_after", flat=True)
        .first()
    )
    if booked is not None:
        return booked
    run_after = next_reminder_run(now or timezone.now())
    send_reminders.using(run_after=run_after).enqueue()
    return run_after
