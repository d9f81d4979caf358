"""Writes for framework versions and deflator series: publish, retire, copy, import.

A version is written as a draft (by the importer or by copying last year's), checked and
published; once a newer version replaces it, it is retired. Published versions are never edited:
an offer is valued with the version in force when its tender was issued.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.models import Organisation, User
from commonweal.core.audit import acting_as
from commonweal.core.jobs import JobError
from commonweal.core.models import Job
from commonweal.core.uploads import upload_forget
from commonweal.frameworks.importing import (
    CellProblem,
    FrameworkImportError,
    ImportProblem,
    Table,
    framework_import,
    parse_decimal,
    parse_year,
    read_table,
    table_load,
    table_save,
)
from commonweal.frameworks.models import (
    DeflatorPoint,
    DeflatorSeries,
    FrameworkVersion,
    Measure,
    Outcome,
    ProxyValue,
    Theme,
    VersionStatus,
)
from commonweal.valuation import ValueType


def monetised_measures_without_provenance(version: FrameworkVersion) -> list[Measure]:
    """Monetised measures that lack a £ proxy, or whose proxy lacks a source or a licence."""
    lacking = []
    measures = version.measures.filter(value_type=ValueType.MONETISED.value).select_related("proxy")
    for measure in measures.order_by("position", "code"):
        try:
            proxy = measure.proxy
        except ProxyValue.DoesNotExist:
            lacking.append(measure)
            continue
        if not proxy.source_title.strip() or not proxy.licence.strip():
            lacking.append(measure)
    return lacking


def framework_version_publish(*, version: FrameworkVersion, by: User | None) -> FrameworkVersion:
    """Publish a draft, refusing while any monetised measure's value cannot be traced."""
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(
            f"Only a draft can be published; {version} is {version.get_status_display().lower()}"
        )
    if not version.measures.exists():
        raise ValidationError(f"{version} has no measures; import or add some first")
    lacking = monetised_measures_without_provenance(version)
    if lacking:
        codes = ", ".join(measure.code for measure in lacking)
        raise ValidationError(
            f"These monetised measures need a £ value per unit with a source and a licence "
            f"before {version} can be published: {codes}"
        )
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.full_clean()
    with transaction.atomic(), acting_as(by):
        version.save(update_fields=["status", "published_at"])
    return version


def framework_version_retire(*, version: FrameworkVersion, by: User | None) -> FrameworkVersion:
    """Retire a version so it is no longer offered for new tenders; past valuations keep it."""
    if version.status == VersionStatus.RETIRED:
        raise ValidationError(f"{version} is already retired")
    version.status = VersionStatus.RETIRED
    with transaction.atomic(), acting_as(by):
        version.save(update_fields=["status"])
    return version


def framework_version_copy(
    *, version: FrameworkVersion, year: int, in_force_from: date, by: User | None
) -> FrameworkVersion:
    """A new draft for `year` with the same themes, outcomes, measures and proxy values."""
    framework = version.framework
    if framework.versions.filter(year=year).exists():
        raise ValidationError(f"{framework.name} already has a {year} version")
    copy = FrameworkVersion(
        framework=framework,
        year=year,
        in_force_from=in_force_from,
        price_base_year=version.price_base_year,
        status=VersionStatus.DRAFT,
        notes=f"Copied from the {version.year} version.",
    )
    copy.full_clean()
    with transaction.atomic(), acting_as(by):
        copy.save()
        outcome_copies: dict[int, Outcome] = {}
        for theme in version.themes.prefetch_related("outcomes"):
            theme_copy = Theme.objects.create(
                version=copy, code=theme.code, name=theme.name, position=theme.position
            )
            for outcome in theme.outcomes.all():
                outcome_copies[outcome.pk] = Outcome.objects.create(
                    theme=theme_copy,
                    code=outcome.code,
                    name=outcome.name,
                    position=outcome.position,
                )
        for measure in version.measures.select_related("proxy"):
            try:
                proxy: ProxyValue | None = measure.proxy
            except ProxyValue.DoesNotExist:
                proxy = None
            measure_copy = Measure.objects.create(
                version=copy,
                outcome=outcome_copies[measure.outcome_id],
                code=measure.code,
                title=measure.title,
                description=measure.description,
                unit=measure.unit,
                value_type=measure.value_type,
                evidence_expected=measure.evidence_expected,
                counting_notes=measure.counting_notes,
                tags=list(measure.tags),
                light_set=measure.light_set,
                ppn002_outcomes=list(measure.ppn002_outcomes),
                cwb_pillars=list(measure.cwb_pillars),
                eflg_modules=list(measure.eflg_modules),
                position=measure.position,
            )
            if proxy is not None:
                ProxyValue.objects.create(
                    measure=measure_copy,
                    amount_per_unit=proxy.amount_per_unit,
                    price_year=proxy.price_year,
                    source_title=proxy.source_title,
                    source_url=proxy.source_url,
                    licence=proxy.licence,
                    confidence=proxy.confidence,
                    notes=proxy.notes,
                )
    return copy


DEFLATOR_FIELDS = ("year", "index")


def deflator_series_import(
    *,
    owner: Organisation | None,
    table: Table,
    name: str,
    slug: str,
    source_title: str,
    licence: str,
    by: User | None,
    source_url: str = "",
    mapping: dict[str, str] | None = None,
) -> DeflatorSeries:
    """Create a deflator series from a table of years and index values.

    `mapping` maps "year" and "index" to the table's headings; without it the columns headed
    "year" and "index" (any case) are used. Raises FrameworkImportError listing every problem,
    having written nothing.
    """
    problems: list[ImportProblem] = []
    if mapping is None:
        by_lower = {header.strip().lower(): header for header in table.headers}
        mapping = {name: by_lower.get(name, name) for name in DEFLATOR_FIELDS}
    columns: dict[str, int] = {}
    for field_name in DEFLATOR_FIELDS:
        heading = mapping.get(field_name, "")
        if heading in table.headers:
            columns[field_name] = table.column(heading)
        else:
            problems.append(
                ImportProblem(
                    None,
                    heading or field_name,
                    f"{table.filename or 'the file'} has no column with this heading; the "
                    f"{field_name} column is required",
                )
            )
    if not name.strip():
        problems.append(ImportProblem(None, None, "The series needs a name"))
    if not source_title.strip() or not licence.strip():
        problems.append(
            ImportProblem(None, None, "A deflator series needs its source and its licence")
        )
    if DeflatorSeries.objects.filter(owner=owner, slug=slug).exists():
        problems.append(ImportProblem(None, None, f"A deflator series {slug!r} already exists"))
    points: dict[int, Decimal] = {}
    first_row: dict[int, int] = {}
    if len(columns) == len(DEFLATOR_FIELDS):
        for number, cells in zip(table.row_numbers, table.rows, strict=True):
            year_heading, index_heading = mapping["year"], mapping["index"]
            try:
                year = parse_year(cells[columns["year"]])
            except CellProblem as problem:
                problems.append(ImportProblem(number, year_heading, str(problem)))
                year = None
            try:
                index = parse_decimal(
                    cells[columns["index"]], places=6, integer_digits=6, minimum=Decimal(0)
                )
                if index == 0:
                    raise CellProblem("an index must be above 0")
            except CellProblem as problem:
                problems.append(ImportProblem(number, index_heading, str(problem)))
                index = None
            if year is not None and year in first_row:
                problems.append(
                    ImportProblem(
                        number, year_heading, f"{year} is already given on row {first_row[year]}"
                    )
                )
            elif year is not None and index is not None:
                points[year] = index
                first_row[year] = number
    if not table.rows:
        problems.append(ImportProblem(None, None, f"{table.filename or 'The file'} has no years"))
    series = DeflatorSeries(
        owner=owner,
        slug=slug,
        name=name,
        source_title=source_title,
        source_url=source_url,
        licence=licence,
    )
    if not problems:
        try:
            series.full_clean()
        except ValidationError as error:
            problems.extend(ImportProblem(None, None, message) for message in error.messages)
    if problems:
        raise FrameworkImportError(problems)
    with transaction.atomic(), acting_as(by):
        series.save()
        for year, index in sorted(points.items()):
            DeflatorPoint.objects.create(series=series, year=year, index=index)
    return series


# --- uploads read in the background -----------------------------------------------------------


def framework_file_read(*, path: Path, filename: str) -> Table:
    """Read an uploaded framework file and keep its table beside it for the column step.
    Raises FrameworkImportError listing every problem with the file."""
    table = read_table(path, filename)
    if not table.rows:
        raise FrameworkImportError(
            [ImportProblem(None, None, f"{filename} has headings but no measures")]
        )
    table_save(table, path.parent)
    return table


def framework_file_read_job(*, job: Job, path: str, filename: str) -> str:
    """The background job of the upload step: read the file; the column step next."""
    try:
        framework_file_read(path=Path(path), filename=filename)
    except FrameworkImportError as error:
        upload_forget(Path(path))
        raise JobError.listing(error.problems, retry_url=reverse("frameworks:import")) from error
    return reverse("frameworks:import-mapping")


def framework_import_job(
    *,
    job: Job,
    path: str,
    filename: str,
    owner_id: int,
    mapping: dict[str, str],
    details: dict[str, Any],
    by_id: int | None,
) -> str:
    """The background job of the column step: import the table kept by the upload step."""
    upload = Path(path)
    try:
        version = framework_import(
            owner=Organisation.objects.get(pk=owner_id),
            table=table_load(upload.parent, filename),
            mapping=mapping,
            **{**details, "in_force_from": date.fromisoformat(details["in_force_from"])},
            by=_user(by_id),
        )
    except FrameworkImportError as error:
        raise JobError.listing(
            error.problems, retry_url=reverse("frameworks:import-mapping")
        ) from error
    upload_forget(upload)
    return reverse("frameworks:version", args=[version.pk])


def deflator_file_import(
    *, owner: Organisation, path: Path, filename: str, details: dict[str, str], by: User | None
) -> DeflatorSeries:
    """Create a deflator series from an uploaded file (see ``deflator_series_import``)."""
    return deflator_series_import(
        owner=owner,
        table=read_table(path, filename),
        name=details["name"],
        slug=details["slug"],
        source_title=details["source_title"],
        source_url=details["source_url"],
        licence=details["licence"],
        by=by,
    )


def deflator_file_import_job(
    *, job: Job, owner_id: int, path: str, filename: str, details: dict[str, str], by_id: int | None
) -> str:
    """The background job of a deflator upload: the series, or every problem with the file."""
    try:
        series = deflator_file_import(
            owner=Organisation.objects.get(pk=owner_id),
            path=Path(path),
            filename=filename,
            details=details,
            by=_user(by_id),
        )
    except FrameworkImportError as error:
        raise JobError.listing(
            error.problems, retry_url=reverse("frameworks:deflator-upload")
        ) from error
    finally:
        upload_forget(Path(path))
    return reverse("frameworks:deflator", args=[series.pk])


def _user(pk: int | None) -> User | None:
    return User.objects.filter(pk=pk).first() if pk is not None else None
