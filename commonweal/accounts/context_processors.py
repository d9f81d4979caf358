from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from commonweal.accounts.navigation import account_links_for, navigation_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The header navigation, the account bar's links and the organisation switcher."""
    return {
        "navigation": navigation_for(request),
        "account_links": account_links_for(request),
        "all_memberships": getattr(request, "memberships", []),
    }
