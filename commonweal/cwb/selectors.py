"""Reads shared by the local-economy pages, commands and reports."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from commonweal.accounts.models import Organisation
from commonweal.accounts.roles import OrganisationKind
from commonweal.cwb import paths
from commonweal.cwb.models import (
    AnchorNetwork,
    AnchorNetworkMember,
    LocalTierSettings,
    RegisterSupplier,
    SpendImportRun,
    SupplierLinkDecision,
    SupplierLinkRun,
    SupplierNameLink,
    SupplierReviewPair,
)
from commonweal.spend_engine.geography import ENGLISH_REGIONS


def spend_imports(
    organisation: Organisation, *, with_drafts: bool = False
) -> QuerySet[SpendImportRun]:
    """The organisation's imports; `with_drafts` adds those uploaded but not yet confirmed
    (for people who can carry on with them)."""
    runs = SpendImportRun.objects.filter(organisation=organisation)
    if not with_drafts:
        runs = runs.exclude(status=SpendImportRun.Status.DRAFT)
    return runs.select_related("created_by", "job").prefetch_related("files")


def completed_imports(organisation_id: int) -> QuerySet[SpendImportRun]:
    return SpendImportRun.objects.filter(
        organisation_id=organisation_id, status=SpendImportRun.Status.COMPLETED
    ).order_by("created_at")


def imports_repeated_by(run: SpendImportRun) -> list[tuple[SpendImportRun, int]]:
    """The imports, still counted, that already held some of this import's payments when it
    finished, each with how many."""
    held = run.repeated_payments or {}
    earlier = completed_imports(run.organisation_id).filter(pk__in=list(held))
    return [(other, held[str(other.pk)]) for other in earlier]


def spend_parquet_files_by_publisher(organisation_id: int) -> list[tuple[Path, str]]:
    """Each completed import's canonical spend Parquet, with who published it."""
    base = paths.spend_output_dir(organisation_id)
    return [
        (base / str(run_id) / "spend.parquet", publisher)
        for run_id, publisher in completed_imports(organisation_id).values_list("pk", "publisher")
    ]


def spend_parquet_files(organisation_id: int) -> list[Path]:
    """The canonical spend Parquet of every completed import of the organisation."""
    return [path for path, _ in spend_parquet_files_by_publisher(organisation_id)]


@dataclass(frozen=True)
class RejectedRow:
    file: str
    row: str
    column: str
    value: str
    reason: str


def rejects_path(run: SpendImportRun) -> Path:
    return paths.spend_output_dir(run.organisation_id) / str(run.pk) / "rejects.csv"


def rejected_rows(run: SpendImportRun) -> Iterator[RejectedRow]:
    path = rejects_path(run)
    if not path.is_file():
        return
    with path.open(encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            yield RejectedRow(
                file=record["file"],
                row=record["row"],
                column=record["column"],
                value=record["value"],
                reason=record["reason"],
            )


def register_suppliers(organisation: Organisation, query: str = "") -> QuerySet[RegisterSupplier]:
    """The supplier register, biggest spend first; ``query`` matches any published name,
    supplier ID, or company or charity number."""
    suppliers = RegisterSupplier.objects.filter(organisation=organisation)
    query = query.strip()
    if query:
        matching = SupplierNameLink.objects.filter(organisation=organisation).filter(
            Q(raw_name__icontains=query)
            | Q(source_supplier_id__iexact=query)
            | Q(company_number__iexact=query.upper().zfill(8) if query.isdigit() else query.upper())
            | Q(charity_number__iexact=query)
        )
        suppliers = suppliers.filter(
            Q(pk__in=matching.values("register_supplier_id"))
            | Q(display_name__icontains=query)
            | Q(company_number__iexact=query.upper().zfill(8) if query.isdigit() else query.upper())
        )
    return suppliers.order_by("-spend_pence", "display_name")


def latest_link_run(organisation: Organisation) -> SupplierLinkRun | None:
    return (
        SupplierLinkRun.objects.filter(organisation=organisation, completed_at__isnull=False)
        .order_by("-completed_at")
        .first()
    )


@dataclass(frozen=True)
class RegisterBacklog:
    """What the supplier register leaves out, or still holds, until suppliers are linked
    again: imports finished, imports withdrawn and review decisions made since the latest
    linkage started."""

    linked_before: bool
    import_ids: frozenset[Any]
    import_pence: int
    withdrawn_count: int
    decision_count: int

    @property
    def needs_linking_again(self) -> bool:
        return self.linked_before and bool(
            self.import_ids or self.withdrawn_count or self.decision_count
        )


def register_backlog(organisation: Organisation) -> RegisterBacklog:
    latest = latest_link_run(organisation)
    imports = completed_imports(organisation.pk)
    decisions = SupplierLinkDecision.objects.filter(organisation=organisation)
    withdrawn = SpendImportRun.objects.none()
    if latest is not None:
        imports = imports.filter(completed_at__gt=latest.created_at)
        decisions = decisions.filter(decided_at__gt=latest.created_at)
        # Withdrawn after the linkage read it: its names may still be in the register.
        withdrawn = SpendImportRun.objects.filter(
            organisation=organisation,
            status=SpendImportRun.Status.WITHDRAWN,
            completed_at__lte=latest.created_at,
            withdrawn_at__gt=latest.created_at,
        )
    pence_by_import = dict(imports.values_list("pk", "total_pence"))
    return RegisterBacklog(
        linked_before=latest is not None,
        import_ids=frozenset(pence_by_import),
        import_pence=sum(pence_by_import.values()),
        withdrawn_count=withdrawn.count(),
        decision_count=decisions.count(),
    )


@dataclass(frozen=True)
class RegisterCoverage:
    """How much of the register was found on Companies House or the charity register."""

    suppliers: int
    spend_pence: int
    total_pence: int


def register_coverage(organisation: Organisation) -> RegisterCoverage:
    found = ~Q(register_match="")
    totals = RegisterSupplier.objects.filter(organisation=organisation).aggregate(
        suppliers=Count("pk", filter=found),
        spend=Sum("spend_pence", filter=found),
        total=Sum("spend_pence"),
    )
    return RegisterCoverage(totals["suppliers"], totals["spend"] or 0, totals["total"] or 0)


def review_pairs(organisation: Organisation) -> QuerySet[SupplierReviewPair]:
    return SupplierReviewPair.objects.filter(organisation=organisation)


def supplier_name_rows(organisation: Organisation) -> QuerySet[SupplierNameLink]:
    """One row per published name and supplier ID, with the register supplier it joined."""
    return (
        SupplierNameLink.objects.filter(organisation=organisation)
        .select_related("register_supplier")
        .order_by("raw_name", "source_supplier_id")
    )


SUPPLIER_CSV_HEADER = [
    "raw_name",
    "source_supplier_id",
    "register_supplier_id",
    "company_number",
    "charity_number",
    "method",
    "probability",
]


def supplier_csv_rows(rows: Any) -> Any:
    for link in rows.iterator(chunk_size=1000):
        supplier = link.register_supplier
        yield [
            link.raw_name,
            link.source_supplier_id,
            supplier.reference,
            supplier.company_number,
            supplier.charity_number,
            link.method,
            link.probability,
        ]


def anchor_network_places(organisation: Organisation) -> QuerySet[AnchorNetworkMember]:
    """The organisation's places in anchor networks: joined, and invitations to answer."""
    return AnchorNetworkMember.objects.filter(organisation=organisation).select_related(
        "network", "network__convener"
    )


def anchor_network_members(network: AnchorNetwork) -> QuerySet[AnchorNetworkMember]:
    return network.members.select_related("organisation").order_by("-status", "organisation__name")


def organisations_to_invite(network: AnchorNetwork) -> QuerySet[Organisation]:
    """Councils, combined authorities and anchor partners not yet in the network."""
    return (
        Organisation.objects.exclude(kind=OrganisationKind.SUPPLIER)
        .exclude(anchor_network_places__network=network)
        .order_by("name")
    )


@dataclass(frozen=True)
class NamedTiers:
    """The organisation's areas with the district and region names the authority lookup gives."""

    borough: list[tuple[str, str]]
    combined_authority: list[tuple[str, str]]
    region: str


def local_tier_names(tiers: LocalTierSettings) -> NamedTiers:
    from commonweal.cwb.refdata_store import authority_lookup  # DuckDB: only when asked

    lookup = authority_lookup()

    def named(codes: list[str]) -> list[tuple[str, str]]:
        return [(code, lookup.name_of(code) or "") for code in codes]

    return NamedTiers(
        borough=named(tiers.borough_lad_codes),
        combined_authority=named(tiers.combined_authority_lad_codes),
        region=ENGLISH_REGIONS.get(tiers.region_code, ""),
    )


def link_decisions(organisation: Organisation, query: str = "") -> QuerySet[SupplierLinkDecision]:
    """Every decision on a pair of supplier names, newest first; ``query`` finds a name."""
    decisions = SupplierLinkDecision.objects.filter(organisation=organisation)
    if query:
        decisions = decisions.filter(
            Q(shown_name_a__icontains=query) | Q(shown_name_b__icontains=query)
        )
    return decisions.order_by("-decided_at", "pk")
