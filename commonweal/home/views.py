"""Each person's home page: what is waiting for them first, then where the programme stands,
then their organisation and account."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from commonweal.accounts.access import request_user
from commonweal.accounts.selectors import organisation_members, waiting_invitations
from commonweal.core.selectors import jobs_for_organisation
from commonweal.home.selectors import context_for


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "home/start.html")
    membership = getattr(request, "membership", None)
    if membership is None:
        return render(request, "home/no_membership.html")
    organisation = membership.organisation
    context: dict[str, Any] = {
        "membership": membership,
        "organisation": organisation,
        "member_count": organisation_members(organisation).count(),
        "waiting_invitations": waiting_invitations(organisation).count(),
        "recent_jobs": jobs_for_organisation(organisation.pk)[:5],
        **context_for(membership, request_user(request)),
    }
    return render(request, "home/home.html", context)
