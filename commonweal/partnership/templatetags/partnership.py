"""Template filters for partnership pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

from commonweal.frameworks.vocabulary import CwbPillar
from commonweal.valuation.money import plain_number

register = template.Library()


@register.filter
def quantity(value: Decimal | int | None) -> str:
    """A quantity as typed, without trailing zeros (12.5000 -> 12.5); a dash when unknown."""
    if value is None:
        return "—"
    return plain_number(Decimal(value))


@register.filter
def pillar_label(value: str) -> str:
    try:
        return str(CwbPillar(value).label)
    except ValueError:
        return value
