"""Supplier linkage for one organisation: gather every imported supplier name, let the engine
cluster them (creditor file first, earlier human decisions reused), store the register, and
classify each supplier when local areas are set.

Runs in a background task: it reads the spend Parquet and writes the linkage Parquet files.
"""

# SQL here is assembled from escaped file paths, because DuckDB cannot bind file lists.
# ruff: noqa: S608
from __future__ import annotations

import shutil
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from django.db import transaction
from django.utils import timezone

from commonweal.accounts.models import Organisation, User
from commonweal.core.audit import acting_as
from commonweal.core.bulk import insert_rows
from commonweal.core.jobs import job_progress
from commonweal.core.models import Job
from commonweal.cwb import engines, paths, refdata_store, selectors
from commonweal.cwb.addresses import page_address
from commonweal.cwb.local_areas import local_tiers_for
from commonweal.cwb.models import (
    CreditorRecord,
    RegisterSupplier,
    SupplierLinkDecision,
    SupplierLinkRun,
    SupplierNameLink,
    SupplierReviewPair,
    SupplierSurvey,
)
from commonweal.spend_engine.classify import SELF_DECLARED, LocalTiers, classify_suppliers
from commonweal.spend_engine.company_history import companies_for
from commonweal.spend_engine.linkage import (
    LinkageResult,
    PriorDecision,
    RegisteredCompany,
    RegisterEntry,
    RegisterMatch,
    ReviewDecision,
    SupplierRecord,
    link_suppliers,
    link_to_registers,
    normalise_charity_number,
    normalise_company_number,
    normalise_postcode,
)
from commonweal.spend_engine.names import normalise_supplier_name
from commonweal.spend_engine.sql import sql_string

Progress = Callable[[str, int, "int | None"], None]

_FOUR_PLACES = Decimal("0.0001")


REGISTER_MATCH_LABELS = {
    ("companies_house", "identifier"): "Companies House, by company number",
    ("companies_house", "name_and_postcode"): "Companies House, by name and postcode",
    ("charity", "identifier"): "charity register, by charity number",
    ("charity", "name_and_postcode"): "charity register, by name and postcode",
}


def _register_matches(
    result: LinkageResult, records: list[SupplierRecord]
) -> dict[str, list[RegisterMatch]]:
    """Each cluster's entries on the loaded Companies House and charity registers. Only the
    register rows that share a number or a postcode with a record are read into memory."""
    loads = refdata_store.latest_loads()
    wanted = pa.table(
        {
            "postcode": [normalise_postcode(r.postcode) for r in records],
            "company_number": [normalise_company_number(r.company_number) for r in records],
            "charity_number": [normalise_charity_number(r.charity_number) for r in records],
        }
    )
    entries: dict[str, list[RegisterEntry]] = {"companies": [], "charities": []}
    con = duckdb.connect()
    try:
        con.register("wanted", wanted)
        for kind, number, name in (
            ("companies", "company_number", "company_name"),
            ("charities", "charity_number", "charity_name"),
        ):
            if kind not in loads:
                continue
            path = sql_string(paths.data_dir() / loads[kind][0].path)
            rows = con.execute(
                f"""SELECT {number}, {name}, postcode FROM read_parquet({path})
                    WHERE postcode IN (SELECT postcode FROM wanted WHERE postcode IS NOT NULL)
                       OR {number} IN (SELECT {number} FROM wanted WHERE {number} IS NOT NULL)"""
            ).fetchall()
            entries[kind] = [RegisterEntry(str(n), str(t or ""), p) for n, t, p in rows]
    finally:
        con.close()
    if not entries["companies"] and not entries["charities"]:
        return {}
    found: dict[str, list[RegisterMatch]] = defaultdict(list)
    linkage = link_to_registers(
        result, records, companies=entries["companies"], charities=entries["charities"]
    )
    for match in linkage.matches:
        found[match.cluster_id].append(match)
    return found


def _registered_companies(records: list[SupplierRecord]) -> list[RegisteredCompany]:
    """Companies on the loaded Companies House register that bear, or bore, a name of the run
    or carry one of its company numbers, with their previous names."""
    loads = refdata_store.latest_loads()
    if "companies" not in loads:
        return []
    return companies_for(
        paths.data_dir() / loads["companies"][0].path,
        [record.raw_name for record in records if not record.is_redacted],
        [record.company_number for record in records],
    )


def _declared_type(creditors: list[CreditorRecord], creditor_type: str) -> bool | None:
    """Whether the creditor file says the payee is of this type; None when it gives no type."""
    types = {c.creditor_type for c in creditors if c.creditor_type}
    return creditor_type in types if types else None


@dataclass(frozen=True)
class NameRow:
    raw_name: str
    source_supplier_id: str
    publisher: str  # empty for a name without a supplier ID (the ID is what needs a publisher)
    company_number: str | None
    charity_number: str | None
    vat_number: str | None
    spend_pence: int
    payment_count: int
    is_redacted: bool


def record_key(raw_name: str, source_supplier_id: str, publisher: str = "") -> str:
    """One published name with one supplier ID (tab-separated, as none holds a tab). A supplier
    ID from another publisher than the organisation itself is another publisher's number, so
    the key names that publisher."""
    key = f"{raw_name}\t{source_supplier_id}"
    return f"{key}\t{publisher}" if publisher else key


def publisher_key(publisher: str) -> str:
    """Publishers are the same publisher whatever the case and spacing they were typed with."""
    return " ".join(publisher.upper().split())


def distinct_names(files: list[tuple[Path, str]]) -> list[NameRow]:
    """Every distinct (published name, supplier ID, publisher of the ID) with its spend, across
    the given imports and their publishers (see ``publisher_key``)."""
    if not files:
        return []
    reads = " UNION ALL ".join(
        f"""SELECT supplier_name, coalesce(source_supplier_id, '') AS sid, company_number,
                   charity_number, vat_number, amount_pence, is_redacted,
                   {sql_string(publisher_key(publisher))} AS publisher
            FROM read_parquet({sql_string(path)})"""
        for path, publisher in files
    )
    con = duckdb.connect()
    try:
        rows = con.execute(
            f"""
            SELECT supplier_name, sid, CASE WHEN sid = '' THEN '' ELSE publisher END AS publisher,
                   max(company_number), max(charity_number), max(vat_number),
                   sum(amount_pence), count(*), bool_or(is_redacted)
            FROM ({reads})
            WHERE supplier_name IS NOT NULL
            GROUP BY ALL ORDER BY supplier_name, sid, publisher
            """
        ).fetchall()
    finally:
        con.close()
    return [
        NameRow(str(r[0]), str(r[1]), str(r[2]), r[3], r[4], r[5], int(r[6]), int(r[7]), bool(r[8]))
        for r in rows
    ]


def prior_decisions(organisation: Organisation) -> list[PriorDecision]:
    return [
        PriorDecision(
            name_a=d.shown_name_a,
            name_b=d.shown_name_b,
            decision=ReviewDecision(d.decision),
            reviewer=d.reviewer_name,
            decided_on=d.decided_at.date(),
        )
        for d in SupplierLinkDecision.objects.filter(organisation=organisation)
    ]


def link_organisation_suppliers(
    *,
    organisation: Organisation,
    link_run: SupplierLinkRun,
    progress: Progress,
    by: User | None,
    engine: str = engines.DUCKDB,
) -> SupplierLinkRun:
    progress("Gathering supplier names", 0, None)
    names = distinct_names(selectors.spend_parquet_files_by_publisher(organisation.pk))
    creditors = {
        c.source_supplier_id: c for c in CreditorRecord.objects.filter(organisation=organisation)
    }
    # Supplier IDs are each publisher's own numbers: the same number from two publishers (a
    # combined authority importing its councils' files) is two suppliers. The organisation's
    # creditor file numbers its own payees, so it applies to its own files, or to every file
    # when they all have one publisher.
    own = publisher_key(organisation.name)
    publishers = {row.publisher for row in names if row.publisher}
    records = []
    for row in names:
        foreign = row.publisher not in (own, "")
        creditor_applies = not foreign or len(publishers) == 1
        creditor = (
            creditors.get(row.source_supplier_id)
            if row.source_supplier_id and creditor_applies
            else None
        )
        # The council's own creditor file outranks what the spend file published.
        records.append(
            SupplierRecord(
                record_id=record_key(
                    row.raw_name,
                    row.source_supplier_id,
                    row.publisher if foreign else "",
                ),
                anchor=row.publisher,
                source_supplier_id=row.source_supplier_id or None,
                raw_name=row.raw_name,
                company_number=(
                    creditor.company_number
                    if creditor and creditor.company_number
                    else row.company_number
                ),
                charity_number=(
                    creditor.charity_number
                    if creditor and creditor.charity_number
                    else row.charity_number
                ),
                vat_number=(
                    creditor.vat_number if creditor and creditor.vat_number else row.vat_number
                ),
                spend_pence=row.spend_pence,
                postcode=creditor.postcode if creditor and creditor.postcode else None,
                is_redacted=row.is_redacted,
            )
        )
    progress("Linking supplier names", 0, len(records))
    earlier_clusters = dict(
        RegisterSupplier.objects.filter(organisation=organisation).values_list(
            "cluster_key", "spend_pence"
        )
    )
    result = link_suppliers(
        records,
        prior_decisions=prior_decisions(organisation),
        scorer=engines.pair_scorer(engine),
        earlier_clusters=earlier_clusters,
        registered_companies=_registered_companies(records),
    )
    progress("Finding suppliers on Companies House and the charity register", 0, None)
    on_registers = _register_matches(result, records)
    progress("Saving the supplier register", len(records), len(records))

    by_key = {record.record_id: (record, row) for record, row in zip(records, names, strict=True)}
    members: dict[str, list[str]] = defaultdict(list)
    links = {}
    for link in result.links:
        members[link.cluster_id].append(link.record_id)
        links[link.record_id] = link

    clusters: list[dict[str, Any]] = []
    for cluster_id, keys in members.items():
        cluster_records = [by_key[k][0] for k in keys]
        cluster_rows = [by_key[k][1] for k in keys]
        # Named by its best-paid name; a redaction names it only when it has no other name.
        top = max(cluster_rows, key=lambda r: (not r.is_redacted, r.spend_pence, r.raw_name))
        declared = [
            creditors[r.source_supplier_id]
            for r in cluster_rows
            if r.source_supplier_id in creditors
        ]
        clusters.append(
            {
                "cluster_key": cluster_id,
                "display_name": top.raw_name,
                "company_number": next(
                    (
                        c
                        for r in cluster_records
                        if (c := normalise_company_number(r.company_number))
                    ),
                    "",
                ),
                "charity_number": next(
                    (
                        c
                        for r in cluster_records
                        if (c := normalise_charity_number(r.charity_number))
                    ),
                    "",
                ),
                "postcode": next((r.postcode for r in cluster_records if r.postcode), ""),
                "spend_pence": sum(r.spend_pence for r in cluster_rows),
                "name_count": len(keys),
                "declared_sme": next(
                    (d.declared_sme for d in declared if d.declared_sme is not None), None
                ),
                "declared_vcse": next(
                    (d.declared_vcse for d in declared if d.declared_vcse is not None), None
                ),
                "is_redacted": all(r.is_redacted for r in cluster_rows),
                "declared_public_body": _declared_type(declared, "public_body"),
                "declared_individual": _declared_type(declared, "individual"),
                "register_match": "; ".join(
                    REGISTER_MATCH_LABELS[(m.register, m.method)]
                    for m in on_registers.get(cluster_id, [])
                ),
            }
        )
        # A register found by name and postcode gives the number the files did not.
        for match in on_registers.get(cluster_id, []):
            field = "company_number" if match.register == "companies_house" else "charity_number"
            if not clusters[-1][field]:
                clusters[-1][field] = match.identifier

    output = paths.linkage_dir(organisation.pk, link_run.pk)
    output.mkdir(parents=True, exist_ok=True)
    links_table = pa.table(
        {
            "supplier_name": [by_key[k][1].raw_name for k in links],
            "source_supplier_id": [by_key[k][1].source_supplier_id for k in links],
            "supplier_key": [links[k].cluster_id for k in links],
        }
    )
    classification = _classify(organisation, clusters, output)
    _write_parquet(links_table, output / "links.parquet")

    with transaction.atomic(), acting_as(by):
        existing = {
            s.cluster_key: s for s in RegisterSupplier.objects.filter(organisation=organisation)
        }
        keep: list[RegisterSupplier] = []
        added: list[RegisterSupplier] = []
        for cluster in clusters:
            supplier = existing.pop(str(cluster["cluster_key"]), None)
            if supplier is None:
                supplier = RegisterSupplier(
                    organisation=organisation, cluster_key=cluster["cluster_key"]
                )
                added.append(supplier)
            supplier.link_run = link_run
            for field in (
                "display_name",
                "company_number",
                "charity_number",
                "postcode",
                "spend_pence",
                "name_count",
                "register_match",
            ):
                setattr(supplier, field, cluster[field])
            flags = classification.get(str(cluster["cluster_key"]), {})
            supplier.is_sme = flags.get("is_sme", cluster["declared_sme"])
            supplier.sme_source = flags.get("sme_source") or (
                SELF_DECLARED if cluster["declared_sme"] is not None else ""
            )
            supplier.is_vcse = flags.get("is_vcse", cluster["declared_vcse"])
            supplier.vcse_source = flags.get("vcse_source") or (
                SELF_DECLARED if cluster["declared_vcse"] is not None else ""
            )
            supplier.is_public_body = flags.get("is_public_body", cluster["declared_public_body"])
            supplier.public_body_source = flags.get("public_body_source") or (
                SELF_DECLARED if cluster["declared_public_body"] is not None else ""
            )
            supplier.is_individual = flags.get(
                "is_individual_or_redacted", cluster["declared_individual"]
            )
            supplier.individual_source = flags.get("individual_source") or (
                SELF_DECLARED if cluster["declared_individual"] is not None else ""
            )
            supplier.in_borough = flags.get("in_borough")
            supplier.in_combined_authority = flags.get("in_combined_authority")
            supplier.in_region = flags.get("in_region")
            supplier.in_deprived_area = flags.get("in_deprived_area")
            supplier.sector = flags.get("sector") or ""
            if not supplier.postcode and flags.get("postcode"):
                supplier.postcode = flags["postcode"]
            keep.append(supplier)
        # In bulk: one statement per thousand suppliers, not one each (seconds at thousands).
        RegisterSupplier.objects.bulk_update(
            [supplier for supplier in keep if supplier.pk is not None],
            _REGISTER_FIELDS,
            batch_size=500,
        )
        insert_rows(
            RegisterSupplier,
            ("organisation", "cluster_key", *_REGISTER_FIELDS),
            (
                (organisation.pk, supplier.cluster_key, *_register_values(supplier))
                for supplier in added
            ),
        )
        RegisterSupplier.objects.filter(pk__in=[s.pk for s in existing.values()]).delete()
        _move_surveys_of_merged_suppliers(organisation, set(existing), result.cluster_of())
        supplier_ids = dict(
            RegisterSupplier.objects.filter(organisation=organisation).values_list(
                "cluster_key", "pk"
            )
        )
        SupplierNameLink.objects.filter(organisation=organisation).delete()
        insert_rows(
            SupplierNameLink,
            _NAME_LINK_FIELDS,
            (
                (
                    organisation.pk,
                    supplier_ids[link.cluster_id],
                    link.record_id,
                    by_key[link.record_id][1].raw_name,
                    by_key[link.record_id][1].source_supplier_id,
                    normalise_company_number(by_key[link.record_id][0].company_number) or "",
                    normalise_charity_number(by_key[link.record_id][0].charity_number) or "",
                    str(link.method),
                    Decimal(str(link.probability)).quantize(_FOUR_PLACES),
                    by_key[link.record_id][1].spend_pence,
                    by_key[link.record_id][1].payment_count,
                )
                for link in result.links
            ),
        )
        SupplierReviewPair.objects.filter(organisation=organisation).delete()
        SupplierReviewPair.objects.bulk_create(
            [
                SupplierReviewPair(
                    organisation=organisation,
                    link_run=link_run,
                    name_a=item.name_a,
                    name_b=item.name_b,
                    probability=Decimal(str(item.probability)).quantize(_FOUR_PLACES),
                    spend_at_stake_pence=item.spend_at_stake_pence,
                    reason=item.reason,
                )
                for item in result.review
            ]
        )
        link_run.record_count = len(records)
        link_run.supplier_count = len(clusters)
        link_run.review_count = len(result.review)
        link_run.decisions_applied = len(result.decisions_applied)
        link_run.total_pence = result.total_spend_pence
        link_run.multi_name_pence = result.spend_in_multi_name_clusters_pence
        link_run.completed_at = timezone.now()
        link_run.save()
    _remove_older_outputs(organisation.pk, link_run.pk)
    return link_run


#: A supplier name's link to its supplier, in the order ``insert_rows`` is given them.
_NAME_LINK_FIELDS = (
    "organisation",
    "register_supplier",
    "record_key",
    "raw_name",
    "source_supplier_id",
    "company_number",
    "charity_number",
    "method",
    "probability",
    "spend_pence",
    "payment_count",
)


def _register_values(supplier: RegisterSupplier) -> tuple[object, ...]:
    """The supplier's values of ``_REGISTER_FIELDS``, as its table holds them."""
    return tuple(
        getattr(supplier, "link_run_id" if name == "link_run" else name)
        for name in _REGISTER_FIELDS
    )


#: The register's fields a linkage run sets on each supplier.
_REGISTER_FIELDS = (
    "link_run",
    "display_name",
    "company_number",
    "charity_number",
    "postcode",
    "spend_pence",
    "name_count",
    "register_match",
    "is_sme",
    "sme_source",
    "is_vcse",
    "vcse_source",
    "is_public_body",
    "public_body_source",
    "is_individual",
    "individual_source",
    "in_borough",
    "in_combined_authority",
    "in_region",
    "in_deprived_area",
    "sector",
)


def _write_parquet(table: pa.Table, target: Path) -> None:
    import pyarrow.parquet as pq

    pq.write_table(table, target)


def _move_surveys_of_merged_suppliers(
    organisation: Organisation, retired_keys: set[str], cluster_of: dict[str, str]
) -> None:
    """A supplier whose cluster joined a bigger one keeps its LM3 survey answers: they move
    to the cluster now holding the record the old cluster was named after (unless that
    supplier already has a survey in the same study)."""
    surveys = SupplierSurvey.objects.filter(
        study__organisation=organisation, supplier_key__in=retired_keys
    ).select_related("study")
    for survey in surveys:
        successor = cluster_of.get(survey.supplier_key)
        if successor is None or survey.study.surveys.filter(supplier_key=successor).exists():
            continue
        survey.supplier_key = successor
        survey.save(update_fields=["supplier_key"])


def _classify(
    organisation: Organisation, clusters: list[dict[str, Any]], output: Path
) -> dict[str, dict[str, Any]]:
    """Classify each supplier (location, SME, VCSE, public body, individual) and write
    ``classification.parquet``.

    Without local areas there is nothing to classify against; without a postcode directory the
    suppliers are classified by what they declared, with location unknown.
    """
    tiers = local_tiers_for(organisation)
    if tiers is None:
        return {}
    suppliers = pa.table(
        {
            "supplier_key": [str(c["cluster_key"]) for c in clusters],
            "supplier_name": [str(c["display_name"]) for c in clusters],
            "postcode": [str(c["postcode"]) or None for c in clusters],
            "company_number": [str(c["company_number"]) or None for c in clusters],
            "charity_number": [str(c["charity_number"]) or None for c in clusters],
            "declared_sme": pa.array([c["declared_sme"] for c in clusters], pa.bool_()),
            "declared_vcse": pa.array([c["declared_vcse"] for c in clusters], pa.bool_()),
            "is_redacted": pa.array([c["is_redacted"] for c in clusters], pa.bool_()),
            "declared_public_body": pa.array(
                [c["declared_public_body"] for c in clusters], pa.bool_()
            ),
            "declared_individual": pa.array(
                [c["declared_individual"] for c in clusters], pa.bool_()
            ),
        }
    )
    reference = refdata_store.reference_tables(output)
    table = classify_suppliers(
        suppliers,
        reference=reference,
        tiers=LocalTiers(
            borough_lad_codes=frozenset(tiers.borough_lad_codes),
            combined_authority_lad_codes=frozenset(tiers.combined_authority_lad_codes),
            region_code=tiers.region_code,
        ),
        deprived_decile_max=tiers.deprived_decile_max,
        output_path=output / "classification.parquet",
    )
    return {str(row["supplier_key"]): row for row in table.to_pylist()}


def _remove_older_outputs(organisation_id: int, keep_run_id: int) -> None:
    base = paths.linkage_dir(organisation_id, keep_run_id).parent
    for folder in base.glob("run-*"):
        if folder.name != f"run-{keep_run_id}":
            shutil.rmtree(folder, ignore_errors=True)


def ordered_pair(name_a: str, name_b: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """Normalised names in order, with the shown names in the same order."""
    key_a, key_b = normalise_supplier_name(name_a), normalise_supplier_name(name_b)
    if key_a <= key_b:
        return (key_a, key_b), (name_a, name_b)
    return (key_b, key_a), (name_b, name_a)


def supplier_link_execute(*, link_run_id: int, job: Job, engine: str = engines.DUCKDB) -> str:
    """The linkage task's work: link the run's suppliers, reporting progress on the job;
    returns the supplier register's address."""
    link_run = SupplierLinkRun.objects.select_related("organisation", "created_by").get(
        pk=link_run_id
    )

    def on_progress(stage: str, rows_done: int, rows_total: int | None) -> None:
        job_progress(job_id=job.pk, stage=stage, rows_done=rows_done, rows_total=rows_total)

    link_organisation_suppliers(
        organisation=link_run.organisation,
        link_run=link_run,
        progress=on_progress,
        by=link_run.created_by,
        engine=engine,
    )
    return page_address("supplier-list")
