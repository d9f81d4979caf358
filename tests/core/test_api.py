from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_is_served():
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Commonweal API"


def test_the_api_needs_a_signed_in_person():
    assert Client().get("/api/v1/me").status_code == 401


def test_me_lists_your_organisations(client_for, council_officer):
    data = client_for(council_officer).get("/api/v1/me").json()
    assert data["email"] == "officer@rotherham.test"
    assert data["memberships"][0]["role"] == "commissioner"
