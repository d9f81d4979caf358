"""Making, revoking and accepting API tokens, and the API's rate limit.

A token is ``cw_`` and 43 random characters; only its SHA-256 digest is stored (a token has
enough entropy that a slow hash adds nothing, and every API call must check one). A token
acts for one person in one organisation: a route sees the same ``request.user`` and
``request.membership`` as it would for a signed-in session, so every access helper applies
unchanged. A read-only token cannot call a route that changes anything.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from commonweal.accounts.access import keep_memberships, memberships_in_order
from commonweal.accounts.models import Membership, Organisation, User
from commonweal.accounts.roles import COUNCIL_ROLES, Role
from commonweal.api.models import ApiToken, TokenKind, TokenScope
from commonweal.core.audit import acting_as, save_audited
from commonweal.core.tokens import token_digest

TOKEN_PREFIX = "cw_"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# How long a token may be made to last, in days, as offered on the page.
LIFETIMES = (7, 30, 90, 365)
# A token's last use is written at most this often, so a busy script does not write on every call.
LAST_USED_PRECISION = timedelta(minutes=1)
# Roles a council admin may give a service token: any council role except admin itself.
SERVICE_ROLES = frozenset(COUNCIL_ROLES - {Role.COUNCIL_ADMIN})
SERVICE_EMAIL_DOMAIN = "service-tokens.invalid"


def _new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def _expiry(days: int) -> Any:
    if days not in LIFETIMES:
        raise ValidationError(
            {"lifetime": "Choose how long the token will work: 7, 30, 90 or 365 days"}
        )
    return timezone.now() + timedelta(days=days)


def _check_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter a name that says what the token is for"})
    return name


def token_create(
    *, user: User, organisation: Organisation, name: str, scope: str, lifetime_days: int
) -> tuple[ApiToken, str]:
    """Make a personal token acting as ``user`` for ``organisation``. Returns the token record
    and the token itself, which is never shown again."""
    if not Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError({"organisation": "Choose one of your organisations"})
    secret = _new_token()
    token = ApiToken(
        kind=TokenKind.PERSONAL,
        name=_check_name(name),
        user=user,
        organisation=organisation,
        scope=scope,
        prefix=secret[:10],
        token_hash=token_digest(secret),
        created_by=user,
        expires_at=_expiry(lifetime_days),
    )
    save_audited(token, by=user)
    return token, secret


def service_token_create(
    *, organisation: Organisation, name: str, role: str, scope: str, lifetime_days: int, by: User
) -> tuple[ApiToken, str]:
    """Make an organisation's service token for an integration. It acts as a user of its own
    (who cannot sign in) holding ``role`` in the organisation; the admin who made it is kept."""
    if not organisation.is_council:
        raise ValidationError("Only councils and combined authorities make service tokens")
    if role not in SERVICE_ROLES:
        raise ValidationError({"role": "Choose the role the integration will have"})
    name = _check_name(name)
    expires_at = _expiry(lifetime_days)
    secret = _new_token()
    with transaction.atomic(), acting_as(by):
        robot = User(
            email=f"service-{secrets.token_hex(8)}@{SERVICE_EMAIL_DOMAIN}",
            full_name=f"Service token: {name}"[:200],
        )
        robot.set_unusable_password()
        robot.save()
        membership = Membership(user=robot, organisation=organisation, role=role)
        membership.full_clean()
        membership.save()
        token = ApiToken(
            kind=TokenKind.SERVICE,
            name=name,
            user=robot,
            organisation=organisation,
            scope=scope,
            prefix=secret[:10],
            token_hash=token_digest(secret),
            created_by=by,
            expires_at=expires_at,
        )
        token.full_clean()
        token.save()
    return token, secret


def token_revoke(*, token: ApiToken, by: User) -> None:
    """Stop a token working at once. A service token's own user leaves the organisation."""
    if token.revoked_at:
        raise ValidationError("This token is already revoked")
    token.revoked_at = timezone.now()
    token.revoked_by = by
    with transaction.atomic(), acting_as(by):
        token.save()
        if token.kind == TokenKind.SERVICE:
            Membership.objects.filter(user_id=token.user_id).delete()
            User.objects.filter(pk=token.user_id).update(is_active=False)


def token_authenticate(secret: str) -> ApiToken | None:
    """The usable token with this secret, its last use recorded; None for anything else."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user", "organisation")
        .filter(token_hash=token_digest(secret))
        .first()
    )
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


class TokenAuth(HttpBearer):
    """``Authorization: Bearer cw_…``: the request then acts as the token's person, for the
    token's organisation, exactly as a session that chose that organisation would."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = token_authenticate(token)
        if found is None:
            return None
        memberships = list(memberships_in_order().filter(user_id=found.user_id))
        membership = next(
            (m for m in memberships if m.organisation_id == found.organisation_id), None
        )
        if membership is None:  # the person has left the organisation since
            return None
        if request.method not in SAFE_METHODS and not found.can_write:
            raise HttpError(
                403, "This token may only read. Make a read and write token to change records."
            )
        user = found.user
        keep_memberships(user, memberships)
        request.user = user
        request.memberships = memberships  # type: ignore[attr-defined]
        request.membership = membership  # type: ignore[attr-defined]
        request.organisation = membership.organisation  # type: ignore[attr-defined]
        request.api_token = found  # type: ignore[attr-defined]
        return found


class ApiRateThrottle(SimpleRateThrottle):
    """At most ``COMMONWEAL_API_RATE`` calls per token (or per signed-in person, or per
    address for a caller who is neither), counted in the cache every server process shares."""

    scope = "api"

    def __init__(self) -> None:
        self.cache = caches["shared"]
        super().__init__(settings.COMMONWEAL_API_RATE)

    def allow_request(self, request: HttpRequest) -> bool:
        # Read the limit on each call, so a changed setting needs no new throttle.
        self.rate = settings.COMMONWEAL_API_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        token = getattr(request, "api_token", None)
        if token is not None:
            ident = f"token-{token.pk}"
        elif request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


def scope_label(scope: str) -> str:
    return str(TokenScope(scope).label)
