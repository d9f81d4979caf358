"""Forms for partnership pages: what a person types, checked with messages that name the field.
The services check the rules that protect the records; these check the typing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from commonweal.accounts.models import Organisation, User
from commonweal.core.forms import GovukDateField
from commonweal.cwb.models import AnchorNetwork
from commonweal.financial_years import financial_year_label
from commonweal.frameworks.models import LocalMeasureSetVersion, Measure
from commonweal.frameworks.vocabulary import CwbPillar
from commonweal.partnership.models import (
    ActionStatus,
    PledgeKind,
    Principle,
    Progress,
    Sector,
    SharedTopic,
    SharingLevel,
    Signatory,
)

QUANTITY_ERRORS = {
    "invalid": "Enter a number, like 12 or 2.5",
    "max_digits": "Enter a smaller number",
    "max_decimal_places": "Enter a number with no more than 4 decimal places",
}


class PartnershipForm(forms.Form):
    name = forms.CharField(
        label="Name of the partnership",
        max_length=200,
        help_text="For example, Rotherham Together Partnership",
        error_messages={"required": "Enter the name of the partnership"},
    )
    description = forms.CharField(
        label="What the partnership is (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PartnershipSettingsForm(forms.Form):
    description = forms.CharField(
        label="What the partnership is", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_public = forms.BooleanField(
        label="Publish the charter, its signatories and pledges, and its networks' combined "
        "figures on public pages",
        required=False,
        help_text="Anyone can then read them and download them as CSV or JSON. Progress "
        "returns and figures members share by name are never published.",
    )
    return_due_days = forms.IntegerField(
        label="Days after the financial year ends that progress returns are due",
        min_value=1,
        max_value=365,
        help_text="91 days makes them due on 30 June",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        error_messages={
            "required": "Enter the number of days, like 91",
            "invalid": "Enter a whole number of days, like 91",
            "min_value": "Enter at least 1 day",
            "max_value": "Enter no more than 365 days",
        },
    )
    reminder_days_before = forms.IntegerField(
        label="Days before a return is due that signatories are reminded",
        min_value=0,
        max_value=90,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        error_messages={
            "required": "Enter the number of days, like 14",
            "invalid": "Enter a whole number of days, like 14",
            "min_value": "Enter 0 days or more",
            "max_value": "Enter no more than 90 days",
        },
    )


class CoordinatorForm(forms.Form):
    user = forms.ModelChoiceField(
        label="Person to add as a coordinator",
        queryset=User.objects.none(),
        empty_label="Select a person",
        error_messages={"required": "Select the person to add"},
    )

    def __init__(self, *args: Any, candidates: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = candidates
        field.label_from_instance = lambda user: f"{user.full_name} ({user.email})"  # type: ignore[method-assign, assignment]


class CharterTextForm(forms.Form):
    title = forms.CharField(
        label="Title of the charter",
        max_length=200,
        error_messages={"required": "Enter the title of the charter"},
    )
    introduction = forms.CharField(
        label="Introduction",
        required=False,
        help_text="Why the partnership has a charter and what signing it means",
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class MeasureChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Measure) -> str:
        return f"{obj.code} {obj.title} ({obj.unit}) – {obj.version}"


class PrincipleForm(forms.Form):
    title = forms.CharField(
        label="Principle",
        max_length=200,
        help_text="A short name, like Buy local",
        error_messages={"required": "Enter the principle's short name"},
    )
    text = forms.CharField(
        label="What signatories commit to under it",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what signatories commit to"},
    )
    cwb_pillars = forms.MultipleChoiceField(
        label="Community wealth building pillars it serves (optional)",
        choices=CwbPillar.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    measures = MeasureChoiceField(
        label="Measures a pledge under it can target (optional)",
        queryset=Measure.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Pledges under a principle without measures are commitments in words",
    )

    def __init__(self, *args: Any, measures: QuerySet[Measure], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["measures"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = measures


class AdoptForm(forms.Form):
    adopted_on = GovukDateField(
        label="Date the partnership adopted this version",
        help_text="For example, 27 3 2025",
        error_messages={"required": "Enter the date the partnership adopted it"},
    )


class InviteSignatoryForm(forms.Form):
    sector = forms.ChoiceField(
        label="What kind of organisation is it?",
        choices=Sector.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of organisation it is"},
    )
    organisation = forms.ModelChoiceField(
        label="Organisation, if it already uses Commonweal",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="It does not use Commonweal yet",
        error_messages={"invalid_choice": "Select an organisation from the list"},
    )
    new_name = forms.CharField(
        label="Or the name of an organisation new to Commonweal",
        max_length=200,
        required=False,
    )
    new_postcode = forms.CharField(label="Its postcode (optional)", max_length=8, required=False)
    email = forms.EmailField(
        label="Email address of a person there",
        help_text="They get a link to read the charter and sign it (and, for an organisation "
        "new to Commonweal, to join it)",
        error_messages={
            "required": "Enter the email address of a person there",
            "invalid": "Enter an email address like name@example.org",
        },
    )

    def __init__(self, *args: Any, candidates: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = candidates

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        chosen = data.get("organisation")
        new = (data.get("new_name") or "").strip()
        if chosen is None and not new and "organisation" not in self.errors:
            self.add_error(
                "organisation", "Select the organisation, or enter the name of a new one"
            )
        if chosen is not None and new:
            self.add_error("new_name", "Select an organisation or enter a new one, not both")
        return data


class SignForm(forms.Form):
    signed_by_name = forms.CharField(
        label="Name of the person who signed",
        max_length=200,
        error_messages={"required": "Enter the name of the person who signed"},
    )
    signed_by_role = forms.CharField(
        label="Their job title",
        max_length=200,
        help_text="For example, Chief Executive",
        error_messages={"required": "Enter their job title"},
    )
    signed_on = GovukDateField(
        label="Date signed",
        help_text="For example, 27 3 2025",
        error_messages={"required": "Enter the date it was signed"},
    )


class EndForm(forms.Form):
    on = GovukDateField(
        label="Date",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date"},
    )
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def year_choices(first: int, count: int) -> list[tuple[str, str]]:
    return [(str(y), financial_year_label(y)) for y in range(first, first + count)]


class PledgeForm(forms.Form):
    principle = forms.ModelChoiceField(
        label="Principle",
        queryset=Principle.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"required": "Select the principle the pledge is made under"},
    )
    kind = forms.ChoiceField(
        label="What kind of pledge is it?",
        choices=PledgeKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a target or a commitment in words"},
    )
    measure = forms.ModelChoiceField(
        label="Measure (for a target)",
        queryset=Measure.objects.none(),
        required=False,
        empty_label="Select a measure",
        help_text="One of the measures the principle names",
    )
    quantity = forms.DecimalField(
        label="Target (for a target)",
        required=False,
        max_digits=16,
        decimal_places=4,
        help_text="In the measure's unit, like 12",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
        error_messages=QUANTITY_ERRORS,
    )
    target_year = forms.TypedChoiceField(
        label="Financial year of the target",
        required=False,
        coerce=int,
        empty_value=None,
        choices=(),
    )
    commitment = forms.CharField(
        label="The commitment in words (or a note on the target)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    made_on = GovukDateField(
        label="Date the pledge was made (optional)",
        required=False,
        help_text="Leave it empty for today. For a pledge made on paper, the day it was made, "
        "like 3 6 2024",
    )

    def __init__(self, *args: Any, signatory: Signatory, first_year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        version = signatory.charter_version
        principles = version.principles.order_by("number") if version else Principle.objects.none()
        principle_field = self.fields["principle"]
        assert isinstance(principle_field, forms.ModelChoiceField)
        principle_field.queryset = principles
        measure_field = self.fields["measure"]
        assert isinstance(measure_field, forms.ModelChoiceField)
        measure_field.queryset = Measure.objects.filter(
            pk__in=Principle.measures.through.objects.filter(principle__in=principles).values(
                "measure_id"
            )
        ).select_related("version")
        measure_field.label_from_instance = lambda m: f"{m.code} {m.title} ({m.unit})"  # type: ignore[method-assign, assignment]
        year_field = self.fields["target_year"]
        assert isinstance(year_field, forms.TypedChoiceField)
        year_field.choices = [("", "Select a year"), *year_choices(first_year, 6)]


class ProgressReturnForm(forms.Form):
    progress = forms.ChoiceField(
        label="How is the pledge going?",
        choices=Progress.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    reported_quantity = forms.DecimalField(
        label="Your figure for the year",
        required=False,
        max_digits=16,
        decimal_places=4,
        min_value=Decimal(0),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
        error_messages={**QUANTITY_ERRORS, "min_value": "Enter a figure of 0 or more"},
    )
    narrative = forms.CharField(
        label="What was done this year",
        required=False,
        help_text="A few sentences: what you did, for whom, and what made a difference",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    evidence_url = forms.URLField(
        label="Link to evidence (optional)",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter a web address, like https://example.org/report"},
    )
    evidence_file = forms.FileField(
        label="Or attach a file (optional)",
        required=False,
        help_text="PDF, PNG, JPEG, CSV, Excel (.xlsx) or Word (.docx)",
    )
    answer = forms.CharField(
        label="Your answer to the coordinator's question",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, unit: str | None, queried: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if unit is None:
            del self.fields["reported_quantity"]
        else:
            self.fields["reported_quantity"].help_text = f"In {unit}"
        if not queried:
            del self.fields["answer"]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("accept", "Accept"), ("query", "Query: ask the signatory a question")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select accept or query"},
    )
    reviewed_quantity = forms.DecimalField(
        label="Figure you accept",
        required=False,
        max_digits=16,
        decimal_places=4,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
        error_messages=QUANTITY_ERRORS,
    )
    note = forms.CharField(
        label="Your question, or a note with your decision",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, unit: str | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if unit is None:
            del self.fields["reviewed_quantity"]
        else:
            self.fields[
                "reviewed_quantity"
            ].help_text = f"In {unit}: from 0 up to the figure reported"


class NetworkStartForm(forms.Form):
    name = forms.CharField(
        label="Name of the network",
        max_length=200,
        help_text="For example, Rotherham Anchor Network",
        error_messages={"required": "Enter the name of the network"},
    )


class NetworkLinkForm(forms.Form):
    network = forms.ModelChoiceField(
        label="A network your council already convenes",
        queryset=AnchorNetwork.objects.none(),
        empty_label="Select a network",
        error_messages={"required": "Select the network"},
    )

    def __init__(self, *args: Any, candidates: QuerySet[AnchorNetwork], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["network"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = candidates


class NetworkInviteForm(forms.Form):
    signatory = forms.ModelChoiceField(
        label="Anchor institution to invite",
        queryset=Signatory.objects.none(),
        empty_label="Select a signatory",
        error_messages={"required": "Select the signatory to invite"},
    )

    def __init__(self, *args: Any, candidates: QuerySet[Signatory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["signatory"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = candidates
        field.label_from_instance = lambda s: f"{s.organisation.name} ({s.get_sector_display()})"  # type: ignore[method-assign, assignment]


class SharingForm(forms.Form):
    spend = forms.ChoiceField(
        label=SharedTopic.SPEND.label,
        choices=[c for c in SharingLevel.choices if c[0] != SharingLevel.NONE],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you share your spend"},
        help_text="Your total spend and the shares of it in your borough, city region and "
        "region, in deprived areas, with SMEs and with VCSEs, from your own spend analysis",
    )
    jobs = forms.ChoiceField(
        label=SharedTopic.JOBS.label,
        choices=SharingLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you share jobs and apprenticeships"},
        help_text="Jobs and apprenticeships committed and verified in your contracts, and "
        "pledged and reviewed under the charter",
    )


class JointActionForm(forms.Form):
    title = forms.CharField(
        label="Action",
        max_length=200,
        help_text="For example, A shared pipeline of procurements for the next two years",
        error_messages={"required": "Enter the action"},
    )
    description = forms.CharField(
        label="What it involves (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    lead_organisation = forms.ModelChoiceField(
        label="Member that leads it",
        queryset=Organisation.objects.none(),
        empty_label="Select a member",
        error_messages={"required": "Select the member that leads it"},
    )
    lead_person = forms.CharField(
        label="Named lead",
        max_length=200,
        help_text="The person who answers for it, like Head of Procurement",
        error_messages={"required": "Enter the named lead"},
    )
    starts_on = GovukDateField(label="Start date (optional)", required=False)
    due_on = GovukDateField(label="Due date", error_messages={"required": "Enter the due date"})
    status = forms.ChoiceField(
        label="Status",
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        initial=ActionStatus.PLANNED,
        error_messages={"required": "Select the action's status"},
    )
    latest_update = forms.CharField(
        label="Latest update (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, members: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["lead_organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = members


class RegionSharingForm(forms.Form):
    procurements = forms.BooleanField(
        label="Procurements with social value (how many, of what value)", required=False
    )
    delivery = forms.BooleanField(
        label="Social value committed, claimed and verified, by theme", required=False
    )
    spend = forms.BooleanField(label="Local spend by tier, from our spend analysis", required=False)
    partnerships = forms.BooleanField(
        label="Charter signatories, pledges and anchor networks (counts)", required=False
    )


class AdoptRegionSetForm(forms.Form):
    region_version = forms.ModelChoiceField(
        label="Region-wide measure set to adopt",
        queryset=LocalMeasureSetVersion.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"required": "Select the version to adopt"},
    )
    in_force_from = GovukDateField(
        label="In force from",
        help_text="Procurements planned from this date can use it. For example, 1 4 2026",
        error_messages={"required": "Enter the date it is in force from"},
    )

    def __init__(
        self, *args: Any, candidates: QuerySet[LocalMeasureSetVersion], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["region_version"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = candidates


class PledgeCitationForm(forms.Form):
    pledge = forms.ChoiceField(
        label="Which pledge?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the pledge",
            "invalid_choice": "Select one of the pledges listed",
        },
    )
    description = forms.CharField(
        label="What it shows",
        max_length=300,
        help_text="For example: a partner's pledge to recruit from under-represented groups",
        error_messages={"required": "Enter what the pledge shows"},
    )

    def __init__(self, *args: Any, pledges: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pledge_field = self.fields["pledge"]
        assert isinstance(pledge_field, forms.ChoiceField)
        pledge_field.choices = pledges
