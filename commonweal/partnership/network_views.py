"""An anchor network's page for its members: each member's shared figures side by side and
combined, what the member shares, and the joint actions. Joining, leaving and invitations stay
on cwb's network pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from commonweal.accounts.access import request_user
from commonweal.core.forms import add_validation_errors
from commonweal.partnership import exports, selectors, services
from commonweal.partnership.access import (
    joined_network_for_user,
    joint_action_for_user,
    network_for_user,
)
from commonweal.partnership.forms import JointActionForm, SharingForm
from commonweal.partnership.models import JointAction, PartnershipNetwork


@login_required
def network_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = network_for_user(request, pk)
    if not access.is_joined:
        return render(request, "partnership/network_invited.html", {"network": access.network})
    view = selectors.network_view(access.network, request.GET.get("year"))
    file_format = request.GET.get("format")
    if file_format in ("csv", "json"):
        name = f"anchor-network-{access.network.pk}-{view.financial_year or 'no-year'}"
        if file_format == "csv":
            return exports.csv_response(f"{name}.csv", exports.network_rows(view, named=True))
        return exports.json_response(f"{name}.json", exports.network_data(view, named=True))
    link = (
        PartnershipNetwork.objects.filter(network=access.network)
        .select_related("partnership")
        .first()
    )
    own = next(
        (m for m in view.members if m.organisation.pk == access.membership.organisation_id), None
    )
    return render(
        request,
        "partnership/network_detail.html",
        {
            "access": access,
            "network": access.network,
            "view": view,
            "own": own,
            "link": link,
            "actions": selectors.joint_actions_of(access.network),
        },
    )


@login_required
def network_sharing(request: HttpRequest, pk: int) -> HttpResponse:
    access = joined_network_for_user(request, pk)
    access.require_edit()
    levels = selectors.sharing_levels(access.place)
    form = SharingForm(request.POST or None, initial=levels)
    if request.method == "POST" and form.is_valid():
        try:
            services.sharing_update(
                place=access.place, choices=form.cleaned_data, by=request_user(request)
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(request, "Your choices are saved and show on the network's page")
            return redirect("partnership:network", pk=pk)
    return render(
        request,
        "partnership/network_sharing.html",
        {"access": access, "network": access.network, "form": form},
    )


def _action_page(request: HttpRequest, pk: int, action: JointAction | None) -> HttpResponse:
    access = joined_network_for_user(request, pk)
    access.require_edit()
    initial = (
        {
            "title": action.title,
            "description": action.description,
            "lead_organisation": action.lead_organisation,
            "lead_person": action.lead_person,
            "starts_on": action.starts_on,
            "due_on": action.due_on,
            "status": action.status,
            "latest_update": action.latest_update,
        }
        if action
        else {"lead_organisation": access.membership.organisation}
    )
    form = JointActionForm(
        request.POST or None,
        initial=initial,
        members=selectors.joined_organisations(access.network),
    )
    if request.method == "POST" and form.is_valid():
        try:
            if action is None:
                services.joint_action_create(
                    network=access.network, by=request_user(request), **form.cleaned_data
                )
            else:
                services.joint_action_update(
                    action=action, by=request_user(request), **form.cleaned_data
                )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(request, "Joint action saved")
            return redirect("partnership:network", pk=pk)
    return render(
        request,
        "partnership/joint_action_form.html",
        {"access": access, "network": access.network, "form": form, "action": action},
    )


@login_required
def joint_action_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _action_page(request, pk, None)


@login_required
def joint_action_edit(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    action, _ = joint_action_for_user(request, pk, action_pk)
    return _action_page(request, pk, action)
