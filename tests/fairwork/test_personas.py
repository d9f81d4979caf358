"""Who may see and change each fair work and equality page and API route: the council's people
read (viewers and evaluators only read), admins add rates and change settings, suppliers and
partners declare their own accreditation, and anyone of another organisation gets a 404."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from commonweal.accounts.models import AccreditationBasis
from commonweal.core.models import Job
from commonweal.fairwork import services
from commonweal.fairwork.models import EvidenceKind, WageFinding
from tests.fairwork.builders import care_contract, wage_return

pytestmark = pytest.mark.django_db


@dataclass
class Records:
    contract_pk: int
    step_pk: int
    rate_pk: int
    finding_pk: int
    criterion_pk: int
    assessment_pk: int
    evidence_pk: int
    supplier_pk: int


@pytest.fixture
def records(world, contract_manager, supplier_user, council_admin) -> Records:
    contract = care_contract(world, contract_manager)
    wage_return(contract, "2025-26 Q1", by=supplier_user, outside="12.00")
    services.wage_checks_run(council=world.council, today=date(2026, 5, 15))
    step = services.plan_step_add(
        council=world.council,
        description="Apply",
        owner="HR",
        due_on=date(2026, 6, 1),
        by=council_admin,
    )
    rate = services.rate_add(
        council=world.council,
        year=2030,
        label="",
        announced_on=date(2030, 10, 1),
        pay_by=None,
        uk_rate=Decimal("20.00"),
        london_rate=None,
        source_title="Test rate (not a real announcement)",
        source_url="",
        by=council_admin,
        today=date(2026, 5, 15),
    )
    criterion = services.criterion_add(
        council=world.council,
        module="workforce",
        reference="4.1",
        text="Workforce",
        by=council_admin,
    )
    assessment = services.assessment_add(
        criterion=criterion,
        level="developing",
        narrative="Started",
        owner="HR",
        assessed_on=date(2026, 1, 5),
        by=council_admin,
        today=date(2026, 5, 15),
    )
    evidence = services.evidence_add(
        assessment=assessment,
        kind=EvidenceKind.LINK,
        description="Plan",
        url="https://example.org/",
        by=council_admin,
    )
    services.supplier_accreditation_record(
        council=world.council,
        supplier=world.supplier,
        basis=AccreditationBasis.SELF_DECLARED,
        accredited_since=date(2024, 5, 1),
        evidence_url="",
        evidence_note="Told us at the contract meeting",
        checked_on=None,
        ended_on=None,
        by=council_admin,
    )
    return Records(
        contract.pk,
        step.pk,
        rate.pk,
        WageFinding.objects.get().pk,
        criterion.pk,
        assessment.pk,
        evidence.pk,
        world.supplier.pk,
    )


COUNCIL_PAGES = [
    ("fairwork:overview", ()),
    ("fairwork:rates", ()),
    ("fairwork:accreditation", ()),
    ("fairwork:suppliers", ()),
    ("fairwork:contracts", ()),
    ("fairwork:findings", ()),
    ("fairwork:settings", ()),
    ("fairwork:equality", ()),
    ("fairwork:eflg-module", ("workforce",)),
    ("fairwork:rates-template", ()),
    ("fairwork:eflg-criteria-template", ("xlsx",)),
    ("fairwork:export-csv", ()),
    ("fairwork:export-xlsx", ()),
    ("fairwork:eflg-export-csv", ()),
    ("fairwork:eflg-export-xlsx", ()),
    ("fairwork:eflg-export-docx", ()),
    ("fairwork:chart", ("contracts",)),
    ("fairwork:chart", ("spend",)),
    ("fairwork:eflg-chart", ()),
]
COUNCIL_API = [
    "/api/v1/fair-work/rates",
    "/api/v1/fair-work/rates/in-force?on=2026-03-31&area=london",
    "/api/v1/fair-work/accreditations",
    "/api/v1/fair-work/findings",
    "/api/v1/fair-work/equality",
]


def _object_pages(r: Records) -> list[tuple[str, tuple[object, ...]]]:
    return [
        ("fairwork:step-edit", (r.step_pk,)),
        ("fairwork:rate-remove", (r.rate_pk,)),
        ("fairwork:finding-detail", (r.finding_pk,)),
        ("fairwork:supplier-detail", (r.supplier_pk,)),
        ("fairwork:contract-clause", (r.contract_pk,)),
        ("fairwork:eflg-criterion", (r.criterion_pk,)),
        ("fairwork:eflg-criterion-edit", (r.criterion_pk,)),
        ("fairwork:eflg-assess", (r.criterion_pk,)),
        ("fairwork:eflg-evidence-add", (r.assessment_pk,)),
        ("fairwork:eflg-evidence-download", (r.evidence_pk,)),
    ]


GET_ONLY = {"fairwork:eflg-criterion", "fairwork:eflg-evidence-download"}
READ_ONLY_OBJECT_PAGES = {
    "fairwork:finding-detail",
    "fairwork:supplier-detail",
    "fairwork:eflg-criterion",
}


@pytest.mark.parametrize(
    "persona", ["council_admin", "council_officer", "contract_manager", "viewer", "evaluator"]
)
def test_the_councils_people_read_every_page_and_api_route(request, records, client_for, persona):
    client = client_for(request.getfixturevalue(persona))
    for name, args in COUNCIL_PAGES:
        assert client.get(reverse(name, args=args)).status_code == 200, name
    for name, args in _object_pages(records):
        if name in READ_ONLY_OBJECT_PAGES:
            assert client.get(reverse(name, args=args)).status_code == 200, name
    for url in COUNCIL_API:
        assert client.get(url).status_code == 200, url


def test_an_admin_opens_every_form(records, client_for, council_admin):
    client = client_for(council_admin)
    for name, args in _object_pages(records):
        status = client.get(reverse(name, args=args)).status_code
        assert status == (404 if name == "fairwork:eflg-evidence-download" else 200), name
    for name in (
        "fairwork:rate-add",
        "fairwork:rates-load",
        "fairwork:accreditation-scope",
        "fairwork:accreditation-status",
        "fairwork:step-add",
        "fairwork:eflg-criterion-add",
        "fairwork:eflg-criteria-load",
    ):
        assert client.get(reverse(name)).status_code == 200, name


@pytest.mark.parametrize("persona", ["viewer", "evaluator"])
def test_read_only_people_may_not_change_anything(request, records, client_for, persona):
    client = client_for(request.getfixturevalue(persona))
    for name, args in _object_pages(records):
        if name in GET_ONLY:
            assert client.post(reverse(name, args=args), {}).status_code == 405, name
        elif name in READ_ONLY_OBJECT_PAGES:
            assert client.post(reverse(name, args=args), {}).status_code == 403, name
        else:
            assert client.get(reverse(name, args=args)).status_code == 403, name
    for name in (
        "fairwork:rate-add",
        "fairwork:accreditation-scope",
        "fairwork:accreditation-status",
        "fairwork:step-add",
        "fairwork:eflg-criterion-add",
        "fairwork:eflg-criteria-load",
        "fairwork:eflg-criteria-load-confirm",
        "fairwork:rates-load",
        "fairwork:rates-load-confirm",
    ):
        assert client.get(reverse(name)).status_code == 403, name
        assert client.post(reverse(name), {}).status_code == 403, name
    assert client.post(reverse("fairwork:contracts"), {}).status_code == 403
    assert client.post(reverse("fairwork:findings-check")).status_code == 403
    assert (
        client.post(reverse("fairwork:settings"), {"small_number_threshold": "9"}).status_code
        == 403
    )


def test_only_a_council_admin_adds_rates_and_changes_settings(records, client_for, council_officer):
    client = client_for(council_officer)
    assert client.get(reverse("fairwork:rate-add")).status_code == 403
    assert client.get(reverse("fairwork:rates-load")).status_code == 403
    assert client.post(reverse("fairwork:rates-load-confirm")).status_code == 403
    assert client.get(reverse("fairwork:rate-remove", args=[records.rate_pk])).status_code == 403
    assert (
        client.post(reverse("fairwork:settings"), {"small_number_threshold": "9"}).status_code
        == 403
    )
    # An officer may change the rest.
    assert client.get(reverse("fairwork:step-add")).status_code == 200


def test_another_councils_officer_gets_404_for_everything_of_ours(
    records, client_for, other_council_officer
):
    client = client_for(other_council_officer)
    for name, args in _object_pages(records):
        assert client.get(reverse(name, args=args)).status_code == 404, name
        expected = 405 if name in GET_ONLY else 404
        assert client.post(reverse(name, args=args), {}).status_code == expected, name
    # Their own pages show their own (empty) records, never ours.
    page = client.get(reverse("fairwork:findings")).content.decode()
    assert "RMBC-2025-001" not in page
    assert client.get("/api/v1/fair-work/findings").json() == {"items": [], "count": 0}
    rates = client.get("/api/v1/fair-work/rates").json()
    assert all(not r["added_by_council"] for r in rates)
    suppliers = client.get("/api/v1/fair-work/accreditations").json()["suppliers"]
    assert suppliers == [] or all(s["recorded_by_council"] is False for s in suppliers)


@pytest.mark.parametrize("persona", ["supplier_user", "partner_user"])
def test_suppliers_and_partners_get_404_for_council_pages(request, records, client_for, persona):
    client = client_for(request.getfixturevalue(persona))
    for name, args in COUNCIL_PAGES + _object_pages(records):
        assert client.get(reverse(name, args=args)).status_code == 404, name
    for name in ("fairwork:rates-load-confirm", "fairwork:eflg-criteria-load-confirm"):
        assert client.post(reverse(name)).status_code == 404, name
    for url in COUNCIL_API:
        assert client.get(url).status_code == 404, url


def test_a_supplier_declares_its_own_accreditation_and_sees_its_findings(
    world, records, client_for, supplier_user, council_officer
):
    client = client_for(supplier_user)
    response = client.post(
        reverse("fairwork:own-accreditation"),
        {
            "accredited_since_day": "1",
            "accredited_since_month": "5",
            "accredited_since_year": "2024",
            "evidence_url": "https://www.livingwage.org.uk/",
        },
    )
    assert response.status_code == 302
    assert world.supplier.living_wage_accreditations.filter(council__isnull=True).exists()
    page = client.get(reverse("fairwork:own-findings")).content.decode()
    assert "RMBC-2025-001" in page and "below the 2024-25 Real Living Wage" in page
    assert client_for(council_officer).get(reverse("fairwork:own-accreditation")).status_code == 404
    assert client_for(council_officer).get(reverse("fairwork:own-findings")).status_code == 404


def test_a_partner_declares_too_but_a_contributor_of_a_supplier_only_reads(
    world, client_for, partner_user
):
    client = client_for(partner_user)
    response = client.post(
        reverse("fairwork:own-accreditation"),
        {
            "accredited_since_day": "1",
            "accredited_since_month": "9",
            "accredited_since_year": "2021",
        },
    )
    assert response.status_code == 302
    from commonweal.accounts.models import Membership, User

    contributor = User.objects.create_user(email="c@donvalley.test", password="x", full_name="C")
    Membership.objects.create(
        user=contributor, organisation=world.supplier, role="supplier_contributor"
    )
    other = client_for(contributor)
    assert other.get(reverse("fairwork:own-accreditation")).status_code == 200
    assert other.post(reverse("fairwork:own-accreditation"), {}).status_code == 403


def test_sources_and_licences_is_public(client):
    page = Client().get(reverse("fairwork:sources")).content.decode()
    assert "Sources and licences" in page
    for text in (
        "Living Wage Foundation",
        "DESNZ",
        "HM Treasury",
        "2022 prices",
        "2024 = 100",
        "Open Government Licence v3.0",
    ):
        assert text in page
    note = Client().get(reverse("fairwork:source-note", args=["gdp-deflator"])).content.decode()
    assert "CALENDAR-YEAR" in note
    assert Client().get(reverse("fairwork:source-note", args=["nothing"])).status_code == 404


def test_signed_out_people_are_sent_to_sign_in(records):
    response = Client().get(reverse("fairwork:overview"))
    assert response.status_code == 302
    assert Client().get("/api/v1/fair-work/rates").status_code == 401


def test_the_job_reading_a_councils_rates_workbook_is_its_own(
    world, client_for, council_admin, council_officer, other_council_officer, supplier_user
):
    """The job page of a workbook being read: the council's people see it (and its problems);
    another council's officer and a supplier get 404; only the admin who may load rates
    confirms them."""
    workbook = io.BytesIO()
    sheet = Workbook()
    sheet.active.append(["Year", "Announced on", "UK rate", "Source"])
    sheet.active.append([2026, "2026-10-20", "14.5x", "Living Wage Foundation"])
    sheet.save(workbook)
    upload = SimpleUploadedFile("rates.xlsx", workbook.getvalue())
    client_for(council_admin).post(reverse("fairwork:rates-load"), {"file": upload})
    job = Job.objects.get()
    url = reverse("accounts:job-detail", args=[job.pk])
    assert client_for(council_admin).get(url).status_code == 200
    assert client_for(council_officer).get(url).status_code == 200
    assert client_for(other_council_officer).get(url).status_code == 404
    assert client_for(supplier_user).get(url).status_code == 404
    assert (
        client_for(council_officer).post(reverse("fairwork:rates-load-confirm")).status_code == 403
    )
