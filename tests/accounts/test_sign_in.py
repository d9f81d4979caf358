from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from commonweal.accounts.models import SignInAttempt, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client: Client, email: str, password: str):
    return client.post(reverse("accounts:sign-in"), {"email": email, "password": password})


def test_a_council_officer_signs_in_with_email_and_password(council_officer):
    client = Client()
    response = sign_in(client, "Officer@Rotherham.test", PASSWORD)
    assert response.status_code == 302
    home = client.get(reverse("home:home")).content.decode()
    assert "Welcome, Ben Carter" in home
    assert "commissioner" in home


def test_a_supplier_signs_in_and_sees_their_own_organisation(supplier_user):
    client = Client()
    sign_in(client, "femi@donvalley.test", PASSWORD)
    home = client.get(reverse("home:home")).content.decode()
    assert "Don Valley Catering Ltd" in home
    assert "Audit trail" not in home


def test_a_wrong_password_is_refused_with_a_clear_message(council_officer):
    response = sign_in(Client(), "officer@rotherham.test", "wrong password here")
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.content.decode()


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(council_officer):
    client = Client()
    for _ in range(5):
        sign_in(client, "officer@rotherham.test", "wrong password here")
    response = sign_in(client, "officer@rotherham.test", PASSWORD)
    page = response.content.decode()
    assert response.status_code == 200
    assert "too many times" in page
    assert "Wait 15 minutes" in page
    assert "_auth_user_id" not in client.session


def test_the_lockout_ends_after_its_time(council_officer):
    long_ago = timezone.now() - timedelta(minutes=16)
    for _ in range(5):
        SignInAttempt.objects.create(
            email="officer@rotherham.test", succeeded=False, attempted_at=long_ago
        )
    assert sign_in(Client(), "officer@rotherham.test", PASSWORD).status_code == 302


def test_a_successful_sign_in_resets_the_count(council_officer):
    client = Client()
    for _ in range(4):
        sign_in(client, "officer@rotherham.test", "wrong password here")
    assert sign_in(client, "officer@rotherham.test", PASSWORD).status_code == 302
    client.post(reverse("accounts:sign-out"))
    assert sign_in(client, "officer@rotherham.test", "wrong password here").status_code == 200
    assert sign_in(client, "officer@rotherham.test", PASSWORD).status_code == 302


def test_passwords_are_hashed_with_argon2(settings, world):
    from tests.factories import UserFactory

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = UserFactory(email="argon@example.org")
    user.set_password("a long enough password")
    assert user.password.startswith("argon2")


def _confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def test_a_person_with_an_authenticator_app_must_enter_the_code(council_officer):
    device = _confirmed_device(council_officer)
    client = Client()
    response = sign_in(client, "officer@rotherham.test", PASSWORD)
    assert response["Location"] == reverse("accounts:security-code")
    assert "_auth_user_id" not in client.session

    wrong = client.post(reverse("accounts:security-code"), {"code": "000000"})
    assert "The security code is not right" in wrong.content.decode()
    # A wrong code makes the device wait before the next try; let the wait pass.
    device.refresh_from_db()
    device.throttle_reset()

    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    response = client.post(reverse("accounts:security-code"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("home:home")).status_code == 200
    assert "Welcome" in client.get(reverse("home:home")).content.decode()


def test_a_council_that_requires_codes_sends_staff_to_set_one_up(world, council_officer):
    world.council.require_two_factor = True
    world.council.save()
    client = Client()
    sign_in(client, "officer@rotherham.test", PASSWORD)
    response = client.get(reverse("home:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two-factor-setup"))

    setup = client.get(response["Location"])
    assert "Set up your authenticator app" in setup.content.decode()
    device = TOTPDevice.objects.get(user=council_officer, confirmed=False)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    client.post(reverse("accounts:two-factor-setup"), {"code": code})
    assert TOTPDevice.objects.get(user=council_officer).confirmed
    assert client.get(reverse("home:home")).status_code == 200


def test_staff_of_a_council_that_requires_codes_cannot_turn_them_off(
    world, client_for, council_officer
):
    world.council.require_two_factor = True
    world.council.save()
    _confirmed_device(council_officer)
    client = client_for(council_officer)
    response = client.post(reverse("accounts:two-factor-remove"))
    assert response.status_code == 403
    assert "requires a security code" in response.content.decode()
    assert TOTPDevice.objects.filter(user=council_officer).exists()


def test_password_reset_sends_a_link_that_sets_a_new_password(council_officer):
    from django.core import mail

    client = Client()
    response = client.post(reverse("accounts:password-reset"), {"email": "officer@rotherham.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    path = link.split("testserver", 1)[1].strip()
    form_page = client.get(path, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {
            "new_password1": "a brand new long password",
            "new_password2": "a brand new long password",
        },
    )
    assert response.status_code == 302
    assert (
        sign_in(Client(), "officer@rotherham.test", "a brand new long password").status_code == 302
    )


def test_switching_organisation_changes_who_you_act_for(world, council_officer):
    from commonweal.accounts.models import Membership
    from commonweal.accounts.roles import Role

    supplier_membership = Membership.objects.create(
        user=council_officer, organisation=world.supplier, role=Role.SUPPLIER_CONTRIBUTOR
    )
    client = Client()
    client.force_login(council_officer)
    assert "Acting for" in client.get(reverse("home:home")).content.decode()
    client.post(
        reverse("accounts:switch-organisation"), {"membership": supplier_membership.pk, "next": "/"}
    )
    home = client.get(reverse("home:home")).content.decode()
    assert "supplier contributor for Don Valley Catering Ltd" in home


def test_you_cannot_switch_to_an_organisation_you_do_not_belong_to(
    world, client_for, council_officer, other_council_officer
):
    from commonweal.accounts.models import Membership

    theirs = Membership.objects.get(user=other_council_officer)
    response = client_for(council_officer).post(
        reverse("accounts:switch-organisation"), {"membership": theirs.pk}
    )
    assert response.status_code == 404


def test_a_signed_in_person_and_their_memberships_are_read_back_in_one_query(
    council_officer, client_for
):
    client = client_for(council_officer)
    client.get(reverse("home:home"))  # the session, read once into the cache
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home:home")).status_code == 200
    first = captured.captured_queries[0]["sql"]
    assert "accounts_membership" in first and "accounts_user" in first
    assert not any(
        'FROM "accounts_user"' in query["sql"] for query in captured.captured_queries[1:]
    )


def test_someone_deactivated_is_signed_out_at_their_next_request(council_officer, client_for):
    client = client_for(council_officer)
    assert client.get(reverse("home:home")).status_code == 200
    council_officer.is_active = False
    council_officer.save(update_fields=["is_active"])
    assert not client.get(reverse("home:home")).wsgi_request.user.is_authenticated


def test_someone_in_no_organisation_can_still_sign_in(db, client_for):
    loner = User.objects.create_user(email="loner@example.test", password=PASSWORD, full_name="L")
    home = client_for(loner).get(reverse("home:home"))
    assert home.status_code == 200
    assert home.wsgi_request.user == loner


# --- issue 18, item 8 ------------------------------------------------------------------------


def test_many_wrong_passwords_from_one_address_pause_sign_in_from_it_for_any_email(
    settings, council_officer, supplier_user
):
    settings.SIGN_IN_MAX_FAILURES_PER_ADDRESS = 6
    client = Client(REMOTE_ADDR="203.0.113.9")
    # One guess each at six accounts: no account reaches its own limit of five.
    for n in range(6):
        sign_in(client, f"someone{n}@rotherham.test", "Password1!")
    response = sign_in(client, "officer@rotherham.test", PASSWORD)
    page = response.content.decode()
    assert "too many wrong passwords from your network" in page
    assert "Wait 15 minutes" in page
    assert "_auth_user_id" not in client.session
    # Someone elsewhere is not held up.
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert sign_in(elsewhere, "femi@donvalley.test", PASSWORD).status_code == 302


def test_behind_a_proxy_the_address_is_the_last_the_proxy_added(settings, council_officer):
    settings.BEHIND_PROXY = True
    settings.SIGN_IN_MAX_FAILURES_PER_ADDRESS = 3
    for n in range(3):
        # The client may write anything in front; the proxy appends what it saw.
        Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 203.0.113.9").post(
            reverse("accounts:sign-in"), {"email": f"x{n}@example.org", "password": "nope"}
        )
    assert set(SignInAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    other = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert sign_in(other, "officer@rotherham.test", PASSWORD).status_code == 302


def test_council_admins_must_use_a_security_code_when_the_setting_is_on(
    settings, council_admin, council_officer, supplier_user
):
    settings.REQUIRE_TWO_FACTOR_FOR_COUNCIL_ADMINS = True
    admin = Client()
    sign_in(admin, "admin@rotherham.test", PASSWORD)
    response = admin.get(reverse("accounts:home"))
    assert response["Location"].startswith(reverse("accounts:two-factor-setup"))
    assert admin.post(reverse("accounts:two-factor-remove")).status_code == 403
    # Others in the council, and suppliers' admins, are not made to.
    for email in ("officer@rotherham.test", "femi@donvalley.test"):
        client = Client()
        sign_in(client, email, PASSWORD)
        assert client.get(reverse("accounts:home")).status_code == 200


def test_the_admin_security_code_rule_is_on_in_production_unless_turned_off():
    import os
    import subprocess
    import sys

    def setting(**env: str) -> str:
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='commonweal.settings';"
                "from django.conf import settings; print(settings.REQUIRE_TWO_FACTOR_FOR_COUNCIL_ADMINS)",
            ],
            env={
                **{k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"},
                "COMMONWEAL_ENV": "production",
                "SECRET_KEY": "s" * 60,
                "ALLOWED_HOSTS": "example.gov.uk",
                "DATABASE_URL": "sqlite:///:memory:",
                **env,
            },
            capture_output=True,
            text=True,
            check=False,
        )
        return result.stdout.strip() or result.stderr

    assert setting() == "True"
    assert setting(COMMONWEAL_REQUIRE_TWO_FACTOR_FOR_COUNCIL_ADMINS="false") == "False"
