"""Reads for partnerships, shared by the pages, the API, the public pages and (later) the
Cabinet report: charters and their signatories and pledges, progress returns owed and made,
an anchor network's figures member by member and combined, and the combined authority's view
of its region.

Self-reported and reviewed progress figures are read and returned separately and never added
together; so are committed, claimed and verified social value.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from commonweal.accounts.models import Organisation, User
from commonweal.accounts.roles import COUNCIL_EDITOR_ROLES, Role
from commonweal.accounts.selectors import LivingWageStatus
from commonweal.commissioning.models import Procurement, ProcurementStatus
from commonweal.contracts.models import Contract
from commonweal.core.composed import ComposedOnce
from commonweal.cwb import analyses
from commonweal.cwb import selectors as cwb_selectors
from commonweal.cwb.models import AnchorNetwork, AnchorNetworkMember
from commonweal.fairwork.selectors import living_wage_status
from commonweal.financial_years import financial_year_label, financial_year_of
from commonweal.frameworks.models import LocalMeasureSetVersion, Measure, VersionStatus
from commonweal.monitoring.figures import council_figures_as_of
from commonweal.partnership.access import (
    SIGNATORY_WRITER_ROLES,
    visible_partnerships,
    visible_pledges,
)
from commonweal.partnership.models import (
    ANCHOR_SECTORS,
    DEFAULT_SHARING,
    CharterStatus,
    CharterVersion,
    JointAction,
    Partnership,
    PartnershipNetwork,
    Pledge,
    PledgeKind,
    Principle,
    ProgressReturn,
    RegionSetAdoption,
    RegionSharing,
    ReturnStatus,
    Sector,
    SharedTopic,
    SharingLevel,
    Signatory,
    SignatoryStatus,
)
from commonweal.partnership.rules import ReturnDueDate, ReturnsOwed
from commonweal.spend_engine.analysis import YearAnalysis, percent_of
from commonweal.valuation import tags
from commonweal.valuation.disclosure import Contribution, Disclosure, NetworkFigureDisclosure

#: The disclosure rule every network figure is shown under (ADR 0005, ADR 0011).
DISCLOSURE = NetworkFigureDisclosure(minimum_members=analyses.NETWORK_POOLING.minimum_members)


# --- Partnerships and their charters ---------------------------------------------------------


def partnerships_for(organisation: Organisation | int) -> QuerySet[Partnership]:
    """The partnerships an organisation owns or was invited to sign, by name."""
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    return (
        Partnership.objects.filter(visible_partnerships(organisation_id))
        .select_related("owner")
        .distinct()
        .order_by("name")
    )


# On every home page: composed once per thread, as composing it cost more than running it.
partnerships_listed_for = ComposedOnce(partnerships_for)
"""`partnerships_for(organisation id)` as a list."""


def adopted_charter(partnership: Partnership) -> CharterVersion | None:
    """The version in force: the latest adopted one."""
    return (
        partnership.charter_versions.filter(status=CharterStatus.PUBLISHED)
        .order_by("-number")
        .first()
    )


def draft_charter(partnership: Partnership) -> CharterVersion | None:
    return partnership.charter_versions.filter(status=CharterStatus.DRAFT).first()


def charter_versions(partnership: Partnership) -> QuerySet[CharterVersion]:
    return partnership.charter_versions.select_related("published_by").order_by("-number")


def principles_of(version: CharterVersion) -> QuerySet[Principle]:
    return version.principles.prefetch_related(
        Prefetch("measures", queryset=Measure.objects.select_related("version__framework"))
    ).order_by("number")


def measures_for_principles(partnership: Partnership) -> QuerySet[Measure]:
    """Measures a principle may map to: published, shipped or the owning council's own or its
    combined authority's."""
    owner = partnership.owner
    return (
        Measure.objects.filter(version__status=VersionStatus.PUBLISHED)
        .filter(
            Q(version__framework__owner__isnull=True)
            | Q(version__framework__owner_id__in=[owner.pk, owner.combined_authority_id])
        )
        .select_related("version__framework")
        .order_by("version__framework__name", "-version__year", "position", "code")
    )


def coordinators_of(partnership: Partnership) -> list[User]:
    return [c.user for c in partnership.coordinators.select_related("user")]


def coordinator_candidates(partnership: Partnership) -> QuerySet[User]:
    """Editors of the owning council who are not coordinators yet."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation_id=partnership.owner_id,
            memberships__role__in=COUNCIL_EDITOR_ROLES,
        )
        .exclude(coordinator_of__partnership=partnership)
        .order_by("full_name")
    )


def coordinator_emails(partnership: Partnership) -> list[str]:
    """Who hears of signatures and withdrawals: the coordinators, else the council's admins."""
    emails = [u.email for u in coordinators_of(partnership) if u.is_active]
    if not emails:
        emails = list(
            User.objects.filter(
                is_active=True,
                memberships__organisation_id=partnership.owner_id,
                memberships__role=Role.COUNCIL_ADMIN,
            ).values_list("email", flat=True)
        )
    return sorted(emails)


def signatory_writers(signatory: Signatory) -> list[User]:
    """The signatory's people who may sign, pledge and report for it."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organisation_id=signatory.organisation_id,
            memberships__role__in=SIGNATORY_WRITER_ROLES,
        ).order_by("pk")
    )


def signatories_of(
    partnership: Partnership, *, statuses: Sequence[str] | None = None
) -> QuerySet[Signatory]:
    found = partnership.signatories.select_related("organisation", "charter_version")
    if statuses is not None:
        found = found.filter(status__in=statuses)
    return found.order_by("organisation__name", "-invited_at")


def signed_with_pledges(partnership: Partnership) -> QuerySet[Signatory]:
    """Signed signatories with their pledges standing (the public list)."""
    return signatories_of(partnership, statuses=[SignatoryStatus.SIGNED]).prefetch_related(
        Prefetch(
            "pledges",
            queryset=Pledge.objects.filter(withdrawn_on__isnull=True).select_related(
                "principle", "measure"
            ),
        )
    )


def organisations_to_invite(partnership: Partnership) -> QuerySet[Organisation]:
    """Organisations not invited or signed now (withdrawn ones may be invited again)."""
    current = partnership.signatories.filter(
        status__in=[SignatoryStatus.INVITED, SignatoryStatus.SIGNED]
    ).values("organisation_id")
    return Organisation.objects.exclude(pk__in=current).order_by("name")


def pledges_of(signatory: Signatory) -> QuerySet[Pledge]:
    return signatory.pledges.select_related("principle", "measure").order_by(
        "principle__number", "pk"
    )


# --- Progress returns ------------------------------------------------------------------------


def pledge_stood(pledge: Pledge) -> tuple[date, date | None]:
    """From when to when a pledge stood: from the day it was made; ended by its withdrawal or
    its signatory's."""
    signatory = pledge.signatory
    made = pledge.made_on
    ends = [d for d in (pledge.withdrawn_on, signatory.ended_on) if d is not None]
    return made, min(ends) if ends else None


def years_owed(pledge: Pledge, *, today: date) -> list[int]:
    if pledge.signatory.status not in (SignatoryStatus.SIGNED, SignatoryStatus.WITHDRAWN):
        return []
    made, ended = pledge_stood(pledge)
    return ReturnsOwed().years(made_on=made, ended_on=ended, today=today)


def due_rule(partnership: Partnership) -> ReturnDueDate:
    return ReturnDueDate(partnership.return_due_days)


@dataclass(frozen=True)
class OwedReturn:
    """One pledge's return for one year: made or not, its state in words and as a tag."""

    pledge: Pledge
    financial_year: int
    due_on: date
    progress_return: ProgressReturn | None
    state: str
    colour: str

    @property
    def year_label(self) -> str:
        return financial_year_label(self.financial_year)


def return_state(
    progress_return: ProgressReturn | None, due_on: date, today: date
) -> tuple[str, str]:
    if progress_return is None or progress_return.status == ReturnStatus.DRAFT:
        if due_on < today:
            return "Overdue", "red"
        return ("Started", "light-blue") if progress_return else ("Due", "blue")
    colour = {
        ReturnStatus.SUBMITTED: "yellow",
        ReturnStatus.QUERIED: "orange",
        ReturnStatus.ACCEPTED: "green",
    }[ReturnStatus(progress_return.status)]
    return progress_return.get_status_display(), colour


def returns_for_signatory(signatory: Signatory, *, today: date) -> list[OwedReturn]:
    """Every return the signatory owes or made, newest year first, by principle."""
    rule = due_rule(signatory.partnership)
    pledges = list(pledges_of(signatory))
    made = {
        (r.pledge_id, r.financial_year): r
        for r in ProgressReturn.objects.filter(pledge__signatory=signatory)
    }
    rows = []
    for pledge in pledges:
        pledge.signatory = signatory
        years = set(years_owed(pledge, today=today)) | {
            year for (pledge_id, year) in made if pledge_id == pledge.pk
        }
        for year in years:
            found = made.get((pledge.pk, year))
            due_on = rule.due_on(year)
            state, colour = return_state(found, due_on, today)
            rows.append(OwedReturn(pledge, year, due_on, found, state, colour))
    rows.sort(key=lambda r: (-r.financial_year, r.pledge.principle.number, r.pledge.pk))
    return rows


@dataclass(frozen=True)
class OwedBySignatory:
    """What one signatory still owes for one year: returns not yet sent."""

    signatory: Signatory
    financial_year: int
    due_on: date
    count: int

    @property
    def year_label(self) -> str:
        return financial_year_label(self.financial_year)


def returns_owed_everywhere(
    *, today: date, partnership: Partnership | None = None
) -> list[OwedBySignatory]:
    """Per signed signatory and year, the returns owed and not yet sent (none, or a draft):
    in every partnership, or in one."""
    signatories = Signatory.objects.filter(status=SignatoryStatus.SIGNED)
    returns = ProgressReturn.objects.exclude(status=ReturnStatus.DRAFT)
    if partnership is not None:
        signatories = signatories.filter(partnership=partnership)
        returns = returns.filter(pledge__signatory__partnership=partnership)
    signatories = signatories.select_related("partnership", "organisation").prefetch_related(
        "pledges"
    )
    sent = set(returns.values_list("pledge_id", "financial_year"))
    found: list[OwedBySignatory] = []
    for signatory in signatories:
        counts: Counter[int] = Counter()
        for pledge in signatory.pledges.all():
            pledge.signatory = signatory
            for year in years_owed(pledge, today=today):
                if (pledge.pk, year) not in sent:
                    counts[year] += 1
        rule = due_rule(signatory.partnership)
        found.extend(
            OwedBySignatory(signatory, year, rule.due_on(year), count)
            for year, count in sorted(counts.items())
        )
    return found


def review_queue(partnership: Partnership) -> QuerySet[ProgressReturn]:
    """Returns waiting for a coordinator's review, oldest first."""
    return (
        ProgressReturn.objects.filter(
            pledge__signatory__partnership=partnership, status=ReturnStatus.SUBMITTED
        )
        .select_related("pledge__signatory__organisation", "pledge__principle", "pledge__measure")
        .order_by("submitted_at", "pk")
    )


def returns_of(partnership: Partnership) -> QuerySet[ProgressReturn]:
    """Every submitted return of the partnership (drafts are the signatories' own)."""
    return (
        ProgressReturn.objects.filter(pledge__signatory__partnership=partnership)
        .exclude(status=ReturnStatus.DRAFT)
        .select_related("pledge__signatory__organisation", "pledge__principle", "pledge__measure")
        .order_by("-financial_year", "pledge__signatory__organisation__name", "pk")
    )


@dataclass(frozen=True)
class WaitingWork:
    """What waits for someone in a partnership: returns to review (coordinators) and returns
    owed by their organisation (signatories)."""

    to_review: int
    owed: int
    overdue: int


def waiting_work(
    partnership: Partnership, *, organisation: Organisation, coordinator: bool, today: date
) -> WaitingWork:
    to_review = review_queue(partnership).count() if coordinator else 0
    owed = overdue = 0
    for signatory in partnership.signatories.filter(
        organisation=organisation, status=SignatoryStatus.SIGNED
    ).select_related("partnership"):
        for row in returns_for_signatory(signatory, today=today):
            if row.state in ("Due", "Started", "Overdue"):
                owed += 1
                overdue += row.state == "Overdue"
    return WaitingWork(to_review, owed, overdue)


# --- Figures for the Cabinet report and the public pages ------------------------------------


@dataclass(frozen=True)
class CharterCounts:
    signatories: int
    by_sector: list[tuple[str, int]]
    anchors: int
    invited: int
    withdrawn: int
    pledges: int
    targets: int
    commitments: int


def charter_counts(partnership: Partnership, *, as_at: date | None = None) -> CharterCounts:
    """How many organisations signed (by sector), are invited or withdrew, and their pledges:
    as the records stand now, or as they stood at the end of the day ``as_at`` (signed by then
    and not yet withdrawn; pledges made by then and not yet withdrawn), which the Cabinet
    report compares year on year."""
    signatories = partnership.signatories.all()
    if as_at is None:
        statuses = Counter(signatories.values_list("status", flat=True))
        signed = signatories.filter(status=SignatoryStatus.SIGNED)
        invited = statuses[SignatoryStatus.INVITED]
        withdrawn = statuses[SignatoryStatus.WITHDRAWN]
        pledges = Pledge.objects.filter(signatory__in=signed, withdrawn_on__isnull=True)
    else:
        standing = Q(ended_on__isnull=True) | Q(ended_on__gt=as_at)
        signed = signatories.filter(
            standing,
            status__in=[SignatoryStatus.SIGNED, SignatoryStatus.WITHDRAWN],
            signed_on__lte=as_at,
        )
        invited = (
            signatories.filter(standing, invited_at__date__lte=as_at)
            .filter(Q(signed_on__isnull=True) | Q(signed_on__gt=as_at))
            .count()
        )
        withdrawn = signatories.filter(
            status=SignatoryStatus.WITHDRAWN, ended_on__lte=as_at
        ).count()
        pledges = Pledge.objects.filter(signatory__in=signed, made_on__lte=as_at).filter(
            Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=as_at)
        )
    sectors = Counter(signed.values_list("sector", flat=True))
    kinds = Counter(pledges.values_list("kind", flat=True))
    return CharterCounts(
        signatories=sum(sectors.values()),
        by_sector=[(Sector(s).label, sectors[s]) for s in Sector.values if sectors[s]],
        anchors=sum(n for s, n in sectors.items() if s in ANCHOR_SECTORS),
        invited=invited,
        withdrawn=withdrawn,
        pledges=sum(kinds.values()),
        targets=kinds[PledgeKind.TARGET],
        commitments=kinds[PledgeKind.COMMITMENT],
    )


@dataclass(frozen=True)
class MeasureProgress:
    """One measure's pledged targets for a year and the progress reported and reviewed against
    them. ``reported`` and ``reviewed`` are separate sums, never added together."""

    code: str
    title: str
    unit: str
    target: Decimal
    reported: Decimal
    reviewed: Decimal


@dataclass(frozen=True)
class YearProgress:
    financial_year: int
    owed: int
    submitted: int
    accepted: int
    queried: int
    late: int
    measures: list[MeasureProgress]

    @property
    def year_label(self) -> str:
        return financial_year_label(self.financial_year)

    @property
    def not_sent(self) -> int:
        return self.owed - self.submitted - self.accepted - self.queried


def progress_by_year(partnership: Partnership, *, today: date) -> list[YearProgress]:
    """Per financial year owed: how many returns were owed, sent, accepted, queried and late,
    and per measure the targets, the self-reported and the reviewed figures (kept apart)."""
    signatories = partnership.signatories.filter(
        status__in=[SignatoryStatus.SIGNED, SignatoryStatus.WITHDRAWN]
    )
    pledges = list(
        Pledge.objects.filter(signatory__in=signatories).select_related("signatory", "measure")
    )
    returns = {
        (r.pledge_id, r.financial_year): r
        for r in ProgressReturn.objects.filter(pledge__in=pledges).exclude(
            status=ReturnStatus.DRAFT
        )
    }
    years: dict[int, dict[str, int]] = defaultdict(Counter)
    figures: dict[tuple[int, int], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    measures: dict[int, Measure] = {}
    for pledge in pledges:
        for year in years_owed(pledge, today=today):
            counts = years[year]
            counts["owed"] += 1
            found = returns.get((pledge.pk, year))
            if found is not None:
                counts[found.status] += 1
                counts["late"] += found.submitted_late
            if pledge.kind != PledgeKind.TARGET or pledge.measure is None:
                continue
            measures[pledge.measure_id] = pledge.measure  # type: ignore[index]
            sums = figures[(year, pledge.measure.pk)]
            if pledge.target_year == year and pledge.quantity is not None:
                sums["target"] += pledge.quantity
            if found is not None and found.reported_quantity is not None:
                sums["reported"] += found.reported_quantity
            if found is not None and found.reviewed_quantity is not None:
                sums["reviewed"] += found.reviewed_quantity
    result = []
    for year in sorted(years, reverse=True):
        counts = years[year]
        rows = [
            MeasureProgress(
                code=measures[measure_id].code,
                title=measures[measure_id].title,
                unit=measures[measure_id].unit,
                target=sums["target"],
                reported=sums["reported"],
                reviewed=sums["reviewed"],
            )
            for (y, measure_id), sums in sorted(figures.items(), key=lambda i: i[0][1])
            if y == year
        ]
        result.append(
            YearProgress(
                financial_year=year,
                owed=counts["owed"],
                submitted=counts[ReturnStatus.SUBMITTED],
                accepted=counts[ReturnStatus.ACCEPTED],
                queried=counts[ReturnStatus.QUERIED],
                late=counts["late"],
                measures=rows,
            )
        )
    return result


# --- Anchor networks -----------------------------------------------------------------------


def networks_of(partnership: Partnership) -> QuerySet[PartnershipNetwork]:
    return partnership.network_links.select_related("network", "network__convener").annotate(
        joined=Count("network__members", filter=Q(network__members__status="joined"))
    )


def networks_to_link(partnership: Partnership) -> QuerySet[AnchorNetwork]:
    """Networks the partnership's council convenes that belong to no partnership yet."""
    return AnchorNetwork.objects.filter(
        convener_id=partnership.owner_id, partnership_link__isnull=True
    ).order_by("name")


def anchor_signatories_to_invite(link: PartnershipNetwork) -> QuerySet[Signatory]:
    """Signed anchor institutions of the partnership not yet in (or invited to) the network."""
    in_network = link.network.members.values("organisation_id")
    return (
        signatories_of(link.partnership, statuses=[SignatoryStatus.SIGNED])
        .filter(sector__in=list(ANCHOR_SECTORS))
        .exclude(organisation_id__in=in_network)
    )


def network_ids_of(organisation: Organisation) -> set[int]:
    """The networks the organisation is in or invited to (their pages answer it)."""
    return set(
        AnchorNetworkMember.objects.filter(organisation=organisation).values_list(
            "network_id", flat=True
        )
    )


def joined_organisations(network: AnchorNetwork) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        anchor_network_places__network=network,
        anchor_network_places__status=AnchorNetworkMember.Status.JOINED,
    ).order_by("name")


def joint_actions_of(network: AnchorNetwork) -> QuerySet[JointAction]:
    return network.joint_actions.select_related("lead_organisation").order_by("due_on", "pk")


def sharing_levels(place: AnchorNetworkMember) -> dict[str, str]:
    """The member's choice per topic, or the default where it chose nothing."""
    chosen = {c.topic: c.level for c in place.sharing_choices.all()}
    return {t: chosen.get(t, DEFAULT_SHARING[SharedTopic(t)]) for t in DEFAULT_SHARING}


@dataclass(frozen=True)
class Cell:
    """One member's figure, or why it is not shown."""

    value: Decimal | int | None
    percent: Decimal | None = None
    note: str = ""
    as_of: str = ""

    @property
    def shown(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class FigureRow:
    label: str
    unit: str
    cells: list[Cell]
    total: Cell
    disclosure: Disclosure
    as_of: str


@dataclass(frozen=True)
class NetworkMemberColumn:
    organisation: Organisation
    place: AnchorNetworkMember
    levels: dict[str, str]
    spend_as_of: datetime | None
    living_wage: LivingWageStatus | None = None
    """The member's Real Living Wage accreditation as it records it itself (a council on its
    fair work pages, anyone else as its own declaration); None: nothing recorded."""

    @property
    def spend_level_label(self) -> str:
        return SharingLevel(self.levels[SharedTopic.SPEND]).label

    @property
    def jobs_level_label(self) -> str:
        return SharingLevel(self.levels[SharedTopic.JOBS]).label


@dataclass(frozen=True)
class NetworkView:
    network: AnchorNetwork
    members: list[NetworkMemberColumn]
    financial_years: list[str]
    financial_year: str
    spend_rows: list[FigureRow]
    jobs_rows: list[FigureRow]
    minimum_members: int
    today: date

    @property
    def spend_disclosure(self) -> Disclosure | None:
        return self.spend_rows[0].disclosure if self.spend_rows else None

    @property
    def living_wage_employers(self) -> int:
        """How many members are accredited Real Living Wage employers today."""
        return sum(1 for m in self.members if m.living_wage and m.living_wage.accredited)


SPEND_ROWS = analyses.NETWORK_HEADLINE_ROWS


def _member_years(organisation: Organisation) -> tuple[tuple[YearAnalysis, ...], datetime | None]:
    try:
        years = analyses.organisation_analysis(organisation).years
    except analyses.AnalysisNotReady:
        return (), None
    latest = cwb_selectors.completed_imports(organisation.pk).aggregate(Max("completed_at"))
    return years, latest["completed_at__max"]


def _not_shown(level: str, has_figure: bool, year: str | None, disclosure: Disclosure) -> str:
    if level == SharingLevel.NONE:
        return "Not shared"
    if not has_figure:
        return f"No figures for {year}" if year else "No figures"
    if level == SharingLevel.POOLED:
        return "In the combined figure only"
    return disclosure.named_reason


def _imported(when: datetime | None) -> str:
    return f"imported by {timezone.localtime(when):%-d %b %Y}" if when else ""


def _spend_rows(
    members: list[NetworkMemberColumn],
    years_by_member: dict[int, dict[str, YearAnalysis]],
    financial_year: str,
) -> list[FigureRow]:
    found = {
        m.organisation.pk: years_by_member[m.organisation.pk].get(financial_year) for m in members
    }
    if not any(found.values()):
        return []
    contributions = [
        Contribution(m.organisation.pk, m.levels[SharedTopic.SPEND] == SharingLevel.NAMED)
        for m in members
        if found[m.organisation.pk] is not None
    ]
    disclosure = DISCLOSURE.decide(contributions)
    total_pence = sum(y.total_pence for y in found.values() if y is not None)
    latest = max(
        (m.spend_as_of for m in members if found[m.organisation.pk] and m.spend_as_of),
        default=None,
    )
    as_of = f"April to March {financial_year}, each member's spend as it imported it" + (
        f" (the latest {_imported(latest)})" if latest else ""
    )
    rows = []
    for label, name in SPEND_ROWS:
        cells = []
        pooled = 0
        for member in members:
            year = found[member.organisation.pk]
            level = member.levels[SharedTopic.SPEND]
            if year is None:
                cells.append(Cell(None, note=_not_shown(level, False, financial_year, disclosure)))
                continue
            share_pence = year.total_pence if name == "total" else getattr(year, name).pence
            pooled += share_pence
            shown = level == SharingLevel.NAMED and disclosure.named_shown
            cells.append(
                Cell(
                    share_pence,
                    percent_of(share_pence, year.total_pence),
                    as_of=_imported(member.spend_as_of),
                )
                if shown
                else Cell(None, note=_not_shown(level, True, financial_year, disclosure))
            )
        total = (
            Cell(pooled, percent_of(pooled, total_pence))
            if disclosure.total_shown
            else Cell(None, note=disclosure.total_reason)
        )
        rows.append(FigureRow(label, "£", cells, total, disclosure, as_of))
    return rows


JOB_TAGS = (
    (tags.LOCAL_EMPLOYMENT, "Local jobs"),
    (tags.DISADVANTAGED, "Jobs for people from disadvantaged groups"),
    (tags.APPRENTICESHIPS, "Apprenticeships"),
)


def _tagged(measure: Measure) -> list[tuple[str, str]]:
    return [(tag, label) for tag, label in JOB_TAGS if tag in (measure.tags or [])]


def _contract_jobs(council: Organisation, today: date) -> dict[tuple[str, str], Decimal]:
    """Jobs and apprenticeships committed in the council's contracts and verified to date."""
    rows = (
        council_figures_as_of(council.pk, today)
        .values("measure_id")
        .annotate(committed=Sum("committed"), verified=Sum("verified_to_date"))
    )
    measures = {m.pk: m for m in Measure.objects.filter(pk__in=[r["measure_id"] for r in rows])}
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for row in rows:
        measure = measures[row["measure_id"]]
        for _, label in _tagged(measure):
            sums[(f"{label} committed in contracts", measure.unit)] += row["committed"]
            sums[(f"{label} verified in contracts, to date", measure.unit)] += row["verified"]
    return sums


def _pledged_jobs(
    organisation: Organisation, partnership: Partnership | None, year: int
) -> tuple[dict[tuple[str, str], Decimal], datetime | None]:
    """Targets pledged for the year and the reviewed figures of that year's accepted returns
    (the self-reported figures stay with the charter's own pages), with when the last of
    those returns was reviewed."""
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    if partnership is None:
        return sums, None
    pledges = Pledge.objects.filter(
        signatory__partnership=partnership,
        signatory__organisation=organisation,
        signatory__status=SignatoryStatus.SIGNED,
        kind=PledgeKind.TARGET,
        withdrawn_on__isnull=True,
    ).select_related("measure")
    reviewed_at: datetime | None = None
    for pledge in pledges:
        assert pledge.measure is not None and pledge.quantity is not None
        for _, label in _tagged(pledge.measure):
            if pledge.target_year == year:
                sums[(f"{label} pledged for the year", pledge.measure.unit)] += pledge.quantity
            accepted = pledge.returns.filter(
                financial_year=year,
                status=ReturnStatus.ACCEPTED,
                reviewed_quantity__isnull=False,
            ).first()
            if accepted is not None and accepted.reviewed_quantity is not None:
                key = (f"{label} reviewed in the year's progress returns", pledge.measure.unit)
                sums[key] += accepted.reviewed_quantity
                if accepted.reviewed_at and (
                    reviewed_at is None or accepted.reviewed_at > reviewed_at
                ):
                    reviewed_at = accepted.reviewed_at
    return sums, reviewed_at


def _jobs_rows(
    members: list[NetworkMemberColumn], partnership: Partnership | None, year: int, today: date
) -> list[FigureRow]:
    figures: dict[int, dict[tuple[str, str], Decimal]] = {}
    reviewed: dict[int, datetime | None] = {}
    for member in members:
        organisation = member.organisation
        sums: dict[tuple[str, str], Decimal] = {}
        if organisation.is_council:
            sums.update(_contract_jobs(organisation, today))
        pledged, reviewed[organisation.pk] = _pledged_jobs(organisation, partnership, year)
        sums.update(pledged)
        figures[organisation.pk] = sums
    keys = sorted({key for sums in figures.values() for key in sums})
    rows = []
    for label, unit in keys:
        in_contracts = "contracts" in label
        contributions = [
            Contribution(m.organisation.pk, m.levels[SharedTopic.JOBS] == SharingLevel.NAMED)
            for m in members
            if m.levels[SharedTopic.JOBS] != SharingLevel.NONE
            and (label, unit) in figures[m.organisation.pk]
        ]
        disclosure = DISCLOSURE.decide(contributions)
        cells = []
        pooled = Decimal(0)
        for member in members:
            level = member.levels[SharedTopic.JOBS]
            value = figures[member.organisation.pk].get((label, unit))
            if level != SharingLevel.NONE and value is not None:
                pooled += value
            shown = value is not None and level == SharingLevel.NAMED and disclosure.named_shown
            when = reviewed[member.organisation.pk]
            cell_as_of = (
                f"reviewed by {timezone.localtime(when):%-d %b %Y}"
                if when and "reviewed" in label
                else ""
            )
            cells.append(
                Cell(value, as_of=cell_as_of)
                if shown
                else Cell(None, note=_not_shown(level, value is not None, None, disclosure))
            )
        total = Cell(pooled) if disclosure.total_shown else Cell(None, note=disclosure.total_reason)
        as_of = (
            f"As of {today:%-d %B %Y}, contracts' figures as last worked out"
            if in_contracts
            else f"Financial year {financial_year_label(year)}, as of {today:%-d %B %Y}"
        )
        rows.append(FigureRow(label, unit, cells, total, disclosure, as_of))
    return rows


FINANCIAL_YEAR = re.compile(r"^(\d{4})-\d{2}$")


def _years_with_pledges(partnership: Partnership | None) -> set[str]:
    if partnership is None:
        return set()
    targets = Pledge.objects.filter(
        signatory__partnership=partnership, target_year__isnull=False
    ).values_list("target_year", flat=True)
    returns = ProgressReturn.objects.filter(
        pledge__signatory__partnership=partnership, status=ReturnStatus.ACCEPTED
    ).values_list("financial_year", flat=True)
    return {financial_year_label(y) for y in {*targets, *returns} if y is not None}


def network_view(
    network: AnchorNetwork, financial_year: str | None, *, today: date | None = None
) -> NetworkView:
    """The network's figures for a year, member by member where members share them by name and
    combined where enough members contribute, each decided by ``NetworkFigureDisclosure``."""
    today = today or timezone.localdate()
    places = list(
        network.members.filter(status=AnchorNetworkMember.Status.JOINED)
        .select_related("organisation")
        .prefetch_related("sharing_choices")
    )
    places.sort(key=lambda p: (p.organisation_id != network.convener_id, p.organisation.name))
    members = []
    years_by_member: dict[int, dict[str, YearAnalysis]] = {}
    for place in places:
        years, as_of = _member_years(place.organisation)
        years_by_member[place.organisation_id] = {y.financial_year: y for y in years}
        members.append(
            NetworkMemberColumn(
                place.organisation,
                place,
                sharing_levels(place),
                as_of,
                living_wage_status(place.organisation, seen_by=None, today=today),
            )
        )
    link = PartnershipNetwork.objects.filter(network=network).select_related("partnership").first()
    partnership = link.partnership if link else None
    spend_years = sorted({fy for years in years_by_member.values() for fy in years})
    last_ended = financial_year_label(financial_year_of(today) - 1)
    pledge_years = _years_with_pledges(partnership)
    financial_years = sorted({*spend_years, *pledge_years, last_ended})
    if financial_year not in financial_years:
        # The latest year with spend figures, else the latest ended year with pledges.
        ended = sorted(y for y in pledge_years if y <= last_ended)
        financial_year = spend_years[-1] if spend_years else (ended or [last_ended])[-1]
    first_year = FINANCIAL_YEAR.match(financial_year)
    assert first_year is not None
    return NetworkView(
        network=network,
        members=members,
        financial_years=financial_years,
        financial_year=financial_year,
        spend_rows=_spend_rows(members, years_by_member, financial_year),
        jobs_rows=_jobs_rows(members, partnership, int(first_year.group(1)), today),
        minimum_members=DISCLOSURE.minimum_members,
        today=today,
    )


# --- The combined authority's region ---------------------------------------------------------


def constituent_councils(authority: Organisation) -> QuerySet[Organisation]:
    return authority.constituent_councils.order_by("name")


def region_sharing_of(council: Organisation) -> RegionSharing:
    """The council's sharing setting (nothing shared until it says so)."""
    return RegionSharing.objects.filter(council=council).first() or RegionSharing(council=council)


@dataclass(frozen=True)
class RegionRow:
    """One measure across the councils shown: each council's figure (None: no figure) and their
    total; ``pence`` says the figures are money in pence rather than counts."""

    label: str
    cells: list[int | Decimal | None]
    total: int | Decimal | None
    pence: bool


@dataclass(frozen=True)
class RegionTable:
    """A table of one measure per row, one column per sharing council, and a total."""

    title: str
    councils: list[Organisation]
    rows: list[RegionRow]
    missing: str = "No figures"
    """What an empty cell says."""


@dataclass
class RegionView:
    authority: Organisation
    sharing_count: int
    council_count: int
    procurements: RegionTable | None = None
    delivery: list[RegionTable] = field(default_factory=list)
    spend: RegionTable | None = None
    spend_year: str | None = None
    spend_years: list[str] = field(default_factory=list)
    partnerships: RegionTable | None = None
    adoptions: list[tuple[Organisation, list[RegionSetAdoption]]] = field(default_factory=list)
    as_of: date | None = None


def _sharing(authority: Organisation) -> dict[int, RegionSharing]:
    return {
        s.council_id: s
        for s in RegionSharing.objects.filter(council__combined_authority=authority).select_related(
            "council"
        )
        if s.shares_anything
    }


def _table(
    title: str,
    councils: list[Organisation],
    values: dict[str, dict[int, int | Decimal]],
    labels: Iterable[str],
    *,
    pence: Iterable[str] = (),
    missing: str = "No figures",
) -> RegionTable:
    money = set(pence)
    rows = []
    for label in labels:
        by_council = values.get(label, {})
        cells = [by_council.get(c.pk) for c in councils]
        present = [v for v in cells if v is not None]
        rows.append(RegionRow(label, cells, sum(present) if present else None, label in money))
    return RegionTable(title, councils, rows, missing)


def _procurement_table(councils: list[Organisation]) -> RegionTable:
    values: dict[str, dict[int, int | Decimal]] = defaultdict(dict)
    for council in councils:
        procurements = Procurement.objects.filter(council=council)
        issued = procurements.filter(status=ProcurementStatus.ISSUED)
        values["Procurements planned with social value"][council.pk] = procurements.filter(
            status=ProcurementStatus.PLANNING
        ).count()
        values["Tenders issued with social value"][council.pk] = issued.count()
        values["Estimated value of tenders issued"][council.pk] = issued.aggregate(
            v=Coalesce(Sum("estimated_value_pence"), 0)
        )["v"]
        values["Contracts with social value commitments"][council.pk] = (
            Contract.objects.filter(council=council, commitments__isnull=False).distinct().count()
        )
    return _table(
        "Procurements with social value",
        councils,
        values,
        [
            "Procurements planned with social value",
            "Tenders issued with social value",
            "Estimated value of tenders issued",
            "Contracts with social value commitments",
        ],
        pence=["Estimated value of tenders issued"],
    )


DELIVERY_STATES = (
    ("committed_pence", "Committed"),
    ("claimed_pence", "Claimed by suppliers"),
    ("verified_pence", "Verified"),
)


def _delivery_tables(councils: list[Organisation], today: date) -> list[RegionTable]:
    """Committed, claimed and verified £ by theme: one table each, never added together. A
    council's theme whose measures have no £ value (record-only) has no £ figure, not £0."""
    by_state: dict[str, dict[str, dict[int, int]]] = {
        state: defaultdict(dict) for state, _ in DELIVERY_STATES
    }
    themes: set[str] = set()
    for council in councils:
        rows = cast(
            Iterable[dict[str, Any]],
            council_figures_as_of(council.pk, today)
            .values("measure__outcome__theme__name")
            # Counted first: the sums below take the fields' own names.
            .annotate(valued=Count("committed_pence"))
            .annotate(**{state: Coalesce(Sum(state), 0) for state, _ in DELIVERY_STATES}),
        )
        for row in rows:
            theme = row["measure__outcome__theme__name"]
            themes.add(theme)
            if not row["valued"]:
                continue
            for state, _ in DELIVERY_STATES:
                by_state[state][theme][council.pk] = row[state]
    tables = []
    for state, title in DELIVERY_STATES:
        table = _table(
            f"{title} (£)",
            councils,
            by_state[state],  # type: ignore[arg-type]
            sorted(themes),
            pence=themes,
            missing="Not valued in £",
        )
        tables.append(table)
    return tables


def _spend_table(
    councils: list[Organisation], financial_year: str | None
) -> tuple[RegionTable | None, str | None, list[str]]:
    years: dict[int, dict[str, YearAnalysis]] = {}
    for council in councils:
        found, _ = _member_years(council)
        years[council.pk] = {y.financial_year: y for y in found}
    all_years = sorted({fy for found in years.values() for fy in found})
    if financial_year not in all_years:
        financial_year = all_years[-1] if all_years else None
    if financial_year is None:
        return None, None, all_years
    values: dict[str, dict[int, int | Decimal]] = defaultdict(dict)
    labels = [label for label, _ in analyses.HEADLINE_ROWS]
    for council in councils:
        year = years[council.pk].get(financial_year)
        if year is None:
            continue
        for label, name in analyses.HEADLINE_ROWS:
            values[label][council.pk] = (
                year.total_pence if name == "total" else getattr(year, name).pence
            )
    table = _table(
        f"Spend {financial_year}, by where suppliers are (each council's own areas)",
        councils,
        values,
        labels,
        pence=labels,
    )
    return table, financial_year, all_years


def share_of_total(table: RegionTable) -> list[tuple[str, list[Decimal | None], Decimal | None]]:
    """Each spend row as a share of the same column's total spend (the first row)."""
    totals = table.rows[0]

    def share(part: int | Decimal | None, whole: int | Decimal | None) -> Decimal | None:
        return None if part is None or whole is None else percent_of(int(part), int(whole))

    return [
        (
            row.label,
            [share(c, t) for c, t in zip(row.cells, totals.cells, strict=True)],
            share(row.total, totals.total),
        )
        for row in table.rows
    ]


def _partnership_table(councils: list[Organisation]) -> RegionTable:
    values: dict[str, dict[int, int | Decimal]] = defaultdict(dict)
    for council in councils:
        partnerships = Partnership.objects.filter(owner=council)
        signed = Signatory.objects.filter(
            partnership__in=partnerships, status=SignatoryStatus.SIGNED
        )
        values["Partnerships with a charter"][council.pk] = (
            partnerships.filter(charter_versions__status=CharterStatus.PUBLISHED).distinct().count()
        )
        values["Charter signatories"][council.pk] = signed.count()
        values["Pledges"][council.pk] = Pledge.objects.filter(
            signatory__in=signed, withdrawn_on__isnull=True
        ).count()
        networks = AnchorNetwork.objects.filter(convener=council)
        values["Anchor networks"][council.pk] = networks.count()
        values["Members of those networks"][council.pk] = AnchorNetworkMember.objects.filter(
            network__in=networks, status=AnchorNetworkMember.Status.JOINED
        ).count()
    return _table(
        "Charters and anchor networks",
        councils,
        values,
        [
            "Partnerships with a charter",
            "Charter signatories",
            "Pledges",
            "Anchor networks",
            "Members of those networks",
        ],
    )


def region_view(
    authority: Organisation, *, financial_year: str | None = None, today: date | None = None
) -> RegionView:
    """Each constituent council side by side and in total, from what it shares only: a council
    that shares nothing is absent, and a part it does not share leaves it out of that table
    and its total."""
    today = today or timezone.localdate()
    sharing = _sharing(authority)
    councils = list(constituent_councils(authority))
    sharing_councils = [c for c in councils if c.pk in sharing]

    def sharing_part(part: str) -> list[Organisation]:
        return [c for c in sharing_councils if getattr(sharing[c.pk], part)]

    view = RegionView(
        authority=authority,
        sharing_count=len(sharing_councils),
        council_count=len(councils),
        as_of=today,
    )
    if part := sharing_part("procurements"):
        view.procurements = _procurement_table(part)
    if part := sharing_part("delivery"):
        view.delivery = _delivery_tables(part, today)
    if part := sharing_part("spend"):
        view.spend, view.spend_year, view.spend_years = _spend_table(part, financial_year)
    if part := sharing_part("partnerships"):
        view.partnerships = _partnership_table(part)
    adoptions = defaultdict(list)
    for adoption in RegionSetAdoption.objects.filter(council__in=sharing_councils).select_related(
        "region_version__measure_set", "council"
    ):
        adoptions[adoption.council_id].append(adoption)
    view.adoptions = [(c, adoptions.get(c.pk, [])) for c in sharing_councils]
    return view


def region_sets(authority: Organisation) -> QuerySet[LocalMeasureSetVersion]:
    """The combined authority's published measure set versions: its region-wide measures."""
    return (
        LocalMeasureSetVersion.objects.filter(
            measure_set__owner=authority, status=VersionStatus.PUBLISHED
        )
        .select_related("measure_set")
        .annotate(measure_count=Count("items"))
        .order_by("measure_set__name", "-number")
    )


def adoptions_of(council: Organisation) -> QuerySet[RegionSetAdoption]:
    return RegionSetAdoption.objects.filter(council=council).select_related(
        "region_version__measure_set", "council_version__measure_set"
    )


# --- Pledges cited as Equality Framework evidence ----------------------------------------------


def citable_pledges(organisation_id: int) -> QuerySet[Pledge]:
    """Pledges the council may cite as evidence: those it may see, made by a signatory that has
    signed and not withdrawn, charter by charter."""
    return (
        Pledge.objects.filter(
            visible_pledges(organisation_id),
            signatory__status=SignatoryStatus.SIGNED,
            withdrawn_on__isnull=True,
        )
        .select_related("signatory__organisation", "signatory__partnership", "principle", "measure")
        .order_by("signatory__partnership__name", "signatory__organisation__name", "pk")
        .distinct()
    )


def pledge_citation_label(pledge: Pledge) -> str:
    """How a cited pledge reads in a self-assessment: who made it, under which principle of
    which charter, and what it promises."""
    signatory = pledge.signatory
    promise = str(pledge)
    if pledge.kind == PledgeKind.TARGET and pledge.target_year:
        promise += f" by {pledge.target_year_label}"
    label = (
        f"{signatory.organisation.name}'s pledge under principle {pledge.principle.number} of "
        f"the {signatory.partnership.name} charter, made {pledge.made_on:%-d %B %Y}: {promise}"
    )
    if pledge.withdrawn_on:
        label += f" (withdrawn on {pledge.withdrawn_on:%-d %B %Y})"
    return label
