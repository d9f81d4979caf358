"""`commonweal report`: the annual progress report from the command line, and the reminders of
overdue and at-risk priority actions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.loader import render_to_string
from django.utils import timezone

from commonweal.accounts.models import Organisation
from commonweal.core.commands import add_daily_run_actions, book_daily_run
from commonweal.financial_years import parse_year_label
from commonweal.reporting import services
from commonweal.reporting.document import NoPolicyYears, build_document
from commonweal.reporting.models import ProgressReport
from commonweal.reporting.outputs import docx_bytes, with_absolute_links
from commonweal.reporting.selectors import latest_version
from commonweal.reporting.tasks import send_action_reminders


class Command(BaseCommand):
    help = "Progress reports on the Social Value Policy, and reminders of priority actions."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        cabinet = sub.add_parser(
            "cabinet",
            help="The Cabinet progress report for one policy year: the latest published "
            "version, or with --draft the report as the data stands now.",
        )
        cabinet.add_argument("--org", required=True, help="The council's GSS code, like E08000018")
        cabinet.add_argument("--year", required=True, help="The policy year, like 2025-26")
        cabinet.add_argument("--format", choices=("json", "docx", "html"), default="json")
        cabinet.add_argument(
            "--draft",
            action="store_true",
            help="Work the report out from the data now, even if a version is published",
        )
        cabinet.add_argument(
            "--output", type=Path, help="Write to this file (a Word document needs one)"
        )
        add_daily_run_actions(
            sub,
            run="send-reminders",
            run_help="Remind owners of priority actions that are overdue or at risk. Each "
            "reminder is sent once, so it is safe to run often.",
            schedule="schedule-reminders",
            schedule_help="Have the background worker send the action reminders every morning.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "send-reminders":
            run = services.action_reminders_send(today=options["today"] or timezone.localdate())
            self.stdout.write(
                f"{run.notifications} notification(s) recorded, {run.emails} email(s) sent"
            )
            return
        if options["action"] == "schedule-reminders":
            booked = book_daily_run(send_action_reminders, run_instead="send-reminders")
            self.stdout.write(f"The next run is booked for {booked:%d %B %Y %H:%M}.")
            return
        self._cabinet(options)

    def _cabinet(self, options: dict[str, Any]) -> None:
        code = options["org"].strip().upper()
        council = Organisation.objects.filter(gss_code=code).first()
        if council is None or not council.is_council:
            raise CommandError(f"No council has the GSS code {code}")
        year = options["year"].strip()
        try:
            parse_year_label(year)
        except ValueError as problem:
            raise CommandError(str(problem)) from None
        report = ProgressReport.objects.filter(council=council, year=year).first()
        version = latest_version(report) if report and not options["draft"] else None
        if version is not None:
            document = version.document
            status = (
                f"Published on {timezone.localtime(version.published_at):%d %B %Y} "
                f"(version {version.number})"
            )
            meta = {
                "status": "published",
                "version": version.number,
                "published_at": version.published_at.isoformat(),
            }
        else:
            try:
                document = build_document(council, year, report=report)
            except (NoPolicyYears, ValueError) as problem:
                raise CommandError(str(problem)) from None
            status = f"Draft, worked out on {timezone.localdate():%d %B %Y}"
            meta = {"status": "draft", "version": None, "published_at": None}
        fmt = options["format"]
        if fmt == "docx":
            if options["output"] is None:
                raise CommandError("Give --output FILE.docx for a Word document")
            options["output"].write_bytes(docx_bytes(document, status=status))
            self.stderr.write(f"{status}: written to {options['output']}")
            return
        if fmt == "json":
            text = json.dumps({**meta, **document}, indent=2, ensure_ascii=False)
        else:
            text = render_to_string(
                "reporting/report_standalone.html",
                {
                    "document": with_absolute_links(document, settings.SITE_URL),
                    "published_words": status,
                    "charts": {},
                },
            )
        if options["output"] is not None:
            options["output"].write_text(text, encoding="utf-8")
            self.stderr.write(f"{status}: written to {options['output']}")
        else:
            self.stdout.write(text)
