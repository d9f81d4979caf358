"""Demo planning: the council's policy, and one procurement still being planned."""

from __future__ import annotations

from django.db import transaction

from commonweal.accounts.models import Organisation, User
from commonweal.accounts.roles import Role
from commonweal.commissioning import services as planning
from commonweal.commissioning.models import Procurement
from commonweal.commissioning.selectors import (
    measure_limit,
    published_set_versions,
    recommendations,
    selection_problems_for,
)
from commonweal.frameworks.models import Measure

PREFERRED_CODES = ("CW-JOBS-01", "CW-SKILLS-01", "RMBC-01", "RMBC-02")


def council_member(council: Organisation, role: str) -> User:
    return User.objects.filter(memberships__organisation=council, memberships__role=role).order_by(
        "pk"
    )[0]


def plan_demo_procurement(
    council: Organisation, by: User, *, title: str, value_pence: int, complete: bool
) -> Procurement:
    procurement = planning.procurement_create(
        council=council,
        by=by,
        title=title,
        category="services",
        cpv_code="55520000-1",
        estimated_value_pence=value_pence,
        duration_months=24,
        directorate="Children and Young People's Services",
        commissioner=by,
        route="open",
    )
    planning.procurement_record_consideration(
        procurement=procurement,
        by=by,
        wellbeing_improvements="Local jobs, apprenticeships and volunteering in Rotherham's most deprived wards.",
        consulted=True,
        consultation_details="Parents' forum and the Rotherham Together Partnership.",
        local_priorities="Apprenticeships and employment for young people; volunteering with community groups.",
        decision="Ask for local jobs, apprenticeships and volunteering, weighted 20%.",
        completed=complete,
    )
    if not complete:
        return procurement
    set_version = published_set_versions(council)[0]
    available = list(
        Measure.objects.filter(pk__in=set_version.items.values("measure_id")).select_related(
            "outcome__theme", "proxy"
        )
    )
    by_code = {m.code: m for m in available}
    chosen = [by_code[c] for c in PREFERRED_CODES if c in by_code]
    if selection_problems_for(procurement, chosen):
        chosen = [r.measure for r in recommendations(procurement, available)][
            : measure_limit(procurement)
        ]
    planning.procurement_choose_measures(
        procurement=procurement, by=by, set_version=set_version, measures=chosen, completed=True
    )
    planning.procurement_set_weighting(procurement=procurement, by=by, completed=True)
    planning.question_add(
        procurement=procurement,
        by=by,
        text="How will you deliver the social value you offer, and with which local partners?",
        guidance="Named recruitment programmes, partners and a timetable.",
        word_limit=500,
    )
    planning.procurement_complete_questions(procurement=procurement, by=by, completed=True)
    return procurement


@transaction.atomic
def seed_demo_data(*, council: Organisation) -> None:
    commissioner = council_member(council, Role.COMMISSIONER)
    planning.policy_ensure(council=council, by=None)
    plan_demo_procurement(
        council,
        commissioner,
        title="Grounds maintenance for council parks (demo)",
        value_pence=38_000_000,
        complete=False,
    )
