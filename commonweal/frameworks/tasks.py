"""Background tasks: reading and importing uploaded framework, deflator and carbon series files
(a workbook, or a large file, is never read while the web request waits). Each takes ids and
runs inside ``run_job``."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from commonweal.core.jobs import run_job
from commonweal.frameworks import services


@task()
def read_framework_file(job_id: str, path: str, filename: str) -> None:
    run_job(
        job_id, lambda job: services.framework_file_read_job(job=job, path=path, filename=filename)
    )


@task()
def import_framework(
    job_id: str,
    path: str,
    filename: str,
    owner_id: int,
    mapping: dict[str, str],
    details: dict[str, Any],
    by_id: int | None,
) -> None:
    run_job(
        job_id,
        lambda job: services.framework_import_job(
            job=job,
            path=path,
            filename=filename,
            owner_id=owner_id,
            mapping=mapping,
            details=details,
            by_id=by_id,
        ),
    )


@task()
def import_deflator(
    job_id: str,
    owner_id: int,
    path: str,
    filename: str,
    details: dict[str, str],
    by_id: int | None,
) -> None:
    run_job(
        job_id,
        lambda job: services.deflator_file_import_job(
            job=job, owner_id=owner_id, path=path, filename=filename, details=details, by_id=by_id
        ),
    )


@task()
def import_carbon_series(
    job_id: str,
    owner_id: int,
    path: str,
    filename: str,
    details: dict[str, Any],
    by_id: int | None,
) -> None:
    run_job(
        job_id,
        lambda job: services.carbon_file_import_job(
            job=job, owner_id=owner_id, path=path, filename=filename, details=details, by_id=by_id
        ),
    )
