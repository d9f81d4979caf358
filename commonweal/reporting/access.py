"""Who may see and change the programme's records.

Decisions, actions, events, engagement and progress reports belong to one council. Every member
of that council may read them (councillors are viewers); officers (every council role but
viewer) may change them; only a council admin, the programme lead, publishes a report or
changes the reporting settings. Everyone else gets a 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from commonweal.accounts.access import council_membership, memberships_of
from commonweal.accounts.models import Membership, Organisation, User
from commonweal.accounts.roles import COUNCIL_EDITOR_ROLES, Role
from commonweal.reporting.models import (
    Action,
    Decision,
    Engagement,
    Event,
    ProgressReport,
    Recommendation,
    ReportVersion,
)


@dataclass(frozen=True)
class ProgrammeAccess:
    """How one person stands towards one council's programme."""

    membership: Membership

    @property
    def can_edit(self) -> bool:
        return self.membership.role in COUNCIL_EDITOR_ROLES

    @property
    def can_publish(self) -> bool:
        return self.membership.role == Role.COUNCIL_ADMIN

    def require_edit(self) -> None:
        if not self.can_edit:
            raise PermissionDenied(
                "You need to be a council officer to change the programme's records; "
                "viewers may only read them"
            )

    def require_publish(self) -> None:
        if not self.can_publish:
            raise PermissionDenied("You need to be a council admin to do this")


def programme_access(user: User, council_id: int) -> ProgrammeAccess:
    """The person's standing in the council's programme; 404 unless they are its member."""
    for membership in memberships_of(user):
        if membership.organisation_id == council_id and membership.organisation.is_council:
            return ProgrammeAccess(membership)
    raise Http404("No such record")


def access_from_membership(membership: Membership) -> ProgrammeAccess:
    """The standing of the active membership, which must be a council's (404 otherwise)."""
    if not membership.organisation.is_council:
        raise Http404("Only councils have a programme")
    return ProgrammeAccess(membership)


def council_programme(request: HttpRequest) -> tuple[Organisation, ProgrammeAccess]:
    """The council the person acts for (404 unless they act for a council) and their standing
    in its programme."""
    membership = council_membership(request)
    return membership.organisation, access_from_membership(membership)


def decision_for_user(user: User, pk: int) -> tuple[Decision, ProgrammeAccess]:
    decision = Decision.objects.filter(pk=pk).first()
    if decision is None:
        raise Http404("No such decision")
    return decision, programme_access(user, decision.council_id)


def recommendation_for_user(
    user: User, decision_pk: int, pk: int
) -> tuple[Recommendation, ProgrammeAccess]:
    recommendation = (
        Recommendation.objects.select_related("decision")
        .filter(pk=pk, decision_id=decision_pk)
        .first()
    )
    if recommendation is None:
        raise Http404("No such recommendation")
    return recommendation, programme_access(user, recommendation.decision.council_id)


def action_for_user(user: User, pk: int) -> tuple[Action, ProgrammeAccess]:
    action = (
        Action.objects.select_related("recommendation__decision", "event", "owner")
        .filter(pk=pk)
        .first()
    )
    if action is None:
        raise Http404("No such action")
    return action, programme_access(user, action.council_id)


def event_for_user(user: User, pk: int) -> tuple[Event, ProgrammeAccess]:
    event = Event.objects.filter(pk=pk).first()
    if event is None:
        raise Http404("No such event")
    return event, programme_access(user, event.council_id)


def engagement_for_user(user: User, pk: int) -> tuple[Engagement, ProgrammeAccess]:
    engagement = Engagement.objects.filter(pk=pk).first()
    if engagement is None:
        raise Http404("No such engagement")
    return engagement, programme_access(user, engagement.council_id)


def report_for_user(user: User, pk: int) -> tuple[ProgressReport, ProgrammeAccess]:
    report = ProgressReport.objects.select_related("council").filter(pk=pk).first()
    if report is None:
        raise Http404("No such report")
    return report, programme_access(user, report.council_id)


def report_version_for_user(
    user: User, report_pk: int, number: int
) -> tuple[ReportVersion, ProgrammeAccess]:
    version = (
        ReportVersion.objects.select_related("report__council")
        .filter(report_id=report_pk, number=number)
        .first()
    )
    if version is None:
        raise Http404("No such version")
    return version, programme_access(user, version.report.council_id)
