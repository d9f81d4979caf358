"""Pages for API tokens: a person's own on their account, a council's service tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from commonweal.accounts.access import memberships_of, request_user
from commonweal.api import tokens
from commonweal.api.access import (
    personal_token_for_user,
    service_token_for_admin,
    service_tokens_admin,
)
from commonweal.api.forms import ServiceTokenForm, TokenForm
from commonweal.api.models import ApiToken
from commonweal.api.selectors import personal_tokens, service_tokens
from commonweal.core.forms import add_validation_errors

# The new token waits here between the form and the page that shows it, which removes it.
NEW_TOKEN_KEY = "new_api_token"


def _keep_for_once(request: HttpRequest, token: ApiToken, secret: str) -> None:
    request.session[NEW_TOKEN_KEY] = {"pk": token.pk, "secret": secret}


def _take_once(request: HttpRequest, token: ApiToken) -> str | None:
    kept = request.session.get(NEW_TOKEN_KEY)
    if not kept or kept.get("pk") != token.pk:
        return None
    del request.session[NEW_TOKEN_KEY]
    return str(kept["secret"])


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    return render(request, "api/token_list.html", {"tokens": personal_tokens(user)})


@login_required
def token_create(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    memberships = memberships_of(user)
    active = getattr(request, "membership", None)
    form = TokenForm(
        request.POST if request.method == "POST" else None,
        memberships=memberships,
        initial={"organisation": active.organisation_id if active else None},
    )
    if request.method == "POST" and form.is_valid():
        organisation = next(
            m.organisation
            for m in memberships
            if m.organisation_id == form.cleaned_data["organisation"]
        )
        try:
            token, secret = tokens.token_create(
                user=user,
                organisation=organisation,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                lifetime_days=form.cleaned_data["lifetime"],
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            _keep_for_once(request, token, secret)
            return redirect("api-tokens:made", pk=token.pk)
    return render(request, "api/token_create.html", {"form": form})


@login_required
def token_made(request: HttpRequest, pk: int) -> HttpResponse:
    token = personal_token_for_user(request_user(request), pk)
    return render(
        request,
        "api/token_made.html",
        {
            "token": token,
            "secret": _take_once(request, token),
            "contracts_url": request.build_absolute_uri("/api/v1/contracts/"),
        },
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = personal_token_for_user(request_user(request), pk)
    try:
        tokens.token_revoke(token=token, by=request_user(request))
    except ValidationError as problem:
        messages.error(request, problem.messages[0])
    else:
        messages.success(request, f"Token ‘{token.name}’ revoked: it no longer works")
    return redirect("api-tokens:list")


@login_required
def service_token_list(request: HttpRequest, org: int) -> HttpResponse:
    membership = service_tokens_admin(request_user(request), org)
    organisation = membership.organisation
    return render(
        request,
        "api/service_token_list.html",
        {"organisation": organisation, "tokens": service_tokens(organisation)},
    )


@login_required
def service_token_create(request: HttpRequest, org: int) -> HttpResponse:
    membership = service_tokens_admin(request_user(request), org)
    organisation = membership.organisation
    form = ServiceTokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = tokens.service_token_create(
                organisation=organisation,
                name=form.cleaned_data["name"],
                role=form.cleaned_data["role"],
                scope=form.cleaned_data["scope"],
                lifetime_days=form.cleaned_data["lifetime"],
                by=request_user(request),
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            _keep_for_once(request, token, secret)
            return redirect("api-tokens:service-made", org=organisation.pk, pk=token.pk)
    return render(
        request, "api/service_token_create.html", {"form": form, "organisation": organisation}
    )


@login_required
def service_token_made(request: HttpRequest, org: int, pk: int) -> HttpResponse:
    token = service_token_for_admin(request_user(request), org, pk)
    return render(
        request,
        "api/token_made.html",
        {
            "token": token,
            "secret": _take_once(request, token),
            "organisation": token.organisation,
            "contracts_url": request.build_absolute_uri("/api/v1/contracts/"),
        },
    )


@login_required
@require_POST
def service_token_revoke(request: HttpRequest, org: int, pk: int) -> HttpResponse:
    token = service_token_for_admin(request_user(request), org, pk)
    try:
        tokens.token_revoke(token=token, by=request_user(request))
    except ValidationError as problem:
        messages.error(request, problem.messages[0])
    else:
        messages.success(request, f"Service token ‘{token.name}’ revoked: it no longer works")
    return redirect("api-tokens:service-list", org=org)
