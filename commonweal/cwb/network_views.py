"""Anchor network pages: start a network, invite organisations, answer an invitation, leave,
and read the pooled figures (members only; each member's own detail stays its own)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from commonweal.accounts.access import request_user
from commonweal.core.forms import add_validation_errors
from commonweal.core.views import carry_out
from commonweal.cwb import analyses, selectors, services
from commonweal.cwb.access import (
    can_edit,
    cwb_membership,
    network_place_for_user,
    require_cwb_editor,
    require_network_convener,
)
from commonweal.cwb.forms import AnchorNetworkForm, NetworkInviteForm
from commonweal.cwb.models import AnchorNetworkMember
from commonweal.cwb.views import csv_response


@login_required
def network_list(request: HttpRequest) -> HttpResponse:
    membership = cwb_membership(request)
    places = list(selectors.anchor_network_places(membership.organisation))
    return render(
        request,
        "cwb/network_list.html",
        {
            "joined": [p for p in places if p.status == AnchorNetworkMember.Status.JOINED],
            "invitations": [p for p in places if p.status == AnchorNetworkMember.Status.INVITED],
            "can_edit": can_edit(membership),
            "can_start": can_edit(membership) and membership.organisation.is_council,
        },
    )


@login_required
def network_new(request: HttpRequest) -> HttpResponse:
    membership = cwb_membership(request)
    require_cwb_editor(membership)
    if not membership.organisation.is_council:
        raise Http404("Only councils and combined authorities start anchor networks")
    form = AnchorNetworkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            network = services.anchor_network_create(
                convener=membership.organisation,
                name=form.cleaned_data["name"],
                by=request_user(request),
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            return redirect("cwb:network-detail", pk=network.pk)
    return render(request, "cwb/network_new.html", {"form": form})


@login_required
def network_detail(request: HttpRequest, pk: int) -> HttpResponse:
    place, membership = network_place_for_user(request, pk)
    network = place.network
    context = {
        "network": network,
        "place": place,
        "can_edit": can_edit(membership),
        "minimum_members": analyses.NETWORK_POOLING.minimum_members,
    }
    if place.status == AnchorNetworkMember.Status.INVITED:
        return render(request, "cwb/network_invitation.html", context)
    figures = analyses.network_figures(network, request.GET.get("year"))
    if request.GET.get("format") == "csv":
        if figures.year is None:
            raise Http404("There are no combined figures to download for this year")
        rows = analyses.network_csv_rows(figures.year)
        return csv_response(
            f"anchor-network-{network.pk}-{figures.year.financial_year}.csv", rows[0], rows[1:]
        )
    is_convener = network.convener_id == membership.organisation_id
    invite_form = None
    if is_convener and can_edit(membership):
        invite_form = NetworkInviteForm(candidates=selectors.organisations_to_invite(network))
    return render(
        request,
        "cwb/network_detail.html",
        {
            **context,
            "is_convener": is_convener,
            "members": [
                (member, sorted(figures.years_by_member.get(member.organisation_id, ())))
                for member in selectors.anchor_network_members(network)
            ],
            "figures": figures,
            "headline": analyses.network_headline_rows(figures.year) if figures.year else [],
            "invite_form": invite_form,
        },
    )


@login_required
@require_POST
def network_invite(request: HttpRequest, pk: int) -> HttpResponse:
    place, membership = network_place_for_user(request, pk)
    require_network_convener(place, membership)
    form = NetworkInviteForm(
        request.POST, candidates=selectors.organisations_to_invite(place.network)
    )
    if form.is_valid():
        organisation = form.cleaned_data["organisation"]
        carry_out(
            request,
            lambda: services.anchor_network_invite(
                network=place.network,
                organisation=organisation,
                by=request_user(request),
            ),
            f"{organisation.name} is invited. Its figures count once one of its people accepts.",
        )
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("cwb:network-detail", pk=pk)


@login_required
@require_POST
def network_member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    place, membership = network_place_for_user(request, pk)
    require_network_convener(place, membership)
    member = place.network.members.filter(pk=member_pk).select_related("organisation").first()
    if member is None:
        raise Http404("No such member of this network")
    carry_out(
        request,
        lambda: services.anchor_network_remove(place=member, by=request_user(request)),
        f"{member.organisation.name} is no longer in the network",
    )
    return redirect("cwb:network-detail", pk=pk)


@login_required
@require_POST
def network_join(request: HttpRequest, pk: int) -> HttpResponse:
    place, membership = network_place_for_user(request, pk)
    require_cwb_editor(membership)
    carry_out(
        request,
        lambda: services.anchor_network_join(place=place, by=request_user(request)),
        f"You joined {place.network.name}",
    )
    return redirect("cwb:network-detail", pk=pk)


@login_required
@require_POST
def network_leave(request: HttpRequest, pk: int) -> HttpResponse:
    """Decline an invitation, or leave a network you joined."""
    place, membership = network_place_for_user(request, pk)
    require_cwb_editor(membership)
    invited = place.status == AnchorNetworkMember.Status.INVITED
    verb = "declined the invitation to" if invited else "left"
    if carry_out(
        request,
        lambda: services.anchor_network_remove(place=place, by=request_user(request)),
        f"You {verb} {place.network.name}",
    ):
        return redirect("cwb:network-list")
    return redirect("cwb:network-detail", pk=pk)
