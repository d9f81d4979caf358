"""Access helpers for council policies and procurements.

Procurements belong to one council: its members may read them, its commissioners and admins may
change them, everyone else gets a 404. Only the council admin changes the policy.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from commonweal.accounts.models import Membership, Organisation, User
from commonweal.accounts.roles import Role
from commonweal.commissioning.models import Procurement

PLANNER_ROLES = frozenset({Role.COUNCIL_ADMIN, Role.COMMISSIONER})


def require_planner(membership: Membership) -> None:
    if membership.role not in PLANNER_ROLES:
        raise PermissionDenied("You need to be a commissioner or council admin to do this")


def require_policy_admin(membership: Membership) -> Organisation:
    if membership.role != Role.COUNCIL_ADMIN:
        raise PermissionDenied("You need to be a council admin to change the policy")
    return membership.organisation


def procurement_for_user(user: User, pk: int) -> tuple[Procurement, Membership]:
    procurement = (
        Procurement.objects.select_related("council", "policy_version", "commissioner")
        .filter(pk=pk)
        .first()
    )
    if procurement is None:
        raise Http404("No such procurement")
    membership = Membership.objects.filter(
        user=user, organisation_id=procurement.council_id
    ).first()
    if membership is None:
        raise Http404("No such procurement")
    return procurement, membership
