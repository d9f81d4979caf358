"""JSON API for the programme office: decisions with their recommendations and actions,
progress updates, events, engagement, and the annual progress report (draft or published).

The same access rules as the pages: the council's members read, officers write (viewers get a
403 on writes), a council admin publishes; anyone else gets a 404.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError

from commonweal.accounts.access import request_user
from commonweal.accounts.models import Organisation, User
from commonweal.core.api import validation_errors_as_422
from commonweal.reporting import selectors, services
from commonweal.reporting.access import (
    ProgrammeAccess,
    action_for_user,
    council_programme,
    decision_for_user,
    engagement_for_user,
    event_for_user,
    recommendation_for_user,
)
from commonweal.reporting.document import NoPolicyYears, build_document
from commonweal.reporting.models import Action, Decision, Engagement, Event, ProgressReport

router = Router()

ERRORS = {403: dict, 404: dict, 422: dict}


class ActionOut(Schema):
    id: int
    title: str
    description: str
    owner_id: int
    owner: str
    partners: str
    due_on: date
    status: str
    status_reason: str
    overdue: bool
    recommendation_id: int | None
    event_id: int | None


class RecommendationOut(Schema):
    id: int
    label: str
    text: str
    actions: list[ActionOut]


class DecisionOut(Schema):
    id: int
    meeting: str
    decided_on: date
    report_title: str
    reference: str
    summary: str
    recommendations: list[RecommendationOut]


class CabinetDecisionIn(Schema):
    meeting: str
    decided_on: date
    report_title: str
    reference: str = ""
    summary: str = ""


class RecommendationIn(Schema):
    label: str
    text: str


class ActionIn(Schema):
    title: str
    owner_id: int
    due_on: date
    description: str = ""
    partners: str = ""
    status: str = "not_started"
    status_reason: str = ""


class UpdateOut(Schema):
    written_on: date
    note: str
    status: str


class ActionEvidenceOut(Schema):
    kind: str
    record_id: str
    label: str


class ActionAccreditationOut(Schema):
    """The council's Real Living Wage accreditation, as fair work reads it, when the action
    cites it as evidence."""

    status: str
    status_label: str
    since: date | None
    accredited_on: date | None
    renewal_due_on: date | None
    steps_total: int
    steps_done: int
    steps_overdue: int
    next_step: str | None
    next_step_due_on: date | None


class ActionDetailOut(ActionOut):
    updates: list[UpdateOut]
    evidence: list[ActionEvidenceOut]
    accreditation: ActionAccreditationOut | None


class ProgressIn(Schema):
    written_on: date
    note: str
    status: str
    status_reason: str = ""


class EventIn(Schema):
    title: str
    held_on: date
    organisations: list[str] = []
    attendance: int = 0
    outcomes: str = ""


class EngagementEventOut(Schema):
    id: int
    title: str
    held_on: date
    organisations: list[str]
    attendance: int
    outcomes: str
    actions: list[ActionOut]


class EntryIn(Schema):
    happened_on: date
    kind: str
    """meeting, resource, commitment or other."""
    summary: str


class EntryOut(Schema):
    happened_on: date
    kind: str
    summary: str


class EngagementIn(Schema):
    body: str
    purpose: str = ""
    contacts: str = ""
    started_on: date | None = None


class EngagementOut(Schema):
    id: int
    body: str
    purpose: str
    contacts: str
    started_on: date | None
    entries: list[EntryOut]


class VersionOut(Schema):
    number: int
    published_at: datetime
    note: str
    changes: list[dict[str, str]]


def _require_edit(access: ProgrammeAccess) -> None:
    try:
        access.require_edit()
    except PermissionDenied as denied:
        raise HttpError(403, str(denied)) from None


def _action_out(action: Action) -> ActionOut:
    return ActionOut(
        id=action.pk,
        title=action.title,
        description=action.description,
        owner_id=action.owner_id,
        owner=action.owner.full_name,
        partners=action.partners,
        due_on=action.due_on,
        status=action.status,
        status_reason=action.status_reason,
        overdue=action.is_open and action.due_on < timezone.localdate(),
        recommendation_id=action.recommendation_id,
        event_id=action.event_id,
    )


def _decision_out(decision: Decision) -> DecisionOut:
    return DecisionOut(
        id=decision.pk,
        meeting=decision.meeting,
        decided_on=decision.decided_on,
        report_title=decision.report_title,
        reference=decision.reference,
        summary=decision.summary,
        recommendations=[
            RecommendationOut(
                id=r.pk,
                label=r.label,
                text=r.text,
                actions=[_action_out(a) for a in r.actions.all()],
            )
            for r in selectors.recommendations_with_actions(decision)
        ],
    )


def _owner(council: Organisation, owner_id: int) -> User:
    owner = selectors.council_members(council).filter(pk=owner_id).first()
    if owner is None:
        raise HttpError(422, "The owner must be a member of the council")
    return owner


@router.get("/decisions", response=list[DecisionOut], summary="The council's decisions")
def decision_list(request: HttpRequest) -> list[DecisionOut]:
    council, _ = council_programme(request)
    return [_decision_out(d) for d in selectors.decisions_for(council)]


@router.post(
    "/decisions", response={200: DecisionOut, **ERRORS}, summary="Record a Cabinet decision"
)
def decision_create(request: HttpRequest, payload: CabinetDecisionIn) -> DecisionOut:
    council, access = council_programme(request)
    _require_edit(access)
    with validation_errors_as_422():
        decision = services.decision_create(
            council=council, by=request_user(request), **payload.dict()
        )
    return _decision_out(decision)


@router.get(
    "/decisions/{decision_id}",
    response={200: DecisionOut, 404: dict},
    summary="A decision with its recommendations and their actions",
)
def decision_detail(request: HttpRequest, decision_id: int) -> DecisionOut:
    decision, _ = decision_for_user(request_user(request), decision_id)
    return _decision_out(decision)


@router.post(
    "/decisions/{decision_id}/recommendations",
    response={200: DecisionOut, **ERRORS},
    summary="Add a lettered or numbered recommendation",
)
def recommendation_add(
    request: HttpRequest, decision_id: int, payload: RecommendationIn
) -> DecisionOut:
    decision, access = decision_for_user(request_user(request), decision_id)
    _require_edit(access)
    with validation_errors_as_422():
        services.recommendation_add(
            decision=decision, label=payload.label, text=payload.text, by=request_user(request)
        )
    return _decision_out(decision)


def _create_action(
    request: HttpRequest, access: ProgrammeAccess, payload: ActionIn, **parent: Any
) -> ActionOut:
    _require_edit(access)
    council = access.membership.organisation
    fields = payload.dict()
    owner = _owner(council, fields.pop("owner_id"))
    with validation_errors_as_422():
        action = services.action_create(
            council=council, owner=owner, by=request_user(request), **parent, **fields
        )
    return _action_out(action)


@router.post(
    "/decisions/{decision_id}/recommendations/{recommendation_id}/actions",
    response={200: ActionOut, **ERRORS},
    summary="Add an action under a recommendation",
)
def action_create(
    request: HttpRequest, decision_id: int, recommendation_id: int, payload: ActionIn
) -> ActionOut:
    recommendation, access = recommendation_for_user(
        request_user(request), decision_id, recommendation_id
    )
    return _create_action(request, access, payload, recommendation=recommendation)


@router.get(
    "/actions",
    response=list[ActionOut],
    summary="The council's priority actions, soonest due first",
)
def action_list(
    request: HttpRequest, status: str = "", overdue: bool = False, mine: bool = False
) -> list[ActionOut]:
    council, _ = council_programme(request)
    actions = selectors.filter_actions(
        selectors.council_actions(council),
        status=status,
        overdue=overdue,
        today=timezone.localdate(),
    )
    if mine:
        actions = actions.filter(owner=request_user(request))
    return [_action_out(a) for a in actions.order_by("due_on", "pk")]


@router.get(
    "/actions/{action_id}",
    response={200: ActionDetailOut, 404: dict},
    summary="An action with its progress updates and evidence",
)
def action_detail(request: HttpRequest, action_id: int) -> ActionDetailOut:
    action, _ = action_for_user(request_user(request), action_id)
    return ActionDetailOut(
        **_action_out(action).dict(),
        updates=[
            UpdateOut(written_on=u.written_on, note=u.note, status=u.status)
            for u in selectors.action_updates(action)
        ],
        evidence=[
            ActionEvidenceOut(kind=e.kind, record_id=e.record_id, label=e.label)
            for e in action.evidence.all()
        ],
        accreditation=_accreditation_out(action),
    )


def _accreditation_out(action: Action) -> ActionAccreditationOut | None:
    progress = selectors.linked_accreditation_progress(action, today=timezone.localdate())
    if progress is None:
        return None
    step = progress.next_step
    return ActionAccreditationOut(
        status=progress.status,
        status_label=progress.status_label,
        since=progress.since,
        accredited_on=progress.accredited_on,
        renewal_due_on=progress.renewal_due_on,
        steps_total=progress.steps_total,
        steps_done=progress.steps_done,
        steps_overdue=progress.steps_overdue,
        next_step=step.description if step else None,
        next_step_due_on=step.due_on if step else None,
    )


@router.post(
    "/actions/{action_id}/progress",
    response={200: ActionOut, **ERRORS},
    summary="Record a dated progress update; the action takes its status",
)
def action_progress(request: HttpRequest, action_id: int, payload: ProgressIn) -> ActionOut:
    action, access = action_for_user(request_user(request), action_id)
    _require_edit(access)
    with validation_errors_as_422():
        services.action_progress(action=action, by=request_user(request), **payload.dict())
    action.refresh_from_db()
    return _action_out(action)


def _event_out(event: Event) -> EngagementEventOut:
    return EngagementEventOut(
        id=event.pk,
        title=event.title,
        held_on=event.held_on,
        organisations=event.organisation_list,
        attendance=event.attendance,
        outcomes=event.outcomes,
        actions=[_action_out(a) for a in event.actions.select_related("owner")],
    )


@router.get("/events", response=list[EngagementEventOut], summary="The programme's events")
def event_list(request: HttpRequest) -> list[EngagementEventOut]:
    council, _ = council_programme(request)
    return [_event_out(e) for e in selectors.events_for(council)]


@router.post("/events", response={200: EngagementEventOut, **ERRORS}, summary="Record an event")
def event_create(request: HttpRequest, payload: EventIn) -> EngagementEventOut:
    council, access = council_programme(request)
    _require_edit(access)
    fields = payload.dict()
    fields["organisations"] = "\n".join(o.strip() for o in fields["organisations"] if o.strip())
    with validation_errors_as_422():
        event = services.event_create(council=council, by=request_user(request), **fields)
    return _event_out(event)


@router.get(
    "/events/{event_id}",
    response={200: EngagementEventOut, 404: dict},
    summary="An event with its follow-up actions",
)
def event_detail(request: HttpRequest, event_id: int) -> EngagementEventOut:
    event, _ = event_for_user(request_user(request), event_id)
    return _event_out(event)


@router.post(
    "/events/{event_id}/actions",
    response={200: ActionOut, **ERRORS},
    summary="Add a follow-up action to an event (it joins the action tracker)",
)
def event_action_create(request: HttpRequest, event_id: int, payload: ActionIn) -> ActionOut:
    event, access = event_for_user(request_user(request), event_id)
    return _create_action(request, access, payload, event=event)


def _engagement_out(engagement: Engagement) -> EngagementOut:
    return EngagementOut(
        id=engagement.pk,
        body=engagement.body,
        purpose=engagement.purpose,
        contacts=engagement.contacts,
        started_on=engagement.started_on,
        entries=[
            EntryOut(happened_on=e.happened_on, kind=e.kind, summary=e.summary)
            for e in engagement.entries.all()
        ],
    )


@router.get("/engagements", response=list[EngagementOut], summary="Engagement with outside bodies")
def engagement_list(request: HttpRequest) -> list[EngagementOut]:
    council, _ = council_programme(request)
    return [_engagement_out(e) for e in selectors.engagements_for(council)]


@router.post(
    "/engagements",
    response={200: EngagementOut, **ERRORS},
    summary="Record engagement with an outside body",
)
def engagement_create(request: HttpRequest, payload: EngagementIn) -> EngagementOut:
    council, access = council_programme(request)
    _require_edit(access)
    with validation_errors_as_422():
        engagement = services.engagement_create(
            council=council, by=request_user(request), **payload.dict()
        )
    return _engagement_out(engagement)


@router.get(
    "/engagements/{engagement_id}",
    response={200: EngagementOut, 404: dict},
    summary="An engagement with its log",
)
def engagement_detail(request: HttpRequest, engagement_id: int) -> EngagementOut:
    engagement, _ = engagement_for_user(request_user(request), engagement_id)
    return _engagement_out(engagement)


@router.post(
    "/engagements/{engagement_id}/entries",
    response={200: EngagementOut, **ERRORS},
    summary="Log a meeting, a resource used or a commitment made",
)
def engagement_entry_add(
    request: HttpRequest, engagement_id: int, payload: EntryIn
) -> EngagementOut:
    engagement, access = engagement_for_user(request_user(request), engagement_id)
    _require_edit(access)
    with validation_errors_as_422():
        services.engagement_entry_add(
            engagement=engagement, by=request_user(request), **payload.dict()
        )
    return _engagement_out(engagement)


@router.get(
    "/reports/{year}",
    response={200: dict, 404: dict, 422: dict},
    summary="The progress report for a policy year, like 2025-26: the latest published "
    "version, or with draft=true the report as the data stands now",
)
def report(request: HttpRequest, year: str, draft: bool = False) -> dict[str, Any]:
    council, _ = council_programme(request)
    found = ProgressReport.objects.filter(council=council, year=year).first()
    version = selectors.latest_version(found) if found and not draft else None
    if version is not None:
        return {
            "status": "published",
            "version": version.number,
            "published_at": version.published_at.isoformat(),
            **version.document,
        }
    if not draft:
        raise HttpError(404, f"No version of the {year} report has been published")
    try:
        document = build_document(council, year, report=found)
    except (NoPolicyYears, ValueError) as problem:
        raise HttpError(422, str(problem)) from None
    return {"status": "draft", "version": None, "published_at": None, **document}


@router.get(
    "/reports/{year}/versions",
    response={200: list[VersionOut], 404: dict},
    summary="The published versions of a year's report, newest first, with what changed",
)
def report_versions(request: HttpRequest, year: str) -> list[VersionOut]:
    council, _ = council_programme(request)
    found = ProgressReport.objects.filter(council=council, year=year).first()
    if found is None:
        raise HttpError(404, f"There is no {year} report")
    return [
        VersionOut(number=v.number, published_at=v.published_at, note=v.note, changes=v.changes)
        for v in selectors.report_versions(found)
    ]
