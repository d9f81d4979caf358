from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


def plain_quantity(value: Decimal) -> str:
    """A quantity without trailing zeros or exponent: 20.0000 -> 20, 12.5000 -> 12.5."""
    return format(value.normalize(), "f")


@register.filter
def quantity(value: Decimal | None) -> str:
    return "" if value is None else plain_quantity(value)
