from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password

from commonweal.accounts.models import User
from commonweal.core.forms import GovukDateField, UploadField
from commonweal.tenders.models import EvaluatorAssignment


class IssueForm(forms.Form):
    deadline_date = GovukDateField(
        label="Deadline date",
        help_text="For example, 27 3 2027",
        error_messages={"required": "Enter the deadline date"},
    )
    deadline_time = forms.TimeField(
        label="Deadline time",
        help_text="24-hour clock, like 12:00",
        initial="12:00",
        error_messages={
            "required": "Enter the deadline time",
            "invalid": "Enter the time on the 24-hour clock, like 12:00",
        },
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Email address of the bidder",
        error_messages={"required": "Enter the bidder's email address"},
    )


class RegisterForm(forms.Form):
    organisation_name = forms.CharField(
        label="Organisation name",
        max_length=200,
        error_messages={"required": "Enter your organisation's name"},
    )
    company_number = forms.CharField(
        label="Companies House number (optional)", max_length=8, required=False
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=8,
        error_messages={"required": "Enter your organisation's postcode"},
    )
    is_sme = forms.ChoiceField(
        label="Is your organisation a small or medium-sized enterprise?",
        choices=[("yes", "Yes, fewer than 250 staff"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether your organisation is a small or medium-sized enterprise"
        },
    )
    full_name = forms.CharField(
        label="Your full name", max_length=200, error_messages={"required": "Enter your full name"}
    )
    email = forms.EmailField(
        label="Your email address", error_messages={"required": "Enter your email address"}
    )
    password = forms.CharField(
        label="Create a password",
        widget=forms.PasswordInput,
        help_text="At least 12 characters",
        error_messages={"required": "Enter a password"},
    )

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        validate_password(password)
        return password


class DocumentForm(forms.Form):
    file = forms.FileField(
        label="Attach a document",
        help_text="PDF, Word, Excel, ODF, CSV or image; up to 10 MB",
        error_messages={"required": "Select a file to attach"},
    )


class WorkbookUploadForm(forms.Form):
    workbook = UploadField(
        label="Upload your filled-in offer workbook (.xlsx)",
        error_messages={"required": "Select your filled-in offer workbook"},
    )


class OfferForm(forms.Form):
    """A quantity per measure per contract year, and an answer per written question."""

    workforce_fte = forms.DecimalField(
        label="Workforce delivering this contract, in full-time equivalents",
        help_text="For example 12.5. Needed when you offer volunteering or training hours: the "
        "hours are checked against the hours your workforce works.",
        required=False,
        min_value=Decimal(0),
        max_digits=10,
        decimal_places=2,
        error_messages={
            "invalid": "Enter the workforce as a number of full-time equivalents, like 12.5",
            "min_value": "Enter the workforce as 0 or more full-time equivalents",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}),
    )

    def __init__(
        self, *args: Any, measures: list[Any], years: int, questions: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # A written (qualitative) measure is answered in words, never as a number.
        self.written = [m for m in measures if m.value_type == "qualitative"]
        measures = [m for m in measures if m.value_type != "qualitative"]
        self.detail_fields: list[str] = []
        for measure in measures:
            if set(measure.tags) & {"local-employment", "disadvantaged"}:
                name = f"people_{measure.code}"
                self.fields[name] = forms.CharField(
                    label=f"{measure.code}: your references for the people these jobs are for "
                    "(optional)",
                    help_text="Short references of your own, like H1, H2, H3, never names. They "
                    "let the counting rules check that nobody counts twice.",
                    required=False,
                    max_length=1000,
                )
                self.detail_fields.append(name)
            name = f"activity_{measure.code}"
            self.fields[name] = forms.CharField(
                label=f"{measure.code}: the activity or programme behind it (optional)",
                help_text="Like 'Park clean-ups'. The same activity offered under two measures "
                "is checked for double counting.",
                required=False,
                max_length=100,
            )
            self.detail_fields.append(name)
        self.rows = []
        for measure in measures:
            names = []
            for year in range(1, years + 1):
                name = f"q_{measure.code}_{year}"
                self.fields[name] = forms.DecimalField(
                    label=f"{measure.code} year {year} ({measure.unit})",
                    required=False,
                    min_value=Decimal(0),
                    max_digits=16,
                    decimal_places=4,
                    error_messages={
                        "invalid": f"Enter the {measure.unit} for {measure.code} in year {year} as a number, like 12.5",
                        "min_value": f"Enter 0 or more {measure.unit} for {measure.code} in year {year}",
                    },
                    widget=forms.TextInput(
                        attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}
                    ),
                )
                names.append(name)
            self.rows.append((measure, names))
        self.question_fields = []
        for number, question in enumerate(questions, start=1):
            name = f"a_{question.pk}"
            self.fields[name] = forms.CharField(
                label=f"Question {number}: {question.text}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 8}),
                help_text=f"Up to {question.word_limit} words. {question.guidance}".strip(),
            )
            self.question_fields.append((question, name))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for question, name in self.question_fields:
            words = len((data.get(name) or "").split())
            if words > question.word_limit:
                self.add_error(
                    name,
                    f"Your answer has {words} words; shorten it to {question.word_limit} words or fewer",
                )
        return data

    def quantities(self) -> dict[tuple[str, int], Decimal | None]:
        result = {}
        for measure, names in self.rows:
            for year, name in enumerate(names, start=1):
                result[(measure.code, year)] = self.cleaned_data.get(name)
        return result

    def answers(self) -> dict[int, str]:
        return {q.pk: self.cleaned_data.get(name) or "" for q, name in self.question_fields}

    def people(self) -> dict[str, str]:
        return {
            name.removeprefix("people_"): self.cleaned_data.get(name) or ""
            for name in self.detail_fields
            if name.startswith("people_")
        }

    def activities(self) -> dict[str, str]:
        return {
            name.removeprefix("activity_"): self.cleaned_data.get(name) or ""
            for name in self.detail_fields
            if name.startswith("activity_")
        }


class AssignEvaluatorForm(forms.Form):
    evaluator = forms.ModelChoiceField(
        label="Evaluator",
        queryset=User.objects.none(),
        error_messages={"required": "Select the evaluator"},
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evaluator"].queryset = candidates  # type: ignore[attr-defined]


class DeclarationForm(forms.Form):
    """A declaration about every named bidder; later, a new conflict as it arises."""

    has_conflict = forms.ChoiceField(
        label="Do you have a conflict of interest with any of these bidders?",
        choices=[
            ("no", "No, I have no conflict of interest with any of them"),
            ("yes", "Yes, I have a conflict of interest"),
        ],
        widget=forms.RadioSelect,
        help_text="For example, a financial interest, a close relationship, or recent work for a "
        "bidder",
        error_messages={
            "required": "Select yes if you have a conflict of interest with any bidder"
        },
    )
    conflicted_with = forms.MultipleChoiceField(
        label="Which bidders?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    details = forms.CharField(
        label="Describe the conflict",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label="I confirm this declaration is true and I will declare any conflict that arises",
        error_messages={"required": "Confirm that this declaration is true"},
    )

    def __init__(self, *args: Any, bidders: list[Any], first: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bidders = {str(offer.pk): offer for offer in bidders}
        self.fields["conflicted_with"].choices = [  # type: ignore[attr-defined]
            (str(offer.pk), offer.supplier.name) for offer in bidders
        ]
        if not first:
            # Later, a declaration only ever adds a conflict.
            del self.fields["has_conflict"]
            self.fields["conflicted_with"].label = "Which bidder do you now have a conflict with?"
            self.fields["conflicted_with"].required = True
            self.fields["conflicted_with"].error_messages["required"] = (
                "Select the bidder you have a new conflict of interest with"
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.get("conflicted_with") or []
        answer = data.get("has_conflict", "yes")
        if answer == "yes":
            if not chosen and "conflicted_with" not in self.errors:
                self.add_error("conflicted_with", "Select the bidders you have a conflict with")
            if not (data.get("details") or "").strip():
                self.add_error("details", "Describe the conflict of interest")
        elif chosen:
            self.add_error(
                "conflicted_with",
                "You answered that you have no conflict; untick the bidders or answer yes",
            )
        return data

    def conflicted_offers(self) -> list[Any]:
        if self.cleaned_data.get("has_conflict", "yes") == "no":
            return []
        return [self.bidders[pk] for pk in self.cleaned_data.get("conflicted_with") or []]


class EvaluatorChoiceField(forms.ModelChoiceField[EvaluatorAssignment]):
    def label_from_instance(self, obj: EvaluatorAssignment) -> str:
        return obj.evaluator.full_name


class PersonChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name


class ReassignForm(forms.Form):
    assignment = EvaluatorChoiceField(
        queryset=EvaluatorAssignment.objects.none(),
        label="Whose work is reassigned?",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select the evaluator to stand down"},
    )
    replacement = PersonChoiceField(
        queryset=User.objects.none(),
        label="Who evaluates instead?",
        error_messages={"required": "Select who evaluates instead"},
    )
    reason = forms.CharField(
        label="Why is the work reassigned?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write why the work is reassigned"},
    )

    def __init__(self, *args: Any, assignments: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = assignments  # type: ignore[attr-defined]
        self.fields["replacement"].queryset = candidates  # type: ignore[attr-defined]


class LevelForm(forms.Form):
    level = forms.ChoiceField(
        label="Level", widget=forms.RadioSelect, error_messages={"required": "Select a level"}
    )

    def __init__(self, *args: Any, levels: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = levels  # type: ignore[attr-defined]


class ScoreForm(LevelForm):
    rationale = forms.CharField(
        label="Why this level",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why you chose this level"},
    )


class ModerationForm(LevelForm):
    notes = forms.CharField(
        label="Moderation notes: how the evaluators reached the consensus",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the moderation notes"},
    )


class PriceQualityForm(forms.Form):
    price_marks = forms.DecimalField(
        label="Price score", required=False, min_value=0, decimal_places=2
    )
    quality_marks = forms.DecimalField(
        label="Quality score", required=False, min_value=0, decimal_places=2
    )


class AwardForm(forms.Form):
    start_date = GovukDateField(
        label="Contract start date",
        help_text="For example, 1 4 2027",
        error_messages={"required": "Enter the contract start date"},
    )
    contract_manager = forms.ModelChoiceField(
        label="Contract manager",
        queryset=User.objects.none(),
        error_messages={"required": "Select the contract manager"},
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contract_manager"].queryset = candidates  # type: ignore[attr-defined]


class LineModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label="How should this line be evaluated?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the line should be evaluated"},
    )
    evaluated_quantity = forms.DecimalField(
        label="Quantity to evaluate",
        required=False,
        min_value=Decimal(0),
        max_digits=16,
        decimal_places=4,
        error_messages={
            "invalid": "Enter the quantity to evaluate as a number, like 12.5",
            "min_value": "Enter 0 or more",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}),
    )
    reason = forms.CharField(
        label="Why?",
        help_text="For example, the bidder's answer to your clarification question. The reason "
        "is in the evaluation report.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write why the line is evaluated this way"},
    )

    def __init__(self, *args: Any, offered: Any, moderated: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            (
                "reduce",
                f"Evaluate fewer {offered.unit} than the {offered.quantity.normalize():f} offered",
            ),
            ("set_aside", "Set the line aside (evaluate nothing)"),
        ]
        if moderated is not None:
            choices.append(("restore", "Evaluate it as offered again"))
        self.fields["decision"].choices = choices  # type: ignore[attr-defined]
        self.fields["evaluated_quantity"].help_text = f"In {offered.unit}"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("decision") == "reduce"
            and data.get("evaluated_quantity") is None
            and "evaluated_quantity" not in self.errors
        ):
            self.add_error("evaluated_quantity", "Enter the quantity to evaluate")
        return data


class ConfirmValueForm(forms.Form):
    reason = forms.CharField(
        label="Why can the offer's value stand?",
        help_text="For example, the evidence the bidder gave in answer to a clarification "
        "question. The reason is in the evaluation report.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write why the offer's value can stand"},
    )
