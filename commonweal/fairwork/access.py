"""Who may see and change fair work and equality records: one helper per object type.

A council's members see its own records (viewers only read); anything of another council is a
404, so nobody learns it exists. Council admins add rates and change settings; admins,
commissioners and contract managers change the rest. A supplier or partner declares its own
accreditation and sees the findings on its own contracts.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest

from commonweal.accounts.access import active_membership
from commonweal.accounts.models import Membership, Organisation
from commonweal.accounts.roles import Role
from commonweal.contracts.models import Contract
from commonweal.fairwork.models import (
    ActionPlanStep,
    EflgAssessment,
    EflgCriterion,
    EflgEvidence,
    LivingWageRateAddition,
    WageFinding,
)

EDITOR_ROLES = frozenset({Role.COUNCIL_ADMIN, Role.COMMISSIONER, Role.CONTRACT_MANAGER})
ADMIN_ROLES = frozenset({Role.COUNCIL_ADMIN})
DECLARER_ROLES = frozenset({Role.SUPPLIER_ADMIN, Role.PARTNER_CONTRIBUTOR})


@dataclass(frozen=True)
class FairWorkAccess:
    """How one person stands towards their council's fair work and equality records."""

    membership: Membership

    @property
    def council(self) -> Organisation:
        return self.membership.organisation

    @property
    def can_edit(self) -> bool:
        return self.membership.role in EDITOR_ROLES

    @property
    def is_admin(self) -> bool:
        return self.membership.role in ADMIN_ROLES

    def require_edit(self) -> None:
        if not self.can_edit:
            raise PermissionDenied(
                "You need to be a council admin, commissioner or contract manager to change this"
            )

    def require_admin(self) -> None:
        if not self.is_admin:
            raise PermissionDenied("You need to be a council admin to change this")


def council_access(request: HttpRequest) -> FairWorkAccess:
    """The person's standing in the council they act for; 404 for anyone not acting for one."""
    membership = active_membership(request)
    if not membership.organisation.is_council:
        raise Http404("Fair work and equality pages are for councils")
    return FairWorkAccess(membership)


def declarer_membership(request: HttpRequest) -> Membership:
    """A supplier's or partner's membership, for declaring its own accreditation."""
    membership = active_membership(request)
    organisation = membership.organisation
    if not (organisation.is_supplier or organisation.is_partner):
        raise Http404("Suppliers and partners declare their accreditation here")
    return membership


def require_declarer(membership: Membership) -> None:
    if membership.role not in DECLARER_ROLES:
        raise PermissionDenied("You need to be your organisation's admin to change this")


def rate_addition_for_user(
    request: HttpRequest, pk: int
) -> tuple[LivingWageRateAddition, FairWorkAccess]:
    access = council_access(request)
    found = LivingWageRateAddition.objects.filter(council=access.council, pk=pk).first()
    if found is None:
        raise Http404("No such rate")
    return found, access


def plan_step_for_user(request: HttpRequest, pk: int) -> tuple[ActionPlanStep, FairWorkAccess]:
    access = council_access(request)
    found = ActionPlanStep.objects.filter(council=access.council, pk=pk).first()
    if found is None:
        raise Http404("No such step")
    return found, access


def supplier_for_user(request: HttpRequest, pk: int) -> tuple[Organisation, FairWorkAccess]:
    """A supplier the council deals with: it holds one of the council's contracts, or the
    council has a record of its accreditation. (Not bidders: who bid stays sealed.)"""
    access = council_access(request)
    council = access.council
    found = (
        Organisation.objects.filter(pk=pk, kind="supplier")
        .filter(
            Q(supplied_contracts__council=council) | Q(living_wage_accreditations__council=council)
        )
        .distinct()
        .first()
    )
    if found is None:
        raise Http404("No such supplier")
    return found, access


def contract_for_council(request: HttpRequest, pk: int) -> tuple[Contract, FairWorkAccess]:
    access = council_access(request)
    found = (
        Contract.objects.select_related("supplier").filter(council=access.council, pk=pk).first()
    )
    if found is None:
        raise Http404("No such contract")
    return found, access


def finding_for_user(request: HttpRequest, pk: int) -> tuple[WageFinding, FairWorkAccess]:
    access = council_access(request)
    found = (
        WageFinding.objects.select_related("contract__supplier", "supplier_return__period")
        .filter(council=access.council, pk=pk)
        .first()
    )
    if found is None:
        raise Http404("No such finding")
    return found, access


def criterion_for_user(request: HttpRequest, pk: int) -> tuple[EflgCriterion, FairWorkAccess]:
    access = council_access(request)
    found = EflgCriterion.objects.filter(council=access.council, pk=pk).first()
    if found is None:
        raise Http404("No such criterion")
    return found, access


def assessment_for_user(request: HttpRequest, pk: int) -> tuple[EflgAssessment, FairWorkAccess]:
    access = council_access(request)
    found = (
        EflgAssessment.objects.select_related("criterion")
        .filter(criterion__council=access.council, pk=pk)
        .first()
    )
    if found is None:
        raise Http404("No such assessment")
    return found, access


def evidence_for_user(request: HttpRequest, pk: int) -> tuple[EflgEvidence, FairWorkAccess]:
    access = council_access(request)
    found = (
        EflgEvidence.objects.select_related("assessment__criterion")
        .filter(assessment__criterion__council=access.council, pk=pk)
        .first()
    )
    if found is None:
        raise Http404("No such evidence")
    return found, access
