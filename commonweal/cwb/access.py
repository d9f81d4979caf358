"""Access helpers for community wealth building records.

Councils, combined authorities and anchor partners each see only their own spend, suppliers and
analyses; suppliers have no local-economy pages at all (404). Viewers read; editors change.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from commonweal.accounts.access import active_membership
from commonweal.accounts.models import Membership
from commonweal.accounts.roles import COUNCIL_EDITOR_ROLES, PARTNER_ROLES, Role
from commonweal.cwb.models import (
    AnchorNetworkMember,
    ReferenceDataLoad,
    RegisterSupplier,
    SpendImportRun,
    SupplierLinkDecision,
    SupplierReviewPair,
)

#: Roles that may import spend, run linkage and decide review pairs.
CWB_EDITOR_ROLES = frozenset(COUNCIL_EDITOR_ROLES | PARTNER_ROLES)


def cwb_membership(request: HttpRequest) -> Membership:
    """The membership acting now, if its organisation has local-economy pages (404 otherwise)."""
    membership = active_membership(request)
    if membership.organisation.is_supplier:
        raise Http404("Suppliers have no local economy pages")
    return membership


def can_edit(membership: Membership) -> bool:
    return membership.role in CWB_EDITOR_ROLES


def require_cwb_editor(membership: Membership) -> None:
    if not can_edit(membership):
        raise PermissionDenied("You can look at spend and suppliers but not change them")


def spend_import_for_user(request: HttpRequest, pk: uuid.UUID) -> tuple[SpendImportRun, Membership]:
    membership = cwb_membership(request)
    run = SpendImportRun.objects.filter(pk=pk, organisation_id=membership.organisation_id).first()
    if run is None:
        raise Http404("No such spend import")
    return run, membership


def register_supplier_for_user(
    request: HttpRequest, pk: int
) -> tuple[RegisterSupplier, Membership]:
    membership = cwb_membership(request)
    supplier = RegisterSupplier.objects.filter(
        pk=pk, organisation_id=membership.organisation_id
    ).first()
    if supplier is None:
        raise Http404("No such supplier")
    return supplier, membership


def review_pair_for_user(request: HttpRequest, pk: int) -> tuple[SupplierReviewPair, Membership]:
    membership = cwb_membership(request)
    pair = SupplierReviewPair.objects.filter(
        pk=pk, organisation_id=membership.organisation_id
    ).first()
    if pair is None:
        raise Http404("No such pair of names")
    return pair, membership


def link_decision_for_user(
    request: HttpRequest, pk: int
) -> tuple[SupplierLinkDecision, Membership]:
    membership = cwb_membership(request)
    decision = SupplierLinkDecision.objects.filter(
        pk=pk, organisation_id=membership.organisation_id
    ).first()
    if decision is None:
        raise Http404("No such decision")
    return decision, membership


def network_place_for_user(
    request: HttpRequest, network_pk: int
) -> tuple[AnchorNetworkMember, Membership]:
    """The acting organisation's place in the network (joined or invited); 404 for outsiders."""
    membership = cwb_membership(request)
    place = (
        AnchorNetworkMember.objects.filter(
            network_id=network_pk, organisation_id=membership.organisation_id
        )
        .select_related("network", "network__convener", "organisation")
        .first()
    )
    if place is None:
        raise Http404("No such anchor network")
    return place, membership


def require_network_convener(place: AnchorNetworkMember, membership: Membership) -> None:
    """Only the convening council's editors invite and remove members."""
    require_cwb_editor(membership)
    if place.network.convener_id != membership.organisation_id:
        raise PermissionDenied("Only the council that convenes the network changes its members")


def can_load_reference_data(membership: Membership) -> bool:
    """Reference data (registers, postcodes, deprivation, authorities) is shared by every
    organisation on the service, so only a council's admin loads it."""
    return membership.role == Role.COUNCIL_ADMIN and membership.organisation.is_council


def require_reference_data_loader(membership: Membership) -> None:
    if not can_load_reference_data(membership):
        raise PermissionDenied("Only a council admin can load reference data")


def reference_load_for_user(request: HttpRequest, pk: int) -> tuple[ReferenceDataLoad, Membership]:
    """A load of reference data: shared, so anyone with local-economy pages may read it."""
    membership = cwb_membership(request)
    load = ReferenceDataLoad.objects.filter(pk=pk).select_related("loaded_by").first()
    if load is None:
        raise Http404("No such reference data load")
    return load, membership
