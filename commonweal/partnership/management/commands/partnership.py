from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from commonweal.core.commands import add_daily_run_actions, book_daily_run
from commonweal.core.schedule import REMINDERS_AT
from commonweal.partnership import services
from commonweal.partnership.tasks import send_progress_reminders


class Command(BaseCommand):
    help = "Partnership jobs: reminders of charter progress returns (daily, by the worker or cron)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add_daily_run_actions(
            sub,
            run="send-reminders",
            run_help="Remind signatories of charter progress returns due and overdue. Each "
            "reminder is sent once, so it is safe to run often.",
            schedule="schedule-reminders",
            schedule_help="Have the background worker send them every morning (once is "
            "enough: each run books the next).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "schedule-reminders":
            booked = book_daily_run(send_progress_reminders, run_instead="send-reminders")
            self.stdout.write(
                f"The worker sends charter reminders every morning at {REMINDERS_AT:%H:%M}; the "
                f"next run is booked for {booked:%d %B %Y %H:%M}."
            )
            return
        run = services.progress_reminders_send(today=options["today"] or timezone.localdate())
        self.stdout.write(
            f"{run.notifications} notification(s) recorded, {run.emails} email(s) sent"
        )
