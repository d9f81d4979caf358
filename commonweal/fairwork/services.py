"""Writes for fair work and equality: settings, rates a council adds, its accreditation journey
and plan, suppliers' accreditation, the Real Living Wage clause on contracts, compliance
findings with their recovery actions and reminders, and the EFLG self-assessment. Each
validates, saves in one transaction and is on the audit trail."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse

from commonweal.accounts.models import (
    AccreditationBasis,
    LivingWageAccreditation,
    Organisation,
    User,
)
from commonweal.accounts.roles import Role
from commonweal.contracts.models import Commitment, Contract, ServiceCategory
from commonweal.contracts.services import contract_living_wage_set
from commonweal.core.audit import acting_as, save_audited
from commonweal.core.jobs import JobError, job_progress
from commonweal.core.models import Job
from commonweal.core.uploads import upload_forget
from commonweal.fairwork import selectors
from commonweal.fairwork.loading import (
    CriterionRowIn,
    RateRowIn,
    as_session,
    parse_criteria,
    parse_rates,
    read_upload,
)
from commonweal.fairwork.models import (
    AccreditationEvent,
    ActionPlanStep,
    CouncilAccreditation,
    EflgAssessment,
    EflgCriterion,
    EflgEvidence,
    EvidenceKind,
    FairWorkSettings,
    FindingStatus,
    LivingWageRateAddition,
    WageFinding,
)
from commonweal.frameworks.importing import FrameworkImportError
from commonweal.monitoring import evidence as uploads
from commonweal.monitoring.models import ActionStatus
from commonweal.monitoring.services import contract_page_changed, notification_send
from commonweal.valuation.fair_work import (
    BelowRealLivingWage,
    DatePrecision,
    LivingWageRate,
    long_date,
    pay_by_after,
)
from commonweal.valuation.money import format_pounds
from commonweal.valuation.official_series import living_wage_rates

RECOVERY_DAYS = 28
"""A new finding's recovery action is due this many days after it is found, until changed."""


# --- Settings ----------------------------------------------------------------------------------


def settings_update(
    *,
    council: Organisation,
    by: User,
    small_number_threshold: int | None = None,
    living_wage_categories: Sequence[str] | None = None,
) -> FairWorkSettings:
    found = selectors.settings_for(council)
    if small_number_threshold is not None:
        found.small_number_threshold = small_number_threshold
    if living_wage_categories is not None:
        unknown = set(living_wage_categories) - set(ServiceCategory.values)
        if unknown:
            raise ValidationError(f"Unknown service categories: {', '.join(sorted(unknown))}")
        found.living_wage_categories = sorted(set(living_wage_categories))
    found.updated_by = by
    return save_audited(found, by=by)


def living_wage_policy_set(
    *, council: Organisation, categories: Sequence[str], by: User
) -> tuple[FairWorkSettings, int]:
    """Save which service categories must pay the Real Living Wage and add the clause to the
    council's contracts in them. A clause already on a contract stays when its category is
    taken off the policy: it is part of the contract. Returns how many contracts gained it."""
    with transaction.atomic():
        found = settings_update(council=council, by=by, living_wage_categories=categories)
        gained = 0
        for contract in Contract.objects.filter(
            council=council,
            service_category__in=found.living_wage_categories,
            requires_real_living_wage=False,
        ):
            contract_living_wage_set(
                contract=contract,
                service_category=contract.service_category,
                requires_real_living_wage=True,
                by=by,
            )
            gained += 1
    return found, gained


def contract_clause_set(
    *, contract: Contract, service_category: str, requires: bool | None, by: User, today: date
) -> Contract:
    """Set a contract's service category; the clause follows the council's policy for that
    category unless `requires` says otherwise for this contract."""
    if requires is None:
        policy = selectors.settings_for(contract.council).living_wage_categories
        requires = contract.requires_real_living_wage or service_category in policy
    with transaction.atomic():
        contract_living_wage_set(
            contract=contract,
            service_category=service_category,
            requires_real_living_wage=requires,
            by=by,
        )
        if requires:
            wage_checks_run(council=contract.council, today=today)
    return contract


# --- Rates -------------------------------------------------------------------------------------


def _check_new_rate_year(council: Organisation, year: int) -> None:
    if year in {rate.year for rate in living_wage_rates()}:
        raise ValidationError({"year": f"The {year} rate ships with Commonweal already"})
    if LivingWageRateAddition.objects.filter(council=council, year=year).exists():
        raise ValidationError({"year": f"Your council has added a {year} rate already"})


def rate_add(
    *,
    council: Organisation,
    year: int,
    label: str,
    announced_on: date,
    pay_by: date | None,
    uk_rate: Decimal,
    london_rate: Decimal | None,
    source_title: str,
    source_url: str,
    by: User,
    today: date,
) -> LivingWageRateAddition:
    """Add next autumn's rate (or any year not shipped). The pay-by date is six months after
    the announcement unless the Living Wage Foundation published one. Returns on the
    council's contracts are checked again, and suppliers reminded."""
    _check_new_rate_year(council, year)
    addition = LivingWageRateAddition(
        council=council,
        year=year,
        label=label or f"{year}-{(year + 1) % 100:02d}",
        announced_on=announced_on,
        pay_by=pay_by or pay_by_after(announced_on, DatePrecision.DAY) or announced_on,
        pay_by_published=pay_by is not None,
        uk_rate=uk_rate,
        london_rate=london_rate,
        source_title=source_title,
        source_url=source_url,
        added_by=by,
    )
    save_audited(addition, by=by)
    wage_checks_run(council=council, today=today)
    rate_reminders_send(today=today, councils=[council])
    return addition


def rates_load(
    *, council: Organisation, rows: Iterable[RateRowIn], by: User, today: date
) -> list[LivingWageRateAddition]:
    """Add every rate of a checked file, or none."""
    added = []
    with transaction.atomic(), acting_as(by):
        for row in rows:
            _check_new_rate_year(council, row.year)
            addition = LivingWageRateAddition(
                council=council,
                year=row.year,
                label=row.label,
                announced_on=date.fromisoformat(row.announced_on),
                pay_by=date.fromisoformat(row.pay_by),
                pay_by_published=row.pay_by_published,
                uk_rate=Decimal(row.uk_rate),
                london_rate=Decimal(row.london_rate) if row.london_rate else None,
                source_title=row.source_title,
                source_url=row.source_url,
                added_by=by,
            )
            addition.full_clean()
            addition.save()
            added.append(addition)
    wage_checks_run(council=council, today=today)
    rate_reminders_send(today=today, councils=[council])
    return added


def rate_remove(*, addition: LivingWageRateAddition, by: User) -> None:
    """Take back a rate the council added by mistake (findings it raised stay, with the
    figures they were raised on)."""
    with transaction.atomic(), acting_as(by):
        addition.delete()


# --- The council's own accreditation -----------------------------------------------------------


def accreditation_update(
    *, council: Organisation, scope: str, renewal_due_on: date | None, by: User
) -> CouncilAccreditation:
    journey = selectors.accreditation_of(council) or CouncilAccreditation(council=council)
    journey.scope = scope
    journey.renewal_due_on = renewal_due_on
    journey.updated_by = by
    return save_audited(journey, by=by)


def accreditation_event_add(
    *, council: Organisation, status: str, happened_on: date, note: str, by: User
) -> AccreditationEvent:
    event = AccreditationEvent(
        council=council, status=status, happened_on=happened_on, note=note, recorded_by=by
    )
    return save_audited(event, by=by)


def plan_step_add(
    *, council: Organisation, description: str, owner: str, due_on: date, by: User
) -> ActionPlanStep:
    step = ActionPlanStep(
        council=council, description=description, owner=owner, due_on=due_on, created_by=by
    )
    return save_audited(step, by=by)


def plan_step_update(
    *,
    step: ActionPlanStep,
    description: str,
    owner: str,
    due_on: date,
    status: str,
    done_on: date | None,
    by: User,
) -> ActionPlanStep:
    step.description, step.owner, step.due_on = description, owner, due_on
    step.status = status
    step.done_on = done_on if status == ActionStatus.DONE else None
    return save_audited(step, by=by)


# --- Suppliers' accreditation ------------------------------------------------------------------


def _pages_changed(supplier: Organisation, council: Organisation | None) -> None:
    """The contract pages that show the supplier's accreditation are laid out again."""
    contracts = Contract.objects.filter(supplier=supplier)
    if council is not None:
        contracts = contracts.filter(council=council)
    for contract in contracts:
        contract_page_changed(contract)


def supplier_accreditation_record(
    *,
    council: Organisation,
    supplier: Organisation,
    basis: str,
    accredited_since: date,
    evidence_url: str,
    evidence_note: str,
    checked_on: date | None,
    ended_on: date | None,
    by: User,
) -> LivingWageAccreditation:
    """The council's record of a supplier's accreditation: as the supplier declared it, or
    verified against evidence on a date."""
    if supplier.pk == council.pk:
        raise ValidationError("Record the council's own accreditation on its journey page")
    record = LivingWageAccreditation.objects.filter(employer=supplier, council=council).first()
    record = record or LivingWageAccreditation(employer=supplier, council=council)
    record.basis = basis
    record.accredited_since = accredited_since
    record.evidence_url = evidence_url
    record.evidence_note = evidence_note
    record.checked_on = checked_on if basis == AccreditationBasis.VERIFIED else None
    record.ended_on = ended_on
    record.recorded_by = by
    record.full_clean()
    with transaction.atomic(), acting_as(by):
        record.save()
        _pages_changed(supplier, council)
    return record


def own_accreditation_declare(
    *,
    employer: Organisation,
    accredited_since: date,
    evidence_url: str,
    evidence_note: str,
    ended_on: date | None,
    by: User,
) -> LivingWageAccreditation:
    """An organisation declares its own accreditation (every council it works with sees it as
    self-declared until it checks the evidence itself)."""
    if employer.is_council:
        raise ValidationError("A council records its accreditation on its journey page")
    record = LivingWageAccreditation.objects.filter(employer=employer, council__isnull=True).first()
    record = record or LivingWageAccreditation(employer=employer)
    record.basis = AccreditationBasis.SELF_DECLARED
    record.accredited_since = accredited_since
    record.evidence_url = evidence_url
    record.evidence_note = evidence_note
    record.ended_on = ended_on
    record.recorded_by = by
    record.full_clean()
    with transaction.atomic(), acting_as(by):
        record.save()
        _pages_changed(employer, None)
    return record


# --- Compliance --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckRun:
    returns_checked: int
    findings_raised: int


def _council_people(council_id: int, contract: Contract) -> list[User]:
    if contract.contract_manager is not None:
        return [contract.contract_manager]
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organisation_id=council_id,
            memberships__role=Role.COUNCIL_ADMIN,
        )
    )


def _supplier_people(supplier_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organisation_id=supplier_id,
            memberships__role__in=[Role.SUPPLIER_ADMIN, Role.SUPPLIER_CONTRIBUTOR],
        )
    )


def wage_checks_run(*, council: Organisation | None = None, today: date) -> CheckRun:
    """Check every submitted return on contracts that require the Real Living Wage against the
    rate in force on its period's last day (rule BelowRealLivingWage), raise a finding with a
    recovery action for each shortfall not yet found, and tell the contract manager and the
    supplier. Safe to run often: a shortfall is found once."""
    councils = (
        [council]
        if council is not None
        else list(Organisation.objects.filter(contracts__requires_real_living_wage=True).distinct())
    )
    checked = raised = 0
    rule = BelowRealLivingWage()
    for each in councils:
        schedule = selectors.living_wage_schedule(each)
        found = set(
            WageFinding.objects.filter(council=each).values_list("supplier_return_id", "area")
        )
        for supplier_return in selectors.returns_to_check(each):
            checked += 1
            result = rule.check(
                schedule=schedule,
                day=supplier_return.period.ends_on,
                lowest_paid=selectors.lowest_paid(supplier_return),
            )
            for shortfall in result.shortfalls:
                if (supplier_return.pk, shortfall.area.value) in found:
                    continue
                contract = supplier_return.contract
                finding = WageFinding(
                    council=each,
                    contract=contract,
                    supplier_return=supplier_return,
                    rule_code=rule.code,
                    area=shortfall.area.value,
                    day=result.day,
                    paid=shortfall.paid,
                    required=shortfall.required,
                    rate_label=shortfall.rate_label,
                    due_from=shortfall.due_from,
                    message=shortfall.message[:400],
                    action=(
                        f"Pay everyone working on {contract.reference} at least "
                        f"{format_pounds(shortfall.required)} an hour, make up the difference "
                        f"since {long_date(max(shortfall.due_from, supplier_return.period.starts_on))}"
                        ", and show it in the next return"
                    )[:500],
                    action_owner=contract.supplier.name[:200],
                    action_due_on=today + timedelta(days=RECOVERY_DAYS),
                )
                finding.full_clean()
                with transaction.atomic(), acting_as(None):
                    finding.save()
                    url = reverse("fairwork:finding-detail", args=[finding.pk])
                    subject = f"Paid below the Real Living Wage on {contract.reference}"
                    for people, org_id in (
                        (_council_people(each.pk, contract), each.pk),
                        (_supplier_people(contract.supplier_id), contract.supplier_id),
                    ):
                        notification_send(
                            recipients=people,
                            organisation_id=org_id,
                            subject=subject,
                            body=f"Return {supplier_return.reference} for "
                            f"{supplier_return.period.label}: {finding.message}. "
                            f"Recovery action: {finding.action}.",
                            url=url if org_id == each.pk else reverse("fairwork:own-findings"),
                            dedupe_key=f"wage-finding-{finding.pk}",
                        )
                found.add((supplier_return.pk, shortfall.area.value))
                raised += 1
    return CheckRun(checked, raised)


def finding_update(
    *,
    finding: WageFinding,
    action: str,
    action_owner: str,
    action_due_on: date,
    action_status: str,
    resolution: str,
    by: User,
) -> WageFinding:
    """Agree the recovery action and its progress; a finding is resolved when its action is
    done and the council says how."""
    finding.action, finding.action_owner = action, action_owner
    finding.action_due_on, finding.action_status = action_due_on, action_status
    finding.resolution = resolution
    finding.status = (
        FindingStatus.RESOLVED
        if action_status == ActionStatus.DONE and resolution.strip()
        else FindingStatus.OPEN
    )
    if action_status == ActionStatus.DONE and not resolution.strip():
        raise ValidationError({"resolution": "Say how the finding was resolved"})
    return save_audited(finding, by=by)


def _in_grace(rate: LivingWageRate, today: date) -> bool:
    return rate.in_grace_on(today)


def rate_reminders_send(*, today: date, councils: Sequence[Organisation] | None = None) -> int:
    """When a new rate has been announced and is not yet due, tell the suppliers on contracts
    that require the Real Living Wage, and their contract managers, the new rates and the date
    they must be paid from. Each person hears of each rate once."""
    sent = 0
    if councils is None:
        councils = list(
            Organisation.objects.filter(contracts__requires_real_living_wage=True).distinct()
        )
    for council in councils:
        announced = [r for r in selectors.living_wage_rates_for(council) if _in_grace(r, today)]
        if not announced:
            continue
        contracts = list(
            selectors.living_wage_contracts(council).select_related("contract_manager")
        )
        for rate in announced:
            assert rate.pay_by is not None
            rates_text = " and ".join(
                f"{format_pounds(amount)} {where}"
                for amount, where in (
                    (rate.uk_rate, "outside London"),
                    (rate.london_rate, "in London"),
                )
                if amount is not None
            )
            body = (
                f"The Real Living Wage for {rate.label} is {rates_text} an hour. Contracts that "
                f"require the Real Living Wage must pay it from {long_date(rate.pay_by)}."
            )
            for contract in contracts:
                for people, org_id, url in (
                    (_supplier_people(contract.supplier_id), contract.supplier_id,
                     reverse("monitoring:returns")),
                    (_council_people(council.pk, contract), council.pk,
                     reverse("fairwork:contracts")),
                ):  # fmt: skip
                    made, _ = notification_send(
                        recipients=people,
                        organisation_id=org_id,
                        subject=f"New Real Living Wage: pay it on {contract.reference} by "
                        f"{long_date(rate.pay_by)}",
                        body=f"{body} Contract {contract.reference} {contract.title}.",
                        url=url,
                        dedupe_key=f"rlw-{rate.year}-{contract.pk}",
                    )
                    sent += made
    return sent


# --- EFLG self-assessment ----------------------------------------------------------------------


def criterion_add(
    *, council: Organisation, module: str, reference: str, text: str, by: User, source: str = ""
) -> EflgCriterion:
    position = EflgCriterion.objects.filter(council=council, module=module).count()
    criterion = EflgCriterion(
        council=council,
        module=module,
        reference=reference.strip(),
        text=text.strip(),
        position=position,
        source=source or f"Entered by {by}",
        created_by=by,
    )
    return save_audited(criterion, by=by)


def criterion_update(
    *, criterion: EflgCriterion, reference: str, text: str, by: User
) -> EflgCriterion:
    criterion.reference, criterion.text = reference.strip(), text.strip()
    return save_audited(criterion, by=by)


def criteria_load(
    *, council: Organisation, rows: Iterable[CriterionRowIn], filename: str, by: User
) -> list[EflgCriterion]:
    """Add every criterion of a checked file, or none."""
    created = []
    with transaction.atomic():
        for row in rows:
            created.append(
                criterion_add(
                    council=council,
                    module=row.module,
                    reference=row.reference,
                    text=row.text,
                    by=by,
                    source=f"Loaded from {filename} by {by}"[:300],
                )
            )
    return created


def assessment_add(
    *,
    criterion: EflgCriterion,
    level: str,
    narrative: str,
    owner: str,
    assessed_on: date,
    by: User,
    today: date,
) -> EflgAssessment:
    if assessed_on > today:
        raise ValidationError({"assessed_on": "The date assessed must be today or in the past"})
    assessment = EflgAssessment(
        criterion=criterion,
        level=level,
        narrative=narrative.strip(),
        owner=owner.strip(),
        assessed_on=assessed_on,
        recorded_by=by,
    )
    return save_audited(assessment, by=by)


def evidence_add(
    *,
    assessment: EflgAssessment,
    kind: str,
    description: str,
    by: User,
    commitment: Commitment | None = None,
    spend: dict[str, Any] | None = None,
    url: str = "",
    upload: UploadedFile[bytes] | None = None,
    people_count: Decimal | None = None,
    characteristic: str = "",
    linked_record: str = "",
    linked_address: str = "",
) -> EflgEvidence:
    """Add evidence to a self-assessment. A commitment must be one of the council's own; a
    document is checked by its content, size and (when configured) a virus scan. A charter
    pledge is cited through partnership's `pledge_cite`, which checks the council may see it and
    passes what the pledge says (`linked_record`) and where it is (`linked_address`)."""
    council_id = assessment.criterion.council_id
    if commitment is not None and commitment.contract.council_id != council_id:
        raise ValidationError({"commitment": "Choose one of your council's commitments"})
    evidence = EflgEvidence(
        assessment=assessment,
        kind=kind,
        description=description.strip(),
        commitment=commitment if kind in (EvidenceKind.COMMITMENT, EvidenceKind.DELIVERY) else None,
        url=url if kind == EvidenceKind.LINK else "",
        linked_record=linked_record.strip() if kind == EvidenceKind.PLEDGE else "",
        linked_address=linked_address if kind == EvidenceKind.PLEDGE else "",
        people_count=people_count,
        characteristic=characteristic,
        added_by=by,
    )
    if kind == EvidenceKind.SPEND and spend:
        evidence.spend_year = spend["year"]
        evidence.spend_figure = spend["label"]
        evidence.spend_pence = spend["pence"]
        evidence.spend_percent = spend["percent"]
    if kind == EvidenceKind.DOCUMENT:
        if upload is None:
            raise ValidationError({"file": "Choose a file to upload"})
        try:
            allowed = uploads.check_upload(upload, upload.size or 0)
        except uploads.EvidenceRefused as refused:
            raise ValidationError({"file": str(refused)}) from None
        evidence.original_name = uploads.safe_name(upload.name or "evidence", allowed)
        evidence.content_type = allowed.content_type
        evidence.size = upload.size or 0
        evidence.sha256 = uploads.sha256_of(upload)
    evidence.full_clean(exclude=["file"])
    with transaction.atomic(), acting_as(by):
        if kind == EvidenceKind.DOCUMENT and upload is not None:
            evidence.file.save(
                f"{uuid.uuid4().hex}.{evidence.original_name.rsplit('.', 1)[-1]}",
                File(upload),
                save=False,
            )
        evidence.save()
    return evidence


def evidence_record_relabel(*, evidence: EflgEvidence, linked_record: str, by: User) -> None:
    """Say again what a linked record now reads (a cited pledge that has been withdrawn)."""
    evidence.linked_record = linked_record.strip()
    evidence.full_clean(exclude=["file"])
    with transaction.atomic(), acting_as(by):
        evidence.save(update_fields=["linked_record"])


# --- Rates and criteria files, read while the person waits (a small CSV) or by a job ----------

RATES_PURPOSE = "fairwork-rates"
CRITERIA_PURPOSE = "fairwork-criteria"


def rates_file_read(*, council: Organisation, path: Path, filename: str) -> list[RateRowIn]:
    """Every rate row of an uploaded file, or FrameworkImportError listing every problem."""
    return parse_rates(
        read_upload(path, filename),
        shipped_years={rate.year for rate in living_wage_rates()},
        existing_years=set(selectors.added_rates(council).values_list("year", flat=True)),
    )


def criteria_file_read(*, council: Organisation, path: Path, filename: str) -> list[CriterionRowIn]:
    """Every criterion row of an uploaded file, or FrameworkImportError listing every problem."""
    existing = set(EflgCriterion.objects.filter(council=council).values_list("module", "reference"))
    return parse_criteria(read_upload(path, filename), existing=existing)


def rates_file_read_job(*, job: Job, council_id: int, path: str, filename: str) -> str:
    """The background job of a rates upload: the rows kept for the confirm page, or every
    problem with the file on the job's page."""
    return _file_read_job(
        job=job,
        path=Path(path),
        filename=filename,
        read=lambda: rates_file_read(
            council=Organisation.objects.get(pk=council_id), path=Path(path), filename=filename
        ),
        retry_url=reverse("fairwork:rates-load"),
        next_url=reverse("fairwork:rates-load-confirm"),
    )


def criteria_file_read_job(*, job: Job, council_id: int, path: str, filename: str) -> str:
    """The background job of a criteria upload, as ``rates_file_read_job``."""
    return _file_read_job(
        job=job,
        path=Path(path),
        filename=filename,
        read=lambda: criteria_file_read(
            council=Organisation.objects.get(pk=council_id), path=Path(path), filename=filename
        ),
        retry_url=reverse("fairwork:eflg-criteria-load"),
        next_url=reverse("fairwork:eflg-criteria-load-confirm"),
    )


def _file_read_job(
    *,
    job: Job,
    path: Path,
    filename: str,
    read: Callable[[], Sequence[RateRowIn | CriterionRowIn]],
    retry_url: str,
    next_url: str,
) -> str:
    job_progress(job_id=job.pk, stage=f"Reading {filename}")
    try:
        rows = read()
    except FrameworkImportError as error:
        upload_forget(path)
        raise JobError.listing(error.problems, retry_url=retry_url) from error
    (path.parent / selectors.LOADED_ROWS).write_text(json.dumps(as_session(list(rows))))
    return next_url
