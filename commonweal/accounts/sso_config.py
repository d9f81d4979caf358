"""Single sign-on settings read at start-up (no Django imports: settings load this)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

ROLES = frozenset(
    {
        "council_admin",
        "commissioner",
        "evaluator",
        "contract_manager",
        "viewer",
        "partner_contributor",
    }
)


@dataclass(frozen=True)
class SsoOrganisation:
    """How one organisation signs its staff in through the provider."""

    code: str
    domains: frozenset[str]
    roles_by_group: dict[str, str]
    default_role: str | None


def parse_organisations(raw: str) -> list[SsoOrganisation]:
    """``COMMONWEAL_OIDC_ORGANISATIONS``: JSON keyed by GSS code (or organisation id), each with
    ``domains``, ``roles`` (group → role) and an optional ``default_role``."""
    if not raw:
        return []
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as problem:
        raise ImproperlyConfigured(
            f"COMMONWEAL_OIDC_ORGANISATIONS is not JSON: {problem}"
        ) from None
    if not isinstance(data, dict):
        raise ImproperlyConfigured("COMMONWEAL_OIDC_ORGANISATIONS must be a JSON object")
    known = ROLES
    found = []
    for code, entry in data.items():
        domains = [d.strip().lower().lstrip("@") for d in entry.get("domains", [])]
        if not domains:
            raise ImproperlyConfigured(f"COMMONWEAL_OIDC_ORGANISATIONS: {code} names no domains")
        roles = entry.get("roles", {})
        default = entry.get("default_role")
        for role in [*roles.values(), *([default] if default else [])]:
            if role not in known:
                raise ImproperlyConfigured(
                    f"COMMONWEAL_OIDC_ORGANISATIONS: {code} maps to {role!r}, not a role"
                )
        found.append(SsoOrganisation(str(code), frozenset(domains), dict(roles), default))
    return found
