"""Background tasks for delivery monitoring."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from commonweal.monitoring import services


@task()
def send_reminders() -> int:
    """Send due, overdue and query reminders for today; returns how many notifications."""
    return services.reminders_send(today=timezone.localdate()).notifications
