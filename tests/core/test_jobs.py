from __future__ import annotations

import pytest
from django.urls import reverse

from commonweal.core.jobs import JobError, job_claim, job_create, job_progress, run_job
from commonweal.core.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(world, council_officer) -> Job:
    return job_create(
        organisation=world.council, kind="test", title="Import spend 2024-25", by=council_officer
    )


def test_a_job_is_claimed_once(job):
    assert job_claim(job_id=job.pk) is True
    assert job_claim(job_id=job.pk) is False


def test_progress_never_exceeds_the_total(job):
    job_progress(job_id=job.pk, stage="Reading rows", rows_done=150, rows_total=100)
    job.refresh_from_db()
    assert (job.rows_done, job.rows_total, job.percent_done) == (100, 100, 100)


def test_a_job_that_fails_keeps_the_reason_and_can_be_run_again(job):
    def fails(_job: Job) -> str:
        raise JobError("Row 12 has no amount")

    run_job(job.pk, fails)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "Row 12 has no amount"

    run_job(job.pk, lambda _job: "/done/")
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.result_url == "/done/"


def test_the_progress_page_refreshes_until_the_job_finishes(
    job, client_for, council_officer, viewer
):
    job_progress(job_id=job.pk, stage="Reading rows", rows_done=25, rows_total=100)
    for person in (council_officer, viewer):
        page = (
            client_for(person).get(reverse("accounts:job-detail", args=[job.pk])).content.decode()
        )
        assert 'http-equiv="refresh"' in page
        assert 'value="25"' in page
        assert "Reading rows" in page
    run_job(job.pk, lambda _job: "/result/")
    page = (
        client_for(council_officer)
        .get(reverse("accounts:job-detail", args=[job.pk]))
        .content.decode()
    )
    assert 'http-equiv="refresh"' not in page
    assert 'href="/result/"' in page


def test_a_failed_job_shows_the_reason_in_a_banner(job, client_for, council_officer):
    run_job(job.pk, lambda _job: (_ for _ in ()).throw(JobError("The file has no amount column")))
    page = (
        client_for(council_officer)
        .get(reverse("accounts:job-detail", args=[job.pk]))
        .content.decode()
    )
    assert "govuk-notification-banner" in page
    assert "The file has no amount column" in page
    assert "Try again" not in page, "nowhere to start again was given"


def test_a_failed_job_leads_to_where_the_problem_can_be_put_right(job, client_for, council_officer):
    def work(_job):
        raise JobError("The file has no amount column", retry_url="/upload/")

    run_job(job.pk, work)
    page = (
        client_for(council_officer)
        .get(reverse("accounts:job-detail", args=[job.pk]))
        .content.decode()
    )
    assert (
        '<a class="govuk-button" href="/upload/" data-module="govuk-button">Try again</a>' in page
    )
    assert "See the result" not in page


def test_the_status_endpoint_reports_progress(job, client_for, council_officer):
    job_progress(job_id=job.pk, stage="Classifying", rows_done=5, rows_total=10)
    data = client_for(council_officer).get(reverse("accounts:job-status", args=[job.pk])).json()
    assert data["percent_done"] == 50
    assert data["stage"] == "Classifying"


def test_other_organisations_get_404_for_a_job(
    job, client_for, other_council_officer, supplier_user
):
    for person in (other_council_officer, supplier_user):
        client = client_for(person)
        assert client.get(reverse("accounts:job-detail", args=[job.pk])).status_code == 404
        assert client.get(reverse("accounts:job-status", args=[job.pk])).status_code == 404


def test_the_job_list_shows_an_empty_state_then_jobs(
    world, client_for, council_officer, other_council_officer
):
    page = client_for(other_council_officer).get(reverse("accounts:job-list")).content.decode()
    assert "There are no background jobs yet" in page
    job_create(organisation=world.council, kind="test", title="Import spend", by=council_officer)
    assert (
        "Import spend"
        in client_for(council_officer).get(reverse("accounts:job-list")).content.decode()
    )
    assert (
        "Import spend"
        not in client_for(other_council_officer).get(reverse("accounts:job-list")).content.decode()
    )
