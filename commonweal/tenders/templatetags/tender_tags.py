from __future__ import annotations

from decimal import Decimal

from django import template

from commonweal.valuation.money import plain_number

register = template.Library()


@register.filter
def quantity(value: Decimal | None) -> str:
    return "" if value is None else plain_number(value)
