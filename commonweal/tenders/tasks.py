"""Background tasks: each takes ids and runs inside ``run_job``."""

from __future__ import annotations

from django_tasks import task

from commonweal.core.jobs import run_job
from commonweal.tenders import offline


@task()
def import_offer_workbook(job_id: str, offer_id: int, path: str, name: str, by_id: int) -> None:
    run_job(
        job_id,
        lambda job: offline.offer_workbook_import_job(
            job=job, offer_id=offer_id, path=path, name=name, by_id=by_id
        ),
    )
