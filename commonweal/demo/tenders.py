"""Demo tenders: one open tender with a draft offer, and one tender evaluated, signed off and
awarded, whose winning offer became a contract.

The awarded tender shows the controls that protect an evaluation: a bidder whose offer was
implausible (group-wide volunteering hours worth more than the whole contract) and which the
evaluators moderated with the bidder's clarification as their reason; an evaluator who
declared a conflict of interest with a named bidder, was shut out of the offers, and whose work
the council admin gave to someone else; and two people with no conflict signing the results.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from commonweal.accounts import services as account_services
from commonweal.accounts.models import Organisation, User
from commonweal.accounts.roles import Role
from commonweal.commissioning.models import Procurement
from commonweal.commissioning.selectors import published_set_versions
from commonweal.demo.commissioning import council_member, plan_demo_procurement
from commonweal.tenders import services
from commonweal.tenders.models import Offer, Tender

IMPLAUSIBLE_HOURS = Decimal(15_000)
"""A year of volunteering the implausible bidder offers: its whole group's, not Rotherham's."""
CLARIFIED_HOURS = Decimal(400)
CLARIFICATION = (
    "Clarification question answered by the bidder (demo): the 15,000 hours a year are its "
    "whole group's across the UK; 400 hours a year will be given in Rotherham on this contract."
)
CONFLICT = (
    "I am a volunteer trustee of Wentworth Community Transport, which has bid for this contract "
    "(demo)."
)


def _suppliers() -> list[tuple[Organisation, User]]:
    pairs = []
    for supplier in Organisation.objects.filter(kind="supplier").order_by("pk"):
        user = User.objects.filter(memberships__organisation=supplier).order_by("pk").first()
        if user is not None:
            pairs.append((supplier, user))
    return pairs


def _quantities(procurement: Procurement, scale: int) -> dict[tuple[str, int], Decimal | None]:
    return {
        (chosen.measure.code, year): Decimal(scale * (index + 1) * 10)
        for index, chosen in enumerate(procurement.chosen_measures.select_related("measure"))
        for year in range(1, procurement.contract_years + 1)
    }


def _inflated(procurement: Procurement) -> dict[tuple[str, int], Decimal | None]:
    """The implausible offer: a modest offer, but with a group's volunteering hours in it."""
    quantities = _quantities(procurement, 1)
    for (code, year), _ in list(quantities.items()):
        if code == "RMBC-01":
            quantities[(code, year)] = IMPLAUSIBLE_HOURS
    return quantities


def _offer(
    tender: Tender,
    supplier: Organisation,
    user: User,
    scale: int,
    *,
    submit: bool,
    quantities: dict[tuple[str, int], Decimal | None] | None = None,
) -> Offer:
    offer = services.offer_start(tender=tender, supplier=supplier, by=user)
    services.offer_save_draft(
        offer=offer,
        by=user,
        quantities=quantities or _quantities(tender.procurement, scale),
        answers={
            q.pk: "We will recruit through Rotherham Opportunities College and report quarterly (demo)."
            for q in tender.procurement.questions.all()
        },
        workforce_fte=Decimal(40 * scale),
    )
    if submit:
        services.offer_submit(offer=offer, by=user)
    return offer


def _second_evaluator(council: Organisation) -> User:
    """An evaluator who is not one of the printed personas: she declares a conflict."""
    user = User.objects.create_user(
        email="kate.morris@rotherham.demo", password=None, full_name="Kate Morris"
    )
    account_services.membership_create(
        user=user, organisation=council, role=Role.EVALUATOR, by=None
    )
    return user


@transaction.atomic
def seed_demo_data(*, council: Organisation) -> None:
    if not published_set_versions(council):
        return
    commissioner = council_member(council, Role.COMMISSIONER)
    evaluator = council_member(council, Role.EVALUATOR)
    contract_manager = council_member(council, Role.CONTRACT_MANAGER)
    suppliers = _suppliers()

    open_plan = plan_demo_procurement(
        council,
        commissioner,
        title="School meals for Rotherham primary schools (demo)",
        value_pence=120_000_000,
        complete=True,
    )
    open_tender = services.tender_issue(
        procurement=open_plan, deadline=timezone.now() + timedelta(days=21), by=commissioner
    )
    _offer(open_tender, *suppliers[0], scale=2, submit=False)

    done_plan = plan_demo_procurement(
        council,
        commissioner,
        title="Home-to-school transport (demo)",
        value_pence=45_000_000,
        complete=True,
    )
    tender = services.tender_issue(
        procurement=done_plan, deadline=timezone.now() + timedelta(days=1), by=commissioner
    )
    bidders = [suppliers[index] for index in (0, 2, 4) if index < len(suppliers)]
    offers = [
        _offer(tender, supplier, user, scale, submit=True)
        for scale, (supplier, user) in enumerate(bidders, start=1)
    ]
    inflated = None
    if len(suppliers) > 5:
        supplier, user = suppliers[5]
        inflated = _offer(tender, supplier, user, 3, submit=True, quantities=_inflated(done_plan))
        offers.append(inflated)
    # The demo's tender closed last month.
    Tender.objects.filter(pk=tender.pk).update(deadline=timezone.now() - timedelta(days=30))
    tender.refresh_from_db()
    services.tender_open(tender=tender, by=commissioner)
    assignment = services.evaluator_assign(tender=tender, evaluator=evaluator, by=commissioner)
    # A second evaluator declares a conflict with a named bidder once the offers are open; she
    # is shut out of the offers, and the council admin gives her work to herself.
    kate = _second_evaluator(council)
    kate_assignment = services.evaluator_assign(tender=tender, evaluator=kate, by=commissioner)
    conflicted = [o for o in offers if o.supplier.name.startswith("Wentworth")]
    services.conflicts_declare(
        tender=tender, conflicted_with=conflicted or offers[:1], details=CONFLICT, by=kate
    )
    admin = council_member(council, Role.COUNCIL_ADMIN)
    second = services.evaluator_reassign(
        assignment=kate_assignment,
        replacement=admin,
        reason="Kate Morris declared a conflict of interest with a bidder (demo).",
        by=admin,
    )
    for person in (evaluator, commissioner, admin):
        services.conflicts_declare(tender=tender, conflicted_with=[], details="", by=person)
    question = done_plan.questions.get()
    levels = ("50", "75", "100", "50")
    marks = ((38, 30), (34, 33), (30, 31), (28, 29))
    for offer, level, (price, quality) in zip(offers, levels, marks, strict=False):
        for scoring in (assignment, second):
            services.answer_score_record(
                assignment=scoring,
                offer=offer,
                question=question,
                level=level,
                rationale="Named partners and a clear timetable (demo).",
                by=scoring.evaluator,
            )
        services.moderation_record(
            offer=offer,
            question=question,
            level=level,
            notes="Consensus reached at the moderation meeting (demo).",
            by=commissioner,
        )
        services.price_quality_record(
            offer=offer, price_marks=Decimal(price), quality_marks=Decimal(quality), by=commissioner
        )
    if inflated is not None:
        # Worth more than the whole contract as offered: the evaluators asked, and evaluate
        # what the bidder's answer supports.
        for year in range(1, done_plan.contract_years + 1):
            services.offer_line_moderate(
                offer=inflated,
                measure_code="RMBC-01",
                contract_year=year,
                evaluated_quantity=CLARIFIED_HOURS,
                reason=CLARIFICATION,
                by=evaluator,
            )
    for person in (evaluator, commissioner):
        services.evaluation_sign_off(tender=tender, by=person)
    services.tender_award(
        tender=tender,
        start_date=date(timezone.localdate().year, 4, 1),
        contract_manager=contract_manager,
        by=commissioner,
    )
