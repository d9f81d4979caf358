"""Background tasks: each takes ids, runs inside ``run_job`` and reports progress."""

from __future__ import annotations

from django_tasks import task

from commonweal.core.jobs import run_job
from commonweal.cwb import engines, linking, refdata_store, services


@task()
def import_spend(run_id: str, job_id: str) -> None:
    run_job(job_id, lambda job: services.spend_import_execute(run_id=run_id, job=job))


@task()
def link_suppliers_task(link_run_id: str, job_id: str, engine: str = engines.DUCKDB) -> None:
    run_job(
        job_id,
        lambda job: linking.supplier_link_execute(
            link_run_id=int(link_run_id), job=job, engine=engine
        ),
    )


@task()
def load_reference_data(upload_id: str, job_id: str) -> None:
    run_job(job_id, lambda job: refdata_store.refdata_upload_execute(upload_id=upload_id, job=job))


@task()
def check_spend_files(
    job_id: str, organisation_id: int, publisher: str, files: list[list[str]], by_id: int | None
) -> None:
    run_job(
        job_id,
        lambda job: services.spend_files_check_job(
            job=job, organisation_id=organisation_id, publisher=publisher, files=files, by_id=by_id
        ),
    )


@task()
def import_creditor_file(
    job_id: str,
    organisation_id: int,
    path: str,
    name: str,
    confirmed: list[str],
    by_id: int | None,
) -> None:
    run_job(
        job_id,
        lambda job: services.creditor_file_import_job(
            job=job,
            organisation_id=organisation_id,
            path=path,
            name=name,
            confirmed=confirmed,
            by_id=by_id,
        ),
    )
