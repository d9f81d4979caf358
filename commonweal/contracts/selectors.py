"""Reads shared by the contract pages, the API and the reports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q, QuerySet, Sum
from django.db.models.functions import Cast

from commonweal import valuation
from commonweal.accounts.models import Membership, Organisation
from commonweal.contracts.access import visible_contracts
from commonweal.contracts.models import Commitment, Contract
from commonweal.frameworks.engine_inputs import carbon_for_contract, valued_by_delivery_year
from commonweal.frameworks.models import LocalMeasureSetVersion, Measure

SORTS = {
    "reference": "reference",
    "title": "title",
    "supplier": "supplier__name",
    "value": "value_pence",
    "start": "start_date",
    "end": "end_date",
    "committed": "committed_pence",
}


@dataclass(frozen=True)
class RegisterFilter:
    search: str = ""
    directorate: str = ""
    supplier_id: int | None = None
    status: str = ""
    sort: str = "start"
    descending: bool = True


def contract_register(
    membership: Membership, filters: RegisterFilter, *, today: date
) -> QuerySet[Contract]:
    contracts = visible_contracts(membership).select_related("supplier", "contract_manager")
    if filters.search:
        contracts = contracts.filter(
            Q(title__icontains=filters.search)
            | Q(reference__icontains=filters.search)
            | Q(supplier__name__icontains=filters.search)
        )
    if filters.directorate:
        contracts = contracts.filter(directorate=filters.directorate)
    if filters.supplier_id:
        contracts = contracts.filter(supplier_id=filters.supplier_id)
    if filters.status == "live":
        contracts = contracts.filter(start_date__lte=today, end_date__gte=today)
    elif filters.status == "ended":
        contracts = contracts.filter(end_date__lt=today)
    elif filters.status == "not_started":
        contracts = contracts.filter(start_date__gt=today)
    contracts = contracts.annotate(committed_pence=Sum("commitments__committed_value_pence"))
    order = SORTS.get(filters.sort, "start_date")
    return contracts.order_by(("-" if filters.descending else "") + order, "reference")


def directorates(membership: Membership) -> list[str]:
    return list(
        visible_contracts(membership)
        .exclude(directorate="")
        .order_by("directorate")
        .values_list("directorate", flat=True)
        .distinct()
    )


MEASURE_RELATIONS = ("outcome__theme", "proxy")
"""What valuing and grouping reads of a measure besides the measure itself."""
MEASURE_DETAILS = tuple(f"measure__{relation}" for relation in MEASURE_RELATIONS)
"""The same, read through a commitment."""


def contract_carbon(
    contract: Contract, commitments: Sequence[Commitment]
) -> tuple[valuation.CarbonValuedByDeliveryYear | None, set[int]]:
    """The rule that valued the contract's carbon commitments by the year they are saved in, and
    the ids of the commitments it valued; (None, empty) when the contract has none."""
    carbon = carbon_for_contract(contract.measure_set_version, contract.start_date.year)
    valued = {c.pk for c in commitments if valued_by_delivery_year(c.measure)}
    return (carbon if valued else None), valued


def contract_commitments(contract: Contract) -> QuerySet[Commitment]:
    return (
        contract.commitments.select_related(*MEASURE_DETAILS)
        .prefetch_related("years")
        .order_by("position", "pk")
    )


def contract_history(contract: Contract) -> QuerySet[LogEntry]:
    """Audit entries for the contract and its commitments, newest first."""
    contract_type = ContentType.objects.get_for_model(Contract)
    commitment_type = ContentType.objects.get_for_model(Commitment)
    commitment_ids = contract.commitments.annotate(text_pk=Cast("pk", CharField())).values(
        "text_pk"
    )
    entries: QuerySet[LogEntry] = (
        LogEntry.objects.filter(
            Q(content_type=contract_type, object_pk=str(contract.pk))
            | Q(content_type=commitment_type, object_pk__in=commitment_ids)
        )
        .select_related("actor", "content_type")
        .order_by("-timestamp")
    )
    return entries


def visible_contracts_exist(membership: Membership) -> bool:
    return visible_contracts(membership).exists()


def suppliers_of(membership: Membership) -> QuerySet[Organisation]:
    """The suppliers of the council's contracts, by name (none for anyone but a council)."""
    if not membership.organisation.is_council:
        return Organisation.objects.none()
    return (
        Organisation.objects.filter(supplied_contracts__council=membership.organisation)
        .distinct()
        .order_by("name")
    )


def council_set_version(council: Organisation, pk: int) -> LocalMeasureSetVersion | None:
    """One of the council's own measure set versions, or None."""
    return LocalMeasureSetVersion.objects.filter(pk=pk, measure_set__owner=council).first()


def set_version_measures(version: LocalMeasureSetVersion) -> list[Measure]:
    return list(
        Measure.objects.filter(pk__in=version.items.values("measure_id")).order_by(
            "position", "code"
        )
    )
