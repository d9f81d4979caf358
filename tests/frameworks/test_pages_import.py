"""Importing a framework in the browser: upload, match columns, see every problem, or a draft."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commonweal.core.models import Job
from commonweal.frameworks.models import Framework, FrameworkVersion, VersionStatus
from commonweal.frameworks.views import IMPORT_PURPOSE, IMPORT_SESSION_KEY
from tests.frameworks.sample_frameworks import csv_bytes, sample_rows, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path) -> Path:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path, "base_url": None},
        },
    }
    return tmp_path


def details(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "National TOMs 2025",
        "publisher": "Social Value Portal",
        "licence": "CC BY-NC-ND 4.0",
        "values_restricted": "on",
        "year": "2025",
        "in_force_from_day": "1",
        "in_force_from_month": "4",
        "in_force_from_year": "2025",
        "price_base_year": "2024",
    }
    data.update(overrides)
    return data


def upload(client, content: bytes, filename: str = "toms.csv", **overrides: object):
    return client.post(
        reverse("frameworks:import"),
        {**details(**overrides), "file": SimpleUploadedFile(filename, content)},
    )


def suggested_mapping(client) -> dict[str, str]:
    page = client.get(reverse("frameworks:import-mapping"))
    form = page.context["form"]
    return {name: form.initial.get(name) or "" for name in form.fields}


def kept_uploads(settings) -> list[Path]:
    return list((Path(settings.DATA_DIR) / "uploads" / IMPORT_PURPOSE).iterdir())


def test_a_council_admin_imports_a_spreadsheet_as_a_draft_of_their_own(
    world, client_for, council_admin, settings
):
    client = client_for(council_admin)
    response = upload(client, csv_bytes(sample_rows()), "toms.csv")
    assert response.status_code == 302
    assert response["Location"] == reverse("frameworks:import-mapping")

    mapping_page = client.get(reverse("frameworks:import-mapping")).content.decode()
    assert "Match the columns" in mapping_page
    assert "T-ENV-01" in mapping_page  # the preview of the first rows
    assert '<option value="Measure code" selected>' in mapping_page  # guessed from headings

    response = client.post(reverse("frameworks:import-mapping"), suggested_mapping(client))
    version = FrameworkVersion.objects.get(framework__slug="national-toms-2025")
    assert response.status_code == 302
    assert response["Location"] == reverse("frameworks:version", args=[version.pk])
    assert version.status == VersionStatus.DRAFT
    assert version.framework.owner == world.council
    assert version.framework.values_restricted
    assert version.measures.count() == 3
    banner = client.get(response["Location"]).content.decode()
    assert "is imported as a draft with 3 measures" in banner
    assert "Publish this version" in banner
    # The uploaded file is deleted once imported.
    assert not kept_uploads(settings)
    assert IMPORT_SESSION_KEY not in client.session


def test_a_workbook_is_read_and_then_imported_by_background_jobs(
    world, client_for, council_admin, settings
):
    client = client_for(council_admin)
    response = upload(client, xlsx_bytes(sample_rows()), "toms.xlsx")
    reading = Job.objects.get(kind="framework_read")
    assert response["Location"] == reverse("accounts:job-detail", args=[reading.pk]) + "?follow=1"
    assert (reading.status, reading.title) == (Job.Status.SUCCEEDED, "Reading toms.xlsx")
    assert reading.result_url == reverse("frameworks:import-mapping")
    # The job's page goes on to the column step by itself once the job is done.
    job_page = client.get(response["Location"]).content.decode()
    assert f'<meta http-equiv="refresh" content="0; url={reading.result_url}">' in job_page
    assert "T-ENV-01" in client.get(reading.result_url).content.decode()

    response = client.post(reverse("frameworks:import-mapping"), suggested_mapping(client))
    importing = Job.objects.get(kind="framework_import")
    version = FrameworkVersion.objects.get(framework__slug="national-toms-2025")
    assert response["Location"] == reverse("accounts:job-detail", args=[importing.pk]) + "?follow=1"
    assert importing.status == Job.Status.SUCCEEDED
    assert importing.result_url == reverse("frameworks:version", args=[version.pk])
    assert version.measures.count() == 3
    assert not kept_uploads(settings)


def test_a_workbook_with_problems_lists_them_on_the_job_page_and_imports_nothing(
    world, client_for, council_admin
):
    rows = sample_rows()
    rows[1]["Unit"] = "furlongs"
    client = client_for(council_admin)
    upload(client, xlsx_bytes(rows), "toms.xlsx")
    response = client.post(reverse("frameworks:import-mapping"), suggested_mapping(client))
    job = Job.objects.get(kind="framework_import")
    assert job.status == Job.Status.FAILED
    assert "row 3, column 'Unit': 'furlongs' is not a known unit" in job.error
    assert job.result_url == reverse("frameworks:import-mapping")
    page = client.get(response["Location"]).content.decode()
    assert "furlongs" in page
    assert not Framework.objects.exists()


def test_a_bad_file_shows_every_problem_by_row_and_column_and_imports_nothing(
    world, client_for, council_admin
):
    rows = sample_rows()
    rows[1]["Unit"] = "furlongs"
    rows[0]["Proxy source"] = ""
    client = client_for(council_admin)
    upload(client, csv_bytes(rows))
    page = client.post(reverse("frameworks:import-mapping"), suggested_mapping(client))
    text = page.content.decode()
    assert page.status_code == 200
    assert "There are problems with toms.csv" in text
    assert "Nothing has been imported" in text
    assert (
        '<td class="govuk-table__cell">3</td>\n      <td class="govuk-table__cell">Unit</td>'
        in text
    )
    assert "&#x27;furlongs&#x27; is not a known unit" in text
    assert (
        '<td class="govuk-table__cell">2</td>\n      <td class="govuk-table__cell">Proxy source</td>'
        in text
    )
    assert reverse("frameworks:import-mapping") in text  # a way back to fix the mapping
    assert not Framework.objects.exists()
    # The mapping page still works, remembering what was chosen.
    assert client.get(reverse("frameworks:import-mapping")).status_code == 200


def test_leaving_a_required_field_unmatched_is_an_error_on_the_mapping_page(
    world, client_for, council_admin
):
    client = client_for(council_admin)
    upload(client, csv_bytes(sample_rows()))
    mapping = suggested_mapping(client)
    mapping["unit"] = ""
    page = client.post(reverse("frameworks:import-mapping"), mapping)
    assert "Select the column that holds the unit" in page.content.decode()
    assert not Framework.objects.exists()


def test_an_unreadable_or_wrong_kind_of_file_is_refused_at_upload(world, client_for, council_admin):
    client = client_for(council_admin)
    wrong_kind = upload(client, b"hello", "notes.txt")
    assert (
        "must be a CSV file, a spreadsheet (.xlsx, .xlsm, .xls or .ods) or a Commonweal JSON file"
        in wrong_kind.content.decode()
    )
    broken = upload(client, b"PK\x03\x04not a workbook", "toms.xlsx")  # read by a job
    assert (
        "toms.xlsx: the workbook cannot be read" in client.get(broken["Location"]).content.decode()
    )
    missing = client.post(reverse("frameworks:import"), details(name=""))
    text = missing.content.decode()
    assert "Select a CSV or Excel file to upload" in text
    assert "Enter the framework&#x27;s name" in text


def test_the_mapping_step_without_an_upload_sends_you_back_to_upload(
    world, client_for, council_admin
):
    response = client_for(council_admin).get(reverse("frameworks:import-mapping"))
    assert response.status_code == 302
    assert response["Location"] == reverse("frameworks:import")


def test_only_council_admins_may_import(
    world,
    client_for,
    council_officer,
    evaluator,
    contract_manager,
    viewer,
    supplier_user,
    partner_user,
):
    for person in (
        council_officer,
        evaluator,
        contract_manager,
        viewer,
        supplier_user,
        partner_user,
    ):
        client = client_for(person)
        assert client.get(reverse("frameworks:import")).status_code == 403
        assert upload(client, csv_bytes(sample_rows())).status_code == 403
        assert client.get(reverse("frameworks:import-mapping")).status_code == 403
    assert not Framework.objects.exists()


def test_another_councils_import_is_theirs_and_invisible_to_us(
    world, client_for, other_council_officer, council_officer
):
    client = client_for(other_council_officer)
    upload(client, csv_bytes(sample_rows()))
    client.post(reverse("frameworks:import-mapping"), suggested_mapping(client))
    framework = Framework.objects.get()
    assert framework.owner == world.other_council
    ours = client_for(council_officer)
    assert ours.get(reverse("frameworks:framework", args=[framework.pk])).status_code == 404
