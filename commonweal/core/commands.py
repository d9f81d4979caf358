"""The base of the ``commonweal`` console script's own management commands."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from commonweal.core.schedule import book_next_morning


class CommonwealCommand(BaseCommand):
    """A command of our own that starts without Django's system checks.

    Django runs every system check before a command by default, and the URL check alone imports
    every view and the whole API (charts, spreadsheets, DuckDB): over a second before the command
    does anything. Our commands serve no pages, so they skip the checks; ``commonweal check``,
    ``runserver`` and ``migrate`` still run them.
    """

    requires_system_checks: list[str] = []  # noqa: RUF012 (Django's own attribute)


def add_daily_run_actions(
    sub: Any, *, run: str, run_help: str, schedule: str, schedule_help: str
) -> None:
    """Add the two sub-commands of a daily job to `sub`: `run` (now, or ``--today`` as if on
    that date) and `schedule` (have the worker run it every morning)."""
    parser = sub.add_parser(run, help=run_help)
    parser.add_argument(
        "--today", type=date.fromisoformat, default=None, help="Run as if on this date"
    )
    sub.add_parser(schedule, help=schedule_help)


def book_daily_run(task: Any, *, run_instead: str) -> datetime:
    """Book the next morning's run of `task` and return when it is, local time; a clear error
    naming the sub-command `run_instead` where the task backend cannot run tasks later."""
    booked = book_next_morning(task)
    if booked is None:
        raise CommandError(f"The task backend cannot run tasks later; use {run_instead}")
    return timezone.localtime(booked)
