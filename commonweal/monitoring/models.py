"""Delivery monitoring: plans, supplier returns, evidence, verification and recovery.

Claimed and verified quantities are kept in separate columns and never added together: a claim
is what the supplier says it delivered, verified is what the contract manager checked.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q


class MonitoringSettings(models.Model):
    """A council's monitoring settings. Each change is a new version; the latest is in force."""

    council = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="monitoring_settings"
    )
    version = models.PositiveIntegerField()
    delivery_plan_band_pence = models.BigIntegerField(
        "Full delivery plan from this contract value (pence)",
        default=25_000_000,
        help_text="Contracts below this value use a milestone tracker (Rotherham: £250,000)",
    )
    rag_green_at = models.DecimalField(
        "Green at this share of target",
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.900"),
    )
    rag_amber_at = models.DecimalField(
        "Amber at this share of target",
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.700"),
    )
    kpi_threshold_pence = models.BigIntegerField(
        "Procurement Act KPIs from this contract value (pence)", default=500_000_000
    )
    return_due_days = models.PositiveSmallIntegerField(
        "Days after a period ends that its return is due", default=30
    )
    reminder_days_before = models.PositiveSmallIntegerField(
        "Days before a return is due that suppliers are reminded", default=7
    )
    claim_margin_percent = models.DecimalField(
        "Check claims to date more than this % above the commitment to date",
        max_digits=6,
        decimal_places=2,
        default=Decimal(25),
        validators=[MinValueValidator(Decimal(0))],
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["council", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "version"], name="monitoring_settings_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(rag_amber_at__gt=0) & Q(rag_amber_at__lte=models.F("rag_green_at")),
                name="rag_amber_below_green",
                violation_error_message="Amber must be above 0 and no higher than green",
            ),
            models.CheckConstraint(
                condition=Q(rag_green_at__lte=1), name="rag_green_at_most_target"
            ),
        ]

    def __str__(self) -> str:
        return f"Monitoring settings version {self.version}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.council_id}


class ReportingPeriod(models.Model):
    """A financial quarter or month of a contract, for which the supplier makes one return."""

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.CASCADE, related_name="periods"
    )
    label = models.CharField(max_length=32, help_text="Like 2025-26 Q2")
    starts_on = models.DateField()
    ends_on = models.DateField()
    due_on = models.DateField()
    contract_year = models.PositiveSmallIntegerField()
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["contract", "position"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "label"], name="period_label_unique"),
            models.UniqueConstraint(fields=["contract", "position"], name="period_position_unique"),
        ]
        indexes = [models.Index(fields=["due_on"])]

    def __str__(self) -> str:
        return self.label

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.contract.council_id}


class PeriodTarget(models.Model):
    """What a commitment should have delivered in one period, per the delivery plan."""

    commitment = models.ForeignKey(
        "contracts.Commitment", on_delete=models.CASCADE, related_name="targets"
    )
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="targets")
    target = models.DecimalField(max_digits=16, decimal_places=4)

    class Meta:
        ordering = ["period__position"]
        constraints = [
            models.UniqueConstraint(fields=["commitment", "period"], name="one_target_per_period"),
            models.CheckConstraint(condition=Q(target__gte=0), name="target_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.target} in {self.period.label}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.period.contract.council_id}


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class Milestone(models.Model):
    """A step in the milestone tracker that smaller contracts use instead of a full plan."""

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.CASCADE, related_name="milestones"
    )
    commitment = models.ForeignKey(
        "contracts.Commitment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    description = models.CharField(max_length=300)
    due_on = models.DateField()
    status = models.CharField(
        max_length=16, choices=MilestoneStatus.choices, default=MilestoneStatus.NOT_STARTED
    )

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.contract.council_id}


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    QUERIED = "queried", "Queried"
    VERIFIED = "verified", "Verified"
    PART_VERIFIED = "part_verified", "Verified in part"
    REJECTED = "rejected", "Rejected"


class SupplierReturn(models.Model):
    """The supplier's report of what it delivered in one period of one contract."""

    period = models.OneToOneField(
        ReportingPeriod, on_delete=models.CASCADE, related_name="supplier_return"
    )
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.CASCADE, related_name="returns"
    )
    status = models.CharField(
        max_length=16, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT
    )
    narrative = models.TextField(blank=True)
    attests_contract_and_period = models.BooleanField(
        "This return relates only to this contract and period", default=False
    )
    attests_commitment = models.BooleanField(
        "Everything claimed relates to a commitment in this contract", default=False
    )
    workforce_fte = models.DecimalField(
        "Workforce delivering the contract this period (FTE)",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
    )
    reference = models.CharField(max_length=32, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_late = models.BooleanField(default=False)
    version = models.PositiveIntegerField(
        default=1, help_text="Raised on every verification save, so two people cannot overwrite"
    )
    # Asked only on contracts that require the Real Living Wage; checked by the fair work app.
    lowest_hourly_rate_outside_london = models.DecimalField(
        "Lowest hourly rate paid to staff working on the contract outside London",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="On the last day of the period, in pounds per hour",
    )
    lowest_hourly_rate_in_london = models.DecimalField(
        "Lowest hourly rate paid to staff working on the contract in London",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="On the last day of the period; empty when nobody on the contract works there",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["period__due_on"]
        indexes = [models.Index(fields=["contract", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(lowest_hourly_rate_outside_london__isnull=True)
                    | Q(lowest_hourly_rate_outside_london__gt=0)
                )
                & (
                    Q(lowest_hourly_rate_in_london__isnull=True)
                    | Q(lowest_hourly_rate_in_london__gt=0)
                ),
                name="return_hourly_rates_above_nought",
                violation_error_message="An hourly rate must be above £0",
            )
        ]

    def __str__(self) -> str:
        return f"Return for {self.period.label}"

    @property
    def reports_wages(self) -> bool:
        return (
            self.lowest_hourly_rate_outside_london is not None
            or self.lowest_hourly_rate_in_london is not None
        )

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.contract.council_id}


class LineOutcome(models.TextChoices):
    PENDING = "pending", "Awaiting verification"
    VERIFIED = "verified", "Verified"
    PART_VERIFIED = "part_verified", "Verified in part"
    QUERIED = "queried", "Queried"
    REJECTED = "rejected", "Rejected"


class ReturnLine(models.Model):
    supplier_return = models.ForeignKey(
        SupplierReturn, on_delete=models.CASCADE, related_name="lines"
    )
    commitment = models.ForeignKey(
        "contracts.Commitment", on_delete=models.CASCADE, related_name="return_lines"
    )
    claimed = models.DecimalField(max_digits=16, decimal_places=4, default=0)
    people = models.CharField(
        max_length=1000,
        blank=True,
        help_text="The supplier's own references for the people a job claim is about, never names",
    )
    activity = models.CharField(max_length=100, blank=True)
    note = models.TextField(blank=True)
    outcome = models.CharField(
        max_length=16, choices=LineOutcome.choices, default=LineOutcome.PENDING
    )
    verified = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    outcome_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["commitment__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier_return", "commitment"], name="one_line_per_commitment"
            ),
            models.CheckConstraint(
                condition=Q(verified__isnull=True) | Q(verified__lte=models.F("claimed")),
                name="verified_at_most_claimed",
                violation_error_message="The verified quantity cannot be more than was claimed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claimed} claimed for {self.commitment.measure.code}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.supplier_return.contract.council_id}


class QueryMessage(models.Model):
    """One message in the thread about a line: a query, an answer or a decision."""

    class Kind(models.TextChoices):
        QUERY = "query", "Query"
        ANSWER = "answer", "Answer"
        DECISION = "decision", "Decision"

    line = models.ForeignKey(ReturnLine, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    body = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on line {self.line_id}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.line.supplier_return.contract.council_id}


class CaseStudy(models.Model):
    supplier_return = models.ForeignKey(
        SupplierReturn, on_delete=models.CASCADE, related_name="case_studies"
    )
    title = models.CharField(max_length=200)
    story = models.TextField()
    consent_to_publish = models.BooleanField(
        "The people in this story agreed that it may be published", default=False
    )

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "case studies"

    def __str__(self) -> str:
        return self.title

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.supplier_return.contract.council_id}


class EvidenceType(models.TextChoices):
    PAYROLL_EXTRACT = "payroll_extract", "Payroll extract"
    APPRENTICESHIP_AGREEMENT = "apprenticeship_agreement", "Apprenticeship agreement"
    INVOICE = "invoice", "Invoice"
    ATTENDANCE_REGISTER = "attendance_register", "Attendance register"
    PHOTOGRAPH = "photograph", "Photograph"
    OTHER = "other", "Other"


class EvidenceFile(models.Model):
    """A file the supplier uploaded as evidence, kept in the default storage, never public."""

    supplier_return = models.ForeignKey(
        SupplierReturn, on_delete=models.CASCADE, related_name="evidence"
    )
    line = models.ForeignKey(
        ReturnLine, null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence"
    )
    evidence_type = models.CharField(max_length=32, choices=EvidenceType.choices)
    file = models.FileField(upload_to="evidence/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.supplier_return.contract.council_id}


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class RecoveryAction(models.Model):
    """What will be done to bring a commitment that is behind back on track."""

    commitment = models.ForeignKey(
        "contracts.Commitment", on_delete=models.CASCADE, related_name="recovery_actions"
    )
    action = models.TextField()
    owner = models.CharField(max_length=200)
    due_on = models.DateField()
    status = models.CharField(
        max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.action[:80]

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.commitment.contract.council_id}


class Notification(models.Model):
    """A message to one person, shown in the service and (usually) also emailed."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=300, blank=True)
    dedupe_key = models.CharField(
        max_length=120, help_text="The same reminder is never sent twice to the same person"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    emailed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], name="notification_sent_once"
            )
        ]

    def __str__(self) -> str:
        return self.subject


class KpiRating(models.TextChoices):
    GOOD = "good", "Good"
    APPROACHING = "approaching_target", "Approaching target"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"
    OTHER = "other", "Other"


class Kpi(models.Model):
    """A key performance indicator, as the Procurement Act 2023 s.52 asks above £5m."""

    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.CASCADE, related_name="kpis"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.contract.council_id}


class KpiAssessment(models.Model):
    """One rating of a KPI for a Contract Performance Notice (Procurement Act 2023 s.71)."""

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="assessments")
    period_start = models.DateField()
    period_end = models.DateField()
    rating = models.CharField(max_length=32, choices=KpiRating.choices)
    explanation = models.TextField(blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_end", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="kpi_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kpi.name}: {self.get_rating_display()}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.kpi.contract.council_id}


class FiguresStamp(models.Model):
    """Counts changes to anything behind a council's delivery figures (contracts, commitments,
    targets, submitted returns, verification, settings), so a dashboard can tell when figures
    it worked out earlier are still current. `every_contract_changes` counts only the changes
    that reach every contract page of the council (settings, figures worked out again)."""

    council = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="figures_stamp"
    )
    changes = models.PositiveBigIntegerField(default=0)
    every_contract_changes = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.changes} changes"


FIRST_DAY = date.min
LAST_DAY = date.max


class DeliveryFigures(models.Model):
    """One commitment's figures to date as they stand from `from_date` until `until_date`.

    A commitment has one row for the time before its first reporting period ends and one per
    period, holding the figures as of that period's end. Rows are worked out by the valuation
    engine whenever anything behind them changes (`figures.refresh_contract_figures`), so the
    dashboard adds up stored whole pence in SQL instead of valuing every claim on every
    request. Committed, target, claimed and verified are separate columns, never added.
    """

    council = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.CASCADE, related_name="figures"
    )
    commitment = models.ForeignKey(
        "contracts.Commitment", on_delete=models.CASCADE, related_name="figures"
    )
    measure = models.ForeignKey(
        "frameworks.Measure",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The commitment's measure, kept here so portfolios group without a join",
    )
    from_date = models.DateField(help_text="First day these figures are current")
    until_date = models.DateField(help_text="Day the next period ends (these figures then lapse)")
    financial_year = models.CharField(
        max_length=9, help_text="Financial year the contract started, like 2025-26"
    )
    committed = models.DecimalField(max_digits=20, decimal_places=4)
    target_to_date = models.DecimalField(max_digits=20, decimal_places=4)
    claimed_to_date = models.DecimalField(max_digits=20, decimal_places=4)
    verified_to_date = models.DecimalField(max_digits=20, decimal_places=4)
    verified_share = models.DecimalField(
        max_digits=16,
        decimal_places=6,
        null=True,
        help_text=(
            "Verified ÷ target to date, rounded down to 6 places (RAG thresholds have 3, so "
            "comparing with them is exact); empty when nothing was due"
        ),
    )
    committed_pence = models.BigIntegerField(null=True, help_text="Empty for unvalued measures")
    target_pence = models.BigIntegerField(null=True)
    claimed_pence = models.BigIntegerField(null=True)
    verified_pence = models.BigIntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "from_date"], name="one_figures_row_per_commitment_and_day"
            ),
            models.CheckConstraint(
                condition=Q(from_date__lt=models.F("until_date")), name="figures_dates_in_order"
            ),
        ]
        indexes = [models.Index(fields=["council", "until_date", "from_date"])]

    def __str__(self) -> str:
        return f"Figures from {self.from_date} until {self.until_date}"
