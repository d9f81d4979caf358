"""Demo programme office for Rotherham: the Cabinet decision on the first year of its Social
Value Policy with recommendations (a) to (g) and their actions (some done, one at risk), the
summer Community Wealth Building workshop, engagement with the CLES Centre of Excellence, a
tender awarded in each of the policy's first two years, and the year-1 and year-2 progress
reports published, year 2 twice.

The recommendations follow the reference decision in the domain brief (§11) in its own words,
without its figures; everything else is demo data. Dates follow today, as the monitoring demo's
do: year 2 is the last whole financial year, year 1 the one before it, and the policy was
adopted in the October of year 1.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from commonweal.accounts.models import Organisation, User
from commonweal.accounts.roles import OrganisationKind, Role
from commonweal.commissioning.models import PolicyVersion
from commonweal.contracts.models import Contract
from commonweal.cwb.models import AnchorNetwork, Lm3Study
from commonweal.demo.commissioning import council_member, plan_demo_procurement
from commonweal.demo.monitoring import file_demo_return
from commonweal.fairwork import selectors as fair_work
from commonweal.financial_years import financial_year_of
from commonweal.monitoring.models import ReportingPeriod
from commonweal.reporting import services
from commonweal.reporting.models import Action, ActionStatus, ReportVersion
from commonweal.tenders import services as tendering
from commonweal.tenders.models import Tender

ANSWER = "We will recruit through Rotherham Opportunities College and report quarterly (demo)."

# (label, the recommendation, [(action, owner's role, due (year offset, month, day), status,
# why, evidence kind)])
RECOMMENDATIONS: list[
    tuple[str, str, list[tuple[str, str, tuple[int, int, int], str, str, str]]]
] = [
    (
        "a",
        "Note the progress achieved with procurement in the first year of operation of the "
        "Social Value Policy.",
        [
            (
                "Report the first year's procurement exercises and awards to Cabinet",
                Role.COUNCIL_ADMIN,
                (1, 9, 30),
                ActionStatus.DONE,
                "",
                "progress-report-1",
            )
        ],
    ),
    (
        "b",
        "Receive a further procurement progress report when the second year of operation is "
        "complete.",
        [
            (
                "Write and publish the year-two progress report",
                Role.COUNCIL_ADMIN,
                (2, 9, 30),
                ActionStatus.DONE,
                "",
                "progress-report-2",
            )
        ],
    ),
    (
        "c",
        "Note the research on local markets and suppliers, building the knowledge base.",
        [
            (
                "Analyse the council's spend with its top suppliers and measure LM3",
                Role.COMMISSIONER,
                (1, 12, 31),
                ActionStatus.DONE,
                "",
                "lm3-study",
            )
        ],
    ),
    (
        "d",
        "Agree the approach to Social Value by Design and a Commissioning Toolkit.",
        [
            (
                "Publish the Commissioning Toolkit with Social Value by Design guidance",
                Role.COMMISSIONER,
                (2, 12, 31),
                ActionStatus.ON_TRACK,
                "",
                "policy-version",
            )
        ],
    ),
    (
        "e",
        "Support Community Wealth Building, with priority actions for the year.",
        [
            (
                "(i) Real Living Wage: keep the council's accreditation and hold care, "
                "cleaning, catering and security contracts to the rate",
                Role.COUNCIL_ADMIN,
                (3, 3, 31),
                ActionStatus.ON_TRACK,
                "",
                "living-wage-accreditation",
            ),
            (
                "(ii) Align social value with working towards Excellent in the Equality "
                "Framework for Local Government",
                Role.COMMISSIONER,
                (3, 3, 31),
                ActionStatus.AT_RISK,
                "Criterion 3.1, accessible services, is still at Developing, and Excellent needs "
                "every criterion at Excellent; the accessibility review has no budget yet (demo).",
                "eflg-criterion-3.1",
            ),
            (
                "(iii) Progress the Rotherham Together Partnership Social Value Charter into "
                "Anchor Networks",
                Role.COUNCIL_ADMIN,
                (2, 12, 31),
                ActionStatus.ON_TRACK,
                "",
                "anchor-network",
            ),
            (
                "(iv) Work with the Mayoral Combined Authority on social value for the city region",
                Role.COMMISSIONER,
                (3, 6, 30),
                ActionStatus.NOT_STARTED,
                "",
                "",
            ),
        ],
    ),
    (
        "f",
        "Hold a workshop in the summer on further Community Wealth Building options.",
        [
            (
                "Hold the summer Community Wealth Building workshop",
                Role.COUNCIL_ADMIN,
                (1, 8, 31),
                ActionStatus.DONE,
                "",
                "event",
            )
        ],
    ),
    (
        "g",
        "Engage with the CLES Community Wealth Building Centre of Excellence.",
        [
            (
                "Join the CLES Centre of Excellence and use its anchor toolkit",
                Role.COUNCIL_ADMIN,
                (1, 12, 31),
                ActionStatus.DONE,
                "",
                "",
            )
        ],
    ),
]

# (title, estimated value in pence, directorate, policy year, month issued, month the contract
# starts): one tender awarded in each of the policy's first two years.
BACKDATED_TENDERS = [
    (
        "Youth employment support (demo)",
        18_000_000,
        "Children and Young People's Services",
        1,
        6,
        10,
    ),
    ("Leisure centre catering (demo)", 32_000_000, "Regeneration and Environment", 2, 5, 9),
]


PROGRESS_NOTES = {
    ActionStatus.DONE.value: "Completed (demo).",
    ActionStatus.ON_TRACK.value: "Work under way with partners (demo).",
    ActionStatus.AT_RISK.value: "Raised at the programme board (demo).",
}


def _noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def _month(first_year: int, policy_year: int, month: int) -> date:
    """The first of `month` in the given policy (financial) year."""
    start = first_year + policy_year - 1
    return date(start if month >= 4 else start + 1, month, 1)


def _bidders() -> list[tuple[Organisation, User]]:
    pairs = []
    for supplier in Organisation.objects.filter(kind=OrganisationKind.SUPPLIER).order_by("pk"):
        user = User.objects.filter(memberships__organisation=supplier).order_by("pk").first()
        if user is not None:
            pairs.append((supplier, user))
    return [pairs[i] for i in (1, 3, 5) if i < len(pairs)]


def _award(
    tender: Tender,
    *,
    bidders: list[tuple[Organisation, User]],
    commissioner: User,
    evaluator: User,
    contract_manager: User,
    start_date: date,
) -> None:
    """Bidders offer, the tender closes, is opened, scored, moderated, signed off and awarded:
    the best offer becomes a contract starting on `start_date`."""
    procurement = tender.procurement
    measures = list(procurement.chosen_measures.select_related("measure"))
    for scale, (supplier, user) in enumerate(bidders, start=1):
        offer = tendering.offer_start(tender=tender, supplier=supplier, by=user)
        tendering.offer_save_draft(
            offer=offer,
            by=user,
            quantities={
                (chosen.measure.code, year): Decimal(scale * (index + 1) * 10)
                for index, chosen in enumerate(measures)
                for year in range(1, procurement.contract_years + 1)
            },
            answers={q.pk: ANSWER for q in procurement.questions.all()},
            workforce_fte=Decimal(40 * scale),
        )
        tendering.offer_submit(offer=offer, by=user)
    Tender.objects.filter(pk=tender.pk).update(deadline=timezone.now() - timedelta(days=30))
    tender.refresh_from_db()
    tendering.tender_open(tender=tender, by=commissioner)
    assignment = tendering.evaluator_assign(tender=tender, evaluator=evaluator, by=commissioner)
    for person in (evaluator, commissioner):
        tendering.conflicts_declare(tender=tender, conflicted_with=[], details="", by=person)
    question = procurement.questions.get()
    for offer, level, price, quality in zip(
        tender.offers.order_by("pk"), ("50", "75", "100"), (38, 34, 30), (30, 33, 31), strict=False
    ):
        tendering.answer_score_record(
            assignment=assignment,
            offer=offer,
            question=question,
            level=level,
            rationale="Named partners and a clear timetable (demo).",
            by=evaluator,
        )
        tendering.moderation_record(
            offer=offer,
            question=question,
            level=level,
            notes="Consensus reached at the moderation meeting (demo).",
            by=commissioner,
        )
        tendering.price_quality_record(
            offer=offer, price_marks=Decimal(price), quality_marks=Decimal(quality), by=commissioner
        )
    for person in (evaluator, commissioner):
        tendering.evaluation_sign_off(tender=tender, by=person)
    tendering.tender_award(
        tender=tender, start_date=start_date, contract_manager=contract_manager, by=commissioner
    )


def _award_backdated(
    council: Organisation, first_year: int, spec: tuple[str, int, str, int, int, int]
) -> Contract | None:
    """A tender issued and awarded in a past policy year, its contract running since, with
    its ended periods' returns verified (the last one with a case study)."""
    title, value, directorate, policy_year, issued_month, start_month = spec
    commissioner = council_member(council, Role.COMMISSIONER)
    evaluator = council_member(council, Role.EVALUATOR)
    manager = council_member(council, Role.CONTRACT_MANAGER)
    procurement = plan_demo_procurement(
        council, commissioner, title=title, value_pence=value, complete=True
    )
    procurement.directorate = directorate
    procurement.save(update_fields=["directorate"])
    tender = tendering.tender_issue(
        procurement=procurement, deadline=timezone.now() + timedelta(days=1), by=commissioner
    )
    starts = _month(first_year, policy_year, start_month)
    bidders = _bidders()
    _award(
        tender,
        bidders=bidders,
        commissioner=commissioner,
        evaluator=evaluator,
        contract_manager=manager,
        start_date=starts,
    )
    issued = _month(first_year, policy_year, issued_month)
    # Time travel for the demo: the tender was issued, closed and awarded in its year.
    Tender.objects.filter(pk=tender.pk).update(
        issued_at=_noon(issued),
        deadline=_noon(issued + timedelta(days=35)),
        opened_at=_noon(issued + timedelta(days=36)),
        signed_off_at=_noon(issued + timedelta(days=60)),
        awarded_at=_noon(issued + timedelta(days=75)),
    )
    tender.refresh_from_db()
    if tender.contract_id is None:
        return None
    contract = Contract.objects.get(pk=tender.contract_id)
    supplier_user = (
        User.objects.filter(memberships__organisation=contract.supplier).order_by("pk").first()
    )
    ended = list(
        ReportingPeriod.objects.filter(
            contract=contract, ends_on__lt=timezone.localdate()
        ).order_by("position")
    )
    # Verified returns for the periods before the current year's; the latest one in part.
    last_year_end = date(financial_year_of(timezone.localdate()), 3, 31)
    to_file = [p for p in ended if p.ends_on <= last_year_end]
    for index, period in enumerate(to_file):
        last = index == len(to_file) - 1
        story = last or index == 0
        file_demo_return(
            contract,
            period,
            "part_verified" if last else "verified",
            supplier_user=supplier_user,  # type: ignore[arg-type]
            manager=manager,
            share=Decimal("0.9") if index % 2 else Decimal("1.0"),
            case_study=(
                f"{title.removesuffix(' (demo)')}: a story from the contract",
                "A young person from Eastwood joined the team through the contract's "
                "apprenticeship and now mentors new starters (demo).",
            )
            if story
            else None,
        )
    return contract


def _owner(council: Organisation, role: str) -> User:
    return council_member(council, role)


def _evidence(
    council: Organisation, kind: str, reports: dict[int, ReportVersion], event_pk: int
) -> tuple[str, str] | None:
    if kind.startswith("progress-report-"):
        version = reports.get(int(kind.rsplit("-", 1)[1]))
        return ("progress-report", str(version.pk)) if version else None
    if kind == "lm3-study":
        study = Lm3Study.objects.filter(organisation=council).order_by("pk").first()
        return ("lm3-study", str(study.pk)) if study else None
    if kind == "policy-version":
        policy = PolicyVersion.objects.filter(council=council).order_by("number").first()
        return ("policy-version", str(policy.pk)) if policy else None
    if kind == "anchor-network":
        network = AnchorNetwork.objects.filter(convener=council).order_by("pk").first()
        return ("anchor-network", str(network.pk)) if network else None
    if kind == "living-wage-accreditation":
        journey = fair_work.accreditation_of(council)
        return (kind, str(journey.pk)) if journey else None
    if kind.startswith("eflg-criterion-"):
        reference = kind.removeprefix("eflg-criterion-")
        criterion = fair_work.criteria_of(council).filter(reference=reference).first()
        return ("eflg-criterion", str(criterion.pk)) if criterion else None
    if kind == "event":
        return ("event", str(event_pk))
    return None


@transaction.atomic
def seed_demo_data(*, council: Organisation) -> None:
    today = timezone.localdate()
    first_year = financial_year_of(today) - 2
    admin = _owner(council, Role.COUNCIL_ADMIN)
    services.settings_update(
        council=council,
        by=admin,
        policy_adopted_on=date(first_year, 10, 1),
        public_pages=True,
    )
    for spec in BACKDATED_TENDERS:
        _award_backdated(council, first_year, spec)

    year_2 = date(first_year + 1, 4, 1)
    decision = services.decision_create(
        council=council,
        meeting="Cabinet",
        decided_on=date(first_year + 1, 6, 16),
        report_title="Social Value Policy: progress in the first year of operation (demo)",
        reference="Minute 12 (demo)",
        summary="Report of the Assistant Chief Executive on the first year of the Social Value "
        "Policy, adopted the October before, and on Community Wealth Building (demo).",
        by=admin,
    )
    event = services.event_create(
        council=council,
        by=admin,
        title="Community Wealth Building workshop, summer (demo)",
        held_on=date(first_year + 1, 7, 15),
        organisations="\n".join(
            [
                *Organisation.objects.filter(kind=OrganisationKind.ANCHOR_PARTNER)
                .order_by("name")
                .values_list("name", flat=True),
                "South Yorkshire Mayoral Combined Authority",
                "Voluntary Action Rotherham (demo)",
            ]
        ),
        attendance=34,
        outcomes="Partners agreed to share their top 300 suppliers so that anchor spend can be "
        "analysed together, and to consider the Real Living Wage in their own contracts "
        "(demo).",
    )
    services.action_create(
        council=council,
        event=event,
        title="Collect partners' top-300 supplier lists for a joint spend analysis",
        owner=_owner(council, Role.COMMISSIONER),
        due_on=date(first_year + 2, 1, 31),
        partners="Rotherham Hospital Trust, Rotherham College (demo)",
        status=ActionStatus.ON_TRACK,
        by=admin,
    )
    cles = services.engagement_create(
        council=council,
        by=admin,
        body="CLES Community Wealth Building Centre of Excellence",
        purpose="Advice and peer learning on anchor networks and progressive procurement.",
        contacts="The council's programme lead; a CLES associate (demo names are not kept).",
        started_on=date(first_year + 1, 5, 1),
    )
    for offset, kind, summary in (
        (35, "meeting", "Introductory meeting on anchor networks and the charter (demo)."),
        (70, "resource", "Used CLES's anchor institution toolkit to plan the workshop (demo)."),
        (
            110,
            "commitment",
            "Agreed to share Rotherham's spend analysis method as a case study "
            "for the Centre of Excellence (demo).",
        ),
    ):
        services.engagement_entry_add(
            engagement=cles,
            happened_on=date(first_year + 1, 5, 1) + timedelta(days=offset),
            kind=kind,
            summary=summary,
            by=admin,
        )

    created: list[tuple[Action, str]] = []
    for label, text, actions in RECOMMENDATIONS:
        recommendation = services.recommendation_add(
            decision=decision, label=label, text=text, by=admin
        )
        for title, role, (offset, month, day), status, why, evidence in actions:
            action = services.action_create(
                council=council,
                recommendation=recommendation,
                title=title,
                owner=_owner(council, role),
                due_on=date(first_year + offset, month, day),
                status=ActionStatus.NOT_STARTED,
                by=admin,
            )
            if status != ActionStatus.NOT_STARTED:
                written = min(today, date(first_year + offset, month, day) - timedelta(days=20))
                services.action_progress(
                    action=action,
                    written_on=max(written, year_2),
                    note=PROGRESS_NOTES[status],
                    status=status,
                    status_reason=why,
                    by=admin,
                )
            created.append((action, evidence))

    reports: dict[int, ReportVersion] = {}
    year_one = services.report_start(
        council=council, year=f"{first_year}-{(first_year + 1) % 100:02d}", by=admin
    )
    services.report_edit(
        report=year_one,
        narrative={
            "introduction": "The council adopted its Social Value Policy in October. This "
            "report covers its first year of operation (demo)."
        },
        recommendations="Note the progress achieved in the first year\nReceive a further "
        "report when the second year of operation is complete",
        by=admin,
    )
    reports[1] = services.report_publish(report=year_one, by=admin)
    year_two = services.report_start(
        council=council, year=f"{first_year + 1}-{(first_year + 2) % 100:02d}", by=admin
    )
    services.report_edit(
        report=year_two,
        narrative={
            "introduction": "This is the second annual progress report on the Social Value "
            "Policy, as Cabinet asked in recommendation (b). It compares the second year with "
            "the first (demo).",
            "commitments": "Suppliers have reported more than in the first year, and most of "
            "what they claimed has been verified against evidence. The gap between what was "
            "committed and what is verified is the programme's main risk (demo).",
            "actions": "Most priority actions are done or on track. Working towards "
            "Excellent in the Equality Framework is at risk until the accessibility review is "
            "funded (demo).",
        },
        recommendations="Note the progress achieved in the second year of operation\n"
        "Agree the priority actions for the coming year\n"
        "Receive a further report when the third year is complete",
        by=admin,
    )
    services.report_publish(report=year_two, by=admin)
    narrative = dict(year_two.narrative)
    narrative["introduction"] += " Corrected after the Cabinet briefing (demo)."
    services.report_edit(
        report=year_two, narrative=narrative, recommendations=year_two.recommendations, by=admin
    )
    reports[2] = services.report_publish(
        report=year_two, by=admin, note="Introduction corrected after the Cabinet briefing (demo)"
    )

    for action, evidence in created:
        found = _evidence(council, evidence, reports, event.pk)
        if found is not None:
            services.evidence_link(action=action, kind=found[0], record_id=found[1], by=admin)
