"""Background tasks for partnerships: the daily reminders of charter progress returns."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from commonweal.monitoring.tasks import next_reminder_run
from commonweal.partnership import services


@task()
def send_progress_reminders() -> int:
    """Remind signatories of charter returns due and overdue today, then book the next
    morning's run (at the same hour as monitoring's reminders); returns how many
    notifications were recorded."""
    sent = services.progress_reminders_send(today=timezone.localdate()).notifications
    schedule_progress_reminders()
    return sent


def schedule_progress_reminders(now: datetime | None = None) -> datetime | None:
    """Book the next morning's charter reminders with the worker, unless a run is booked.
    Returns when the booked run is, or None where tasks cannot wait (tests run them at once)."""
    if not send_progress_reminders.get_backend().supports_defer:
        return None
    booked = (
        DBTaskResult.objects.filter(
            task_path=send_progress_reminders.module_path, status=TaskResultStatus.READY
        )
        .order_by("run_after")
        .values_list("run_after", flat=True)
        .first()
    )
    if booked is not None:
        return booked
    run_after = next_reminder_run(now or timezone.now())
    send_progress_reminders.using(run_after=run_after).enqueue()
    return run_after
