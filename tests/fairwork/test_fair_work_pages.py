"""The fair work pages: rates with their sources, adding and loading a rate, the council's
journey and plan, suppliers' accreditation, the clause on contracts, findings and exports."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from commonweal.accounts.models import LivingWageAccreditation
from commonweal.core.models import Job
from commonweal.fairwork import services
from commonweal.fairwork.loading import RATE_HEADINGS
from commonweal.fairwork.models import (
    AccreditationEvent,
    ActionPlanStep,
    LivingWageRateAddition,
)
from commonweal.monitoring.models import ReturnStatus, SupplierReturn
from tests.fairwork.builders import care_contract, wage_return
from tests.workbooks import write_workbook

pytestmark = pytest.mark.django_db


def _date(prefix: str, day: date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


def test_the_rates_page_lists_every_rate_with_its_pay_by_date_and_the_national_living_wage(
    world, client_for, viewer
):
    page = client_for(viewer).get(reverse("fairwork:rates")).content.decode()
    assert "2025-26" in page and "£13.45" in page and "£14.80" in page
    assert "1 May 2026" in page and "As published" in page
    assert "Six months after the end of the month announced" in page  # 2018-19
    assert "2011 (spring; GLA)" in page and "Not known" in page
    assert "National Living Wage" in page and "£12.71" in page
    assert "Add a new rate" not in page  # viewers only read


def test_an_admin_adds_next_autumns_rate_with_clear_errors(world, client_for, council_admin):
    client = client_for(council_admin)
    url = reverse("fairwork:rate-add")
    page = client.post(url, {"year": "2025", "uk_rate": "abc"}).content.decode()
    assert "Enter an hourly rate in pounds and pence, like 13.45" in page
    assert "Enter the date announced" in page
    assert "Enter where the rate was published" in page
    data = {
        "year": "2025",
        "uk_rate": "13.45",
        "source_title": "Living Wage Foundation",
        **_date("announced_on", date(2025, 10, 22)),
    }
    page = client.post(url, data).content.decode()
    assert "The 2025 rate ships with Commonweal already" in page
    data |= {"year": "2026", "uk_rate": "14.10", "london_rate": "15.50"}
    response = client.post(url, data)
    assert response.status_code == 302
    added = LivingWageRateAddition.objects.get()
    assert (added.label, added.pay_by) == ("2026-27", date(2026, 4, 22))
    assert "Added by your council" in client.get(reverse("fairwork:rates")).content.decode()
    assert client.post(reverse("fairwork:rate-remove", args=[added.pk])).status_code == 302
    assert not LivingWageRateAddition.objects.exists()


def test_rates_load_from_a_csv_after_a_preview_or_list_every_problem(
    world, client_for, council_admin
):
    client = client_for(council_admin)
    bad = (
        "Year,Label,Announced on,Pay by,UK rate,London rate,Source,Source link\n"
        "2025,,2025-10-22,,13.45,,LWF,\n"
        "2027,,22/10/2027,2027-01-01,14.5x,,,ftp://x\n"
    )
    page = client.post(
        reverse("fairwork:rates-load"), {"file": SimpleUploadedFile("rates.csv", bad.encode())}
    ).content.decode()
    assert "the 2025 rate ships with Commonweal already" in page
    assert "the pay-by date is before the announcement" in page
    assert "&#x27;14.5x&#x27; is not an hourly rate" in page
    assert "say where the rate was published" in page
    assert "a link starts with https://" in page
    assert not LivingWageRateAddition.objects.exists()
    good = (
        "Year,Label,Announced on,Pay by,UK rate,London rate,Source,Source link\n"
        "2026,2026-27,2026-10-20,2027-05-01,£14.10,15.50,Living Wage Foundation,https://www.livingwage.org.uk/\n"
    )
    response = client.post(
        reverse("fairwork:rates-load"), {"file": SimpleUploadedFile("rates.csv", good.encode())}
    )
    assert response["Location"] == reverse("fairwork:rates-load-confirm")
    assert "Nothing has been added yet" in client.get(response["Location"]).content.decode()
    client.post(reverse("fairwork:rates-load-confirm"))
    added = LivingWageRateAddition.objects.get()
    assert added.pay_by == date(2027, 5, 1) and added.pay_by_published


def test_a_rates_file_without_the_required_headings_is_refused_naming_the_file(
    world, client_for, council_admin
):
    client = client_for(council_admin)
    wrong = "Financial year,Hourly pay\n2026,14.10\n"
    page = client.post(
        reverse("fairwork:rates-load"),
        {"file": SimpleUploadedFile("october-rates.csv", wrong.encode())},
    ).content.decode()
    assert "october-rates.csv has no column with this heading; it is required" in page
    assert not LivingWageRateAddition.objects.exists()


RATE_ROW = [
    "2026",
    "2026-27",
    "2026-10-20",
    "",
    "14.10",
    "15.50",
    "Living Wage Foundation",
    "https://www.livingwage.org.uk/",
]


def _rates_workbook(tmp_path, *rows):
    path = write_workbook(tmp_path / "rates.xlsx", {"Rates": [list(RATE_HEADINGS), *rows]})
    return SimpleUploadedFile("rates.xlsx", path.read_bytes())


def test_a_rates_workbook_is_read_by_a_background_job_then_confirmed(
    world, client_for, council_admin, tmp_path
):
    client = client_for(council_admin)
    response = client.post(
        reverse("fairwork:rates-load"), {"file": _rates_workbook(tmp_path, RATE_ROW)}
    )
    job = Job.objects.get()
    assert response["Location"] == reverse("accounts:job-detail", args=[job.pk]) + "?follow=1"
    assert job.status == Job.Status.SUCCEEDED and "rates.xlsx" in job.title
    assert job.result_url == reverse("fairwork:rates-load-confirm")
    page = client.get(job.result_url).content.decode()
    assert "Nothing has been added yet" in page and "rates.xlsx" in page
    assert not LivingWageRateAddition.objects.exists()
    client.post(reverse("fairwork:rates-load-confirm"))
    assert LivingWageRateAddition.objects.get().year == 2026
    assert not list((settings.DATA_DIR / "uploads" / services.RATES_PURPOSE).glob("*/*"))


def test_a_rates_workbook_with_problems_fails_its_job_naming_the_row_and_adds_nothing(
    world, client_for, council_admin, tmp_path
):
    client = client_for(council_admin)
    bad = [*RATE_ROW[:4], "14.5x", *RATE_ROW[5:]]
    client.post(reverse("fairwork:rates-load"), {"file": _rates_workbook(tmp_path, RATE_ROW, bad)})
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert "row 3, column 'UK rate': '14.5x' is not an hourly rate" in job.error
    assert "2026 is also on row 2" in job.error
    assert job.result_url == reverse("fairwork:rates-load")
    assert "14.5x" in client.get(reverse("accounts:job-detail", args=[job.pk])).content.decode()
    assert client.post(reverse("fairwork:rates-load-confirm")).status_code == 302
    assert not LivingWageRateAddition.objects.exists()


def test_the_councils_journey_and_plan(world, client_for, council_officer):
    client = client_for(council_officer)
    client.post(
        reverse("fairwork:accreditation-status"),
        {"status": "applying", **_date("happened_on", date(2021, 3, 1))},
    )
    client.post(
        reverse("fairwork:accreditation-status"),
        {
            "status": "accredited",
            "note": "Licence received",
            **_date("happened_on", date(2021, 9, 1)),
        },
    )
    client.post(
        reverse("fairwork:accreditation-scope"),
        {"scope": "Directly employed staff", **_date("renewal_due_on", date(2099, 9, 1))},
    )
    page = client.post(
        reverse("fairwork:step-add"),
        {
            "description": "Renew",
            "owner": "HR",
            "status": "done",
            **_date("due_on", date(2026, 9, 1)),
        },
    ).content.decode()
    assert "Enter the date the step was done" in page
    client.post(
        reverse("fairwork:step-add"),
        {
            "description": "Renew",
            "owner": "HR",
            "status": "open",
            **_date("due_on", date(2026, 9, 1)),
        },
    )
    assert AccreditationEvent.objects.count() == 2 and ActionPlanStep.objects.count() == 1
    page = client.get(reverse("fairwork:accreditation")).content.decode()
    assert "Accredited" in page and "since 1 September 2021" in page
    assert "Licence received" in page and "Directly employed staff" in page
    overview = client.get(reverse("fairwork:overview")).content.decode()
    assert "0 of 1 plan step done" in overview


def test_a_council_verifies_a_suppliers_accreditation_shown_on_the_register(
    world, client_for, contract_manager
):
    contract = care_contract(world, contract_manager)
    client = client_for(contract_manager)
    url = reverse("fairwork:supplier-detail", args=[world.supplier.pk])
    page = client.post(
        url, {"basis": "verified", **_date("accredited_since", date(2024, 5, 1))}
    ).content.decode()
    assert "Enter the date you checked the evidence" in page
    assert "Enter a link to the evidence, or what it shows" in page
    client.post(
        url,
        {
            "basis": "verified",
            "evidence_url": "https://www.livingwage.org.uk/",
            **_date("accredited_since", date(2024, 5, 1)),
            **_date("checked_on", date(2025, 6, 2)),
        },
    )
    record = LivingWageAccreditation.objects.get()
    assert record.council == world.council and record.is_verified
    suppliers = client.get(reverse("fairwork:suppliers")).content.decode()
    assert "Verified" in suppliers and "1 accredited" in suppliers
    contract_page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "Real Living Wage: verified" in contract_page


def test_the_clause_on_one_contract_follows_the_policy_or_the_officer(
    world, client_for, contract_manager
):
    from tests.contracts.builders import build_contract, build_measures

    contract = build_contract(world.council, world.supplier, build_measures(world.council))
    client = client_for(contract_manager)
    client.post(reverse("fairwork:contracts"), {"categories": ["cleaning"]})
    url = reverse("fairwork:contract-clause", args=[contract.pk])
    client.post(url, {"service_category": "cleaning", "requires": "policy"})
    contract.refresh_from_db()
    assert contract.requires_real_living_wage
    client.post(url, {"service_category": "grounds", "requires": "no"})
    contract.refresh_from_db()
    assert not contract.requires_real_living_wage and contract.service_category == "grounds"


def test_the_findings_page_shows_the_rule_findings_and_each_returns_check(
    world, client_for, contract_manager, supplier_user
):
    contract = care_contract(world, contract_manager)
    wage_return(contract, "2025-26 Q1", by=supplier_user, outside="12.00")
    wage_return(contract, "2025-26 Q3", by=supplier_user, outside="12.60")
    client = client_for(contract_manager)
    response = client.post(reverse("fairwork:findings-check"))
    assert response.status_code == 302
    page = client.get(reverse("fairwork:findings")).content.decode()
    assert "Paid below the Real Living Wage" in page
    assert "£0.60 below the 2024-25 Real Living Wage of £12.60" in page
    assert "must rise to the 2025-26 rate of £13.45 by 1 May 2026" in page
    finding = contract.wage_findings.get()
    page = client.post(
        reverse("fairwork:finding-detail", args=[finding.pk]),
        {
            "action": "Back pay",
            "action_owner": "HR",
            "action_status": "done",
            **_date("action_due_on", date(2026, 6, 1)),
        },
    ).content.decode()
    assert "Say how the finding was resolved" in page


def test_the_exports_hold_the_same_figures_and_never_run_formulas(
    world, client_for, contract_manager, supplier_user
):
    contract = care_contract(world, contract_manager)
    contract.supplier.name = '=HYPERLINK("http://x")'
    contract.supplier.save()
    wage_return(contract, "2025-26 Q1", by=supplier_user, outside="12.00")
    services.wage_checks_run(council=world.council, today=date(2026, 5, 15))
    client = client_for(contract_manager)
    text = client.get(reverse("fairwork:export-csv") + "?table=findings").content.decode()
    row = next(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert (row["lowest_paid_gbp"], row["required_gbp"]) == ("12.00", "12.60")
    assert row["supplier"].startswith("'=")
    rates = client.get(reverse("fairwork:export-csv") + "?table=rates").content.decode()
    assert "2025-26,2025,22 October 2025,2026-05-01,As published,13.45,14.80" in rates
    workbook = load_workbook(io.BytesIO(client.get(reverse("fairwork:export-xlsx")).content))
    assert workbook.sheetnames == [
        "Real Living Wage rates",
        "Accredited by year",
        "Compliance findings",
    ]
    years = list(workbook["Accredited by year"].iter_rows(values_only=True))
    assert years[1][0] == "2025-26"


def test_the_api_gives_the_rate_in_force_by_date(world, client_for, viewer):
    client = client_for(viewer)
    body = client.get("/api/v1/fair-work/rates/in-force?on=2026-04-30&area=uk").json()
    assert (body["rate"], body["rate_label"], body["announced_label"]) == (
        "12.60",
        "2024-25",
        "2025-26",
    )
    body = client.get("/api/v1/fair-work/rates/in-force?on=2026-05-01&area=london").json()
    assert body["rate"] == "14.80"
    assert client.get("/api/v1/fair-work/rates/in-force?area=mars").status_code == 422


def test_returns_and_their_verification_show_the_suppliers_accreditation(
    world, client_for, contract_manager, supplier_user, council_admin
):
    contract = care_contract(world, contract_manager)
    supplier_return = wage_return(contract, "2025-26 Q1", by=supplier_user, outside="12.60")
    services.supplier_accreditation_record(
        council=world.council,
        supplier=world.supplier,
        basis="verified",
        accredited_since=date(2024, 5, 1),
        evidence_url="https://www.livingwage.org.uk/",
        evidence_note="Licence seen",
        checked_on=date(2026, 5, 1),
        ended_on=None,
        by=council_admin,
    )
    # Nothing was claimed, so the return was verified at once; put it back in the queue.
    SupplierReturn.objects.filter(pk=supplier_return.pk).update(status=ReturnStatus.SUBMITTED)
    client = client_for(contract_manager)
    for url in (
        reverse("monitoring:returns"),
        reverse("monitoring:verification"),
        reverse("monitoring:return-verify", args=[supplier_return.pk]),
    ):
        assert "Real Living Wage: verified" in client.get(url).content.decode(), url
