"""The demo seeds a year of Rotherham spend, imported, linked and ready to analyse."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from commonweal.accounts.models import Organisation
from commonweal.accounts.roles import Role
from commonweal.cwb import analyses, multiplier
from commonweal.cwb.models import Lm3Study, RegisterSupplier, SpendImportRun, SupplierReviewPair
from commonweal.demo.cwb import (
    DEMO_HEADER,
    UPLOAD_FILE_NAME,
    UPLOAD_HEADER,
    UPLOAD_YEAR_START,
    demo_spend_rows,
)
from commonweal.spend_engine.layouts import detect_mapping
from tests.cwb.conftest import choose_columns_and_import, upload

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]


def test_the_demo_file_uses_a_layout_the_importer_recognises():
    assert detect_mapping(DEMO_HEADER).is_complete
    rows = demo_spend_rows()
    assert len(rows) == 400 and rows == demo_spend_rows(), "the same file every time"
    assert any(r[4] == "REDACTED PERSONAL DATA" for r in rows)
    assert any(r[8].startswith("-") for r in rows), "credit notes"


def test_the_demo_file_is_offered_only_in_the_demo_and_only_to_those_who_import(
    settings, client_for, council_officer, viewer, supplier_user
):
    url = reverse("demo:spend-file")
    settings.DEMO_MODE = False
    assert client_for(council_officer).get(url).status_code == 404
    assert (
        "demo-file"
        not in client_for(council_officer).get(reverse("cwb:import-new")).content.decode()
    )
    settings.DEMO_MODE = True
    assert client_for(council_officer).get(url).status_code == 200
    assert client_for(viewer).get(url).status_code == 403
    assert client_for(supplier_user).get(url).status_code == 404


# The tests below share one seeded demo (its Rotherham is the persona fixtures' Rotherham too,
# so tests that use those fixtures stand above them).


def test_seeding_the_demo_imports_links_and_analyses_rotherham_spend(seeded_demo):
    rotherham = Organisation.objects.get(gss_code="E08000018")
    run = SpendImportRun.objects.get(organisation=rotherham)
    assert run.status == SpendImportRun.Status.COMPLETED and run.rows_accepted == 400
    # Two published spellings of Don Valley Catering are one register supplier.
    don_valley = RegisterSupplier.objects.get(
        organisation=rotherham, display_name__istartswith="DON VALLEY"
    )
    assert don_valley.name_count == 2 and don_valley.in_borough is True
    year = analyses.year_of(analyses.organisation_analysis(rotherham), "2024-25")
    assert year is not None and year.total_pence == run.total_pence
    assert year.in_borough.pence > 0 and year.in_combined_authority.pence > year.in_borough.pence


def test_the_demo_leaves_a_handful_of_names_to_review_and_an_lm3_study_to_read(
    seeded_demo, client_for
):
    rotherham = Organisation.objects.get(gss_code="E08000018")
    pairs = SupplierReviewPair.objects.filter(organisation=rotherham)
    assert 3 <= pairs.count() <= 10, "a handful, not none and not a flood"
    study = Lm3Study.objects.get(organisation=rotherham)
    answered = study.surveys.exclude(responded_at=None)
    assert answered.count() == 2 and study.surveys.filter(responded_at=None).count() == 1
    outcome = multiplier.study_outcome(study)
    assert Decimal(1) < outcome.result.lm3 < Decimal(3)
    admin = rotherham.memberships.get(role=Role.COUNCIL_ADMIN).user
    client = client_for(admin)
    page = client.get(reverse("cwb:lm3-detail", args=[study.pk])).content.decode()
    assert "Demo assumptions" in page
    queue = client.get(reverse("cwb:review-queue")).content.decode()
    assert "There are no pairs to check" not in queue


def test_the_demo_partners_share_pooled_figures_in_the_councils_anchor_network(
    seeded_demo, client_for
):
    rotherham = Organisation.objects.get(gss_code="E08000018")
    (network,) = rotherham.convened_anchor_networks.all()
    statuses = sorted(network.members.values_list("status", flat=True))
    assert statuses == ["invited", "joined", "joined", "joined"]
    figures = analyses.network_figures(network, None)
    assert figures.year is not None and figures.year.member_count == 3
    council_year = analyses.year_of(analyses.organisation_analysis(rotherham), "2024-25")
    assert council_year is not None and figures.year.total_pence > council_year.total_pence
    hospital = Organisation.objects.get(name__startswith="Rotherham Hospital Trust")
    partner = client_for(hospital.memberships.get().user)
    page = partner.get(reverse("cwb:network-detail", args=[network.pk])).content.decode()
    assert "Combined figures 2024-25" in page


def test_a_person_trying_the_demo_imports_next_years_file_choosing_its_unknown_columns(
    seeded_demo, settings, client_for, tmp_path
):
    settings.DEMO_MODE = True
    rotherham = Organisation.objects.get(gss_code="E08000018")
    client = client_for(rotherham.memberships.get(role=Role.COUNCIL_ADMIN).user)
    page = client.get(reverse("cwb:import-new")).content.decode()
    assert reverse("demo:spend-file") in page

    download = client.get(reverse("demo:spend-file"))
    assert download["Content-Type"].startswith("text/csv")
    assert UPLOAD_FILE_NAME in download["Content-Disposition"]
    path = tmp_path / UPLOAD_FILE_NAME
    path.write_bytes(download.content)
    mapping = detect_mapping(UPLOAD_HEADER)
    assert set(mapping.missing_required) == {"payment_date", "amount_pence"}

    response = upload(client, path)
    run = SpendImportRun.objects.get(status=SpendImportRun.Status.DRAFT)
    assert client.get(response["Location"])["Location"] == reverse(
        "cwb:import-columns", args=[run.pk]
    )
    page = client.get(reverse("cwb:import-columns", args=[run.pk])).content.decode()
    assert "Suggested “Txn Dt”" in page and "Suggested “Val”" in page
    run = choose_columns_and_import(
        client,
        run,
        {
            "payment_date": "Txn Dt",
            "amount_pence": "Val",
            "supplier_name": "Payee",
            "source_supplier_id": "Creditor No",
            "service_area": "Cost Centre",
        },
    )
    assert run.status == SpendImportRun.Status.COMPLETED, run.error
    assert (run.rows_accepted, run.rows_rejected) == (480, 0)
    assert run.first_payment_date >= UPLOAD_YEAR_START
    assert run.last_payment_date < UPLOAD_YEAR_START.replace(year=2026)
