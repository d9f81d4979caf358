from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from commonweal.monitoring import services


class Command(BaseCommand):
    help = "Delivery monitoring jobs, such as sending reminders (run daily from cron)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        reminders = sub.add_parser(
            "send-reminders",
            help="Remind suppliers of returns due and overdue, and contract managers of "
            "answered queries. Each reminder is sent once, so it is safe to run often.",
        )
        reminders.add_argument(
            "--today", type=date.fromisoformat, default=None, help="Run as if on this date"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"] or timezone.localdate()
        run = services.reminders_send(today=today)
        self.stdout.write(
            f"{run.notifications} notification(s) recorded, {run.emails} email(s) sent"
        )
