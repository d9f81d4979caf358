"""Contracts and the social value commitments a supplier must deliver under them.

A contract belongs to the council that let it and names one supplier. Each commitment is a
measure with a quantity per contract year and its value at award, worked out by the valuation
engine with the contract's measure set version and price year. Commitments change only through a
recorded variation, which keeps the figures before and after.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import Q


class ContractSource(models.TextChoices):
    AWARD = "award", "Awarded from a tender"
    MANUAL = "manual", "Entered by an officer"
    IMPORT = "import", "Imported from a spreadsheet"


class ServiceCategory(models.TextChoices):
    """What kind of service a contract buys, so a council's policy can say which contracts must
    pay the Real Living Wage (low-paid work is concentrated in these)."""

    CARE = "care", "Care"
    CLEANING = "cleaning", "Cleaning"
    CATERING = "catering", "Catering"
    SECURITY = "security", "Security"
    GROUNDS = "grounds", "Grounds maintenance"
    TRANSPORT = "transport", "Transport"
    CONSTRUCTION = "construction", "Construction and repairs"
    OTHER = "other", "Other"


class ReportingFrequency(models.TextChoices):
    QUARTERLY = "quarterly", "Quarterly"
    MONTHLY = "monthly", "Monthly"


def contract_years_between(start: date, end: date) -> int:
    """Whole or part years from `start` to `end` inclusive: 1 Apr 2025 – 31 Mar 2027 is 2.

    A part year counts as a contract year, because commitments are made for it.
    """
    if end < start:
        raise ValueError(f"The end date {end} is before the start date {start}")
    years = 0
    cursor = start
    while cursor <= end:
        years += 1
        cursor = start + relativedelta(years=years)
    return years


class Contract(models.Model):
    council = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="contracts"
    )
    supplier = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="supplied_contracts"
    )
    title = models.CharField(max_length=300)
    reference = models.CharField(
        max_length=64, help_text="The council's own contract reference, like RMBC-2025-014"
    )
    value_pence = models.BigIntegerField("Contract value in pence")
    start_date = models.DateField()
    end_date = models.DateField()
    directorate = models.CharField(max_length=200, blank=True)
    contract_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_contracts",
    )
    measure_set_version = models.ForeignKey(
        "frameworks.LocalMeasureSetVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    price_year = models.PositiveSmallIntegerField(
        help_text="The price year commitments are valued in"
    )
    reporting_frequency = models.CharField(
        max_length=16, choices=ReportingFrequency.choices, default=ReportingFrequency.QUARTERLY
    )
    source = models.CharField(max_length=16, choices=ContractSource.choices)
    service_category = models.CharField(
        "Service category", max_length=16, choices=ServiceCategory.choices, blank=True
    )
    requires_real_living_wage = models.BooleanField(
        "The contract requires the Real Living Wage",
        default=False,
        help_text="Everyone working on the contract must be paid at least the Real Living Wage; "
        "the supplier's returns then say the lowest hourly rate paid",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    page_changes = models.PositiveBigIntegerField(
        default=0,
        editable=False,
        help_text="Counts changes to anything shown on the contract's page, so a page laid out "
        "earlier can tell whether it is still current.",
    )

    class Meta:
        ordering = ["-start_date", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "reference"], name="contract_reference_unique_per_council"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="contract_ends_after_it_starts",
                violation_error_message="The end date must be the same as or after the start date",
            ),
            models.CheckConstraint(
                condition=Q(value_pence__gt=0),
                name="contract_value_positive",
                violation_error_message="Enter a contract value above £0",
            ),
            models.CheckConstraint(
                condition=Q(source__in=[s.value for s in ContractSource]),
                name="contract_source_known",
            ),
        ]
        indexes = [
            models.Index(fields=["council", "directorate"]),
            models.Index(fields=["supplier"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def contract_years(self) -> int:
        return contract_years_between(self.start_date, self.end_date)

    def contract_year_starts(self) -> list[date]:
        return [self.start_date + relativedelta(years=n) for n in range(self.contract_years)]

    def contract_year_of(self, day: date) -> int:
        """Which contract year (from 1) a day falls in; days outside the term are clamped."""
        if day < self.start_date:
            return 1
        year = 1
        while year < self.contract_years and day >= self.start_date + relativedelta(years=year):
            year += 1
        return year

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.council_id}


class Commitment(models.Model):
    """One measure the supplier committed to deliver, with a quantity for each contract year."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="commitments")
    measure = models.ForeignKey(
        "frameworks.Measure", on_delete=models.PROTECT, related_name="commitments"
    )
    deadweight = models.DecimalField(max_digits=5, decimal_places=4, default=0)
    attribution = models.DecimalField(max_digits=5, decimal_places=4, default=1)
    committed_value_pence = models.BigIntegerField(
        null=True,
        blank=True,
        help_text="Social value of all years in pence, at award or as last varied; empty for "
        "record-only and qualitative measures",
    )
    evaluation_note = models.TextField(
        blank=True,
        help_text="Why the evaluators moderated the offered quantities, for a contract awarded "
        "from a tender",
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "measure"], name="measure_once_per_contract"
            ),
            models.CheckConstraint(
                condition=Q(deadweight__gte=0) & Q(deadweight__lte=1),
                name="commitment_deadweight_share",
            ),
            models.CheckConstraint(
                condition=Q(attribution__gte=0) & Q(attribution__lte=1),
                name="commitment_attribution_share",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure.code} on {self.contract.reference}"

    @property
    def line_ref(self) -> str:
        return f"C{self.pk}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.contract.council_id}


class CommitmentYear(models.Model):
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="years")
    contract_year = models.PositiveSmallIntegerField()
    quantity = models.DecimalField(max_digits=16, decimal_places=4)
    value_pence = models.BigIntegerField(null=True, blank=True)
    offered_quantity = models.DecimalField(
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="For a contract awarded from a tender, the quantity the winning offer made, "
        "kept for the record beside the quantity as evaluated",
    )

    class Meta:
        ordering = ["contract_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "contract_year"], name="one_quantity_per_contract_year"
            ),
            models.CheckConstraint(
                condition=Q(contract_year__gte=1), name="contract_year_counts_from_one"
            ),
        ]

    def __str__(self) -> str:
        return f"Year {self.contract_year}: {self.quantity}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.commitment.contract.council_id}


class Variation(models.Model):
    """A recorded change to a contract's commitments, with the figures before and after."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="variations")
    commitment = models.ForeignKey(
        Commitment, null=True, blank=True, on_delete=models.SET_NULL, related_name="variations"
    )
    measure_code = models.CharField(max_length=32)
    reason = models.TextField()
    agreed_on = models.DateField(help_text="The date the variation was agreed")
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    before = models.JSONField(help_text="Quantities by contract year and value before")
    after = models.JSONField(help_text="Quantities by contract year and value after")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"Variation to {self.measure_code} on {self.contract.reference}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.contract.council_id}
