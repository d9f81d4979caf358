"""Persona tests for the council's tender pages: who may manage, who may only read, who gets 404."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from commonweal.tenders import services
from commonweal.tenders.models import EvaluatorAssignment, TenderInvitation
from commonweal.tenders.templatetags.tender_tags import quantity

pytestmark = pytest.mark.django_db


def test_every_council_member_reads_the_tender_page(
    tender, client_for, council_admin, council_officer, evaluator, contract_manager, viewer
):
    for person in (council_admin, council_officer, evaluator, contract_manager, viewer):
        page = client_for(person).get(reverse("tenders:detail", args=[tender.pk]))
        assert page.status_code == 200
        assert tender.reference in page.content.decode()
        listing = client_for(person).get(reverse("tenders:list")).content.decode()
        assert tender.reference in listing


def test_only_managers_invite_bidders_and_add_evaluators(
    tender, client_for, evaluator, contract_manager, viewer
):
    for person in (evaluator, contract_manager, viewer):
        client = client_for(person)
        invite = client.post(reverse("tenders:invite", args=[tender.pk]), {"email": "a@b.test"})
        assert invite.status_code == 403
        assert client.get(reverse("tenders:evaluator-assign", args=[tender.pk])).status_code == 403
        assert (
            client.post(
                reverse("tenders:evaluator-assign", args=[tender.pk]), {"evaluator": person.pk}
            ).status_code
            == 403
        )
    assert not TenderInvitation.objects.exists()
    assert not EvaluatorAssignment.objects.exists()


def test_a_commissioner_adds_an_evaluator_who_then_declares_once_bidders_are_named(
    tender, world, supplier_user, client_for, council_officer, evaluator, viewer
):
    from commonweal.tenders.selectors import standing
    from tests.tenders.conftest import pass_deadline, submitted_offer

    submitted_offer(tender, world.supplier, supplier_user, {("LE1", 1): 2})
    client_for(council_officer).post(
        reverse("tenders:evaluator-assign", args=[tender.pk]), {"evaluator": evaluator.pk}
    )
    assert EvaluatorAssignment.objects.get().evaluator == evaluator
    declaration = reverse("tenders:declaration", args=[tender.pk])
    # Before opening nobody can name a bidder, so there is nothing to declare against.
    assert client_for(evaluator).get(declaration).status_code == 404
    pass_deadline(tender)
    services.tender_open(tender=tender, by=council_officer)
    # Only people taking part in the evaluation declare.
    assert client_for(viewer).get(declaration).status_code == 403
    page = client_for(evaluator).get(declaration).content.decode()
    assert "Don Valley Catering Ltd" in page
    response = client_for(evaluator).post(declaration, {"has_conflict": "no", "confirm": "on"})
    assert response.status_code == 302
    assert standing(evaluator, tender).may_evaluate


def test_outsiders_get_404_for_the_council_tender_pages(
    tender, client_for, other_council_officer, partner_user, supplier_user
):
    urls = [
        reverse("tenders:detail", args=[tender.pk]),
        reverse("tenders:evaluator-assign", args=[tender.pk]),
        reverse("tenders:declaration", args=[tender.pk]),
        reverse("tenders:issue", args=[tender.procurement.pk]),
    ]
    for person in (other_council_officer, partner_user, supplier_user):
        client = client_for(person)
        for url in urls:
            assert client.get(url).status_code == 404, (person, url)
        assert (
            client.post(
                reverse("tenders:invite", args=[tender.pk]), {"email": "a@b.test"}
            ).status_code
            == 404
        )
        assert client.post(reverse("tenders:open", args=[tender.pk])).status_code == 404
    assert client_for(partner_user).get(reverse("tenders:list")).status_code == 404
    assert (
        tender.reference
        not in client_for(other_council_officer).get(reverse("tenders:list")).content.decode()
    )
    # A supplier lists only tenders it has an offer on.
    assert (
        tender.reference
        not in client_for(supplier_user).get(reverse("tenders:list")).content.decode()
    )


def test_the_share_link_is_public_but_a_wrong_token_is_404(tender, client):
    assert client.get(reverse("tenders:join", args=[tender.share_token])).status_code == 200
    assert client.get(reverse("tenders:join", args=["not-a-token"])).status_code == 404


def test_the_share_link_refuses_registration_after_the_deadline(tender, client):
    from tests.tenders.conftest import pass_deadline

    pass_deadline(tender)
    page = client.get(reverse("tenders:join", args=[tender.share_token])).content.decode()
    assert "This tender no longer takes offers" in page


def test_quantities_are_written_as_gov_uk_writes_numbers():
    assert quantity(Decimal("15000.0000")) == "15,000"
    assert quantity(Decimal("12.5000")) == "12.5"
    assert quantity(Decimal("1E+2")) == "100"
    assert quantity(None) == ""
