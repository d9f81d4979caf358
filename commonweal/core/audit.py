"""The audit trail: who changed what, when, with the values before and after.

Built on django-auditlog (see docs/adr/0002-audit-trail.md). Models register here or in their
own app's ``ready``; services run inside ``acting_as`` so changes made outside a web request
(commands, tasks) still name the person responsible. Entries carry the organisation they
concern in ``additional_data`` so each council sees only its own trail.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any, TypeVar

from auditlog.context import set_actor
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.db import models, transaction

M = TypeVar("M", bound=models.Model)


def register(model: type[models.Model], *, exclude: tuple[str, ...] = ()) -> None:
    if not auditlog.contains(model):
        auditlog.register(model, exclude_fields=list(exclude))


def register_models() -> None:
    from commonweal.core.models import Job

    register(Job, exclude=("rows_done", "stage", "updated_at"))


@contextlib.contextmanager
def acting_as(user: Any) -> Iterator[None]:
    """Attribute every audited change inside the block to ``user`` (None: the system)."""
    with set_actor(user):
        yield


def save_audited(instance: M, *, by: Any) -> M:
    """Validate ``instance`` (``full_clean``: a ValidationError names the field) and save it in
    one transaction, the trail naming ``by``; returns it."""
    instance.full_clean()
    with transaction.atomic(), acting_as(by):
        instance.save()
    return instance


def record_event(
    *, instance: models.Model, by: Any, organisation_id: int | None, event: str, detail: str = ""
) -> LogEntry:
    """Record something that changes no field but must be on the trail (a sign-in, an opening)."""
    entry: LogEntry = LogEntry.objects.log_create(
        instance,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=by if getattr(by, "pk", None) else None,
        changes={},
        changes_text=detail,
        additional_data={"organisation_id": organisation_id, "event": event},
    )
    return entry
