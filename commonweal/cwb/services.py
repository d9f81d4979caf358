"""Writes for community wealth building: spend imports (upload, columns, confirm, run) and the
work the import task does, supplier decisions, creditor files and anchor networks. Local areas
are in ``local_areas``; the linkage run in ``linking``."""

from __future__ import annotations

import dataclasses
import json
import shutil
import uuid
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_valid_filename

from commonweal.accounts.models import Organisation, User
from commonweal.core.audit import acting_as
from commonweal.core.jobs import JobError, job_create, job_progress
from commonweal.core.models import Job
from commonweal.core.uploads import upload_forget, upload_limits
from commonweal.cwb import paths, selectors
from commonweal.cwb.access import CWB_EDITOR_ROLES
from commonweal.cwb.addresses import page_address
from commonweal.cwb.linking import ordered_pair
from commonweal.cwb.models import (
    AnchorNetwork,
    AnchorNetworkMember,
    CreditorRecord,
    PublisherMapping,
    SpendImportFile,
    SpendImportRun,
    SupplierLinkDecision,
    SupplierLinkRun,
    SupplierReviewPair,
)
from commonweal.cwb.uploads import FilePreview, UploadedFileProblem, preview_file
from commonweal.spend_engine.files import file_sha256
from commonweal.spend_engine.ingest import (
    IngestResult,
    PaymentsAlreadyImported,
    SpendImportError,
    ingest_spend_files,
)
from commonweal.spend_engine.layouts import (
    MAPPABLE_FIELDS,
    Mapping,
    MappingError,
    detect_mapping,
)
from commonweal.spend_engine.linkage import (
    normalise_charity_number,
    normalise_company_number,
    normalise_vat_number,
)
from commonweal.tabular import HEADER_SEARCH_RECORDS, TableError, find_header_row, read_table

# --- spend import: upload -------------------------------------------------------------------


@dataclass(frozen=True)
class IncomingFile:
    """A file to import: the name the person knows it by and where its bytes are now."""

    name: str
    path: Path


def _already_imported(
    organisation: Organisation, sha256s: Iterable[str]
) -> dict[str, SpendImportFile]:
    """The organisation's imported files with any of these contents (the earliest of each), in
    one query: a query per file took a third of a second at 24 files, profiled."""
    earliest: dict[str, SpendImportFile] = {}
    for file in (
        SpendImportFile.objects.filter(
            organisation=organisation, sha256__in=set(sha256s), counts=True
        )
        .select_related("run")
        .order_by("pk")
    ):
        earliest.setdefault(file.sha256, file)
    return earliest


def _duplicate_message(name: str, earlier: SpendImportFile) -> str:
    return (
        f"{name} has already been imported: it is the same file as {earlier.name} in import "
        f"{earlier.run.reference} of {earlier.run.created_at:%d %B %Y}. "
        "Each file can be imported once; remove it from this upload."
    )


def spend_import_start(
    *,
    organisation: Organisation,
    publisher: str,
    files: Sequence[IncomingFile],
    by: User | None,
    on_file: Callable[[int], None] | None = None,
) -> SpendImportRun:
    """Keep copies of the files and open a draft import; refuse unreadable or repeated files.

    Raises ValidationError listing every problem (file by file); nothing is kept then.
    """
    if not files:
        raise ValidationError("Select at least one spend file")
    if not publisher.strip():
        raise ValidationError("Enter who published the files")
    run_id = uuid.uuid4()
    target = paths.spend_uploads_dir(run_id)
    saved = PublisherMapping.objects.filter(
        organisation=organisation, publisher=publisher.strip()
    ).first()
    saved_headers = list(saved.mapping.values()) if saved else []
    problems: list[str] = []
    seen: dict[str, str] = {}
    # Rows and rejected rows name their file, so two files of one import cannot share a name.
    names: dict[str, str] = {}
    stored: list[tuple[IncomingFile, str, str, int, FilePreview]] = []
    # The contents imported before, in one query, not one per file.
    counted = set(
        SpendImportFile.objects.filter(organisation=organisation, counts=True).values_list(
            "sha256", flat=True
        )
    )
    try:
        for index, incoming in enumerate(files):
            if on_file is not None:
                on_file(index)
            sha = file_sha256(incoming.path)
            if sha in seen:
                problems.append(f"{incoming.name} is the same file as {seen[sha]}; upload it once")
                continue
            seen[sha] = incoming.name
            file_name = get_valid_filename(incoming.name) or "spend.csv"
            if file_name.lower() in names:
                problems.append(
                    f"{incoming.name}: another file of this import has the same name "
                    f"({names[file_name.lower()]}); rename one, so that every row can say "
                    "which file it came from"
                )
                continue
            names[file_name.lower()] = incoming.name
            earlier = _already_imported(organisation, [sha]).get(sha) if sha in counted else None
            if earlier is not None:
                problems.append(_duplicate_message(incoming.name, earlier))
                continue
            try:
                preview = preview_file(incoming.path, incoming.name, upload_limits(), saved_headers)
            except UploadedFileProblem as problem:
                problems.append(str(problem))
                continue
            stored_name = f"{index}/{file_name}"
            destination = target / stored_name
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(incoming.path, destination)
            stored.append((incoming, stored_name, sha, destination.stat().st_size, preview))
        if problems:
            raise ValidationError(problems)
        run = SpendImportRun(
            id=run_id, organisation=organisation, publisher=publisher.strip(), created_by=by
        )
        run.full_clean()
        with transaction.atomic(), acting_as(by):
            run.save()
            for incoming, stored_name, sha, size, preview in stored:
                SpendImportFile.objects.create(
                    run=run,
                    organisation=organisation,
                    name=incoming.name,
                    stored_name=stored_name,
                    sha256=sha,
                    size_bytes=size,
                    preview=dataclasses.asdict(preview),
                )
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return run


def stored_path(file: SpendImportFile) -> Path:
    return paths.spend_uploads_dir(file.run_id) / file.stored_name


def run_previews(run: SpendImportRun) -> list[FilePreview]:
    """Each file's header row and first rows, as read when it was uploaded (read again only
    for a file uploaded before previews were kept)."""
    saved_headers = list((run.mapping or saved_mapping_for(run)).values())
    return [
        _stored_preview(f.preview)
        if f.preview
        else preview_file(stored_path(f), f.name, upload_limits(), saved_headers)
        for f in run.files.all()
    ]


def _stored_preview(stored: dict[str, Any]) -> FilePreview:
    return FilePreview(
        name=stored["name"],
        header_row=stored["header_row"],
        headers=tuple(stored["headers"]),
        rows=tuple(tuple(row) for row in stored["rows"]),
        worksheets=tuple(stored["worksheets"]),
    )


def spend_files_check_job(
    *,
    job: Job,
    organisation_id: int,
    publisher: str,
    files: list[list[str]],
    by_id: int | None,
) -> str:
    """The background job of the upload step for workbooks and large files: check and keep
    the files (``spend_import_start``) kept for it as ``files`` ([name, path]); the draft
    import's check page next, or every problem listed."""
    incoming = [IncomingFile(name=name, path=Path(path)) for name, path in files]

    def on_file(index: int) -> None:
        job_progress(
            job_id=job.pk,
            stage=f"Checking {incoming[index].name}",
            rows_done=index,
            rows_total=len(incoming),
        )

    try:
        run = spend_import_start(
            organisation=Organisation.objects.get(pk=organisation_id),
            publisher=publisher,
            files=incoming,
            by=User.objects.filter(pk=by_id).first() if by_id else None,
            on_file=on_file,
        )
    except ValidationError as problem:
        raise JobError.listing(problem.messages, retry_url=reverse("cwb:import-new")) from None
    finally:
        for file in incoming:
            upload_forget(file.path)
    return reverse("cwb:import-check", args=[run.pk])


def saved_mapping_for(run: SpendImportRun) -> dict[str, str]:
    saved = PublisherMapping.objects.filter(
        organisation_id=run.organisation_id, publisher=run.publisher
    ).first()
    return dict(saved.mapping) if saved else {}


def proposed_mappings(run: SpendImportRun) -> list[tuple[FilePreview, Mapping]]:
    """Each file with the columns that would be used: the run's chosen mapping, else the
    publisher's saved one (when it fits the file), else automatic detection."""
    supplied = run.mapping or saved_mapping_for(run)
    result = []
    for preview in run_previews(run):
        try:
            mapping = detect_mapping(preview.headers, supplied or None)
        except MappingError:
            mapping = detect_mapping(preview.headers)
        result.append((preview, mapping))
    return result


def spend_import_set_mapping(
    *, run: SpendImportRun, mapping: dict[str, str], by: User | None
) -> SpendImportRun:
    """Use these columns for every file of the run, and remember them for the publisher."""
    if run.status != SpendImportRun.Status.DRAFT:
        raise ValidationError("This import has already been started")
    chosen = {
        name: header for name, header in mapping.items() if header and name in MAPPABLE_FIELDS
    }
    problems = []
    for preview in run_previews(run):
        try:
            detected = detect_mapping(preview.headers, chosen)
        except MappingError as error:
            problems.append(f"{preview.name}: {error}")
            continue
        if detected.missing_required:
            missing = ", ".join(field_in_sentence(name) for name in detected.missing_required)
            problems.append(f"{preview.name}: choose the column for {missing}")
    if problems:
        raise ValidationError(problems)
    run.mapping = chosen
    with transaction.atomic(), acting_as(by):
        run.save(update_fields=["mapping"])
        PublisherMapping.objects.update_or_create(
            organisation_id=run.organisation_id,
            publisher=run.publisher,
            defaults={"mapping": chosen, "updated_by": by},
        )
    return run


def spend_import_confirm(
    *, run: SpendImportRun, by: User | None, enqueue: Callable[[str, str], object]
) -> Job:
    """Claim the files' hashes (so they cannot be imported twice) and queue the import with
    ``enqueue`` (run id, job id): the caller passes the task's ``enqueue``, or its ``call`` to
    import at once, so services never import the tasks that call them."""
    if run.status != SpendImportRun.Status.DRAFT:
        raise ValidationError("This import has already been started")
    for preview, mapping in proposed_mappings(run):
        if mapping.missing_required:
            raise ValidationError(f"{preview.name}: choose the columns to use first")
    if not run.mapping:
        saved = saved_mapping_for(run)
        if saved and all(_fits(preview.headers, saved) for preview, _ in proposed_mappings(run)):
            run.mapping = saved
    try:
        with transaction.atomic(), acting_as(by):
            files = list(run.files.all())
            imported = _already_imported(run.organisation, [file.sha256 for file in files])
            for file in files:
                earlier = imported.get(file.sha256)
                if earlier is not None:
                    raise ValidationError(_duplicate_message(file.name, earlier))
            run.files.update(counts=True)
            count = run.files.count()
            job = job_create(
                organisation=run.organisation,
                kind="spend_import",
                title=f"Import of {count} spend file{pluralize(count)} from {run.publisher}",
                by=by,
            )
            run.status = SpendImportRun.Status.QUEUED
            run.job = job
            run.save(update_fields=["status", "job", "mapping"])
    except IntegrityError:
        raise ValidationError(
            "One of these files has just been imported by someone else; check the import history"
        ) from None
    enqueue(str(run.pk), str(job.pk))
    return job


def _fits(headers: Sequence[str], saved: dict[str, str]) -> bool:
    try:
        return detect_mapping(headers, saved).is_complete
    except MappingError:
        return False


def spend_import_discard(*, run: SpendImportRun, by: User | None) -> None:
    """Throw away a draft import and its uploaded copies."""
    if run.status != SpendImportRun.Status.DRAFT:
        raise ValidationError("Only an import that has not been started can be discarded")
    run_id = run.pk
    with transaction.atomic(), acting_as(by):
        run.delete()
    shutil.rmtree(paths.spend_uploads_dir(run_id), ignore_errors=True)


def spend_import_withdraw(*, run: SpendImportRun, by: User | None) -> SpendImportRun:
    """Take a finished import out of every figure: its payments are no longer read, its files
    may be imported again, and the supplier register is out of date until linked again. The
    run stays in the history, marked withdrawn, with who withdrew it and when."""
    if run.status != SpendImportRun.Status.COMPLETED:
        raise ValidationError("Only a finished import can be withdrawn")
    with transaction.atomic(), acting_as(by):
        run.status = SpendImportRun.Status.WITHDRAWN
        run.withdrawn_at = timezone.now()
        run.withdrawn_by = by
        run.save(update_fields=["status", "withdrawn_at", "withdrawn_by"])
        run.files.update(counts=False)
    shutil.rmtree(paths.spend_output_dir(run.organisation_id) / str(run.pk), ignore_errors=True)
    return run


STAGE_LABELS = {
    "checking files": "Checking the files",
    "converting workbooks": "Reading Excel workbooks",
    "reading": "Reading payment rows",
    "parsing": "Checking dates and amounts",
    "writing": "Saving the imported rows",
    "done": "Recording the result",
}


FIELD_LABELS = {
    "payment_date": "Payment date",
    "amount_pence": "Amount",
    "supplier_name": "Supplier name",
    "source_supplier_id": "Supplier ID",
    "company_number": "Company number",
    "charity_number": "Charity number",
    "vat_number": "VAT number",
    "service_area": "Service area or directorate",
    "purpose": "Purpose of spend",
    "spend_category": "Procurement category",
    "merchant_category": "Merchant category",
    "irrecoverable_vat_pence": "Irrecoverable VAT",
    "transaction_ref": "Transaction reference",
}


def field_in_sentence(name: str) -> str:
    """A field's label inside a sentence: "the payment date", "the supplier ID", "the VAT
    number" (an acronym keeps its capitals)."""
    first, _, rest = FIELD_LABELS[name].partition(" ")
    words = [first if first.isupper() else first.lower(), *([rest] if rest else [])]
    return "the " + " ".join(words)


def spend_import_execute(*, run_id: str, job: Job) -> str:
    """Run the import (called by the task inside ``run_job``); returns the result page."""
    run = SpendImportRun.objects.select_related("organisation", "created_by").get(pk=run_id)
    SpendImportRun.objects.filter(pk=run.pk).update(status=SpendImportRun.Status.RUNNING)
    files = list(run.files.all())

    def on_progress(stage: str, rows_done: int, rows_total: int | None) -> None:
        job_progress(
            job_id=job.pk,
            stage=STAGE_LABELS.get(stage, stage),
            rows_done=rows_done,
            rows_total=rows_total,
        )

    try:
        result = ingest_spend_files(
            [stored_path(f) for f in files],
            output_dir=paths.spend_output_dir(run.organisation_id),
            import_run_id=str(run.pk),
            mapping=run.mapping or None,
            publisher=run.publisher,
            on_progress=on_progress,
            limits=upload_limits(),
        )
    except SpendImportError as error:
        _fail(run, str(error))
        raise JobError(str(error), retry_url=page_address("import-new")) from error
    except BaseException:
        _fail(run, "The import stopped because of a problem on our side; nothing was imported")
        raise
    by_name = {f.name: f for f in result.files}
    try:
        repeated = _payments_already_imported(run, result)
        repeated_within = [
            list(pair) for pair in PaymentsAlreadyImported().within(result.spend_path)
        ]
        with transaction.atomic(), acting_as(run.created_by):
            for file in files:
                source = by_name[Path(file.stored_name).name]
                file.header_row = source.header_row
                file.worksheets = list(source.worksheets)
                file.dates_month_first = source.dates_month_first
                file.amounts_decimal_comma = source.amounts_decimal_comma
                file.rows_accepted = source.rows_accepted
                file.rows_rejected = source.rows_rejected
                file.total_pence = source.total_pence
                file.save(
                    update_fields=[
                        "header_row",
                        "worksheets",
                        "dates_month_first",
                        "amounts_decimal_comma",
                        "rows_accepted",
                        "rows_rejected",
                        "total_pence",
                    ]
                )
            run.status = SpendImportRun.Status.COMPLETED
            run.rows_read = result.rows_read
            run.rows_accepted = result.rows_accepted
            run.rows_rejected = result.rows_rejected
            run.total_pence = result.total_pence
            run.first_payment_date = result.first_payment_date
            run.last_payment_date = result.last_payment_date
            run.repeated_payments = repeated
            run.repeated_within = repeated_within
            if not run.mapping:
                run.mapping = result.files[0].mapping.as_saved()
            run.completed_at = timezone.now()
            run.save()
    except BaseException:
        shutil.rmtree(result.run_dir, ignore_errors=True)
        _fail(run, "The import stopped because of a problem on our side; nothing was imported")
        raise
    return page_address("import-detail", run.pk)


def _payments_already_imported(run: SpendImportRun, result: IngestResult) -> dict[str, int]:
    """How many of the new payments each earlier import holds (PaymentsAlreadyImported);
    only imports whose payment dates overlap the new one's can hold any."""
    output = paths.spend_output_dir(run.organisation_id)
    earlier = selectors.completed_imports(run.organisation_id).filter(
        first_payment_date__lte=result.last_payment_date,
        last_payment_date__gte=result.first_payment_date,
    )
    return PaymentsAlreadyImported().counts(
        result.spend_path,
        [
            (str(pk), output / str(pk) / "spend.parquet")
            for pk in earlier.values_list("pk", flat=True)
        ],
    )


def _fail(run: SpendImportRun, error: str) -> None:
    """Record the failure, release the files' hashes and drop the uploaded copies."""
    with transaction.atomic(), acting_as(run.created_by):
        run.files.update(counts=False)
        SpendImportRun.objects.filter(pk=run.pk).update(
            status=SpendImportRun.Status.FAILED, error=error, completed_at=timezone.now()
        )
    shutil.rmtree(paths.spend_uploads_dir(run.pk), ignore_errors=True)
    shutil.rmtree(paths.spend_output_dir(run.organisation_id) / str(run.pk), ignore_errors=True)


# --- supplier linkage ------------------------------------------------------------------------


def supplier_link_start(
    *,
    organisation: Organisation,
    by: User | None,
    enqueue: Callable[[str, str], object],
) -> SupplierLinkRun:
    """Queue a linkage run over every imported spend file of the organisation with ``enqueue``
    (run id, job id), as ``spend_import_confirm`` does."""
    with transaction.atomic(), acting_as(by):
        job = job_create(
            organisation=organisation,
            kind="supplier_linkage",
            title="Link supplier names into the supplier register",
            by=by,
        )
        link_run = SupplierLinkRun.objects.create(organisation=organisation, job=job, created_by=by)
    enqueue(str(link_run.pk), str(job.pk))
    return link_run


def supplier_pair_decide(
    *, pair: SupplierReviewPair, decision: str, by: User
) -> SupplierLinkDecision:
    """Record a person's verdict on a pair of names; it is applied from the next linkage run."""
    if decision not in SupplierLinkDecision.Decision.values:
        raise ValidationError("Select whether these are the same supplier")
    (key_a, key_b), (shown_a, shown_b) = ordered_pair(pair.name_a, pair.name_b)
    if key_a == key_b:
        raise ValidationError("These names are the same once tidied; they are already linked")
    with transaction.atomic(), acting_as(by):
        stored, _ = SupplierLinkDecision.objects.update_or_create(
            organisation_id=pair.organisation_id,
            name_a=key_a,
            name_b=key_b,
            defaults={
                "shown_name_a": shown_a,
                "shown_name_b": shown_b,
                "decision": decision,
                "method": "human review",
                "probability": pair.probability,
                "reviewer": by,
                "reviewer_name": by.full_name or by.email,
                "decided_at": timezone.now(),
            },
        )
        pair.delete()
    return stored


def supplier_decision_change(
    *, decision: SupplierLinkDecision, to: str, by: User
) -> SupplierLinkDecision:
    """Reverse a person's earlier verdict on a pair of names ("Same supplier" to "Different
    suppliers", or back). The pair keeps one decision, now in the name of whoever changed it;
    the audit log keeps what it was. Applied from the next linkage run."""
    if to not in SupplierLinkDecision.Decision.values:
        raise ValidationError("Select whether these are the same supplier")
    if to == decision.decision:
        raise ValidationError(
            f"This pair is already decided as '{decision.get_decision_display()}'"
        )
    with transaction.atomic(), acting_as(by):
        decision.decision = to
        decision.method = "human review (changed)"
        decision.reviewer = by
        decision.reviewer_name = by.full_name or by.email
        decision.decided_at = timezone.now()
        decision.full_clean()
        decision.save()
    return decision


# --- creditor file ---------------------------------------------------------------------------

CREDITOR_COLUMNS: dict[str, tuple[str, ...]] = {
    "source_supplier_id": (
        "supplierid",
        "suppliernumber",
        "supplierno",
        "creditornumber",
        "creditorid",
        "vendorid",
        "addressbookno",
    ),
    "name": ("suppliername", "name", "creditorname", "vendorname"),
    "postcode": ("postcode", "supplierpostcode", "addresspostcode"),
    "company_number": ("companynumber", "companyregistrationnumber", "companyregno"),
    "charity_number": ("charitynumber", "charityregistrationnumber", "charityno"),
    "vat_number": ("vatnumber", "vatregistrationnumber", "vatregno", "vatno", "vatreg"),
    "declared_sme": ("sme", "issme", "smeselfdeclared"),
    "declared_vcse": ("vcse", "isvcse", "vcseselfdeclared"),
    "creditor_type": ("creditortype", "suppliertype", "vendortype", "payeetype", "type"),
}
# What finance systems call the kinds of payee, by what the classifier needs to know.
CREDITOR_TYPES: dict[str, str] = {
    **dict.fromkeys(
        ("individual", "private individual", "person", "employee", "personal"), "individual"
    ),
    **dict.fromkeys(
        (
            "public body",
            "public sector",
            "local authority",
            "government",
            "government body",
            "council",
            "nhs",
            "public",
        ),
        "public_body",
    ),
    **dict.fromkeys(
        (
            "company",
            "business",
            "limited company",
            "sole trader",
            "partnership",
            "charity",
            "voluntary",
            "organisation",
            "supplier",
            "other",
        ),
        "organisation",
    ),
}
_YES = {"y", "yes", "true", "1"}
_NO = {"n", "no", "false", "0"}


def _yes_no(value: str, *, name: str, row: int, column: str) -> bool | None:
    cleaned = value.strip().lower()
    if not cleaned:
        return None
    if cleaned in _YES:
        return True
    if cleaned in _NO:
        return False
    raise ValidationError(f"{name}: row {row}, column '{column}': enter Yes or No, not '{value}'")


def _creditor_type(value: str, *, name: str, row: int, column: str) -> str:
    cleaned = " ".join(value.lower().split())
    if not cleaned:
        return ""
    if cleaned not in CREDITOR_TYPES:
        raise ValidationError(
            f"{name}: row {row}, column '{column}': '{value}' is not a payee type we know; use "
            "Individual, Public body or Company (or another kind of organisation)"
        )
    return CREDITOR_TYPES[cleaned]


#: What creditor files write where a supplier has no VAT number.
_NO_VAT_NUMBER = {"n/a", "na", "none", "nil", "-", "not registered", "not vat registered"}


def _vat_number(value: str, *, name: str, row: int, column: str) -> str:
    if value.strip().lower() in _NO_VAT_NUMBER or not value.strip():
        return ""
    number = normalise_vat_number(value)
    if number is None:
        raise ValidationError(
            f"{name}: row {row}, column '{column}': '{value}' is not a UK VAT number; enter 9 "
            "or 12 digits, with or without GB (like GB 123 4567 89), or leave it blank"
        )
    return number


class CreditorRemovalsUnconfirmed(Exception):
    """The file leaves out suppliers the creditor records hold: replacing the records would
    remove them, and the person has not confirmed that (or confirmed other removals)."""

    def __init__(self, name: str, removed: list[tuple[str, str]]) -> None:
        self.name = name
        #: (supplier ID, name) of each record the file would remove, by supplier ID.
        self.removed = removed
        super().__init__(f"{name} would remove {len(removed)} suppliers from the creditor records")


def creditor_file_import(
    *,
    organisation: Organisation,
    path: Path,
    name: str,
    by: User | None,
    confirmed_removals: Collection[str] = (),
) -> int:
    """Replace the organisation's creditor records with a creditor file (a CSV or a
    workbook, with a header row).

    Needs a supplier ID column; name, postcode, company, charity and VAT numbers, self-declared
    SME and VCSE (Yes/No) and the payee type (individual, public body, other organisation) are
    read when present. All or nothing. A file without rows is refused, and one that leaves out
    suppliers the records hold raises ``CreditorRemovalsUnconfirmed`` unless exactly those
    supplier IDs are in ``confirmed_removals``: a register is never emptied by accident.
    """
    from commonweal.spend_engine.classify import normalise_postcode
    from commonweal.spend_engine.layouts import normalise_header

    sha = file_sha256(path)
    try:
        table = read_table(path, name, upload_limits()).rows
    except TableError as problem:
        raise ValidationError(str(problem)) from problem
    if not any(cell.strip() for row in table for cell in row):
        raise ValidationError(f"{name}: the file is empty")
    # The header is the first row naming a supplier ID column: a title may stand above it.
    id_aliases = set(CREDITOR_COLUMNS["source_supplier_id"])
    header_index = find_header_row(
        table[:HEADER_SEARCH_RECORDS],
        lambda row: bool(id_aliases & {normalise_header(cell) for cell in row}),
    )
    if header_index is None:
        raise ValidationError(
            f"{name}: no supplier ID column (such as 'Supplier ID') in the first "
            f"{HEADER_SEARCH_RECORDS} rows"
        )
    header, rows = table[header_index], table[header_index + 1 :]
    keys = [normalise_header(h) for h in header]
    where = {
        field: next((keys.index(alias) for alias in aliases if alias in keys), None)
        for field, aliases in CREDITOR_COLUMNS.items()
    }
    records: dict[str, CreditorRecord] = {}
    rows_of: dict[str, int] = {}
    for row_number, row in enumerate(rows, start=header_index + 2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(field: str, row: list[str] = row) -> str:
            index = where[field]
            return row[index].strip() if index is not None and index < len(row) else ""

        supplier_id = cell("source_supplier_id")
        if not supplier_id:
            raise ValidationError(f"{name}: row {row_number} has no supplier ID")
        raw_postcode = cell("postcode")
        postcode = normalise_postcode(raw_postcode) if raw_postcode else ""
        if raw_postcode and postcode is None:
            raise ValidationError(
                f"{name}: row {row_number}, column '{header[where['postcode'] or 0]}': "
                f"'{raw_postcode}' is not a UK postcode"
            )
        record = CreditorRecord(
            organisation=organisation,
            source_supplier_id=supplier_id,
            name=cell("name"),
            postcode=postcode or "",
            company_number=normalise_company_number(cell("company_number")) or "",
            charity_number=normalise_charity_number(cell("charity_number")) or "",
            vat_number=_vat_number(
                cell("vat_number"),
                name=name,
                row=row_number,
                column=header[where["vat_number"] or 0],
            ),
            declared_sme=_yes_no(cell("declared_sme"), name=name, row=row_number, column="SME"),
            declared_vcse=_yes_no(cell("declared_vcse"), name=name, row=row_number, column="VCSE"),
            creditor_type=_creditor_type(
                cell("creditor_type"),
                name=name,
                row=row_number,
                column=header[where["creditor_type"] or 0],
            ),
            source_file=name,
            source_sha256=sha,
            imported_by=by,
        )
        # A row repeated as it stands is harmless; two different rows for one supplier (two
        # addresses, say) would leave its place to whichever came last.
        if supplier_id in records and _creditor_details(records[supplier_id]) != (
            _creditor_details(record)
        ):
            raise ValidationError(
                f"{name}: supplier ID '{supplier_id}' is on row {rows_of[supplier_id]} and row "
                f"{row_number} with different details; keep one row per supplier"
            )
        records[supplier_id] = record
        rows_of.setdefault(supplier_id, row_number)
    if not records:
        raise ValidationError(
            f"{name}: there are no suppliers under the header row; nothing was changed"
        )
    with transaction.atomic(), acting_as(by):
        held = CreditorRecord.objects.select_for_update().filter(organisation=organisation)
        names_held = dict(held.values_list("source_supplier_id", "name"))
        removed = sorted(set(names_held) - set(records))
        if set(removed) != set(confirmed_removals):
            raise CreditorRemovalsUnconfirmed(
                name, [(supplier_id, names_held[supplier_id]) for supplier_id in removed]
            )
        held.delete()
        CreditorRecord.objects.bulk_create(records.values(), batch_size=1000)
    return len(records)


def _creditor_details(record: CreditorRecord) -> tuple[object, ...]:
    return (
        record.name,
        record.postcode,
        record.company_number,
        record.charity_number,
        record.vat_number,
        record.declared_sme,
        record.declared_vcse,
        record.creditor_type,
    )


def creditor_removals_kept(path: Path) -> list[tuple[str, str]] | None:
    """The suppliers (ID, name) a background job found the kept creditor file at ``path``
    would remove, for the person to confirm; None when it found none to confirm."""
    kept = path.with_name(f"{path.name}.removals.json")
    if not kept.is_file():
        return None
    return [(supplier_id, name) for supplier_id, name in json.loads(kept.read_text())]


def creditor_file_import_job(
    *,
    job: Job,
    organisation_id: int,
    path: str,
    name: str,
    confirmed: list[str],
    by_id: int | None,
) -> str:
    """The background job of a creditor file (a workbook or a large file): the records
    replaced, or the suppliers it would remove kept for the person to confirm (the
    confirmation page next), or every problem listed."""
    kept = Path(path)
    try:
        count = creditor_file_import(
            organisation=Organisation.objects.get(pk=organisation_id),
            path=kept,
            name=name,
            by=User.objects.filter(pk=by_id).first() if by_id else None,
            confirmed_removals=confirmed,
        )
    except CreditorRemovalsUnconfirmed as unconfirmed:
        kept.with_name(f"{kept.name}.removals.json").write_text(json.dumps(unconfirmed.removed))
        return reverse("cwb:creditor-confirm")
    except ValidationError as problem:
        kept.unlink(missing_ok=True)
        raise JobError.listing(problem.messages, retry_url=reverse("cwb:creditor-upload")) from None
    kept.unlink(missing_ok=True)
    kept.with_name(f"{kept.name}.removals.json").unlink(missing_ok=True)
    job_progress(job_id=job.pk, stage=f"{count} creditor records saved", rows_done=count)
    return reverse("cwb:supplier-list")


# --- anchor networks -------------------------------------------------------------------------


def anchor_network_create(*, convener: Organisation, name: str, by: User | None) -> AnchorNetwork:
    """Start a network; the convening council is its first member."""
    if not convener.is_council:
        raise ValidationError("Only a council or a combined authority can start an anchor network")
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter the name of the network"})
    if AnchorNetwork.objects.filter(convener=convener, name__iexact=name).exists():
        raise ValidationError({"name": f"You already have a network called “{name}”"})
    with transaction.atomic(), acting_as(by):
        network = AnchorNetwork.objects.create(convener=convener, name=name, created_by=by)
        AnchorNetworkMember.objects.create(
            network=network,
            organisation=convener,
            status=AnchorNetworkMember.Status.JOINED,
            invited_by=by,
            joined_at=timezone.now(),
        )
    return network


def anchor_network_invite(
    *, network: AnchorNetwork, organisation: Organisation, by: User | None
) -> AnchorNetworkMember:
    """Invite an organisation; its figures count once one of its people accepts."""
    if organisation.is_supplier:
        raise ValidationError({"organisation": "Suppliers cannot join an anchor network"})
    place = network.members.filter(organisation=organisation).first()
    if place is not None:
        already = "a member" if place.status == AnchorNetworkMember.Status.JOINED else "invited"
        raise ValidationError({"organisation": f"{organisation.name} is already {already}"})
    # Its editors answer for it: the people who may share its figures.
    recipients = sorted(
        organisation.memberships.filter(
            role__in=CWB_EDITOR_ROLES, user__is_active=True
        ).values_list("user__email", flat=True)
    )
    link = settings.SITE_URL + page_address("network-detail", network.pk)
    with transaction.atomic(), acting_as(by):
        place = AnchorNetworkMember.objects.create(
            network=network, organisation=organisation, invited_by=by
        )
        if recipients:
            transaction.on_commit(
                lambda: send_mail(
                    subject=f"Invitation to join {network.name}",
                    message=(
                        f"{network.convener.name} invites {organisation.name} to join "
                        f"{network.name}, an anchor network whose members pool their yearly "
                        "spend figures to see how much of their spending stays local. Your "
                        "suppliers and payments are not shared.\n\n"
                        f"Read what joining shares, and accept or decline: {link}\n"
                    ),
                    from_email=None,
                    recipient_list=recipients,
                )
            )
    return place


def anchor_network_join(*, place: AnchorNetworkMember, by: User | None) -> AnchorNetworkMember:
    if place.status == AnchorNetworkMember.Status.JOINED:
        raise ValidationError(f"{place.organisation.name} is already a member of {place.network}")
    place.status = AnchorNetworkMember.Status.JOINED
    place.joined_at = timezone.now()
    with transaction.atomic(), acting_as(by):
        place.save(update_fields=["status", "joined_at"])
    return place


def anchor_network_remove(*, place: AnchorNetworkMember, by: User | None) -> None:
    """An invitation declined or withdrawn, a member leaving or removed: its figures stop
    counting at once. The convening council stays in its own network."""
    if place.organisation_id == place.network.convener_id:
        raise ValidationError("The council that convenes the network stays in it")
    with transaction.atomic(), acting_as(by):
        place.delete()
