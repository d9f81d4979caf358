from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.models import Membership, User
from commonweal.accounts.roles import Role
from commonweal.accounts.services import invitation_create
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _path(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def test_a_new_person_accepts_an_invitation_and_creates_an_account(world, council_admin):
    _, link = invitation_create(
        organisation=world.council,
        email="new@rotherham.test",
        role=Role.EVALUATOR,
        by=council_admin,
    )
    client = Client()
    page = client.get(_path(link))
    assert "Join Rotherham Metropolitan Borough Council" in page.content.decode()
    response = client.post(
        _path(link),
        {
            "full_name": "Nia New",
            "password": "a long enough password",
            "password_again": "a long enough password",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new@rotherham.test")
    assert Membership.objects.get(user=user).role == Role.EVALUATOR
    assert "Welcome, Nia New" in client.get(reverse("home:home")).content.decode()
    # The link works once.
    assert client.get(_path(link)).status_code == 410


def test_mismatched_passwords_are_named_and_nothing_is_created(world, council_admin):
    _, link = invitation_create(
        organisation=world.council, email="new@rotherham.test", role=Role.VIEWER, by=council_admin
    )
    response = Client().post(
        _path(link),
        {"full_name": "Nia", "password": "a long enough password", "password_again": "different"},
    )
    assert "The passwords do not match" in response.content.decode()
    assert not User.objects.filter(email="new@rotherham.test").exists()


def test_an_existing_person_signs_in_to_accept(world, council_admin, supplier_user):
    _, link = invitation_create(
        organisation=world.council, email="femi@donvalley.test", role=Role.VIEWER, by=council_admin
    )
    client = Client()
    response = client.get(_path(link))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))
    client.post(reverse("accounts:sign-in"), {"email": "femi@donvalley.test", "password": PASSWORD})
    client.post(_path(link))
    assert Membership.objects.filter(user=supplier_user, organisation=world.council).exists()


def test_an_expired_invitation_cannot_be_used(world, council_admin):
    invitation, link = invitation_create(
        organisation=world.council, email="late@rotherham.test", role=Role.VIEWER, by=council_admin
    )
    invitation.expires_at = timezone.now() - timedelta(minutes=1)
    invitation.save()
    response = Client().get(_path(link))
    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_an_unknown_invitation_is_404(db):
    assert Client().get("/invitations/not-a-real-token/").status_code == 404


def test_inviting_an_existing_member_is_refused(world, council_admin, council_officer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="already a member"):
        invitation_create(
            organisation=world.council,
            email="officer@rotherham.test",
            role=Role.VIEWER,
            by=council_admin,
        )
