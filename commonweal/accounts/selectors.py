"""Reads about organisations and people, shared by views, commands and reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from commonweal.accounts.models import (
    Invitation,
    LivingWageAccreditation,
    Membership,
    Organisation,
)
from commonweal.spend_engine.names import normalise_supplier_name


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


# --- Real Living Wage accreditation ---------------------------------------------------------


@dataclass(frozen=True)
class LivingWageStatus:
    """An employer's Real Living Wage accreditation as one organisation sees it on one day."""

    employer_id: int
    accredited: bool
    """False when the record says the accreditation has ended."""
    verified: bool
    basis_label: str
    accredited_since: date
    checked_on: date | None
    ended_on: date | None
    recorded_by_viewer: bool
    """The viewer's own record (a council's), rather than the employer's declaration."""
    evidence_url: str

    @property
    def label(self) -> str:
        if not self.accredited:
            return "Real Living Wage accreditation ended"
        return f"Real Living Wage employer: {self.basis_label.lower()}"


def _status_of(
    record: LivingWageAccreditation, viewer_id: int | None, day: date
) -> LivingWageStatus:
    return LivingWageStatus(
        employer_id=record.employer_id,
        accredited=record.current_on(day),
        verified=record.is_verified,
        basis_label=record.get_basis_display(),
        accredited_since=record.accredited_since,
        checked_on=record.checked_on,
        ended_on=record.ended_on,
        recorded_by_viewer=viewer_id is not None and record.council_id == viewer_id,
        evidence_url=record.evidence_url,
    )


class LivingWageIndex:
    """Who is an accredited Real Living Wage employer, as one organisation sees it on one day.

    A council's own record of an employer decides for that council (so a record it has ended
    stays ended); otherwise the employer's own declaration counts. Read in one query, so a page
    listing many suppliers asks once. Register suppliers (paid names, not organisations) are
    found by company number, charity number, or failing those the same normalised name.
    """

    def __init__(self, viewer: Organisation | None, day: date) -> None:
        viewer_id = viewer.pk if viewer is not None else None
        records = LivingWageAccreditation.objects.select_related("employer").filter(
            Q(council__isnull=True) | Q(council_id=viewer_id)
        )
        own: dict[int, LivingWageStatus] = {}
        declared: dict[int, LivingWageStatus] = {}
        employers: dict[int, Organisation] = {}
        for record in records:
            employers[record.employer_id] = record.employer
            target = own if record.council_id is not None else declared
            target[record.employer_id] = _status_of(record, viewer_id, day)
        self.by_employer: dict[int, LivingWageStatus] = {**declared, **own}
        self.by_company: dict[str, LivingWageStatus] = {}
        self.by_charity: dict[str, LivingWageStatus] = {}
        self.by_name: dict[str, LivingWageStatus] = {}
        for employer_id, status in self.by_employer.items():
            employer = employers[employer_id]
            if employer.company_number:
                self.by_company[employer.company_number.upper()] = status
            if employer.charity_number:
                self.by_charity[employer.charity_number] = status
            self.by_name[normalise_supplier_name(employer.name)] = status

    def for_employer(self, employer_id: int) -> LivingWageStatus | None:
        return self.by_employer.get(employer_id)

    def for_identity(
        self, *, name: str, company_number: str = "", charity_number: str = ""
    ) -> LivingWageStatus | None:
        if company_number and company_number.upper() in self.by_company:
            return self.by_company[company_number.upper()]
        if charity_number and charity_number in self.by_charity:
            return self.by_charity[charity_number]
        return self.by_name.get(normalise_supplier_name(name)) if name else None

    def accredited_employer_ids(self, *, verified_only: bool = False) -> set[int]:
        return {
            employer_id
            for employer_id, status in self.by_employer.items()
            if status.accredited and (status.verified or not verified_only)
        }


def living_wage_index(viewer: Organisation | None, day: date | None = None) -> LivingWageIndex:
    return LivingWageIndex(viewer, day or timezone.localdate())
