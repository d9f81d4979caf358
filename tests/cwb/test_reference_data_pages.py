"""Loading registers, postcodes and deprivation from the pages, as a background job with its
progress page; the matches show in the supplier register and the analysis."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commonweal.core.models import Job
from commonweal.cwb import paths, services, tasks
from commonweal.cwb.models import ReferenceDataLoad, RegisterSupplier

pytestmark = pytest.mark.django_db

COMPANIES = (
    "CompanyName, CompanyNumber,RegAddress.PostCode, CompanyCategory, CompanyStatus,"
    "Accounts.AccountCategory, SICCode.SicText_1\n"
    '"DON VALLEY CATERING LIMITED","01234567","S60 1QP","Private Limited Company","Active",'
    '"MICRO ENTITY","56290 - Other food services"\n'
    '"NORTHERN INFRASTRUCTURE GROUP PLC","07654321","LS1 4AP","Public Limited Company",'
    '"Active","FULL","42990 - Construction of other civil engineering projects n.e.c."\n'
)


def csv_upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def load_on_page(client, kind: str, *files, **fields):
    return client.post(
        reverse("cwb:refdata-new"), {"kind": kind, "reference_files": list(files), **fields}
    )


def test_a_council_admin_loads_companies_house_as_a_job_and_sees_the_load(
    client_for, council_admin
):
    client = client_for(council_admin)
    assert "Load a file" in client.get(reverse("cwb:refdata-list")).content.decode()
    response = load_on_page(
        client, "companies-house", csv_upload("BasicCompanyData-part1.csv", COMPANIES)
    )
    job = Job.objects.get(kind="reference_data_load")
    assert response["Location"] == reverse("accounts:job-detail", args=[job.pk])
    assert job.status == Job.Status.SUCCEEDED, job.error
    load = ReferenceDataLoad.objects.get(kind="companies")
    assert (load.version, load.row_count, load.loaded_by) == (
        "BasicCompanyData-part1",
        2,
        council_admin,
    )
    assert "BasicCompanyData-part1.csv" in load.source_hashes
    assert job.result_url == reverse("cwb:refdata-detail", args=[load.pk])
    detail = client.get(job.result_url).content.decode()
    assert "Rows loaded" in detail and "the newest load of its kind" in detail
    assert "In use" in client.get(reverse("cwb:refdata-list")).content.decode()
    assert not list((paths.data_dir() / "refdata-uploads").iterdir())


def test_a_file_without_the_columns_fails_the_job_naming_file_and_column(client_for, council_admin):
    client = client_for(council_admin)
    load_on_page(client, "charities", csv_upload("charity.csv", "name,town\nA,B\n"))
    job = Job.objects.get(kind="reference_data_load")
    assert job.status == Job.Status.FAILED
    assert "Nothing was loaded: charity.csv: no column like 'registeredcharitynumber'" in (
        job.error
    )
    assert job.result_url == reverse("cwb:refdata-new")
    assert not ReferenceDataLoad.objects.exists()
    page = client.get(reverse("accounts:job-detail", args=[job.pk])).content.decode()
    assert "charity.csv: no column like" in page and "Try again" in page


def test_rows_that_cannot_be_used_are_listed_by_row_and_column(client_for, council_admin):
    client = client_for(council_admin)
    postcodes = (
        "pcds,doterm,laua,rgn\nS60 1QP,,E08000018,E12000003\n=S60 1AA,,E08000018,E12000003\n"
    )
    load_on_page(client, "postcodes", csv_upload("nspl.csv", postcodes), version="2025-11")
    load = ReferenceDataLoad.objects.get(kind="postcodes")
    assert (load.version, load.row_count, load.rows_rejected) == ("2025-11", 1, 1)
    page = client.get(reverse("cwb:refdata-detail", args=[load.pk])).content.decode()
    assert "nspl.csv" in page and ">3<" in page and "pcds" in page and "=S60 1AA" in page
    download = client.get(reverse("cwb:refdata-rejects", args=[load.pk]))
    assert b"=S60 1AA" in b"".join(download.streaming_content)


def test_deprivation_takes_its_year_as_the_version(client_for, council_admin):
    load_on_page(
        client_for(council_admin),
        "deprivation-2025",
        csv_upload("File_7.csv", "lsoa21_code,IMD_decile\nE01000001,1\n"),
        version="ignored",
    )
    assert ReferenceDataLoad.objects.get(kind="deprivation").version == "2025"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "codepoint"}, "have no header row; add its column headers file"),
        ({"kind": "postcodes", "version": "2025 November"}, "Enter a version label"),
        ({"kind": "nonsense"}, "Select a valid choice"),
    ],
)
def test_what_cannot_be_loaded_is_said_on_the_form(client_for, council_admin, fields, message):
    response = client_for(council_admin).post(
        reverse("cwb:refdata-new"),
        {"reference_files": [csv_upload("s.csv", "a\n1\n")], **fields},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Job.objects.exists()


def test_an_empty_form_names_what_is_missing(client_for, council_admin):
    page = client_for(council_admin).post(reverse("cwb:refdata-new"), {}).content.decode()
    assert "Select what kind of file this is" in page and "Select at least one file" in page


def test_only_a_council_admin_may_load_and_everyone_with_pages_may_read(
    client_for, council_officer, viewer, partner_user, supplier_user, other_council_officer
):
    admin_of_other = client_for(other_council_officer)
    load_on_page(admin_of_other, "companies-house", csv_upload("ch.csv", COMPANIES))
    load = ReferenceDataLoad.objects.get()
    for person in (council_officer, viewer, partner_user):
        client = client_for(person)
        assert client.get(reverse("cwb:refdata-new")).status_code == 403
        assert (
            load_on_page(client, "companies-house", csv_upload("x.csv", COMPANIES)).status_code
            == 403
        )
        # Reference data is shared by every organisation: readable, not theirs to load.
        assert client.get(reverse("cwb:refdata-detail", args=[load.pk])).status_code == 200
        assert "Load a file" not in client.get(reverse("cwb:refdata-list")).content.decode()
    outsider = client_for(supplier_user)
    assert outsider.get(reverse("cwb:refdata-list")).status_code == 404
    assert outsider.get(reverse("cwb:refdata-detail", args=[load.pk])).status_code == 404
    assert (
        client_for(viewer).get(reverse("cwb:refdata-detail", args=[load.pk + 1])).status_code == 404
    )
    assert ReferenceDataLoad.objects.count() == 1


def test_register_matches_show_in_the_supplier_register_and_the_analysis(
    client_for, council_admin, council_officer, analysed
):
    client = client_for(council_admin)
    load_on_page(client, "companies-house", csv_upload("ch.csv", COMPANIES))
    services.supplier_link_start(
        organisation=analysed.council, by=council_officer, enqueue=tasks.link_suppliers_task.enqueue
    )
    don_valley = RegisterSupplier.objects.get(display_name__icontains="DON VALLEY")
    assert don_valley.register_match == "Companies House, by name and postcode"
    assert don_valley.company_number == "01234567"
    detail = client.get(reverse("cwb:supplier-detail", args=[don_valley.pk])).content.decode()
    assert "Companies House, by name and postcode" in detail
    analysis = client.get(reverse("cwb:analysis")).content.decode()
    assert "I Accommodation and food service activities" in analysis
    assert "F Construction" in analysis
