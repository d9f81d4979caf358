"""Council social value policy (versioned) and procurements planned with "Social Value by Design".

A council's policy says when social value is asked for, how heavily it weighs and which rules a
measure selection must meet. Every change makes a new numbered version, so a procurement can say
exactly which policy it was planned under.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q

PERCENT_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class BelowThresholdApproach(models.TextChoices):
    LIGHT_SET = "light_set", "A light set of measures"
    SINGLE_OFFER = "single_offer", "A single social value offer (one measure)"


class ScoringMethod(models.TextChoices):
    RELATIVE_TO_BEST = "relative_to_best", "Relative to the best offer"
    TARGET = "target", "Against a target in pence per £1 of contract value"
    PERCENT_OF_CONTRACT = "percent_of_contract", "As a percentage of contract value"


class DescriptorScaleChoice(models.TextChoices):
    PERCENTAGES = "percentages", "0, 25, 50, 75 or 100"
    ZERO_TO_FIVE = "zero_to_five", "0 to 5"


class PolicyVersion(models.Model):
    """One version of a council's social value policy. The newest number is in force."""

    council = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="policy_versions"
    )
    number = models.PositiveIntegerField()
    social_value_required_from_pence = models.PositiveBigIntegerField(
        "Social value is required on contracts worth at least (pence)", default=10_000_000
    )
    social_value_quantitative_percent = models.DecimalField(
        "Weighting of the social value offer (quantitative), %",
        max_digits=5,
        decimal_places=2,
        default=Decimal(10),
        validators=PERCENT_VALIDATORS,
    )
    social_value_qualitative_percent = models.DecimalField(
        "Weighting of the written answers (qualitative), %",
        max_digits=5,
        decimal_places=2,
        default=Decimal(10),
        validators=PERCENT_VALIDATORS,
    )
    below_threshold_approach = models.CharField(
        max_length=16,
        choices=BelowThresholdApproach.choices,
        default=BelowThresholdApproach.LIGHT_SET,
    )
    below_threshold_percent = models.DecimalField(
        "Weighting of social value below the threshold, %",
        max_digits=5,
        decimal_places=2,
        default=Decimal(10),
        validators=PERCENT_VALIDATORS,
    )
    max_measures = models.PositiveSmallIntegerField(
        "Most measures in one tender", default=6, validators=[MinValueValidator(1)]
    )
    max_measures_below_threshold = models.PositiveSmallIntegerField(
        "Most measures in a light set", default=3, validators=[MinValueValidator(1)]
    )
    require_employment_and_skills = models.BooleanField(
        "At least one employment and skills measure", default=True
    )
    scoring_method = models.CharField(
        max_length=24, choices=ScoringMethod.choices, default=ScoringMethod.RELATIVE_TO_BEST
    )
    target_pence_per_pound = models.DecimalField(
        "Target, pence of social value per £1", max_digits=7, decimal_places=2, default=Decimal(25)
    )
    full_marks_at_percent = models.DecimalField(
        "Full marks at this % of contract value",
        max_digits=7,
        decimal_places=2,
        default=Decimal(20),
    )
    descriptor_scale = models.CharField(
        max_length=16,
        choices=DescriptorScaleChoice.choices,
        default=DescriptorScaleChoice.PERCENTAGES,
    )
    threshold_supplies_services_pence = models.PositiveBigIntegerField(
        "Procurement Act threshold, sub-central supplies and services incl. VAT (pence)",
        default=20_772_000,
    )
    threshold_works_pence = models.PositiveBigIntegerField(
        "Procurement Act threshold, works incl. VAT (pence)", default=519_300_000
    )
    threshold_light_touch_pence = models.PositiveBigIntegerField(
        "Procurement Act threshold, light touch incl. VAT (pence)", default=66_354_000
    )
    thresholds_in_force_from = models.DateField(default=date(2026, 1, 1))
    kpi_rule_from_pence = models.PositiveBigIntegerField(
        "Contracts above this need at least 3 KPIs (pence)", default=500_000_000
    )
    # Evaluation integrity: when an offer is implausible, and who must sign off an evaluation.
    implausible_offer_percent = models.DecimalField(
        "An offer worth more than this % of the contract value is implausible",
        max_digits=7,
        decimal_places=2,
        default=Decimal(100),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    offer_warning_percent = models.DecimalField(
        "An offer worth more than this % of the contract value is checked",
        max_digits=7,
        decimal_places=2,
        default=Decimal(30),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    measure_share_percent = models.DecimalField(
        "One measure worth more than this % of the contract value is checked",
        max_digits=7,
        decimal_places=2,
        default=Decimal(50),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    annual_cost_per_fte_pence = models.PositiveBigIntegerField(
        "Annual cost of one full-time equivalent employee (pence)",
        null=True,
        blank=True,
        help_text="Used to test whether the jobs an offer promises could be paid for out of the "
        "contract; Commonweal has no sourced figure to assume, so the rule waits until it is set",
    )
    sign_off_people = models.PositiveSmallIntegerField(
        "People with no conflict of interest who must sign off an evaluation",
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    change_note = models.CharField("What changed and why", max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["council", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["council", "number"], name="policy_number_unique"),
        ]

    def __str__(self) -> str:
        return f"Social value policy version {self.number}"

    @property
    def social_value_percent(self) -> Decimal:
        return self.social_value_quantitative_percent + self.social_value_qualitative_percent

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.council_id}


class Category(models.TextChoices):
    SERVICES = "services", "Services"
    SUPPLIES = "supplies", "Supplies (goods)"
    WORKS = "works", "Works"
    LIGHT_TOUCH = "light_touch", "Light touch services (social, health, education)"


class Route(models.TextChoices):
    OPEN = "open", "Open procedure"
    COMPETITIVE_FLEXIBLE = "competitive_flexible", "Competitive flexible procedure"
    FRAMEWORK = "framework", "Call-off from a framework"
    BELOW_THRESHOLD = "below_threshold", "Below-threshold quotation"


class ProcurementStatus(models.TextChoices):
    PLANNING = "planning", "Planning"
    ISSUED = "issued", "Tender issued"


class Section(models.TextChoices):
    DETAILS = "details", "Procurement details"
    CONSIDERATION = "consideration", "Social Value Act consideration"
    MEASURES = "measures", "Choose measures"
    WEIGHTING = "weighting", "Weighting and scoring"
    QUESTIONS = "questions", "Written questions"


class Procurement(models.Model):
    council = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="procurements"
    )
    policy_version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, related_name="procurements"
    )
    measure_set_version = models.ForeignKey(
        "frameworks.LocalMeasureSetVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="Measure set",
    )
    title = models.CharField(max_length=300)
    category = models.CharField(max_length=16, choices=Category.choices)
    cpv_code = models.CharField(
        "CPV code",
        max_length=10,
        validators=[
            RegexValidator(
                r"^\d{8}(-\d)?$", "Enter a CPV code of 8 digits and a check digit, like 55520000-1"
            )
        ],
    )
    estimated_value_pence = models.PositiveBigIntegerField("Estimated value incl. VAT (pence)")
    duration_months = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    directorate = models.CharField(max_length=200)
    commissioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    route = models.CharField(max_length=24, choices=Route.choices)
    status = models.CharField(
        max_length=16, choices=ProcurementStatus.choices, default=ProcurementStatus.PLANNING
    )
    # Social Value Act 2012 consideration, kept with the procurement.
    wellbeing_improvements = models.TextField(
        "How could this procurement improve the area's economic, social and environmental "
        "well-being?",
        blank=True,
    )
    consulted = models.BooleanField("Did you consult about this?", null=True, blank=True)
    consultation_details = models.TextField("Who you consulted and what they said", blank=True)
    local_priorities = models.TextField("Local priorities considered", blank=True)
    decision = models.TextField("What you decided, and why", blank=True)
    # Weighting and scoring.
    social_value_quantitative_percent = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT_VALIDATORS
    )
    social_value_qualitative_percent = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT_VALIDATORS
    )
    price_percent = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT_VALIDATORS
    )
    quality_percent = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT_VALIDATORS
    )
    scoring_method = models.CharField(max_length=24, choices=ScoringMethod.choices, blank=True)
    target_pence_per_pound = models.DecimalField(
        max_digits=7, decimal_places=2, null=True, blank=True
    )
    full_marks_at_percent = models.DecimalField(
        max_digits=7, decimal_places=2, null=True, blank=True
    )
    descriptor_scale = models.CharField(
        max_length=16, choices=DescriptorScaleChoice.choices, blank=True
    )
    completed_sections = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_value_pence__gt=0), name="procurement_value_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def contract_years(self) -> int:
        return math.ceil(self.duration_months / 12)

    @property
    def is_above_social_value_threshold(self) -> bool:
        return self.estimated_value_pence >= self.policy_version.social_value_required_from_pence

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.council_id}


class ProcurementMeasure(models.Model):
    procurement = models.ForeignKey(
        Procurement, on_delete=models.CASCADE, related_name="chosen_measures"
    )
    measure = models.ForeignKey("frameworks.Measure", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "measure__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "measure"], name="measure_once_per_procurement"
            )
        ]

    def __str__(self) -> str:
        return str(self.measure)

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.procurement.council_id}


class WrittenQuestion(models.Model):
    procurement = models.ForeignKey(Procurement, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField("Question")
    guidance = models.TextField("What a good answer covers", blank=True)
    word_limit = models.PositiveIntegerField(default=500, validators=[MinValueValidator(50)])
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.procurement.council_id}
