"""Single sign-on through OpenID Connect, against a real (small) OpenID provider started inside
the test (oidc-provider-mock: discovery, authorize, token with an RS256-signed id_token, JWKS,
userinfo, end-session), so CI needs no internet."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, quote, urlsplit

import pytest
import requests
from django.test import Client

from commonweal.accounts import oidc
from commonweal.accounts.models import Membership, User
from commonweal.accounts.sso_config import parse_organisations

pytestmark = pytest.mark.django_db

ORGANISATIONS = {
    "E08000018": {
        "domains": ["rotherham.gov.uk"],
        "roles": {"SV-Commissioners": "commissioner", "SV-Admins": "council_admin"},
        "default_role": "viewer",
    }
}


@pytest.fixture
def provider(settings, world):
    import oidc_provider_mock

    with oidc_provider_mock.run_server_in_thread() as server:
        issuer = f"http://localhost:{server.server_port}"
        settings.COMMONWEAL_OIDC_ISSUER = issuer
        settings.OIDC_RP_CLIENT_ID = "commonweal"
        settings.OIDC_RP_CLIENT_SECRET = "not-a-real-secret"
        settings.OIDC_VERIFY_KID = False  # the test provider has one key and names it no kid
        settings.COMMONWEAL_OIDC_ORGANISATION_LIST = parse_organisations(json.dumps(ORGANISATIONS))
        settings.AUTHENTICATION_BACKENDS = [
            *settings.AUTHENTICATION_BACKENDS,
            "commonweal.accounts.oidc.CouncilOIDCBackend",
        ]
        oidc.discovery.cache_clear()
        yield issuer
        oidc.discovery.cache_clear()


def person_at_provider(issuer: str, email: str, **claims) -> None:
    response = requests.put(
        f"{issuer}/users/{quote(email)}",
        json={"email": email, "email_verified": True, **claims},
        timeout=10,
    )
    assert response.status_code == 204


def sign_in_through(issuer: str, client: Client, email: str):
    """Start at Commonweal's sign-in, choose the person at the provider, come back."""
    sign_in_page = client.get("/sign-in/").content.decode()
    assert "Sign in with your organisation" in sign_in_page
    start = client.get("/oidc/authenticate/")
    assert start.status_code == 302 and start["Location"].startswith(f"{issuer}/")
    chosen = requests.post(
        start["Location"], data={"sub": email}, allow_redirects=False, timeout=10
    )
    assert chosen.status_code == 302, chosen.text
    back = urlsplit(chosen.headers["Location"])
    assert back.path == "/oidc/callback/"
    return client.get(f"{back.path}?{back.query}")


def test_staff_sign_in_and_join_their_council_with_the_role_their_groups_give(provider, world):
    world.council.require_two_factor = True  # the provider asks for the second factor instead
    world.council.save()
    person_at_provider(
        provider, "priya.shah@rotherham.gov.uk", name="Priya Shah", groups=["SV-Commissioners"]
    )
    client = Client()
    response = sign_in_through(provider, client, "priya.shah@rotherham.gov.uk")
    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(email="priya.shah@rotherham.gov.uk")
    assert user.full_name == "Priya Shah" and not user.has_usable_password()
    assert Membership.objects.get(user=user).role == "commissioner"
    assert Membership.objects.get(user=user).organisation == world.council
    home = client.get("/")
    assert home.status_code == 200  # no Commonweal security code asked for
    assert "Priya Shah" in home.content.decode()
    account = client.get("/account/").content.decode()
    assert "With your organisation&rsquo;s account" in account
    assert "/account/password/" not in account and "Set up<span" not in account


def test_the_role_follows_the_groups_at_each_sign_in(provider, world):
    person_at_provider(provider, "sam@rotherham.gov.uk", name="Sam Lee", groups=[])
    sign_in_through(provider, Client(), "sam@rotherham.gov.uk")
    assert Membership.objects.get(user__email="sam@rotherham.gov.uk").role == "viewer"
    person_at_provider(
        provider, "sam@rotherham.gov.uk", name="Sam Lee", groups=["SV-Commissioners", "SV-Admins"]
    )
    sign_in_through(provider, Client(), "sam@rotherham.gov.uk")
    assert Membership.objects.get(user__email="sam@rotherham.gov.uk").role == "council_admin"


def test_an_address_outside_the_allowed_domains_is_refused(provider, world):
    person_at_provider(provider, "someone@gmail.test", name="Someone", groups=["SV-Admins"])
    client = Client()
    response = sign_in_through(provider, client, "someone@gmail.test")
    assert response.status_code == 302 and response["Location"] == "/sign-in/?sso=refused"
    assert not User.objects.filter(email="someone@gmail.test").exists()
    refused = client.get(response["Location"]).content.decode()
    assert "You could not be signed in with your organisation" in refused
    assert "_auth_user_id" not in client.session  # not signed in


def test_signing_out_also_signs_out_at_the_provider(provider, world):
    person_at_provider(provider, "priya.shah@rotherham.gov.uk", name="Priya Shah", groups=[])
    client = Client()
    sign_in_through(provider, client, "priya.shah@rotherham.gov.uk")
    response = client.post("/sign-out/")
    assert response.status_code == 302
    end_session = urlsplit(response["Location"])
    assert response["Location"].startswith(f"{provider}/")
    query = parse_qs(end_session.query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/sign-in/"]
    assert query["id_token_hint"][0].count(".") == 2  # the id_token the provider signed
    assert requests.get(response["Location"], timeout=10).status_code == 200
    assert "_auth_user_id" not in client.session  # signed out here


def test_suppliers_still_sign_in_with_a_password(provider, supplier_user):
    client = Client()
    response = client.post(
        "/sign-in/", {"email": supplier_user.email, "password": "correct horse battery staple"}
    )
    assert response.status_code == 302


def test_without_an_issuer_there_is_no_single_sign_on(world):
    client = Client()
    assert "Sign in with your organisation" not in client.get("/sign-in/").content.decode()
    assert client.get("/oidc/authenticate/").status_code == 404
