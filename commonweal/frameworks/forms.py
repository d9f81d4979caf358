from __future__ import annotations

from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django import forms
from django.utils.text import slugify

from commonweal.core.forms import GovukDateField, UploadField
from commonweal.frameworks.importing import IMPORT_FIELDS, MAX_FILE_BYTES, READABLE_SUFFIXES
from commonweal.frameworks.local_sets import LocalProxy
from commonweal.frameworks.models import CarbonPathChoice, CarbonSeries, DeflatorSeries, Theme
from commonweal.frameworks.selectors import TAG_CHOICES, VALUE_TYPE_CHOICES, MeasureFilters
from commonweal.frameworks.vocabulary import UNITS, CwbPillar, EflgModule
from commonweal.tabular import SPREADSHEET_KINDS, WORKBOOK_SUFFIXES
from commonweal.valuation import ProxyConfidence, ValueType

SPREADSHEET_SUFFIXES = READABLE_SUFFIXES


class FrameworkSearchForm(forms.Form):
    q = forms.CharField(label="Search frameworks", required=False)


class MeasureFilterForm(forms.Form):
    q = forms.CharField(
        label="Search measures", required=False, help_text="Code, title or description"
    )
    theme = forms.TypedChoiceField(label="Theme", required=False, coerce=int, empty_value=None)
    value_type = forms.ChoiceField(
        label="Value type", required=False, choices=[("", "Any"), *VALUE_TYPE_CHOICES]
    )
    tag = forms.ChoiceField(label="Tag", required=False, choices=[("", "Any"), *TAG_CHOICES])
    light_set = forms.BooleanField(label="Only measures in the light set", required=False)

    def __init__(self, *args: Any, themes: list[Theme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [  # type: ignore[attr-defined]
            ("", "Any"),
            *[(t.pk, f"{t.code} {t.name}") for t in themes],
        ]

    def to_filters(self) -> MeasureFilters:
        if not self.is_bound or not self.is_valid():
            return MeasureFilters()
        data = self.cleaned_data
        return MeasureFilters(
            search=data.get("q") or "",
            theme_id=data.get("theme"),
            value_type=data.get("value_type") or "",
            tag=data.get("tag") or "",
            light_set=bool(data.get("light_set")),
        )


class CompareForm(forms.Form):
    """Two versions to compare, chosen from a list."""

    before = forms.TypedChoiceField(
        label="Compare version",
        coerce=int,
        error_messages={"required": "Select the version to compare"},
    )
    after = forms.TypedChoiceField(
        label="With version",
        coerce=int,
        error_messages={"required": "Select the version to compare it with"},
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["before"].choices = choices  # type: ignore[attr-defined]
        self.fields["after"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("before") and data.get("before") == data.get("after"):
            self.add_error("after", "Select two different versions to compare")
        return data


def checked_upload(upload: Any, suffixes: tuple[str, ...], kinds: str) -> Any:
    """The uploaded file, if its name ends in one of `suffixes` and it is not too large."""
    name = PurePath(upload.name).name
    if not name.lower().endswith(suffixes):
        raise forms.ValidationError(f"{name}: the selected file must be {kinds}")
    if upload.size > MAX_FILE_BYTES:
        raise forms.ValidationError(f"{name}: the selected file must be smaller than 20MB")
    return upload


class ImportUploadForm(forms.Form):
    """Step 1 of the import: the spreadsheet and what the framework is."""

    file = UploadField(
        label="Upload a spreadsheet",
        help_text=f"A CSV file or a spreadsheet ({SPREADSHEET_KINDS}) with one row per measure "
        "(or a Commonweal JSON export), no larger than 20MB",
        error_messages={"required": "Select a CSV or Excel file to upload"},
    )
    name = forms.CharField(
        label="Framework name",
        max_length=200,
        help_text="For example, National TOMs 2025",
        error_messages={"required": "Enter the framework's name"},
    )
    publisher = forms.CharField(
        label="Publisher",
        max_length=200,
        help_text="Who publishes the framework, for example Social Value Portal",
        error_messages={"required": "Enter who publishes the framework"},
    )
    licence = forms.CharField(
        label="Licence",
        max_length=200,
        help_text="For example, CC BY-NC-ND 4.0 or Open Government Licence v3.0",
        error_messages={"required": "Enter the licence the framework is under"},
    )
    licence_url = forms.URLField(
        label="Licence web address (optional)", required=False, assume_scheme="https"
    )
    source_title = forms.CharField(label="Source document (optional)", required=False)
    source_url = forms.URLField(
        label="Source web address (optional)", required=False, assume_scheme="https"
    )
    values_restricted = forms.BooleanField(
        label="Its values may not leave this council",
        required=False,
        help_text="Tick for licences such as CC BY-NC-ND: the values are then left out of "
        "exports for the public and other organisations",
    )
    year = forms.IntegerField(
        label="Year of this version",
        min_value=2000,
        max_value=2100,
        help_text="For example, 2025",
        error_messages={"required": "Enter the year this version is for, like 2025"},
    )
    in_force_from = GovukDateField(
        label="In force from",
        help_text="For example, 1 4 2025",
        error_messages={"required": "Enter the date this version is in force from"},
    )
    price_base_year = forms.IntegerField(
        label="Price year of its values",
        min_value=1900,
        max_value=2100,
        help_text="The year whose prices the £ values are stated in, for example 2024",
        error_messages={"required": "Enter the price year of its values, like 2024"},
    )

    def clean_file(self) -> Any:
        return checked_upload(
            self.cleaned_data["file"],
            SPREADSHEET_SUFFIXES,
            f"a CSV file, a spreadsheet ({SPREADSHEET_KINDS}) or a Commonweal JSON file",
        )

    @property
    def slug(self) -> str:
        return slugify(self.cleaned_data["name"])[:80] or "framework"


SERIES_SUFFIXES = (".csv", *WORKBOOK_SUFFIXES)


class SeriesUploadForm(forms.Form):
    """A series by year a council loads: what it is, where it comes from and under what licence.
    Each kind adds its `file` field and says what it is in `noun` and the examples."""

    noun = "series"
    name_example = ""
    source_example = ""
    values_are = "values"

    # Each kind names what it holds in these messages (__init__); these say it in general.
    name = forms.CharField(
        label="Name of the series",
        max_length=200,
        error_messages={"required": "Enter a name for the series"},
    )
    source_title = forms.CharField(
        label="Source",
        max_length=300,
        error_messages={"required": "Enter where the values come from"},
    )
    licence = forms.CharField(
        label="Licence",
        max_length=200,
        help_text="For example, Open Government Licence v3.0",
        error_messages={"required": "Enter the licence the values are published under"},
    )
    source_url = forms.URLField(
        label="Source web address (optional)", required=False, assume_scheme="https"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        name, source, licence = (self.fields[key] for key in ("name", "source_title", "licence"))
        name.help_text = f"For example, {self.name_example}"
        name.error_messages["required"] = f"Enter a name for the {self.noun}"
        source.help_text = (
            f"The publication the {self.values_are} come from, for example {self.source_example}"
        )
        source.error_messages["required"] = f"Enter where the {self.values_are} come from"
        licence.error_messages["required"] = (
            f"Enter the licence the {self.values_are} are published under"
        )

    def clean_file(self) -> Any:
        return checked_upload(
            self.cleaned_data["file"],
            SERIES_SUFFIXES,
            f"a CSV file or a spreadsheet ({SPREADSHEET_KINDS})",
        )

    @property
    def slug(self) -> str:
        return slugify(self.cleaned_data["name"])[:80] or self.noun.split()[0]

    def details(self) -> dict[str, Any]:
        """What the import service takes besides the file."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "slug": self.slug,
            "source_title": data["source_title"],
            "source_url": data["source_url"],
            "licence": data["licence"],
        }


class DeflatorUploadForm(SeriesUploadForm):
    """A deflator series: what it is, where it comes from, and a sheet of years and indices."""

    noun = "deflator series"
    name_example = "GDP deflator (September 2025)"
    source_example = "HM Treasury GDP deflators at market prices, September 2025"
    values_are = "indices"

    file = UploadField(
        label="Upload a spreadsheet",
        help_text=f"A CSV file or a spreadsheet ({SPREADSHEET_KINDS}) with a column headed year "
        "and a column headed index, one row per year, no larger than 20MB",
        error_messages={"required": "Select a CSV or Excel file to upload"},
    )


class CarbonUploadForm(SeriesUploadForm):
    """A council's own carbon values: what they are, who published them, their price year, and
    a sheet of years and £ per tonne of CO2 equivalent."""

    noun = "carbon series"
    name_example = "Rotherham carbon values 2026"
    source_example = "Rotherham MBC Climate Emergency Action Plan, annex B, 2026"
    values_are = "carbon values"

    price_year = forms.IntegerField(
        label="Price year of the values",
        min_value=1900,
        max_value=2100,
        help_text="The year whose prices the values are in, like 2024 (DESNZ's are in 2022 "
        "prices). Values are re-based from it with the measure set version's deflator",
        error_messages={
            "required": "Enter the price year of the values, like 2024",
            "invalid": "Enter the price year as a whole number, like 2024",
            "min_value": "Enter a price year between 1900 and 2100, like 2024",
            "max_value": "Enter a price year between 1900 and 2100, like 2024",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
    )
    file = UploadField(
        label="Upload a spreadsheet",
        help_text=f"A CSV file or a spreadsheet ({SPREADSHEET_KINDS}) with a column headed year "
        "and a column headed value (£ per tonne of CO2 equivalent), one row per year, no larger "
        "than 20MB",
        error_messages={"required": "Select a CSV or Excel file to upload"},
    )

    def details(self) -> dict[str, Any]:
        return {**super().details(), "price_year": self.cleaned_data["price_year"]}


class SetDeflatorForm(forms.Form):
    """The deflator series a draft set version re-bases values with, or none."""

    deflator = forms.ModelChoiceField(
        label="Deflator series used to re-base values",
        queryset=DeflatorSeries.objects.none(),
        required=False,
        empty_label="None: HM Treasury's GDP deflator, shipped with Commonweal",
        help_text="Values are re-based from each proxy's price year to one price year with "
        "this series",
        error_messages={"invalid_choice": "Select one of the deflator series listed"},
    )

    def __init__(self, *args: Any, queryset: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deflator"].queryset = queryset  # type: ignore[attr-defined]


class SetCarbonForm(forms.Form):
    """How a draft set version values carbon savings: the DESNZ series on a path, or a carbon
    series of the council's own."""

    carbon_series = forms.ModelChoiceField(
        label="Carbon values",
        queryset=CarbonSeries.objects.none(),
        required=False,
        empty_label="DESNZ carbon values (2022 prices), shipped with Commonweal",
        help_text="Carbon savings are valued at the value for the year they are saved in, from "
        "this series",
        error_messages={"invalid_choice": "Select one of the carbon series listed"},
    )
    carbon_path = forms.ChoiceField(
        label="Path of the DESNZ carbon values",
        choices=CarbonPathChoice.choices,
        initial=CarbonPathChoice.CENTRAL,
        widget=forms.RadioSelect,
        help_text="DESNZ publishes a low, central and high value a year; appraisal uses the "
        "central one. A council's own series has one value a year: choose central with it",
        error_messages={"required": "Select the low, central or high path"},
    )

    def __init__(self, *args: Any, queryset: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["carbon_series"].queryset = queryset  # type: ignore[attr-defined]


class MeasureSetForm(forms.Form):
    name = forms.CharField(
        label="Name of the set",
        max_length=200,
        help_text="For example, Rotherham Social Value Measures",
        error_messages={"required": "Enter a name for the measure set"},
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SetPublishForm(forms.Form):
    in_force_from = GovukDateField(
        label="In force from",
        help_text="Tenders issued on or after this date use this version. For example, 1 4 2026",
        error_messages={"required": "Enter the date this version is in force from"},
    )


class LocalMeasureForm(forms.Form):
    """A council's own measure. A monetised one needs a value with its source and licence."""

    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="A short code unique in your local measures, for example RMBC1",
        error_messages={"required": "Enter a code for the measure, like RMBC1"},
    )
    title = forms.CharField(
        label="Title", max_length=300, error_messages={"required": "Enter the measure's title"}
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    unit = forms.ChoiceField(
        label="Unit",
        choices=[("", "Choose a unit"), *[(u, u) for u in UNITS]],
        error_messages={"required": "Select the unit the measure is counted in"},
    )
    value_type = forms.ChoiceField(
        label="Value type",
        choices=VALUE_TYPE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the measure is valued in pounds"},
    )
    evidence_expected = forms.CharField(
        label="Evidence expected (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What a supplier must show to claim it, for example timesheets",
    )
    counting_notes = forms.CharField(
        label="Counting notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    tags = forms.MultipleChoiceField(
        label="Tags (optional)",
        required=False,
        choices=TAG_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text="Counting rules find the measures they govern by these tags",
    )
    cwb_pillars = forms.MultipleChoiceField(
        label="Community wealth building pillars (optional)",
        required=False,
        choices=CwbPillar.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    eflg_modules = forms.MultipleChoiceField(
        label="Equality Framework modules (optional)",
        required=False,
        choices=EflgModule.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    amount_per_unit = forms.DecimalField(
        label="Value per unit in pounds (monetised measures only)",
        required=False,
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=4,
        help_text="For example, 16.93 for £16.93 per hour",
    )
    price_year = forms.IntegerField(
        label="Price year of the value (monetised measures only)",
        required=False,
        min_value=1900,
        max_value=2100,
        help_text="For example, 2025",
    )
    source_title = forms.CharField(
        label="Source of the value (monetised measures only)",
        required=False,
        max_length=300,
        help_text="The document or decision the value comes from",
    )
    source_url = forms.URLField(
        label="Source web address (optional)", required=False, assume_scheme="https"
    )
    licence = forms.CharField(
        label="Licence of the value (monetised measures only)",
        required=False,
        max_length=200,
        help_text="For example, Open Government Licence v3.0",
    )
    confidence = forms.ChoiceField(
        label="Confidence in the value",
        choices=[(c.value, c.value.capitalize()) for c in ProxyConfidence],
        initial=ProxyConfidence.MEDIUM.value,
        error_messages={"required": "Select how confident you are in the value"},
    )

    PROXY_FIELDS = ("amount_per_unit", "price_year", "source_title", "licence")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("value_type") == ValueType.MONETISED.value:
            messages = {
                "amount_per_unit": "Enter the value per unit in pounds, like 16.93",
                "price_year": "Enter the price year of the value, like 2025",
                "source_title": "Enter where the value comes from: a monetised measure "
                "needs a source",
                "licence": "Enter the licence of the value: a monetised measure needs a licence",
            }
            for name, message in messages.items():
                if data.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, message)
        elif data.get("value_type") and data.get("amount_per_unit") is not None:
            self.add_error(
                "amount_per_unit",
                "Only a monetised measure has a value per unit: clear it, or choose monetised",
            )
        return data

    def proxy(self) -> LocalProxy | None:
        data = self.cleaned_data
        if data["value_type"] != ValueType.MONETISED.value:
            return None
        return LocalProxy(
            amount_per_unit=data["amount_per_unit"],
            price_year=data["price_year"],
            source_title=data["source_title"],
            source_url=data.get("source_url") or "",
            licence=data["licence"],
            confidence=data["confidence"],
        )


class ImportMappingForm(forms.Form):
    """Step 2 of the import: which column holds each field. Built from IMPORT_FIELDS."""


def import_mapping_form(
    headers: list[str], data: Any = None, *, initial: dict[str, str | None]
) -> ImportMappingForm:
    choices = [("", "Not in the file"), *[(h, h) for h in headers]]
    form = ImportMappingForm(data, initial=initial)
    for import_field in IMPORT_FIELDS:
        form.fields[import_field.name] = forms.ChoiceField(
            label=import_field.label
            if import_field.required
            else f"{import_field.label} (optional)",
            help_text=import_field.description,
            choices=choices,
            required=import_field.required,
            error_messages={
                "required": f"Select the column that holds the {import_field.label.lower()}",
                "invalid_choice": f"Select one of the file's columns for the "
                f"{import_field.label.lower()}",
            },
        )
    return form
