"""The demo seeds a year of Rotherham spend, imported, linked and ready to analyse."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from commonweal.accounts.models import Organisation
from commonweal.accounts.roles import Role
from commonweal.core.demo import seed_demo
from commonweal.cwb import analyses, multiplier
from commonweal.cwb.demo import DEMO_HEADER, demo_spend_rows
from commonweal.cwb.models import Lm3Study, RegisterSupplier, SpendImportRun, SupplierReviewPair
from commonweal.spend_engine.layouts import detect_mapping

pytestmark = pytest.mark.django_db


def test_the_demo_file_uses_a_layout_the_importer_recognises():
    assert detect_mapping(DEMO_HEADER).is_complete
    rows = demo_spend_rows()
    assert len(rows) == 400 and rows == demo_spend_rows(), "the same file every time"
    assert any(r[4] == "REDACTED PERSONAL DATA" for r in rows)
    assert any(r[8].startswith("-") for r in rows), "credit notes"


def test_seeding_the_demo_imports_links_and_analyses_rotherham_spend():
    seed_demo()
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


def test_the_demo_leaves_a_handful_of_names_to_review_and_an_lm3_study_to_read(client_for, db):
    seed_demo()
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


def test_the_demo_partners_share_pooled_figures_in_the_councils_anchor_network(client_for, db):
    seed_demo()
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
