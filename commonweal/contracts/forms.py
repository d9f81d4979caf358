from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django import forms

from commonweal.accounts.models import Organisation, User
from commonweal.accounts.roles import COUNCIL_ROLES, OrganisationKind
from commonweal.contracts.models import Commitment, ReportingFrequency, contract_years_between
from commonweal.core.forms import GovukDateField, UploadField
from commonweal.frameworks.models import LocalMeasureSetVersion, Measure
from commonweal.tabular import SPREADSHEET_KINDS, WORKBOOK_SUFFIXES
from commonweal.valuation import ValueType

MAX_IMPORT_BYTES = 5 * 1024 * 1024


def council_people(council: Organisation) -> forms.ModelChoiceField[User]:
    return forms.ModelChoiceField(
        label="Contract manager",
        required=False,
        empty_label="Not yet chosen",
        queryset=User.objects.filter(
            memberships__organisation=council, memberships__role__in=COUNCIL_ROLES
        ).order_by("full_name"),
    )


def council_measure_set_versions(
    council: Organisation,
) -> forms.ModelChoiceField[LocalMeasureSetVersion]:
    return forms.ModelChoiceField(
        label="Measure set version",
        help_text="The council measure set the commitments were offered against",
        error_messages={"required": "Select the measure set version"},
        queryset=LocalMeasureSetVersion.objects.filter(measure_set__owner=council).select_related(
            "measure_set"
        ),
    )


class ContractDetailsForm(forms.Form):
    title = forms.CharField(
        label="Contract title",
        max_length=300,
        error_messages={"required": "Enter the contract title"},
    )
    reference = forms.CharField(
        label="Contract reference",
        max_length=64,
        help_text="Your own reference, like RMBC-2025-014",
        error_messages={"required": "Enter the contract reference"},
    )
    supplier = forms.ModelChoiceField(
        label="Supplier",
        queryset=Organisation.objects.filter(kind=OrganisationKind.SUPPLIER).order_by("name"),
        help_text="The supplier must already be registered with the service",
        error_messages={"required": "Select the supplier"},
    )
    value = forms.DecimalField(
        label="Contract value in pounds",
        min_value=Decimal("0.01"),
        max_digits=14,
        decimal_places=2,
        help_text="The whole-life value including VAT, like 250000",
        error_messages={
            "required": "Enter the contract value in pounds",
            "invalid": "Enter the contract value as a number, like 250000",
        },
    )
    start_date = GovukDateField(
        label="Start date",
        help_text="For example, 1 4 2025",
        error_messages={"required": "Enter the start date"},
    )
    end_date = GovukDateField(
        label="End date",
        help_text="For example, 31 3 2027",
        error_messages={"required": "Enter the end date"},
    )
    directorate = forms.CharField(label="Directorate", max_length=200, required=False)
    price_year = forms.IntegerField(
        label="Price year",
        min_value=2000,
        max_value=2100,
        help_text="The year whose prices commitments are valued in, like 2025",
        error_messages={"required": "Enter the price year"},
    )
    reporting_frequency = forms.ChoiceField(
        label="How often the supplier reports",
        choices=ReportingFrequency.choices,
        initial=ReportingFrequency.QUARTERLY,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how often the supplier reports"},
    )

    def __init__(self, *args: Any, council: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contract_manager"] = council_people(council)
        self.fields["measure_set_version"] = council_measure_set_versions(council)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date must be the same as or after the start date")
        return data

    def to_session(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "reference": data["reference"],
            "supplier": data["supplier"].pk,
            "value": str(data["value"]),
            "start_date": data["start_date"].isoformat(),
            "end_date": data["end_date"].isoformat(),
            "directorate": data["directorate"],
            "price_year": data["price_year"],
            "reporting_frequency": data["reporting_frequency"],
            "contract_manager": data["contract_manager"].pk if data["contract_manager"] else None,
            "measure_set_version": data["measure_set_version"].pk,
        }


def years_of(details: dict[str, Any]) -> int:
    return contract_years_between(
        date.fromisoformat(details["start_date"]), date.fromisoformat(details["end_date"])
    )


def quantity_field(label: str, unit: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=16,
        decimal_places=4,
        help_text=unit,
        error_messages={"invalid": f"Enter a number of {unit}, like 12"},
    )


class CommitmentsForm(forms.Form):
    """A quantity for each measure of the set in each contract year; blank means none.

    A written (qualitative) measure is described in words, never committed as a number, so it
    gets no boxes; `written` lists them for the page to name."""

    def __init__(self, *args: Any, measures: list[Measure], years: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.written = [m for m in measures if m.value_type == ValueType.QUALITATIVE]
        measures = [m for m in measures if m.value_type != ValueType.QUALITATIVE]
        self.measures = measures
        self.years = years
        for measure in measures:
            for year in range(1, years + 1):
                self.fields[self.key(measure, year)] = quantity_field(
                    f"{measure.code} year {year}", measure.unit
                )

    @staticmethod
    def key(measure: Measure, year: int) -> str:
        return f"m{measure.pk}_y{year}"

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "measure": measure,
                "fields": [self[self.key(measure, year)] for year in range(1, self.years + 1)],
            }
            for measure in self.measures
        ]

    def quantities(self) -> list[tuple[Measure, dict[int, Decimal]]]:
        chosen = []
        for measure in self.measures:
            by_year = {
                year: self.cleaned_data[self.key(measure, year)]
                for year in range(1, self.years + 1)
                if self.cleaned_data.get(self.key(measure, year)) is not None
            }
            if by_year:
                chosen.append((measure, by_year))
        return chosen


class VariationForm(forms.Form):
    reason = forms.CharField(
        label="Why the commitment is changing",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="This is kept in the contract's history",
        error_messages={"required": "Enter the reason for the variation"},
    )
    agreed_on = GovukDateField(
        label="Date the variation was agreed",
        help_text="For example, 1 5 2026",
        error_messages={"required": "Enter the date the variation was agreed"},
    )

    def __init__(self, *args: Any, commitment: Commitment, years: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = {y.contract_year: y.quantity for y in commitment.years.all()}
        self.years = years
        for year in range(1, years + 1):
            field = quantity_field(f"Year {year}", commitment.measure.unit)
            field.initial = current.get(year)
            self.fields[f"year_{year}"] = field
        # Quantities first, then the reason and date.
        self.order_fields([f"year_{y}" for y in range(1, years + 1)] + ["reason", "agreed_on"])

    def quantities(self) -> dict[int, Decimal]:
        return {
            year: self.cleaned_data[f"year_{year}"]
            for year in range(1, self.years + 1)
            if self.cleaned_data.get(f"year_{year}") is not None
        }


class ContractImportForm(forms.Form):
    file = UploadField(
        label="Upload a CSV file or a spreadsheet",
        help_text="One row per commitment per contract year. Columns: reference, title, supplier, "
        "value, start_date, end_date, directorate, contract_manager_email, measure_code, "
        "contract_year, quantity",
        error_messages={"required": "Select a CSV or Excel file"},
    )
    price_year = forms.IntegerField(
        label="Price year",
        min_value=2000,
        max_value=2100,
        error_messages={"required": "Enter the price year"},
    )

    def __init__(self, *args: Any, council: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure_set_version"] = council_measure_set_versions(council)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = PurePath(upload.name).name
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(f"{name}: the file must be smaller than 5 MB")
        if not name.lower().endswith((".csv", *WORKBOOK_SUFFIXES)):
            raise forms.ValidationError(
                f"{name}: the file must be a CSV file or a spreadsheet ({SPREADSHEET_KINDS})"
            )
        return upload
