from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from commonweal.cwb.services import FIELD_LABELS
from commonweal.spend_engine.layouts import MAPPABLE_FIELDS, REQUIRED_FIELDS, Mapping


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else single(data, initial)


class SpendUploadForm(forms.Form):
    publisher = forms.CharField(
        label="Who published these files",
        max_length=200,
        help_text="Usually your own organisation. Files from one publisher share a layout, "
        "and the columns you choose are remembered for the next file.",
    )
    spend_files = MultipleFileField(
        label="Spend files",
        help_text="Spend over £250 or £500 transparency files, as CSV or Excel (.xlsx). "
        "You can choose several files with the same layout.",
        error_messages={"required": "Choose at least one spend file (CSV or Excel .xlsx)"},
    )


NOT_IN_FILE = ""


class ColumnMappingForm(forms.Form):
    """One select per canonical field, listing the file's headers."""

    def __init__(self, *args: Any, headers: Sequence[str], mapping: Mapping, **kwargs: Any) -> None:
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
                    "required": f"Choose the column that holds the {FIELD_LABELS[name].lower()}"
                },
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
                    f"'{header}' is already chosen for {FIELD_LABELS[used[header]].lower()}; "
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
    )
    combined_authority_lad_codes = forms.CharField(
        label="District codes of your combined authority or city region",
        help_text="For South Yorkshire: E08000016, E08000017, E08000018, E08000019",
    )
    region_code = forms.CharField(
        label="Region code",
        help_text="ONS region code, like E12000003 for Yorkshire and The Humber",
    )
    deprived_decile_max = forms.TypedChoiceField(
        label="Which areas count as deprived",
        coerce=int,
        choices=[
            (1, "The most deprived 10% of areas in England (IMD decile 1)"),
            (2, "The most deprived 20% of areas in England (IMD deciles 1 and 2)"),
        ],
        widget=forms.RadioSelect,
    )

    def clean_borough_lad_codes(self) -> list[str]:
        return _codes(self.cleaned_data["borough_lad_codes"])

    def clean_combined_authority_lad_codes(self) -> list[str]:
        return _codes(self.cleaned_data["combined_authority_lad_codes"])


class CreditorFileForm(forms.Form):
    creditor_file = forms.FileField(
        label="Creditor file (CSV)",
        help_text="One row per supplier: Supplier ID, and any of Supplier Name, Postcode, "
        "Company Number, Charity Number, SME (Yes/No), VCSE (Yes/No). It replaces the last one.",
        error_messages={"required": "Choose your creditor file"},
    )
