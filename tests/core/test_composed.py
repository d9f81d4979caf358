"""Queries composed once per thread give what the ORM gives."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonweal.accounts.access import memberships_in_order
from commonweal.accounts.models import Membership, Organisation
from commonweal.core.composed import ComposedOnce

pytestmark = pytest.mark.django_db


def memberships_with_person(user_id):
    return memberships_in_order().select_related("user").filter(user_id=user_id)


def test_a_composed_query_gives_the_same_objects_as_the_orm_and_runs_as_one_query(
    council_officer, world
):
    Membership.objects.create(user=council_officer, organisation=world.supplier, role="viewer")
    council_officer.last_login = datetime(2026, 1, 5, 9, 30).astimezone()
    council_officer.save(update_fields=["last_login"])
    composed = ComposedOnce(memberships_with_person)
    composed(council_officer.pk)  # composed here

    with CaptureQueriesContext(connection) as captured:
        found = composed(council_officer.pk)
        names = [m.organisation.name for m in found]
        person = found[0].user
    expected = list(memberships_with_person(council_officer.pk))

    assert len(captured.captured_queries) == 1  # organisations and person came with it
    assert [m.pk for m in found] == [m.pk for m in expected]
    assert names == [m.organisation.name for m in expected]
    assert isinstance(found[0].organisation, Organisation)
    assert person == council_officer
    assert person.is_active is True  # converted from the database's own types
    assert person.last_login == council_officer.last_login
    assert composed(-1) == []


def test_each_thread_composes_its_own_query(council_officer):
    composed = ComposedOnce(memberships_with_person)
    composed(council_officer.pk)
    seen = []
    worker = threading.Thread(target=lambda: seen.append(composed._local.__dict__.get("composed")))
    worker.start()
    worker.join()
    assert seen == [None]


def test_a_query_that_ignores_its_value_is_refused(db):
    composed = ComposedOnce(lambda value: Membership.objects.all())
    with pytest.raises(ValueError, match="does not use the value"):
        composed(1)
