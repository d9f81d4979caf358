from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation

from commonweal.accounts.models import Organisation, User
from commonweal.accounts.roles import Role, roles_for_kind
from commonweal.core.forms import GovukDateField
from commonweal.core.selectors import ACTION_LABELS, AuditFilter


class SignInForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class SecurityCodeForm(forms.Form):
    code = forms.CharField(
        label="Security code",
        help_text="The 6-digit code shown in your authenticator app",
        max_length=6,
        error_messages={"required": "Enter the security code from your authenticator app"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "govuk-input--width-5",
            }
        ),
    )

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].replace(" ", "")
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("Enter the security code as 6 digits, like 123456")
        return code


def role_choices(kind: str) -> list[tuple[str, str]]:
    allowed = roles_for_kind(kind)
    return [(r.value, r.label) for r in Role if r in allowed]


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter the email address of the person to invite",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the role this person will have"},
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(organisation.kind)  # type: ignore[attr-defined]


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label="Role", widget=forms.RadioSelect, error_messages={"required": "Select a role"}
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(organisation.kind)  # type: ignore[attr-defined]


class NewAccountForm(forms.Form):
    full_name = forms.CharField(
        label="Full name", max_length=200, error_messages={"required": "Enter your full name"}
    )
    password = forms.CharField(
        label="Create a password",
        strip=False,
        help_text="At least 12 characters. A few unrelated words make a strong password.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Create a password"},
    )
    password_again = forms.CharField(
        label="Confirm your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter your password again"},
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password = data.get("password")
        if password and data.get("password_again") and password != data["password_again"]:
            self.add_error("password_again", "The passwords do not match")
        elif password:
            candidate = User(email=self.email, full_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as problem:
                self.add_error("password", problem)
        return data


class OrganisationSettingsForm(forms.ModelForm[Organisation]):
    class Meta:
        model = Organisation
        fields = ["name", "postcode", "require_two_factor"]
        error_messages = {"name": {"required": "Enter the organisation's name"}}


class SupplierDetailsForm(forms.ModelForm[Organisation]):
    class Meta:
        model = Organisation
        fields = ["name", "company_number", "charity_number", "postcode", "is_vcse"]
        error_messages = {"name": {"required": "Enter the organisation's name"}}


class AuditFilterForm(forms.Form):
    person = forms.CharField(label="Person", required=False, help_text="Name or email address")
    action = forms.ChoiceField(
        label="What happened",
        required=False,
        choices=[("", "Anything"), *[(str(k), v) for k, v in ACTION_LABELS.items()]],
    )
    record_type = forms.ChoiceField(label="Type of record", required=False, choices=[])
    search = forms.CharField(label="Record or change contains", required=False)
    date_from = GovukDateField(
        label="From date", required=False, help_text="For example, 27 3 2026"
    )
    date_to = GovukDateField(label="To date", required=False, help_text="For example, 27 3 2026")

    def __init__(self, *args: Any, record_types: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["record_type"].choices = [("", "Any"), *record_types]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The to date must be the same as or after the from date")
        return data

    def to_filter(self) -> AuditFilter:
        data = self.cleaned_data
        return AuditFilter(
            person=data.get("person", ""),
            action=int(data["action"]) if data.get("action") else None,
            record_type=data.get("record_type", ""),
            search=data.get("search", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
