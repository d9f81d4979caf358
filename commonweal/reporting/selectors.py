"""Reads for the programme office: decisions, actions, events, engagement, reports and their
versions, and the records behind each figure of a progress report."""

from __future__ import annotations

import re
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from commonweal.accounts.models import Organisation, User
from commonweal.accounts.roles import COUNCIL_ROLES
from commonweal.contracts.models import Contract
from commonweal.core.composed import ComposedOnce
from commonweal.fairwork import selectors as fair_work
from commonweal.monitoring import figures as monitoring_figures
from commonweal.monitoring.models import CaseStudy, DeliveryFigures, ReturnStatus
from commonweal.reporting.evidence import ACCREDITATION
from commonweal.reporting.models import (
    OPEN_STATUSES,
    Action,
    ActionStatus,
    ActionUpdate,
    Decision,
    Engagement,
    Event,
    ProgressReport,
    Recommendation,
    ReportVersion,
)
from commonweal.reporting.years import policy_years_of, reporting_settings_of
from commonweal.tenders.models import Tender
from commonweal.valuation.programme import PolicyYear

NARRATIVE_KEYS = (
    "introduction",
    "procurement",
    "commitments",
    "case-studies",
    "local-markets",
    "living-wage",
    "equality",
    "actions",
)
"""The parts of a report officers write words for: an introduction and one per section."""
PARTNERSHIP_KEY = re.compile(r"^partnership-\d+$")
"""One section per partnership the council runs, keyed by the partnership."""


def is_narrative_key(key: str) -> bool:
    """Whether officers may write words for this part of a report."""
    return key in NARRATIVE_KEYS or PARTNERSHIP_KEY.match(key) is not None


# --- Decisions and actions ---------------------------------------------------------------


def decisions_for(council: Organisation) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(council=council)
        .annotate(
            recommendation_count=Count("recommendations", distinct=True),
            action_count=Count("recommendations__actions", distinct=True),
        )
        .order_by("-decided_on", "-pk")
    )


def recommendations_with_actions(decision: Decision) -> list[Recommendation]:
    return list(
        decision.recommendations.prefetch_related(
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("owner").order_by("due_on", "pk"),
            )
        )
    )


def council_actions(council: Organisation) -> QuerySet[Action]:
    return Action.objects.filter(council=council).select_related(
        "owner", "recommendation__decision", "event"
    )


def overdue_actions(council: Organisation | int, *, today: date) -> QuerySet[Action]:
    """Actions not done or dropped whose due date has passed."""
    council_id = council if isinstance(council, int) else council.pk
    return Action.objects.filter(
        council_id=council_id, status__in=OPEN_STATUSES, due_on__lt=today
    ).select_related("owner", "recommendation__decision", "event")


def at_risk_actions(council: Organisation | int) -> QuerySet[Action]:
    council_id = council if isinstance(council, int) else council.pk
    return Action.objects.filter(council_id=council_id, status=ActionStatus.AT_RISK).select_related(
        "owner", "recommendation__decision", "event"
    )


def actions_needing_attention(council: Organisation | int, *, today: date) -> QuerySet[Action]:
    """Overdue or at-risk actions, soonest due first."""
    council_id = council if isinstance(council, int) else council.pk
    return (
        Action.objects.filter(council_id=council_id, status__in=OPEN_STATUSES)
        .filter(Q(due_on__lt=today) | Q(status=ActionStatus.AT_RISK))
        .select_related("owner", "recommendation__decision", "event")
        .order_by("due_on", "pk")
    )


def filter_actions(
    actions: QuerySet[Action], *, status: str = "", overdue: bool = False, today: date
) -> QuerySet[Action]:
    if status in ActionStatus.values:
        actions = actions.filter(status=status)
    if overdue:
        actions = actions.filter(status__in=OPEN_STATUSES, due_on__lt=today)
    return actions


def action_updates(action: Action) -> QuerySet[ActionUpdate]:
    return action.updates.select_related("written_by")


def linked_accreditation_progress(
    action: Action, *, today: date
) -> fair_work.AccreditationProgress | None:
    """The council's Real Living Wage accreditation journey, as fair work reads it, when the
    action cites it as evidence (the Cabinet's "Real Living Wage accreditation" action)."""
    if not action.evidence.filter(kind=ACCREDITATION).exists():
        return None
    return fair_work.accreditation_progress(action.council, today)


def council_members(council: Organisation | int) -> QuerySet[User]:
    """People who may own an action: the council's members, by name."""
    council_id = council if isinstance(council, int) else council.pk
    return User.objects.filter(
        is_active=True,
        memberships__organisation_id=council_id,
        memberships__role__in=list(COUNCIL_ROLES),
    ).order_by("full_name", "email")


# --- Events and engagement ---------------------------------------------------------------


def events_for(council: Organisation) -> QuerySet[Event]:
    return (
        Event.objects.filter(council=council)
        .annotate(action_count=Count("actions"))
        .order_by("-held_on", "-pk")
    )


def engagements_for(council: Organisation) -> QuerySet[Engagement]:
    return (
        Engagement.objects.filter(council=council)
        .annotate(entry_count=Count("entries"))
        .order_by("body", "pk")
    )


# --- Reports -----------------------------------------------------------------------------


def report_years(council: Organisation, *, today: date | None = None) -> list[PolicyYear]:
    """The policy's years so far, newest first; empty until the adoption date is set."""
    years = policy_years_of(council)
    if years is None:
        return []
    return list(reversed(years.years_until(today or timezone.localdate())))


def reports_for(council: Organisation) -> dict[str, ProgressReport]:
    return {
        report.year: report
        for report in ProgressReport.objects.filter(council=council).prefetch_related(
            Prefetch("versions", queryset=ReportVersion.objects.order_by("-number"))
        )
    }


def latest_version(report: ProgressReport) -> ReportVersion | None:
    return report.versions.order_by("-number").first()


def report_versions(report: ProgressReport) -> QuerySet[ReportVersion]:
    return report.versions.select_related("published_by").order_by("-number")


_latest_published = ComposedOnce(
    # On every council home page: composed once per thread, as composing it cost more than
    # running it.
    lambda council_id: (
        ReportVersion.objects.filter(report__council_id=council_id)
        .select_related("report")
        .order_by("-published_at", "-pk")[:1]
    )
)


def latest_published(council: Organisation | int) -> ReportVersion | None:
    """The council's most recently published report version, of any year."""
    council_id = council if isinstance(council, int) else council.pk
    return next(iter(_latest_published(council_id)), None)


def published_reports(council: Organisation) -> list[ReportVersion]:
    """The latest published version of each year's report, newest year first."""
    latest: dict[str, ReportVersion] = {}
    for version in (
        ReportVersion.objects.filter(report__council=council)
        .select_related("report")
        .order_by("report__year", "number")
    ):
        latest[version.report.year] = version
    return sorted(latest.values(), key=lambda v: v.report.year, reverse=True)


def public_councils() -> QuerySet[Organisation]:
    return Organisation.objects.filter(reporting_settings__public_pages=True).order_by("name")


def public_pages_on(council: Organisation) -> bool:
    return reporting_settings_of(council).public_pages


# --- The records behind the report's figures ---------------------------------------------


def tenders_issued(council: Organisation, year: PolicyYear) -> QuerySet[Tender]:
    """Procurement exercises with social value: tenders issued through Commonweal in the year
    (every Commonweal tender asks for social value)."""
    return Tender.objects.filter(
        council=council,
        issued_at__date__gte=year.starts_on,
        issued_at__date__lte=year.ends_on,
    ).select_related("procurement__policy_version")


def tenders_awarded(council: Organisation, year: PolicyYear) -> QuerySet[Tender]:
    return Tender.objects.filter(
        council=council,
        awarded_at__date__gte=year.starts_on,
        awarded_at__date__lte=year.ends_on,
    ).select_related("procurement__policy_version")


def contracts_started(council: Organisation, year: PolicyYear) -> QuerySet[Contract]:
    """Contracts with social value commitments that started in the year, however they came
    into Commonweal (awarded through a tender here, recorded or imported)."""
    return Contract.objects.filter(
        council=council,
        start_date__gte=year.starts_on,
        start_date__lte=year.ends_on,
        pk__in=Contract.objects.filter(council=council, commitments__isnull=False).values("pk"),
    )


def figures_as_at(council: Organisation, day: date) -> QuerySet[DeliveryFigures]:
    """Every commitment of the council's contracts started by `day`, with its figures to date
    as of the last reporting period ended by then."""
    return monitoring_figures.council_figures_as_of(council.pk, day).filter(
        contract__start_date__lte=day
    )


def contracts_with_figures_as_at(council: Organisation, day: date) -> int:
    """How many of the council's contracts started by `day` have figures as of that day (the
    contracts behind `figures_as_at`), counted from the contracts, one index look-up each,
    rather than by reading every figures row again."""
    # By the contract's own rows: through the council's index the database would read the
    # whole council's rows again for each contract.
    as_of = DeliveryFigures.objects.filter(
        contract_id=OuterRef("pk"), from_date__lte=day, until_date__gt=day
    )
    return (
        Contract.objects.filter(council=council, start_date__lte=day).filter(Exists(as_of)).count()
    )


def case_studies_in(council: Organisation, year: PolicyYear) -> QuerySet[CaseStudy]:
    """Case studies suppliers sent with returns for periods ending in the year, where the
    people in them agreed to publication; returns still in draft are left out."""
    return (
        CaseStudy.objects.filter(
            supplier_return__contract__council=council,
            supplier_return__period__ends_on__gte=year.starts_on,
            supplier_return__period__ends_on__lte=year.ends_on,
            consent_to_publish=True,
        )
        .exclude(supplier_return__status=ReturnStatus.DRAFT)
        .select_related("supplier_return__contract__supplier", "supplier_return__period")
        .order_by("supplier_return__period__ends_on", "pk")
    )
