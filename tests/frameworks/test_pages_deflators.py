"""Deflator series pages: list, read, upload, and choose one for a draft measure set version."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commonweal.core.models import Job
from commonweal.frameworks import local_sets
from commonweal.frameworks.models import DeflatorPoint, DeflatorSeries
from tests.frameworks.measures_world import MeasuresWorld, build_measures_world
from tests.frameworks.sample_frameworks import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

SOURCE = "HM Treasury GDP deflators at market prices"


@pytest.fixture
def measures(world) -> MeasuresWorld:
    return build_measures_world(world.council)


def make_series(owner, *, slug: str, name: str, years: dict[int, str] | None = None):
    series = DeflatorSeries.objects.create(
        owner=owner,
        slug=slug,
        name=name,
        source_title=SOURCE,
        source_url="https://www.gov.uk/government/collections/gdp-deflators-at-market-prices",
        licence="Open Government Licence v3.0",
    )
    for year, index in (years or {2020: "90", 2024: "100"}).items():
        DeflatorPoint.objects.create(series=series, year=year, index=Decimal(index))
    return series


def upload(client, content: bytes, filename: str = "deflators.csv", **overrides: str):
    data = {
        "name": "GDP deflator (September 2025)",
        "source_title": SOURCE,
        "licence": "Open Government Licence v3.0",
        "source_url": "",
        **overrides,
        "file": SimpleUploadedFile(filename, content),
    }
    return client.post(reverse("frameworks:deflator-upload"), data)


# --- The list and a series' page ------------------------------------------------------------


def test_the_list_is_empty_until_a_series_is_uploaded_and_says_what_to_do(
    world, client_for, council_admin, viewer
):
    admin_page = client_for(council_admin).get(reverse("frameworks:deflator-list")).content
    assert "There are no deflator series of your own or shared yet" in admin_page.decode()
    assert "Upload a deflator series" in admin_page.decode()
    viewer_page = client_for(viewer).get(reverse("frameworks:deflator-list")).content.decode()
    assert "Your council admin can upload one" in viewer_page
    assert reverse("frameworks:deflator-upload") not in viewer_page


def test_the_list_shows_the_councils_and_shared_series_with_source_licence_and_years(
    world, client_for, viewer
):
    make_series(world.council, slug="ours", name="Our GDP deflator")
    make_series(None, slug="shared", name="Shared GDP deflator", years={2023: "98"})
    make_series(world.other_council, slug="theirs", name="Sheffield deflator")

    page = client_for(viewer).get(reverse("frameworks:deflator-list")).content.decode()

    assert "Our GDP deflator" in page
    assert "Shared GDP deflator" in page
    assert "Shared with every council" in page
    assert SOURCE in page
    assert "Open Government Licence v3.0" in page
    assert "2020 to 2024 (2 years)" in page
    assert "2023 to 2023 (1 year)" in page
    assert "Sheffield deflator" not in page


def test_members_read_a_series_and_outsiders_get_404(
    world, client_for, council_admin, viewer, other_council_officer, supplier_user
):
    ours = make_series(world.council, slug="ours", name="Our GDP deflator")
    url = reverse("frameworks:deflator", args=[ours.pk])
    for person in (council_admin, viewer):
        page = client_for(person).get(url)
        assert page.status_code == 200
        assert "90.000000" in page.content.decode()
    for person in (other_council_officer, supplier_user):
        assert client_for(person).get(url).status_code == 404


def test_the_measure_set_pages_link_to_the_deflator_series(measures, client_for, viewer):
    page = client_for(viewer).get(reverse("frameworks:set-list")).content.decode()
    assert reverse("frameworks:deflator-list") in page


def test_anonymous_visitors_are_sent_to_sign_in(world, client):
    for url in (reverse("frameworks:deflator-list"), reverse("frameworks:deflator-upload")):
        assert client.get(url).status_code == 302


# --- Uploading ------------------------------------------------------------------------------


def test_a_council_admin_uploads_a_series_for_their_council(world, client_for, council_admin):
    client = client_for(council_admin)
    content = csv_bytes([{"Year": "2023", "Index": "97.5"}, {"Year": "2024", "Index": "100"}])

    response = upload(client, content, "deflators.csv")

    series = DeflatorSeries.objects.get()
    assert response["Location"] == reverse("frameworks:deflator", args=[series.pk])
    assert series.owner == world.council
    assert series.slug == "gdp-deflator-september-2025"
    assert list(series.points.values_list("year", flat=True)) == [2023, 2024]
    page = client.get(response["Location"]).content.decode()
    assert "is imported with 2 years, 2023 to 2024" in page


def test_a_workbook_is_imported_by_a_background_job(world, client_for, council_admin):
    client = client_for(council_admin)
    content = xlsx_bytes([{"Year": "2023", "Index": "97.5"}, {"Year": "2024", "Index": "100"}])

    response = upload(client, content, "deflators.xlsx")

    series = DeflatorSeries.objects.get()
    job = Job.objects.get(kind="deflator_import")
    assert response["Location"] == reverse("accounts:job-detail", args=[job.pk]) + "?follow=1"
    assert (job.status, job.result_url) == (
        Job.Status.SUCCEEDED,
        reverse("frameworks:deflator", args=[series.pk]),
    )
    assert list(series.points.values_list("year", flat=True)) == [2023, 2024]


def test_a_workbook_with_bad_rows_lists_them_on_the_job_page_and_saves_nothing(
    world, client_for, council_admin
):
    content = xlsx_bytes([{"Year": "2023", "Index": "97"}, {"Year": "2024", "Index": "-1"}])
    client = client_for(council_admin)
    response = upload(client, content, "deflators.xlsx")
    job = Job.objects.get(kind="deflator_import")
    assert job.status == Job.Status.FAILED
    assert job.result_url == reverse("frameworks:deflator-upload")
    assert "row 3" in job.error and "Index" in job.error
    assert "row 3" in client.get(response["Location"]).content.decode()
    assert not DeflatorSeries.objects.exists()


def test_an_upload_with_bad_rows_names_row_and_column_and_saves_nothing(
    world, client_for, council_admin
):
    content = csv_bytes(
        [
            {"Year": "2023", "Index": "97"},
            {"Year": "2023", "Index": "98"},
            {"Year": "2024", "Index": "-1"},
        ]
    )

    page = upload(client_for(council_admin), content)

    assert page.status_code == 200
    text = page.content.decode()
    assert "There is a problem" in text
    assert "row 3, column &#x27;Year&#x27;: 2023 is already given on row 2" in text
    assert "row 4, column &#x27;Index&#x27;" in text
    assert not DeflatorSeries.objects.exists()


def test_an_upload_without_the_details_or_a_spreadsheet_is_refused(
    world, client_for, council_admin
):
    page = upload(client_for(council_admin), b"year,index\n2024,100\n", "deflators.pdf", name="")
    text = page.content.decode()
    assert "Enter a name for the deflator series" in text
    assert (
        "deflators.pdf: the selected file must be a CSV file or a spreadsheet (.xlsx, .xlsm, .xls "
        "or .ods)" in text
    )
    assert not DeflatorSeries.objects.exists()


def test_a_second_series_with_the_same_name_is_refused(world, client_for, council_admin):
    client = client_for(council_admin)
    upload(client, b"year,index\n2024,100\n")
    page = upload(client, b"year,index\n2024,100\n")
    assert "already exists" in page.content.decode()
    assert DeflatorSeries.objects.count() == 1


def test_only_a_council_admin_may_upload(
    world, client_for, council_officer, viewer, other_council_officer, supplier_user
):
    for person in (council_officer, viewer, supplier_user):
        client = client_for(person)
        assert client.get(reverse("frameworks:deflator-upload")).status_code == 403
        assert upload(client, b"year,index\n2024,100\n").status_code == 403
    assert not DeflatorSeries.objects.exists()


# --- Choosing the series for a draft set version --------------------------------------------


def test_a_council_admin_chooses_a_series_for_a_draft_and_the_version_shows_it(
    world, measures, client_for, council_admin
):
    client = client_for(council_admin)
    series = make_series(world.council, slug="ours", name="Our GDP deflator")
    draft = local_sets.set_version_create_draft(measure_set=measures.measure_set, by=None)
    url = reverse("frameworks:set-version-deflator", args=[draft.pk])

    editor = client.get(reverse("frameworks:set-version-edit", args=[draft.pk])).content.decode()
    assert "Deflator series used to re-base values" in editor
    assert "Our GDP deflator" in editor

    response = client.post(url, {"deflator": series.pk})

    assert response["Location"] == reverse("frameworks:set-version-edit", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.deflator == series
    page = client.get(reverse("frameworks:set-version", args=[draft.pk])).content.decode()
    assert "Our GDP deflator</a>, used to re-base values" in page

    client.post(url, {"deflator": ""})
    draft.refresh_from_db()
    assert draft.deflator is None
    page = client.get(reverse("frameworks:set-version", args=[draft.pk])).content.decode()
    assert "None chosen: values are re-based with HM Treasury's GDP deflator" in page


def test_another_councils_series_is_not_offered_and_cannot_be_chosen(
    world, measures, client_for, council_admin
):
    client = client_for(council_admin)
    theirs = make_series(world.other_council, slug="theirs", name="Sheffield deflator")
    draft = local_sets.set_version_create_draft(measure_set=measures.measure_set, by=None)

    editor = client.get(reverse("frameworks:set-version-edit", args=[draft.pk])).content.decode()
    assert "Sheffield deflator" not in editor

    page = client.post(
        reverse("frameworks:set-version-deflator", args=[draft.pk]), {"deflator": theirs.pk}
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "There is a problem" in text
    assert "Select one of the deflator series listed" in text
    draft.refresh_from_db()
    assert draft.deflator is None


def test_a_published_version_keeps_its_series(world, measures, client_for, council_admin):
    series = make_series(world.council, slug="ours", name="Our GDP deflator")
    response = client_for(council_admin).post(
        reverse("frameworks:set-version-deflator", args=[measures.set_version.pk]),
        {"deflator": series.pk},
    )
    assert response["Location"] == reverse("frameworks:set-version", args=[measures.set_version.pk])
    measures.set_version.refresh_from_db()
    assert measures.set_version.deflator is None


def test_readers_see_the_series_in_use_but_may_not_choose_one(
    world, measures, client_for, council_officer, viewer
):
    series = make_series(world.council, slug="ours", name="Our GDP deflator")
    draft = local_sets.set_version_create_draft(measure_set=measures.measure_set, by=None)
    local_sets.set_version_deflator_choose(set_version=draft, deflator=series, by=None)
    for person in (council_officer, viewer):
        client = client_for(person)
        page = client.get(reverse("frameworks:set-version", args=[draft.pk])).content.decode()
        assert "Our GDP deflator" in page
        url = reverse("frameworks:set-version-deflator", args=[draft.pk])
        assert client.post(url, {"deflator": ""}).status_code == 403
    draft.refresh_from_db()
    assert draft.deflator == series


def test_outsiders_get_404_for_choosing_a_series_for_the_councils_version(
    world, measures, client_for, other_council_officer, supplier_user
):
    series = make_series(world.council, slug="ours", name="Our GDP deflator")
    draft = local_sets.set_version_create_draft(measure_set=measures.measure_set, by=None)
    for person in (other_council_officer, supplier_user):
        url = reverse("frameworks:set-version-deflator", args=[draft.pk])
        assert client_for(person).post(url, {"deflator": series.pk}).status_code == 404
    draft.refresh_from_db()
    assert draft.deflator is None
