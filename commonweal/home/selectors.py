"""What is waiting for each person, read from every app, for their home page.

Each kind of work is a `Work` item: what it is, how many, and the page that lists them (the
counts link to the lists, as the GOV.UK "your work" pattern asks). The page shows the items
for the person's role in the organisation they are acting for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from django.db.models import Exists, Model, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.models import Membership, Organisation, User
from commonweal.accounts.roles import Role
from commonweal.commissioning.models import Procurement, ProcurementStatus
from commonweal.core.composed import ComposedOnce
from commonweal.fairwork import selectors as fair_work
from commonweal.fairwork.models import AccreditationStatus, FindingStatus
from commonweal.monitoring import figures as monitoring_figures
from commonweal.monitoring import selectors as monitoring
from commonweal.monitoring.models import LineOutcome, QueryMessage, ReturnLine
from commonweal.partnership import selectors as charter
from commonweal.partnership.access import SIGNATORY_WRITER_ROLES, is_coordinator
from commonweal.partnership.models import Partnership, SignatoryStatus
from commonweal.reporting import selectors as programme
from commonweal.reporting.models import ReportVersion
from commonweal.tenders.models import EvaluatorAssignment, Tender
from commonweal.valuation.fair_work import EflgLevel

M = TypeVar("M", bound=Model)

SHOWN = 5
"""Items listed under each count; the count links to all of them."""
CLOSING_WITHIN = timedelta(days=14)

# The whole council's open findings, on every council admin's home page: composed once per
# thread, as composing the query (with its joins) cost more than running it.
_open_findings = ComposedOnce(
    lambda council_id: fair_work.wage_findings(council_id, status=FindingStatus.OPEN).order_by(
        "-pk"
    )[:SHOWN]
)


def _first_and_count(queryset: QuerySet[M]) -> tuple[list[M], int]:
    """The first SHOWN of a list and how many there are."""
    first = list(queryset[:SHOWN])
    return first, _count(first, queryset)


def _count(first: list[M], queryset: QuerySet[M]) -> int:
    """How many the list has, given its first SHOWN: counted in the database only when those
    fill the list (most lists on a home page are empty or short)."""
    return len(first) if len(first) < SHOWN else queryset.count()


@dataclass
class Work:
    key: str
    label: str
    count: int
    url: str
    items: list[tuple[str, str, str]] = field(default_factory=list)
    """(text, address, note) for the first few."""
    as_at: datetime | None = None
    """When the count was read, if it may be older than changes saved since (kept running,
    `monitoring.running`, and being brought up to date)."""


def _evaluation_work(user: User, council_id: int) -> Work:
    assignments = (
        EvaluatorAssignment.objects.filter(
            evaluator=user,
            stood_down_at__isnull=True,
            tender__council_id=council_id,
            tender__opened_at__isnull=False,
            tender__signed_off_at__isnull=True,
        )
        .select_related("tender__procurement")
        .order_by("tender__deadline")
    )
    first, count = _first_and_count(assignments)
    tenders = [a.tender for a in first]
    return Work(
        "tenders-to-score",
        "Tenders to score",
        count,
        reverse("tenders:list"),
        [
            (f"{t.reference} {t.procurement.title}", reverse("tenders:evaluation", args=[t.pk]), "")
            for t in tenders
        ],
    )


def _council_verification_work(scope: monitoring.PortfolioScope) -> Work:
    """The whole council's returns to verify, kept running with the dashboard's figures."""
    lists = scope.lists()
    return Work(
        "returns-to-verify",
        "Returns to verify",
        lists.waiting_count,
        reverse("monitoring:verification"),
        [
            (
                f"{r.contract_reference} {r.supplier}",
                reverse("monitoring:return-verify", args=[r.return_id]),
                r.period_label,
            )
            for r in lists.waiting[:SHOWN]
        ],
        as_at=scope.as_at,
    )


def _verification_work(membership: Membership, user: User) -> Work:
    returns, count = _first_and_count(
        monitoring.verification_queue(membership, user=user, mine_only=True)
    )
    return Work(
        "returns-to-verify",
        "Returns on your contracts to verify",
        count,
        reverse("monitoring:verification"),
        [
            (
                f"{r.contract.reference} {r.contract.supplier.name}",
                reverse("monitoring:return-verify", args=[r.pk]),
                r.period.label,
            )
            for r in returns
        ],
    )


def _queries_work(council_id: int, user: User, *, mine: bool) -> Work:
    """Queried lines a supplier has answered, waiting for the council's decision."""
    lines = ReturnLine.objects.filter(
        supplier_return__contract__council_id=council_id, outcome=LineOutcome.QUERIED
    ).filter(
        Exists(QueryMessage.objects.filter(line=OuterRef("pk"), kind=QueryMessage.Kind.ANSWER))
    )
    if mine:
        lines = lines.filter(supplier_return__contract__contract_manager=user)
    first, count = _first_and_count(
        lines.select_related("supplier_return__contract").order_by("pk")
    )
    return Work(
        "queries-answered",
        "Queries answered, waiting for your decision",
        count,
        reverse("monitoring:verification"),
        [
            (
                line.supplier_return.contract.reference,
                reverse("monitoring:return-verify", args=[line.supplier_return_id]),
                "",
            )
            for line in first
        ],
    )


def _red_work(
    membership: Membership, user: User, *, scope: monitoring.PortfolioScope | None, today: date
) -> Work:
    """Commitments rated red: the whole council's (the dashboard's own count, from the running
    portfolio) given its `scope`, else those of the person's contracts."""
    council_id = membership.organisation_id
    if scope is None:
        thresholds = monitoring.thresholds_of(monitoring.settings_for(council_id))
        red = (
            monitoring_figures.council_figures_as_of(council_id, today)
            .alias(rating=monitoring_figures.rag_of(thresholds))
            .filter(rating="red", contract__contract_manager=user)
            .count()
        )
    else:
        portfolio = scope.portfolio()
        red = next(count for rag, _, _, count in portfolio.rag_counts if rag == "red")
    return Work(
        "red-commitments",
        "Commitments rated red" + (" on your contracts" if scope is None else ""),
        red,
        reverse("monitoring:dashboard-lines") + "?rag=red",
        as_at=scope.as_at if scope is not None else None,
    )


def _wage_findings_work(membership: Membership, user: User, *, mine: bool) -> Work:
    """Real Living Wage findings still open: a return paid below the rate in force."""
    findings = fair_work.wage_findings(membership.organisation, status=FindingStatus.OPEN)
    findings = findings.order_by("-pk")
    if mine:
        first, count = _first_and_count(findings.filter(contract__contract_manager=user))
    else:
        first = _open_findings(membership.organisation_id)
        count = _count(first, findings)
    return Work(
        "wage-findings",
        "Real Living Wage findings open" + (" on your contracts" if mine else ""),
        count,
        reverse("fairwork:findings") + f"?status={FindingStatus.OPEN.value}",
        [
            (
                f"{f.contract.reference} {f.contract.supplier.name}",
                reverse("fairwork:finding-detail", args=[f.pk]),
                f.supplier_return.period.label,
            )
            for f in first
        ],
    )


def _planning_work(council_id: int, user: User) -> list[Work]:
    planning = Procurement.objects.filter(
        council_id=council_id, status=ProcurementStatus.PLANNING
    ).order_by("-updated_at")
    own, own_count = _first_and_count(planning.filter(commissioner=user))
    now = timezone.now()
    closing, closing_count = _first_and_count(
        Tender.objects.filter(
            council_id=council_id, deadline__gt=now, deadline__lte=now + CLOSING_WITHIN
        )
        .select_related("procurement")
        .order_by("deadline")
    )
    return [
        Work(
            "procurements-in-planning",
            "Your procurements in planning",
            own_count,
            reverse("commissioning:list"),
            [(p.title, reverse("commissioning:detail", args=[p.pk]), "") for p in own],
        ),
        Work(
            "tenders-closing",
            "Tenders closing in the next 14 days",
            closing_count,
            reverse("tenders:list"),
            [
                (
                    f"{t.reference} {t.procurement.title}",
                    reverse("tenders:detail", args=[t.pk]),
                    f"closes {timezone.localtime(t.deadline):%d %b %Y %H:%M}",
                )
                for t in closing
            ],
        ),
    ]


def _action_work(council_id: int, user: User, *, everyone: bool, today: date) -> Work:
    # Only the actions' own fields are shown: their owners and decisions are not read.
    actions = programme.actions_needing_attention(council_id, today=today).select_related(None)
    if not everyone:
        actions = actions.filter(owner=user)
    first, count = _first_and_count(actions)
    return Work(
        "actions",
        "Priority actions overdue or at risk" + ("" if everyone else " that you own"),
        count,
        reverse("reporting:actions") + ("" if everyone else "?mine=1"),
        [
            (
                a.title,
                reverse("reporting:action", args=[a.pk]),
                "overdue" if a.due_on < today else "at risk",
            )
            for a in first
        ],
    )


def _supplier_work(membership: Membership, today: date) -> list[Work]:
    due, count = _first_and_count(
        monitoring.reportable_periods(membership, today=today, needing_action=True)
    )
    return [
        Work(
            "returns-due",
            "Returns to send or answer",
            count,
            reverse("monitoring:returns"),
            [
                (
                    f"{p.contract.reference} {p.contract.title}",
                    reverse("monitoring:returns"),
                    p.label,
                )
                for p in due
            ],
        )
    ]


def _one_or_all(partnerships: list[Partnership], name: str) -> str:
    """The partnership's own list when there is one, else the list of partnerships."""
    if len(partnerships) == 1:
        return reverse(name, args=[partnerships[0].pk])
    return reverse("partnership:list")


def _review_work(coordinated: list[Partnership]) -> Work:
    queues = [charter.review_queue(p) for p in coordinated]
    waiting = [r for queue in queues for r in queue[:SHOWN]][:SHOWN]
    return Work(
        "charter-returns-to-review",
        "Charter progress returns to review",
        sum(queue.count() for queue in queues),
        _one_or_all(coordinated, "partnership:reviews")
        + ("?status=submitted" if len(coordinated) == 1 else ""),
        [
            (
                f"{r.reference} {r.pledge.signatory.organisation.name}",
                reverse("partnership:return-detail", args=[r.pk]),
                f"{r.year_label}" + (", sent late" if r.submitted_late else ""),
            )
            for r in waiting
        ],
    )


def _late_work(coordinated: list[Partnership], today: date) -> Work:
    """Signatories' returns past their due date and not sent."""
    late = [
        owed
        for p in coordinated
        for owed in charter.returns_owed_everywhere(today=today, partnership=p)
        if owed.due_on < today
    ]
    late.sort(key=lambda o: (o.due_on, o.signatory.organisation.name))
    return Work(
        "charter-returns-late",
        "Charter progress returns overdue from signatories",
        sum(o.count for o in late),
        _one_or_all(coordinated, "partnership:progress"),
        [
            (
                o.signatory.organisation.name,
                reverse("partnership:signatory", args=[o.signatory.pk]),
                f"{o.count} for {o.year_label}, due {o.due_on:%-d %b %Y}",
            )
            for o in late[:SHOWN]
        ],
    )


def _signatory_work(membership: Membership, signed: list[Partnership], today: date) -> Work:
    """The returns the person's organisation owes on the charters it signed."""
    owed = [
        (
            p,
            charter.waiting_work(
                p, organisation=membership.organisation, coordinator=False, today=today
            ),
        )
        for p in signed
    ]
    return Work(
        "charter-returns-to-send",
        "Charter progress returns to send",
        sum(w.owed for _, w in owed),
        _one_or_all(signed, "partnership:detail"),
        [
            (
                p.name,
                reverse("partnership:detail", args=[p.pk]),
                f"{w.owed} to send" + (f", {w.overdue} overdue" if w.overdue else ""),
            )
            for p, w in owed
            if w.owed
        ][:SHOWN],
    )


def partnership_work(membership: Membership, *, today: date) -> list[Work]:
    """Charter work for anyone in a partnership: a coordinator's returns to review and the
    signatories' late returns; a signatory organisation's own returns to send."""
    organisation = membership.organisation
    partnerships = charter.partnerships_listed_for(organisation.pk)
    coordinated = [p for p in partnerships if is_coordinator(membership, p)]
    work = []
    if coordinated:
        work += [_review_work(coordinated), _late_work(coordinated, today)]
    if membership.role in SIGNATORY_WRITER_ROLES:
        signed_in = set(
            organisation.charter_signatures.filter(status=SignatoryStatus.SIGNED).values_list(
                "partnership_id", flat=True
            )
        )
        signed = [p for p in partnerships if p.pk in signed_in]
        if signed:
            work.append(_signatory_work(membership, signed, today))
    return work


def council_work(
    membership: Membership,
    user: User,
    *,
    today: date,
    scope: monitoring.PortfolioScope | None = None,
) -> list[Work]:
    """The waiting work of a council member, by role; the whole council's figures from
    `scope` (the whole portfolio) when given."""
    council_id = membership.organisation_id
    role = membership.role
    work: list[Work] = []
    if role == Role.EVALUATOR:
        work.append(_evaluation_work(user, council_id))
    if role == Role.CONTRACT_MANAGER:
        work += [
            _verification_work(membership, user),
            _queries_work(council_id, user, mine=True),
            _red_work(membership, user, scope=None, today=today),
        ]
        findings = _wage_findings_work(membership, user, mine=True)
        if findings.count:
            work.append(findings)
    if role == Role.COMMISSIONER:
        work += _planning_work(council_id, user)
    if role == Role.COUNCIL_ADMIN:
        scope = scope or monitoring.PortfolioScope(membership, {})
        work += [
            _action_work(council_id, user, everyone=True, today=today),
            _council_verification_work(scope),
            _red_work(membership, user, scope=scope, today=today),
        ]
        findings = _wage_findings_work(membership, user, mine=False)
        if findings.count:
            work.append(findings)
    elif role != Role.VIEWER:
        owned = _action_work(council_id, user, everyone=False, today=today)
        if owned.count:
            work.append(owned)
    return work


def supplier_work(membership: Membership, *, today: date) -> list[Work]:
    return _supplier_work(membership, today)


@dataclass(frozen=True)
class Headline:
    """This year's headline figures: committed, claimed and verified as the dashboard has them
    (the council's running portfolio, `monitoring.running`)."""

    committed_pence: int
    claimed_pence: int
    verified_pence: int
    commitments: int
    as_at: datetime | None = None
    """When the figures were read, if they may be older than those saved since."""


def headline(membership: Membership, scope: monitoring.PortfolioScope | None = None) -> Headline:
    portfolio = (scope or monitoring.PortfolioScope(membership, {})).portfolio()
    totals = portfolio.totals
    return Headline(
        totals.committed_pence,
        totals.claimed_pence,
        totals.verified_pence,
        totals.commitments,
        portfolio.as_at,
    )


@dataclass(frozen=True)
class FairWork:
    """The council's Real Living Wage accreditation and its Equality Framework modules, as
    fairwork's own pages have them; None for a part the council has not started."""

    accreditation: str | None
    modules: int
    modules_achieving: int
    """Modules at Achieving or Excellent."""


def fair_work_standing(council: Organisation, today: date) -> FairWork | None:
    progress = fair_work.accreditation_progress(council, today)
    accreditation = (
        progress.status_label if progress.status != AccreditationStatus.NOT_STARTED else None
    )
    modules = (
        fair_work.module_summaries(council, today)
        if fair_work.criteria_of(council).exists()
        else []
    )
    if accreditation is None and not modules:
        return None
    achieving = sum(
        1
        for m in modules
        if m.now.level is not None and m.now.level.rank >= EflgLevel.ACHIEVING.rank
    )
    return FairWork(accreditation, len(modules), achieving)


def latest_report(council_id: int) -> ReportVersion | None:
    return programme.latest_published(council_id)


def context_for(membership: Membership, user: User) -> dict[str, Any]:
    today = timezone.localdate()
    organisation = membership.organisation
    found: dict[str, Any] = {
        "work": [],
        "headline": None,
        "latest_report": None,
        "fair_work": None,
    }
    if organisation.is_council:
        # One reading of the running portfolio for the work and the headline figures.
        scope = monitoring.PortfolioScope(membership, {})
        found["work"] = council_work(membership, user, today=today, scope=scope)
        found["headline"] = headline(membership, scope)
        found["latest_report"] = latest_report(organisation.pk)
        found["fair_work"] = fair_work_standing(organisation, today)
    elif organisation.is_supplier:
        found["work"] = supplier_work(membership, today=today)
    found["work"] += partnership_work(membership, today=today)
    return found
