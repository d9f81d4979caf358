from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from commonweal.contracts.models import Commitment
from commonweal.core.forms import GovukDateField
from commonweal.monitoring.models import (
    ActionStatus,
    EvidenceType,
    KpiRating,
    LineOutcome,
    MilestoneStatus,
    MonitoringSettings,
    ReportingPeriod,
    ReturnLine,
)
from commonweal.monitoring.services import Decision
from commonweal.valuation.money import pounds_to_pence


def _pounds(label: str, help_text: str, *, required_message: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        error_messages={
            "required": required_message,
            "invalid": "Enter an amount in pounds, like 250000",
        },
    )


def _percent(label: str, *, required_message: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal("0.1"),
        max_value=Decimal(100),
        max_digits=4,
        decimal_places=1,
        help_text="A percentage of the target to date, like 90",
        error_messages={"required": required_message, "invalid": "Enter a percentage, like 90"},
    )


class SettingsForm(forms.Form):
    delivery_plan_band = _pounds(
        "Full delivery plan from this contract value",
        "Contracts below it use a milestone tracker. Rotherham uses £250,000",
        required_message="Enter the contract value from which a full delivery plan is needed",
    )
    rag_green_at = _percent(
        "Green at or above",
        required_message="Enter the percentage of the target at or above which delivery is green",
    )
    rag_amber_at = _percent(
        "Amber at or above (below this is red)",
        required_message="Enter the percentage of the target at or above which delivery is amber",
    )
    kpi_threshold = _pounds(
        "Procurement Act KPIs from this contract value",
        "Contracts at or above it need at least three KPIs (the Act sets £5,000,000)",
        required_message="Enter the contract value from which Procurement Act KPIs are needed",
    )
    return_due_days = forms.IntegerField(
        label="Days after a period ends that the return is due",
        min_value=0,
        max_value=120,
        error_messages={
            "required": "Enter the number of days after a period ends that the return is due"
        },
    )
    reminder_days_before = forms.IntegerField(
        label="Days before a return is due that the supplier is reminded",
        min_value=0,
        max_value=60,
        error_messages={
            "required": "Enter the number of days before a return is due to remind the supplier"
        },
    )

    claim_margin_percent = forms.DecimalField(
        label="Check claims to date more than this % above the commitment to date",
        help_text="Contract managers see a finding with the figures before they verify. "
        "Commonweal starts at 25%",
        min_value=Decimal(0),
        max_value=Decimal(1000),
        max_digits=6,
        decimal_places=2,
        error_messages={
            "required": "Enter the margin above the commitment to date at which claims are checked",
            "invalid": "Enter a percentage, like 25",
        },
    )

    @classmethod
    def initial_from(cls, settings: MonitoringSettings) -> dict[str, Any]:
        return {
            "claim_margin_percent": settings.claim_margin_percent,
            "delivery_plan_band": Decimal(settings.delivery_plan_band_pence) / 100,
            "rag_green_at": settings.rag_green_at * 100,
            "rag_amber_at": settings.rag_amber_at * 100,
            "kpi_threshold": Decimal(settings.kpi_threshold_pence) / 100,
            "return_due_days": settings.return_due_days,
            "reminder_days_before": settings.reminder_days_before,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        green, amber = data.get("rag_green_at"), data.get("rag_amber_at")
        if green is not None and amber is not None and amber > green:
            self.add_error("rag_amber_at", "Amber must be the same as or lower than green")
        return data

    def to_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "delivery_plan_band_pence": pounds_to_pence(data["delivery_plan_band"]),
            "rag_green_at": data["rag_green_at"] / 100,
            "rag_amber_at": data["rag_amber_at"] / 100,
            "kpi_threshold_pence": pounds_to_pence(data["kpi_threshold"]),
            "return_due_days": data["return_due_days"],
            "reminder_days_before": data["reminder_days_before"],
            "claim_margin_percent": data["claim_margin_percent"],
        }


class PlanForm(forms.Form):
    """A target for each commitment in each period."""

    def __init__(
        self,
        *args: Any,
        commitments: list[Commitment],
        periods: list[ReportingPeriod],
        current: dict[tuple[int, int], Decimal],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.commitments = commitments
        self.periods = periods
        for commitment in commitments:
            for period in periods:
                self.fields[self.key(commitment.pk, period.pk)] = forms.DecimalField(
                    label=f"{commitment.measure.code} {period.label}",
                    min_value=Decimal(0),
                    max_digits=16,
                    decimal_places=4,
                    initial=current.get((commitment.pk, period.pk), Decimal(0)),
                    error_messages={
                        "invalid": f"Enter a number of {commitment.measure.unit}, like 3",
                        "required": f"Enter a target in {commitment.measure.unit}, or 0",
                    },
                )

    @staticmethod
    def key(commitment_id: int, period_id: int) -> str:
        return f"t_{commitment_id}_{period_id}"

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "commitment": commitment,
                "fields": [self[self.key(commitment.pk, period.pk)] for period in self.periods],
            }
            for commitment in self.commitments
        ]

    def targets(self) -> dict[tuple[int, int], Decimal]:
        return {
            (commitment.pk, period.pk): self.cleaned_data[self.key(commitment.pk, period.pk)]
            for commitment in self.commitments
            for period in self.periods
        }


class MilestoneForm(forms.Form):
    description = forms.CharField(
        label="Milestone",
        max_length=300,
        help_text="What will have happened, like 'Two local apprentices start'",
        error_messages={"required": "Enter the milestone"},
    )
    due_on = GovukDateField(
        label="Due by",
        help_text="For example, 30 9 2025",
        error_messages={"required": "Enter the date the milestone is due by"},
    )

    def __init__(self, *args: Any, commitments: list[Commitment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commitment"] = forms.ChoiceField(
            label="Commitment it belongs to",
            required=False,
            choices=[("", "The contract as a whole")]
            + [(str(c.pk), f"{c.measure.code} {c.measure.title}") for c in commitments],
        )


class MilestoneStatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=MilestoneStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the milestone's status"},
    )


def _hourly_rate_field(label: str, help_text: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        required=False,
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={
            "invalid": "Enter an hourly rate in pounds and pence, like 12.60",
            "min_value": "Enter an hourly rate above £0",
            "max_decimal_places": "Enter the hourly rate to the penny, like 12.60",
            "max_digits": "Enter an hourly rate in pounds and pence, like 12.60",
            "max_whole_digits": "Enter an hourly rate in pounds and pence, like 12.60",
        },
    )


class ReturnForm(forms.Form):
    """The quantity delivered against each commitment, a narrative and the two attestations."""

    narrative = forms.CharField(
        label="What you delivered this period",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Describe the activity behind the figures, in plain words",
    )
    attests_contract_and_period = forms.BooleanField(
        label="Everything in this return relates only to this contract and this period",
        required=False,
    )
    attests_commitment = forms.BooleanField(
        label="Everything claimed relates to a commitment in this contract", required=False
    )
    workforce_fte = forms.DecimalField(
        label="Workforce delivering the contract this period, in full-time equivalents",
        help_text="For example 12.5. Volunteering and training hours are checked against the "
        "hours your workforce works.",
        required=False,
        min_value=Decimal(0),
        max_digits=10,
        decimal_places=2,
        error_messages={
            "invalid": "Enter the workforce as a number of full-time equivalents, like 12.5",
            "min_value": "Enter the workforce as 0 or more full-time equivalents",
        },
    )

    def __init__(
        self, *args: Any, lines: list[ReturnLine], asks_wages: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lines = lines
        self.detail_names: list[str] = []
        self.asks_wages = asks_wages
        if asks_wages:
            self.fields["lowest_hourly_rate_outside_london"] = _hourly_rate_field(
                "Lowest hourly rate paid to anyone working on the contract outside London",
                "On the last day of the period, in pounds, like 12.60. Include staff of "
                "subcontractors working on the contract. Leave empty if nobody works outside "
                "London.",
            )
            self.fields["lowest_hourly_rate_in_london"] = _hourly_rate_field(
                "Lowest hourly rate paid to anyone working on the contract in London",
                "On the last day of the period, in pounds, like 13.85. Leave empty if nobody "
                "on the contract works in London.",
            )
        for line in lines:
            measure = line.commitment.measure
            self.fields[f"claimed_{line.pk}"] = forms.DecimalField(
                label=f"{measure.code} {measure.title}",
                help_text=f"In {measure.unit}. {measure.counting_notes}".strip(),
                max_digits=16,
                decimal_places=4,
                min_value=None if "negative-quantities-allowed" in measure.tags else Decimal(0),
                initial=line.claimed,
                error_messages={
                    "required": f"Enter the {measure.unit} delivered, or 0",
                    "invalid": f"Enter a number of {measure.unit}, like 12",
                    "min_value": f"Enter 0 or more {measure.unit}",
                },
            )
            self.fields[f"note_{line.pk}"] = forms.CharField(
                label=f"Note on {measure.code} (optional)",
                required=False,
                initial=line.note,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            names = [f"claimed_{line.pk}", f"note_{line.pk}"]
            if set(measure.tags) & {"local-employment", "disadvantaged"}:
                self.fields[f"people_{line.pk}"] = forms.CharField(
                    label=f"{measure.code}: your references for the people this claim is about "
                    "(optional)",
                    help_text="Short references from your payroll, like H1, H2, never names. They "
                    "let the counting rules check that nobody counts twice.",
                    required=False,
                    max_length=1000,
                    initial=line.people,
                )
                names.append(f"people_{line.pk}")
            self.fields[f"activity_{line.pk}"] = forms.CharField(
                label=f"{measure.code}: the activity or programme behind it (optional)",
                required=False,
                max_length=100,
                initial=line.activity,
            )
            names.append(f"activity_{line.pk}")
            self.detail_names += names[2:]
        order = [
            name
            for line in lines
            for name in (f"claimed_{line.pk}", f"note_{line.pk}", f"people_{line.pk}")
            + (f"activity_{line.pk}",)
            if name in self.fields
        ]
        self.order_fields(
            [
                *order,
                "lowest_hourly_rate_outside_london",
                "lowest_hourly_rate_in_london",
                "workforce_fte",
                "narrative",
                "attests_contract_and_period",
                "attests_commitment",
            ]
        )

    def claims(self) -> dict[int, tuple[Decimal, str]]:
        return {
            line.pk: (self.cleaned_data[f"claimed_{line.pk}"], self.cleaned_data[f"note_{line.pk}"])
            for line in self.lines
        }

    def details(self) -> dict[int, tuple[str, str]]:
        """The people and the activity behind each claim, by line id."""
        return {
            line.pk: (
                self.cleaned_data.get(f"people_{line.pk}") or "",
                self.cleaned_data.get(f"activity_{line.pk}") or "",
            )
            for line in self.lines
        }


class EvidenceForm(forms.Form):
    evidence_type = forms.ChoiceField(
        label="What kind of evidence is it?",
        choices=EvidenceType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of evidence"},
    )
    file = forms.FileField(
        label="Upload a file",
        help_text="A PDF, PNG, JPEG, CSV, Excel (.xlsx) or Word (.docx) file",
        error_messages={"required": "Select a file to upload"},
    )

    def __init__(self, *args: Any, lines: list[ReturnLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = {str(line.pk): line for line in lines}
        self.fields["line"] = forms.ChoiceField(
            label="Which commitment does it support?",
            required=False,
            choices=[("", "The return as a whole")]
            + [
                (str(line.pk), f"{line.commitment.measure.code} {line.commitment.measure.title}")
                for line in lines
            ],
        )

    def chosen_line(self) -> ReturnLine | None:
        return self.lines.get(self.cleaned_data.get("line") or "")


class CaseStudyForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={"required": "Enter the title of the case study"},
    )
    story = forms.CharField(
        label="The story",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Enter the story"},
    )
    consent_to_publish = forms.BooleanField(
        label="The people in this story agreed that the council may publish it", required=False
    )


class AnswerForm(forms.Form):
    body = forms.CharField(
        label="Your answer",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter your answer"},
    )


class VerificationForm(forms.Form):
    """A decision on each line: verify, verify in part, query or reject, with reasons."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    CHOICES = [
        (LineOutcome.VERIFIED, "Verify"),
        (LineOutcome.PART_VERIFIED, "Verify in part"),
        (LineOutcome.QUERIED, "Query"),
        (LineOutcome.REJECTED, "Reject"),
    ]

    def __init__(self, *args: Any, lines: list[ReturnLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            code = line.commitment.measure.code
            self.fields[f"outcome_{line.pk}"] = forms.ChoiceField(
                label=f"Decision on {code}",
                choices=self.CHOICES,
                required=False,
                widget=forms.RadioSelect,
                initial=line.outcome if line.outcome != LineOutcome.PENDING else None,
            )
            self.fields[f"verified_{line.pk}"] = forms.DecimalField(
                label=f"Quantity verified for {code}, in {line.commitment.measure.unit}",
                required=False,
                max_digits=16,
                decimal_places=4,
                help_text="Only when you verify in part",
                error_messages={"invalid": "Enter a number, like 12"},
            )
            self.fields[f"reason_{line.pk}"] = forms.CharField(
                label=f"Reason or question for {code}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Needed to verify in part, query or reject",
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "line": line,
                "outcome": self[f"outcome_{line.pk}"],
                "verified": self[f"verified_{line.pk}"],
                "reason": self[f"reason_{line.pk}"],
            }
            for line in self.lines
        ]

    def decisions(self) -> list[Decision]:
        return [
            Decision(
                line_id=line.pk,
                outcome=self.cleaned_data[f"outcome_{line.pk}"] or LineOutcome.PENDING,
                verified=self.cleaned_data[f"verified_{line.pk}"],
                reason=self.cleaned_data[f"reason_{line.pk}"],
            )
            for line in self.lines
        ]


class SampleForm(forms.Form):
    """Risk-based sampling: every line above a value plus a random share of the rest."""

    above = forms.DecimalField(
        label="Check every line claimed at or above (£)",
        min_value=Decimal(0),
        decimal_places=2,
        error_messages={
            "required": "Enter the amount in pounds at or above which every line is checked"
        },
    )
    share = forms.DecimalField(
        label="And this percentage of the other lines",
        min_value=Decimal(0),
        max_value=Decimal(100),
        decimal_places=1,
        error_messages={"required": "Enter the percentage of the other lines to check"},
    )
    seed = forms.IntegerField(
        label="Sample number",
        min_value=0,
        help_text="The same number always picks the same lines, so the sample can be repeated",
        error_messages={"required": "Enter the sample number"},
    )


class SubmitForm(forms.Form):
    """The submit button on the check-your-answers page; errors from submission attach here."""


class RecoveryActionForm(forms.Form):
    action = forms.CharField(
        label="What will be done",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what will be done to recover"},
    )
    owner = forms.CharField(
        label="Who owns it",
        max_length=200,
        help_text="A name or role, like 'Supplier's HR manager'",
        error_messages={"required": "Enter who owns the action"},
    )
    due_on = GovukDateField(
        label="Due by",
        help_text="For example, 31 3 2026",
        error_messages={"required": "Enter the date the action is due by"},
    )


class RecoveryStatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the recovery action's status"},
    )


class KpiForm(forms.Form):
    name = forms.CharField(
        label="Key performance indicator",
        max_length=200,
        help_text="Like 'Local people employed on the contract'",
        error_messages={"required": "Enter the KPI"},
    )
    description = forms.CharField(
        label="How it is measured and the target",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class KpiAssessmentForm(forms.Form):
    period_start = GovukDateField(
        label="Start of the period assessed",
        error_messages={"required": "Enter the date the period assessed starts"},
    )
    period_end = GovukDateField(
        label="End of the period assessed",
        error_messages={"required": "Enter the date the period assessed ends"},
    )
    rating = forms.ChoiceField(
        label="Rating",
        choices=KpiRating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a rating"},
    )
    explanation = forms.CharField(
        label="Explanation", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The end of the period must be after its start")
        return data
