"""OCDS out: the council's awarded contracts as an OCDS 1.1 release package, and Contract
Performance Notices (UK9) as OCDS, each validated with libcoveocds against the schema with no
network; a sealed or unawarded tender never appears."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from commonweal.api.tokens import token_create
from commonweal.frameworks.models import Framework
from commonweal.monitoring.models import Kpi, KpiAssessment
from commonweal.ocds import releases
from commonweal.tenders import services as tender_services
from tests.commissioning.builders import planned_procurement
from tests.contracts.builders import build_contract, build_measures
from tests.monitoring.helpers import decide, file_return
from tests.ocds.validation import extensions_served, problems, validate
from tests.tenders.conftest import pass_deadline, sign_off, submitted_offer
from tests.tenders.test_evaluation import score_everything

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(world, contract_manager, supplier_user):
    world.supplier.company_number = "01234567"
    world.supplier.charity_number = "1123456"
    world.supplier.is_vcse = True
    world.supplier.save()
    measures = build_measures(world.council)
    contract = build_contract(
        world.council, world.supplier, measures, contract_manager=contract_manager
    )
    supplier_return = file_return(contract, "2025-26 Q1", {"RM1": "0.5"}, by=supplier_user)
    decide(supplier_return, {"RM1": ("verified", "0.5", "")}, by=contract_manager)
    return contract


def _package(council, urls):
    return releases.json_ready(
        releases.release_package(council, extension_urls={"social_value": urls["social_value"]})
    )


def test_the_release_package_validates_and_carries_each_stage(contract, world, tmp_path):
    with extensions_served() as urls:
        package = _package(world.council, urls)
        report = validate(package, tmp_path)
    assert problems(report) == []
    (release,) = package["releases"]
    assert release["ocid"].endswith(f"-E08000018-{contract.pk}")
    assert set(release["tag"]) == {"tender", "award", "contract"}
    supplier = next(p for p in release["parties"] if p["roles"] == ["supplier"])
    assert supplier["id"] == "GB-COH-01234567"
    assert supplier["identifier"] == {
        "scheme": "GB-COH",
        "id": "01234567",
        "legalName": "Don Valley Catering Ltd",
    }
    assert supplier["additionalIdentifiers"] == [{"scheme": "GB-CHC", "id": "1123456"}]
    assert supplier["details"] == {"scale": "sme", "vcse": True}
    assert release["awards"][0]["value"] == {"amount": 500000, "currency": "GBP"}
    assert release["awards"][0]["suppliers"] == [
        {"id": "GB-COH-01234567", "name": supplier["name"]}
    ]
    (awarded,) = release["contracts"]
    assert awarded["period"]["startDate"].startswith("2025-04-01")
    jobs = awarded["socialValue"]["commitments"][0]
    assert jobs["measure"]["id"] == "RM1"
    assert jobs["committedValue"] == {"amount": 40000, "currency": "GBP"}
    assert [y["contractYear"] for y in jobs["years"]] == [1, 2]


def test_verified_delivery_stands_apart_from_the_commitment(contract, world):
    package = releases.json_ready(releases.release_package(world.council))
    jobs = package["releases"][0]["contracts"][0]["socialValue"]["commitments"][0]
    # Committed and verified are separate fields, never added together.
    assert jobs["verifiedDelivery"]["quantity"] == 0.5
    assert jobs["committedQuantity"] == 4
    assert "verifiedDelivery" in jobs and jobs["committedValue"]["amount"] == 40000


def test_licensed_values_are_withheld_but_quantities_published(contract, world):
    Framework.objects.update(values_restricted=True)
    text = json.dumps(releases.json_ready(releases.release_package(world.council)))
    jobs = json.loads(text)["releases"][0]["contracts"][0]["socialValue"]["commitments"][0]
    assert jobs["valueWithheld"] is True
    assert "committedValue" not in jobs and "value" not in jobs["verifiedDelivery"]
    assert jobs["committedQuantity"] == 4


def test_a_sealed_or_unawarded_tender_never_appears(
    world, council_officer, supplier_user, second_supplier, evaluator, contract_manager, tmp_path
):
    # One tender still open (its offer sealed), one opened but not awarded, one awarded.
    sealed = tender_services.tender_issue(
        procurement=planned_procurement(world.council, council_officer),
        deadline=timezone.now() + timedelta(days=14),
        by=council_officer,
    )
    submitted_offer(sealed, world.supplier, supplier_user, {("LE1", 1): 7})

    def another(title):
        procurement = planned_procurement(
            world.council, council_officer, set_version=sealed.measure_set_version
        )
        type(procurement).objects.filter(pk=procurement.pk).update(title=title)
        procurement.refresh_from_db()
        return procurement

    unawarded = tender_services.tender_issue(
        procurement=another("Grounds care"),
        deadline=timezone.now() + timedelta(days=14),
        by=council_officer,
    )
    submitted_offer(unawarded, world.supplier, supplier_user, {("LE1", 1): 3})
    pass_deadline(unawarded)
    tender_services.tender_open(tender=unawarded, by=council_officer)
    awarded = tender_services.tender_issue(
        procurement=another("Library cleaning"),
        deadline=timezone.now() + timedelta(days=14),
        by=council_officer,
    )
    supplier, user = second_supplier
    first = submitted_offer(awarded, world.supplier, supplier_user, {("LE1", 1): 2})
    second = submitted_offer(awarded, supplier, user, {("AP1", 1): 120})
    assignment = tender_services.evaluator_assign(
        tender=awarded, evaluator=evaluator, by=council_officer
    )
    pass_deadline(awarded)
    tender_services.tender_open(tender=awarded, by=council_officer)
    score_everything(awarded, first, second, assignment, evaluator, council_officer)
    sign_off(awarded, council_officer, evaluator)
    tender_services.tender_award(
        tender=awarded,
        start_date=date(2027, 4, 1),
        contract_manager=contract_manager,
        by=council_officer,
    )
    with extensions_served() as urls:
        package = _package(world.council, urls)
        assert problems(validate(package, tmp_path)) == []
    text = json.dumps(package)
    (release,) = package["releases"]
    assert release["tender"]["id"] == awarded.reference
    assert release["tender"]["tenderPeriod"]["endDate"]
    for hidden in (sealed, unawarded):
        assert hidden.reference not in text and hidden.title not in text
    # Nothing of the losing bidder either.
    assert "Rother Facilities" not in text


def test_the_register_offers_the_download_to_council_staff_only(
    contract, client_for, viewer, supplier_user, other_council_officer, partner_user
):
    register = client_for(viewer).get("/contracts/").content.decode()
    assert "/ocds/contracts.json" in register
    response = client_for(viewer).get("/ocds/contracts.json")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content)["releases"][0]["contracts"][0]["id"] == "RMBC-2025-001"
    for outsider in (supplier_user, other_council_officer, partner_user):
        assert client_for(outsider).get("/ocds/contracts.json").status_code == 404 or (
            json.loads(client_for(outsider).get("/ocds/contracts.json").content)["releases"] == []
        )
    assert client_for(supplier_user).get("/ocds/contracts.json").status_code == 404
    assert client_for(partner_user).get("/ocds/contracts.json").status_code == 404
    other = json.loads(client_for(other_council_officer).get("/ocds/contracts.json").content)
    assert other["releases"] == []


def test_the_package_through_the_api_with_a_token(contract, viewer, world):
    _, secret = token_create(
        user=viewer, organisation=world.council, name="OCDS", scope="read", lifetime_days=7
    )
    response = Client().get("/api/v1/ocds/contracts", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert response.json()["version"] == "1.1"
    assert response.json()["releases"][0]["contracts"][0]["socialValue"]["commitments"]


def test_the_extension_is_published_with_its_documentation():
    client = Client()
    extension = client.get("/ocds/extensions/social-value/extension.json").json()
    assert extension["documentationUrl"]["en"].endswith("/ocds/extensions/social-value/README.md")
    assert (
        "SocialValueCommitment"
        in client.get("/ocds/extensions/social-value/release-schema.json").json()["definitions"]
    )
    assert client.get("/ocds/extensions/social-value/README.md").status_code == 200
    assert client.get("/ocds/extensions/social-value/secrets.txt").status_code == 404


def test_the_contract_performance_notice_validates_with_kpis_and_supplier_ids(
    contract, world, council_admin, client_for, supplier_user, tmp_path
):
    kpi = Kpi.objects.create(
        contract=contract, name="Meals on time", description="Share of meals served by 12:15"
    )
    KpiAssessment.objects.create(
        kpi=kpi,
        period_start=date(2025, 4, 1),
        period_end=date(2026, 3, 31),
        rating="approaching_target",
        explanation="94% against a 97% target",
    )
    with extensions_served() as urls:
        package = releases.json_ready(
            releases.performance_notice_package(contract, metrics_url=urls["metrics"])
        )
        assert problems(validate(package, tmp_path)) == []
    (release,) = package["releases"]
    supplier = next(p for p in release["parties"] if "supplier" in p["roles"])
    assert supplier["identifier"]["id"] == "01234567"
    implementation = release["contracts"][0]["implementation"]
    assert implementation["documents"][0]["noticeType"] == "UK9"
    (metric,) = implementation["metrics"]
    assert metric["description"] == "Share of meals served by 12:15"
    assert metric["observations"][0]["measure"] == "Approaching target"
    page = client_for(council_admin).get(f"/ocds/contracts/{contract.pk}/performance-notice.json")
    assert page.status_code == 200
    supplier_page = client_for(supplier_user).get(
        f"/ocds/contracts/{contract.pk}/performance-notice.json"
    )
    assert supplier_page.status_code == 404
