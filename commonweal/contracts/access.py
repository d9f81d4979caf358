"""Who may see and change contracts.

A contract is visible to the members of the council that let it and of the supplier that holds
it; everyone else gets a 404. Council viewers and evaluators may only read.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from commonweal.accounts.access import memberships_of
from commonweal.accounts.models import Membership, User
from commonweal.accounts.roles import Role
from commonweal.contracts.models import Commitment, Contract

CONTRACT_EDITOR_ROLES = frozenset({Role.COUNCIL_ADMIN, Role.COMMISSIONER, Role.CONTRACT_MANAGER})
VERIFIER_ROLES = frozenset({Role.COUNCIL_ADMIN, Role.CONTRACT_MANAGER})
SUPPLIER_WRITER_ROLES = frozenset({Role.SUPPLIER_ADMIN, Role.SUPPLIER_CONTRIBUTOR})


@dataclass(frozen=True)
class ContractAccess:
    """How one person stands towards one contract."""

    membership: Membership

    @property
    def is_council(self) -> bool:
        return bool(self.membership.organisation.is_council)

    @property
    def is_supplier(self) -> bool:
        return bool(self.membership.organisation.is_supplier)

    @property
    def can_edit(self) -> bool:
        return self.is_council and self.membership.role in CONTRACT_EDITOR_ROLES

    @property
    def can_verify(self) -> bool:
        return self.is_council and self.membership.role in VERIFIER_ROLES

    @property
    def can_report(self) -> bool:
        return self.is_supplier and self.membership.role in SUPPLIER_WRITER_ROLES

    def require_edit(self) -> None:
        if not self.can_edit:
            raise PermissionDenied(
                "You need to be a council admin, commissioner or contract manager to change "
                "contracts"
            )

    def require_verify(self) -> None:
        if not self.can_verify:
            raise PermissionDenied("You need to be a contract manager or council admin to verify")

    def require_report(self) -> None:
        if not self.can_report:
            raise PermissionDenied("You need to be a member of the supplier to report delivery")


def visible_contracts(membership: Membership) -> QuerySet[Contract]:
    """Contracts the organisation the person is acting for may see."""
    organisation = membership.organisation
    if organisation.is_council:
        return Contract.objects.filter(council=organisation)
    if organisation.is_supplier:
        return Contract.objects.filter(supplier=organisation)
    return Contract.objects.none()


def contracts_with_parties() -> QuerySet[Contract]:
    """Contracts with the organisations, contract manager and measure set their pages show."""
    return Contract.objects.select_related(
        "council", "supplier", "contract_manager", "measure_set_version__measure_set"
    )


def contract_for_user(user: User, pk: int) -> tuple[Contract, ContractAccess]:
    """A contract of the person's council or supplier; 404 otherwise."""
    try:
        contract = contracts_with_parties().get(pk=pk)
    except Contract.DoesNotExist:
        raise Http404("No such contract") from None
    return contract, access_to_contract(user, contract.council_id, contract.supplier_id)


def access_to_contract(user: User, council_id: int, supplier_id: int) -> ContractAccess:
    """How the person stands towards a contract between this council and supplier; 404 for
    anyone in neither."""
    parties = (council_id, supplier_id)
    # Someone in both the council and the supplier acts for the council.
    membership = next(
        (
            m
            for m in sorted(memberships_of(user), key=lambda m: m.organisation.kind)
            if m.organisation_id in parties
        ),
        None,
    )
    if membership is None:
        raise Http404("No such contract")
    return ContractAccess(membership)


def commitment_for_user(user: User, contract_pk: int, pk: int) -> tuple[Commitment, ContractAccess]:
    contract, access = contract_for_user(user, contract_pk)
    commitment = (
        Commitment.objects.select_related("measure").filter(contract=contract, pk=pk).first()
    )
    if commitment is None:
        raise Http404("No such commitment")
    commitment.contract = contract
    return commitment, access
