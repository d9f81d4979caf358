"""Reads shared by the core pages: the audit trail and background jobs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from auditlog.models import LogEntry
from django.db.models import Q, QuerySet
from django.utils import timezone

from commonweal.core.models import Job

ACTION_LABELS = {
    LogEntry.Action.CREATE: "Created",
    LogEntry.Action.UPDATE: "Changed",
    LogEntry.Action.DELETE: "Deleted",
    LogEntry.Action.ACCESS: "Event",
}


@dataclass(frozen=True)
class AuditFilter:
    person: str = ""
    action: int | None = None
    record_type: str = ""
    search: str = ""
    date_from: date | None = None
    date_to: date | None = None


def audit_entries(*, organisation_id: int, filters: AuditFilter) -> QuerySet[LogEntry]:
    entries: QuerySet[LogEntry] = LogEntry.objects.filter(
        additional_data__organisation_id=organisation_id
    )
    if filters.person:
        entries = entries.filter(
            Q(actor__email__icontains=filters.person)
            | Q(actor__full_name__icontains=filters.person)
        )
    if filters.action is not None:
        entries = entries.filter(action=filters.action)
    if filters.record_type:
        entries = entries.filter(content_type__model=filters.record_type)
    if filters.search:
        entries = entries.filter(
            Q(object_repr__icontains=filters.search) | Q(changes_text__icontains=filters.search)
        )
    tz = timezone.get_current_timezone()
    if filters.date_from:
        entries = entries.filter(timestamp__gte=datetime.combine(filters.date_from, time.min, tz))
    if filters.date_to:
        entries = entries.filter(timestamp__lte=datetime.combine(filters.date_to, time.max, tz))
    return entries.select_related("actor", "content_type").order_by("-timestamp", "-pk")


def audit_record_types(*, organisation_id: int) -> list[tuple[str, str]]:
    types = (
        LogEntry.objects.filter(additional_data__organisation_id=organisation_id)
        .values_list("content_type__model", "content_type__app_label")
        .distinct()
    )
    return sorted({(model, model.replace("_", " ").capitalize()) for model, _ in types})


def audit_change_rows(entry: LogEntry) -> list[dict[str, Any]]:
    """Each changed field with its value before and after, for display and export."""
    rows = []
    for field, values in (entry.changes_dict or {}).items():
        if isinstance(values, list) and len(values) == 2:
            before, after = values
        else:
            before, after = "", values
        rows.append({"field": field.replace("_", " "), "before": before, "after": after})
    return rows


def jobs_for_organisation(organisation_id: int) -> QuerySet[Job]:
    return Job.objects.filter(organisation_id=organisation_id).select_related("created_by")
