"""API tokens: a person's own, or an organisation's for an integration (a service token).

Only a digest of each token is stored; the token itself is shown once, when it is made.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone

from commonweal.accounts.models import Membership, Organisation, User


class TokenScope(models.TextChoices):
    READ = "read", "Read only"
    WRITE = "write", "Read and write"


class TokenKind(models.TextChoices):
    PERSONAL = "personal", "Personal"
    SERVICE = "service", "Service"


class ApiToken(models.Model):
    """A bearer token for the API. It acts as ``user`` for ``organisation``, with the role the
    user holds there, so every API route applies the same rules as for a signed-in person.

    A service token has a user of its own (made with it, unable to sign in) whose membership
    carries the role the council admin chose for the integration."""

    kind = models.CharField(max_length=16, choices=TokenKind.choices)
    name = models.CharField("Name", max_length=100)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="api_tokens"
    )
    scope = models.CharField(max_length=8, choices=TokenScope.choices)
    prefix = models.CharField(max_length=12, help_text="The token's first characters, to tell it")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=[s.value for s in TokenScope]), name="api_token_scope_known"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in TokenKind]), name="api_token_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="api_token_expires_after_made",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} API token {self.name!r} ({self.prefix}…)"

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "Revoked"
        if self.expires_at <= timezone.now():
            return "Expired"
        return "Active"

    @property
    def is_usable(self) -> bool:
        return self.status == "Active"

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.WRITE

    def membership(self) -> Membership | None:
        """The membership the token acts through; None once the person has left."""
        return (
            Membership.objects.select_related("organisation")
            .filter(user_id=self.user_id, organisation_id=self.organisation_id)
            .first()
        )

    def get_additional_data(self) -> dict[str, Any]:
        return {"organisation_id": self.organisation_id}
