"""Who may download OCDS data: the council that let the contracts, any of its staff. A
supplier, partner or another council gets a 404, as for the contracts register itself."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from commonweal.accounts.access import council_membership
from commonweal.accounts.models import Membership, User
from commonweal.contracts.access import contract_for_user
from commonweal.contracts.models import Contract


def publishing_council(request: HttpRequest) -> Membership:
    return council_membership(request)


def contract_to_publish(user: User, pk: int) -> Contract:
    contract, access = contract_for_user(user, pk)
    if not access.is_council:
        raise Http404("Contract performance notices are the council's to publish")
    return contract
