"""The partnership world: Rotherham's partnership with an adopted charter, coordinated by the
council officer, which the hospital (the partner persona) has signed with two pledges; and
Sheffield's partnership, run by the other council's officer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from commonweal.accounts.models import Organisation, User
from commonweal.accounts.roles import OrganisationKind, Role
from commonweal.frameworks.models import (
    Framework,
    FrameworkVersion,
    Measure,
    Outcome,
    Theme,
    VersionStatus,
)
from commonweal.partnership import services
from commonweal.partnership.models import Partnership, Pledge, Principle, Sector, Signatory
from tests.factories import MembershipFactory, UserFactory

SIGNED_ON = date(2024, 6, 3)
"""In the 2024-25 financial year: returns are owed for 2024-25 and 2025-26 by now."""


@dataclass
class CharterMeasures:
    jobs: Measure
    apprenticeships: Measure


def build_measures(
    owner: Organisation | None = None, slug: str = "charter-measures"
) -> CharterMeasures:
    framework = Framework.objects.create(
        owner=owner, slug=slug, name="Charter measures", publisher="Test", licence="OGL v3.0"
    )
    version = FrameworkVersion.objects.create(
        framework=framework,
        year=2024,
        in_force_from=date(2024, 4, 1),
        price_base_year=2024,
        status=VersionStatus.PUBLISHED,
    )
    theme = Theme.objects.create(version=version, code="J", name="Jobs")
    outcome = Outcome.objects.create(theme=theme, code="J1", name="Local jobs")
    jobs = Measure.objects.create(
        version=version,
        outcome=outcome,
        code="CH1",
        title="Local people employed",
        unit="people",
        value_type="record_only",
        tags=["local-employment"],
        position=1,
    )
    apprenticeships = Measure.objects.create(
        version=version,
        outcome=outcome,
        code="CH2",
        title="Apprenticeships started",
        unit="apprenticeships",
        value_type="record_only",
        tags=["apprenticeships"],
        position=2,
    )
    return CharterMeasures(jobs, apprenticeships)


def build_partnership(
    owner: Organisation, coordinator: User, measures: CharterMeasures, name: str
) -> tuple[Partnership, Principle, Principle]:
    partnership = services.partnership_create(owner=owner, name=name, by=coordinator)
    draft = partnership.charter_versions.get()
    jobs = services.principle_add(
        version=draft,
        title="Employ local people",
        text="Recruit from the borough's most deprived communities",
        cwb_pillars=["fair-employment"],
        measures=[measures.jobs, measures.apprenticeships],
        by=coordinator,
    )
    buy_local = services.principle_add(
        version=draft,
        title="Buy local",
        text="Spend more with local small firms and charities",
        cwb_pillars=["progressive-procurement"],
        by=coordinator,
    )
    services.charter_publish(version=draft, adopted_on=date(2024, 4, 1), by=coordinator)
    return partnership, jobs, buy_local


def sign(
    partnership: Partnership,
    organisation: Organisation,
    sector: str,
    *,
    by: User,
    email: str,
    signed_on: date = SIGNED_ON,
) -> Signatory:
    signatory = services.signatory_invite(
        partnership=partnership, sector=sector, email=email, organisation=organisation, by=by
    )
    return services.signatory_sign(
        signatory=signatory,
        signed_by_name="Dr Sam Okafor",
        signed_by_role="Chief Executive",
        signed_on=signed_on,
        by=by,
    )


@dataclass
class Charter:
    partnership: Partnership
    jobs_principle: Principle
    local_principle: Principle
    measures: CharterMeasures
    signatory: Signatory
    target: Pledge
    commitment: Pledge
    other: Partnership


@pytest.fixture
def coordinator(council_officer: User) -> User:
    return council_officer


@pytest.fixture
def ca_officer(world) -> User:
    user = UserFactory(email="officer@sypca.test", full_name="Kemi Ade")
    MembershipFactory(user=user, organisation=world.combined_authority, role=Role.COMMISSIONER)
    return user


@pytest.fixture
def charter(world, coordinator, partner_user, other_council_officer) -> Charter:
    measures = build_measures()
    partnership, jobs, local = build_partnership(
        world.council, coordinator, measures, "Rotherham Together Partnership"
    )
    signatory = sign(
        partnership, world.partner, Sector.NHS, by=coordinator, email=partner_user.email
    )
    target = services.pledge_add(
        signatory=signatory,
        principle=jobs,
        kind="target",
        measure=measures.jobs,
        quantity=Decimal(20),
        target_year=2024,
        made_on=SIGNED_ON,
        by=partner_user,
    )
    commitment = services.pledge_add(
        signatory=signatory,
        principle=local,
        kind="commitment",
        commitment="Open every contract under £25,000 to local firms first",
        made_on=SIGNED_ON,
        by=partner_user,
    )
    other, _, _ = build_partnership(
        world.other_council, other_council_officer, measures, "Sheffield Partnership"
    )
    return Charter(partnership, jobs, local, measures, signatory, target, commitment, other)


def new_partner(name: str) -> Organisation:
    return Organisation.objects.create(kind=OrganisationKind.ANCHOR_PARTNER, name=name)
