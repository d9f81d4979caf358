"""Access helpers for tenders and offers. Offers are sealed: this is where that is enforced.

- A tender belongs to its council: the council's members may read it; anyone else gets a 404,
  except suppliers with an offer on it, who see the tender and only their own offer.
- No council member can reach any offer, its value or the number of offers until the tender
  has been opened, and it can be opened only after the deadline. Before then every route to
  an offer is a 404, so nothing, not even whether offers exist, can be learnt.
- After opening, commissioners and council admins read offers; evaluators only once they have
  declared no conflict of interest; contract managers and viewers read the signed-off report.
- A supplier never reaches another supplier's offer.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from commonweal.accounts.models import Membership, User
from commonweal.accounts.roles import Role
from commonweal.tenders.models import EvaluatorAssignment, Offer, Tender

MANAGER_ROLES = frozenset({Role.COUNCIL_ADMIN, Role.COMMISSIONER})
SEALED = "Offers are sealed until the tender is opened after its deadline"


def _tender(pk: int) -> Tender:
    tender = (
        Tender.objects.select_related(
            "procurement", "procurement__policy_version", "council", "measure_set_version"
        )
        .filter(pk=pk)
        .first()
    )
    if tender is None:
        raise Http404("No such tender")
    return tender


def tender_for_council_member(user: User, pk: int) -> tuple[Tender, Membership]:
    tender = _tender(pk)
    membership = Membership.objects.filter(user=user, organisation_id=tender.council_id).first()
    if membership is None:
        raise Http404("No such tender")
    return tender, membership


def require_manager(membership: Membership) -> None:
    if membership.role not in MANAGER_ROLES:
        raise PermissionDenied("You need to be a commissioner or council admin to do this")


def require_opened(tender: Tender) -> None:
    """The seal: nothing about offers exists for the council until the tender is opened."""
    if tender.opened_at is None:
        raise Http404(SEALED)


def assignment_of(user: User, tender: Tender) -> EvaluatorAssignment | None:
    return EvaluatorAssignment.objects.filter(tender=tender, evaluator=user).first()


def require_offer_reader(user: User, tender: Tender, membership: Membership) -> None:
    """Opened, and the person either manages the tender or is a declared, unconflicted evaluator."""
    require_opened(tender)
    if membership.role in MANAGER_ROLES:
        return
    assignment = assignment_of(user, tender)
    if assignment is None:
        raise PermissionDenied("Only the tender's commissioner and its evaluators read offers")
    if not assignment.may_score:
        raise PermissionDenied(
            "Declare any conflict of interest before you read offers; an evaluator with a "
            "conflict does not read them"
        )


def submitted_offer_for_council(
    user: User, tender_pk: int, offer_pk: int
) -> tuple[Tender, Offer, Membership]:
    tender, membership = tender_for_council_member(user, tender_pk)
    require_opened(tender)
    offer = (
        Offer.objects.select_related("supplier")
        .filter(tender=tender, pk=offer_pk, submissions__isnull=False)
        .distinct()
        .first()
    )
    if offer is None:
        raise Http404("No such offer")
    require_offer_reader(user, tender, membership)
    return tender, offer, membership


def supplier_membership(user: User) -> list[int]:
    return list(
        Membership.objects.filter(user=user, organisation__kind="supplier").values_list(
            "organisation_id", flat=True
        )
    )


def own_offer(user: User, tender_pk: int) -> tuple[Tender, Offer]:
    """The supplier's own offer on a tender; 404 for anyone without one."""
    tender = _tender(tender_pk)
    offer = (
        Offer.objects.select_related("supplier")
        .filter(tender=tender, supplier_id__in=supplier_membership(user))
        .first()
    )
    if offer is None:
        raise Http404("No such tender")
    return tender, offer


def tender_by_share_token(token: str) -> Tender:
    tender = (
        Tender.objects.select_related("procurement", "council").filter(share_token=token).first()
    )
    if tender is None:
        raise Http404("No such tender")
    return tender
