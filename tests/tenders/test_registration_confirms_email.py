"""A supplier that registers through a tender's share link confirms its email address before
its offer can be submitted (issue 18, item 8): the link lets anyone register under any address,
and an offer is a commitment made in that person's name."""

from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from commonweal.accounts.models import User
from commonweal.tenders import services
from commonweal.tenders.models import Offer, OfferSubmission

pytestmark = pytest.mark.django_db


def register(client: Client, tender) -> User:
    client.post(
        reverse("tenders:join", args=[tender.share_token]),
        {
            "organisation_name": "Maltby Youth Trust",
            "company_number": "",
            "postcode": "S66 8AA",
            "is_sme": "yes",
            "full_name": "Sam Hill",
            "email": "sam@maltby.test",
            "password": "a long enough passphrase",
        },
    )
    return User.objects.get(email="sam@maltby.test")


def fill_in(offer: Offer, user: User) -> None:
    question = offer.tender.procurement.questions.get()
    services.offer_save_draft(
        offer=offer,
        by=user,
        quantities={("LE1", 1): Decimal(1)},
        answers={question.pk: "Through the Rotherham Opportunities College programme"},
    )


def confirmation_link() -> str:
    message = next(m for m in mail.outbox if "Confirm your email address" in m.subject)
    return re.search(r"https?://\S+/account/confirm-email/\S+/", message.body).group(0)


def test_a_registered_supplier_cannot_submit_until_it_follows_the_emailed_link(
    tender, django_capture_on_commit_callbacks
):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        user = register(client, tender)
    assert user.email_confirmation_pending
    offer = Offer.objects.get()
    fill_in(offer, user)
    page = client.get(reverse("tenders:offer", args=[tender.pk])).content.decode()
    assert "Confirm your email address" in page and "sam@maltby.test" in page

    response = client.post(reverse("tenders:offer-submit", args=[tender.pk]))
    assert not OfferSubmission.objects.exists()
    with pytest.raises(ValidationError, match="Confirm your email address"):
        services.offer_submit(offer=offer, by=user)

    link = confirmation_link()
    response = client.get(urlsplit(link).path)
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.email_confirmation_pending
    services.offer_submit(offer=offer, by=user)
    assert OfferSubmission.objects.count() == 1


def test_the_link_can_be_sent_again_and_a_forged_one_is_refused(
    tender, django_capture_on_commit_callbacks
):
    client = Client()
    user = register(client, tender)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:email-confirm-resend"))
    assert "sam@maltby.test" in mail.outbox[0].to
    forged = client.get(reverse("accounts:email-confirm", args=["not-a-real-token"]))
    assert forged.status_code == 200
    assert "This link is not valid" in forged.content.decode()
    user.refresh_from_db()
    assert user.email_confirmation_pending


def test_people_invited_by_email_need_not_confirm_again(tender, world, supplier_user):
    assert not supplier_user.email_confirmation_pending
    offer = services.offer_start(tender=tender, supplier=world.supplier, by=supplier_user)
    fill_in(offer, supplier_user)
    services.offer_submit(offer=offer, by=supplier_user)
    assert OfferSubmission.objects.count() == 1
