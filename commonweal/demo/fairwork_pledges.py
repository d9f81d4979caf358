"""Demo: Rotherham cites a partner's charter pledge as evidence in its Equality Framework
self-assessment (criterion 2.2, partners sharing the council's commitments). Runs after the
partnership demo, since the pledge is made there."""

from __future__ import annotations

from django.db import transaction

from commonweal.accounts.models import Organisation
from commonweal.accounts.roles import Role
from commonweal.fairwork import selectors as fair_work
from commonweal.partnership import selectors, services
from commonweal.partnership.models import Pledge

CITING_CRITERION = "2.2"
HOSPITAL = "Rotherham Hospital Trust (demo)"


@transaction.atomic
def seed_demo_data(*, council: Organisation) -> None:
    admin = council.memberships.filter(role=Role.COUNCIL_ADMIN).select_related("user").first()
    criterion = fair_work.criteria_of(council).filter(reference=CITING_CRITERION).first()
    assessment = criterion.assessments.first() if criterion else None
    pledge: Pledge | None = (
        selectors.citable_pledges(council.pk)
        .filter(signatory__organisation__name=HOSPITAL, principle__number=1)
        .first()
    )
    if admin is None or assessment is None or pledge is None:
        return
    services.pledge_cite(
        pledge=pledge,
        assessment=assessment,
        description="The hospital's charter pledge to employ local people from the "
        "borough's most deprived communities (demo)",
        by=admin.user,
    )
