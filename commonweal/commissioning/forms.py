from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from commonweal.accounts.models import User
from commonweal.accounts.roles import Role
from commonweal.commissioning.models import (
    BelowThresholdApproach,
    Category,
    DescriptorScaleChoice,
    Route,
    ScoringMethod,
)
from commonweal.core.forms import GovukDateField
from commonweal.frameworks.models import LocalMeasureSetVersion
from commonweal.valuation.money import plain_pounds, pounds_to_pence

YES_NO = [("yes", "Yes"), ("no", "No")]


class PoundsField(forms.DecimalField):
    """An amount entered in pounds and kept in whole pence."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", Decimal("0.01"))
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs["error_messages"] = {
            "invalid": "Enter an amount in pounds, like 250000 or 250000.00",
            **kwargs.get("error_messages", {}),
        }
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            return plain_pounds(value)
        return value

    def clean(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = value.replace(",", "").replace("£", "").strip()
        pounds = super().clean(value)
        return None if pounds is None else pounds_to_pence(pounds)


class CompletedField(forms.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label="Have you completed this section?",
            choices=[
                ("yes", "Yes, I’ve completed this section"),
                ("no", "No, I’ll come back later"),
            ],
            widget=forms.RadioSelect,
            error_messages={"required": "Select whether you have completed this section"},
            **kwargs,
        )


class PolicyForm(forms.Form):
    social_value_required_from = PoundsField(
        label="Ask for social value on contracts worth at least (£)",
        help_text="Rotherham asks on contracts of £100,000 and over",
        error_messages={"required": "Enter the contract value from which to ask for social value"},
    )
    social_value_quantitative_percent = forms.DecimalField(
        label="Weighting of the social value offer (quantitative), %",
        min_value=0,
        max_value=100,
        error_messages={
            "required": "Enter the weighting of the social value offer as a percentage"
        },
    )
    social_value_qualitative_percent = forms.DecimalField(
        label="Weighting of the written answers (qualitative), %",
        min_value=0,
        max_value=100,
        error_messages={"required": "Enter the weighting of the written answers as a percentage"},
    )
    below_threshold_approach = forms.ChoiceField(
        label="Below that value, ask for",
        choices=BelowThresholdApproach.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what to ask for below the threshold"},
    )
    below_threshold_percent = forms.DecimalField(
        label="Weighting of social value below the threshold, %",
        min_value=0,
        max_value=100,
        error_messages={
            "required": "Enter the weighting of social value below the threshold as a percentage"
        },
    )
    max_measures = forms.IntegerField(
        label="Most measures in one tender",
        min_value=1,
        max_value=50,
        error_messages={"required": "Enter the most measures allowed in one tender"},
    )
    max_measures_below_threshold = forms.IntegerField(
        label="Most measures in a light set",
        min_value=1,
        max_value=50,
        error_messages={"required": "Enter the most measures allowed in a light set"},
    )
    require_employment_and_skills = forms.BooleanField(
        label="Every tender must include at least one employment and skills measure",
        required=False,
    )
    scoring_method = forms.ChoiceField(
        label="Usual scoring method for the social value offer",
        choices=ScoringMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the usual scoring method for the social value offer"},
    )
    target_pence_per_pound = forms.DecimalField(
        label="Target, pence of social value per £1 of contract value",
        min_value=Decimal("0.01"),
        error_messages={"required": "Enter the target in pence of social value per £1"},
    )
    full_marks_at_percent = forms.DecimalField(
        label="Full marks at this % of contract value",
        min_value=Decimal("0.01"),
        error_messages={"required": "Enter the percentage of contract value that gets full marks"},
    )
    descriptor_scale = forms.ChoiceField(
        label="Descriptor scale for written answers",
        choices=DescriptorScaleChoice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the descriptor scale for written answers"},
    )
    threshold_supplies_services = PoundsField(
        label="Procurement Act threshold: sub-central supplies and services, incl. VAT (£)",
        error_messages={"required": "Enter the threshold for supplies and services in pounds"},
    )
    threshold_works = PoundsField(
        label="Procurement Act threshold: works, incl. VAT (£)",
        error_messages={"required": "Enter the threshold for works in pounds"},
    )
    threshold_light_touch = PoundsField(
        label="Procurement Act threshold: light touch, incl. VAT (£)",
        error_messages={"required": "Enter the threshold for light touch contracts in pounds"},
    )
    thresholds_in_force_from = GovukDateField(
        label="Thresholds in force from",
        help_text="For example, 1 1 2026",
        error_messages={"required": "Enter the date the thresholds are in force from"},
    )
    kpi_rule_from = PoundsField(
        label="Contracts above this value need at least 3 KPIs (£)",
        help_text="Procurement Act 2023 section 52: £5 million",
        error_messages={
            "required": "Enter the contract value from which at least 3 KPIs are needed"
        },
    )
    offer_warning_percent = forms.DecimalField(
        label="Check an offer worth more than this % of the contract value",
        help_text="Evaluators see a warning with the figures; Commonweal starts at 30%",
        min_value=Decimal("0.01"),
        max_digits=7,
        decimal_places=2,
        error_messages={
            "required": "Enter the % of contract value above which an offer is checked"
        },
    )
    implausible_offer_percent = forms.DecimalField(
        label="Treat an offer worth more than this % of the contract value as implausible",
        help_text="Evaluators must moderate such an offer, or confirm it with a reason, before "
        "sign-off; Commonweal starts at 100%",
        min_value=Decimal("0.01"),
        max_digits=7,
        decimal_places=2,
        error_messages={
            "required": "Enter the % of contract value above which an offer is implausible"
        },
    )
    measure_share_percent = forms.DecimalField(
        label="Check one measure worth more than this % of the contract value",
        help_text="Commonweal starts at 50%",
        min_value=Decimal("0.01"),
        max_digits=7,
        decimal_places=2,
        error_messages={
            "required": "Enter the % of contract value above which one measure is checked"
        },
    )
    annual_cost_per_fte = PoundsField(
        label="Annual cost of one full-time equivalent employee (£) (optional)",
        help_text="Used to test whether the jobs, FTE and apprenticeships an offer promises could "
        "be paid for out of the contract. Commonweal does not assume a figure: set your own, for "
        "example a year at the Real Living Wage (Living Wage Foundation) plus on-costs. Until "
        "it is set, that check says it is not configured.",
        required=False,
    )
    sign_off_people = forms.IntegerField(
        label="People with no conflict of interest who must sign off an evaluation",
        help_text="The evaluation locks when this many have signed the same results; "
        "Commonweal starts at 2",
        min_value=1,
        max_value=20,
        error_messages={"required": "Enter how many people must sign off an evaluation"},
    )
    change_note = forms.CharField(
        label="What changed and why",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what changed and why"},
    )

    POUNDS = {
        "social_value_required_from": "social_value_required_from_pence",
        "threshold_supplies_services": "threshold_supplies_services_pence",
        "threshold_works": "threshold_works_pence",
        "threshold_light_touch": "threshold_light_touch_pence",
        "kpi_rule_from": "kpi_rule_from_pence",
        "annual_cost_per_fte": "annual_cost_per_fte_pence",
    }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        quantitative = data.get("social_value_quantitative_percent")
        qualitative = data.get("social_value_qualitative_percent")
        if (
            quantitative is not None
            and qualitative is not None
            and quantitative + qualitative > 100
        ):
            self.add_error(
                "social_value_qualitative_percent",
                "The two social value weightings must add up to 100% or less",
            )
        warning = data.get("offer_warning_percent")
        implausible = data.get("implausible_offer_percent")
        if warning is not None and implausible is not None and warning >= implausible:
            self.add_error(
                "offer_warning_percent",
                "The % at which an offer is checked must be below the % at which it is implausible",
            )
        return data

    def policy_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("change_note")
        for field, model_field in self.POUNDS.items():
            data[model_field] = data.pop(field)
        return data

    @classmethod
    def initial_from(cls, policy: Any) -> dict[str, Any]:
        initial = {
            name: getattr(policy, name)
            for name in cls.base_fields
            if name not in cls.POUNDS and name != "change_note"
        }
        for field, model_field in cls.POUNDS.items():
            initial[field] = plain_pounds(getattr(policy, model_field))
        return initial


class ProcurementDetailsForm(forms.Form):
    title = forms.CharField(
        label="Title", max_length=300, error_messages={"required": "Enter the procurement title"}
    )
    category = forms.ChoiceField(
        label="Category",
        choices=Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the category"},
    )
    cpv_code = forms.CharField(
        label="CPV code",
        max_length=10,
        help_text="The Common Procurement Vocabulary code, like 55520000-1",
        error_messages={"required": "Enter the CPV code"},
    )
    estimated_value_pence = PoundsField(
        label="Estimated value, including VAT (£)",
        help_text="The whole value over the full term, like 450000",
        error_messages={"required": "Enter the estimated value in pounds"},
    )
    duration_months = forms.IntegerField(
        label="Duration in months",
        min_value=1,
        max_value=240,
        error_messages={"required": "Enter the duration in months"},
    )
    directorate = forms.CharField(
        label="Directorate", max_length=200, error_messages={"required": "Enter the directorate"}
    )
    commissioner = forms.ModelChoiceField(
        label="Commissioner",
        queryset=User.objects.none(),
        error_messages={"required": "Select the commissioner"},
    )
    route = forms.ChoiceField(
        label="Procurement route",
        choices=Route.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the procurement route"},
    )

    def __init__(self, *args: Any, council: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commissioner"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            memberships__organisation=council,
            memberships__role__in=[Role.COMMISSIONER, Role.COUNCIL_ADMIN],
        ).order_by("full_name")


class ConsiderationForm(forms.Form):
    wellbeing_improvements = forms.CharField(
        label="How could this procurement improve the economic, social and environmental "
        "well-being of the area?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The Public Services (Social Value) Act 2012 asks you to consider this before you procure",
    )
    consulted = forms.ChoiceField(
        label="Did you consult anyone about this?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    consultation_details = forms.CharField(
        label="Who did you consult, and what did they say?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    local_priorities = forms.CharField(
        label="Which local priorities did you consider?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example: youth unemployment in Maltby, apprenticeships, carbon reduction",
    )
    decision = forms.CharField(
        label="What did you decide, and why?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    completed = CompletedField()


class MeasuresForm(forms.Form):
    set_version: forms.ModelChoiceField[LocalMeasureSetVersion] = forms.ModelChoiceField(
        label="Measure set",
        queryset=LocalMeasureSetVersion.objects.none(),
        empty_label=None,
        error_messages={"required": "Select a measure set"},
    )
    measures = forms.MultipleChoiceField(
        label="Measures bidders will offer against",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    completed = CompletedField()

    def __init__(self, *args: Any, set_versions: Any, measure_choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["set_version"].queryset = set_versions  # type: ignore[attr-defined]
        self.fields["measures"].choices = measure_choices  # type: ignore[attr-defined]


class WeightingForm(forms.Form):
    social_value_quantitative_percent = forms.DecimalField(
        label="Social value offer (quantitative), % of the total score",
        min_value=0,
        max_value=100,
        error_messages={
            "required": "Enter the weighting of the social value offer as a percentage"
        },
    )
    social_value_qualitative_percent = forms.DecimalField(
        label="Written answers on social value (qualitative), % of the total score",
        min_value=0,
        max_value=100,
        error_messages={
            "required": "Enter the weighting of the written answers on social value as a percentage"
        },
    )
    price_percent = forms.DecimalField(
        label="Price, % of the total score",
        min_value=0,
        max_value=100,
        error_messages={"required": "Enter the price weighting as a percentage"},
    )
    quality_percent = forms.DecimalField(
        label="Quality, % of the total score",
        min_value=0,
        max_value=100,
        error_messages={"required": "Enter the quality weighting as a percentage"},
    )
    scoring_method = forms.ChoiceField(
        label="How the social value offer is scored",
        choices=ScoringMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the social value offer is scored"},
    )
    target_pence_per_pound = forms.DecimalField(
        label="Target, pence of social value per £1 (for target scoring)",
        required=False,
        min_value=Decimal("0.01"),
    )
    full_marks_at_percent = forms.DecimalField(
        label="Full marks at this % of contract value (for % of contract value scoring)",
        required=False,
        min_value=Decimal("0.01"),
    )
    descriptor_scale = forms.ChoiceField(
        label="Descriptor scale for written answers",
        choices=DescriptorScaleChoice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the descriptor scale for written answers"},
    )
    completed = CompletedField()


class QuestionForm(forms.Form):
    text = forms.CharField(
        label="Question",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the question"},
    )
    guidance = forms.CharField(
        label="What a good answer covers", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    word_limit = forms.IntegerField(
        label="Word limit",
        min_value=50,
        max_value=5000,
        initial=500,
        error_messages={"required": "Enter the word limit"},
    )


class CompleteSectionForm(forms.Form):
    completed = CompletedField()
