from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from commonweal.accounts.access import memberships_of
from commonweal.accounts.models import Membership
from commonweal.accounts.roles import Role

ACTIVE_MEMBERSHIP_KEY = "active_membership_id"
SSO_SESSION_KEY = "signed_in_with_sso"  # set by accounts.oidc


def _active_membership(request: HttpRequest, memberships: list[Membership]) -> Membership | None:
    chosen = request.session.get(ACTIVE_MEMBERSHIP_KEY) if memberships else None
    for membership in memberships:
        if membership.pk == chosen:
            return membership
    return memberships[0] if memberships else None


class ActiveOrganisationMiddleware:
    """Sets ``request.memberships`` (all of the person's), ``request.membership`` and
    ``request.organisation`` (the one chosen in the organisation switcher)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        memberships = memberships_of(request.user) if request.user.is_authenticated else []
        membership = _active_membership(request, memberships)
        request.memberships = memberships  # type: ignore[attr-defined]
        request.membership = membership  # type: ignore[attr-defined]
        request.organisation = membership.organisation if membership else None  # type: ignore[attr-defined]
        return self.get_response(request)


def two_factor_required(user: Any) -> bool:
    """A council that requires a security code requires it of every member of its staff; and
    where REQUIRE_TWO_FACTOR_FOR_COUNCIL_ADMINS is on (by default in production), every
    council admin needs one, whatever their council says."""
    memberships = memberships_of(user)
    if settings.REQUIRE_TWO_FACTOR_FOR_COUNCIL_ADMINS and any(
        m.role == Role.COUNCIL_ADMIN for m in memberships
    ):
        return True
    return any(m.organisation.require_two_factor for m in memberships)


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
            # Under single sign-on the identity provider asks for the second factor.
            and not request.session.get(SSO_SESSION_KEY)
            and two_factor_required(user)
        ):
            return redirect(reverse("accounts:two-factor-setup") + "?next=" + request.path)
        return self.get_response(request)
