"""Demo tenders: one open tender with a draft offer, and one tender evaluated, signed off and
awarded, whose winning offer became a contract."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from commonweal.accounts.models import Organisation, User
from commonweal.accounts.roles import Role
from commonweal.commissioning.models import Procurement
from commonweal.commissioning.selectors import published_set_versions
from commonweal.demo.commissioning import council_member, plan_demo_procurement
from commonweal.tenders import services
from commonweal.tenders.models import Tender


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


def _offer(tender: Tender, supplier: Organisation, user: User, scale: int, *, submit: bool) -> None:
    offer = services.offer_start(tender=tender, supplier=supplier, by=user)
    services.offer_save_draft(
        offer=offer,
        by=user,
        quantities=_quantities(tender.procurement, scale),
        answers={
            q.pk: "We will recruit through Rotherham Opportunities College and report quarterly (demo)."
            for q in tender.procurement.questions.all()
        },
        workforce_fte=Decimal(40 * scale),
    )
    if submit:
        services.offer_submit(offer=offer, by=user)


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
    for scale, (supplier, user) in enumerate(bidders, start=1):
        _offer(tender, supplier, user, scale, submit=True)
    # The demo's tender closed last month.
    Tender.objects.filter(pk=tender.pk).update(deadline=timezone.now() - timedelta(days=30))
    tender.refresh_from_db()
    services.tender_open(tender=tender, by=commissioner)
    assignment = services.evaluator_assign(tender=tender, evaluator=evaluator, by=commissioner)
    for person in (evaluator, commissioner):
        services.conflicts_declare(tender=tender, conflicted_with=[], details="", by=person)
    question = done_plan.questions.get()
    for offer, level, price, quality in zip(
        tender.offers.order_by("pk"), ("50", "75", "100"), (38, 34, 30), (30, 33, 31), strict=False
    ):
        services.answer_score_record(
            assignment=assignment,
            offer=offer,
            question=question,
            level=level,
            rationale="Named partners and a clear timetable (demo).",
            by=evaluator,
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
    for person in (evaluator, commissioner):
        services.evaluation_sign_off(tender=tender, by=person)
    services.tender_award(
        tender=tender,
        start_date=date(timezone.localdate().year, 4, 1),
        contract_manager=contract_manager,
        by=commissioner,
    )
