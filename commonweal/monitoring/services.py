"""Writes for delivery plans, council monitoring settings and milestones."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.models import Organisation, User
from commonweal.accounts.roles import Role
from commonweal.contracts.models import Commitment, Contract, ReportingFrequency
from commonweal.core.audit import acting_as
from commonweal.monitoring import evidence
from commonweal.monitoring.evidence import EvidenceRefused
from commonweal.monitoring.figures import refresh_contract_figures
from commonweal.monitoring.models import (
    ActionStatus,
    CaseStudy,
    EvidenceFile,
    EvidenceType,
    FiguresStamp,
    Kpi,
    KpiAssessment,
    LineOutcome,
    Milestone,
    MilestoneStatus,
    MonitoringSettings,
    Notification,
    PeriodTarget,
    QueryMessage,
    RecoveryAction,
    ReportingPeriod,
    ReturnLine,
    ReturnStatus,
    SupplierReturn,
)
from commonweal.monitoring.periods import default_targets, periods_between
from commonweal.monitoring.rules import ReturnStatusFromLines, VerificationDecisionCheck
from commonweal.monitoring.selectors import settings_for
from commonweal.valuation import person_references
from commonweal.valuation.money import plain_number

ZERO = Decimal(0)


def council_changed(council_id: int, *, every_contract: bool = False) -> None:
    """Record that something shown on the council's dashboard changed, and with
    `every_contract` on every one of its contract pages too, so pages kept in the cache are
    worked out again (call inside the writing transaction)."""
    stamp, _ = FiguresStamp.objects.get_or_create(council_id=council_id)
    FiguresStamp.objects.filter(pk=stamp.pk).update(
        changes=F("changes") + 1,
        every_contract_changes=F("every_contract_changes") + int(every_contract),
    )


def contract_page_changed(contract: Contract) -> None:
    """Record that something shown on the contract's page changed, and so on its council's
    dashboard (call inside the writing transaction)."""
    Contract.objects.filter(pk=contract.pk).update(page_changes=F("page_changes") + 1)
    council_changed(contract.council_id)


def contract_changed(contract: Contract) -> None:
    """Re-work the contract's stored figures after a change to what they rest on, and mark its
    page and its council's dashboard as changed (call inside the writing transaction)."""
    refresh_contract_figures([contract.pk])
    contract_page_changed(contract)


def figures_refresh_all() -> tuple[int, int]:
    """Work out every contract's stored figures again and mark every council's pages as
    changed. Returns the number of contracts and of figures rows."""
    contract_ids = list(Contract.objects.values_list("pk", flat=True))
    with transaction.atomic():
        rows = refresh_contract_figures(contract_ids)
        for council_id in Contract.objects.values_list("council_id", flat=True).distinct():
            council_changed(council_id, every_contract=True)
    return len(contract_ids), rows


def settings_update(*, council: Organisation, by: User, **fields: Any) -> MonitoringSettings:
    """Save a new version of the council's settings; earlier versions are kept."""
    current = settings_for(council)
    new = MonitoringSettings(
        council=council,
        version=current.version + 1,
        delivery_plan_band_pence=current.delivery_plan_band_pence,
        rag_green_at=current.rag_green_at,
        rag_amber_at=current.rag_amber_at,
        kpi_threshold_pence=current.kpi_threshold_pence,
        return_due_days=current.return_due_days,
        reminder_days_before=current.reminder_days_before,
        claim_margin_percent=current.claim_margin_percent,
        changed_by=by,
    )
    for name, value in fields.items():
        setattr(new, name, value)
    new.full_clean()
    with transaction.atomic(), acting_as(by):
        new.save()
        council_changed(council.pk, every_contract=True)
    return new


def _quantities(commitment: Commitment) -> dict[int, Decimal]:
    return {year.contract_year: year.quantity for year in commitment.years.all()}


def plan_periods(*, contract: Contract, by: User | None) -> list[ReportingPeriod]:
    """Create the contract's reporting periods and split each commitment into default targets.

    Called when the contract is created; does nothing if the periods already exist.
    """
    if ReportingPeriod.objects.filter(contract=contract).exists():
        return list(ReportingPeriod.objects.filter(contract=contract))
    settings = settings_for(contract.council_id)
    due_after = timedelta(days=settings.return_due_days)
    monthly = contract.reporting_frequency == ReportingFrequency.MONTHLY
    with transaction.atomic(), acting_as(by):
        periods = ReportingPeriod.objects.bulk_create(
            ReportingPeriod(
                contract=contract,
                label=period.label,
                starts_on=period.starts_on,
                ends_on=period.ends_on,
                due_on=period.ends_on + due_after,
                contract_year=contract.contract_year_of(period.starts_on),
                position=position,
            )
            for position, period in enumerate(
                periods_between(contract.start_date, contract.end_date, monthly=monthly)
            )
        )
        periods = list(ReportingPeriod.objects.filter(contract=contract).order_by("position"))
        for commitment in contract.commitments.prefetch_related("years"):
            _write_default_targets(commitment, periods)
        contract_changed(contract)
    return periods


def _write_default_targets(commitment: Commitment, periods: list[ReportingPeriod]) -> None:
    targets = default_targets(_quantities(commitment), [p.contract_year for p in periods])
    PeriodTarget.objects.bulk_create(
        PeriodTarget(commitment=commitment, period=period, target=target)
        for period, target in zip(periods, targets, strict=True)
    )


def targets_reset(*, commitment: Commitment, by: User | None) -> None:
    """Split a varied commitment's quantities into default targets again."""
    periods = list(ReportingPeriod.objects.filter(contract_id=commitment.contract_id))
    with transaction.atomic(), acting_as(by):
        PeriodTarget.objects.filter(commitment=commitment).delete()
        _write_default_targets(commitment, periods)
        contract_changed(commitment.contract)


def targets_update(
    *, contract: Contract, targets: Mapping[tuple[int, int], Decimal], by: User
) -> None:
    """Set targets keyed by (commitment id, period id). Each contract year's targets must add up
    to the quantity committed for that year, so the plan never drifts from the contract."""
    periods = {p.pk: p for p in ReportingPeriod.objects.filter(contract=contract)}
    problems: list[str] = []
    for commitment in contract.commitments.select_related("measure").prefetch_related("years"):
        committed = _quantities(commitment)
        planned: dict[int, Decimal] = {}
        for (commitment_id, period_id), target in targets.items():
            if commitment_id == commitment.pk:
                year = periods[period_id].contract_year
                planned[year] = planned.get(year, Decimal(0)) + target
        for year in sorted(set(committed) | set(planned)):
            if planned.get(year, Decimal(0)) != committed.get(year, Decimal(0)):
                problems.append(
                    f"{commitment.measure.code} year {year}: the targets add up to "
                    f"{plain_number(planned.get(year, Decimal(0)))} but "
                    f"{plain_number(committed.get(year, Decimal(0)))} {commitment.measure.unit} was "
                    "committed; make them add up to the commitment"
                )
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(), acting_as(by):
        for (commitment_id, period_id), target in targets.items():
            PeriodTarget.objects.filter(commitment_id=commitment_id, period_id=period_id).update(
                target=target
            )
        contract_changed(contract)


def milestone_create(
    *,
    contract: Contract,
    description: str,
    due_on: date,
    commitment: Commitment | None,
    by: User,
) -> Milestone:
    milestone = Milestone(
        contract=contract, description=description, due_on=due_on, commitment=commitment
    )
    milestone.full_clean()
    with transaction.atomic(), acting_as(by):
        milestone.save()
        contract_page_changed(contract)
    return milestone


def milestone_set_status(*, milestone: Milestone, status: str, by: User) -> Milestone:
    if status not in MilestoneStatus.values:
        raise ValidationError({"status": "Select a status"})
    milestone.status = status
    with transaction.atomic(), acting_as(by):
        milestone.save(update_fields=["status"])
        contract_page_changed(milestone.contract)
    return milestone


# --- Supplier returns ---------------------------------------------------------------------


class ReturnNotEditable(ValidationError):
    pass


def return_start(*, period: ReportingPeriod, by: User) -> SupplierReturn:
    """The period's return, created as a draft with a line per commitment if not yet started."""
    existing = SupplierReturn.objects.filter(period=period).first()
    if existing is not None:
        return existing
    with transaction.atomic(), acting_as(by):
        supplier_return = SupplierReturn.objects.create(period=period, contract=period.contract)
        ReturnLine.objects.bulk_create(
            ReturnLine(supplier_return=supplier_return, commitment=commitment)
            for commitment in Commitment.objects.filter(contract=period.contract)
        )
        contract_page_changed(period.contract)
    return supplier_return


def _require_draft(supplier_return: SupplierReturn) -> None:
    if supplier_return.status != ReturnStatus.DRAFT:
        raise ReturnNotEditable("This return has been submitted and can no longer be changed")


def _require_open_for_evidence(supplier_return: SupplierReturn) -> None:
    if supplier_return.status not in (ReturnStatus.DRAFT, ReturnStatus.QUERIED):
        raise EvidenceRefused(
            "Evidence can be added while the return is a draft or while a query is open"
        )


def return_save(
    *,
    supplier_return: SupplierReturn,
    claims: Mapping[int, tuple[Decimal, str]],
    narrative: str,
    attests_contract_and_period: bool,
    attests_commitment: bool,
    by: User,
    workforce_fte: Decimal | None = None,
    details: Mapping[int, tuple[str, str]] | None = None,
) -> SupplierReturn:
    """Save the draft: claimed quantity and note per line (keyed by line id), narrative, the
    two attestations, the workforce delivering the contract, and (per line, when given) the
    supplier's references for the people and the activity behind a claim, so that the
    counting rules can run."""
    _require_draft(supplier_return)
    lines = {line.pk: line for line in supplier_return.lines.all()}
    details = details or {}
    unknown = (set(claims) | set(details)) - set(lines)
    if unknown:
        raise ValidationError(f"Lines {sorted(unknown)} are not part of this return")
    if workforce_fte is not None and not (workforce_fte.is_finite() and workforce_fte >= 0):
        raise ValidationError("Enter the workforce as 0 or more full-time equivalents, like 12.5")
    with transaction.atomic(), acting_as(by):
        for line_id, (claimed, note) in claims.items():
            line = lines[line_id]
            line.claimed = claimed
            line.note = note
            if line_id in details:
                people, activity = details[line_id]
                line.people = ", ".join(person_references(people))
                line.activity = activity.strip()
            line.full_clean()
            line.save(update_fields=["claimed", "note", "people", "activity"])
        supplier_return.narrative = narrative
        supplier_return.attests_contract_and_period = attests_contract_and_period
        supplier_return.attests_commitment = attests_commitment
        supplier_return.workforce_fte = workforce_fte
        supplier_return.save(
            update_fields=[
                "narrative",
                "attests_contract_and_period",
                "attests_commitment",
                "workforce_fte",
                "updated_at",
            ]
        )
        contract_page_changed(supplier_return.contract)
    return supplier_return


def return_wages_save(
    *,
    supplier_return: SupplierReturn,
    lowest_outside_london: Decimal | None,
    lowest_in_london: Decimal | None,
    by: User,
) -> SupplierReturn:
    """Save the lowest hourly rates paid on the last day of the period, asked on contracts
    that require the Real Living Wage (the fair work app checks them against the rate)."""
    _require_draft(supplier_return)
    supplier_return.lowest_hourly_rate_outside_london = lowest_outside_london
    supplier_return.lowest_hourly_rate_in_london = lowest_in_london
    supplier_return.full_clean(exclude=["period", "contract"], validate_unique=False)
    with transaction.atomic(), acting_as(by):
        supplier_return.save(
            update_fields=[
                "lowest_hourly_rate_outside_london",
                "lowest_hourly_rate_in_london",
                "updated_at",
            ]
        )
        contract_page_changed(supplier_return.contract)
    return supplier_return


def case_study_add(
    *, supplier_return: SupplierReturn, title: str, story: str, consent: bool, by: User
) -> CaseStudy:
    _require_draft(supplier_return)
    case_study = CaseStudy(
        supplier_return=supplier_return, title=title, story=story, consent_to_publish=consent
    )
    case_study.full_clean()
    with transaction.atomic(), acting_as(by):
        case_study.save()
        contract_page_changed(supplier_return.contract)
    return case_study


def evidence_add(
    *,
    supplier_return: SupplierReturn,
    upload: UploadedFile[bytes],
    evidence_type: str,
    line: ReturnLine | None,
    by: User,
) -> EvidenceFile:
    """Check the file by content, size and (when configured) virus scan, then store it in the
    default storage under a random name. Raises EvidenceRefused with the reason."""
    _require_open_for_evidence(supplier_return)
    if evidence_type not in EvidenceType.values:
        raise EvidenceRefused("Select the type of evidence")
    if line is not None and line.supplier_return_id != supplier_return.pk:
        raise EvidenceRefused("That commitment is not part of this return")
    allowed = evidence.check_upload(upload, upload.size or 0)
    record = EvidenceFile(
        supplier_return=supplier_return,
        line=line,
        evidence_type=evidence_type,
        original_name=evidence.safe_name(upload.name or "evidence", allowed),
        content_type=allowed.content_type,
        size=upload.size or 0,
        sha256=evidence.sha256_of(upload),
        uploaded_by=by,
    )
    with transaction.atomic(), acting_as(by):
        record.file.save(f"{uuid.uuid4().hex}.{allowed.extension}", File(upload), save=False)
        record.save()
        contract_page_changed(supplier_return.contract)
    return record


def return_reference(supplier_return: SupplierReturn) -> str:
    return f"SVR-{supplier_return.pk:06d}"


def return_submit(*, supplier_return: SupplierReturn, by: User, today: date) -> SupplierReturn:
    """Submit the return for verification. Both attestations are required; a return submitted
    after its due date is flagged late."""
    _require_draft(supplier_return)
    problems = []
    if not supplier_return.attests_contract_and_period:
        problems.append("Confirm that the return relates only to this contract and period")
    if not supplier_return.attests_commitment:
        problems.append("Confirm that everything claimed relates to a commitment in this contract")
    if supplier_return.contract.requires_real_living_wage and not supplier_return.reports_wages:
        problems.append(
            "Enter the lowest hourly rate paid to staff working on the contract: the contract "
            "requires the Real Living Wage"
        )
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(), acting_as(by):
        supplier_return.status = ReturnStatus.SUBMITTED
        supplier_return.submitted_at = timezone.now()
        supplier_return.submitted_by = by
        supplier_return.submitted_late = today > supplier_return.period.due_on
        supplier_return.reference = return_reference(supplier_return)
        supplier_return.version += 1
        supplier_return.save()
        # Nothing claimed needs no checking: those lines are verified at nil straight away.
        supplier_return.lines.filter(claimed=0).update(
            outcome=LineOutcome.VERIFIED, verified=0, decided_at=timezone.now()
        )
        supplier_return.lines.exclude(claimed=0).update(outcome=LineOutcome.PENDING)
        _recompute_status(supplier_return)
        contract_changed(supplier_return.contract)
    return supplier_return


# --- Verification -------------------------------------------------------------------------


class StaleReturn(ValidationError):
    """Someone else saved decisions on this return after the form was opened."""


@dataclass(frozen=True)
class Decision:
    line_id: int
    outcome: str
    verified: Decimal | None = None
    reason: str = ""


def _recompute_status(supplier_return: SupplierReturn) -> None:
    outcomes = supplier_return.lines.values_list("outcome", flat=True)
    status = ReturnStatusFromLines().status(outcomes)
    SupplierReturn.objects.filter(pk=supplier_return.pk).update(status=status)
    supplier_return.status = status


def _check_decision(line: ReturnLine, decision: Decision) -> list[str]:
    return VerificationDecisionCheck().problems(
        code=line.commitment.measure.code,
        outcome=decision.outcome,
        claimed=line.claimed,
        verified=decision.verified,
        reason=decision.reason,
    )


def return_verify(
    *,
    supplier_return: SupplierReturn,
    decisions: Sequence[Decision],
    expected_version: int,
    by: User,
) -> SupplierReturn:
    """Record the contract manager's decision on each line.

    Optimistic locking: the save goes through only if nobody has saved decisions on this
    return since `expected_version` was read; otherwise StaleReturn is raised and nothing is
    written, so the other person's decisions are not overwritten.
    """
    if supplier_return.status == ReturnStatus.DRAFT:
        raise ValidationError("This return has not been submitted yet")
    lines = {line.pk: line for line in supplier_return.lines.select_related("commitment__measure")}
    problems = []
    for decision in decisions:
        line = lines.get(decision.line_id)
        if line is None:
            problems.append(f"Line {decision.line_id} is not part of this return")
            continue
        if decision.outcome != LineOutcome.PENDING:
            problems.extend(_check_decision(line, decision))
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    with transaction.atomic(), acting_as(by):
        claimed_version = SupplierReturn.objects.filter(
            pk=supplier_return.pk, version=expected_version
        ).update(version=F("version") + 1)
        if claimed_version != 1:
            raise StaleReturn(
                "Someone else saved decisions on this return after you opened it, so yours "
                "have not been saved. Their decisions are shown now; your choices are kept in "
                "the form so you can check them and save again."
            )
        for decision in decisions:
            if decision.outcome == LineOutcome.PENDING:
                continue
            line = lines[decision.line_id]
            line.outcome = decision.outcome
            line.verified = {
                LineOutcome.VERIFIED: line.claimed,
                LineOutcome.PART_VERIFIED: decision.verified,
            }.get(LineOutcome(decision.outcome))
            line.outcome_reason = decision.reason.strip()
            line.decided_by = by
            line.decided_at = now
            line.full_clean()
            line.save()
            if decision.reason.strip():
                QueryMessage.objects.create(
                    line=line,
                    kind=(
                        QueryMessage.Kind.QUERY
                        if decision.outcome == LineOutcome.QUERIED
                        else QueryMessage.Kind.DECISION
                    ),
                    body=f"{line.get_outcome_display()}: {decision.reason.strip()}"
                    if decision.outcome != LineOutcome.QUERIED
                    else decision.reason.strip(),
                    author=by,
                )
        supplier_return.version = expected_version + 1
        _recompute_status(supplier_return)
        contract_changed(supplier_return.contract)
    return supplier_return


def query_answer(*, line: ReturnLine, body: str, by: User) -> QueryMessage:
    """The supplier answers a query; the line waits for the contract manager again."""
    if line.outcome != LineOutcome.QUERIED:
        raise ValidationError("This line has no open query to answer")
    if not body.strip():
        raise ValidationError({"body": "Enter your answer"})
    with transaction.atomic(), acting_as(by):
        message = QueryMessage.objects.create(
            line=line, kind=QueryMessage.Kind.ANSWER, body=body.strip(), author=by
        )
        SupplierReturn.objects.filter(pk=line.supplier_return_id).update(version=F("version") + 1)
        contract_page_changed(line.supplier_return.contract)
    return message


# --- Recovery actions ---------------------------------------------------------------------


def recovery_action_create(
    *, commitment: Commitment, action: str, owner: str, due_on: date, by: User
) -> RecoveryAction:
    recovery = RecoveryAction(
        commitment=commitment,
        action=action.strip(),
        owner=owner.strip(),
        due_on=due_on,
        created_by=by,
    )
    recovery.full_clean()
    with transaction.atomic(), acting_as(by):
        recovery.save()
        contract_page_changed(commitment.contract)
    return recovery


def recovery_action_set_status(
    *, recovery: RecoveryAction, status: str, by: User
) -> RecoveryAction:
    if status not in ActionStatus.values:
        raise ValidationError({"status": "Select a status"})
    recovery.status = status
    with transaction.atomic(), acting_as(by):
        recovery.save(update_fields=["status"])
        contract_page_changed(recovery.commitment.contract)
    return recovery


# --- Reminders and notifications ----------------------------------------------------------


@dataclass(frozen=True)
class ReminderRun:
    notifications: int
    emails: int


def _notify(
    *,
    recipients: Sequence[User],
    organisation_id: int,
    subject: str,
    body: str,
    url: str,
    dedupe_key: str,
) -> tuple[int, int]:
    """Record a notification for each recipient who has not had this one, and email them."""
    already = set(
        Notification.objects.filter(recipient__in=recipients, dedupe_key=dedupe_key).values_list(
            "recipient_id", flat=True
        )
    )
    created = emailed = 0
    for person in recipients:
        if person.pk in already:
            continue
        notification = Notification.objects.create(
            recipient=person,
            organisation_id=organisation_id,
            subject=subject,
            body=body,
            url=url,
            dedupe_key=dedupe_key,
        )
        created += 1
        if person.email:
            send_mail(
                subject,
                f"{body}\n\n{django_settings.SITE_URL}{url}",
                None,
                [person.email],
            )
            Notification.objects.filter(pk=notification.pk).update(emailed=True)
            emailed += 1
    return created, emailed


def notification_send(
    *,
    recipients: Sequence[User],
    organisation_id: int,
    subject: str,
    body: str,
    url: str,
    dedupe_key: str,
) -> tuple[int, int]:
    """Record and email a notification to each recipient who has not had this one (by
    `dedupe_key`), for other apps' reminders. Returns (recorded, emailed)."""
    return _notify(
        recipients=recipients,
        organisation_id=organisation_id,
        subject=subject,
        body=body,
        url=url,
        dedupe_key=dedupe_key,
    )


def reminders_send(*, today: date) -> ReminderRun:
    """Remind suppliers of returns due soon and overdue, and contract managers of answered
    queries waiting for them. Each reminder goes to each person once; safe to run often."""
    created = emailed = 0
    periods = (
        ReportingPeriod.objects.filter(due_on__lte=today + timedelta(days=60), ends_on__lte=today)
        .filter(Q(supplier_return__isnull=True) | Q(supplier_return__status=ReturnStatus.DRAFT))
        .select_related("contract__supplier", "contract__council")
    )
    settings_by_council: dict[int, MonitoringSettings] = {}
    people_by_supplier: dict[int, list[User]] = {}
    for period in periods:
        contract = period.contract
        settings = settings_by_council.setdefault(
            contract.council_id, settings_for(contract.council_id)
        )
        if period.due_on < today:
            kind, subject = "overdue", f"Overdue: social value return for {contract.reference}"
            body = (
                f"Your return for {contract.reference} {contract.title}, {period.label}, was due "
                f"on {period.due_on:%d %B %Y}. Please submit it as soon as you can."
            )
        elif period.due_on - timedelta(days=settings.reminder_days_before) <= today:
            kind, subject = "due", f"Social value return due for {contract.reference}"
            body = (
                f"Your return for {contract.reference} {contract.title}, {period.label}, is due "
                f"by {period.due_on:%d %B %Y}."
            )
        else:
            continue
        if contract.supplier_id not in people_by_supplier:
            people_by_supplier[contract.supplier_id] = list(
                User.objects.filter(
                    is_active=True,
                    memberships__organisation_id=contract.supplier_id,
                    memberships__role__in=[Role.SUPPLIER_ADMIN, Role.SUPPLIER_CONTRIBUTOR],
                )
            )
        made, sent = _notify(
            recipients=people_by_supplier[contract.supplier_id],
            organisation_id=contract.supplier_id,
            subject=subject,
            body=body,
            url=reverse("monitoring:returns"),
            dedupe_key=f"return-{kind}-{period.pk}",
        )
        created, emailed = created + made, emailed + sent
    answered = (
        QueryMessage.objects.filter(
            kind=QueryMessage.Kind.ANSWER, line__outcome=LineOutcome.QUERIED
        )
        .select_related("line__supplier_return__contract__contract_manager")
        .order_by("pk")
    )
    for answer in answered:
        supplier_return = answer.line.supplier_return
        contract = supplier_return.contract
        managers = (
            [contract.contract_manager]
            if contract.contract_manager is not None
            else list(
                User.objects.filter(
                    memberships__organisation_id=contract.council_id,
                    memberships__role=Role.COUNCIL_ADMIN,
                )
            )
        )
        made, sent = _notify(
            recipients=managers,
            organisation_id=contract.council_id,
            subject=f"A supplier answered your query on {contract.reference}",
            body=(
                f"{contract.supplier} answered your query on return {supplier_return.reference} "
                f"for {contract.reference}. It is waiting for your decision."
            ),
            url=reverse("monitoring:return-verify", args=[supplier_return.pk]),
            dedupe_key=f"query-answered-{answer.pk}",
        )
        created, emailed = created + made, emailed + sent
    return ReminderRun(created, emailed)


# --- Procurement Act 2023 KPIs ------------------------------------------------------------


def kpi_create(*, contract: Contract, name: str, description: str, by: User) -> Kpi:
    kpi = Kpi(contract=contract, name=name.strip(), description=description.strip())
    kpi.full_clean()
    with transaction.atomic(), acting_as(by):
        kpi.save()
        contract_page_changed(contract)
    return kpi


def kpi_assess(
    *,
    kpi: Kpi,
    period_start: date,
    period_end: date,
    rating: str,
    explanation: str,
    by: User,
) -> KpiAssessment:
    assessment = KpiAssessment(
        kpi=kpi,
        period_start=period_start,
        period_end=period_end,
        rating=rating,
        explanation=explanation.strip(),
        assessed_by=by,
    )
    assessment.full_clean()
    if period_end < period_start:
        raise ValidationError({"period_end": "The end of the period must be after its start"})
    with transaction.atomic(), acting_as(by):
        assessment.save()
        contract_page_changed(kpi.contract)
    return assessment
