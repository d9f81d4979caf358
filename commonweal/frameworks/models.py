"""Measures frameworks as versioned data, every value with its source.

Framework → version → theme → outcome → measure, with a proxy value per monetised measure.
A framework with no owner is shipped with Commonweal and visible to everyone; one with an owner
belongs to that council (for example a National TOMs set it holds a licence for) and is visible
only to it. A council composes its own measure set from measures it can see.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from commonweal.valuation import ProxyConfidence, ValueType


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


class Framework(models.Model):
    owner = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="frameworks",
        help_text="Empty for frameworks shipped with Commonweal, which everyone can see",
    )
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    publisher = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    licence = models.CharField(max_length=200)
    licence_url = models.URLField(blank=True)
    source_title = models.CharField(max_length=300, blank=True)
    source_url = models.URLField(blank=True)
    values_restricted = models.BooleanField(
        "Values may not leave this instance",
        default=False,
        help_text="For frameworks under licences such as CC BY-NC-ND: values never appear in "
        "exports meant for the public or other organisations",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "slug"], name="framework_slug_unique_per_owner"
            ),
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(owner__isnull=True),
                name="shipped_framework_slug_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.owner_id}


class FrameworkVersion(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="versions")
    year = models.PositiveSmallIntegerField(help_text="The year this version is for, like 2025")
    label = models.CharField(max_length=100, blank=True)
    in_force_from = models.DateField()
    price_base_year = models.PositiveSmallIntegerField(
        help_text="The price year its values are stated in"
    )
    status = models.CharField(
        max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["framework__name", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "year"], name="one_version_per_year"),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="version_year_plausible"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.framework.name} {self.label or self.year}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.framework.owner_id}


class Theme(models.Model):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="themes")
    code = models.CharField(max_length=32)
    name = models.CharField(max_length=300)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="theme_code_unique_in_version")
        ]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.version.framework.owner_id}


class Outcome(models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="outcomes")
    code = models.CharField(max_length=32)
    name = models.CharField(max_length=300)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "code"], name="outcome_code_unique_in_theme")
        ]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.theme.version.framework.owner_id}


class Measure(models.Model):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="measures")
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="measures")
    code = models.CharField(max_length=32)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    unit = models.CharField(max_length=32)
    value_type = models.CharField(
        max_length=16,
        choices=[(v.value, v.value.replace("_", "-").capitalize()) for v in ValueType],
    )
    evidence_expected = models.TextField(blank=True)
    counting_notes = models.TextField(blank=True)
    tags = models.JSONField(default=list, blank=True, help_text="Tags from valuation.tags")
    light_set = models.BooleanField("In the light set for small contracts", default=False)
    ppn002_outcomes = models.JSONField(default=list, blank=True)
    cwb_pillars = models.JSONField(default=list, blank=True)
    eflg_modules = models.JSONField(default=list, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"], name="measure_code_unique_in_version"
            ),
            models.CheckConstraint(
                condition=Q(value_type__in=[v.value for v in ValueType]),
                name="measure_value_type_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.version.framework.owner_id}


class ProxyValue(models.Model):
    """£ per unit for a monetised measure, with where it comes from."""

    measure = models.OneToOneField(Measure, on_delete=models.CASCADE, related_name="proxy")
    amount_per_unit = models.DecimalField(max_digits=14, decimal_places=4)
    price_year = models.PositiveSmallIntegerField()
    source_title = models.CharField(max_length=300)
    source_url = models.URLField(blank=True)
    licence = models.CharField(max_length=200)
    confidence = models.CharField(
        max_length=8,
        choices=[(c.value, c.value.capitalize()) for c in ProxyConfidence],
        default=ProxyConfidence.MEDIUM.value,
    )
    notes = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(source_title="") & ~Q(licence=""),
                name="proxy_value_has_source_and_licence",
                violation_error_message="A monetised value needs a source and a licence",
            ),
            models.CheckConstraint(
                condition=Q(amount_per_unit__gte=0), name="proxy_value_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"£{self.amount_per_unit} per {self.measure.unit} ({self.price_year} prices)"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.measure.version.framework.owner_id}


class SourcedSeries(models.Model):
    """A series by year a council loads in place of one Commonweal ships, with its source and
    licence (a deflator series, a carbon value series). No owner: shared with every council."""

    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    source_title = models.CharField(max_length=300)
    source_url = models.URLField(blank=True)
    licence = models.CharField(max_length=200)

    owner_id: int | None
    points: Any  # each kind's points by year (DeflatorPoint, CarbonPoint)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.owner_id}


class DeflatorSeries(SourcedSeries):
    """A price index by year, for re-basing values between price years."""

    owner = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deflator_series",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "slug"], name="deflator_slug_unique_per_owner"
            ),
            models.CheckConstraint(
                condition=~Q(source_title="") & ~Q(licence=""),
                name="deflator_has_source_and_licence",
            ),
        ]


class SeriesPoint(models.Model):
    """One year of a SourcedSeries; each kind names its series and value."""

    year = models.PositiveSmallIntegerField()

    series: Any

    class Meta:
        abstract = True

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.series.owner_id}


class DeflatorPoint(SeriesPoint):
    series = models.ForeignKey(DeflatorSeries, on_delete=models.CASCADE, related_name="points")
    index = models.DecimalField(max_digits=12, decimal_places=6)

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="one_index_per_year"),
            models.CheckConstraint(condition=Q(index__gt=0), name="deflator_index_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.series.name} {self.year}: {self.index}"


class CarbonSeries(SourcedSeries):
    """A council's own carbon values, £ per tonne of CO2 equivalent by year in the prices of
    `price_year`, used in place of the DESNZ series Commonweal ships. One value a year: it has
    no low or high path."""

    owner = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="carbon_series",
    )
    price_year = models.PositiveSmallIntegerField(help_text="The prices the values are in")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "carbon series"
        constraints = [
            models.UniqueConstraint(fields=["owner", "slug"], name="carbon_slug_unique_per_owner"),
            models.CheckConstraint(
                condition=~Q(source_title="") & ~Q(licence=""),
                name="carbon_series_has_source_and_licence",
            ),
        ]


class CarbonPoint(SeriesPoint):
    series = models.ForeignKey(CarbonSeries, on_delete=models.CASCADE, related_name="points")
    value = models.DecimalField(max_digits=10, decimal_places=2, help_text="£ per tCO2e")

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="one_carbon_value_per_year"),
            models.CheckConstraint(condition=Q(value__gt=0), name="carbon_value_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.series.name} {self.year}: £{self.value}"


class CarbonPathChoice(models.TextChoices):
    """The DESNZ path a measure set version values carbon on (CarbonPath in the engine)."""

    LOW = "low", "Low"
    CENTRAL = "central", "Central"
    HIGH = "high", "High"


class LocalMeasureSet(models.Model):
    """A council's own measure set (Rotherham uses about 20 measures), versioned."""

    owner = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="measure_sets"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.owner_id}


class LocalMeasureSetVersion(models.Model):
    measure_set = models.ForeignKey(
        LocalMeasureSet, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    in_force_from = models.DateField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    deflator = models.ForeignKey(
        DeflatorSeries,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="Used to re-base values to one price year",
    )
    carbon_series = models.ForeignKey(
        CarbonSeries,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="Values carbon savings in place of the DESNZ series shipped with Commonweal",
    )
    carbon_path = models.CharField(
        max_length=8,
        choices=CarbonPathChoice.choices,
        default=CarbonPathChoice.CENTRAL,
        help_text="The DESNZ series' path; a council's own series has one value a year",
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["measure_set__name", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure_set", "number"], name="set_version_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(carbon_path__in=CarbonPathChoice.values)
                & (Q(carbon_series__isnull=True) | Q(carbon_path=CarbonPathChoice.CENTRAL)),
                name="set_version_carbon_path_known_and_central_for_own_series",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure_set.name} version {self.number}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.measure_set.owner_id}


class LocalMeasureSetItem(models.Model):
    set_version = models.ForeignKey(
        LocalMeasureSetVersion, on_delete=models.CASCADE, related_name="items"
    )
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "measure__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["set_version", "measure"], name="measure_once_per_set_version"
            )
        ]

    def __str__(self) -> str:
        return str(self.measure)

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.set_version.measure_set.owner_id}
