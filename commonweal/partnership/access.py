"""Who may see and change partnership records. Every view, download and API route asks here.

A partnership is seen by the people of its owning council (councillors and other viewers
read) and of the organisations invited to sign its charter; everyone else gets a 404. Its
coordinators (people of the owning council named as such, and the council's admins) run it.
A signatory's own pledges and progress returns are seen by its people and by the owning
council (a draft return only by the signatory). Networks are seen by their joined members
(cwb's helper); the region view by the combined authority's people.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest

from commonweal.accounts.access import active_membership
from commonweal.accounts.models import Membership
from commonweal.accounts.roles import (
    COUNCIL_EDITOR_ROLES,
    PARTNER_ROLES,
    SUPPLIER_ROLES,
    OrganisationKind,
    Role,
)
from commonweal.cwb.access import network_place_for_user
from commonweal.cwb.models import AnchorNetwork, AnchorNetworkMember
from commonweal.partnership.models import (
    JointAction,
    Partnership,
    Pledge,
    ProgressEvidence,
    ProgressReturn,
    ReturnStatus,
    Signatory,
)

#: People of a signatory who may sign, pledge and report for it (viewers only read).
SIGNATORY_WRITER_ROLES = frozenset(COUNCIL_EDITOR_ROLES | PARTNER_ROLES | SUPPLIER_ROLES)


@dataclass(frozen=True)
class PartnershipAccess:
    """How the person, acting for one organisation, stands towards one partnership."""

    membership: Membership
    partnership: Partnership
    is_coordinator: bool

    @property
    def is_owner(self) -> bool:
        return self.membership.organisation_id == self.partnership.owner_id

    def require_coordinator(self) -> None:
        if not self.is_coordinator:
            raise PermissionDenied(
                f"You need to be a coordinator of {self.partnership.name} to do this"
            )

    def can_write_for(self, signatory: Signatory) -> bool:
        """Sign, pledge and report for the signatory: its own editors, or a coordinator
        (recording what the organisation sent on paper)."""
        own = (
            signatory.organisation_id == self.membership.organisation_id
            and self.membership.role in SIGNATORY_WRITER_ROLES
        )
        return own or self.is_coordinator

    def require_write_for(self, signatory: Signatory) -> None:
        if not self.can_write_for(signatory):
            raise PermissionDenied(
                f"You need to be an editor at {signatory.organisation.name} to do this"
            )

    def may_see_signatory(self, signatory: Signatory) -> bool:
        return self.is_owner or signatory.organisation_id == self.membership.organisation_id


def is_coordinator(membership: Membership, partnership: Partnership) -> bool:
    """Named coordinators among the owning council's editors, and the council's admins."""
    if membership.organisation_id != partnership.owner_id:
        return False
    if membership.role == Role.COUNCIL_ADMIN:
        return True
    return (
        membership.role in COUNCIL_EDITOR_ROLES
        and partnership.coordinators.filter(user_id=membership.user_id).exists()
    )


def visible_partnerships(organisation_id: int) -> Q:
    """The partnerships the organisation owns or was invited to sign."""
    return Q(owner_id=organisation_id) | Q(signatories__organisation_id=organisation_id)


def visible_pledges(organisation_id: int) -> Q:
    """Pledges the organisation may see: every pledge under a charter it runs, and its own
    pledges under charters it signed (as `signatory_for_user` allows)."""
    return Q(signatory__partnership__owner_id=organisation_id) | Q(
        signatory__organisation_id=organisation_id
    )


def partnership_for_user(request: HttpRequest, pk: int) -> tuple[Partnership, PartnershipAccess]:
    membership = active_membership(request)
    partnership = (
        Partnership.objects.filter(visible_partnerships(membership.organisation_id), pk=pk)
        .select_related("owner")
        .distinct()
        .first()
    )
    if partnership is None:
        raise Http404("No such partnership")
    return partnership, PartnershipAccess(
        membership, partnership, is_coordinator(membership, partnership)
    )


def signatory_for_user(request: HttpRequest, pk: int) -> tuple[Signatory, PartnershipAccess]:
    """A signatory record: the owning council's people and the signatory's own see it."""
    signatory = (
        Signatory.objects.select_related("organisation", "partnership", "charter_version")
        .filter(pk=pk)
        .first()
    )
    if signatory is None:
        raise Http404("No such signatory")
    partnership, access = partnership_for_user(request, signatory.partnership_id)
    if not access.may_see_signatory(signatory):
        raise Http404("No such signatory")
    signatory.partnership = partnership
    return signatory, access


def pledge_for_user(request: HttpRequest, pk: int) -> tuple[Pledge, PartnershipAccess]:
    pledge = (
        Pledge.objects.select_related("principle", "measure", "signatory").filter(pk=pk).first()
    )
    if pledge is None:
        raise Http404("No such pledge")
    signatory, access = signatory_for_user(request, pledge.signatory_id)
    pledge.signatory = signatory
    return pledge, access


def progress_return_for_user(
    request: HttpRequest, pk: int
) -> tuple[ProgressReturn, PartnershipAccess]:
    """A progress return; the owning council sees it once it is submitted (a draft is the
    signatory's working copy)."""
    progress_return = (
        ProgressReturn.objects.select_related("pledge__principle", "pledge__measure")
        .filter(pk=pk)
        .first()
    )
    if progress_return is None:
        raise Http404("No such progress return")
    pledge, access = pledge_for_user(request, progress_return.pledge_id)
    is_own = pledge.signatory.organisation_id == access.membership.organisation_id
    if progress_return.status == ReturnStatus.DRAFT and not is_own:
        raise Http404("The signatory has not submitted this return yet")
    progress_return.pledge = pledge
    return progress_return, access


def evidence_for_user(request: HttpRequest, pk: int) -> tuple[ProgressEvidence, PartnershipAccess]:
    record = ProgressEvidence.objects.filter(pk=pk).first()
    if record is None:
        raise Http404("No such file")
    progress_return, access = progress_return_for_user(request, record.progress_return_id)
    record.progress_return = progress_return
    return record, access


@dataclass(frozen=True)
class NetworkAccess:
    """How the person stands towards an anchor network they have a place in."""

    membership: Membership
    place: AnchorNetworkMember

    @property
    def network(self) -> AnchorNetwork:
        return self.place.network

    @property
    def is_joined(self) -> bool:
        return self.place.status == AnchorNetworkMember.Status.JOINED

    @property
    def is_convener(self) -> bool:
        return self.network.convener_id == self.membership.organisation_id

    @property
    def can_edit(self) -> bool:
        """The member's editors decide what it shares and add or update joint actions."""
        return self.is_joined and self.membership.role in SIGNATORY_WRITER_ROLES

    def require_edit(self) -> None:
        if not self.can_edit:
            raise PermissionDenied("You can read the network's figures but not change them")


def network_for_user(request: HttpRequest, pk: int) -> NetworkAccess:
    """A network the acting organisation is in or invited to (cwb's rule); 404 otherwise."""
    place, membership = network_place_for_user(request, pk)
    return NetworkAccess(membership, place)


def joined_network_for_user(request: HttpRequest, pk: int) -> NetworkAccess:
    """A network the acting organisation has joined: only members see what members share."""
    access = network_for_user(request, pk)
    if not access.is_joined:
        raise Http404("Join the network to see its figures")
    return access


def joint_action_for_user(
    request: HttpRequest, network_pk: int, pk: int
) -> tuple[JointAction, NetworkAccess]:
    access = joined_network_for_user(request, network_pk)
    action = (
        JointAction.objects.select_related("lead_organisation")
        .filter(network_id=network_pk, pk=pk)
        .first()
    )
    if action is None:
        raise Http404("No such joint action")
    return action, access


def combined_authority_membership(request: HttpRequest) -> Membership:
    """The acting membership, which must be of a combined authority (404 for anyone else)."""
    membership = active_membership(request)
    if membership.organisation.kind != OrganisationKind.COMBINED_AUTHORITY:
        raise Http404("The region view is for combined authorities")
    return membership


def region_sharing_membership(request: HttpRequest) -> Membership:
    """A council that belongs to a combined authority: its people read what it shares, its
    admins change it."""
    membership = active_membership(request)
    organisation = membership.organisation
    if organisation.kind != OrganisationKind.COUNCIL or organisation.combined_authority_id is None:
        raise Http404("Only a council in a combined authority shares figures with it")
    return membership


def require_council_editor(membership: Membership) -> None:
    if not membership.organisation.is_council or membership.role not in COUNCIL_EDITOR_ROLES:
        raise PermissionDenied("You need to be a council editor to do this")
