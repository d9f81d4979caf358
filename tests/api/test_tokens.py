"""API tokens: made on the account page (or by a council admin for a service), shown once,
kept hashed, scoped, expiring, revocable, and accepted by every API route under the same
access rules as a session."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.test import Client, override_settings
from django.utils import timezone

from commonweal.api.models import ApiToken
from commonweal.api.tokens import service_token_create, token_create, token_digest
from tests.contracts.builders import build_contract, build_measures
from tests.monitoring.helpers import file_return, period

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def contract(world, contract_manager):
    measures = build_measures(world.council)
    return build_contract(
        world.council, world.supplier, measures, contract_manager=contract_manager
    )


def make_token(user, organisation, scope="read", days=30):
    _, secret = token_create(
        user=user, organisation=organisation, name="Script", scope=scope, lifetime_days=days
    )
    return secret


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_person_makes_a_token_on_their_account_and_sees_it_once(client_for, council_officer):
    client = client_for(council_officer)
    account = client.get("/account/")
    assert "/account/api-tokens/" in account.content.decode()
    response = client.post(
        "/account/api-tokens/new/",
        {
            "name": "Monthly report",
            "organisation": council_officer.memberships.get().organisation_id,
            "scope": "read",
            "lifetime": "30",
        },
    )
    assert response.status_code == 302
    shown = client.get(response["Location"]).content.decode()
    secret = re.search(r"cw_[A-Za-z0-9_-]{43}", shown).group(0)
    token = ApiToken.objects.get()
    assert token.token_hash == token_digest(secret)
    assert secret not in token.token_hash and token.prefix == secret[:10]
    assert (token.expires_at - timezone.now()).days in (29, 30)
    # Shown once: the same page no longer holds it.
    assert secret not in client.get(response["Location"]).content.decode()
    listing = client.get("/account/api-tokens/").content.decode()
    assert "Monthly report" in listing and secret not in listing
    assert LogEntry.objects.filter(object_repr__contains="Monthly report").exists()


def test_the_token_form_names_each_problem(client_for, council_officer):
    response = client_for(council_officer).post("/account/api-tokens/new/", {})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter a name that says what the token is for" in body
    assert "Choose whether the token may only read, or also write" in body
    assert "Choose how long the token will work" in body
    assert not ApiToken.objects.exists()


def test_a_token_lists_contracts_and_records_its_last_use(contract, council_officer, world):
    secret = make_token(council_officer, world.council)
    response = Client().get(f"{API}/contracts/", **bearer(secret))
    assert response.status_code == 200
    assert [c["reference"] for c in response.json()] == ["RMBC-2025-001"]
    assert ApiToken.objects.get().last_used_at is not None
    me = Client().get(f"{API}/me", **bearer(secret)).json()
    assert me["email"] == "officer@rotherham.test"


def test_a_read_token_cannot_write(contract, supplier_user, world):
    q1 = period(contract, "2025-26 Q1")
    payload = {"claims": [], "narrative": "", "submit": False}
    url = f"{API}/monitoring/periods/{q1.pk}/return"
    read = make_token(supplier_user, world.supplier, scope="read")
    refused = Client().post(url, payload, content_type="application/json", **bearer(read))
    assert refused.status_code == 403
    assert "may only read" in refused.json()["detail"]
    write = make_token(supplier_user, world.supplier, scope="write")
    allowed = Client().post(url, payload, content_type="application/json", **bearer(write))
    assert allowed.status_code == 200, allowed.content


def test_a_write_token_still_has_only_its_persons_role(contract, viewer, supplier_user, world):
    """A councillor's write token cannot verify a return: the role decides, as on the pages."""
    supplier_return = file_return(contract, "2025-26 Q1", {"RM1": "0.5"}, by=supplier_user)
    line = supplier_return.lines.get(commitment__measure__code="RM1")
    secret = make_token(viewer, world.council, scope="write")
    response = Client().post(
        f"{API}/monitoring/returns/{supplier_return.pk}/verification",
        {"version": 1, "decisions": [{"line_id": line.pk, "outcome": "verified"}]},
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 403


def test_expired_revoked_and_unknown_tokens_are_refused(
    contract, council_officer, world, client_for
):
    secret = make_token(council_officer, world.council)
    ApiToken.objects.update(
        created_at=timezone.now() - timedelta(days=31),
        expires_at=timezone.now() - timedelta(seconds=1),
    )
    assert Client().get(f"{API}/contracts/", **bearer(secret)).status_code == 401

    other = make_token(council_officer, world.council)
    token = ApiToken.objects.get(token_hash=token_digest(other))
    client_for(council_officer).post(f"/account/api-tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None and token.status == "Revoked"
    assert Client().get(f"{API}/contracts/", **bearer(other)).status_code == 401

    assert Client().get(f"{API}/contracts/", **bearer("cw_" + "x" * 43)).status_code == 401
    assert Client().get(f"{API}/contracts/", **bearer("not-a-token")).status_code == 401


def test_a_token_stops_working_when_its_person_leaves_the_organisation(
    contract, council_officer, world
):
    secret = make_token(council_officer, world.council)
    council_officer.memberships.all().delete()
    assert Client().get(f"{API}/contracts/", **bearer(secret)).status_code == 401


def test_another_organisations_objects_are_404_with_a_token_as_with_a_session(
    contract, supplier_user, other_council_officer, partner_user, world, client_for
):
    supplier_return = file_return(contract, "2025-26 Q1", {"RM1": "0.5"}, by=supplier_user)
    urls = (
        f"{API}/contracts/{contract.pk}",
        f"{API}/contracts/{contract.pk}/commitments",
        f"{API}/monitoring/contracts/{contract.pk}/returns",
        f"{API}/monitoring/returns/{supplier_return.pk}",
    )
    for person, organisation in (
        (other_council_officer, world.other_council),
        (partner_user, world.partner),
    ):
        token_client = Client(**bearer(make_token(person, organisation, scope="write")))
        session_client = client_for(person)
        assert token_client.get(f"{API}/contracts/").json() == []
        for url in urls:
            assert token_client.get(url).status_code == 404, url
            assert session_client.get(url).status_code == 404, url
        verify = f"{API}/monitoring/returns/{supplier_return.pk}/verification"
        body = {"version": 1, "decisions": []}
        assert token_client.post(verify, body, content_type="application/json").status_code == 404


def test_a_token_may_only_act_for_one_of_its_persons_organisations(council_officer, world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        make_token(council_officer, world.other_council)


def test_someone_elses_token_page_is_404(client_for, council_officer, viewer, world):
    make_token(council_officer, world.council)
    token = ApiToken.objects.get()
    client = client_for(viewer)
    assert client.get(f"/account/api-tokens/{token.pk}/").status_code == 404
    assert client.post(f"/account/api-tokens/{token.pk}/revoke/").status_code == 404
    assert ApiToken.objects.get().revoked_at is None


@override_settings(COMMONWEAL_API_RATE="3/min")
def test_calls_beyond_the_rate_limit_are_refused_with_a_retry_time(
    contract, council_officer, world
):
    client = Client(**bearer(make_token(council_officer, world.council)))
    responses = [client.get(f"{API}/contracts/") for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert int(responses[-1]["Retry-After"]) > 0
    # Another token of the same person has its own count.
    other = Client(**bearer(make_token(council_officer, world.council)))
    assert other.get(f"{API}/contracts/").status_code == 200


def test_a_council_admin_makes_a_service_token_with_a_role(
    contract, client_for, council_admin, world
):
    client = client_for(council_admin)
    assert "service-tokens" in client.get(f"/organisations/{world.council.pk}/").content.decode()
    response = client.post(
        f"/organisations/{world.council.pk}/service-tokens/new/",
        {"name": "Finance export", "role": "viewer", "scope": "read", "lifetime": "90"},
    )
    assert response.status_code == 302
    secret = re.search(
        r"cw_[A-Za-z0-9_-]{43}", client.get(response["Location"]).content.decode()
    ).group(0)
    token = ApiToken.objects.get()
    assert token.kind == "service" and token.created_by == council_admin
    assert not token.user.has_usable_password()
    listed = Client().get(f"{API}/contracts/", **bearer(secret)).json()
    assert [c["reference"] for c in listed] == ["RMBC-2025-001"]
    client.post(f"/organisations/{world.council.pk}/service-tokens/{token.pk}/revoke/")
    assert Client().get(f"{API}/contracts/", **bearer(secret)).status_code == 401


def test_only_a_council_admin_sees_service_tokens(
    client_for, council_officer, other_council_officer, supplier_user, council_admin, world
):
    service_token_create(
        organisation=world.council,
        name="Finance",
        role="viewer",
        scope="read",
        lifetime_days=30,
        by=council_admin,
    )
    token = ApiToken.objects.get()
    url = f"/organisations/{world.council.pk}/service-tokens/"
    assert client_for(council_officer).get(url).status_code == 403
    assert client_for(other_council_officer).get(url).status_code == 404
    assert client_for(other_council_officer).post(f"{url}{token.pk}/revoke/").status_code == 404
    supplier_url = f"/organisations/{world.supplier.pk}/service-tokens/"
    assert client_for(supplier_user).get(supplier_url).status_code == 404
    assert client_for(council_admin).get(url).status_code == 200
