"""Template helpers for measures: £ values per unit, shown to the precision they were set."""

from __future__ import annotations

from decimal import Decimal

from django import template

from commonweal.frameworks.selectors import format_per_unit

register = template.Library()


@register.filter
def per_unit(amount: Decimal | None) -> str:
    """£16.9300 -> £16.93; £0.1234 -> £0.1234; £1234 -> £1,234.00."""
    if amount is None:
        return "—"
    return format_per_unit(amount)


@register.filter
def listed(values: list[str] | None) -> str:
    return ", ".join(values or []) or "None"
