"""Writes for the programme office: settings, decisions and their recommendations and
actions, progress updates and evidence, events, engagement, progress reports (edited and
published) and the reminders of overdue and at-risk actions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.models import Organisation, User
from commonweal.accounts.roles import COUNCIL_ROLES
from commonweal.core.audit import acting_as, record_event, save_audited
from commonweal.financial_years import parse_year_label
from commonweal.monitoring.services import ReminderRun, notification_send
from commonweal.reporting import evidence as evidence_kinds
from commonweal.reporting.document import build_document
from commonweal.reporting.models import (
    OPEN_STATUSES,
    Action,
    ActionEvidence,
    ActionStatus,
    ActionUpdate,
    Decision,
    Engagement,
    EngagementEntry,
    EntryKind,
    Event,
    ProgressReport,
    Recommendation,
    ReportingSettings,
    ReportVersion,
)
from commonweal.reporting.outputs import changes_between
from commonweal.reporting.selectors import is_narrative_key, latest_version, report_years
from commonweal.reporting.years import reporting_settings_of

# --- Settings ----------------------------------------------------------------------------

SETTINGS_FIELDS = ("policy_adopted_on", "year_starts_month", "year_starts_day", "public_pages")


def settings_update(*, council: Organisation, by: User, **fields: Any) -> ReportingSettings:
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"Not reporting settings: {', '.join(sorted(unknown))}")
    settings = reporting_settings_of(council)
    for name, value in fields.items():
        setattr(settings, name, value)
    settings.changed_by = by
    return save_audited(settings, by=by)


# --- Decisions, recommendations and actions ----------------------------------------------


def _clean_text(value: str) -> str:
    return value.strip()


def decision_create(
    *,
    council: Organisation,
    meeting: str,
    decided_on: date,
    report_title: str,
    reference: str = "",
    summary: str = "",
    by: User,
) -> Decision:
    decision = Decision(
        council=council,
        meeting=_clean_text(meeting),
        decided_on=decided_on,
        report_title=_clean_text(report_title),
        reference=_clean_text(reference),
        summary=summary.strip(),
        created_by=by,
    )
    return save_audited(decision, by=by)


def decision_update(*, decision: Decision, by: User, **fields: Any) -> Decision:
    for name in ("meeting", "decided_on", "report_title", "reference", "summary"):
        if name in fields:
            value = fields[name]
            setattr(decision, name, value.strip() if isinstance(value, str) else value)
    return save_audited(decision, by=by)


def recommendation_add(*, decision: Decision, label: str, text: str, by: User) -> Recommendation:
    label = label.strip().strip("()").strip()
    if decision.recommendations.filter(label__iexact=label).exists():
        raise ValidationError({"label": f"This decision already has a recommendation ({label})"})
    position = (decision.recommendations.aggregate(top=Max("position"))["top"] or 0) + 1
    recommendation = Recommendation(
        decision=decision, label=label, text=text.strip(), position=position
    )
    return save_audited(recommendation, by=by)


def recommendation_update(
    *, recommendation: Recommendation, label: str, text: str, by: User
) -> Recommendation:
    label = label.strip().strip("()").strip()
    clash = recommendation.decision.recommendations.filter(label__iexact=label).exclude(
        pk=recommendation.pk
    )
    if clash.exists():
        raise ValidationError({"label": f"This decision already has a recommendation ({label})"})
    recommendation.label, recommendation.text = label, text.strip()
    return save_audited(recommendation, by=by)


def _check_owner(council_id: int, owner: User) -> None:
    is_member = owner.memberships.filter(
        organisation_id=council_id, role__in=list(COUNCIL_ROLES)
    ).exists()
    if not is_member:
        raise ValidationError({"owner": "Choose an owner who is a member of the council"})


def _check_status(status: str, reason: str) -> None:
    if status not in ActionStatus.values:
        raise ValidationError({"status": "Choose the action's status"})
    if status in (ActionStatus.AT_RISK, ActionStatus.DROPPED) and not reason.strip():
        words = "at risk" if status == ActionStatus.AT_RISK else "dropped"
        raise ValidationError({"status_reason": f"Say why the action is {words}"})


def action_create(
    *,
    council: Organisation,
    title: str,
    owner: User,
    due_on: date,
    recommendation: Recommendation | None = None,
    event: Event | None = None,
    description: str = "",
    partners: str = "",
    status: str = ActionStatus.NOT_STARTED,
    status_reason: str = "",
    by: User,
) -> Action:
    if (recommendation is None) == (event is None):
        raise ValueError("An action belongs to one recommendation or one event")
    parent_council = (
        recommendation.decision.council_id if recommendation is not None else event.council_id  # type: ignore[union-attr]
    )
    if parent_council != council.pk:
        raise ValueError("The recommendation or event belongs to another council")
    _check_owner(council.pk, owner)
    _check_status(status, status_reason)
    action = Action(
        council=council,
        recommendation=recommendation,
        event=event,
        title=title.strip(),
        description=description.strip(),
        owner=owner,
        partners=partners.strip(),
        due_on=due_on,
        status=status,
        status_reason=status_reason.strip(),
        status_changed_on=timezone.localdate(),
        created_by=by,
    )
    return save_audited(action, by=by)


def action_update(
    *,
    action: Action,
    title: str,
    description: str,
    owner: User,
    partners: str,
    due_on: date,
    by: User,
) -> Action:
    _check_owner(action.council_id, owner)
    action.title, action.description = title.strip(), description.strip()
    action.owner, action.partners, action.due_on = owner, partners.strip(), due_on
    return save_audited(action, by=by)


def action_progress(
    *,
    action: Action,
    written_on: date,
    note: str,
    status: str,
    status_reason: str = "",
    by: User,
) -> ActionUpdate:
    """Record a dated progress update; the action takes the update's status (with its reason
    when at risk or dropped)."""
    _check_status(status, status_reason)
    if not note.strip():
        raise ValidationError({"note": "Say what progress has been made"})
    if written_on > timezone.localdate():
        raise ValidationError({"written_on": "The date of the update must be today or earlier"})
    update = ActionUpdate(
        action=action, written_on=written_on, note=note.strip(), status=status, written_by=by
    )
    update.full_clean()
    with transaction.atomic(), acting_as(by):
        update.save()
        if status != action.status or status_reason.strip() != action.status_reason:
            action.status = status
            action.status_reason = status_reason.strip()
            action.status_changed_on = written_on
            action.save(update_fields=["status", "status_reason", "status_changed_on"])
    return update


def evidence_link(*, action: Action, kind: str, record_id: str, by: User) -> ActionEvidence:
    label = evidence_kinds.record_label(action.council, kind, str(record_id))
    if label is None:
        raise ValidationError({"record_id": "Choose one of the council's own records"})
    if action.evidence.filter(kind=kind, record_id=str(record_id)).exists():
        raise ValidationError({"record_id": "This record is already linked to the action"})
    link = ActionEvidence(
        action=action, kind=kind, record_id=str(record_id), label=label, added_by=by
    )
    return save_audited(link, by=by)


def evidence_unlink(*, link: ActionEvidence, by: User) -> None:
    with transaction.atomic(), acting_as(by):
        link.delete()


# --- Events and engagement ---------------------------------------------------------------

EVENT_FIELDS = ("title", "held_on", "organisations", "attendance", "outcomes")


def event_create(*, council: Organisation, by: User, **fields: Any) -> Event:
    event = Event(council=council, created_by=by)
    return _event_save(event, by, fields)


def event_update(*, event: Event, by: User, **fields: Any) -> Event:
    return _event_save(event, by, fields)


def _event_save(event: Event, by: User, fields: Mapping[str, Any]) -> Event:
    for name in EVENT_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(event, name, value.strip() if isinstance(value, str) else value)
    return save_audited(event, by=by)


ENGAGEMENT_FIELDS = ("body", "purpose", "contacts", "started_on")


def engagement_create(*, council: Organisation, by: User, **fields: Any) -> Engagement:
    engagement = Engagement(council=council, created_by=by)
    return _engagement_save(engagement, by, fields)


def engagement_update(*, engagement: Engagement, by: User, **fields: Any) -> Engagement:
    return _engagement_save(engagement, by, fields)


def _engagement_save(engagement: Engagement, by: User, fields: Mapping[str, Any]) -> Engagement:
    for name in ENGAGEMENT_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(engagement, name, value.strip() if isinstance(value, str) else value)
    return save_audited(engagement, by=by)


def engagement_entry_add(
    *, engagement: Engagement, happened_on: date, kind: str, summary: str, by: User
) -> EngagementEntry:
    if kind not in EntryKind.values:
        raise ValidationError({"kind": "Choose what it was"})
    entry = EngagementEntry(
        engagement=engagement,
        happened_on=happened_on,
        kind=kind,
        summary=summary.strip(),
        written_by=by,
    )
    return save_audited(entry, by=by)


# --- Progress reports --------------------------------------------------------------------


def report_start(*, council: Organisation, year: str, by: User) -> ProgressReport:
    """The council's report for the policy year, made if it has none yet."""
    try:
        parse_year_label(year)
    except ValueError as problem:
        raise ValidationError({"year": str(problem)}) from None
    if year not in [y.label for y in report_years(council)]:
        raise ValidationError(
            {"year": f"{year} is not a year of the council's Social Value Policy so far"}
        )
    with transaction.atomic(), acting_as(by):
        report, _ = ProgressReport.objects.get_or_create(
            council=council, year=year, defaults={"updated_by": by}
        )
    return report


def report_edit(
    *, report: ProgressReport, narrative: Mapping[str, str], recommendations: str, by: User
) -> ProgressReport:
    unknown = {key for key in narrative if not is_narrative_key(key)}
    if unknown:
        raise ValueError(f"No such parts of the report: {', '.join(sorted(unknown))}")
    report.narrative = {key: text.strip() for key, text in narrative.items() if text.strip()}
    report.recommendations = recommendations.strip()
    report.updated_by = by
    return save_audited(report, by=by)


def report_publish(
    *, report: ProgressReport, by: User, note: str = "", today: date | None = None
) -> ReportVersion:
    """Freeze the report as it stands now as its next published version, with what changed
    since the version before. A republication needs a reason."""
    document = build_document(report.council, report.year, report=report, today=today)
    with transaction.atomic(), acting_as(by):
        # Lock the report so two people publishing at once make versions 2 and 3, not two 2s.
        locked = ProgressReport.objects.select_for_update().get(pk=report.pk)
        previous = latest_version(locked)
        if previous is not None and not note.strip():
            raise ValidationError({"note": "Say why the report is published again"})
        version = ReportVersion.objects.create(
            report=locked,
            number=(previous.number + 1) if previous else 1,
            document=document,
            changes=changes_between(previous.document, document) if previous else [],
            note=note.strip(),
            published_by=by,
            published_at=timezone.now(),
        )
        record_event(
            instance=version,
            by=by,
            organisation_id=report.council_id,
            event="published",
            detail=f"Published version {version.number} of the {report.year} progress report",
        )
    return version


# --- Reminders ---------------------------------------------------------------------------


def action_reminders_send(*, today: date) -> ReminderRun:
    """Remind each action's owner when it is overdue, and when it is put at risk. Each reminder
    goes to each person once for each state (an action overdue, done and then reopened and
    overdue again is reminded again only if its due date moved); safe to run often."""
    created = emailed = 0
    actions = (
        Action.objects.filter(status__in=OPEN_STATUSES)
        .filter(Q(due_on__lt=today) | Q(status=ActionStatus.AT_RISK))
        .select_related("owner", "recommendation__decision", "event")
        .order_by("pk")
    )
    for action in actions:
        if not action.owner.is_active:
            continue
        url = reverse("reporting:action", args=[action.pk])
        if action.due_on < today:
            subject = f"Overdue: {action.title}"[:200]
            body = (
                f"The priority action “{action.title}” you own was due on "
                f"{action.due_on:%d %B %Y}. Update its status, or record progress, in Commonweal."
            )
            key = f"action-overdue-{action.pk}-{action.due_on.isoformat()}"
        else:
            subject = f"At risk: {action.title}"[:200]
            body = (
                f"The priority action “{action.title}” you own is at risk: {action.status_reason}"
            )
            key = f"action-at-risk-{action.pk}-{action.status_changed_on or ''}"
        made, sent = notification_send(
            recipients=[action.owner],
            organisation_id=action.council_id,
            subject=subject,
            body=body,
            url=url,
            dedupe_key=key[:120],
        )
        created, emailed = created + made, emailed + sent
    return ReminderRun(created, emailed)
