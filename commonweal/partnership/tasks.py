"""Background tasks for partnerships: the daily reminders of charter progress returns."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from commonweal.core.schedule import book_next_morning
from commonweal.partnership import services


@task()
def send_progress_reminders() -> int:
    """Remind signatories of charter returns due and overdue today, then book the next
    morning's run (at the same hour as monitoring's reminders); returns how many
    notifications were recorded."""
    sent = services.progress_reminders_send(today=timezone.localdate()).notifications
    book_next_morning(send_progress_reminders)
    return sent
