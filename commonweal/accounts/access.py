"""Access helpers: the one way views fetch organisation-scoped objects.

Anything outside the person's organisations is a 404, so nobody can learn that it exists.
A person who may see but not change something gets a 403 from ``require_role``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from commonweal.accounts.models import Invitation, Membership, Organisation, User
from commonweal.accounts.roles import ADMIN_ROLES, Role
from commonweal.core.models import Job


def request_user(request: HttpRequest) -> User:
    """The signed-in person making the request. Views reach it behind ``login_required`` and
    API routes behind their authentication; a request with nobody signed in is refused here
    rather than run as nobody."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def memberships_in_order() -> QuerySet[Membership]:
    """Memberships with their organisations, in the order people see them: by name."""
    return Membership.objects.select_related("organisation").order_by("organisation__name", "pk")


def memberships_of(user: User) -> list[Membership]:
    """The person's memberships with their organisations, by organisation name. Read once per
    user object, that is once per request (with the user itself, by ``MemberBackend``), and
    kept on it as Django keeps a user's permissions."""
    found: list[Membership] | None = getattr(user, "_memberships_cache", None)
    if found is None:
        found = list(memberships_in_order().filter(user=user))
        keep_memberships(user, found)
    return found


def keep_memberships(user: User, memberships: list[Membership]) -> None:
    """Keep the person's memberships, read with them, for ``memberships_of``."""
    user._memberships_cache = memberships  # type: ignore[attr-defined]


def active_membership(request: HttpRequest) -> Membership:
    """The membership the person is acting through now; 404 for someone with none."""
    membership: Membership | None = getattr(request, "membership", None)
    if membership is None:
        raise Http404("You are not a member of any organisation")
    return membership


def council_membership(request: HttpRequest) -> Membership:
    """The active membership, which must be of a council; 404 for anyone else (a page only
    councils have)."""
    membership = active_membership(request)
    if not membership.organisation.is_council:
        raise Http404("Only councils have this page")
    return membership


def membership_in(user: User, organisation_id: int) -> Membership:
    membership = (
        Membership.objects.select_related("organisation")
        .filter(user=user, organisation_id=organisation_id)
        .first()
    )
    if membership is None:
        raise Http404("No such organisation")
    return membership


def organisation_for_user(user: User, pk: int) -> tuple[Organisation, Membership]:
    membership = membership_in(user, pk)
    return membership.organisation, membership


def member_for_user(user: User, organisation_pk: int, pk: int) -> tuple[Membership, Membership]:
    """A member of one of the person's organisations, and the person's own membership there."""
    own = membership_in(user, organisation_pk)
    member = (
        Membership.objects.select_related("user", "organisation")
        .filter(organisation_id=organisation_pk, pk=pk)
        .first()
    )
    if member is None:
        raise Http404("No such member")
    return member, own


def invitation_for_user(user: User, organisation_pk: int, pk: int) -> tuple[Invitation, Membership]:
    own = membership_in(user, organisation_pk)
    invitation = Invitation.objects.filter(organisation_id=organisation_pk, pk=pk).first()
    if invitation is None:
        raise Http404("No such invitation")
    return invitation, own


def require_role(membership: Membership, roles: Iterable[str]) -> None:
    if membership.role not in set(roles):
        raise PermissionDenied(
            f"You need to be {' or '.join(sorted(Role(r).label.lower() for r in roles))} to do this"
        )


def require_admin(membership: Membership) -> None:
    require_role(membership, ADMIN_ROLES)


def require_council_admin(membership: Membership) -> Organisation:
    """The council a person edits through their active membership; 403 unless its admin."""
    if membership.role != Role.COUNCIL_ADMIN or not membership.organisation.is_council:
        raise PermissionDenied("You need to be a council admin to do this")
    return membership.organisation


def job_for_user(user: User, pk: uuid.UUID) -> tuple[Job, Membership]:
    """A background job of one of the person's organisations; 404 otherwise."""
    job = Job.objects.select_related("organisation").filter(pk=pk).first()
    if job is None:
        raise Http404("No such job")
    membership = Membership.objects.filter(user=user, organisation_id=job.organisation_id).first()
    if membership is None:
        raise Http404("No such job")
    return job, membership
