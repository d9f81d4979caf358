"""Fair work and equality: the council's Real Living Wage rates, accreditation journey and
compliance findings, and its Equality Framework for Local Government self-assessment.

What lower floors must show (an employer's accreditation, a contract's Real Living Wage clause,
the lowest hourly rate a return reports) is stored there; this app keeps the rest and the pages.
The rates shipped with Commonweal are read from `valuation/reference/`, never stored here: this
table holds only the rates a council adds itself (next autumn's, before a release ships it).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from commonweal.frameworks.vocabulary import EflgModule
from commonweal.monitoring.models import ActionStatus
from commonweal.valuation.fair_work import (
    DEFAULT_SMALL_NUMBER,
    LARGEST_THRESHOLD,
    SMALLEST_THRESHOLD,
    Area,
    EflgLevel,
)


class FairWorkSettings(models.Model):
    """A council's fair work and equality settings."""

    council = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="fair_work_settings"
    )
    living_wage_categories = models.JSONField(
        default=list,
        blank=True,
        help_text="Service categories whose contracts must pay the Real Living Wage",
    )
    small_number_threshold = models.PositiveSmallIntegerField(
        "Smallest number of people shown",
        default=DEFAULT_SMALL_NUMBER,
        help_text="Figures about fewer people with a protected characteristic are withheld",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "fair work settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(small_number_threshold__gte=SMALLEST_THRESHOLD)
                & Q(small_number_threshold__lte=LARGEST_THRESHOLD),
                name="small_number_threshold_in_range",
                violation_error_message=f"Enter a number from {SMALLEST_THRESHOLD} to "
                f"{LARGEST_THRESHOLD}",
            )
        ]

    def __str__(self) -> str:
        return f"Fair work settings of {self.council}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.council_id}


class LivingWageRateAddition(models.Model):
    """A Real Living Wage rate a council added itself, for a year Commonweal does not ship."""

    council = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="living_wage_rates"
    )
    year = models.PositiveSmallIntegerField(help_text="The year it was announced, like 2026")
    label = models.CharField(max_length=20, help_text="Like 2026-27")
    announced_on = models.DateField()
    pay_by = models.DateField(help_text="From this day accredited employers must pay it")
    pay_by_published = models.BooleanField(
        default=False, help_text="The Living Wage Foundation gave this date (else six months on)"
    )
    uk_rate = models.DecimalField("UK rate (£ per hour)", max_digits=6, decimal_places=2)
    london_rate = models.DecimalField(
        "London rate (£ per hour)", max_digits=6, decimal_places=2, null=True, blank=True
    )
    source_title = models.CharField(max_length=300)
    source_url = models.URLField(blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["council", "year"], name="one_added_rate_per_year"),
            models.CheckConstraint(
                condition=Q(uk_rate__gt=0) & (Q(london_rate__isnull=True) | Q(london_rate__gt=0)),
                name="added_rate_above_nought",
                violation_error_message="A rate must be above £0",
            ),
            models.CheckConstraint(
                condition=Q(pay_by__gte=models.F("announced_on")),
                name="added_rate_paid_after_announced",
                violation_error_message="The pay-by date must be on or after the announcement",
            ),
            models.CheckConstraint(
                condition=~Q(source_title=""),
                name="added_rate_has_source",
                violation_error_message="Enter where the rate was published",
            ),
        ]

    def __str__(self) -> str:
        return f"Real Living Wage {self.label} (added by {self.council})"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.council_id}


class AccreditationStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    APPLYING = "applying", "Applying"
    ACCREDITED = "accredited", "Accredited"
    RENEWAL_DUE = "renewal_due", "Renewal due"


class CouncilAccreditation(models.Model):
    """The council's own accreditation as a Real Living Wage employer: what it covers and when
    it is next renewed. Its journey is the council's `AccreditationEvent`s."""

    council = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="living_wage_journey"
    )
    scope = models.TextField(
        "What the accreditation covers",
        blank=True,
        help_text="For example directly employed staff, and contracted staff on council sites",
    )
    renewal_due_on = models.DateField("Renewal due on", null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Real Living Wage accreditation of {self.council}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.council_id}


class AccreditationEvent(models.Model):
    """A step of the council's accreditation journey: its status from a date."""

    council = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="living_wage_events"
    )
    status = models.CharField(max_length=16, choices=AccreditationStatus.choices)
    happened_on = models.DateField()
    note = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-happened_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AccreditationStatus.values),
                name="accreditation_status_known",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} from {self.happened_on}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.council_id}


class ActionPlanStep(models.Model):
    """One step of the council's plan to become (or stay) an accredited employer."""

    council = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="living_wage_plan"
    )
    description = models.CharField("What will be done", max_length=300)
    owner = models.CharField("Who owns it", max_length=200)
    due_on = models.DateField("Due by")
    status = models.CharField(max_length=16, choices=ActionStatus.choices, default="open")
    done_on = models.DateField("Done on", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="plan_step_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_on__isnull=False),
                name="done_plan_step_has_date",
                violation_error_message="Enter the date the step was done",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.council_id}


class FindingStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class WageFinding(models.Model):
    """A return that paid below the Real Living Wage in force (rule BelowRealLivingWage), with
    the figures the rule used and the recovery action agreed."""

    council = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="wage_findings"
    )
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.CASCADE, related_name="wage_findings"
    )
    supplier_return = models.ForeignKey(
        "monitoring.SupplierReturn", on_delete=models.CASCADE, related_name="wage_findings"
    )
    rule_code = models.CharField(max_length=40)
    area = models.CharField(max_length=8, choices=[(a.value, a.label) for a in Area])
    day = models.DateField(help_text="The day the rate was checked on: the period's last day")
    paid = models.DecimalField(max_digits=6, decimal_places=2)
    required = models.DecimalField(max_digits=6, decimal_places=2)
    rate_label = models.CharField(max_length=20)
    due_from = models.DateField()
    message = models.CharField(max_length=400)
    found_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=16, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    action = models.CharField("Recovery action", max_length=500)
    action_owner = models.CharField("Who owns it", max_length=200)
    action_due_on = models.DateField("Due by")
    action_status = models.CharField(
        max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    resolution = models.CharField("How it was resolved", max_length=500, blank=True)

    class Meta:
        ordering = ["-found_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier_return", "area"], name="one_wage_finding_per_return_area"
            ),
            models.CheckConstraint(
                condition=Q(paid__lt=models.F("required")), name="wage_finding_is_below_rate"
            ),
            models.CheckConstraint(
                condition=~Q(status=FindingStatus.RESOLVED) | ~Q(resolution=""),
                name="resolved_wage_finding_says_how",
                violation_error_message="Say how the finding was resolved",
            ),
        ]

    def __str__(self) -> str:
        return self.message

    @property
    def shortfall(self) -> Any:
        return self.required - self.paid

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.council_id}


# --- Equality Framework for Local Government ---------------------------------------------------


class EflgCriterion(models.Model):
    """A criterion of one EFLG module, in the council's own words (the LGA's text is not
    shipped: the council enters it or loads it from a spreadsheet)."""

    council = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="eflg_criteria"
    )
    module = models.CharField(max_length=16, choices=EflgModule.choices)
    reference = models.CharField(max_length=20, help_text="Like 1.1")
    text = models.TextField("Criterion")
    position = models.PositiveIntegerField(default=0)
    source = models.CharField(max_length=300, help_text="Entered, or the file it was loaded from")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["module", "position", "reference", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "module", "reference"], name="eflg_reference_once_per_module"
            ),
            models.CheckConstraint(
                condition=Q(module__in=EflgModule.values), name="eflg_module_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.text[:80]}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.council_id}


class EflgAssessment(models.Model):
    """The council's self-assessment of one criterion on a date; the latest counts, and the
    earlier ones are its history."""

    criterion = models.ForeignKey(
        EflgCriterion, on_delete=models.CASCADE, related_name="assessments"
    )
    level = models.CharField(max_length=16, choices=[(lv.value, lv.label) for lv in EflgLevel])
    narrative = models.TextField("What the council does, and what shows it")
    owner = models.CharField("Who owns it", max_length=200)
    assessed_on = models.DateField("Assessed on")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=[lv.value for lv in EflgLevel]), name="eflg_level_known"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion.reference} {self.get_level_display()} on {self.assessed_on}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.criterion.council_id}


class EvidenceKind(models.TextChoices):
    COMMITMENT = "commitment", "A social value commitment on a contract"
    DELIVERY = "delivery", "The verified delivery of a commitment"
    SPEND = "spend", "A figure from the spend analysis"
    PLEDGE = "pledge", "A pledge made under a charter"
    DOCUMENT = "document", "A document"
    LINK = "link", "A link to a web page"


class ProtectedCharacteristic(models.TextChoices):
    """The nine protected characteristics of the Equality Act 2010."""

    AGE = "age", "Age"
    DISABILITY = "disability", "Disability"
    GENDER_REASSIGNMENT = "gender_reassignment", "Gender reassignment"
    MARRIAGE = "marriage", "Marriage and civil partnership"
    PREGNANCY = "pregnancy", "Pregnancy and maternity"
    RACE = "race", "Race"
    RELIGION = "religion", "Religion or belief"
    SEX = "sex", "Sex"
    SEXUAL_ORIENTATION = "sexual_orientation", "Sexual orientation"


class EflgEvidence(models.Model):
    """Evidence for one self-assessment: a link to Commonweal's own records (a commitment, its
    verified delivery, a spend figure, a charter pledge), a document or a web page. A figure that
    counts people with a protected characteristic names the characteristic, and is withheld below
    the council's small number wherever it is shown.

    A charter pledge lives in the partnership app, a floor above this one, so the link itself is
    partnership's (`partnership.PledgeCitation`, which protects the pledge); this row keeps the
    pledge as it read and where it is, written by partnership's service when it cites one."""

    assessment = models.ForeignKey(
        EflgAssessment, on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(max_length=16, choices=EvidenceKind.choices)
    description = models.CharField("What it shows", max_length=300)
    commitment = models.ForeignKey(
        "contracts.Commitment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="eflg_evidence",
    )
    spend_year = models.CharField(max_length=7, blank=True)
    spend_figure = models.CharField(max_length=200, blank=True)
    spend_pence = models.BigIntegerField(null=True, blank=True)
    spend_percent = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    url = models.URLField(blank=True)
    linked_record = models.CharField(
        "The record it links to", max_length=400, blank=True, help_text="As it read when linked"
    )
    linked_address = models.CharField(
        "Where the record is in Commonweal", max_length=200, blank=True
    )
    file = models.FileField(upload_to="eflg/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    people_count = models.DecimalField(
        "Number of people", max_digits=12, decimal_places=2, null=True, blank=True
    )
    characteristic = models.CharField(
        "Protected characteristic the figure is about",
        max_length=24,
        choices=ProtectedCharacteristic.choices,
        blank=True,
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EvidenceKind.values), name="eflg_evidence_kind_known"
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=[EvidenceKind.COMMITMENT, EvidenceKind.DELIVERY])
                | Q(commitment__isnull=False),
                name="eflg_commitment_evidence_names_it",
                violation_error_message="Choose the commitment",
            ),
            models.CheckConstraint(
                condition=~Q(kind=EvidenceKind.SPEND) | ~Q(spend_figure=""),
                name="eflg_spend_evidence_names_it",
                violation_error_message="Choose the spend figure",
            ),
            models.CheckConstraint(
                condition=~Q(kind=EvidenceKind.PLEDGE) | ~Q(linked_record=""),
                name="eflg_pledge_evidence_names_it",
                violation_error_message="Choose the pledge",
            ),
            models.CheckConstraint(
                condition=~Q(kind=EvidenceKind.LINK) | ~Q(url=""),
                name="eflg_link_evidence_has_url",
                violation_error_message="Enter the web address",
            ),
            models.CheckConstraint(
                condition=Q(people_count__isnull=True) | Q(people_count__gte=0),
                name="eflg_people_count_not_negative",
                violation_error_message="Enter 0 or more people",
            ),
        ]

    def __str__(self) -> str:
        return self.description

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.assessment.criterion.council_id}
