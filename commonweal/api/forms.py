from __future__ import annotations

from typing import Any

from django import forms

from commonweal.accounts.models import Membership
from commonweal.accounts.roles import Role
from commonweal.api.models import TokenScope
from commonweal.api.tokens import LIFETIMES, SERVICE_ROLES

LIFETIME_CHOICES = [(str(days), f"{days} days") for days in LIFETIMES]


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Name",
        help_text="Say what the token is for, so you know which to revoke, like ‘Monthly report "
        "script’",
        max_length=100,
        error_messages={
            "required": "Enter a name that says what the token is for",
            "max_length": "Enter a name of 100 characters or fewer",
        },
    )
    organisation = forms.TypedChoiceField(
        label="Organisation the token acts for",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the organisation the token acts for"},
    )
    scope = forms.ChoiceField(
        label="What the token may do",
        choices=TokenScope.choices,
        widget=forms.RadioSelect,
        help_text="A read-only token cannot change anything, whatever your role",
        error_messages={"required": "Choose whether the token may only read, or also write"},
    )
    lifetime = forms.TypedChoiceField(
        label="How long it works",
        choices=LIFETIME_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how long the token will work"},
    )

    def __init__(self, *args: Any, memberships: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            (m.organisation_id, f"{m.organisation.name} ({m.get_role_display().lower()})")
            for m in memberships
        ]


class ServiceTokenForm(forms.Form):
    name = forms.CharField(
        label="Name",
        help_text="Name the system that will use it, like ‘Finance system nightly export’",
        max_length=100,
        error_messages={
            "required": "Enter a name that says which system will use the token",
            "max_length": "Enter a name of 100 characters or fewer",
        },
    )
    role = forms.ChoiceField(
        label="Role the integration has",
        choices=[(r.value, r.label) for r in Role if r in SERVICE_ROLES],
        widget=forms.RadioSelect,
        help_text="It may do what a member of staff in this role may do, and no more",
        error_messages={"required": "Choose the role the integration will have"},
    )
    scope = TokenForm.base_fields["scope"]
    lifetime = TokenForm.base_fields["lifetime"]
