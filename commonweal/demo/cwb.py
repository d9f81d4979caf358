"""Demo spend for Rotherham: one financial year in a Transparency Code layout, generated here
(no real payments), imported, linked and ready to analyse.

Supplier names are invented (marked "(demo)" where they match the demo supplier organisations);
postcodes are real district postcodes so the local shares mean something, and they are loaded
as a small "demo" postcode table, not as official reference data.
"""

from __future__ import annotations

import csv
import random
import tempfile
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from commonweal.accounts.models import Organisation
from commonweal.cwb import local_areas, multiplier, services
from commonweal.cwb.models import CreditorRecord, Lm3Study
from commonweal.cwb.refdata_store import refdata_load
from commonweal.cwb.services import IncomingFile
from commonweal.cwb.tasks import import_spend, link_suppliers_task
from commonweal.financial_years import financial_year_label

DEMO_YEAR_START = date(2024, 4, 1)
DEMO_HEADER = (
    "Organisation Name",
    "Organisation Code",
    "Directorate",
    "Service (Sercop)",
    "Supplier Name",
    "Supplier ID",
    "Payment Date",
    "Transaction Number",
    "Net Amount",
    "Irrecoverable VAT",
    "Purpose of Spend",
    "Procurement Classification",
)

# (supplier id, published names (variants), postcode, district, region, sme, vcse, typical £)
DEMO_SUPPLIERS: tuple[
    tuple[str, tuple[str, ...], str, str, str, bool | None, bool | None, int], ...
] = (
    (
        "10001",
        ("DON VALLEY CATERING LTD (DEMO)", "Don Valley Catering Limited (demo)"),
        "S60 1QP",
        "E08000018",
        "E12000003",
        True,
        False,
        1800,
    ),
    (
        "10002",
        ("ROTHER FACILITIES SERVICES LTD (DEMO)",),
        "S61 1DJ",
        "E08000018",
        "E12000003",
        True,
        False,
        4200,
    ),
    (
        "10003",
        ("WENTWORTH COMMUNITY TRANSPORT (DEMO)",),
        "S62 7TW",
        "E08000018",
        "E12000003",
        True,
        True,
        900,
    ),
    ("10004", ("MALTBY YOUTH TRUST (DEMO)",), "S66 8AA", "E08000018", "E12000003", True, True, 650),
    (
        "10005",
        ("NORTHERN INFRASTRUCTURE GROUP PLC (DEMO)", "NORTHERN INFRASTRUCTURE GRP PLC (DEMO)"),
        "LS1 4AP",
        "E08000035",
        "E12000003",
        False,
        False,
        38000,
    ),
    (
        "10006",
        ("PENNINE CARE SERVICES LTD (DEMO)",),
        "S70 2TA",
        "E08000016",
        "E12000003",
        True,
        False,
        12500,
    ),
    (
        "10007",
        ("STEEL CITY PRINTERS LTD (DEMO)",),
        "S1 2HH",
        "E08000019",
        "E12000003",
        True,
        False,
        700,
    ),
    (
        "10008",
        ("DONCASTER FLEET HIRE LTD (DEMO)",),
        "DN1 1AA",
        "E08000017",
        "E12000003",
        True,
        False,
        2300,
    ),
    (
        "10009",
        ("NATIONAL OFFICE SUPPLIES LTD (DEMO)",),
        "EC1A 1BB",
        "E09000001",
        "E12000007",
        False,
        False,
        1100,
    ),
    (
        "10010",
        ("MIDLANDS ENERGY PLC (DEMO)",),
        "B1 1AA",
        "E08000025",
        "E12000005",
        False,
        False,
        21000,
    ),
)
# Payees sometimes published without a supplier ID, under another spelling (card payments,
# manual invoices): the model cannot be sure of these, so they wait in the review queue.
UNIDENTIFIED_SPELLINGS = {
    "10002": "ROTHER FACILITIES (DEMO)",
    "10003": "WENTWORTH COMMUNITY TRANSPORT TRUST (DEMO)",
    "10006": "PENNINE CARE (DEMO)",
    "10007": "STEEL CITY PRINTERS SHEFFIELD (DEMO)",
    "10008": "DONCASTER FLEET (DEMO)",
}
UNIDENTIFIED_SHARE = 0.1
DIRECTORATES = (
    "Adult Care, Housing and Public Health",
    "Children and Young People's Services",
    "Regeneration and Environment",
    "Finance and Customer Services",
)


def demo_spend_rows(
    seed: int = 2024,
    count: int = 400,
    publisher: tuple[str, str] = ("Rotherham Metropolitan Borough Council", "E08000018"),
    year_start: date = DEMO_YEAR_START,
) -> list[list[str]]:
    """``count`` payments over the financial year from ``year_start``, with credit notes and
    redacted payees, as ``publisher`` (name, code) would publish them (in ``DEMO_HEADER``)."""
    rng = random.Random(seed)  # noqa: S311 (demo data, not security)
    rows: list[list[str]] = []
    for number in range(1, count + 1):
        paid = year_start + timedelta(days=rng.randrange(365))
        if rng.random() < 0.06:
            name, supplier_id, pounds = "REDACTED PERSONAL DATA", "", rng.randrange(250, 900)
        else:
            supplier = rng.choice(DEMO_SUPPLIERS)
            name = rng.choice(supplier[1])
            supplier_id = supplier[0]
            if supplier_id in UNIDENTIFIED_SPELLINGS and rng.random() < UNIDENTIFIED_SHARE:
                name, supplier_id = UNIDENTIFIED_SPELLINGS[supplier_id], ""
            pounds = max(250, int(supplier[7] * rng.uniform(0.4, 1.6)))
        pence = pounds * 100 + rng.randrange(100)
        if rng.random() < 0.03:
            pence = -pence  # a credit note
        amount = f"{'-' if pence < 0 else ''}{abs(pence) // 100:,}.{abs(pence) % 100:02d}"
        rows.append(
            [
                *publisher,
                rng.choice(DIRECTORATES),
                "",
                name,
                supplier_id,
                paid.strftime("%d/%m/%Y"),
                f"DEMO{number:06d}",
                amount,
                "0.00",
                "Goods and services (demo)",
                "",
            ]
        )
    rows.sort(key=lambda r: (r[6][6:], r[6][3:5], r[6][:2], r[7]))
    return rows


# The year after the seeded one, for a person trying the demo to import through the pages. Its
# publisher's finance system names the columns in its own words: the payment date and amount
# headings are ones Commonweal does not know, so the person chooses those columns.
UPLOAD_YEAR_START = date(2025, 4, 1)
UPLOAD_HEADER = ("Txn Dt", "Payee", "Creditor No", "Val", "Cost Centre", "Description")
UPLOAD_FILE_NAME = "rotherham-spend-2025-26-demo.csv"


def demo_upload_rows() -> list[list[str]]:
    """The demo council's payments of 2025-26, under ``UPLOAD_HEADER``."""
    return [
        [paid, name, supplier_id, amount, directorate, purpose]
        for _, _, directorate, _, name, supplier_id, paid, _, amount, _, purpose, _ in (
            demo_spend_rows(seed=2025_26, count=480, year_start=UPLOAD_YEAR_START)
        )
    ]


# Partners' years of spend: (seed, payments). Smaller than the council's, as anchors' are.
PARTNER_SPEND = ((2025, 160), (2026, 120))


def seed_demo_data(*, council: Organisation, partners: Sequence[Organisation] = ()) -> None:
    """Import a demo year of spend for the council (and for the first partners), load demo
    postcodes and creditor files, link suppliers (all in this process, so the demo works before
    a worker starts), and convene an anchor network the partners have joined."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        postcodes = folder / "demo-postcodes.csv"
        with postcodes.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["pcds", "doterm", "laua", "rgn"])
            for supplier in DEMO_SUPPLIERS:
                writer.writerow([supplier[2], "", supplier[3], supplier[4]])
        refdata_load(kind="postcodes", files=[postcodes], version="demo", by=None)
        _seed_spend(council, demo_spend_rows(), folder)
        tiers = local_areas.local_tiers_for(council)
        assert tiers is not None, "the demo council has default local areas"
        for partner, (seed, count) in zip(partners, PARTNER_SPEND, strict=False):
            local_areas.local_tiers_update(
                organisation=partner,
                by=None,
                borough_lad_codes=tiers.borough_lad_codes,
                combined_authority_lad_codes=tiers.combined_authority_lad_codes,
                region_code=tiers.region_code,
                deprived_decile_max=tiers.deprived_decile_max,
            )
            rows = demo_spend_rows(seed, count, (partner.name, ""))
            _seed_spend(partner, rows, folder)
    _seed_lm3_study(council)
    _seed_network(council, partners)


def _seed_spend(organisation: Organisation, rows: list[list[str]], folder: Path) -> None:
    spend = folder / f"spend-over-500-2024-25-demo-{organisation.pk}.csv"
    with spend.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(DEMO_HEADER)
        writer.writerows(rows)
    run = services.spend_import_start(
        organisation=organisation,
        publisher=organisation.name,
        files=[IncomingFile(name=spend.name, path=spend)],
        by=None,
    )
    services.spend_import_confirm(
        run=run, by=None, enqueue=lambda run_id, job_id: import_spend.call(run_id, job_id)
    )
    CreditorRecord.objects.bulk_create(
        CreditorRecord(
            organisation=organisation,
            source_supplier_id=supplier_id,
            name=names[0],
            postcode=postcode,
            declared_sme=sme,
            declared_vcse=vcse,
            source_file="creditors-demo.csv",
            source_sha256="demo",
        )
        for supplier_id, names, postcode, _, _, sme, vcse, _ in DEMO_SUPPLIERS
    )
    services.supplier_link_start(
        organisation=organisation,
        by=None,
        enqueue=lambda run_id, job_id: link_suppliers_task.call(run_id, job_id),
    )


def _seed_network(council: Organisation, partners: Sequence[Organisation]) -> None:
    """The partners with spend have joined the council's network; the next one is invited."""
    network = services.anchor_network_create(
        convener=council, name="Rotherham Anchor Network (demo)", by=None
    )
    for index, partner in enumerate(partners):
        place = services.anchor_network_invite(network=network, organisation=partner, by=None)
        if index < len(PARTNER_SPEND):
            services.anchor_network_join(place=place, by=None)


# (pence in the pound a surveyed supplier says it spends locally, or None: not yet answered)
DEMO_SURVEY_ANSWERS = (45, 30, None)


def _seed_lm3_study(council: Organisation) -> None:
    """An LM3 study of the demo year, payroll included, with the three biggest local suppliers
    surveyed: two have answered, one has not (its fallback ratio is shown as an assumption)."""
    study = multiplier.lm3_study_create(
        organisation=council,
        by=None,
        financial_year=financial_year_label(DEMO_YEAR_START.year),
        boundary=Lm3Study.Boundary.BOROUGH,
        include_payroll=True,
        payroll_pence=120_000_000,
        local_staff_wages_pence=78_000_000,
        staff_local_respend_share=Decimal("0.40"),
        supplier_assumption_share=Decimal("0.25"),
        staff_assumption_share=Decimal("0.30"),
        assumption_basis="Demo assumptions, not from a survey of Rotherham businesses",
    )
    spend = multiplier.year_spend(council, study.financial_year, study.boundary)
    for supplier, answer in zip(spend.local_suppliers, DEMO_SURVEY_ANSWERS, strict=False):
        survey = multiplier.survey_send(
            study=study,
            supplier=supplier,
            email=f"accounts@{''.join(filter(str.isalpha, supplier.supplier_name.lower()))[:20]}.demo",
            by=None,
            link_for=lambda token: settings.SITE_URL + reverse("cwb:survey-answer", args=[token]),
        )
        if answer is not None:
            multiplier.survey_answer(
                survey=survey, pence_in_the_pound=answer, respondent_name="Finance manager (demo)"
            )
