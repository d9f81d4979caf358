"""What officers type into the programme office's pages, with messages that say how to fix it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from commonweal.accounts.models import User
from commonweal.core.forms import GovukDateField
from commonweal.reporting.evidence import kind_choices
from commonweal.reporting.models import ActionStatus, EntryKind

MONTHS = [
    (n, name)
    for n, name in enumerate(
        (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ),
        start=1,
    )
]


def _date(label: str, required: str, *, hint: str = "For example, 27 3 2026") -> GovukDateField:
    return GovukDateField(label=label, help_text=hint, error_messages={"required": required})


def _text(label: str, required: str, *, max_length: int = 300, hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        help_text=hint,
        error_messages={
            "required": required,
            "max_length": f"{label} must be {max_length} characters or fewer",
        },
    )


def _long_text(label: str, *, required: str = "", hint: str = "", rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=bool(required),
        help_text=hint,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required} if required else {},
    )


class SettingsForm(forms.Form):
    policy_adopted_on = GovukDateField(
        label="When did the council adopt its Social Value Policy?",
        help_text="Year 1 of the policy is the year that contains this date. For example, 1 10 2019",
        required=False,
    )
    year_starts_day = forms.IntegerField(
        label="Day of the month each policy year starts",
        min_value=1,
        max_value=28,
        help_text="1 to 28. Financial years start on 1 April",
        error_messages={
            "required": "Enter the day of the month each year starts, like 1",
            "min_value": "The day each year starts must be 1 to 28",
            "max_value": "The day each year starts must be 1 to 28",
            "invalid": "Enter the day as a number, like 1",
        },
    )
    year_starts_month = forms.TypedChoiceField(
        label="Month each policy year starts",
        choices=MONTHS,
        coerce=int,
        error_messages={"required": "Choose the month each year starts"},
    )
    public_pages = forms.BooleanField(
        label="Publish the programme's public pages",
        required=False,
        help_text="Anyone can then read the council's published progress reports and a summary "
        "of its social value programme, and download every table as CSV and JSON under the "
        "Open Government Licence. Nothing restricted is ever shown there.",
    )


class DecisionForm(forms.Form):
    meeting = _text("Meeting", "Enter the meeting, like Cabinet", max_length=200)
    decided_on = _date("Date of the meeting", "Enter the date of the meeting")
    report_title = _text("Title of the report", "Enter the title of the report decided on")
    reference = forms.CharField(
        label="Minute or report reference (optional)", max_length=100, required=False
    )
    summary = _long_text("Summary (optional)")


class RecommendationForm(forms.Form):
    label = _text(
        "Letter or number",
        "Enter the recommendation's letter or number, like a",
        max_length=12,
        hint="As the report gives it, like a, 3 or e(ii)",
    )
    text = _long_text("The recommendation, as agreed", required="Enter the recommendation")


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A choice of person, shown by name."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name or obj.email)


class ActionForm(forms.Form):
    title = _text("Action", "Enter the action")
    description = _long_text("More about the action (optional)")
    owner = PersonChoiceField(
        label="Owner",
        queryset=User.objects.none(),
        help_text="They are reminded when it is overdue or at risk",
        error_messages={
            "required": "Choose who owns the action",
            "invalid_choice": "Choose an owner from the list",
        },
    )
    partners = forms.CharField(label="Partners involved (optional)", max_length=500, required=False)
    due_on = _date("Due date", "Enter the date the action is due")

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner_field = self.fields["owner"]
        assert isinstance(owner_field, PersonChoiceField)
        owner_field.queryset = owners


class NewActionForm(ActionForm):
    status = forms.ChoiceField(
        label="Status",
        choices=ActionStatus.choices,
        initial=ActionStatus.NOT_STARTED,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the action's status"},
    )
    status_reason = _long_text("Why (needed when at risk or dropped)", rows=2)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _require_reason(self, data)
        return data


def _require_reason(form: forms.Form, data: dict[str, Any]) -> None:
    status = data.get("status")
    if (
        status in (ActionStatus.AT_RISK, ActionStatus.DROPPED)
        and not data.get("status_reason", "").strip()
    ):
        words = "at risk" if status == ActionStatus.AT_RISK else "dropped"
        form.add_error("status_reason", f"Say why the action is {words}")


class ProgressForm(forms.Form):
    written_on = _date("Date of the update", "Enter the date of the update")
    note = _long_text("Progress", required="Say what progress has been made")
    status = forms.ChoiceField(
        label="Status now",
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the action's status now"},
    )
    status_reason = _long_text("Why (needed when at risk or dropped)", rows=2)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        written_on = data.get("written_on")
        if written_on and written_on > timezone.localdate():
            self.add_error("written_on", "The date of the update must be today or earlier")
        _require_reason(self, data)
        return data


class EvidenceKindForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of record is it?",
        choices=kind_choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of record"},
    )


class EvidenceRecordForm(forms.Form):
    record_id = forms.ChoiceField(
        label="Which record?",
        choices=[],
        error_messages={
            "required": "Choose the record",
            "invalid_choice": "Choose one of the council's own records",
        },
    )

    def __init__(self, *args: Any, records: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["record_id"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose a record"), *records]


class EventForm(forms.Form):
    title = _text("Name of the event", "Enter the name of the event")
    held_on = _date("Date of the event", "Enter the date of the event")
    organisations = _long_text(
        "Organisations that attended (optional)", hint="One organisation on each line"
    )
    attendance = forms.IntegerField(
        label="Number of people who attended",
        min_value=0,
        max_value=1_000_000,
        error_messages={
            "required": "Enter how many people attended, or 0",
            "invalid": "Enter the number of people as a whole number, like 35",
            "min_value": "The number of people cannot be negative",
            "max_value": "Enter a number of people below 1,000,000",
        },
    )
    outcomes = _long_text("What came out of it (optional)")


class EngagementForm(forms.Form):
    body = _text(
        "Organisation engaged with",
        "Enter the organisation, like the CLES Centre of Excellence",
        max_length=200,
    )
    purpose = _long_text("What the engagement is for (optional)")
    contacts = _long_text(
        "Contacts (optional)",
        hint="Names and roles on both sides. Kept inside Commonweal: never published",
        rows=3,
    )
    started_on = GovukDateField(
        label="Date the engagement started (optional)",
        help_text="For example, 1 6 2021",
        required=False,
    )


class EntryForm(forms.Form):
    happened_on = _date("Date", "Enter the date")
    kind = forms.ChoiceField(
        label="What was it?",
        choices=EntryKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what it was"},
    )
    summary = _long_text("What happened", required="Say what happened")


class StartReportForm(forms.Form):
    year = forms.ChoiceField(
        label="Which year of the policy?",
        choices=[],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the year to report on"},
    )

    def __init__(self, *args: Any, years: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["year"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = years


class NarrativeForm(forms.Form):
    """The officers' words: an introduction, one part per section, and recommendations."""

    def __init__(self, *args: Any, sections: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["introduction"] = _long_text("Introduction (optional)", rows=6)
        for key, title in sections:
            self.fields[key] = _long_text(f"{title} (optional)", rows=5)
        self.fields["recommendations"] = _long_text(
            "Recommendations for the coming year (optional)",
            hint="One on each line. They are numbered in the report",
            rows=6,
        )


class PublishForm(forms.Form):
    note = forms.CharField(
        label="Why is it published again?",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when a version has been published before",
    )
