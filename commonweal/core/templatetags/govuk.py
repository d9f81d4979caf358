from __future__ import annotations

from typing import Any

from django import forms, template
from django.utils.safestring import SafeString

from commonweal.core.forms import widget_kind

register = template.Library()

COMPONENT_CLASSES = {
    "input": "govuk-input",
    "password": "govuk-input govuk-password-input__input",
    "select": "govuk-select",
    "textarea": "govuk-textarea",
    "file": "govuk-file-upload",
}
ERROR_CLASSES = {
    "input": "govuk-input--error",
    "password": "govuk-input--error",
    "select": "govuk-select--error",
    "textarea": "govuk-textarea--error",
    "file": "govuk-file-upload--error",
}


@register.filter
def kind(field: forms.BoundField) -> str:
    return widget_kind(field.field.widget)


@register.filter
def error_anchor(field: forms.BoundField) -> str:
    """The id an error summary link should jump to: the field, or its first option."""
    field_kind = widget_kind(field.field.widget)
    if field_kind in ("radios", "checkboxes"):
        return f"{field.auto_id}_0"
    if field_kind == "date":
        return f"{field.auto_id}_day"
    return str(field.auto_id)


@register.simple_tag
def govuk_widget(field: forms.BoundField) -> SafeString:
    field_kind = widget_kind(field.field.widget)
    attrs: dict[str, Any] = {}
    classes = [COMPONENT_CLASSES.get(field_kind, "")]
    extra = field.field.widget.attrs.get("class", "")
    if extra:
        classes.append(extra)
    if field.errors:
        classes.append(ERROR_CLASSES.get(field_kind, ""))
    attrs["class"] = " ".join(c for c in classes if c)
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


@register.inclusion_tag("govuk/components/tag.html")
def status_tag(label: str, colour: str = "") -> dict[str, str]:
    return {"label": label, "colour": colour}


@register.filter
def pounds(pence: int | None) -> str:
    """Integer pence as pounds with thousands separators: 123456 -> £1,234.56."""
    if pence is None:
        return "—"
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(int(pence)), 100)
    return f"{sign}£{whole:,}.{part:02d}"


@register.filter
def or_dash(value: object) -> object:
    """The value, or a dash when it is not known (None). Unlike ``default``, a figure of zero
    (0, Decimal("0.00")) shows as itself."""
    return "—" if value is None else value
