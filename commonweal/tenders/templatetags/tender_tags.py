from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def quantity(value: Decimal | None) -> str:
    """A quantity as GOV.UK writes numbers: 15,000 and 12.5, without trailing zeros."""
    return "" if value is None else f"{value.normalize():,f}"
