from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_start_page_invites_people_to_sign_in():
    page = Client().get("/").content.decode()
    assert "Social value and community wealth building" in page
    assert reverse("accounts:sign-in") in page


@pytest.mark.parametrize("name", ["core:about", "core:accessibility"])
def test_public_information_pages_are_open_to_all(name):
    assert Client().get(reverse(name)).status_code == 200


def test_the_footer_credits_open_data_under_the_open_government_licence():
    page = Client().get(reverse("core:about")).content.decode()
    assert "Open Government Licence v3.0" in page
    assert "National TOMs" in page


def test_a_missing_page_uses_the_service_404(client_for, council_officer):
    response = client_for(council_officer).get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_person_without_an_organisation_is_told_what_to_do(db):
    from tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory())
    assert "You are not part of an organisation yet" in client.get("/").content.decode()


def test_navigation_depends_on_role(client_for, council_admin, supplier_user):
    admin_page = client_for(council_admin).get("/").content.decode()
    supplier_page = client_for(supplier_user).get("/").content.decode()
    assert 'href="/audit/"' in admin_page
    assert 'href="/audit/"' not in supplier_page


def test_the_demo_banner_shows_in_demo_mode(settings, client_for, council_officer):
    settings.DEMO_MODE = True
    assert (
        "Every organisation, person and figure here is demo data"
        in client_for(council_officer).get("/").content.decode()
    )
    settings.DEMO_MODE = False
    assert "demo data" not in client_for(council_officer).get("/").content.decode()


def test_a_stale_form_gets_the_service_csrf_page(council_officer):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:sign-in"), {"email": "a@b.c", "password": "x"})
    assert response.status_code == 403
    assert "we could not accept that form" in response.content.decode()
