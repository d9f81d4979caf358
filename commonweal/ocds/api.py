"""OCDS through the API: the council's awarded contracts, and a contract's performance notice."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from ninja import Router

from commonweal.accounts.models import User
from commonweal.ocds import releases
from commonweal.ocds.access import contract_to_publish, publishing_council

router = Router()


@router.get(
    "/contracts",
    response=dict[str, Any],
    summary="Your council's awarded contracts as an OCDS 1.1 release package",
    description=(
        "Tender, award and contract stages; parties with GB-COH and GB-CHC identifiers, "
        "details.scale and details.vcse; social value commitments and verified delivery in "
        "the Commonweal social value extension. Only contracts: nothing of a tender that has "
        "not been awarded."
    ),
)
def contracts_package(request: HttpRequest) -> Any:
    council = publishing_council(request).organisation
    return releases.json_ready(releases.release_package(council))


@router.get(
    "/contracts/{contract_id}/performance-notice",
    response=dict[str, Any],
    summary="A contract's Contract Performance Notice (UK9) as OCDS",
)
def performance_notice(request: HttpRequest, contract_id: int) -> Any:
    contract = contract_to_publish(cast(User, request.user), contract_id)
    return releases.json_ready(releases.performance_notice_package(contract))
