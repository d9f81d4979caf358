from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from commonweal.accounts.access import council_membership, request_user
from commonweal.commissioning import selectors, services
from commonweal.commissioning.access import (
    PLANNER_ROLES,
    procurement_for_user,
    require_planner,
    require_policy_admin,
)
from commonweal.commissioning.forms import (
    CompleteSectionForm,
    ConsiderationForm,
    MeasuresForm,
    PolicyForm,
    ProcurementDetailsForm,
    QuestionForm,
    WeightingForm,
)
from commonweal.commissioning.models import (
    PolicyVersion,
    Procurement,
    ProcurementStatus,
    Section,
)
from commonweal.commissioning.selectors import (
    chosen_measures,
    issue_problems,
    measure_limit,
    policy_history,
    procurements_for_council,
    published_set_versions,
    recommendations,
    task_list,
    threshold_facts,
)
from commonweal.commissioning.tender_pack import (
    BIDDER_GUIDANCE,
    evaluation_method,
    offer_workbook,
    tender_pack_docx,
)
from commonweal.core.downloads import attachment
from commonweal.core.forms import add_validation_errors
from commonweal.core.views import PAGE_SIZE, querystring_without_page
from commonweal.frameworks.models import LocalMeasureSetVersion, Measure

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def policy(request: HttpRequest) -> HttpResponse:
    membership = council_membership(request)
    history = policy_history(membership.organisation)
    return render(
        request,
        "commissioning/policy.html",
        {
            "council": membership.organisation,
            "current": history.first(),
            "history": history,
            "may_edit": membership.role == "council_admin",
        },
    )


@login_required
def policy_edit(request: HttpRequest) -> HttpResponse:
    membership = council_membership(request)
    council = require_policy_admin(membership)
    current = selectors.policy_in_force(council)
    initial = (
        PolicyForm.initial_from(current)
        if current
        else PolicyForm.initial_from(_default_policy(council))
    )
    initial["change_note"] = ""
    form = PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.policy_version_create(
                council=council,
                change_note=form.cleaned_data["change_note"],
                by=request_user(request),
                **form.policy_fields(),
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(request, f"Policy version {version.number} is now in force")
            return redirect("commissioning:policy")
    return render(request, "commissioning/policy_edit.html", {"form": form, "current": current})


def _default_policy(council: Any) -> PolicyVersion:
    """An unsaved policy with Commonweal's defaults, to start the form from."""
    return PolicyVersion(council=council)


@login_required
def procurement_list(request: HttpRequest) -> HttpResponse:
    membership = council_membership(request)
    page = Paginator(procurements_for_council(membership.organisation), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "commissioning/procurement_list.html",
        {
            "page_obj": page,
            "may_plan": membership.role in PLANNER_ROLES,
            "querystring_without_page": querystring_without_page(request),
        },
    )


@login_required
def procurement_create(request: HttpRequest) -> HttpResponse:
    membership = council_membership(request)
    require_planner(membership)
    council = membership.organisation
    form = ProcurementDetailsForm(
        request.POST or None, council=council, initial={"commissioner": request.user.pk}
    )
    if request.method == "POST" and form.is_valid():
        try:
            procurement = services.procurement_create(
                council=council, by=request_user(request), **form.cleaned_data
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(request, f"Procurement “{procurement.title}” started")
            return redirect("commissioning:detail", pk=procurement.pk)
    return render(request, "commissioning/details.html", {"form": form, "procurement": None})


@login_required
def procurement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    procurement, membership = procurement_for_user(request_user(request), pk)
    problems = issue_problems(procurement)
    return render(
        request,
        "commissioning/procurement_detail.html",
        {
            "procurement": procurement,
            "tasks": task_list(procurement),
            "facts": threshold_facts(procurement),
            "ready": not problems,
            "problems": problems,
            "may_plan": membership.role in PLANNER_ROLES
            and procurement.status == ProcurementStatus.PLANNING,
            "tender": getattr(procurement, "tender", None),
        },
    )


def _planning(request: HttpRequest, pk: int) -> Procurement:
    procurement, membership = procurement_for_user(request_user(request), pk)
    require_planner(membership)
    if procurement.status != ProcurementStatus.PLANNING:
        raise PermissionDenied("The tender has been issued, so the plan can no longer change")
    return procurement


@login_required
def procurement_details(request: HttpRequest, pk: int) -> HttpResponse:
    procurement = _planning(request, pk)
    fields = ProcurementDetailsForm.base_fields
    initial = {name: getattr(procurement, name) for name in fields}
    form = ProcurementDetailsForm(
        request.POST or None, council=procurement.council, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.procurement_update_details(
                procurement=procurement, by=request_user(request), **form.cleaned_data
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            return redirect("commissioning:detail", pk=procurement.pk)
    return render(request, "commissioning/details.html", {"form": form, "procurement": procurement})


def _completed(form: Any) -> bool:
    return bool(form.cleaned_data["completed"] == "yes")


def _initial_completed(procurement: Procurement, section: str) -> str | None:
    return "yes" if section in procurement.completed_sections else None


@login_required
def procurement_consideration(request: HttpRequest, pk: int) -> HttpResponse:
    procurement = _planning(request, pk)
    initial = {
        "wellbeing_improvements": procurement.wellbeing_improvements,
        "consulted": {True: "yes", False: "no"}.get(procurement.consulted),  # type: ignore[arg-type]
        "consultation_details": procurement.consultation_details,
        "local_priorities": procurement.local_priorities,
        "decision": procurement.decision,
        "completed": _initial_completed(procurement, Section.CONSIDERATION),
    }
    form = ConsiderationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.procurement_record_consideration(
                procurement=procurement,
                by=request_user(request),
                wellbeing_improvements=data["wellbeing_improvements"],
                consulted={"yes": True, "no": False}.get(data["consulted"]),
                consultation_details=data["consultation_details"],
                local_priorities=data["local_priorities"],
                decision=data["decision"],
                completed=_completed(form),
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            return redirect("commissioning:detail", pk=procurement.pk)
    return render(
        request, "commissioning/consideration.html", {"form": form, "procurement": procurement}
    )


@login_required
def procurement_measures(request: HttpRequest, pk: int) -> HttpResponse:
    procurement = _planning(request, pk)
    versions = published_set_versions(procurement.council)
    version_ids = [v.pk for v in versions]
    chosen_version = procurement.measure_set_version or (versions[0] if versions else None)
    requested = request.POST.get("set_version") or request.GET.get("set_version")
    if requested and requested.isdigit() and int(requested) in version_ids:
        chosen_version = next(v for v in versions if v.pk == int(requested))
    set_measures = (
        list(
            Measure.objects.filter(pk__in=chosen_version.items.values("measure_id")).select_related(
                "outcome__theme", "proxy"
            )
        )
        if chosen_version
        else []
    )
    ranked = recommendations(procurement, set_measures)
    form = MeasuresForm(
        request.POST or None,
        set_versions=LocalMeasureSetVersion.objects.filter(pk__in=version_ids),
        measure_choices=[
            (str(r.measure.pk), f"{r.measure.code} {r.measure.title}") for r in ranked
        ],
        initial={
            "set_version": chosen_version.pk if chosen_version else None,
            "measures": [str(m.pk) for m in chosen_measures(procurement)],
            "completed": _initial_completed(procurement, Section.MEASURES),
        },
    )
    if request.method == "POST" and form.is_valid():
        by_pk = {str(m.pk): m for m in set_measures}
        picked = [by_pk[pk] for pk in form.cleaned_data["measures"] if pk in by_pk]
        try:
            services.procurement_choose_measures(
                procurement=procurement,
                by=request_user(request),
                set_version=form.cleaned_data["set_version"],
                measures=picked,
                completed=_completed(form),
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            return redirect("commissioning:detail", pk=procurement.pk)
    selected = set(form["measures"].value() or [])
    return render(
        request,
        "commissioning/measures.html",
        {
            "form": form,
            "procurement": procurement,
            "ranked": ranked,
            "selected": selected,
            "limit": measure_limit(procurement),
            "versions": versions,
        },
    )


@login_required
def procurement_weighting(request: HttpRequest, pk: int) -> HttpResponse:
    procurement = _planning(request, pk)
    names = [n for n in WeightingForm.base_fields if n != "completed"]
    initial: dict[str, Any] = {n: getattr(procurement, n) for n in names}
    initial["completed"] = _initial_completed(procurement, Section.WEIGHTING)
    form = WeightingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {n: form.cleaned_data[n] for n in names}
        try:
            services.procurement_set_weighting(
                procurement=procurement,
                by=request_user(request),
                completed=_completed(form),
                **fields,
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            return redirect("commissioning:detail", pk=procurement.pk)
    return render(
        request, "commissioning/weighting.html", {"form": form, "procurement": procurement}
    )


@login_required
def procurement_questions(request: HttpRequest, pk: int) -> HttpResponse:
    procurement = _planning(request, pk)
    form = CompleteSectionForm(
        request.POST or None,
        initial={"completed": _initial_completed(procurement, Section.QUESTIONS)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.procurement_complete_questions(
                procurement=procurement, by=request_user(request), completed=_completed(form)
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            return redirect("commissioning:detail", pk=procurement.pk)
    return render(
        request,
        "commissioning/questions.html",
        {"form": form, "procurement": procurement, "questions": procurement.questions.all()},
    )


@login_required
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    procurement = _planning(request, pk)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_add(
                procurement=procurement, by=request_user(request), **form.cleaned_data
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(request, "Question added")
            return redirect("commissioning:questions", pk=procurement.pk)
    return render(
        request, "commissioning/question_add.html", {"form": form, "procurement": procurement}
    )


@login_required
@require_POST
def question_remove(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    procurement = _planning(request, pk)
    question = get_object_or_404(procurement.questions, pk=question_pk)
    try:
        services.question_remove(question=question, by=request_user(request))
    except ValidationError as problem:
        messages.error(request, problem.messages[0])
    else:
        messages.success(request, "Question removed")
    return redirect("commissioning:questions", pk=procurement.pk)


@login_required
def tender_pack(request: HttpRequest, pk: int) -> HttpResponse:
    procurement, _ = procurement_for_user(request_user(request), pk)
    return render(
        request,
        "commissioning/tender_pack.html",
        {
            "procurement": procurement,
            "measures": chosen_measures(procurement),
            "method": evaluation_method(procurement),
            "guidance": BIDDER_GUIDANCE,
            "questions": procurement.questions.all(),
            "years": range(1, procurement.contract_years + 1),
        },
    )


@login_required
def tender_pack_docx_download(request: HttpRequest, pk: int) -> HttpResponse:
    procurement, _ = procurement_for_user(request_user(request), pk)
    return attachment(tender_pack_docx(procurement), DOCX, f"tender-pack-{procurement.pk}.docx")


@login_required
def offer_template_download(request: HttpRequest, pk: int) -> HttpResponse:
    procurement, _ = procurement_for_user(request_user(request), pk)
    return attachment(offer_workbook(procurement), XLSX, f"offer-template-{procurement.pk}.xlsx")
