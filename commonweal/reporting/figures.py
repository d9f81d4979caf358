"""The building blocks of the progress report: a figure with its definition and its change
since the year before, a table and its rows, and the scope (council and policy year) every
section is worked out for. Plain JSON-ready data: money in whole pence, rates and quantities as
decimal strings, dates as ISO dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from commonweal.accounts.models import Organisation
from commonweal.valuation.programme import PolicyYear, change


def _plain(value: Any) -> Any:
    """JSON-ready: Decimals as strings, dates as ISO dates."""
    if isinstance(value, Decimal):
        # Normalised either way: PostgreSQL returns 2.5 from a numeric(…, 4) column as 2.5000.
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def first_paragraph(text: str | None) -> str:
    """A rule's docstring's first paragraph on one line: its definition in the report."""
    return " ".join((text or "").split("\n\n")[0].split())


def figure(
    key: str,
    label: str,
    definition: str,
    unit: str,
    value: Any,
    previous: Any = None,
    *,
    link: str | None = None,
    restricted: bool = False,
    compare: bool = True,
) -> dict[str, Any]:
    """One figure of the report. `unit` is count, pence, percent, quantity, ratio or text."""
    moved = change(value, previous) if compare and unit != "text" else None
    return {
        "key": key,
        "label": label,
        "definition": definition,
        "unit": unit,
        "value": _plain(value),
        "previous": _plain(previous) if compare else None,
        "difference": _plain(moved.difference) if moved else None,
        "change_percent": _plain(moved.percent) if moved else None,
        "link": link,
        "restricted": restricted,
    }


def column(key: str, label: str, unit: str) -> dict[str, str]:
    return {"key": key, "label": label, "unit": unit}


def table(
    key: str,
    title: str,
    definition: str,
    columns: list[dict[str, str]],
    rows: list[dict[str, Any]],
    *,
    chart: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A table; each row is {"cells": {column key: value}, "link": address or None,
    "restricted": whether its pounds rest on values under a restrictive licence}."""
    return {
        "key": key,
        "title": title,
        "definition": definition,
        "columns": columns,
        "rows": rows,
        "chart": chart,
    }


def row(cells: dict[str, Any], link: str | None = None, restricted: bool = False) -> dict[str, Any]:
    return {
        "cells": {k: _plain(v) for k, v in cells.items()},
        "link": link,
        "restricted": restricted,
    }


@dataclass(frozen=True)
class Scope:
    council: Organisation
    year: PolicyYear
    previous: PolicyYear | None
    today: date

    def records(self, kind: str, **filters: str) -> str:
        """The address of the records behind a figure of this year."""
        address = reverse("reporting:records", args=[self.council.pk, self.year.label, kind])
        chosen = {k: v for k, v in filters.items() if v not in ("", None)}
        return f"{address}?{urlencode(chosen)}" if chosen else address

    @property
    def as_at(self) -> date:
        """Figures "as at the end of the year", or today for a year still running."""
        return min(self.year.ends_on, self.today)

    @property
    def previous_as_at(self) -> date | None:
        return self.previous.ends_on if self.previous else None
