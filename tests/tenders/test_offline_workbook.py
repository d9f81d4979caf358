"""The offline route: download the pre-filled workbook, fill it, upload it; precise errors."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from commonweal.core.models import Job
from commonweal.tenders import services
from commonweal.tenders.models import Offer, OfferLine

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(client, tender):
    response = client.get(reverse("tenders:offer-workbook", args=[tender.pk]))
    assert response.status_code == 200
    return load_workbook(BytesIO(response.content))


def upload(client, tender, workbook):
    buffer = BytesIO()
    workbook.save(buffer)
    return client.post(
        reverse("tenders:offer-upload", args=[tender.pk]),
        {"workbook": SimpleUploadedFile("offer.xlsx", buffer.getvalue(), content_type=XLSX)},
    )


@pytest.fixture
def bidder(tender, world, client_for, supplier_user):
    client = client_for(supplier_user)
    client.post(reverse("tenders:join", args=[tender.share_token]))
    return client


def test_a_filled_workbook_round_trips_into_the_draft(tender, bidder):
    workbook = download(bidder, tender)
    sheet = workbook["Quantities"]
    assert [c.value for c in sheet[1]] == [
        "Measure code",
        "Measure",
        "Unit",
        "Year 1",
        "Year 2",
        "People (your references, never names)",
        "Activity or programme",
    ]
    # People are asked for on job measures only; the workforce on its own sheet.
    assert [sheet["F2"].value, sheet["F3"].value] == [None, "not asked"]
    assert workbook["Workforce"]["A2"].value.startswith("Workforce delivering this contract")
    sheet["D2"] = 2.5  # LE1 year 1
    sheet["E2"] = 3  # LE1 year 2
    sheet["D3"] = 52  # AP1 year 1
    sheet["F2"] = "H1, H2, H3"  # the people LE1's jobs are for
    sheet["G3"] = "College apprenticeship scheme"  # AP1's activity
    workbook["Workforce"]["B2"] = 18.5
    workbook["Written answers"]["C2"] = "Local recruitment with the college"
    response = upload(bidder, tender, workbook)
    # A workbook is read by a background job; its page goes on to the offer when done.
    job = Job.objects.get(kind="offer_workbook")
    assert response["Location"] == reverse("accounts:job-detail", args=[job.pk]) + "?follow=1"
    assert job.status == Job.Status.SUCCEEDED
    assert job.result_url == reverse("tenders:offer-check", args=[tender.pk])
    offer = Offer.objects.get()
    lines = {(line.measure.code, line.contract_year): line.quantity for line in offer.lines.all()}
    assert lines == {("LE1", 1): Decimal("2.5"), ("LE1", 2): Decimal(3), ("AP1", 1): Decimal(52)}
    assert offer.answers.get().text == "Local recruitment with the college"
    assert offer.workforce_fte == Decimal("18.5")
    assert {line.people for line in offer.lines.filter(measure__code="LE1")} == {"H1, H2, H3"}
    assert offer.lines.get(measure__code="AP1").activity == "College apprenticeship scheme"
    # Downloading again gives the draft back, pre-filled.
    again = download(bidder, tender)
    assert again["Quantities"]["D2"].value == 2.5
    assert again["Quantities"]["F2"].value == "H1, H2, H3"
    assert again["Workforce"]["B2"].value == 18.5
    assert again["Written answers"]["C2"].value == "Local recruitment with the college"


def test_a_workforce_that_is_not_a_number_is_reported_precisely(tender, bidder):
    workbook = download(bidder, tender)
    workbook["Workforce"]["B2"] = "about twenty"
    upload(bidder, tender, workbook)
    job = Job.objects.get(kind="offer_workbook")
    assert job.status == Job.Status.FAILED
    assert job.error.startswith("sheet 'Workforce', row 2, column B: ")
    assert "enter the full-time equivalents delivering the contract as a number" in job.error


def test_text_in_a_quantity_cell_and_an_unknown_measure_are_reported_precisely(
    tender, world, bidder, supplier_user
):
    offer = Offer.objects.get()
    services.offer_save_draft(
        offer=offer, by=supplier_user, quantities={("VO1", 1): Decimal(10)}, answers={}
    )
    workbook = download(bidder, tender)
    sheet = workbook["Quantities"]
    sheet["E3"] = "fifty-two"  # AP1 year 2
    sheet["A4"] = "ZZ9"  # was VO1
    sheet["D2"] = -1
    response = upload(bidder, tender, workbook)
    job = Job.objects.get(kind="offer_workbook")
    assert job.status == Job.Status.FAILED
    assert job.result_url == reverse("tenders:offer-upload", args=[tender.pk])
    assert job.error.splitlines() == [
        "sheet 'Quantities', row 2, column D: -1 is below 0; enter 0 or more FTE",
        "sheet 'Quantities', row 3, column E: 'fifty-two' is not a number; enter the quantity of "
        "weeks for AP1 in year 2 as a number, like 12.5",
        "sheet 'Quantities', row 4, column A: 'ZZ9' is not a measure of this tender; the "
        "measures are LE1, AP1, VO1",
    ]
    page = bidder.get(response["Location"]).content.decode()
    assert "These 3 problems were found" in page
    # Nothing saved: the earlier draft is untouched.
    assert list(OfferLine.objects.values_list("measure__code", "quantity")) == [
        ("VO1", Decimal(10))
    ]


def test_a_workbook_without_the_quantities_sheet_is_refused(tender, bidder):
    workbook = download(bidder, tender)
    workbook["Quantities"].title = "Numbers"
    upload(bidder, tender, workbook)
    assert "offer.xlsx has no sheet called 'Quantities'" in Job.objects.get().error
    assert not OfferLine.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused(tender, bidder):
    response = bidder.post(
        reverse("tenders:offer-upload", args=[tender.pk]),
        {"workbook": SimpleUploadedFile("offer.xlsx", b"not a zip", content_type=XLSX)},
    )
    page = response.content.decode()
    assert "is not an Excel workbook (.xlsx)" in page
    assert "offer.xlsx" in page


def test_another_supplier_cannot_download_or_upload_this_offer_workbook(
    tender, bidder, client_for, second_supplier
):
    _, other_user = second_supplier
    client = client_for(other_user)
    assert client.get(reverse("tenders:offer-workbook", args=[tender.pk])).status_code == 404
    assert client.post(reverse("tenders:offer-upload", args=[tender.pk]), {}).status_code == 404
