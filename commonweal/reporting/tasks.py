"""Background tasks for the programme office: the daily reminders of overdue and at-risk
priority actions, booked at the same hour as monitoring's reminders."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from commonweal.core.schedule import book_next_morning
from commonweal.reporting import services


@task()
def send_action_reminders() -> int:
    """Remind owners of actions overdue or at risk today, then book the next morning's run;
    returns how many notifications were recorded."""
    sent = services.action_reminders_send(today=timezone.localdate()).notifications
    book_next_morning(send_action_reminders)
    return sent
