from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from commonweal.accounts.models import Organisation
from commonweal.core.forms import UploadField
from commonweal.cwb.refdata_store import PAGE_CHOICES
from commonweal.cwb.services import FIELD_LABELS, field_in_sentence
from commonweal.cwb.uploads import SPREADSHEET_KINDS
from commonweal.spend_engine.columns_by_value import Suggestion
from commonweal.spend_engine.layouts import MAPPABLE_FIELDS, REQUIRED_FIELDS, Mapping


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(UploadField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [UploadField.clean(self, item, initial) for item in data]
        return [UploadField.clean(self, data, initial)] if data else super().clean(data, initial)


class SpendUploadForm(forms.Form):
    publisher = forms.CharField(
        label="Who published these files",
        max_length=200,
        help_text="Usually your own organisation. Files from one publisher share a layout, "
        "and the columns you choose are remembered for the next file.",
        error_messages={"required": "Enter who published these files"},
    )
    spend_files = MultipleFileField(
        label="Spend files",
        help_text="Spend over £250 or £500 transparency files, as CSV files or spreadsheets "
        f"({SPREADSHEET_KINDS}). You can choose several files with the same layout.",
        error_messages={"required": "Select at least one spend file"},
    )


NOT_IN_FILE = ""


class ColumnMappingForm(forms.Form):
    """One select per canonical field, listing the file's headers; a column suggested from its
    values is chosen to begin with, and its hint says why."""

    def __init__(
        self,
        *args: Any,
        headers: Sequence[str],
        mapping: Mapping,
        suggested: dict[str, Suggestion] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [(NOT_IN_FILE, "Not in this file")] + [
            (h, h) for h in dict.fromkeys(h for h in headers if h)
        ]
        saved = mapping.as_saved()
        for name in MAPPABLE_FIELDS:
            required = name in REQUIRED_FIELDS
            self.fields[name] = forms.ChoiceField(
                label=FIELD_LABELS[name] + ("" if required else " (optional)"),
                choices=choices,
                required=required,
                initial=saved.get(name, NOT_IN_FILE),
                error_messages={
                    "required": f"Select the column that holds {field_in_sentence(name)}"
                },
            )
        for name, suggestion in (suggested or {}).items():
            self.fields[name].initial = suggestion.header
            self.fields[name].help_text = (
                f"Suggested “{suggestion.header}”: {suggestion.reason}. Check it against "
                "the rows below."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        used: dict[str, str] = {}
        for name in MAPPABLE_FIELDS:
            header = data.get(name)
            if not header:
                continue
            if header in used:
                self.add_error(
                    name,
                    f"'{header}' is already chosen for {field_in_sentence(used[header])}; "
                    "choose a different column",
                )
            used[header] = name
        return data


def _codes(text: str) -> list[str]:
    return [
        c.strip().upper() for c in text.replace(";", ",").replace("\n", ",").split(",") if c.strip()
    ]


class LocalTiersForm(forms.Form):
    borough_lad_codes = forms.CharField(
        label="Your district (borough) codes",
        help_text="ONS local authority district codes, separated by commas, like E08000018",
        error_messages={"required": "Enter your district (borough) codes"},
    )
    combined_authority_lad_codes = forms.CharField(
        label="District codes of your combined authority or city region",
        help_text="For South Yorkshire: E08000016, E08000017, E08000018, E08000019",
        error_messages={
            "required": "Enter the district codes of your combined authority or city region"
        },
    )
    region_code = forms.CharField(
        label="Region code",
        help_text="ONS region code, like E12000003 for Yorkshire and The Humber",
        error_messages={"required": "Enter the region code"},
    )
    deprived_decile_max = forms.TypedChoiceField(
        label="Which areas count as deprived",
        coerce=int,
        choices=[
            (1, "The most deprived 10% of areas in England (IMD decile 1)"),
            (2, "The most deprived 20% of areas in England (IMD deciles 1 and 2)"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select which areas count as deprived"},
    )

    def clean_borough_lad_codes(self) -> list[str]:
        return _codes(self.cleaned_data["borough_lad_codes"])

    def clean_combined_authority_lad_codes(self) -> list[str]:
        return _codes(self.cleaned_data["combined_authority_lad_codes"])


class CreditorFileForm(forms.Form):
    creditor_file = UploadField(
        label="Creditor file",
        help_text=f"A CSV file or a spreadsheet ({SPREADSHEET_KINDS}) with one row per "
        "supplier: Supplier ID, and any of Supplier Name, Postcode, Company Number, Charity "
        "Number, VAT Number, SME (Yes/No), VCSE (Yes/No) and Type (Individual, Public body "
        "or Company). It replaces the last one.",
        error_messages={"required": "Select your creditor file"},
    )


class Lm3StudyForm(forms.Form):
    financial_year = forms.ChoiceField(
        label="Financial year", error_messages={"required": "Select the financial year"}
    )
    boundary = forms.ChoiceField(
        label="Boundary",
        choices=[("borough", "Your borough"), ("combined_authority", "Your combined authority")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the boundary"},
    )
    include_payroll = forms.BooleanField(
        label="Include payroll (wages of staff who live inside the boundary count as local)",
        required=False,
    )
    payroll_pounds = forms.DecimalField(
        label="Whole payroll for the year, in pounds (optional)",
        required=False,
        min_value=Decimal(0),
        decimal_places=2,
        help_text="Needed when payroll is included, like 1250000.00",
    )
    local_staff_wages_pounds = forms.DecimalField(
        label="Wages paid to staff living inside the boundary, in pounds (optional)",
        required=False,
        min_value=Decimal(0),
        decimal_places=2,
    )
    staff_local_respend_pence = forms.IntegerField(
        label="From a staff survey: pence of each £1 of wages staff spend locally (optional)",
        required=False,
        min_value=0,
        max_value=100,
        help_text="Leave empty if you have no staff survey; the assumption below is used",
    )
    supplier_assumption_pence = forms.IntegerField(
        label="Assumed pence of each £1 a local supplier re-spends locally, when it has not answered",
        min_value=0,
        max_value=100,
        help_text="For example 25 (Manchester's first CLES study found 25p in the pound)",
        error_messages={
            "required": "Enter the assumed pence of each £1 a local supplier re-spends locally"
        },
    )
    staff_assumption_pence = forms.IntegerField(
        label="Assumed pence of each £1 of local wages re-spent locally",
        min_value=0,
        max_value=100,
        error_messages={
            "required": "Enter the assumed pence of each £1 of local wages re-spent locally"
        },
    )
    assumption_basis = forms.CharField(
        label="Where the assumed figures come from",
        max_length=300,
        help_text="A source or a reason, shown beside the result",
        error_messages={"required": "Enter where the assumed figures come from"},
    )

    def __init__(self, *args: Any, years: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["financial_year"].choices = [(y, y) for y in years]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("include_payroll"):
            payroll = data.get("payroll_pounds")
            wages = data.get("local_staff_wages_pounds")
            if payroll is None:
                self.add_error(
                    "payroll_pounds", "Enter the whole payroll, or do not include payroll"
                )
            if wages is None:
                self.add_error(
                    "local_staff_wages_pounds",
                    "Enter the wages of staff living inside the boundary",
                )
            if payroll is not None and wages is not None and wages > payroll:
                self.add_error(
                    "local_staff_wages_pounds", "Local staff wages cannot be more than the payroll"
                )
        return data


class SurveySendForm(forms.Form):
    supplier_key = forms.CharField(widget=forms.HiddenInput)
    email = forms.EmailField(
        label="Supplier's email address",
        error_messages={
            "required": "Enter the supplier's email address",
            "invalid": "Enter an email address like name@example.com",
        },
    )


class SurveyAnswerForm(forms.Form):
    pence_in_the_pound = forms.IntegerField(
        label="Of every £1 we pay you, how many pence do you spend with businesses and people "
        "in the area, including wages of your staff who live there?",
        min_value=0,
        max_value=100,
        help_text="A whole number from 0 to 100. Your best estimate is fine.",
        error_messages={
            "required": "Enter a whole number of pence from 0 to 100",
            "invalid": "Enter a whole number of pence from 0 to 100",
            "min_value": "Enter a whole number of pence from 0 to 100",
            "max_value": "Enter a whole number of pence from 0 to 100",
        },
    )
    respondent_name = forms.CharField(
        label="Your name", max_length=200, error_messages={"required": "Enter your name"}
    )


class AnchorNetworkForm(forms.Form):
    name = forms.CharField(
        label="Name of the network",
        max_length=200,
        help_text="For example, Rotherham Anchor Network",
        error_messages={"required": "Enter the name of the network"},
    )


class NetworkInviteForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Organisation to invite",
        queryset=Organisation.objects.none(),
        empty_label="Select an organisation",
        error_messages={
            "required": "Select the organisation to invite",
            "invalid_choice": "Select an organisation that is not in the network yet",
        },
    )

    def __init__(self, *args: Any, candidates: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = candidates


class ReferenceDataForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of file is it",
        choices=[(choice, label) for choice, _, _, label in PAGE_CHOICES],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of file this is"},
    )
    reference_files = MultipleFileField(
        label="Files",
        help_text="CSV files as the publisher gives them, unzipped (a Companies House download "
        "in several parts can be chosen together); for award notices, JSON files.",
        error_messages={"required": "Select at least one file"},
    )
    headers_file = UploadField(
        label="Column headers file (Code-Point Open only)",
        required=False,
        help_text="Code-Point_Open_Column_Headers.csv, from the Doc folder of the download",
    )
    version = forms.CharField(
        label="Version (optional)",
        required=False,
        max_length=100,
        help_text="A label such as 2025-11, so you can tell loads apart; the file name when "
        "left empty. Loading a version again replaces it. Not used for deprivation, whose "
        "version is its year.",
    )

    def clean_reference_files(self) -> list[Any]:
        files: list[Any] = self.cleaned_data["reference_files"]
        if not files:
            raise ValidationError("Select at least one file")
        return files
