"""Who may use every page of the programme office: councillors (viewers) read, officers
change, a council admin publishes; suppliers, partners and other councils get a 404; people
who are not signed in are sent to sign in."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

READ = [
    ("reporting:overview", lambda r: []),
    ("reporting:decisions", lambda r: []),
    ("reporting:decision", lambda r: [r["decision"].pk]),
    ("reporting:actions", lambda r: []),
    ("reporting:action", lambda r: [r["action"].pk]),
    ("reporting:events", lambda r: []),
    ("reporting:event", lambda r: [r["event"].pk]),
    ("reporting:engagements", lambda r: []),
    ("reporting:engagement", lambda r: [r["engagement"].pk]),
    ("reporting:reports", lambda r: []),
    ("reporting:report", lambda r: [r["report"].pk]),
    ("reporting:report-versions", lambda r: [r["report"].pk]),
    ("reporting:report-version", lambda r: [r["report"].pk, 1]),
    ("reporting:settings", lambda r: []),
]
OWN_RECORDS = {
    "reporting:decision",
    "reporting:action",
    "reporting:event",
    "reporting:engagement",
    "reporting:report",
    "reporting:report-versions",
    "reporting:report-version",
}
EDIT = [
    ("reporting:decision-new", lambda r: []),
    ("reporting:decision-edit", lambda r: [r["decision"].pk]),
    ("reporting:recommendation-new", lambda r: [r["decision"].pk]),
    (
        "reporting:recommendation-edit",
        lambda r: [r["decision"].pk, r["recommendation"].pk],
    ),
    ("reporting:action-new", lambda r: [r["decision"].pk, r["recommendation"].pk]),
    ("reporting:action-edit", lambda r: [r["action"].pk]),
    ("reporting:action-progress", lambda r: [r["action"].pk]),
    ("reporting:evidence-add", lambda r: [r["action"].pk]),
    ("reporting:event-new", lambda r: []),
    ("reporting:event-edit", lambda r: [r["event"].pk]),
    ("reporting:event-action-new", lambda r: [r["event"].pk]),
    ("reporting:engagement-new", lambda r: []),
    ("reporting:engagement-edit", lambda r: [r["engagement"].pk]),
    ("reporting:entry-new", lambda r: [r["engagement"].pk]),
    ("reporting:report-edit", lambda r: [r["report"].pk]),
]


def url(name, args, records):
    return reverse(name, args=args(records))


@pytest.mark.parametrize(("name", "args"), READ, ids=[n for n, _ in READ])
def test_every_council_member_reads(records, client_for, viewer, evaluator, name, args):
    for person in (viewer, evaluator):
        assert client_for(person).get(url(name, args, records)).status_code == 200


@pytest.mark.parametrize(("name", "args"), READ + EDIT, ids=[n for n, _ in READ + EDIT])
def test_suppliers_partners_and_other_councils_get_a_404(
    records, client_for, supplier_user, partner_user, other_council_officer, name, args
):
    address = url(name, args, records)
    assert client_for(supplier_user).get(address).status_code == 404
    assert client_for(partner_user).get(address).status_code == 404
    other = client_for(other_council_officer).get(address)
    if name in OWN_RECORDS or name in dict(EDIT) and args(records):
        assert other.status_code == 404
    else:
        # A page of the other council's own programme: none of ours on it.
        assert other.status_code == 200
        assert "Social Value Policy: first year progress" not in other.content.decode()


@pytest.mark.parametrize(("name", "args"), READ + EDIT, ids=[n for n, _ in READ + EDIT])
def test_people_not_signed_in_are_sent_to_sign_in(records, client, name, args):
    response = client.get(url(name, args, records))
    assert response.status_code == 302 and reverse("accounts:sign-in") in response["Location"]


@pytest.mark.parametrize(("name", "args"), EDIT, ids=[n for n, _ in EDIT])
def test_officers_change_and_viewers_may_only_read(
    records, client_for, council_officer, viewer, name, args
):
    address = url(name, args, records)
    assert client_for(council_officer).get(address).status_code == 200
    assert client_for(viewer).get(address).status_code == 403
    assert client_for(viewer).post(address, {}).status_code == 403


def test_only_a_council_admin_publishes_and_changes_the_settings(
    records, client_for, council_admin, council_officer, viewer
):
    publish = reverse("reporting:report-publish", args=[records["report"].pk])
    assert client_for(council_admin).get(publish).status_code == 200
    for person in (council_officer, viewer):
        assert client_for(person).get(publish).status_code == 403
        response = client_for(person).post(reverse("reporting:settings"), {"public_pages": "on"})
        assert response.status_code == 403


def test_removing_evidence_is_for_officers(records, client_for, council_officer, viewer):
    address = reverse(
        "reporting:evidence-remove", args=[records["action"].pk, records["evidence"].pk]
    )
    assert client_for(viewer).post(address).status_code == 403
    assert client_for(council_officer).get(address).status_code == 405
    assert client_for(council_officer).post(address).status_code == 302
    assert not records["action"].evidence.exists()


@pytest.mark.parametrize(
    "kind", ["exercises", "awards", "contracts", "commitments", "case-studies", "actions"]
)
def test_the_records_behind_a_figure(
    records, world, client_for, viewer, other_council_officer, supplier_user, kind
):
    address = reverse("reporting:records", args=[world.council.pk, "2025-26", kind])
    assert client_for(viewer).get(address).status_code == 200
    assert client_for(other_council_officer).get(address).status_code == 404
    assert client_for(supplier_user).get(address).status_code == 404
    no_year = reverse("reporting:records", args=[world.council.pk, "2019-20", kind])
    assert client_for(viewer).get(no_year).status_code == 404


def test_charts_of_a_draft_and_a_version(records, client_for, viewer, other_council_officer):
    # A programme with no contracts has no chart to draw: 404, never a server error.
    report = records["report"]
    chart = reverse("reporting:report-chart", args=[report.pk, "commitments", "by-theme"])
    assert client_for(viewer).get(chart).status_code == 404
    assert client_for(other_council_officer).get(chart).status_code == 404
    version_chart = reverse(
        "reporting:version-chart", args=[report.pk, 1, "commitments", "by-theme"]
    )
    assert client_for(viewer).get(version_chart).status_code == 404
