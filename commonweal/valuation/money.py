"""Rounding and display of pounds, shared by every calculation."""

from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")


def to_pence(amount: Decimal) -> Decimal:
    """Round half up to the penny."""
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def pounds_to_pence(amount: Decimal) -> int:
    """Pounds as whole pence, rounded half up to the penny: Decimal("12.345") -> 1235."""
    return int((amount * 100).to_integral_value(rounding=ROUND_HALF_UP))


def format_pounds(amount: Decimal) -> str:
    """£1,234.57 (or −£1,234.57), to the penny, for explanations and working."""
    sign = "−" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


def plain_pounds(pence: int | None) -> str:
    """Whole pence as plain pounds to the penny, for a spreadsheet cell or a form's initial
    value: 123456 -> "1234.56"; None (no amount) -> ""."""
    return "" if pence is None else f"{Decimal(pence) / 100:.2f}"


def plain_number(value: Decimal) -> str:
    """A number without trailing zeros or exponent: 20.0000 -> 20, 12.5000 -> 12.5, 1E+2 -> 100."""
    return f"{value.normalize():f}"
