from __future__ import annotations

from typing import Any

from django import template

from commonweal.reporting.models import ActionStatus
from commonweal.reporting.outputs import WITHHELD, format_change, format_value, has_chart

register = template.Library()

STATUS_COLOURS: dict[str, str] = {
    ActionStatus.NOT_STARTED: "grey",
    ActionStatus.ON_TRACK: "blue",
    ActionStatus.AT_RISK: "red",
    ActionStatus.DONE: "green",
    ActionStatus.DROPPED: "",
}


@register.filter
def figure_value(item: dict[str, Any]) -> str:
    if item.get("withheld"):
        return WITHHELD
    return format_value(item["value"], item["unit"])


@register.filter
def figure_previous(item: dict[str, Any]) -> str:
    if item.get("withheld"):
        return WITHHELD
    return format_value(item["previous"], item["unit"])


@register.filter
def figure_change(item: dict[str, Any]) -> str:
    if item.get("withheld"):
        return WITHHELD
    return format_change(item)


@register.simple_tag
def cell(entry: dict[str, Any], col: dict[str, str]) -> str:
    if entry.get("withheld") and col["unit"] == "pence":
        return WITHHELD
    return format_value(entry["cells"].get(col["key"]), col["unit"])


@register.filter
def is_numeric(col: dict[str, str]) -> bool:
    return col["unit"] in ("pence", "percent", "count", "quantity", "ratio")


@register.filter
def typed(value: Any) -> str:
    """A records-table cell: plain text, or (unit, value) to be formatted."""
    if isinstance(value, tuple):
        unit, raw = value
        return format_value(raw if unit != "date" else raw.isoformat(), unit)
    return "—" if value in (None, "") else str(value)


@register.filter
def status_colour(status: str) -> str:
    return STATUS_COLOURS.get(status, "")


@register.filter
def lookup(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)


@register.filter
def paragraphs(text: str) -> list[str]:
    return [part.strip() for part in str(text).split("\n\n") if part.strip()]


@register.filter
def typed_date(value: str) -> str:
    return format_value(value, "date")


@register.filter
def drawable(table: dict[str, Any]) -> bool:
    return has_chart(table)
