from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from commonweal.monitoring.tasks import REMINDERS_AT
from commonweal.partnership import services
from commonweal.partnership.tasks import schedule_progress_reminders


class Command(BaseCommand):
    help = "Partnership jobs: reminders of charter progress returns (daily, by the worker or cron)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        reminders = sub.add_parser(
            "send-reminders",
            help="Remind signatories of charter progress returns due and overdue. Each reminder "
            "is sent once, so it is safe to run often.",
        )
        reminders.add_argument(
            "--today", type=date.fromisoformat, default=None, help="Run as if on this date"
        )
        sub.add_parser(
            "schedule-reminders",
            help="Have the background worker send them every morning (once is enough: each "
            "run books the next).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "schedule-reminders":
            booked = schedule_progress_reminders()
            if booked is None:
                raise CommandError("The task backend cannot run tasks later; use send-reminders")
            self.stdout.write(
                f"The worker sends charter reminders every morning at {REMINDERS_AT:%H:%M}; the "
                f"next run is booked for {timezone.localtime(booked):%d %B %Y %H:%M}."
            )
            return
        run = services.progress_reminders_send(today=options["today"] or timezone.localdate())
        self.stdout.write(
            f"{run.notifications} notification(s) recorded, {run.emails} email(s) sent"
        )
