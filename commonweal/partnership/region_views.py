"""The combined authority's view of its region, and each council's side of it: what the
council shares with its combined authority and which region-wide measure sets it adopted."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from commonweal.accounts.access import request_user, require_council_admin
from commonweal.accounts.roles import Role
from commonweal.core.forms import add_validation_errors
from commonweal.partnership import exports, selectors, services
from commonweal.partnership.access import (
    combined_authority_membership,
    region_sharing_membership,
)
from commonweal.partnership.forms import AdoptRegionSetForm, RegionSharingForm


@login_required
def region(request: HttpRequest) -> HttpResponse:
    membership = combined_authority_membership(request)
    authority = membership.organisation
    view = selectors.region_view(authority, financial_year=request.GET.get("year"))
    if request.GET.get("format") == "csv":
        return exports.csv_response(
            f"region-{authority.gss_code or authority.pk}-{timezone.localdate():%Y-%m-%d}.csv",
            exports.region_rows(view),
        )
    return render(
        request,
        "partnership/region.html",
        {
            "authority": authority,
            "view": view,
            "spend_shares": selectors.share_of_total(view.spend) if view.spend else [],
            "region_sets": selectors.region_sets(authority),
        },
    )


@login_required
def region_sharing(request: HttpRequest) -> HttpResponse:
    """The council's sharing with its combined authority (admins change it) and the
    region-wide measure sets it may adopt."""
    membership = region_sharing_membership(request)
    council = membership.organisation
    sharing = selectors.region_sharing_of(council)
    is_admin = membership.role == Role.COUNCIL_ADMIN
    form = RegionSharingForm(
        request.POST or None,
        initial={
            "procurements": sharing.procurements,
            "delivery": sharing.delivery,
            "spend": sharing.spend,
            "partnerships": sharing.partnerships,
        },
    )
    if request.method == "POST":
        require_council_admin(membership)
        if form.is_valid():
            services.region_sharing_update(
                council=council, by=request_user(request), **form.cleaned_data
            )
            messages.success(
                request, f"Saved. {council.combined_authority} sees what you share from now."
            )
            return redirect("partnership:region-sharing")
    authority = council.combined_authority
    assert authority is not None
    adopted = selectors.adoptions_of(council)
    adopted_ids = {a.region_version_id for a in adopted}
    candidates = selectors.region_sets(authority).exclude(pk__in=adopted_ids)
    return render(
        request,
        "partnership/region_sharing.html",
        {
            "council": council,
            "authority": authority,
            "form": form,
            "is_admin": is_admin,
            "sharing": sharing,
            "adopted": adopted,
            "adopt_form": AdoptRegionSetForm(candidates=candidates)
            if is_admin and candidates.exists()
            else None,
        },
    )


@login_required
def region_set_adopt(request: HttpRequest) -> HttpResponse:
    membership = region_sharing_membership(request)
    require_council_admin(membership)
    council = membership.organisation
    authority = council.combined_authority
    assert authority is not None
    adopted_ids = selectors.adoptions_of(council).values("region_version_id")
    candidates = selectors.region_sets(authority).exclude(pk__in=adopted_ids)
    form = AdoptRegionSetForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            adoption = services.region_set_adopt(
                council=council,
                region_version=form.cleaned_data["region_version"],
                in_force_from=form.cleaned_data["in_force_from"],
                by=request_user(request),
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(
                request,
                f"Adopted as {adoption.council_version}. Procurements can choose it from "
                f"{form.cleaned_data['in_force_from']:%-d %B %Y}.",
            )
            return redirect("partnership:region-sharing")
    return render(
        request,
        "partnership/region_set_adopt.html",
        {"council": council, "authority": authority, "form": form},
    )
