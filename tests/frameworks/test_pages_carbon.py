"""Carbon value series pages: list, read, upload (a background job for a workbook), and choose a
series or a DESNZ path for a draft measure set version; who may, who may only read, and the
other council's officer gets 404."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commonweal.core.models import Job
from commonweal.core.views import PAGE_SIZE
from commonweal.frameworks import local_sets
from commonweal.frameworks.models import CarbonPoint, CarbonSeries, LocalMeasureSetVersion
from tests.frameworks.measures_world import MeasuresWorld, build_measures_world
from tests.frameworks.sample_frameworks import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

SOURCE = "Rotherham MBC Climate Emergency Action Plan, annex B"


@pytest.fixture
def measures(world) -> MeasuresWorld:
    return build_measures_world(world.council)


def make_series(owner, *, slug: str, name: str, years: dict[int, str] | None = None):
    series = CarbonSeries.objects.create(
        owner=owner,
        slug=slug,
        name=name,
        price_year=2024,
        source_title=SOURCE,
        licence="Open Government Licence v3.0",
    )
    for year, value in (years or {2025: "300.00", 2026: "310.25"}).items():
        CarbonPoint.objects.create(series=series, year=year, value=Decimal(value))
    return series


def upload(client, content: bytes, filename: str = "carbon.csv", **overrides: str):
    data = {
        "name": "Rotherham carbon values 2026",
        "source_title": SOURCE,
        "licence": "Open Government Licence v3.0",
        "source_url": "",
        "price_year": "2024",
        **overrides,
        "file": SimpleUploadedFile(filename, content),
    }
    return client.post(reverse("frameworks:carbon-upload"), data)


# --- The list and a series' page ------------------------------------------------------------


def test_the_list_is_empty_until_a_series_is_uploaded_and_says_what_to_do(
    world, client_for, council_admin, viewer
):
    admin_page = client_for(council_admin).get(reverse("frameworks:carbon-list")).content
    assert "There are no carbon series of your own or shared yet" in admin_page.decode()
    assert reverse("frameworks:carbon-upload") in admin_page.decode()
    viewer_page = client_for(viewer).get(reverse("frameworks:carbon-list")).content.decode()
    assert "Your council admin can upload one" in viewer_page
    assert reverse("frameworks:carbon-upload") not in viewer_page


def test_the_list_shows_the_councils_and_shared_series_but_not_another_councils(
    world, client_for, viewer
):
    make_series(world.council, slug="ours", name="Our carbon values")
    make_series(None, slug="shared", name="Shared carbon values", years={2030: "350"})
    make_series(world.other_council, slug="theirs", name="Sheffield carbon values")

    page = client_for(viewer).get(reverse("frameworks:carbon-list")).content.decode()

    assert "Our carbon values" in page
    assert "Shared carbon values" in page and "Shared with every council" in page
    assert SOURCE in page
    assert "2024 prices" in page
    assert "2025 to 2026 (2 years)" in page
    assert "2030 to 2030 (1 year)" in page
    assert "Sheffield carbon values" not in page


def test_the_list_is_paginated(world, client_for, viewer):
    for number in range(PAGE_SIZE + 1):
        make_series(world.council, slug=f"s{number:03}", name=f"Series {number:03}")
    client = client_for(viewer)
    first = client.get(reverse("frameworks:carbon-list")).content.decode()
    second = client.get(reverse("frameworks:carbon-list") + "?page=2").content.decode()
    assert "Series 000" in first and f"Series {PAGE_SIZE:03}" not in first
    assert f"Series {PAGE_SIZE:03}" in second and "Series 000" not in second


def test_members_read_every_year_and_outsiders_get_404(
    world, client_for, council_admin, council_officer, viewer, other_council_officer, supplier_user
):
    ours = make_series(world.council, slug="ours", name="Our carbon values")
    url = reverse("frameworks:carbon", args=[ours.pk])
    for person in (council_admin, council_officer, viewer):
        page = client_for(person).get(url)
        assert page.status_code == 200
        text = page.content.decode()
        assert "£300.00" in text and "£310.25" in text
        assert "2024 prices" in text and SOURCE in text
    for person in (other_council_officer, supplier_user):
        assert client_for(person).get(url).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(world, client):
    ours = make_series(world.council, slug="ours", name="Our carbon values")
    for url in (
        reverse("frameworks:carbon-list"),
        reverse("frameworks:carbon-upload"),
        reverse("frameworks:carbon", args=[ours.pk]),
    ):
        assert client.get(url).status_code == 302


# --- Uploading ------------------------------------------------------------------------------


def test_a_council_admin_uploads_a_series_for_their_council(world, client_for, council_admin):
    client = client_for(council_admin)
    content = csv_bytes([{"Year": "2025", "Value": "300"}, {"Year": "2026", "Value": "310.5"}])

    response = upload(client, content)

    series = CarbonSeries.objects.get()
    assert response["Location"] == reverse("frameworks:carbon", args=[series.pk])
    assert (series.owner, series.slug, series.price_year) == (
        world.council,
        "rotherham-carbon-values-2026",
        2024,
    )
    assert list(series.points.values_list("year", flat=True)) == [2025, 2026]
    page = client.get(response["Location"]).content.decode()
    assert "is imported with 2 years, 2025 to 2026" in page


def test_a_workbook_is_imported_by_a_background_job(world, client_for, council_admin):
    content = xlsx_bytes([{"Year": "2025", "Value": "300"}, {"Year": "2026", "Value": "310"}])

    response = upload(client_for(council_admin), content, "carbon.xlsx")

    series = CarbonSeries.objects.get()
    job = Job.objects.get(kind="carbon_import")
    assert response["Location"] == reverse("accounts:job-detail", args=[job.pk]) + "?follow=1"
    assert (job.status, job.result_url) == (
        Job.Status.SUCCEEDED,
        reverse("frameworks:carbon", args=[series.pk]),
    )
    assert series.price_year == 2024


def test_a_workbook_with_bad_rows_lists_them_on_the_job_page_and_saves_nothing(
    world, client_for, council_admin
):
    content = xlsx_bytes([{"Year": "2025", "Value": "300"}, {"Year": "2026", "Value": "-1"}])
    client = client_for(council_admin)
    response = upload(client, content, "carbon.xlsx")
    job = Job.objects.get(kind="carbon_import")
    assert job.status == Job.Status.FAILED
    assert job.result_url == reverse("frameworks:carbon-upload")
    assert "row 3" in job.error and "Value" in job.error and "'-1'" in job.error
    assert "row 3" in client.get(response["Location"]).content.decode()
    assert not CarbonSeries.objects.exists()


def test_an_upload_with_bad_rows_names_row_column_and_value_and_saves_nothing(
    world, client_for, council_admin
):
    content = csv_bytes(
        [
            {"Year": "2025", "Value": "300"},
            {"Year": "2025", "Value": "301"},
            {"Year": "2026", "Value": "ten"},
        ]
    )

    page = upload(client_for(council_admin), content)

    assert page.status_code == 200
    text = page.content.decode()
    assert "There is a problem" in text
    assert "row 3, column &#x27;Year&#x27;: 2025 is already given on row 2" in text
    assert "row 4, column &#x27;Value&#x27;: &#x27;ten&#x27; is not a number" in text
    assert not CarbonSeries.objects.exists()


def test_an_upload_without_its_source_licence_or_price_year_is_refused(
    world, client_for, council_admin
):
    page = upload(
        client_for(council_admin),
        b"year,value\n2025,300\n",
        source_title="",
        licence="",
        price_year="",
    )
    text = page.content.decode()
    assert "Enter where the carbon values come from" in text
    assert "Enter the licence the carbon values are published under" in text
    assert "Enter the price year of the values, like 2024" in text
    assert not CarbonSeries.objects.exists()


def test_only_a_council_admin_may_upload(world, client_for, council_officer, viewer, supplier_user):
    for person in (council_officer, viewer, supplier_user):
        client = client_for(person)
        assert client.get(reverse("frameworks:carbon-upload")).status_code == 403
        assert upload(client, b"year,value\n2025,300\n").status_code == 403
    assert not CarbonSeries.objects.exists()


# --- Choosing the carbon values of a draft set version --------------------------------------


def test_a_council_admin_chooses_a_series_for_a_draft_and_the_version_shows_it(
    world, measures, client_for, council_admin
):
    client = client_for(council_admin)
    series = make_series(world.council, slug="ours", name="Our carbon values")
    draft = local_sets.set_version_create_draft(measure_set=measures.measure_set, by=None)
    url = reverse("frameworks:set-version-carbon", args=[draft.pk])

    editor = client.get(reverse("frameworks:set-version-edit", args=[draft.pk])).content.decode()
    assert "Path of the DESNZ carbon values" in editor and "Our carbon values" in editor

    response = client.post(url, {"carbon_series": series.pk, "carbon_path": "central"})

    assert response["Location"] == reverse("frameworks:set-version-edit", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.carbon_series == series
    page = client.get(reverse("frameworks:set-version", args=[draft.pk])).content.decode()
    assert f"Our carbon values</a> ({SOURCE}, 2024 prices), one value a year" in page

    client.post(url, {"carbon_series": "", "carbon_path": "low"})
    draft.refresh_from_db()
    assert (draft.carbon_series, draft.carbon_path) == (None, "low")
    page = client.get(reverse("frameworks:set-version", args=[draft.pk])).content.decode()
    assert "DESNZ carbon values for appraisal (2022 prices), low path" in page


def test_a_council_series_on_the_high_path_is_refused_on_the_form(
    world, measures, client_for, council_admin
):
    series = make_series(world.council, slug="ours", name="Our carbon values")
    draft = local_sets.set_version_create_draft(measure_set=measures.measure_set, by=None)
    page = client_for(council_admin).post(
        reverse("frameworks:set-version-carbon", args=[draft.pk]),
        {"carbon_series": series.pk, "carbon_path": "high"},
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "There is a problem" in text
    assert "Our carbon values gives one value a year, so it has no high path" in text
    draft.refresh_from_db()
    assert (draft.carbon_series, draft.carbon_path) == (None, "central")


def test_another_councils_series_is_not_offered_and_cannot_be_chosen(
    world, measures, client_for, council_admin
):
    client = client_for(council_admin)
    theirs = make_series(world.other_council, slug="theirs", name="Sheffield carbon values")
    draft = local_sets.set_version_create_draft(measure_set=measures.measure_set, by=None)
    editor = client.get(reverse("frameworks:set-version-edit", args=[draft.pk])).content.decode()
    assert "Sheffield carbon values" not in editor
    page = client.post(
        reverse("frameworks:set-version-carbon", args=[draft.pk]),
        {"carbon_series": theirs.pk, "carbon_path": "central"},
    )
    assert "Select one of the carbon series listed" in page.content.decode()
    draft.refresh_from_db()
    assert draft.carbon_series is None


def test_a_published_version_keeps_its_carbon_values(world, measures, client_for, council_admin):
    series = make_series(world.council, slug="ours", name="Our carbon values")
    response = client_for(council_admin).post(
        reverse("frameworks:set-version-carbon", args=[measures.set_version.pk]),
        {"carbon_series": series.pk, "carbon_path": "central"},
    )
    assert response["Location"] == reverse("frameworks:set-version", args=[measures.set_version.pk])
    measures.set_version.refresh_from_db()
    assert measures.set_version.carbon_series is None


def test_readers_see_the_carbon_values_in_use_but_may_not_choose(
    world, measures, client_for, council_officer, viewer
):
    series = make_series(world.council, slug="ours", name="Our carbon values")
    draft = local_sets.set_version_create_draft(measure_set=measures.measure_set, by=None)
    LocalMeasureSetVersion.objects.filter(pk=draft.pk).update(carbon_series=series)
    for person in (council_officer, viewer):
        client = client_for(person)
        page = client.get(reverse("frameworks:set-version", args=[draft.pk])).content.decode()
        assert "Our carbon values" in page
        url = reverse("frameworks:set-version-carbon", args=[draft.pk])
        assert client.post(url, {"carbon_series": "", "carbon_path": "high"}).status_code == 403
    draft.refresh_from_db()
    assert draft.carbon_series == series


def test_outsiders_get_404_and_visitors_sign_in_to_choose(
    world, measures, client_for, client, other_council_officer, supplier_user
):
    draft = local_sets.set_version_create_draft(measure_set=measures.measure_set, by=None)
    url = reverse("frameworks:set-version-carbon", args=[draft.pk])
    for person in (other_council_officer, supplier_user):
        assert client_for(person).post(url, {"carbon_path": "high"}).status_code == 404
    assert client.post(url, {"carbon_path": "high"}).status_code == 302
    draft.refresh_from_db()
    assert draft.carbon_path == "central"


# --- The Sources and licences page ----------------------------------------------------------


def test_the_sources_page_lists_the_councils_loaded_series_to_its_members_only(
    world, client_for, client, viewer, other_council_officer
):
    make_series(world.council, slug="ours", name="Our carbon values")
    url = reverse("fairwork:sources")
    page = client_for(viewer).get(url).content.decode()
    assert "Series your council loaded" in page
    assert "Our carbon values" in page and "2024 prices" in page and SOURCE in page
    assert "No deflator series is loaded" in page
    assert "Our carbon values" not in client_for(other_council_officer).get(url).content.decode()
    public_page = client.get(url).content.decode()
    assert "Series your council loaded" not in public_page
    assert "DESNZ" in public_page
