"""A tender issued from a fully planned procurement, and helpers to move it past its deadline."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from commonweal.accounts.models import Organisation
from commonweal.accounts.roles import OrganisationKind, Role
from commonweal.tenders import services
from commonweal.tenders.models import Offer, Tender
from tests.commissioning.builders import planned_procurement
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def tender(world, council_officer) -> Tender:
    procurement = planned_procurement(world.council, council_officer)
    return services.tender_issue(
        procurement=procurement, deadline=timezone.now() + timedelta(days=14), by=council_officer
    )


def pass_deadline(tender: Tender) -> Tender:
    """Time travel: move the deadline into the past rather than waiting for it."""
    Tender.objects.filter(pk=tender.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    tender.refresh_from_db()
    return tender


def submitted_offer(
    tender: Tender,
    supplier: Organisation,
    user,
    quantities,
    answer="We will recruit locally",
    *,
    workforce_fte: Decimal | None = Decimal(40),
) -> Offer:
    offer = services.offer_start(tender=tender, supplier=supplier, by=user)
    services.offer_save_draft(
        offer=offer,
        by=user,
        quantities={key: Decimal(str(value)) for key, value in quantities.items()},
        answers={q.pk: answer for q in tender.procurement.questions.all()},
        workforce_fte=workforce_fte,
    )
    services.offer_submit(offer=offer, by=user)
    return offer


@pytest.fixture
def second_supplier(world):
    supplier = Organisation.objects.create(
        kind=OrganisationKind.SUPPLIER, name="Rother Facilities Services Ltd", is_sme=True
    )
    user = UserFactory(email="ruth@rother.test", full_name="Ruth Moss")
    MembershipFactory(user=user, organisation=supplier, role=Role.SUPPLIER_ADMIN)
    return supplier, user


def declare_no_conflict(tender: Tender, *people) -> None:
    """Each person declares, about every bidder, that they have no conflict of interest."""
    for person in people:
        services.conflicts_declare(tender=tender, conflicted_with=[], details="", by=person)


def sign_off(tender: Tender, *people) -> Tender:
    """Each person signs the results; the policy's default needs two people."""
    for person in people:
        services.evaluation_sign_off(tender=tender, by=person)
    tender.refresh_from_db()
    return tender
