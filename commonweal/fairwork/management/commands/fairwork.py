from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from commonweal.fairwork.tasks import CHECKS_AT, morning_run, schedule_wage_checks


class Command(BaseCommand):
    help = (
        "Fair work jobs: check returns against the Real Living Wage and remind suppliers of a "
        "new rate (daily, by the worker or from cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser(
            "check-wages",
            help="Check every return on a contract that requires the Real Living Wage against "
            "the rate in force on its last day, and remind suppliers and contract managers of "
            "a rate announced but not yet due. Each finding and reminder is made once, so it "
            "is safe to run often.",
        )
        check.add_argument(
            "--today", type=date.fromisoformat, default=None, help="Run as if on this date"
        )
        sub.add_parser(
            "schedule-checks",
            help="Have the background worker run check-wages every morning (once is enough: "
            "each run books the next).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "schedule-checks":
            booked = schedule_wage_checks()
            if booked is None:
                raise CommandError("The task backend cannot run tasks later; use check-wages")
            self.stdout.write(
                f"The worker checks returns every morning at {CHECKS_AT:%H:%M}; the next run "
                f"is booked for {timezone.localtime(booked):%d %B %Y %H:%M}."
            )
            return
        run = morning_run(options["today"] or timezone.localdate())
        self.stdout.write(
            f"Checked {run.returns_checked} return(s): {run.findings_raised} new finding(s) "
            f"below the Real Living Wage; {run.reminders_sent} reminder(s) of a new rate sent."
        )
