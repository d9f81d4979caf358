from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser

from commonweal.core.commands import CommonwealCommand
from commonweal.demo.seed import demo_exists, seed_demo
from commonweal.fairwork.tasks import check_wages
from commonweal.monitoring.tasks import send_reminders
from commonweal.partnership.tasks import send_progress_reminders
from commonweal.reporting.tasks import send_action_reminders


def _exit_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


class Command(CommonwealCommand):
    help = "Run the demo: create the database, seed demo data, start a worker and serve the site."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo database and start again"
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="Only create and seed the database"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("Run the demo as `commonweal demo` (COMMONWEAL_ENV=demo)")
        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
            raise CommandError("The demo runs on the embedded SQLite database; unset DATABASE_URL")
        if options["reset"]:
            for suffix in ("", "-wal", "-shm"):
                path = f"{settings.SQLITE_PATH}{suffix}"
                if os.path.exists(path):
                    os.remove(path)
        if "SITE_URL" not in os.environ:
            # Links in the demo's emails (surveys, reminders, invitations) lead to this server.
            settings.SITE_URL = f"http://127.0.0.1:{options['port']}"
        call_command("migrate", interactive=False, verbosity=0)
        if demo_exists():
            self.stdout.write(
                "Demo data already exists. The sign-in details were printed when it was created.\n"
                "To start again with new details: commonweal demo --reset"
            )
        else:
            people = seed_demo()
            self._print_credentials(people, options["port"])
        if options["no_serve"]:
            return
        worker = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
            [sys.executable, "-m", "commonweal.cli", "db_worker", "--interval", "1"],
            env={**os.environ, "COMMONWEAL_ENV": "demo", "SITE_URL": settings.SITE_URL},
        )
        self.stdout.write(f"Background worker started (process {worker.pid}).")
        # Today's reminders and Real Living Wage checks now; each run books the next morning's.
        send_reminders.enqueue()
        check_wages.enqueue()
        send_progress_reminders.enqueue()
        send_action_reminders.enqueue()
        # Ctrl-C stops the server with KeyboardInterrupt; a SIGTERM (a service manager, `kill`)
        # or a closed terminal must also reach the `finally`, or the worker is left running.
        stop_signals = (signal.SIGTERM, signal.SIGHUP)
        previous = {signum: signal.signal(signum, _exit_on_signal) for signum in stop_signals}
        try:
            call_command("runserver", f"127.0.0.1:{options['port']}", use_reloader=False)
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()

    def _print_credentials(self, people: list[Any], port: int) -> None:
        self.stdout.write(
            self.style.SUCCESS(f"Demo data created. Sign in at http://127.0.0.1:{port}/sign-in/")
        )
        self.stdout.write("These passwords are shown only now:\n")
        width = max(len(p.persona) for p in people)
        for person in people:
            self.stdout.write(
                f"  {person.persona.ljust(width)}  {person.email:<30}  {person.password}"
                f"   ({person.organisation})"
            )
        self.stdout.write("")
