from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from commonweal.core.navigation import account_links_for, navigation_for


def service(request: HttpRequest) -> dict[str, Any]:
    return {
        "service_name": "Commonweal",
        "demo_mode": settings.DEMO_MODE,
        "navigation": navigation_for(request),
        "account_links": account_links_for(request),
        "all_memberships": getattr(request, "memberships", []),
    }
