"""The programme office through the JSON API: the same access rules as the pages."""

from __future__ import annotations

import pytest

from commonweal.reporting.models import Action, Decision

pytestmark = pytest.mark.django_db

API = "/api/v1/reporting"


def post(client, url, payload):
    return client.post(url, payload, content_type="application/json")


def test_an_officer_records_a_decision_recommendations_and_actions(
    world, client_for, council_officer
):
    client = client_for(council_officer)
    made = post(
        client,
        f"{API}/decisions",
        {"meeting": "Cabinet", "decided_on": "2020-11-16", "report_title": "Year one"},
    )
    assert made.status_code == 200
    decision = made.json()["id"]
    for label, text in (("a", "Note the progress"), ("b", "Receive a further report")):
        assert (
            post(
                client,
                f"{API}/decisions/{decision}/recommendations",
                {"label": label, "text": text},
            ).status_code
            == 200
        )
    again = post(client, f"{API}/decisions/{decision}/recommendations", {"label": "a", "text": "x"})
    assert again.status_code == 422 and "already has a recommendation (a)" in again.json()["detail"]
    recommendation = Decision.objects.get().recommendations.get(label="b").pk
    action = post(
        client,
        f"{API}/decisions/{decision}/recommendations/{recommendation}/actions",
        {
            "title": "Write the year two report",
            "owner_id": council_officer.pk,
            "due_on": "2021-12-31",
        },
    )
    assert action.status_code == 200
    action_id = action.json()["id"]
    refused = post(
        client,
        f"{API}/actions/{action_id}/progress",
        {"written_on": "2021-06-01", "note": "Slipping", "status": "at_risk"},
    )
    assert (
        refused.status_code == 422 and "Say why the action is at risk" in refused.json()["detail"]
    )
    moved = post(
        client,
        f"{API}/actions/{action_id}/progress",
        {
            "written_on": "2021-06-01",
            "note": "Slipping",
            "status": "at_risk",
            "status_reason": "No data yet",
        },
    )
    assert moved.json()["status"] == "at_risk"
    detail = client.get(f"{API}/actions/{action_id}").json()
    assert detail["updates"][0]["note"] == "Slipping"
    listed = client.get(f"{API}/decisions/{decision}").json()
    assert [r["label"] for r in listed["recommendations"]] == ["a", "b"]
    assert listed["recommendations"][1]["actions"][0]["title"] == "Write the year two report"


def test_events_and_engagement(world, client_for, council_officer):
    client = client_for(council_officer)
    event = post(
        client,
        f"{API}/events",
        {
            "title": "CWB workshop",
            "held_on": "2021-07-14",
            "organisations": ["College", "NHS"],
            "attendance": 34,
        },
    ).json()
    assert event["organisations"] == ["College", "NHS"]
    follow_up = post(
        client,
        f"{API}/events/{event['id']}/actions",
        {"title": "Map anchor spend", "owner_id": council_officer.pk, "due_on": "2021-12-31"},
    )
    assert follow_up.status_code == 200
    assert Action.objects.get().event_id == event["id"]
    engagement = post(client, f"{API}/engagements", {"body": "CLES Centre of Excellence"}).json()
    logged = post(
        client,
        f"{API}/engagements/{engagement['id']}/entries",
        {"happened_on": "2021-03-04", "kind": "meeting", "summary": "First meeting"},
    )
    assert logged.json()["entries"][0]["summary"] == "First meeting"
    assert (
        post(
            client,
            f"{API}/engagements/{engagement['id']}/entries",
            {"happened_on": "2021-03-04", "kind": "party", "summary": "x"},
        ).status_code
        == 422
    )


def test_viewers_read_and_may_not_write(records, client_for, viewer):
    client = client_for(viewer)
    assert client.get(f"{API}/decisions").status_code == 200
    assert client.get(f"{API}/actions/{records['action'].pk}").status_code == 200
    denied = post(
        client,
        f"{API}/decisions",
        {"meeting": "Cabinet", "decided_on": "2020-11-16", "report_title": "Year one"},
    )
    assert denied.status_code == 403
    assert (
        post(
            client,
            f"{API}/actions/{records['action'].pk}/progress",
            {"written_on": "2021-06-01", "note": "x", "status": "done"},
        ).status_code
        == 403
    )


def test_outsiders_get_404(records, client_for, other_council_officer, supplier_user, partner_user):
    for person in (other_council_officer, supplier_user, partner_user):
        client = client_for(person)
        for url in (
            f"{API}/decisions/{records['decision'].pk}",
            f"{API}/actions/{records['action'].pk}",
            f"{API}/events/{records['event'].pk}",
            f"{API}/engagements/{records['engagement'].pk}",
        ):
            assert client.get(url).status_code == 404, (person, url)
        assert (
            post(
                client,
                f"{API}/actions/{records['action'].pk}/progress",
                {"written_on": "2021-06-01", "note": "x", "status": "done"},
            ).status_code
            == 404
        )
    # Another council sees its own (empty) programme; suppliers and partners have none.
    assert client_for(other_council_officer).get(f"{API}/decisions").json() == []
    assert client_for(supplier_user).get(f"{API}/decisions").status_code == 404


def test_the_report_published_or_draft(records, client_for, viewer):
    client = client_for(viewer)
    published = client.get(f"{API}/reports/2025-26").json()
    assert (published["status"], published["version"]) == ("published", 1)
    draft = client.get(f"{API}/reports/2025-26?draft=true").json()
    assert draft["status"] == "draft" and draft["year"]["number"] == 2
    assert client.get(f"{API}/reports/2024-25").status_code == 404
    assert client.get(f"{API}/reports/2019-20?draft=true").status_code == 422
    versions = client.get(f"{API}/reports/2025-26/versions").json()
    assert [v["number"] for v in versions] == [1]
