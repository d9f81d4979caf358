from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, Any]:
    return {
        "service_name": "Commonweal",
        "demo_mode": settings.DEMO_MODE,
        "sso_enabled": bool(settings.COMMONWEAL_OIDC_ISSUER),
    }
