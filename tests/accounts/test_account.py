from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_everyone_signed_in_sees_their_own_account_page(
    client_for, council_officer, supplier_user, partner_user
):
    for person in (council_officer, supplier_user, partner_user):
        page = client_for(person).get(reverse("accounts:account")).content.decode()
        assert person.email in page
        assert "Security code" in page


def test_the_account_pages_need_a_signed_in_person(db):
    for name in ("accounts:account", "accounts:password-change", "accounts:two-factor-setup"):
        response = Client().get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_a_person_changes_their_password(client_for, council_officer):
    client = client_for(council_officer)
    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another long enough password",
            "new_password2": "another long enough password",
        },
    )
    assert response.status_code == 302
    council_officer.refresh_from_db()
    assert council_officer.check_password("another long enough password")


def test_a_weak_new_password_is_refused_with_the_reason(client_for, council_officer):
    response = client_for(council_officer).post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
    )
    page = response.content.decode()
    assert "There is a problem" in page
    assert "too short" in page


def test_a_person_may_turn_off_codes_their_organisation_does_not_require(
    client_for, council_officer
):
    TOTPDevice.objects.create(user=council_officer, name="app", confirmed=True)
    response = client_for(council_officer).post(reverse("accounts:two-factor-remove"))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=council_officer).exists()


def test_sign_out_ends_the_session(client_for, council_officer):
    client = client_for(council_officer)
    client.post(reverse("accounts:sign-out"))
    assert client.get(reverse("accounts:account")).status_code == 302
