"""Background tasks for delivery monitoring."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from commonweal.core.schedule import book_next_morning
from commonweal.monitoring import services


@task()
def send_reminders() -> int:
    """Send due, overdue and query reminders for today, then book the next morning's run;
    returns how many notifications were recorded."""
    sent = services.reminders_send(today=timezone.localdate()).notifications
    book_next_morning(send_reminders)
    return sent
