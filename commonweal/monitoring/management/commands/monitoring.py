from __future__ import annotations

import time
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from commonweal.contracts.pages import contracts_to_prepare, prepare_contract_pages
from commonweal.core.commands import CommonwealCommand, add_daily_run_actions, book_daily_run
from commonweal.core.schedule import REMINDERS_AT
from commonweal.monitoring import services
from commonweal.monitoring.tasks import send_reminders


class Command(CommonwealCommand):
    help = (
        "Delivery monitoring jobs: reminders (daily, by the worker or from cron), stored "
        "figures and contract pages."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add_daily_run_actions(
            sub,
            run="send-reminders",
            run_help="Remind suppliers of returns due and overdue, and contract managers of "
            "answered queries. Each reminder is sent once, so it is safe to run often.",
            schedule="schedule-reminders",
            schedule_help="Have the background worker send reminders every morning (once is "
            "enough: each run books the next).",
        )
        sub.add_parser(
            "refresh-figures",
            help="Work out every contract's stored delivery figures again (after an upgrade "
            "or a change made outside Commonweal's pages and commands).",
        )

        sub.add_parser(
            "prepare-pages",
            help="Lay out the page of every running contract in the cache the server's "
            "processes share, so first visitors do not wait (after an upgrade, say; pages "
            "changed since are laid out again at their next visit).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "prepare-pages":
            began = time.perf_counter()
            visited = prepare_contract_pages(contracts_to_prepare(timezone.localdate()))
            self.stdout.write(
                f"Pages of {visited} contract(s) ready in {time.perf_counter() - began:.1f} s"
            )
            return
        if options["action"] == "schedule-reminders":
            booked = book_daily_run(send_reminders, run_instead="send-reminders")
            self.stdout.write(
                f"The worker sends reminders every morning at {REMINDERS_AT:%H:%M}; the next "
                f"run is booked for {booked:%d %B %Y %H:%M}."
            )
            return
        if options["action"] == "refresh-figures":
            contracts, rows = services.figures_refresh_all()
            self.stdout.write(f"Figures worked out for {contracts} contract(s): {rows} row(s)")
            return
        today = options["today"] or timezone.localdate()
        run = services.reminders_send(today=today)
        self.stdout.write(
            f"{run.notifications} notification(s) recorded, {run.emails} email(s) sent"
        )
