"""The Rotherham Together Partnership's Social Value Charter in the demo, its anchor network and
South Yorkshire's region view.

The charter was adopted in March 2024; Rotherham's anchor institutions, two suppliers and a
charity signed it in spring 2024 with pledges under its principles. Their 2024-25 returns are
in (most accepted, one queried); 2025-26 returns are partly in and waiting for review, one not
sent. The hospital and the college are in the council's anchor network, which grew from the
charter and shares its figures by name. Rotherham and Sheffield share with the combined
authority; Barnsley and Doncaster do not. Every organisation, person and figure is demo data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from commonweal.accounts.models import Organisation, User
from commonweal.accounts.roles import Role
from commonweal.cwb.models import AnchorNetwork, AnchorNetworkMember
from commonweal.demo.people import first_member
from commonweal.fairwork import services as fairwork_services
from commonweal.frameworks import local_sets
from commonweal.frameworks.models import Measure, VersionStatus
from commonweal.partnership import services
from commonweal.partnership.models import (
    Partnership,
    Pledge,
    ProgressReturn,
    ReturnMessage,
    Sector,
    Signatory,
)

PARTNERSHIP_NAME = "Rotherham Together Partnership"
ADOPTED_ON = date(2024, 3, 12)
REGION_SET_NAME = "South Yorkshire social value measures (demo)"

# (number, title, what signatories commit to, CWB pillars, shipped measure codes)
PRINCIPLES: list[tuple[str, str, list[str], list[str]]] = [
    (
        "Employ local people, fairly",
        "Recruit from Rotherham's most deprived communities, offer apprenticeships, and pay at "
        "least the Real Living Wage.",
        ["fair-employment"],
        ["CW-JOBS-01", "CW-SKILLS-01"],
    ),
    (
        "Buy local",
        "Spend more with Rotherham's small firms, charities and social enterprises, and make "
        "contracts easier for them to win.",
        ["progressive-procurement", "plural-ownership"],
        ["CW-ECON-01", "CW-ECON-02"],
    ),
    (
        "Give time to our communities",
        "Support local voluntary and community groups with staff time and expertise.",
        ["financial-power"],
        ["CW-COMM-01", "CW-COMM-02"],
    ),
    (
        "Cut carbon and share our land and buildings",
        "Reduce emissions, and open buildings and land to community use.",
        ["land-and-property"],
        ["CW-ENV-01"],
    ),
]


@dataclass(frozen=True)
class DemoPledge:
    """A pledge: under a principle, a target (measure, quantity, year) or words."""

    principle: int
    measure: str = ""
    quantity: str = ""
    commitment: str = ""


# (organisation name, sector, signed by, role, signed on, pledges)
SIGNATORIES: list[tuple[str, str, str, str, date, list[DemoPledge]]] = [
    (
        "Rotherham Metropolitan Borough Council",
        Sector.COUNCIL,
        "Sharon Kemp",
        "Chief Executive",
        date(2024, 4, 8),
        [
            DemoPledge(1, "CW-JOBS-01", "40"),
            DemoPledge(2, commitment="Publish a pipeline of contracts a year ahead"),
        ],
    ),
    (
        "Rotherham Hospital Trust (demo)",
        Sector.NHS,
        "Dr Amara Okafor",
        "Chief Executive",
        date(2024, 4, 22),
        [
            DemoPledge(1, "CW-JOBS-01", "25"),
            DemoPledge(4, commitment="Open the hospital's meeting rooms to community groups"),
        ],
    ),
    (
        "Rotherham College (demo)",
        Sector.EDUCATION,
        "Neil Patterson",
        "Principal",
        date(2024, 5, 14),
        [DemoPledge(1, "CW-SKILLS-01", "780")],
    ),
    (
        "Don Valley Catering Ltd (demo)",
        Sector.BUSINESS,
        "Femi Adeyemi",
        "Managing Director",
        date(2024, 6, 3),
        [DemoPledge(2, commitment="Buy our produce from South Yorkshire growers")],
    ),
    (
        "Wentworth Community Transport (demo)",
        Sector.VCSE,
        "Grace Lee",
        "Chair of Trustees",
        date(2024, 6, 10),
        [DemoPledge(3, commitment="Drivers give a day a year to local community groups")],
    ),
    (
        "Northern Infrastructure Group plc (demo)",
        Sector.BUSINESS,
        "Harry Moss",
        "Regional Director",
        date(2024, 6, 17),
        [DemoPledge(3, commitment="Mentor five local construction start-ups a year")],
    ),
]

# 2024-25 returns: (organisation, principle) -> (decision, reported, reviewed, narrative, note)
RETURNS_2024: dict[tuple[str, int], tuple[str, str, str, str, str]] = {
    ("Rotherham Metropolitan Borough Council", 1): (
        "accept",
        "38",
        "38",
        "38 FTE-years of local people across our contracts and direct recruitment.",
        "",
    ),
    ("Rotherham Metropolitan Borough Council", 2): (
        "accept",
        "",
        "",
        "The 2025-26 pipeline was published on the council's website in February.",
        "",
    ),
    ("Rotherham Hospital Trust (demo)", 1): (
        "accept",
        "22",
        "20",
        "22 FTE-years in portering, catering and administration from the borough.",
        "Two posts started after 31 March; they count in 2025-26.",
    ),
    ("Rotherham Hospital Trust (demo)", 4): (
        "accept",
        "",
        "",
        "Three rooms booked 140 times by twelve community groups.",
        "",
    ),
    ("Rotherham College (demo)", 1): (
        "accept",
        "800",
        "780",
        "800 weeks of apprenticeship across engineering, health and construction.",
        "Twenty weeks were on a Sheffield employer's site; accepted 780.",
    ),
    ("Don Valley Catering Ltd (demo)", 2): (
        "accept",
        "",
        "",
        "Four growers within 20 miles now supply two-thirds of our vegetables.",
        "",
    ),
    ("Wentworth Community Transport (demo)", 3): (
        "query",
        "",
        "",
        "Our drivers gave time to local groups.",
        "How many drivers took part, and which groups did they help?",
    ),
}

# 2025-26 returns sent and waiting for review: (organisation, principle) -> (reported, narrative)
RETURNS_2025: dict[tuple[str, int], tuple[str, str]] = {
    ("Rotherham Metropolitan Borough Council", 1): ("41", "41 FTE-years, ahead of target."),
    ("Rotherham Hospital Trust (demo)", 1): ("27", "27 FTE-years, including two care leavers."),
    ("Rotherham College (demo)", 1): ("812", "812 weeks of apprenticeship."),
}


def _shipped(code: str) -> Measure:
    return Measure.objects.get(
        code=code, version__framework__owner__isnull=True, version__status=VersionStatus.PUBLISHED
    )


def seed_demo_data(*, council: Organisation, coordinator: User) -> Partnership:
    """The charter, its signatories, pledges and returns, the network's link and sharing, joint
    actions, and what each South Yorkshire council shares with the combined authority."""
    partnership = services.partnership_create(
        owner=council,
        name=PARTNERSHIP_NAME,
        description="Rotherham's public, private and voluntary organisations working together "
        "for the borough (demo data).",
        by=coordinator,
    )
    draft = partnership.charter_versions.get()
    services.charter_draft_update(
        version=draft,
        title="Rotherham Together Partnership Social Value Charter",
        introduction="Signatories commit to use their spending, employment, land and buildings "
        "to benefit Rotherham's people, and to report their progress every year.",
        by=coordinator,
    )
    principles = [
        services.principle_add(
            version=draft,
            title=title,
            text=text,
            cwb_pillars=pillars,
            measures=[_shipped(code) for code in codes],
            by=coordinator,
        )
        for title, text, pillars, codes in PRINCIPLES
    ]
    services.charter_publish(version=draft, adopted_on=ADOPTED_ON, by=coordinator)

    pledges: dict[tuple[str, int], Pledge] = {}
    signatories: dict[str, Signatory] = {}
    for name, sector, signed_by, role, signed_on, demo_pledges in SIGNATORIES:
        organisation = Organisation.objects.get(name=name)
        person = first_member(organisation, excluding=[Role.VIEWER])
        signatory = services.signatory_invite(
            partnership=partnership,
            sector=sector,
            email=person.email if person else f"charter@{organisation.pk}.demo",
            organisation=organisation,
            by=coordinator,
        )
        services.signatory_sign(
            signatory=signatory,
            signed_by_name=signed_by,
            signed_by_role=role,
            signed_on=signed_on,
            by=coordinator,
        )
        signatories[name] = signatory
        for demo in demo_pledges:
            pledges[(name, demo.principle)] = services.pledge_add(
                signatory=signatory,
                principle=principles[demo.principle - 1],
                kind="target" if demo.measure else "commitment",
                measure=_shipped(demo.measure) if demo.measure else None,
                quantity=Decimal(demo.quantity) if demo.quantity else None,
                target_year=2024 if demo.measure else None,
                commitment=demo.commitment,
                made_on=signed_on,
                by=coordinator,
            )
    maltby = Organisation.objects.get(name="Maltby Youth Trust (demo)")
    invited = first_member(maltby, excluding=[Role.VIEWER])
    services.signatory_invite(
        partnership=partnership,
        sector=Sector.VCSE,
        email=invited.email if invited else "hello@maltby-youth.demo",
        organisation=maltby,
        by=coordinator,
    )
    _returns(pledges, coordinator)
    services.signatory_end(
        signatory=signatories["Northern Infrastructure Group plc (demo)"],
        reason="Our regional office closed",
        on=date(2025, 2, 28),
        by=coordinator,
    )
    services.partnership_update(partnership=partnership, by=coordinator, is_public=True)
    _network(partnership, coordinator)
    _dates_in_the_past(partnership)
    _hospital_living_wage()
    return partnership


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


def _dates_in_the_past(partnership: Partnership) -> None:
    """The charter's history happened before today: each organisation was invited a fortnight
    before it signed, 2024-25 returns were sent in June 2025 and reviewed in July, and 2025-26
    returns sent in June 2026 (the services stamp the moment they run)."""
    for signatory in partnership.signatories.exclude(signed_on=None):
        if signatory.signed_on is not None:
            invited = _at(signatory.signed_on - timedelta(days=14))
            Signatory.objects.filter(pk=signatory.pk).update(invited_at=invited)
    returns = ProgressReturn.objects.filter(pledge__signatory__partnership=partnership)
    returns.filter(financial_year=2024).update(
        submitted_at=_at(date(2025, 6, 20)), reviewed_at=_at(date(2025, 7, 10))
    )
    returns.filter(financial_year=2025).update(submitted_at=_at(date(2026, 6, 25)))
    ReturnMessage.objects.filter(progress_return__in=returns.filter(financial_year=2024)).update(
        created_at=_at(date(2025, 7, 10))
    )


def _hospital_living_wage() -> None:
    """The hospital declares its own Real Living Wage accreditation, so the network page shows
    one member's declaration beside the council's journey and the college's blank."""
    hospital = Organisation.objects.get(name="Rotherham Hospital Trust (demo)")
    person = first_member(hospital, excluding=[Role.VIEWER])
    if person is None:
        return
    fairwork_services.own_accreditation_declare(
        employer=hospital,
        accredited_since=date(2022, 4, 1),
        evidence_url="",
        evidence_note="Accredited by the Living Wage Foundation in April 2022 (demo date).",
        ended_on=None,
        by=person,
    )


def _returns(pledges: dict[tuple[str, int], Pledge], coordinator: User) -> None:
    for key, (decision, reported, reviewed, narrative, note) in RETURNS_2024.items():
        pledge = pledges[key]
        progress_return = services.progress_return_start(
            pledge=pledge, financial_year=2024, by=coordinator
        )
        services.progress_return_save(
            progress_return=progress_return,
            progress="achieved"
            if reported and pledge.quantity is not None and Decimal(reported) >= pledge.quantity
            else "on_track",
            reported_quantity=Decimal(reported) if reported else None,
            narrative=narrative,
            by=coordinator,
        )
        services.progress_return_submit(
            progress_return=progress_return, by=coordinator, today=date(2025, 6, 20)
        )
        services.progress_return_review(
            progress_return=progress_return,
            decision=decision,
            reviewed_quantity=Decimal(reviewed) if reviewed else None,
            note=note,
            by=coordinator,
        )
    for key, (reported, narrative) in RETURNS_2025.items():
        progress_return = services.progress_return_start(
            pledge=pledges[key], financial_year=2025, by=coordinator
        )
        services.progress_return_save(
            progress_return=progress_return,
            progress="on_track",
            reported_quantity=Decimal(reported),
            narrative=narrative,
            by=coordinator,
        )
        services.progress_return_submit(
            progress_return=progress_return, by=coordinator, today=date(2026, 6, 25)
        )


def _network(partnership: Partnership, coordinator: User) -> None:
    """The council's demo network grows from the charter; its members share by name."""
    network = AnchorNetwork.objects.filter(convener=partnership.owner).order_by("pk").first()
    if network is None:
        return
    services.network_link(partnership=partnership, network=network, by=coordinator)
    for place in network.members.filter(status=AnchorNetworkMember.Status.JOINED):
        services.sharing_update(
            place=place, choices={"spend": "named", "jobs": "named"}, by=coordinator
        )
    hospital = Organisation.objects.get(name="Rotherham Hospital Trust (demo)")
    college = Organisation.objects.get(name="Rotherham College (demo)")
    services.joint_action_create(
        network=network,
        by=coordinator,
        title="A shared pipeline of procurements for the next two years",
        description="One list of the members' planned contracts, published for local firms.",
        lead_organisation=partnership.owner,
        lead_person="Head of Procurement",
        starts_on=date(2025, 4, 1),
        due_on=date(2026, 3, 31),
        status="done",
        latest_update="Published in March 2026 with 64 contracts.",
    )
    services.joint_action_create(
        network=network,
        by=coordinator,
        title="A joint recruitment scheme for health and care apprenticeships",
        lead_organisation=hospital,
        lead_person="Director of People",
        starts_on=date(2025, 9, 1),
        due_on=date(2027, 8, 31),
        status="in_progress",
        latest_update="First cohort of 18 started in September 2026.",
    )
    services.joint_action_create(
        network=network,
        by=coordinator,
        title="Supplier open days for local small firms",
        lead_organisation=college,
        lead_person="Head of Business Engagement",
        due_on=date(2027, 6, 30),
    )


def seed_region(
    *, authority: Organisation, councils: dict[str, Organisation], officer: User
) -> None:
    """Rotherham shares everything with the combined authority and Sheffield shares some (set
    by the demo, not by a person); the authority publishes a region-wide measure set, which
    Sheffield adopts."""
    services.region_sharing_update(
        council=councils["E08000018"],
        by=None,
        procurements=True,
        delivery=True,
        spend=True,
        partnerships=True,
    )
    services.region_sharing_update(
        council=councils["E08000019"], by=None, procurements=True, partnerships=True
    )
    measure_set = local_sets.measure_set_create(
        owner=authority,
        name=REGION_SET_NAME,
        description="Measures South Yorkshire's councils ask about, so their figures compare.",
        by=officer,
    )
    version = measure_set.versions.get()
    for code in ("CW-JOBS-01", "CW-SKILLS-01", "CW-ECON-01", "CW-ECON-02", "CW-ENV-01"):
        local_sets.set_item_add(set_version=version, measure=_shipped(code), by=officer)
    local_sets.set_version_publish(set_version=version, in_force_from=date(2026, 4, 1), by=officer)
    services.region_set_adopt(
        council=councils["E08000019"],
        region_version=version,
        in_force_from=date(2026, 4, 1),
        by=None,
    )
