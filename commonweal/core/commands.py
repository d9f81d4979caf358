"""The base of the ``commonweal`` console script's own management commands."""

from __future__ import annotations

from django.core.management.base import BaseCommand


class CommonwealCommand(BaseCommand):
    """A command of our own that starts without Django's system checks.

    Django runs every system check before a command by default, and the URL check alone imports
    every view and the whole API (charts, spreadsheets, DuckDB): over a second before the command
    does anything. Our commands serve no pages, so they skip the checks; ``commonweal check``,
    ``runserver`` and ``migrate`` still run them.
    """

    requires_system_checks: list[str] = []  # noqa: RUF012 (Django's own attribute)
