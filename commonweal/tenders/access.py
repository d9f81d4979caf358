"""Access helpers for tenders and offers. Offers are sealed: this is where that is enforced.

- A tender belongs to its council: the council's members may read it; anyone else gets a 404,
  except suppliers with an offer on it, who see the tender and only their own offer.
- The seal: no council member can reach any offer, its value or the number of offers until the
  tender has been opened, and it can be opened only after the deadline. Before then every route
  to an offer is a 404, so nothing, not even whether offers exist, can be learnt.
- The seal holds for good, for one person, once they declare a conflict of interest with any
  bidder: every route to the tender's offers, its evaluation, its report and their downloads is
  a 404 to them, exactly as before opening. The whole tender closes, not only the conflicted
  bidder's offer, because marks are relative: whoever scores a rival moves the conflicted
  bidder's rank.
- After opening, commissioners, council admins and the tender's evaluators read offers once
  they have declared, about every bidder, that they have no conflict of interest; contract
  managers and viewers read the signed-off report.
- A supplier never reaches another supplier's offer.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from commonweal.accounts.models import Membership, User
from commonweal.tenders.models import EvaluatorAssignment, Offer, Tender
from commonweal.tenders.selectors import MANAGER_ROLES, Standing, conflicted_people, standing

__all__ = ["MANAGER_ROLES"]

SEALED = "Offers are sealed until the tender is opened after its deadline"
CONFLICTED = (
    "You declared a conflict of interest on this tender, so its offers and evaluation are "
    "closed to you"
)
NOT_SIGNED_OFF = "The evaluation report is published to the council when it is signed off"


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


def require_unsealed(user: User, tender: Tender) -> None:
    """The seal, for one person: 404 before opening, and for good once they declare a conflict."""
    if tender.opened_at is None:
        raise Http404(SEALED)
    if user.pk in conflicted_people(tender):
        raise Http404(CONFLICTED)


def assignment_of(user: User, tender: Tender) -> EvaluatorAssignment | None:
    """The person's active assignment as an evaluator on the tender."""
    return EvaluatorAssignment.objects.filter(
        tender=tender, evaluator=user, stood_down_at__isnull=True
    ).first()


def require_offer_reader(user: User, tender: Tender, membership: Membership) -> Standing:
    """Unsealed for this person, who manages or evaluates the tender and has declared."""
    require_unsealed(user, tender)
    position = standing(user, tender, membership)
    if not position.takes_part:
        raise PermissionDenied("Only the tender's commissioner and its evaluators read offers")
    if not position.has_declared:
        raise PermissionDenied(
            "Declare, about every bidder, whether you have a conflict of interest before you "
            "read offers"
        )
    return position


def tender_with_offers(user: User, pk: int) -> tuple[Tender, Membership, Standing]:
    """A tender whose offers the person may read (opened, no conflict, declared)."""
    tender, membership = tender_for_council_member(user, pk)
    return tender, membership, require_offer_reader(user, tender, membership)


def submitted_offer_for_council(
    user: User, tender_pk: int, offer_pk: int
) -> tuple[Tender, Offer, Membership, Standing]:
    tender, membership = tender_for_council_member(user, tender_pk)
    require_unsealed(user, tender)
    offer = (
        Offer.objects.select_related("supplier")
        .filter(tender=tender, pk=offer_pk, submissions__isnull=False)
        .distinct()
        .first()
    )
    if offer is None:
        raise Http404("No such offer")
    return tender, offer, membership, require_offer_reader(user, tender, membership)


def signed_off_tender(user: User, pk: int) -> tuple[Tender, Membership]:
    """A tender whose signed-off evaluation report the person may read."""
    tender, membership = tender_for_council_member(user, pk)
    require_unsealed(user, tender)
    if tender.signed_off_at is None:
        raise Http404(NOT_SIGNED_OFF)
    return tender, membership


def tender_for_declaring(user: User, pk: int) -> tuple[Tender, Membership, Standing]:
    """An opened tender on which the person takes part, so declares conflicts of interest.

    Before opening the bidders cannot be named, so there is nothing to declare against: 404.
    Someone who has declared a conflict may still declare another.
    """
    tender, membership = tender_for_council_member(user, pk)
    if tender.opened_at is None:
        raise Http404(SEALED)
    position = standing(user, tender, membership)
    if not position.takes_part:
        raise PermissionDenied("Only the tender's commissioner and its evaluators declare")
    return tender, membership, position


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
