"""Reads about organisations and people, shared by views, commands and reports."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from commonweal.accounts.models import Invitation, Membership, Organisation


def organisation_members(organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def organisation_invitations(organisation: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.filter(organisation=organisation).select_related("invited_by")


def waiting_invitations(organisation: Organisation) -> QuerySet[Invitation]:
    """Invitations not yet accepted, withdrawn or expired."""
    return organisation_invitations(organisation).filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )


def organisation_by_reference(reference: str) -> Organisation | None:
    """Find an organisation by GSS code, company or charity number, or id (for commands)."""
    reference = reference.strip()
    candidates = Organisation.objects.filter(
        gss_code=reference.upper()
    ) | Organisation.objects.filter(company_number=reference.upper())
    candidates = candidates | Organisation.objects.filter(charity_number=reference)
    if reference.isdigit():
        candidates = candidates | Organisation.objects.filter(pk=int(reference))
    return candidates.first()
