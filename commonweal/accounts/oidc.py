"""Single sign-on for council and partner staff with OpenID Connect (mozilla-django-oidc).

The identity provider (Microsoft Entra ID, say) is found from its issuer's discovery document.
Each organisation that uses it names its staff's email domains and how the provider's groups map
to roles (``COMMONWEAL_OIDC_ORGANISATIONS``); someone signing in with an address in one of those
domains becomes a member there (just in time) with the role their groups give, updated on each
sign-in. Anyone else is refused. Local password sign-in stays for suppliers and for councils
without SSO; a person signed in through the provider is not asked for Commonweal's own security
code, as the provider enforces its own second factor.
"""

from __future__ import annotations

import functools
import logging
from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from commonweal.accounts.middleware import SSO_SESSION_KEY
from commonweal.accounts.models import Membership, Organisation, User
from commonweal.accounts.roles import Role, roles_for_kind
from commonweal.accounts.sso_config import SsoOrganisation
from commonweal.core.audit import acting_as, record_event

logger = logging.getLogger(__name__)

DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_LOGOUT_ENDPOINT": "end_session_endpoint",
}
# When a person's groups map to several roles, the one that may do most wins.
ROLE_RANK = [
    Role.VIEWER,
    Role.EVALUATOR,
    Role.CONTRACT_MANAGER,
    Role.COMMISSIONER,
    Role.COUNCIL_ADMIN,
    Role.PARTNER_CONTRIBUTOR,
]


@functools.cache
def discovery(issuer: str) -> dict[str, Any]:
    """The provider's discovery document, read once per process."""
    response = requests.get(issuer.rstrip("/") + "/.well-known/openid-configuration", timeout=10)
    response.raise_for_status()
    document: dict[str, Any] = response.json()
    return document


def oidc_setting(attr: str, *default: Any) -> Any:
    """mozilla-django-oidc's settings, with the provider's endpoints from discovery."""
    if attr in DISCOVERED and not getattr(settings, attr, ""):
        return discovery(settings.COMMONWEAL_OIDC_ISSUER).get(DISCOVERED[attr], *default)
    return import_from_settings(attr, *default)


def sso_enabled() -> bool:
    return bool(settings.COMMONWEAL_OIDC_ISSUER)


def _organisation(entry: SsoOrganisation) -> Organisation | None:
    found = Organisation.objects.filter(gss_code=entry.code).first()
    if found is None and entry.code.isdigit():
        found = Organisation.objects.filter(pk=int(entry.code)).first()
    return found


def role_for(entry: SsoOrganisation, organisation: Organisation, groups: list[str]) -> str | None:
    """The role the person's groups give them in the organisation, or the default role."""
    allowed = roles_for_kind(organisation.kind)
    mapped = [entry.roles_by_group[g] for g in groups if g in entry.roles_by_group]
    mapped = [r for r in mapped if r in allowed]
    if mapped:
        return max(mapped, key=lambda r: ROLE_RANK.index(Role(r)) if Role(r) in ROLE_RANK else -1)
    if entry.default_role in allowed:
        return entry.default_role
    return None


class CouncilOIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """Signs in staff of organisations that use the provider, making or updating their
    membership from the provider's claims. Refuses addresses outside the allowed domains."""

    get_settings = staticmethod(oidc_setting)

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        email = str(claims.get("email", "")).lower()
        if not email or claims.get("email_verified") is False:
            return False
        return bool(self._places(email, claims))

    def _places(self, email: str, claims: dict[str, Any]) -> list[tuple[Organisation, str]]:
        domain = email.rsplit("@", 1)[-1]
        groups = claims.get(settings.COMMONWEAL_OIDC_GROUPS_CLAIM) or []
        if isinstance(groups, str):
            groups = [groups]
        places = []
        for entry in settings.COMMONWEAL_OIDC_ORGANISATION_LIST:
            if domain not in entry.domains:
                continue
            organisation = _organisation(entry)
            if organisation is None:
                logger.warning("SSO names organisation %s, which does not exist", entry.code)
                continue
            role = role_for(entry, organisation, [str(g) for g in groups])
            if role:
                places.append((organisation, role))
        return places

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        return User.objects.filter(email__iexact=str(claims.get("email", "")))

    def create_user(self, claims: dict[str, Any]) -> User:
        email = str(claims["email"]).lower()
        user = User(email=email, full_name=str(claims.get("name") or email))
        user.set_unusable_password()
        with acting_as(None):
            user.save()
        return self.update_user(user, claims)

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        places = self._places(user.email, claims)
        with transaction.atomic(), acting_as(None):
            if claims.get("name") and user.full_name != claims["name"]:
                user.full_name = str(claims["name"])[:200]
                user.save(update_fields=["full_name"])
            for organisation, role in places:
                membership, made = Membership.objects.get_or_create(
                    user=user, organisation=organisation, defaults={"role": role}
                )
                if not made and membership.role != role:
                    membership.role = role
                    membership.save(update_fields=["role"])
                record_event(
                    instance=user,
                    by=user,
                    organisation_id=organisation.pk,
                    event="Signed in",
                    detail=f"through single sign-on as {Role(role).label.lower()}",
                )
        return user

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        try:
            user = super().authenticate(request, **kwargs)
        except SuspiciousOperation:
            return None
        if user is not None and request is not None:
            request.session[SSO_SESSION_KEY] = True
        return user


class CouncilOIDCRequestView(OIDCAuthenticationRequestView):  # type: ignore[misc]
    """Starts sign-in at the provider, its address found by discovery; a 404 without SSO."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if not sso_enabled():
            raise Http404("Single sign-on is not set up")
        super().__init__(*args, **kwargs)


def end_session_url(request: HttpRequest) -> str | None:
    """Where to send someone signing out who signed in through the provider, so they are
    signed out there too; None for anyone else, or a provider with no end-session endpoint."""
    if not (sso_enabled() and request.session.get(SSO_SESSION_KEY)):
        return None
    endpoint = oidc_setting("OIDC_OP_LOGOUT_ENDPOINT", None)
    if not endpoint:
        return None
    query = {
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "post_logout_redirect_uri": request.build_absolute_uri("/sign-in/"),
    }
    id_token = request.session.get("oidc_id_token")
    if id_token:
        query["id_token_hint"] = id_token
    return f"{endpoint}?{urlencode(query)}"
