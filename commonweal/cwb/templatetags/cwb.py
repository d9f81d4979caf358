from __future__ import annotations

from decimal import Decimal

from django import template

from commonweal.valuation.money import format_pounds

register = template.Library()


@register.filter
def decimal_pounds(amount: Decimal | None) -> str:
    """A Decimal sum of pounds to the penny: Decimal('30000') -> £30,000.00."""
    return "—" if amount is None else format_pounds(amount)
