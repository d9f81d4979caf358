"""Official reference data: load a publisher's file into versioned Parquet, record the load,
and hand the classifier the latest version of each kind."""

# SQL here is assembled from escaped file paths, because DuckDB cannot bind file names.
# ruff: noqa: S608
from __future__ import annotations

import csv
import functools
import json
import re
import shutil
import tempfile
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import duckdb
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat, pluralize
from django.urls import reverse
from django.utils.text import get_valid_filename

from commonweal.accounts.models import Organisation, User
from commonweal.core.audit import acting_as
from commonweal.core.jobs import JobError, job_create, job_progress
from commonweal.core.models import Job
from commonweal.cwb import paths
from commonweal.cwb.models import ReferenceDataLoad
from commonweal.spend_engine import geography, refdata
from commonweal.spend_engine.classify import ReferenceTables

#: The authority lookup shipped with Commonweal (see its SOURCE file), used until a council
#: loads a newer one.
SHIPPED_AUTHORITIES = Path(refdata.__file__).parent / "reference" / "english_authorities_2025.csv"
SHIPPED_AUTHORITIES_SOURCE = "mySociety UK Local Authority Names and Codes, 2025-07-10 (CC BY 4.0)"


@dataclass(frozen=True)
class LoadableKind:
    """A kind of file the ``refdata load`` command accepts."""

    name: str
    stored_kind: str
    official_source: str
    description: str


LOADABLE_KINDS: dict[str, LoadableKind] = {
    k.name: k
    for k in (
        LoadableKind("postcodes", "postcodes", "nspl", "ONS Postcode Directory or NSPL CSV(s)"),
        LoadableKind("codepoint", "postcodes", "codepoint_open", "OS Code-Point Open area CSVs"),
        LoadableKind(
            "deprivation", "deprivation", "iod2025", "English Indices of Deprivation File 7"
        ),
        LoadableKind(
            "lad-lookup",
            "lad_to_combined_authority",
            "lad_to_combined_authority",
            "District to combined authority lookup (ONS or mySociety)",
        ),
        LoadableKind(
            "companies-house", "companies", "companies_house", "Companies House BasicCompanyData"
        ),
        LoadableKind("charities", "charities", "charity_commission", "Charity Commission extract"),
        LoadableKind(
            "ocds",
            "ocds_suppliers",
            "contracts_finder",
            "OCDS award notices (JSON release or record packages): supplier scale and VCSE",
        ),
        LoadableKind(
            "charity-company-numbers",
            "charity_company_numbers",
            "charity_company_numbers",
            "Charity number to company number lookup",
        ),
    )
}


class ReferenceLoadError(Exception):
    """A reference file could not be loaded; nothing was recorded."""


def refdata_load(
    *,
    kind: str,
    files: Sequence[Path],
    version: str,
    by: User | None,
    headers_file: Path | None = None,
) -> ReferenceDataLoad:
    """Load files of one kind as one version (re-loading a version replaces it)."""
    if kind not in LOADABLE_KINDS:
        raise ReferenceLoadError(
            f"unknown kind '{kind}'; use one of {', '.join(sorted(LOADABLE_KINDS))}"
        )
    if not files:
        raise ReferenceLoadError("name at least one file to load")
    output = paths.refdata_dir()
    try:
        if kind == "postcodes":
            result = refdata.load_postcode_directory(files, output_dir=output, version=version)
        elif kind == "codepoint":
            if headers_file is None:
                raise ReferenceLoadError(
                    "Code-Point Open files have no header row: give --headers-file "
                    "Code-Point_Open_Column_Headers.csv"
                )
            result = refdata.load_codepoint_open(
                files, headers_file=headers_file, output_dir=output, version=version
            )
        elif kind == "deprivation":
            result = refdata.load_deprivation(files[0], output_dir=output, index_vintage=version)
        elif kind == "lad-lookup":
            result = refdata.load_lad_to_combined_authority(
                files[0], output_dir=output, version=version
            )
        elif kind == "companies-house":
            result = refdata.load_companies_house(files, output_dir=output, version=version)
        elif kind == "charities":
            result = refdata.load_charity_register(files[0], output_dir=output, version=version)
        elif kind == "ocds":
            result = refdata.load_ocds_suppliers(files, output_dir=output, version=version)
        else:
            result = refdata.load_charity_company_lookup(
                files[0], output_dir=output, version=version
            )
    except refdata.RefdataError as error:
        raise ReferenceLoadError(str(error)) from error
    with transaction.atomic(), acting_as(by):
        load, _ = ReferenceDataLoad.objects.update_or_create(
            kind=result.kind,
            version=result.version,
            defaults={
                "source_format": kind,
                "path": str(result.path.relative_to(paths.data_dir())),
                "row_count": result.row_count,
                "rows_rejected": result.rows_rejected,
                "source_hashes": result.source_hashes,
                "loaded_by": by,
            },
        )
    return load


def rejected_reference_rows(load: ReferenceDataLoad, limit: int) -> list[refdata.RejectedRow]:
    """The first rows a load rejected, as its ``rejects.csv`` lists them."""
    path = paths.data_dir() / load.rejects_path
    if not load.rows_rejected or not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            refdata.RejectedRow(r["file"], int(r["row"]), r["column"], r["value"], r["reason"])
            for r in islice(csv.DictReader(handle), limit)
        ]


def latest_loads() -> dict[str, list[ReferenceDataLoad]]:
    """The newest load of each kind (for postcodes, the newest of each source format)."""
    chosen: dict[str, list[ReferenceDataLoad]] = {}
    seen: set[tuple[str, str]] = set()
    for load in ReferenceDataLoad.objects.order_by("kind", "-loaded_at", "-pk"):
        key = (load.kind, load.source_format if load.kind == "postcodes" else "")
        if key in seen:
            continue
        seen.add(key)
        if (paths.data_dir() / load.path).is_file():
            chosen.setdefault(load.kind, []).append(load)
    return chosen


def _shipped_lookup_parquet(scratch: Path) -> Path:
    """The shipped authority lookup as Parquet in ``scratch``: it gives the region of a
    postcode whose directory has none (Code-Point Open) until a lookup is loaded."""
    return refdata.load_lad_to_combined_authority(
        SHIPPED_AUTHORITIES, output_dir=scratch / "shipped-authorities", version="shipped"
    ).path


def reference_tables(scratch: Path) -> ReferenceTables:
    """The latest reference Parquet of each kind; an empty postcode table when none is loaded
    (suppliers are then classified only by what they declared), and the shipped authority
    lookup when none is loaded."""
    loads = latest_loads()

    def one(kind: str) -> Path | None:
        found = loads.get(kind)
        return paths.data_dir() / found[0].path if found else None

    postcodes = [paths.data_dir() / load.path for load in loads.get("postcodes", [])]
    if not postcodes:
        empty = scratch / "no-postcodes.parquet"
        con = duckdb.connect()
        try:
            con.execute(
                "COPY (SELECT NULL::VARCHAR AS postcode, NULL::VARCHAR AS lad_code, "
                "NULL::VARCHAR AS ward_code, NULL::VARCHAR AS lsoa_code, "
                "NULL::VARCHAR AS lsoa_vintage, NULL::VARCHAR AS region_code, "
                "NULL::DOUBLE AS latitude, NULL::DOUBLE AS longitude, NULL::INTEGER AS imd_rank, "
                "NULL::BOOLEAN AS is_live, NULL::VARCHAR AS source WHERE FALSE) "
                f"TO '{str(empty).replace(chr(39), chr(39) * 2)}' (FORMAT parquet)"
            )
        finally:
            con.close()
        postcodes = [empty]
    return ReferenceTables(
        postcodes=postcodes,
        deprivation=one("deprivation"),
        lad_lookup=one("lad_to_combined_authority") or _shipped_lookup_parquet(scratch),
        companies=one("companies"),
        charities=one("charities"),
        ocds_suppliers=one("ocds_suppliers"),
    )


def authority_lookup() -> geography.AuthorityLookup:
    """The newest loaded authority lookup that names counties and authority types (mySociety's
    layout), else the one shipped with Commonweal."""
    for load in ReferenceDataLoad.objects.filter(kind=ReferenceDataLoad.Kind.LAD_LOOKUP).order_by(
        "-loaded_at", "-pk"
    ):
        path = paths.data_dir() / load.path
        if path.is_file():
            found = geography.read_authority_lookup(
                path, source=f"the authority lookup loaded as version {load.version}"
            )
            if found is not None:
                return found
    return _shipped_lookup()


@functools.cache
def _shipped_lookup() -> geography.AuthorityLookup:
    with tempfile.TemporaryDirectory() as scratch:
        result = refdata.load_lad_to_combined_authority(
            SHIPPED_AUTHORITIES, output_dir=scratch, version="shipped"
        )
        lookup = geography.read_authority_lookup(result.path, source=SHIPPED_AUTHORITIES_SOURCE)
    assert lookup is not None, "the shipped lookup names counties"
    return lookup


# --- loading from the pages, as a background job -----------------------------------------------

#: What the page offers to load: (choice, kind, fixed version or "", label).
PAGE_CHOICES: tuple[tuple[str, str, str, str], ...] = (
    ("companies-house", "companies-house", "", "Companies House company data (BasicCompanyData)"),
    ("charities", "charities", "", "Charity Commission register extract (the charity table)"),
    (
        "charity-company-numbers",
        "charity-company-numbers",
        "",
        "Charity number to company number lookup",
    ),
    ("postcodes", "postcodes", "", "ONS Postcode Directory or National Statistics Postcode Lookup"),
    ("codepoint", "codepoint", "", "OS Code-Point Open (with its column headers file)"),
    ("deprivation-2025", "deprivation", "2025", "English Indices of Deprivation 2025, File 7"),
    ("deprivation-2019", "deprivation", "2019", "English Indices of Deprivation 2019, File 7"),
    (
        "lad-lookup",
        "lad-lookup",
        "",
        "Authority lookup (mySociety local authorities, or ONS district to combined authority)",
    ),
    ("ocds", "ocds", "", "Contract award notices (OCDS JSON packages)"),
)
_PAGE_KINDS = {choice: (kind, version) for choice, kind, version, _ in PAGE_CHOICES}
UPLOAD_PARAMETERS = "load.json"
VERSION_LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
HEADERS_FILE_PREFIX = "headers--"


def refdata_upload_start(
    *,
    organisation: Organisation,
    choice: str,
    version: str,
    files: Sequence[tuple[str, Path]],
    headers_file: tuple[str, Path] | None,
    by: User,
    enqueue: Callable[[str, str], object],
) -> Job:
    """Keep the uploaded files and queue their load as a background job (the job page shows
    its progress, and names the row, column or file when the load is refused); ``enqueue``
    (upload id, job id) is the task's, passed by the caller."""
    if choice not in _PAGE_KINDS:
        raise ValidationError("Select what kind of file this is")
    kind, fixed_version = _PAGE_KINDS[choice]
    if kind == "codepoint" and headers_file is None:
        raise ValidationError(
            f"{', '.join(name for name, _ in files)}: Code-Point Open files have no header row; "
            "add its column headers file (Code-Point_Open_Column_Headers.csv)"
        )
    label = fixed_version or version.strip() or _version_from(files[0][0])
    if not VERSION_LABEL.fullmatch(label):
        raise ValidationError(
            f"Enter a version label of letters, digits, '.', '_' or '-' (not '{label}')"
        )
    folder = paths.refdata_uploads_dir(uuid.uuid4())
    folder.mkdir(parents=True)
    names: list[str] = []
    for name, source in files:
        safe = get_valid_filename(Path(name).name) or "upload.csv"
        if safe in names:
            shutil.rmtree(folder, ignore_errors=True)
            raise ValidationError(
                f"Two files are called {safe}; rows could not say which file they are from"
            )
        names.append(safe)
        shutil.copyfile(source, folder / safe)
    headers_name = ""
    if headers_file is not None and kind == "codepoint":
        headers_name = HEADERS_FILE_PREFIX + (get_valid_filename(headers_file[0]) or "headers.csv")
        shutil.copyfile(headers_file[1], folder / headers_name)
    (folder / UPLOAD_PARAMETERS).write_text(
        json.dumps({"kind": kind, "version": label, "files": names, "headers": headers_name}),
        encoding="utf-8",
    )
    described = LOADABLE_KINDS[kind].description
    with transaction.atomic(), acting_as(by):
        job = job_create(
            organisation=organisation,
            kind="reference_data_load",
            title=f"Load of {described} version {label}",
            by=by,
        )
    enqueue(folder.name, str(job.pk))
    return job


def _version_from(name: str) -> str:
    label = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(name).stem).strip("-.")
    return label or "1"


def refdata_upload_execute(*, upload_id: str, job: Job) -> str:
    """Load the kept files (the task's work); returns the load's page."""
    folder = paths.refdata_uploads_dir(upload_id)
    retry = reverse("cwb:refdata-new")
    if not (folder / UPLOAD_PARAMETERS).is_file():
        raise JobError(
            "The uploaded files are no longer here (a load is run once); upload them again",
            retry_url=retry,
        )
    wanted = json.loads((folder / UPLOAD_PARAMETERS).read_text(encoding="utf-8"))
    files = [folder / name for name in wanted["files"]]
    size = sum(f.stat().st_size for f in files)
    job_progress(
        job_id=job.pk,
        stage=f"Reading and checking {len(files)} file{pluralize(len(files))} "
        f"({filesizeformat(size)})",
    )
    by = job.created_by
    try:
        load = refdata_load(
            kind=wanted["kind"],
            files=files,
            version=wanted["version"],
            by=by if isinstance(by, User) else None,
            headers_file=folder / wanted["headers"] if wanted["headers"] else None,
        )
    except ReferenceLoadError as problem:
        raise JobError(f"Nothing was loaded: {problem}", retry_url=retry) from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    job_progress(job_id=job.pk, stage="Loaded", rows_done=load.row_count, rows_total=load.row_count)
    return reverse("cwb:refdata-detail", args=[load.pk])
