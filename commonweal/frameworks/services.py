"""Writes for framework versions, deflator and carbon series: publish, retire, copy, import.

A version is written as a draft (by the importer or by copying last year's), checked and
published; once a newer version replaces it, it is retired. Published versions are never edited:
an offer is valued with the version in force when its tender was issued.
"""

from __future__ import annotations

from collections.abc import Callable
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
    EARLIEST_YEAR,
    LATEST_YEAR,
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
    CarbonPoint,
    CarbonSeries,
    DeflatorPoint,
    DeflatorSeries,
    FrameworkVersion,
    Measure,
    Outcome,
    ProxyValue,
    SourcedSeries,
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
CARBON_FIELDS = ("year", "value")


def _parse_index(text: str) -> Decimal:
    index = parse_decimal(text, places=6, integer_digits=6, minimum=Decimal(0))
    if index == 0:
        raise CellProblem("an index must be above 0")
    return index


def _parse_carbon_value(text: str) -> Decimal:
    value = parse_decimal(text, places=2, integer_digits=8, minimum=Decimal(0))
    if value == 0:
        raise CellProblem("a carbon value must be above £0 per tCO2e")
    return value


def _series_import(
    *,
    series: SourcedSeries,
    table: Table,
    mapping: dict[str, str] | None,
    value_field: str,
    parse_value: Callable[[str], Decimal],
    label: str,
    problems: list[ImportProblem],
    save_point: Callable[[int, Decimal], object],
    by: User | None,
) -> None:
    """Check and save a series of one value a year read from `table`, or raise
    FrameworkImportError listing every problem (with `problems` found by the caller), having
    written nothing.

    `mapping` maps "year" and `value_field` to the table's headings; without it the columns with
    those headings (any case) are used.
    """
    fields = ("year", value_field)
    if mapping is None:
        by_lower = {header.strip().lower(): header for header in table.headers}
        mapping = {name: by_lower.get(name, name) for name in fields}
    columns: dict[str, int] = {}
    column_problems = []
    for field_name in fields:
        heading = mapping.get(field_name, "")
        if heading in table.headers:
            columns[field_name] = table.column(heading)
        else:
            column_problems.append(
                ImportProblem(
                    None,
                    heading or field_name,
                    f"{table.filename or 'the file'} has no column with this heading; the "
                    f"{field_name} column is required",
                )
            )
    problems[:0] = column_problems
    if not series.name.strip():
        problems.append(ImportProblem(None, None, "The series needs a name"))
    if not series.source_title.strip() or not series.licence.strip():
        problems.append(ImportProblem(None, None, f"A {label} needs its source and its licence"))
    same_slug = {"owner_id": series.owner_id, "slug": series.slug}
    if type(series)._default_manager.filter(**same_slug).exists():
        problems.append(ImportProblem(None, None, f"A {label} {series.slug!r} already exists"))
    points: dict[int, Decimal] = {}
    first_row: dict[int, int] = {}
    if len(columns) == len(fields):
        year_heading, value_heading = mapping["year"], mapping[value_field]
        for number, cells in zip(table.row_numbers, table.rows, strict=True):
            try:
                year: int | None = parse_year(cells[columns["year"]])
            except CellProblem as problem:
                problems.append(ImportProblem(number, year_heading, str(problem)))
                year = None
            try:
                value: Decimal | None = parse_value(cells[columns[value_field]])
            except CellProblem as problem:
                problems.append(ImportProblem(number, value_heading, str(problem)))
                value = None
            if year is not None and year in first_row:
                problems.append(
                    ImportProblem(
                        number, year_heading, f"{year} is already given on row {first_row[year]}"
                    )
                )
            elif year is not None and value is not None:
                points[year] = value
                first_row[year] = number
    if not table.rows:
        problems.append(ImportProblem(None, None, f"{table.filename or 'The file'} has no years"))
    if not problems:
        try:
            series.full_clean()
        except ValidationError as error:
            problems.extend(ImportProblem(None, None, message) for message in error.messages)
    if problems:
        raise FrameworkImportError(problems)
    with transaction.atomic(), acting_as(by):
        series.save()
        for year, value in sorted(points.items()):
            save_point(year, value)


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
    series = DeflatorSeries(
        owner=owner,
        slug=slug,
        name=name,
        source_title=source_title,
        source_url=source_url,
        licence=licence,
    )
    _series_import(
        series=series,
        table=table,
        mapping=mapping,
        value_field="index",
        parse_value=_parse_index,
        label="deflator series",
        problems=[],
        save_point=lambda year, index: DeflatorPoint.objects.create(
            series=series, year=year, index=index
        ),
        by=by,
    )
    return series


def carbon_series_import(
    *,
    owner: Organisation | None,
    table: Table,
    name: str,
    slug: str,
    price_year: int,
    source_title: str,
    licence: str,
    by: User | None,
    source_url: str = "",
    mapping: dict[str, str] | None = None,
) -> CarbonSeries:
    """Create a council's carbon value series from a table of years and £ per tCO2e, in the
    prices of `price_year`. Its source (who published the values) and licence are required:
    a value is never taken without them.

    `mapping` maps "year" and "value" to the table's headings; without it the columns headed
    "year" and "value" (any case) are used. Raises FrameworkImportError listing every problem,
    having written nothing.
    """
    problems = []
    if not EARLIEST_YEAR <= price_year <= LATEST_YEAR:
        problems.append(
            ImportProblem(
                None,
                None,
                f"The price year {price_year} is not a year between {EARLIEST_YEAR} and "
                f"{LATEST_YEAR}, like 2024",
            )
        )
    series = CarbonSeries(
        owner=owner,
        slug=slug,
        name=name,
        price_year=price_year,
        source_title=source_title,
        source_url=source_url,
        licence=licence,
    )
    _series_import(
        series=series,
        table=table,
        mapping=mapping,
        value_field="value",
        parse_value=_parse_carbon_value,
        label="carbon series",
        problems=problems,
        save_point=lambda year, value: CarbonPoint.objects.create(
            series=series, year=year, value=value
        ),
        by=by,
    )
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
    *, owner: Organisation, path: Path, filename: str, details: dict[str, Any], by: User | None
) -> DeflatorSeries:
    """Create a deflator series from an uploaded file (see ``deflator_series_import``)."""
    return deflator_series_import(owner=owner, table=read_table(path, filename), **details, by=by)


def carbon_file_import(
    *, owner: Organisation, path: Path, filename: str, details: dict[str, Any], by: User | None
) -> CarbonSeries:
    """Create a carbon value series from an uploaded file (see ``carbon_series_import``)."""
    return carbon_series_import(owner=owner, table=read_table(path, filename), **details, by=by)


def _series_file_import_job(
    import_file: Callable[..., SourcedSeries],
    *,
    owner_id: int,
    path: str,
    filename: str,
    details: dict[str, Any],
    by_id: int | None,
    upload_url: str,
    series_url: str,
) -> str:
    """The background job of a series upload: the series' page, or every problem with the
    file (the upload is forgotten either way)."""
    try:
        series = import_file(
            owner=Organisation.objects.get(pk=owner_id),
            path=Path(path),
            filename=filename,
            details=details,
            by=_user(by_id),
        )
    except FrameworkImportError as error:
        raise JobError.listing(error.problems, retry_url=reverse(upload_url)) from error
    finally:
        upload_forget(Path(path))
    return reverse(series_url, args=[series.pk])


def deflator_file_import_job(
    *, job: Job, owner_id: int, path: str, filename: str, details: dict[str, str], by_id: int | None
) -> str:
    """The background job of a deflator upload: the series, or every problem with the file."""
    return _series_file_import_job(
        deflator_file_import,
        owner_id=owner_id,
        path=path,
        filename=filename,
        details=details,
        by_id=by_id,
        upload_url="frameworks:deflator-upload",
        series_url="frameworks:deflator",
    )


def carbon_file_import_job(
    *, job: Job, owner_id: int, path: str, filename: str, details: dict[str, Any], by_id: int | None
) -> str:
    """The background job of a carbon series upload: the series, or every problem with it."""
    return _series_file_import_job(
        carbon_file_import,
        owner_id=owner_id,
        path=path,
        filename=filename,
        details=details,
        by_id=by_id,
        upload_url="frameworks:carbon-upload",
        series_url="frameworks:carbon",
    )


def _user(pk: int | None) -> User | None:
    return User.objects.filter(pk=pk).first() if pk is not None else None
