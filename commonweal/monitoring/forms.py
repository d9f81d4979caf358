from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from commonweal.contracts.models import Commitment
from commonweal.core.forms import GovukDateField
from commonweal.monitoring.models import MilestoneStatus, MonitoringSettings, ReportingPeriod


def _pounds(label: str, help_text: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        error_messages={"invalid": "Enter an amount in pounds, like 250000"},
    )


def _percent(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal("0.1"),
        max_value=Decimal(100),
        max_digits=4,
        decimal_places=1,
        help_text="A percentage of the target to date, like 90",
        error_messages={"invalid": "Enter a percentage, like 90"},
    )


class SettingsForm(forms.Form):
    delivery_plan_band = _pounds(
        "Full delivery plan from this contract value",
        "Contracts below it use a milestone tracker. Rotherham uses £250,000",
    )
    rag_green_at = _percent("Green at or above")
    rag_amber_at = _percent("Amber at or above (below this is red)")
    kpi_threshold = _pounds(
        "Procurement Act KPIs from this contract value",
        "Contracts at or above it need at least three KPIs (the Act sets £5,000,000)",
    )
    return_due_days = forms.IntegerField(
        label="Days after a period ends that the return is due", min_value=0, max_value=120
    )
    reminder_days_before = forms.IntegerField(
        label="Days before a return is due that the supplier is reminded",
        min_value=0,
        max_value=60,
    )

    @classmethod
    def initial_from(cls, settings: MonitoringSettings) -> dict[str, Any]:
        return {
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
            "delivery_plan_band_pence": int(data["delivery_plan_band"] * 100),
            "rag_green_at": data["rag_green_at"] / 100,
            "rag_amber_at": data["rag_amber_at"] / 100,
            "kpi_threshold_pence": int(data["kpi_threshold"] * 100),
            "return_due_days": data["return_due_days"],
            "reminder_days_before": data["reminder_days_before"],
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
    due_on = GovukDateField(label="Due by", help_text="For example, 30 9 2025")

    def __init__(self, *args: Any, commitments: list[Commitment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commitment"] = forms.ChoiceField(
            label="Commitment it belongs to",
            required=False,
            choices=[("", "The contract as a whole")]
            + [(str(c.pk), f"{c.measure.code} {c.measure.title}") for c in commitments],
        )


class MilestoneStatusForm(forms.Form):
    status = forms.ChoiceField(choices=MilestoneStatus.choices, widget=forms.RadioSelect)
