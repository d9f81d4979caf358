from __future__ import annotations

import csv
import io

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from commonweal.accounts.models import Membership
from commonweal.accounts.roles import Role
from commonweal.accounts.services import membership_change_role
from tests.downloads import csv_text

pytestmark = pytest.mark.django_db


def test_a_change_through_a_service_records_who_what_when_before_and_after(
    world, council_admin, viewer
):
    member = Membership.objects.get(user=viewer)
    membership_change_role(membership=member, role=Role.EVALUATOR, by=council_admin)
    entry = LogEntry.objects.filter(object_pk=str(member.pk), action=LogEntry.Action.UPDATE).get()
    assert entry.actor == council_admin
    assert entry.changes_dict["role"] == ["viewer", "evaluator"]
    assert entry.additional_data["organisation_id"] == world.council.pk
    assert entry.timestamp is not None


def test_council_admin_browses_and_filters_the_trail(world, client_for, council_admin, viewer):
    member = Membership.objects.get(user=viewer)
    membership_change_role(membership=member, role=Role.EVALUATOR, by=council_admin)
    client = client_for(council_admin)
    page = client.get(reverse("accounts:audit-trail")).content.decode()
    assert "Audit trail" in page
    assert "Viewer" not in page or "viewer → evaluator" in page
    assert "viewer → evaluator" in page

    filtered = client.get(reverse("accounts:audit-trail"), {"person": "nobody-like-this"})
    assert "No changes match these filters" in filtered.content.decode()

    by_person = client.get(reverse("accounts:audit-trail"), {"person": "admin@rotherham"})
    assert "viewer → evaluator" in by_person.content.decode()


def test_the_trail_exports_as_csv_with_before_and_after(world, client_for, council_admin, viewer):
    member = Membership.objects.get(user=viewer)
    membership_change_role(membership=member, role=Role.EVALUATOR, by=council_admin)
    response = client_for(council_admin).get(reverse("accounts:audit-trail"), {"format": "csv"})
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(csv_text(response))))
    assert rows[0][:3] == ["When", "Person", "Action"]
    assert ["role", "viewer", "evaluator"] in [row[5:8] for row in rows[1:]]


def test_bad_filter_dates_are_explained(world, client_for, council_admin):
    response = client_for(council_admin).get(
        reverse("accounts:audit-trail"),
        {"date_from_day": "31", "date_from_month": "2", "date_from_year": "2026"},
    )
    assert "The from date must be a real date" in response.content.decode()


def test_only_council_admins_may_read_the_trail(
    world,
    client_for,
    council_officer,
    evaluator,
    contract_manager,
    viewer,
    supplier_user,
    partner_user,
):
    for person in (
        council_officer,
        evaluator,
        contract_manager,
        viewer,
        supplier_user,
        partner_user,
    ):
        assert client_for(person).get(reverse("accounts:audit-trail")).status_code == 403


def test_another_councils_admin_sees_none_of_our_trail(
    world, client_for, council_admin, viewer, other_council_officer
):
    member = Membership.objects.get(user=viewer)
    membership_change_role(membership=member, role=Role.EVALUATOR, by=council_admin)
    page = client_for(other_council_officer).get(reverse("accounts:audit-trail")).content.decode()
    assert "viewer → evaluator" not in page
