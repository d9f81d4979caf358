from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from commonweal.accounts.models import Membership

ACTIVE_MEMBERSHIP_KEY = "active_membership_id"


def _active_membership(request: HttpRequest) -> Membership | None:
    user = request.user
    if not user.is_authenticated:
        return None
    memberships = Membership.objects.select_related("organisation").filter(user=user)
    chosen = request.session.get(ACTIVE_MEMBERSHIP_KEY)
    membership = memberships.filter(pk=chosen).first() if chosen else None
    return membership or memberships.order_by("organisation__name").first()


class ActiveOrganisationMiddleware:
    """Sets ``request.membership`` and ``request.organisation`` from the organisation switcher."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        membership = _active_membership(request)
        request.membership = membership  # type: ignore[attr-defined]
        request.organisation = membership.organisation if membership else None  # type: ignore[attr-defined]
        return self.get_response(request)


def two_factor_required(user: Any) -> bool:
    """A council that requires a security code requires it of every member of its staff."""
    return Membership.objects.filter(user=user, organisation__require_two_factor=True).exists()


class TwoFactorRequiredMiddleware:
    """Sends staff of organisations that require a security code to set one up or enter it."""

    EXEMPT_PREFIXES = ("/static/", "/sign-out/", "/account/security-code/", "/invitations/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(self.EXEMPT_PREFIXES)
            and not user.is_verified()  # type: ignore[attr-defined]
            and two_factor_required(user)
        ):
            return redirect(reverse("accounts:two-factor-setup") + "?next=" + request.path)
        return self.get_response(request)
