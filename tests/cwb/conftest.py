"""Fixtures for the local economy pages: a private data folder and small spend files."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.http import HttpResponseRedirect
from django.urls import resolve, reverse

from commonweal.core.models import Job
from commonweal.cwb import services, tasks
from commonweal.cwb.models import CreditorRecord
from commonweal.cwb.services import IncomingFile

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"

STANDARD_HEADER = "Payment Date,Supplier Name,Supplier ID,Directorate,Amount\n"


def import_spend_file(organisation, by, path: Path, publisher: str | None = None):
    """Import one spend file through the services, as the pages do; returns the run."""
    run = services.spend_import_start(
        organisation=organisation,
        publisher=publisher or organisation.name,
        files=[IncomingFile(path.name, path)],
        by=by,
    )
    services.spend_import_confirm(run=run, by=by, enqueue=tasks.import_spend.enqueue)
    return run


def past_the_job(client, response):
    """For a response that sent the person to a background job's page (a workbook or a large
    file is read by one; under test it has run by then): a redirect to the job's result when
    it succeeded, or the job's page, naming the problems, when it failed. Any other response
    as it is."""
    location = response.get("Location", "") if response.status_code == 302 else ""
    if not location.startswith(reverse("accounts:job-list")):
        return response
    job = Job.objects.get(pk=resolve(urlsplit(location).path).kwargs["pk"])
    if job.status == Job.Status.SUCCEEDED:
        return HttpResponseRedirect(job.result_url)
    return client.get(location)


def upload(client, *paths_, publisher="Rotherham Metropolitan Borough Council"):
    """Upload spend files on the import page, as a person does (see ``past_the_job``)."""
    files = [SimpleUploadedFile(p.name, p.read_bytes(), content_type="text/csv") for p in paths_]
    response = client.post(
        reverse("cwb:import-new"), {"publisher": publisher, "spend_files": files}
    )
    return past_the_job(client, response)


def choose_columns_and_import(client, run, columns):
    """Choose the columns on the column step, then import from the check page."""
    response = client.post(reverse("cwb:import-columns", args=[run.pk]), columns)
    assert response["Location"] == reverse("cwb:import-check", args=[run.pk])
    client.post(reverse("cwb:import-check", args=[run.pk]))
    run.refresh_from_db()
    return run


def add_creditor(organisation, source_supplier_id: str, **fields) -> CreditorRecord:
    """One row of a creditor file, as if imported."""
    return CreditorRecord.objects.create(
        organisation=organisation,
        source_supplier_id=source_supplier_id,
        source_file="creditors.csv",
        source_sha256="0" * 64,
        **fields,
    )


@pytest.fixture
def spend_csv(tmp_path: Path):
    """Write a small spend file; rows are (date, supplier, supplier id, directorate, amount)."""

    def make(
        name: str, rows: list[tuple[str, str, str, str, str]], header: str = STANDARD_HEADER
    ) -> Path:
        path = tmp_path / "incoming" / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(header + "".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
        return path

    return make


ROTHERHAM_ROWS = [
    ("01/04/2024", "DON VALLEY CATERING LTD", "1001", "Children", "1185.60"),
    ("15/04/2024", "Don Valley Catering Limited", "1001", "Children", "500.00"),
    ("02/05/2024", "NORTHERN INFRASTRUCTURE GROUP PLC", "2002", "Place", "25000.00"),
    ("03/05/2024", "WENTWORTH COMMUNITY TRANSPORT", "3003", "Adult Care", "-250.00"),
    ("31/13/2024", "BAD DATE LTD", "4004", "Place", "100.00"),
]


# Supplier ID, name, amount, postcode, district, region, LSOA, SME, VCSE
SUPPLIERS = [
    (
        "1001",
        "DON VALLEY CATERING LTD",
        "1500.00",
        "S60 1QP",
        "E08000018",
        "E12000003",
        "E01000001",
        "Yes",
        "",
    ),
    (
        "2002",
        "NORTHERN INFRASTRUCTURE GROUP PLC",
        "25000.00",
        "LS1 4AP",
        "E08000035",
        "E12000003",
        "E01000002",
        "",
        "",
    ),
    (
        "3003",
        "WENTWORTH COMMUNITY TRANSPORT",
        "250.00",
        "S62 7TW",
        "E08000018",
        "E12000003",
        "E01000003",
        "Yes",
        "Yes",
    ),
    (
        "4004",
        "SHEFFIELD FIRM LTD",
        "2000.00",
        "S1 1AA",
        "E08000019",
        "E12000003",
        "E01000004",
        "",
        "",
    ),
    ("5005", "LONDON LTD", "1250.00", "EC1A 1BB", "E09000001", "E12000007", "E01000005", "", ""),
]
DECILES = {"E01000001": 1, "E01000002": 4, "E01000003": 5, "E01000004": 3, "E01000005": 9}


@pytest.fixture
def analysed(world, council_officer, spend_csv, tmp_path):
    postcodes = tmp_path / "nspl.csv"
    postcodes.write_text(
        "pcds,doterm,laua,rgn,lsoa11\n"
        + "".join(f"{s[3]},,{s[4]},{s[5]},{s[6]}\n" for s in SUPPLIERS),
        encoding="utf-8",
    )
    deprivation = tmp_path / "imd.csv"
    deprivation.write_text(
        "lsoa11_code,IMD_decile\n" + "".join(f"{k},{v}\n" for k, v in DECILES.items()),
        encoding="utf-8",
    )
    call_command("refdata", "load", "postcodes", str(postcodes), "--version", "test")
    call_command("refdata", "load", "deprivation", str(deprivation), "--vintage", "2019")
    rows = [("10/05/2024", name, sid, "Place", amount) for sid, name, amount, *_ in SUPPLIERS]
    rows.append(("15/03/2024", "DON VALLEY CATERING LTD", "1001", "Children", "1000.00"))
    import_spend_file(world.council, council_officer, spend_csv("spend.csv", rows), "Rotherham")
    for sid, name, _, postcode, *_rest, sme, vcse in SUPPLIERS:
        add_creditor(
            world.council,
            sid,
            name=name,
            postcode=postcode,
            declared_sme=True if sme else None,
            declared_vcse=True if vcse else None,
        )
    services.supplier_link_start(
        organisation=world.council, by=council_officer, enqueue=tasks.link_suppliers_task.enqueue
    )
    return world
