"""Importing a contracts register: every problem listed by row and column, or all written."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from commonweal.contracts.models import Contract
from commonweal.core.models import Job
from tests.contracts.builders import build_measures

pytestmark = pytest.mark.django_db

HEADER = (
    "reference,title,supplier,value,start_date,end_date,directorate,contract_manager_email,"
    "measure_code,contract_year,quantity\n"
)


def upload(client, measures, name, content):
    return client.post(
        reverse("contracts:import"),
        {
            "file": SimpleUploadedFile(name, content),
            "price_year": "2025",
            "measure_set_version": measures.version.pk,
        },
    )


def test_a_good_csv_is_previewed_then_imported_on_confirm(
    world, client_for, council_officer, contract_manager
):
    measures = build_measures(world.council)
    csv = HEADER + (
        "RMBC-10,School meals,Don Valley Catering Ltd,500000,2025-04-01,2027-03-31,CYPS,"
        "contracts@rotherham.test,RM1,1,2\n"
        "RMBC-10,School meals,Don Valley Catering Ltd,500000,2025-04-01,2027-03-31,CYPS,"
        "contracts@rotherham.test,RM1,2,2\n"
        'RMBC-11,Libraries,Don Valley Catering Ltd,"120,000",01/04/2025,31/03/2026,,,,,\n'
    )
    client = client_for(council_officer)
    page = upload(client, measures, "register.csv", csv.encode()).content.decode()
    assert "Check the contracts to import" in page
    assert not Contract.objects.exists()
    response = client.post(reverse("contracts:import-confirm"))
    assert response.status_code == 302
    meals = Contract.objects.get(reference="RMBC-10")
    assert meals.contract_manager == contract_manager
    assert meals.commitments.get().committed_value_pence == 4_000_000
    assert Contract.objects.get(reference="RMBC-11").value_pence == 12_000_000


def test_every_problem_is_listed_by_row_and_column_and_nothing_is_written(
    world, client_for, council_officer
):
    measures = build_measures(world.council)
    csv = HEADER + (
        "RMBC-10,School meals,Nobody Ltd,500000,2025-04-01,2027-03-31,,,RM1,1,2\n"
        "RMBC-12,Cleaning,Don Valley Catering Ltd,lots,2025-13-01,2027-03-31,,,,,\n"
        "RMBC-13,Parks,Don Valley Catering Ltd,1000,2025-04-01,2026-03-31,,,XX9,1,2\n"
    )
    page = upload(
        client_for(council_officer), measures, "register.csv", csv.encode()
    ).content.decode()
    assert "Nothing has been imported" in page
    assert "No registered supplier is called or has company number &#x27;Nobody Ltd&#x27;" in page
    assert "&#x27;lots&#x27; is not a number" in page
    assert "is not a date" in page
    assert "XX9 is not a measure of" in page
    assert not Contract.objects.exists()


def test_a_year_after_the_contract_ends_fails_the_whole_import(world, client_for, council_officer):
    measures = build_measures(world.council)
    csv = HEADER + (
        "RMBC-20,Parks,Don Valley Catering Ltd,1000,2025-04-01,2026-03-31,,,,,\n"
        "RMBC-21,Meals,Don Valley Catering Ltd,1000,2025-04-01,2026-03-31,,,RM1,3,1\n"
    )
    client = client_for(council_officer)
    upload(client, measures, "register.csv", csv.encode())
    page = client.post(reverse("contracts:import-confirm")).content.decode()
    assert "contract year 3" in page
    assert not Contract.objects.exists()


def test_an_excel_register_imports_the_same_way(world, client_for, council_officer):
    measures = build_measures(world.council)
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(
        [
            "RMBC-30",
            "Transport",
            "Don Valley Catering Ltd",
            90000,
            "2025-04-01",
            "2026-03-31",
            "Place",
            "",
            "RM2",
            1,
            100,
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    client = client_for(council_officer)
    response = upload(client, measures, "register.xlsx", buffer.getvalue())
    # A workbook is read and checked by a background job, which goes on to the check page.
    check = Job.objects.get(kind="contract_register_check")
    assert response["Location"] == reverse("accounts:job-detail", args=[check.pk]) + "?follow=1"
    assert check.result_url == reverse("contracts:import-check")
    assert "RMBC-30" in client.get(check.result_url).content.decode()
    client.post(reverse("contracts:import-confirm"))
    assert Job.objects.get(kind="contract_register_import").status == Job.Status.SUCCEEDED
    assert (
        Contract.objects.get(reference="RMBC-30").commitments.get().committed_value_pence == 169_300
    )


def test_a_windows_1252_register_with_pound_signs_is_read(world, client_for, council_officer):
    measures = build_measures(world.council)
    csv = HEADER + (
        "RMBC-40,Café supplies,Don Valley Catering Ltd,£90000,2025-04-01,2026-03-31,,,,,\n"
    )
    client = client_for(council_officer)
    page = upload(client, measures, "register.csv", csv.encode("cp1252")).content.decode()
    assert "Check the contracts to import" in page
    client.post(reverse("contracts:import-confirm"))
    assert Contract.objects.get(reference="RMBC-40").title == "Café supplies"


def test_a_workbook_that_cannot_be_opened_is_refused_saying_so(world, client_for, council_officer):
    measures = build_measures(world.council)
    client = client_for(council_officer)
    response = upload(client, measures, "register.xlsx", b"PK\x03\x04not really a workbook")
    page = client.get(response["Location"]).content.decode()  # the job's page
    assert "register.xlsx: the workbook cannot be read" in page
    assert not Contract.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (bytes(range(256)) * 40, "register.csv: this is not a text (CSV) file"),
        (
            HEADER.encode() + b"RMBC-1," + b"x" * 5_000_000 + b"\n",
            "register.csv: row 2: a cell holds more than 32,767 characters",
        ),
        (
            HEADER.encode() + b"RMBC-1,Meals,Don Valley Catering Ltd,1,185.60,2025-04-01,"
            b"2026-03-31,CYPS,contracts@rotherham.test,RM1,1,2\n",
            "The row has more cells than the header has columns (extra value",
        ),
    ],
)
def test_a_broken_register_is_refused_with_a_message_not_a_server_error(
    world, client_for, council_officer, content, message
):
    measures = build_measures(world.council)
    client = client_for(council_officer)
    response = upload(client, measures, "register.csv", content)
    if response.status_code == 302:  # a large file is read by a background job
        response = client.get(response["Location"])
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Contract.objects.exists()
