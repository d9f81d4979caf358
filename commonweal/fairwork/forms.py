"""Forms for the fair work and equality pages; each message names the field and how to fix it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from commonweal.accounts.models import AccreditationBasis
from commonweal.contracts.models import Commitment, ServiceCategory
from commonweal.core.forms import GovukDateField, UploadField
from commonweal.fairwork.models import (
    AccreditationStatus,
    EvidenceKind,
    ProtectedCharacteristic,
)
from commonweal.frameworks.vocabulary import EflgModule
from commonweal.monitoring.models import ActionStatus
from commonweal.valuation.fair_work import (
    EFLG_LEVELS,
    LARGEST_THRESHOLD,
    SMALLEST_THRESHOLD,
)


def _rate_field(label: str, *, required: bool, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        help_text=help_text or "In pounds per hour, like 13.45",
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": "Enter an hourly rate in pounds and pence, like 13.45",
            "min_value": "Enter an hourly rate above £0",
            "max_decimal_places": "Enter the rate to the penny, like 13.45",
            "max_digits": "Enter an hourly rate in pounds and pence, like 13.45",
            "max_whole_digits": "Enter an hourly rate in pounds and pence, like 13.45",
        },
    )


def _date(
    label: str, *, required: bool = True, help_text: str = "For example, 22 10 2026"
) -> GovukDateField:
    return GovukDateField(
        label=label,
        required=required,
        help_text=help_text,
        error_messages={"required": f"Enter the {label.lower()}"},
    )


class SettingsForm(forms.Form):
    small_number_threshold = forms.IntegerField(
        label="Smallest number of people shown",
        help_text="A figure about fewer people with a protected characteristic is shown as "
        "'fewer than' this number, on every page, export and API answer. Usually 5.",
        min_value=SMALLEST_THRESHOLD,
        max_value=LARGEST_THRESHOLD,
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-3"}),
        error_messages={
            "required": "Enter the smallest number of people shown, like 5",
            "invalid": "Enter a whole number, like 5",
            "min_value": f"Enter a number from {SMALLEST_THRESHOLD} to {LARGEST_THRESHOLD}",
            "max_value": f"Enter a number from {SMALLEST_THRESHOLD} to {LARGEST_THRESHOLD}",
        },
    )


class PolicyForm(forms.Form):
    categories = forms.MultipleChoiceField(
        label="Which contracts must pay the Real Living Wage?",
        help_text="Contracts in these service categories get the Real Living Wage clause. "
        "Taking a category off does not take the clause off contracts that have it.",
        choices=ServiceCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


FOLLOW_POLICY = "policy"


class ContractClauseForm(forms.Form):
    service_category = forms.ChoiceField(
        label="Service category",
        choices=[("", "Not set"), *ServiceCategory.choices],
        required=False,
    )
    requires = forms.ChoiceField(
        label="Does the contract require the Real Living Wage?",
        choices=[
            (FOLLOW_POLICY, "As the council's policy says for its category"),
            ("yes", "Yes: the contract has the clause"),
            ("no", "No"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the contract requires the Real Living Wage"},
    )

    def requires_value(self) -> bool | None:
        choice = self.cleaned_data["requires"]
        return None if choice == FOLLOW_POLICY else choice == "yes"


class RateForm(forms.Form):
    year = forms.IntegerField(
        label="Year announced",
        help_text="Like 2026 for the rates announced in autumn 2026",
        min_value=2011,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-4"}),
        error_messages={
            "required": "Enter the year the rate was announced, like 2026",
            "invalid": "Enter a year, like 2026",
            "min_value": "Enter a year from 2011, like 2026",
            "max_value": "Enter a year before 2100, like 2026",
        },
    )
    label = forms.CharField(
        label="Label (optional)",
        required=False,
        max_length=20,
        help_text="As the Living Wage Foundation writes it, like 2026-27",
    )
    announced_on = _date("Date announced")
    pay_by = _date(
        "Date employers must pay it by (optional)",
        required=False,
        help_text="If the Living Wage Foundation gives one, like 1 5 2027. Otherwise it is six "
        "months after the announcement.",
    )
    uk_rate = _rate_field("UK rate", required=True)
    london_rate = _rate_field(
        "London rate (optional)", required=False, help_text="In pounds per hour, like 14.80"
    )
    source_title = forms.CharField(
        label="Where it was published",
        max_length=300,
        help_text="For example: Living Wage Foundation, announcement of 22 October 2026",
        error_messages={"required": "Enter where the rate was published"},
    )
    source_url = forms.URLField(
        label="Link to it (optional)",
        required=False,
        max_length=200,
        error_messages={"invalid": "Enter a web address starting https://"},
        assume_scheme="https",
    )


class UploadForm(forms.Form):
    file = UploadField(
        label="Upload a file",
        help_text="A CSV or Excel (.xlsx) file",
        error_messages={"required": "Choose a file to upload"},
    )


class ScopeForm(forms.Form):
    scope = forms.CharField(
        label="What the accreditation covers",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example: all directly employed staff, and contracted staff working on "
        "council sites",
    )
    renewal_due_on = _date("Renewal due on", required=False, help_text="For example, 1 9 2026")


class EventForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=AccreditationStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the status"},
    )
    happened_on = _date("From", help_text="For example, 1 9 2021")
    note = forms.CharField(label="Note (optional)", max_length=500, required=False)


class PlanStepForm(forms.Form):
    description = forms.CharField(
        label="What will be done",
        max_length=300,
        error_messages={"required": "Enter what will be done"},
    )
    owner = forms.CharField(
        label="Who owns it",
        max_length=200,
        help_text="A name or role, like 'Head of HR'",
        error_messages={"required": "Enter who owns the step"},
    )
    due_on = _date("Due by", help_text="For example, 31 3 2027")
    status = forms.ChoiceField(
        label="Status",
        choices=ActionStatus.choices,
        initial=ActionStatus.OPEN,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the status"},
    )
    done_on = _date("Done on (if done)", required=False, help_text="For example, 14 2 2027")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == ActionStatus.DONE and not data.get("done_on"):
            self.add_error("done_on", "Enter the date the step was done")
        return data


class SupplierAccreditationForm(forms.Form):
    basis = forms.ChoiceField(
        label="What is it based on?",
        choices=AccreditationBasis.choices,
        widget=forms.RadioSelect,
        help_text="Verified means you checked the evidence, for example the Living Wage "
        "Foundation's directory of accredited employers",
        error_messages={"required": "Select whether it is self-declared or verified"},
    )
    accredited_since = _date("Accredited since", help_text="For example, 1 5 2024")
    evidence_url = forms.URLField(
        label="Link to the evidence",
        required=False,
        max_length=200,
        error_messages={"invalid": "Enter a web address starting https://"},
        assume_scheme="https",
    )
    evidence_note = forms.CharField(label="What the evidence shows", required=False, max_length=500)
    checked_on = _date(
        "Date you checked the evidence", required=False, help_text="Needed when verified"
    )
    ended_on = _date(
        "No longer accredited from (optional)", required=False, help_text="For example, 1 5 2026"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("basis") == AccreditationBasis.VERIFIED:
            if not data.get("checked_on"):
                self.add_error("checked_on", "Enter the date you checked the evidence")
            if not data.get("evidence_url") and not data.get("evidence_note"):
                self.add_error("evidence_url", "Enter a link to the evidence, or what it shows")
        return data


class OwnAccreditationForm(forms.Form):
    accredited_since = _date("Accredited since", help_text="For example, 1 5 2024")
    evidence_url = forms.URLField(
        label="Link to your entry in the Living Wage Foundation's directory (optional)",
        required=False,
        max_length=200,
        error_messages={"invalid": "Enter a web address starting https://"},
        assume_scheme="https",
    )
    evidence_note = forms.CharField(
        label="Anything else councils should know (optional)", required=False, max_length=500
    )
    ended_on = _date(
        "No longer accredited from (optional)", required=False, help_text="For example, 1 5 2026"
    )


class FindingForm(forms.Form):
    action = forms.CharField(
        label="Recovery action",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what will be done"},
    )
    action_owner = forms.CharField(
        label="Who owns it", max_length=200, error_messages={"required": "Enter who owns it"}
    )
    action_due_on = _date("Due by", help_text="For example, 31 3 2026")
    action_status = forms.ChoiceField(
        label="Status of the action",
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the status of the action"},
    )
    resolution = forms.CharField(
        label="How it was resolved",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when the action is done, for example 'Back pay made on 3 March; "
        "next return shows £13.45'",
    )


class CriterionForm(forms.Form):
    module = forms.ChoiceField(
        label="Module",
        choices=EflgModule.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the module"},
    )
    reference = forms.CharField(
        label="Reference",
        max_length=20,
        help_text="Like 1.1",
        error_messages={"required": "Enter a reference, like 1.1"},
    )
    text = forms.CharField(
        label="Criterion",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="In your council's words, or as your copy of the framework has it",
        error_messages={"required": "Enter the criterion"},
    )


class AssessmentForm(forms.Form):
    level = forms.ChoiceField(
        label="Level reached",
        choices=[(level.value, level.label) for level in EFLG_LEVELS],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the level reached"},
    )
    narrative = forms.CharField(
        label="What the council does, and what shows it",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter what the council does, and what shows it"},
    )
    owner = forms.CharField(
        label="Who owns it",
        max_length=200,
        help_text="A name or role, like 'Equalities lead'",
        error_messages={"required": "Enter who owns the criterion"},
    )
    assessed_on = _date("Assessed on", help_text="For example, 31 3 2026")


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is the evidence?",
        # A charter pledge is cited from its own page, where the council's pledges are listed.
        choices=[(k, label) for k, label in EvidenceKind.choices if k != EvidenceKind.PLEDGE],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the evidence is"},
    )
    description = forms.CharField(
        label="What it shows",
        max_length=300,
        error_messages={"required": "Enter what the evidence shows"},
    )
    commitment = forms.ChoiceField(
        label="Commitment (for a commitment or its verified delivery)",
        required=False,
        help_text="Commitments whose measure is tagged to this module come first",
    )
    spend_figure = forms.ChoiceField(
        label="Spend figure (for a figure from the spend analysis)", required=False
    )
    url = forms.URLField(
        label="Web address (for a link)",
        required=False,
        max_length=200,
        error_messages={"invalid": "Enter a web address starting https://"},
        assume_scheme="https",
    )
    file = forms.FileField(
        label="Document (for a document)",
        required=False,
        help_text="A PDF, PNG, JPEG, CSV, Excel (.xlsx) or Word (.docx) file",
    )
    people_count = forms.DecimalField(
        label="Number of people (optional)",
        required=False,
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
        help_text="If the evidence counts people, for example staff who declared a disability",
        error_messages={
            "invalid": "Enter a number of people, like 12",
            "min_value": "Enter 0 or more people",
        },
    )
    characteristic = forms.ChoiceField(
        label="Does the figure count people with a protected characteristic?",
        required=False,
        choices=[("", "No"), *ProtectedCharacteristic.choices],
        help_text="If so, it is withheld wherever it is shown when it is below your council's "
        "small number",
    )

    def __init__(
        self,
        *args: Any,
        commitments: list[Commitment],
        spend_choices: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.commitments = {str(c.pk): c for c in commitments}
        commitment_field = self.fields["commitment"]
        assert isinstance(commitment_field, forms.ChoiceField)
        commitment_field.choices = [("", "Choose a commitment")] + [
            (
                str(c.pk),
                f"{c.contract.reference}: {c.measure.code} {c.measure.title} "
                f"({c.contract.supplier.name})",
            )
            for c in commitments
        ]
        spend_field = self.fields["spend_figure"]
        assert isinstance(spend_field, forms.ChoiceField)
        spend_field.choices = [("", "Choose a figure"), *spend_choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind in (EvidenceKind.COMMITMENT, EvidenceKind.DELIVERY) and not data.get("commitment"):
            self.add_error("commitment", "Choose the commitment")
        if kind == EvidenceKind.SPEND and not data.get("spend_figure"):
            self.add_error("spend_figure", "Choose the spend figure")
        if kind == EvidenceKind.LINK and not data.get("url"):
            self.add_error("url", "Enter the web address")
        if kind == EvidenceKind.DOCUMENT and not data.get("file"):
            self.add_error("file", "Choose a file to upload")
        if (
            data.get("characteristic")
            and data.get("people_count") is None
            and kind
            not in (
                EvidenceKind.COMMITMENT,
                EvidenceKind.DELIVERY,
            )
        ):
            self.add_error("people_count", "Enter the number of people the figure counts")
        return data

    def chosen_commitment(self) -> Commitment | None:
        return self.commitments.get(self.cleaned_data.get("commitment") or "")
