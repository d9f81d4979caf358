"""The demo seeds one procurement in planning, one open tender with a draft, one awarded tender."""

from __future__ import annotations

import pytest

from commonweal.commissioning.models import Procurement
from commonweal.tenders.models import OfferSubmission, Tender

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_a_plan_an_open_tender_and_an_awarded_one():
    from commonweal.demo.seed import seed_demo

    seed_demo()
    assert Procurement.objects.filter(status="planning").count() == 1
    open_tender = Tender.objects.get(procurement__title__startswith="School meals")
    assert open_tender.status == "Open"
    draft = open_tender.offers.get()
    assert draft.lines.exists() and not draft.submissions.exists()
    awarded = Tender.objects.get(procurement__title__startswith="Home-to-school")
    assert awarded.status == "Awarded" and awarded.contract_id is not None
    assert OfferSubmission.objects.filter(offer__tender=awarded).count() == 3
