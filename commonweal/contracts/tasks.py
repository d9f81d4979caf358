"""Background tasks: checking and importing a contracts register read from a workbook or a
large file (never while the web request waits). Each takes ids and runs inside ``run_job``."""

from __future__ import annotations

from django_tasks import task

from commonweal.contracts import importing
from commonweal.core.jobs import run_job


@task()
def check_register(job_id: str, path: str, name: str, council_id: int, version_id: int) -> None:
    run_job(
        job_id,
        lambda job: importing.register_check_job(
            job=job, path=path, name=name, council_id=council_id, version_id=version_id
        ),
    )


@task()
def import_register(
    job_id: str, path: str, council_id: int, version_id: int, price_year: int, by_id: int
) -> None:
    run_job(
        job_id,
        lambda job: importing.register_import_job(
            job=job,
            path=path,
            council_id=council_id,
            version_id=version_id,
            price_year=price_year,
            by_id=by_id,
        ),
    )
