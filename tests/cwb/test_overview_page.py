"""The local economy start page and its place in the header navigation."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_council_staff_and_partners_see_the_local_economy_page_and_menu_entry(
    client_for, council_officer, viewer, partner_user, other_council_officer
):
    for person in (council_officer, viewer, partner_user, other_council_officer):
        page = client_for(person).get(reverse("cwb:overview")).content.decode()
        assert '<h1 class="govuk-heading-l">Local economy</h1>' in page
        assert f'href="{reverse("cwb:overview")}"' in page


def test_only_people_who_can_edit_are_offered_the_import_button(
    client_for, council_officer, viewer
):
    assert (
        "Import spend files"
        in client_for(council_officer).get(reverse("cwb:overview")).content.decode()
    )
    assert (
        "Import spend files" not in client_for(viewer).get(reverse("cwb:overview")).content.decode()
    )


def test_suppliers_have_no_local_economy_menu_entry_or_page(client_for, supplier_user):
    client = client_for(supplier_user)
    assert reverse("cwb:overview") not in client.get(reverse("home:home")).content.decode()
    assert client.get(reverse("cwb:overview")).status_code == 404
    for name in (
        "cwb:supplier-list",
        "cwb:review-queue",
        "cwb:review-decisions",
        "cwb:analysis",
        "cwb:lm3-list",
        "cwb:lm3-new",
    ):
        assert client.get(reverse(name)).status_code == 404, name


def test_anonymous_visitors_are_sent_to_sign_in(world):
    from django.test import Client

    response = Client().get(reverse("cwb:overview"))
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:sign-in")
    )
