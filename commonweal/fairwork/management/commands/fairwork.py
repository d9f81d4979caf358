from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from commonweal.core.commands import add_daily_run_actions, book_daily_run
from commonweal.fairwork.tasks import CHECKS_AT, check_wages, morning_run


class Command(BaseCommand):
    help = (
        "Fair work jobs: check returns against the Real Living Wage and remind suppliers of a "
        "new rate (daily, by the worker or from cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add_daily_run_actions(
            sub,
            run="check-wages",
            run_help="Check every return on a contract that requires the Real Living Wage "
            "against the rate in force on its last day, and remind suppliers and contract "
            "managers of a rate announced but not yet due. Each finding and reminder is made "
            "once, so it is safe to run often.",
            schedule="schedule-checks",
            schedule_help="Have the background worker run check-wages every morning (once is "
            "enough: each run books the next).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "schedule-checks":
            booked = book_daily_run(check_wages, run_instead="check-wages")
            self.stdout.write(
                f"The worker checks returns every morning at {CHECKS_AT:%H:%M}; the next run "
                f"is booked for {booked:%d %B %Y %H:%M}."
            )
            return
        run = morning_run(options["today"] or timezone.localdate())
        self.stdout.write(
            f"Checked {run.returns_checked} return(s): {run.findings_raised} new finding(s) "
            f"below the Real Living Wage; {run.reminders_sent} reminder(s) of a new rate sent."
        )
