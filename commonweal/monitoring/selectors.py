"""Reads shared by the monitoring pages, the API, the dashboard and reminders."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from commonweal.accounts.models import Membership, Organisation, User
from commonweal.contracts.access import ContractAccess, visible_contracts
from commonweal.contracts.models import Commitment, Contract
from commonweal.core.caching import cached
from commonweal.core.composed import ComposedOnce
from commonweal.monitoring import figures, running
from commonweal.monitoring.dashboard import Portfolio, build_portfolio
from commonweal.monitoring.figures import contract_figures
from commonweal.monitoring.models import (
    DeliveryFigures,
    EvidenceFile,
    Kpi,
    LineOutcome,
    Milestone,
    MonitoringSettings,
    Notification,
    PeriodTarget,
    RecoveryAction,
    ReportingPeriod,
    ReturnLine,
    ReturnStatus,
    SupplierReturn,
)
from commonweal.monitoring.rules import DeliveryPlanBand, ProcurementActKpis
from commonweal.monitoring.worklists import (
    NOT_SUBMITTED,
    WAITING_ORDER,
    WAITING_STATUSES,
    Worklists,
    worklists_of,
)
from commonweal.valuation import RagThresholds

STATUS_COLOURS = {
    ReturnStatus.DRAFT: "grey",
    ReturnStatus.SUBMITTED: "blue",
    ReturnStatus.QUERIED: "orange",
    ReturnStatus.VERIFIED: "green",
    ReturnStatus.PART_VERIFIED: "turquoise",
    ReturnStatus.REJECTED: "red",
}


def period_state(period: ReportingPeriod, today: date) -> tuple[str, str]:
    """The words and tag colour for where a period's return stands."""
    supplier_return = getattr(period, "supplier_return", None)
    if supplier_return is None or supplier_return.status == ReturnStatus.DRAFT:
        if period.due_on < today:
            return "Overdue", "red"
        return ("Draft", "grey") if supplier_return is not None else ("Due", "blue")
    status = ReturnStatus(supplier_return.status)
    return status.label, STATUS_COLOURS[status]


def reportable_periods(
    membership: Membership, *, today: date, needing_action: bool
) -> QuerySet[ReportingPeriod]:
    """Ended periods of the organisation's contracts, soonest due first.

    Needing action means, for a supplier: not yet submitted, or queried; for a council:
    overdue, waiting for verification, or queried.
    """
    periods = ReportingPeriod.objects.filter(
        contract__in=visible_contracts(membership), ends_on__lte=today
    )
    if needing_action:
        if membership.organisation.is_supplier:
            periods = periods.filter(
                NOT_SUBMITTED | Q(supplier_return__status=ReturnStatus.QUERIED)
            )
        else:
            periods = periods.filter(
                (NOT_SUBMITTED & Q(due_on__lt=today))
                | Q(supplier_return__status__in=[ReturnStatus.SUBMITTED, ReturnStatus.QUERIED])
            )
    return periods.select_related("contract__supplier", "supplier_return").order_by(
        "due_on", "contract__reference"
    )


def verification_queue(
    membership: Membership, *, user: User, mine_only: bool
) -> QuerySet[SupplierReturn]:
    """Submitted or queried returns of the council's contracts, oldest submission first (as
    the council's home page lists them, `worklists`)."""
    returns = SupplierReturn.objects.filter(
        contract__in=visible_contracts(membership), status__in=WAITING_STATUSES
    )
    if mine_only:
        returns = returns.filter(contract__contract_manager=user)
    return returns.select_related("contract__supplier", "period").order_by(*WAITING_ORDER)


class PortfolioScope:
    """The council's commitments as of today after the dashboard's filters.

    The whole portfolio (no filters) is the process's running portfolio (`running.read`),
    brought up to date by reading only the contracts that changed. A filtered one is added up
    in the database and kept in the cache under `cache_key`, which changes whenever anything
    behind the figures changes (settings included: a change of thresholds raises the
    council's stamp), the filters or the day.
    """

    def __init__(self, membership: Membership, query: Mapping[str, str]) -> None:
        self.membership = membership
        self.today = timezone.localdate()
        self.chosen = {
            key: query.get(key, "").strip()
            for key in (*figures.PORTFOLIO_GROUP_FIELDS, "rag")
            if query.get(key, "").strip()
        }

    @cached_property
    def reading(self) -> running.Reading | None:
        """The running portfolio, for the whole portfolio only."""
        if self.chosen:
            return None
        return running.read(self.membership.organisation_id, self.today, self.thresholds)

    @cached_property
    def _digest(self) -> str:
        stamp = (
            self.reading.stamp
            if self.reading is not None
            else figures.figures_stamp(self.membership.organisation_id)
        )
        key = repr(
            (self.membership.organisation_id, stamp, self.today, sorted(self.chosen.items()))
        )
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def cache_key(self) -> str:
        """Names the figures shown: those of the stamp the portfolio was read at."""
        return "monitoring:portfolio:" + self._digest

    @property
    def version(self) -> str:
        """In the charts' addresses, so a browser may keep a chart until its figures change."""
        return self._digest[:16]

    @property
    def as_at(self) -> datetime | None:
        """When the figures were read, if they may be older than those saved since."""
        return self.reading.as_at if self.reading is not None else None

    @cached_property
    def thresholds(self) -> RagThresholds:
        return thresholds_of(settings_for(self.membership.organisation))

    @cached_property
    def rows(self) -> QuerySet[DeliveryFigures]:
        # Portfolios are councils' own: every contract of the council is in it.
        rows = figures.council_figures_as_of(self.membership.organisation_id, self.today)
        for key, value in self.chosen.items():
            if key == "rag":
                rows = rows.alias(rating=figures.rag_of(self.thresholds)).filter(rating=value)
            else:
                rows = rows.filter(**_chosen(figures.PORTFOLIO_GROUP_FIELDS[key], value))
        return rows

    @cached_property
    def contracts(self) -> QuerySet[Contract]:
        """The council's contracts after the filters that choose contracts."""
        contracts = visible_contracts(self.membership)
        for key in ("directorate", "supplier"):
            if key in self.chosen:
                field = figures.PORTFOLIO_GROUP_FIELDS[key].removeprefix("contract__")
                contracts = contracts.filter(**_chosen(field, self.chosen[key]))
        return contracts

    def lists(self) -> Worklists:
        """The overdue periods and the filters' choices (and, for the whole portfolio, the
        returns waiting for a decision), as of the same moment as the portfolio."""
        if self.reading is not None:
            return self.reading.lists
        return cached(
            self.cache_key + ":lists",
            lambda: worklists_of(
                self.contracts,
                today=self.today,
                all_contracts=visible_contracts(self.membership),
            ),
        )

    def portfolio(self) -> Portfolio:
        """Every figure on the dashboard; `as_at` says when they were read if they may be
        older than those saved since."""
        if self.reading is not None:
            return running.as_read(self.reading)
        return cached(
            self.cache_key + ":portfolio", lambda: build_portfolio(self.rows, self.thresholds)
        )


def _chosen(field: str, value: str) -> dict[str, str]:
    """The filter for a chosen group; "Not recorded" stands for an empty directorate."""
    if field.endswith("directorate") and value == figures.NOT_RECORDED:
        return {field: ""}
    return {field: value}


# --- Settings and the rules they set ---------------------------------------------------------


_latest_settings = ComposedOnce(
    # Read on every dashboard and council home page: composing it took longer than running it.
    lambda council_id: MonitoringSettings.objects.filter(council_id=council_id).order_by(
        "-version"
    )[:1]
)


def settings_for(council: Organisation | int) -> MonitoringSettings:
    """The council's settings in force: the latest version, or the defaults if never changed."""
    council_id = council if isinstance(council, int) else council.pk
    latest = _latest_settings(council_id)
    return latest[0] if latest else MonitoringSettings(council_id=council_id, version=0)


def thresholds_of(settings: MonitoringSettings) -> RagThresholds:
    return RagThresholds(green_at=settings.rag_green_at, amber_at=settings.rag_amber_at)


def delivery_plan_band(settings: MonitoringSettings) -> DeliveryPlanBand:
    return DeliveryPlanBand(band_pence=settings.delivery_plan_band_pence)


def procurement_act_kpis(settings: MonitoringSettings) -> ProcurementActKpis:
    return ProcurementActKpis(threshold_pence=settings.kpi_threshold_pence)


def needs_full_plan(contract: Contract, settings: MonitoringSettings | None = None) -> bool:
    """Whether the contract gets a full delivery plan or a milestone tracker (DeliveryPlanBand)."""
    band = delivery_plan_band(settings or settings_for(contract.council_id))
    return band.needs_full_plan(contract.value_pence)


def kpis_required(contract: Contract, settings: MonitoringSettings | None = None) -> bool:
    """Whether the contract needs Procurement Act KPIs (ProcurementActKpis)."""
    rule = procurement_act_kpis(settings or settings_for(contract.council_id))
    return rule.required(contract.value_pence)


def settings_history(council: Organisation) -> QuerySet[MonitoringSettings]:
    """Every version of the council's settings, with who changed it."""
    return MonitoringSettings.objects.filter(council=council).select_related("changed_by")


# --- Plans, returns and milestones -------------------------------------------------------------


def contract_periods(contract: Contract) -> list[ReportingPeriod]:
    return list(ReportingPeriod.objects.filter(contract=contract).order_by("position"))


def plan_targets(contract: Contract) -> dict[tuple[int, int], Decimal]:
    """The delivery plan's targets keyed by (commitment id, period id)."""
    return {
        (t.commitment_id, t.period_id): t.target
        for t in PeriodTarget.objects.filter(period__contract=contract)
    }


def contract_milestones(contract: Contract) -> QuerySet[Milestone]:
    return Milestone.objects.filter(contract=contract).select_related("commitment__measure")


def return_lines(supplier_return: SupplierReturn) -> list[ReturnLine]:
    """The return's lines with their measures, messages and evidence, in commitment order."""
    return list(
        ReturnLine.objects.filter(supplier_return=supplier_return)
        .select_related("commitment__measure")
        .prefetch_related("messages__author", "evidence")
        .order_by("commitment__position")
    )


def queried_lines(contracts: QuerySet[Contract]) -> QuerySet[ReturnLine]:
    """Lines of the contracts' returns that a verifier has queried, the earliest due first."""
    return (
        ReturnLine.objects.filter(
            supplier_return__contract__in=contracts, outcome=LineOutcome.QUERIED
        )
        .select_related(
            "supplier_return__period", "supplier_return__contract", "commitment__measure"
        )
        .order_by("supplier_return__period__due_on")
    )


def contract_kpis(contract: Contract) -> list[Kpi]:
    return list(Kpi.objects.filter(contract=contract).prefetch_related("assessments__assessed_by"))


def notifications_for(user: User) -> QuerySet[Notification]:
    """Every reminder and notice sent to the person (newest first, as the model orders them)."""
    return Notification.objects.filter(recipient=user).select_related("organisation")


# --- The contract page's delivery tabs ---------------------------------------------------------


def contract_delivery_tabs(
    contract: Contract, access: ContractAccess, commitments: Sequence[Commitment]
) -> dict[str, Any]:
    """Returns and evidence for the contract page's tabs."""
    returns = (
        SupplierReturn.objects.filter(contract=contract)
        .select_related("period")
        .order_by("period__position")
    )
    evidence = EvidenceFile.objects.filter(supplier_return__contract=contract)
    if access.is_council:  # drafts are the supplier's own until submitted
        evidence = evidence.exclude(supplier_return__status=ReturnStatus.DRAFT)
    evidence = evidence.select_related("supplier_return__period", "uploaded_by").order_by(
        "-uploaded_at"
    )
    settings = settings_for(contract.council_id)
    figures = contract_figures(
        contract,
        today=timezone.localdate(),
        thresholds=thresholds_of(settings),
        commitments=commitments,
    )
    actions: dict[int, list[RecoveryAction]] = {}
    for action in RecoveryAction.objects.filter(commitment__contract=contract):
        actions.setdefault(action.commitment_id, []).append(action)
    for row in figures.commitments:
        row.recovery_actions = actions.get(row.commitment.pk, [])  # type: ignore[attr-defined]
    return {
        "figures": figures,
        "returns": list(returns),
        "evidence": list(evidence),
        "plan_is_full": needs_full_plan(contract, settings),
        "return_links": True,
    }
