"""Who may see returns, evidence and verification: the same people as the contract."""

from __future__ import annotations

from django.http import Http404

from commonweal.accounts.models import User
from commonweal.contracts.access import ContractAccess, contract_for_user
from commonweal.contracts.models import Contract
from commonweal.monitoring.models import (
    EvidenceFile,
    Kpi,
    Milestone,
    RecoveryAction,
    ReportingPeriod,
    ReturnLine,
    ReturnStatus,
    SupplierReturn,
)


def period_for_user(user: User, pk: int) -> tuple[ReportingPeriod, ContractAccess]:
    period = ReportingPeriod.objects.filter(pk=pk).first()
    if period is None:
        raise Http404("No such reporting period")
    contract, access = contract_for_user(user, period.contract_id)
    period.contract = contract
    return period, access


def _require_submitted_for_council(supplier_return: SupplierReturn, access: ContractAccess) -> None:
    """A draft is the supplier's own working copy: the council sees a return, its claims and
    its evidence only once it is submitted (it knows a draft exists from the return's status)."""
    if access.is_council and supplier_return.status == ReturnStatus.DRAFT:
        raise Http404("The supplier has not submitted this return yet")


def return_for_user(user: User, pk: int) -> tuple[SupplierReturn, ContractAccess]:
    supplier_return = SupplierReturn.objects.select_related("period").filter(pk=pk).first()
    if supplier_return is None:
        raise Http404("No such return")
    contract, access = contract_for_user(user, supplier_return.contract_id)
    _require_submitted_for_council(supplier_return, access)
    supplier_return.contract = contract
    return supplier_return, access


def line_for_user(user: User, return_pk: int, pk: int) -> tuple[ReturnLine, ContractAccess]:
    supplier_return, access = return_for_user(user, return_pk)
    line = (
        ReturnLine.objects.select_related("commitment__measure")
        .filter(supplier_return=supplier_return, pk=pk)
        .first()
    )
    if line is None:
        raise Http404("No such line")
    line.supplier_return = supplier_return
    return line, access


def evidence_for_user(user: User, pk: int) -> tuple[EvidenceFile, ContractAccess]:
    """An evidence file; only people who may see its contract get it, everyone else a 404."""
    record = EvidenceFile.objects.select_related("supplier_return").filter(pk=pk).first()
    if record is None:
        raise Http404("No such file")
    _, access = contract_for_user(user, record.supplier_return.contract_id)
    _require_submitted_for_council(record.supplier_return, access)
    return record, access


def milestone_for_user(
    user: User, contract_pk: int, pk: int
) -> tuple[Milestone, Contract, ContractAccess]:
    """A milestone of a contract the person may see; 404 otherwise."""
    contract, access = contract_for_user(user, contract_pk)
    milestone = Milestone.objects.filter(contract=contract, pk=pk).first()
    if milestone is None:
        raise Http404("No such milestone")
    return milestone, contract, access


def recovery_action_for_user(
    user: User, contract_pk: int, pk: int
) -> tuple[RecoveryAction, Contract, ContractAccess]:
    """A recovery action on a commitment of a contract the person may see; 404 otherwise."""
    contract, access = contract_for_user(user, contract_pk)
    recovery = (
        RecoveryAction.objects.select_related("commitment__measure")
        .filter(commitment__contract=contract, pk=pk)
        .first()
    )
    if recovery is None:
        raise Http404("No such recovery action")
    return recovery, contract, access


def kpi_for_user(user: User, contract_pk: int, pk: int) -> tuple[Kpi, Contract, ContractAccess]:
    """A KPI of a contract the person may see; 404 otherwise."""
    contract, access = contract_for_user(user, contract_pk)
    kpi = Kpi.objects.filter(contract=contract, pk=pk).first()
    if kpi is None:
        raise Http404("No such KPI")
    return kpi, contract, access
