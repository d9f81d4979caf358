"""Background tasks for the programme office: the daily reminders of overdue and at-risk
priority actions, booked at the same hour as monitoring's reminders."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from commonweal.monitoring.tasks import next_reminder_run
from commonweal.reporting import services


@task()
def send_action_reminders() -> int:
    """Remind owners of actions overdue or at risk today, then book the next morning's run;
    returns how many notifications were recorded."""
    sent = services.action_reminders_send(today=timezone.localdate()).notifications
    schedule_action_reminders()
    return sent


def schedule_action_reminders(now: datetime | None = None) -> datetime | None:
    """Book the next morning's action reminders with the worker, unless a run is booked.
    Returns when the booked run is, or None where tasks cannot wait (tests run them at once)."""
    if not send_action_reminders.get_backend().supports_defer:
        return None
    booked = (
        DBTaskResult.objects.filter(
            task_path=send_action_reminders.module_path, status=TaskResultStatus.READY
        )
        .order_by("run_after")
        .values_list("run_after", flat=True)
        .first()
    )
    if booked is not None:
        return booked
    run_after = next_reminder_run(now or timezone.now())
    send_action_reminders.using(run_after=run_after).enqueue()
    return run_after
