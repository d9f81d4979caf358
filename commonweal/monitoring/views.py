from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from commonweal.accounts.access import require_role
from commonweal.accounts.roles import Role
from commonweal.contracts.access import contract_for_user, council_membership
from commonweal.monitoring import services
from commonweal.monitoring.forms import MilestoneForm, MilestoneStatusForm, PlanForm, SettingsForm
from commonweal.monitoring.models import (
    Milestone,
    MonitoringSettings,
    PeriodTarget,
    ReportingPeriod,
)


def _errors_to_form(form: Any, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


@login_required
def monitoring_settings(request: HttpRequest) -> HttpResponse:
    membership = council_membership(request)
    council = membership.organisation
    current = services.settings_for(council)
    form = SettingsForm(request.POST or None, initial=SettingsForm.initial_from(current))
    if request.method == "POST":
        require_role(membership, [Role.COUNCIL_ADMIN])
        if form.is_valid():
            try:
                saved = services.settings_update(
                    council=council,
                    by=request.user,  # type: ignore[arg-type]
                    **form.to_fields(),
                )
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, f"Monitoring settings saved as version {saved.version}")
                return redirect("monitoring:settings")
    return render(
        request,
        "monitoring/settings.html",
        {
            "form": form,
            "current": current,
            "can_edit": membership.role == Role.COUNCIL_ADMIN,
            "history": MonitoringSettings.objects.filter(council=council).select_related(
                "changed_by"
            ),
        },
    )


@login_required
def delivery_plan(request: HttpRequest, pk: int) -> HttpResponse:
    contract, access = contract_for_user(request.user, pk)  # type: ignore[arg-type]
    settings = services.settings_for(contract.council_id)
    commitments = list(
        contract.commitments.select_related("measure")
        .prefetch_related("years")
        .order_by("position")
    )
    if not services.needs_full_plan(contract, settings):
        return _milestone_tracker(request, contract, access, commitments, settings)
    periods = list(ReportingPeriod.objects.filter(contract=contract).order_by("position"))
    current = {
        (t.commitment_id, t.period_id): t.target
        for t in PeriodTarget.objects.filter(period__contract=contract)
    }
    form = PlanForm(request.POST or None, commitments=commitments, periods=periods, current=current)
    if request.method == "POST":
        access.require_edit()
        if form.is_valid():
            try:
                services.targets_update(
                    contract=contract,
                    targets=form.targets(),
                    by=request.user,  # type: ignore[arg-type]
                )
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, "Delivery plan saved")
                return redirect("monitoring:plan", contract.pk)
    return render(
        request,
        "monitoring/delivery_plan.html",
        {
            "contract": contract,
            "access": access,
            "form": form,
            "periods": periods,
            "settings": settings,
        },
    )


def _milestone_tracker(
    request: HttpRequest,
    contract: Any,
    access: Any,
    commitments: list[Any],
    settings: MonitoringSettings,
) -> HttpResponse:
    form = MilestoneForm(request.POST or None, commitments=commitments)
    if request.method == "POST":
        access.require_edit()
        if form.is_valid():
            chosen = form.cleaned_data["commitment"]
            services.milestone_create(
                contract=contract,
                description=form.cleaned_data["description"],
                due_on=form.cleaned_data["due_on"],
                commitment=next((c for c in commitments if str(c.pk) == chosen), None),
                by=request.user,  # type: ignore[arg-type]
            )
            messages.success(request, "Milestone added")
            return redirect("monitoring:plan", contract.pk)
    return render(
        request,
        "monitoring/milestones.html",
        {
            "contract": contract,
            "access": access,
            "form": form,
            "milestones": Milestone.objects.filter(contract=contract).select_related(
                "commitment__measure"
            ),
            "settings": settings,
        },
    )


@login_required
def milestone_status(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    contract, access = contract_for_user(request.user, pk)  # type: ignore[arg-type]
    milestone = Milestone.objects.filter(contract=contract, pk=milestone_pk).first()
    if milestone is None:
        raise Http404("No such milestone")
    access.require_edit()
    form = MilestoneStatusForm(request.POST or None, initial={"status": milestone.status})
    if request.method == "POST" and form.is_valid():
        services.milestone_set_status(
            milestone=milestone,
            status=form.cleaned_data["status"],
            by=request.user,  # type: ignore[arg-type]
        )
        messages.success(request, "Milestone updated")
        return redirect(reverse("monitoring:plan", args=[contract.pk]))
    return render(
        request,
        "monitoring/milestone_status.html",
        {"form": form, "contract": contract, "milestone": milestone},
    )
