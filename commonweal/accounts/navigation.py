"""The header navigation each kind of person sees. Apps add their entries here as they land."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from commonweal.accounts.roles import ADMIN_ROLES, Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


def navigation_for(request: HttpRequest) -> list[NavItem]:
    membership = getattr(request, "membership", None)
    if not request.user.is_authenticated or membership is None:
        return []
    organisation = membership.organisation
    entries: list[tuple[str, str]] = [("Home", reverse("home:home"))]
    entries.append(("Measures", reverse("frameworks:list")))
    if organisation.is_council:
        entries.append(("Procurements", reverse("commissioning:list")))
    if organisation.is_council or organisation.is_supplier:
        entries.append(("Tenders", reverse("tenders:list")))
    if organisation.is_council or organisation.is_supplier:
        entries.append(("Contracts", reverse("contracts:list")))
        entries.append(("Returns", reverse("monitoring:returns")))
        entries.append(
            (
                "Delivery" if organisation.is_council else "Your social value",
                reverse("monitoring:dashboard"),
            )
        )
    if organisation.is_council or organisation.is_partner:
        entries.append(("Local economy", reverse("cwb:overview")))
    if organisation.is_council:
        entries.append(("Fair work", reverse("fairwork:overview")))
        entries.append(("Equality", reverse("fairwork:equality")))
        entries.append(("Programme", reverse("reporting:overview")))
    entries.append(("Partnerships", reverse("partnership:list")))
    if organisation.kind == "combined_authority":
        entries.append(("Region", reverse("partnership:region")))
    return _items(request, entries)


def account_links_for(request: HttpRequest) -> list[NavItem]:
    """Links about the organisation itself, shown in the account bar beside the switcher."""
    membership = getattr(request, "membership", None)
    if not request.user.is_authenticated or membership is None:
        return []
    organisation = membership.organisation
    entries = [("Your organisation", reverse("accounts:organisation", args=[organisation.pk]))]
    if organisation.is_supplier or organisation.is_partner:
        entries.append(("Real Living Wage", reverse("fairwork:own-accreditation")))
    if membership.role == Role.COUNCIL_ADMIN:
        entries.append(("Audit trail", reverse("accounts:audit-trail")))
    if membership.role in ADMIN_ROLES or organisation.is_council:
        entries.append(("Background jobs", reverse("accounts:job-list")))
    return _items(request, entries)


def _items(request: HttpRequest, entries: list[tuple[str, str]]) -> list[NavItem]:
    path = request.path
    home = reverse("home:home")
    # Verifying returns is reached from the Returns page, so it stays under that entry.
    if path.startswith(reverse("monitoring:verification")):
        path = reverse("monitoring:returns")
    return [
        NavItem(label, url, active=(path == url) if url == home else path.startswith(url))
        for label, url in entries
    ]
