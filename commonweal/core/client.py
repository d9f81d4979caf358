"""Who is on the other end of a request, as far as the service can tell."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address. Behind a reverse proxy (COMMONWEAL_BEHIND_PROXY) it is the
    last address in X-Forwarded-For, the one our proxy saw connect: any earlier ones were
    written by the client and prove nothing."""
    if settings.BEHIND_PROXY:
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return str(request.META.get("REMOTE_ADDR") or "") or None
