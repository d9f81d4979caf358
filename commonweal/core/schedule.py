"""Daily background runs: each run of a morning task books the next one with the worker.

Monitoring's reminders, charter reminders, action reminders and fair work's wage checks all go
out at the same hour; they share this one way of booking the next morning's run.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

REMINDERS_AT = time(7, 0)
"""When the worker sends the day's reminders, in the service's time zone."""


def next_reminder_run(now: datetime) -> datetime:
    """The first REMINDERS_AT, local time, after `now`."""
    local = timezone.localtime(now)
    run = local.replace(hour=REMINDERS_AT.hour, minute=REMINDERS_AT.minute, second=0, microsecond=0)
    return run if run > local else run + timedelta(days=1)


def book_next_morning(task: Any, now: datetime | None = None) -> datetime | None:
    """Book `task` (a django-tasks task taking no arguments) for the next REMINDERS_AT, unless
    a run of it is already booked. Returns when the booked run is, or None where tasks cannot
    wait (tests run them at once)."""
    if not task.get_backend().supports_defer:
        return None
    booked: datetime | None = (
        DBTaskResult.objects.filter(task_path=task.module_path, status=TaskResultStatus.READY)
        .order_by("run_after")
        .values_list("run_after", flat=True)
        .first()
    )
    if booked is not None:
        return booked
    run_after = next_reminder_run(now or timezone.now())
    task.using(run_after=run_after).enqueue()
    return run_after
