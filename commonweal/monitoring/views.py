from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from commonweal.accounts.access import (
    active_membership,
    council_membership,
    request_user,
    require_role,
)
from commonweal.accounts.roles import Role
from commonweal.contracts.access import (
    VERIFIER_ROLES,
    commitment_for_user,
    contract_for_user,
    visible_contracts,
)
from commonweal.core.caching import SHARED, cached
from commonweal.core.downloads import csv_attachment
from commonweal.core.exports import csv_writer
from commonweal.core.forms import add_validation_errors
from commonweal.core.views import PAGE_SIZE, carry_out, querystring_without_page
from commonweal.monitoring import dashboard as dashboard_module
from commonweal.monitoring import figures, selectors, services
from commonweal.monitoring import performance_notice as performance_notice_module
from commonweal.monitoring.access import (
    evidence_for_user,
    kpi_for_user,
    line_for_user,
    milestone_for_user,
    period_for_user,
    recovery_action_for_user,
    return_for_user,
)
from commonweal.monitoring.evidence import EvidenceRefused
from commonweal.monitoring.forms import (
    AnswerForm,
    CaseStudyForm,
    EvidenceForm,
    KpiAssessmentForm,
    KpiForm,
    MilestoneForm,
    MilestoneStatusForm,
    PlanForm,
    RecoveryActionForm,
    RecoveryStatusForm,
    ReturnForm,
    SampleForm,
    SettingsForm,
    SubmitForm,
    VerificationForm,
)
from commonweal.monitoring.models import (
    MonitoringSettings,
    ReturnStatus,
)
from commonweal.monitoring.rules import ProcurementActKpis
from commonweal.monitoring.sampling import risk_based_sample
from commonweal.valuation.money import pounds_to_pence


@login_required
def monitoring_settings(request: HttpRequest) -> HttpResponse:
    membership = council_membership(request)
    council = membership.organisation
    current = selectors.settings_for(council)
    form = SettingsForm(
        request.POST if request.method == "POST" else None,
        initial=SettingsForm.initial_from(current),
    )
    if request.method == "POST":
        require_role(membership, [Role.COUNCIL_ADMIN])
        if form.is_valid():
            try:
                saved = services.settings_update(
                    council=council,
                    by=request_user(request),
                    **form.to_fields(),
                )
            except ValidationError as error:
                add_validation_errors(form, error)
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
            "history": selectors.settings_history(council),
        },
    )


@login_required
def delivery_plan(request: HttpRequest, pk: int) -> HttpResponse:
    contract, access = contract_for_user(request_user(request), pk)
    settings = selectors.settings_for(contract.council_id)
    commitments = list(
        contract.commitments.select_related("measure")
        .prefetch_related("years")
        .order_by("position")
    )
    if not selectors.needs_full_plan(contract, settings):
        return _milestone_tracker(request, contract, access, commitments, settings)
    periods = selectors.contract_periods(contract)
    current = selectors.plan_targets(contract)
    form = PlanForm(
        request.POST if request.method == "POST" else None,
        commitments=commitments,
        periods=periods,
        current=current,
    )
    if request.method == "POST":
        access.require_edit()
        if form.is_valid():
            try:
                services.targets_update(
                    contract=contract,
                    targets=form.targets(),
                    by=request_user(request),
                )
            except ValidationError as error:
                add_validation_errors(form, error)
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
    form = MilestoneForm(
        request.POST if request.method == "POST" else None, commitments=commitments
    )
    if request.method == "POST":
        access.require_edit()
        if form.is_valid():
            chosen = form.cleaned_data["commitment"]
            services.milestone_create(
                contract=contract,
                description=form.cleaned_data["description"],
                due_on=form.cleaned_data["due_on"],
                commitment=next((c for c in commitments if str(c.pk) == chosen), None),
                by=request_user(request),
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
            "milestones": selectors.contract_milestones(contract),
            "settings": settings,
        },
    )


@login_required
def milestone_status(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    milestone, contract, access = milestone_for_user(request_user(request), pk, milestone_pk)
    access.require_edit()
    form = MilestoneStatusForm(
        request.POST if request.method == "POST" else None, initial={"status": milestone.status}
    )
    if request.method == "POST" and form.is_valid():
        services.milestone_set_status(
            milestone=milestone,
            status=form.cleaned_data["status"],
            by=request_user(request),
        )
        messages.success(request, "Milestone updated")
        return redirect(reverse("monitoring:plan", args=[contract.pk]))
    return render(
        request,
        "monitoring/milestone_status.html",
        {"form": form, "contract": contract, "milestone": milestone},
    )


# --- Supplier returns ---------------------------------------------------------------------


@login_required
def return_list(request: HttpRequest) -> HttpResponse:
    """Returns due, drafts and queries for the supplier; every return for the council."""
    membership = active_membership(request)
    organisation = membership.organisation
    if not (organisation.is_council or organisation.is_supplier):
        raise Http404("Only councils and suppliers have returns")
    today = timezone.localdate()
    show = request.GET.get("show", "action")
    periods = selectors.reportable_periods(membership, today=today, needing_action=show == "action")
    page = Paginator(periods, PAGE_SIZE).get_page(request.GET.get("page"))
    can_verify = organisation.is_council and membership.role in VERIFIER_ROLES
    return render(
        request,
        "monitoring/return_list.html",
        {
            "page_obj": page,
            "rows": [(period, *selectors.period_state(period, today)) for period in page],
            "querystring_without_page": querystring_without_page(request),
            "today": today,
            "show": show,
            "is_supplier": organisation.is_supplier,
            "can_report": organisation.is_supplier
            and membership.role in (Role.SUPPLIER_ADMIN, Role.SUPPLIER_CONTRIBUTOR),
            "can_verify": can_verify,
            "waiting_for_me": (
                selectors.verification_queue(
                    membership, user=membership.user, mine_only=True
                ).count()
                if can_verify
                else 0
            ),
        },
    )


@login_required
@require_POST
def return_start(request: HttpRequest, period_pk: int) -> HttpResponse:
    period, access = period_for_user(request_user(request), period_pk)
    access.require_report()
    if period.ends_on > timezone.localdate():
        messages.error(request, f"You can report on {period.label} once it has ended")
        return redirect("monitoring:returns")
    supplier_return = services.return_start(period=period, by=request_user(request))
    return redirect("monitoring:return-edit", supplier_return.pk)


@login_required
def return_edit(request: HttpRequest, pk: int) -> HttpResponse:
    supplier_return, access = return_for_user(request_user(request), pk)
    access.require_report()
    if supplier_return.status != ReturnStatus.DRAFT:
        return redirect("monitoring:return-detail", supplier_return.pk)
    lines = selectors.return_lines(supplier_return)
    asks_wages = supplier_return.contract.requires_real_living_wage
    form = ReturnForm(
        request.POST if request.method == "POST" else None,
        lines=lines,
        asks_wages=asks_wages,
        initial={
            "narrative": supplier_return.narrative,
            "attests_contract_and_period": supplier_return.attests_contract_and_period,
            "attests_commitment": supplier_return.attests_commitment,
            "workforce_fte": supplier_return.workforce_fte,
            "lowest_hourly_rate_outside_london": supplier_return.lowest_hourly_rate_outside_london,
            "lowest_hourly_rate_in_london": supplier_return.lowest_hourly_rate_in_london,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.return_save(
            supplier_return=supplier_return,
            claims=form.claims(),
            narrative=form.cleaned_data["narrative"],
            attests_contract_and_period=form.cleaned_data["attests_contract_and_period"],
            attests_commitment=form.cleaned_data["attests_commitment"],
            by=request_user(request),
            workforce_fte=form.cleaned_data["workforce_fte"],
            details=form.details(),
        )
        if asks_wages:
            services.return_wages_save(
                supplier_return=supplier_return,
                lowest_outside_london=form.cleaned_data["lowest_hourly_rate_outside_london"],
                lowest_in_london=form.cleaned_data["lowest_hourly_rate_in_london"],
                by=request_user(request),
            )
        if "continue" in request.POST:
            return redirect("monitoring:return-check", supplier_return.pk)
        messages.success(request, "Your draft has been saved")
        return redirect("monitoring:return-edit", supplier_return.pk)
    return render(
        request,
        "monitoring/return_edit.html",
        {
            "form": form,
            "supplier_return": supplier_return,
            "contract": supplier_return.contract,
            "evidence": supplier_return.evidence.select_related("line__commitment__measure"),
            "case_studies": supplier_return.case_studies.all(),
        },
    )


@login_required
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    supplier_return, access = return_for_user(request_user(request), pk)
    access.require_report()
    lines = selectors.return_lines(supplier_return)
    form = EvidenceForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        lines=lines,
    )
    if request.method == "POST" and form.is_valid():
        try:
            record = services.evidence_add(
                supplier_return=supplier_return,
                upload=form.cleaned_data["file"],
                evidence_type=form.cleaned_data["evidence_type"],
                line=form.chosen_line(),
                by=request_user(request),
            )
        except EvidenceRefused as refused:
            form.add_error("file", str(refused))
        else:
            messages.success(request, f"{record.original_name} uploaded")
            target = (
                "monitoring:return-edit"
                if supplier_return.status == ReturnStatus.DRAFT
                else "monitoring:return-detail"
            )
            return redirect(target, supplier_return.pk)
    return render(
        request,
        "monitoring/evidence_upload.html",
        {"form": form, "supplier_return": supplier_return, "contract": supplier_return.contract},
    )


@login_required
def case_study_add(request: HttpRequest, pk: int) -> HttpResponse:
    supplier_return, access = return_for_user(request_user(request), pk)
    access.require_report()
    form = CaseStudyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_study_add(
                supplier_return=supplier_return,
                title=form.cleaned_data["title"],
                story=form.cleaned_data["story"],
                consent=form.cleaned_data["consent_to_publish"],
                by=request_user(request),
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Case study added")
            return redirect("monitoring:return-edit", supplier_return.pk)
    return render(
        request,
        "monitoring/case_study_add.html",
        {"form": form, "supplier_return": supplier_return, "contract": supplier_return.contract},
    )


@login_required
def return_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Check your answers, with the counting-rule findings, then submit."""
    supplier_return, access = return_for_user(request_user(request), pk)
    access.require_report()
    if supplier_return.status != ReturnStatus.DRAFT:
        return redirect("monitoring:return-detail", supplier_return.pk)
    form = SubmitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_submit(
                supplier_return=supplier_return,
                by=request_user(request),
                today=timezone.localdate(),
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            return redirect("monitoring:return-confirmation", supplier_return.pk)
    check = figures.return_check(supplier_return.pk)
    lines = selectors.return_lines(supplier_return)
    return render(
        request,
        "monitoring/return_check.html",
        {
            "form": form,
            "supplier_return": supplier_return,
            "contract": supplier_return.contract,
            "rows": [{"line": line, "value": check.claimed_pence.get(line.pk)} for line in lines],
            "findings": check.findings,
            "evidence": supplier_return.evidence.select_related("line__commitment__measure"),
            "case_studies": supplier_return.case_studies.all(),
        },
    )


@login_required
def return_confirmation(request: HttpRequest, pk: int) -> HttpResponse:
    supplier_return, access = return_for_user(request_user(request), pk)
    if supplier_return.status == ReturnStatus.DRAFT:
        return redirect("monitoring:return-edit", supplier_return.pk)
    return render(
        request,
        "monitoring/return_confirmation.html",
        {"supplier_return": supplier_return, "contract": supplier_return.contract},
    )


@login_required
def return_detail(request: HttpRequest, pk: int) -> HttpResponse:
    supplier_return, access = return_for_user(request_user(request), pk)
    lines = selectors.return_lines(supplier_return)
    return render(
        request,
        "monitoring/return_detail.html",
        {
            "supplier_return": supplier_return,
            "contract": supplier_return.contract,
            "access": access,
            "lines": lines,
            "evidence": supplier_return.evidence.select_related("line__commitment__measure"),
            "case_studies": supplier_return.case_studies.all(),
            "answer_form": AnswerForm(),
        },
    )


@login_required
@require_POST
def query_answer(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    line, access = line_for_user(request_user(request), pk, line_pk)
    access.require_report()
    form = AnswerForm(request.POST)
    if form.is_valid():
        carry_out(
            request,
            lambda: services.query_answer(
                line=line, body=form.cleaned_data["body"], by=request_user(request)
            ),
            "Your answer has been sent to the contract manager",
        )
    else:
        messages.error(request, "Enter your answer")
    return redirect(reverse("monitoring:return-detail", args=[pk]) + f"#line-{line.pk}")


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence is always a download, never shown inline, and only to people who may see the
    contract."""
    record, _ = evidence_for_user(request_user(request), pk)
    response = FileResponse(
        record.file.open("rb"),
        as_attachment=True,
        filename=record.original_name,
        content_type=record.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Verification -------------------------------------------------------------------------


@login_required
def verification_queue(request: HttpRequest) -> HttpResponse:
    membership = council_membership(request)
    if membership.role not in VERIFIER_ROLES:
        raise PermissionDenied("You need to be a contract manager or council admin to verify")
    mine = request.GET.get("show") != "all"
    returns = selectors.verification_queue(
        membership,
        user=membership.user,
        mine_only=mine,
    )
    page = Paginator(returns, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "monitoring/verification_queue.html",
        {
            "page_obj": page,
            "querystring_without_page": querystring_without_page(request),
            "mine": mine,
        },
    )


@login_required
def return_verify(request: HttpRequest, pk: int) -> HttpResponse:
    supplier_return, access = return_for_user(request_user(request), pk)
    access.require_verify()
    if supplier_return.status == ReturnStatus.DRAFT:
        raise Http404("This return has not been submitted")
    lines = selectors.return_lines(supplier_return)
    form = VerificationForm(
        request.POST if request.method == "POST" else None,
        lines=lines,
        initial={"version": supplier_return.version},
    )
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            services.return_verify(
                supplier_return=supplier_return,
                decisions=form.decisions(),
                expected_version=form.cleaned_data["version"],
                by=request_user(request),
            )
        except services.StaleReturn as error:
            stale = True
            # Keep this person's choices, show the latest decisions beside them, and let the
            # next save go ahead against the version they have now seen.
            supplier_return.refresh_from_db()
            lines = selectors.return_lines(supplier_return)
            data = request.POST.copy()
            data["version"] = str(supplier_return.version)
            form = VerificationForm(data, lines=lines)
            form.is_valid()
            add_validation_errors(form, error)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Your decisions have been saved")
            return redirect("monitoring:return-detail", supplier_return.pk)
    check = figures.return_check(supplier_return.pk)
    for line in form.lines:
        line.claimed_value_pence = check.claimed_pence.get(line.pk)  # type: ignore[attr-defined]
    sample_form = SampleForm(request.GET or None)
    sampled: set[int] = set()
    if sample_form.is_bound and sample_form.is_valid():
        sampled = risk_based_sample(
            [(line.pk, check.claimed_pence.get(line.pk)) for line in form.lines],
            above_pence=pounds_to_pence(sample_form.cleaned_data["above"]),
            share=sample_form.cleaned_data["share"] / 100,
            seed=sample_form.cleaned_data["seed"],
        )
    return render(
        request,
        "monitoring/return_verify.html",
        {
            "form": form,
            "stale": stale,
            "supplier_return": supplier_return,
            "contract": supplier_return.contract,
            "values": check.claimed_pence,
            "findings": check.findings,
            "sample_form": sample_form,
            "sampled": sampled,
        },
    )


# --- Recovery actions ---------------------------------------------------------------------


@login_required
def recovery_action_add(request: HttpRequest, pk: int, commitment_pk: int) -> HttpResponse:
    commitment, access = commitment_for_user(request_user(request), pk, commitment_pk)
    access.require_edit()
    form = RecoveryActionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.recovery_action_create(
            commitment=commitment,
            action=form.cleaned_data["action"],
            owner=form.cleaned_data["owner"],
            due_on=form.cleaned_data["due_on"],
            by=request_user(request),
        )
        messages.success(request, f"Recovery action added to {commitment.measure.code}")
        return redirect(reverse("contracts:detail", args=[pk]) + "#commitments")
    return render(
        request,
        "monitoring/recovery_action_add.html",
        {"form": form, "commitment": commitment, "contract": commitment.contract},
    )


@login_required
def recovery_action_status(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    recovery, contract, access = recovery_action_for_user(request_user(request), pk, action_pk)
    access.require_edit()
    form = RecoveryStatusForm(
        request.POST if request.method == "POST" else None, initial={"status": recovery.status}
    )
    if request.method == "POST" and form.is_valid():
        services.recovery_action_set_status(
            recovery=recovery,
            status=form.cleaned_data["status"],
            by=request_user(request),
        )
        messages.success(request, "Recovery action updated")
        return redirect(reverse("contracts:detail", args=[pk]) + "#commitments")
    return render(
        request,
        "monitoring/recovery_action_status.html",
        {"form": form, "recovery": recovery, "contract": contract},
    )


# --- Dashboards ---------------------------------------------------------------------------


def _council_dashboard_scope(request: HttpRequest) -> selectors.PortfolioScope:
    return selectors.PortfolioScope(council_membership(request), request.GET)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    membership = active_membership(request)
    organisation = membership.organisation
    today = timezone.localdate()
    if organisation.is_supplier:
        return _supplier_dashboard(request, membership, today)
    if not organisation.is_council:
        raise Http404("Dashboards are for councils and suppliers")
    scope = selectors.PortfolioScope(membership, request.GET)
    if request.GET.get("format") == "csv":
        response = csv_attachment(f"social-value-portfolio-{today.isoformat()}.csv")
        writer = csv_writer(response)
        rows = scope.rows.order_by("contract__reference", "commitment__position", "pk")
        writer.writerows(dashboard_module.csv_rows(figures.portfolio_rows(rows, scope.thresholds)))
        return response
    # The figures are kept as HTML until anything behind them changes, in the cache every server
    # process shares, so a busy dashboard reads them back instead of adding them up and laying
    # them out again in each process.
    body = cached(
        scope.cache_key + ":html",
        lambda: render_to_string(
            "monitoring/_dashboard_body.html",
            {
                **_dashboard_figures(scope),
                "chosen": scope.chosen,
                "filter_query": urlencode(scope.chosen),
                "chart_query": urlencode({**scope.chosen, "v": scope.version}),
            },
        ),
        store=SHARED,
    )
    return render(request, "monitoring/dashboard.html", {"body": body, "as_at": scope.as_at})


def _dashboard_figures(scope: selectors.PortfolioScope) -> dict[str, Any]:
    lists = scope.lists()
    return {
        "portfolio": scope.portfolio(),
        "overdue": lists.overdue,
        "overdue_count": lists.overdue_count,
        "directorates": lists.directorates,
        "suppliers": lists.suppliers,
    }


CHART_BROWSER_CACHE_SECONDS = 3600


@login_required
def dashboard_chart(request: HttpRequest, grouping: str) -> HttpResponse:
    """The bar chart of one grouping on the dashboard, as an SVG image."""
    if grouping not in dashboard_module.GROUPINGS:
        raise Http404("No such chart")
    scope = _council_dashboard_scope(request)
    label = dashboard_module.GROUPINGS[grouping]

    def draw() -> str:
        group = next(g for g in scope.portfolio().groups if g.key == grouping)
        return dashboard_module.chart_svg(f"Social value by {label.lower()}", group.rows)

    # Shared by every server process, as the dashboard around it is.
    svg = cached(f"{scope.cache_key}:chart:{grouping}", draw, store=SHARED)
    response = HttpResponse(svg, content_type="image/svg+xml")
    if request.GET.get("v") == scope.version:
        # The address names these very figures: the browser may keep the chart.
        response["Cache-Control"] = f"private, max-age={CHART_BROWSER_CACHE_SECONDS}"
    else:
        response["Cache-Control"] = "private, no-cache"
    return response


@login_required
def dashboard_lines(request: HttpRequest) -> HttpResponse:
    """The commitments behind any dashboard figure, each linking to its contract's working,
    returns and evidence."""
    scope = _council_dashboard_scope(request)
    rows = scope.rows.order_by("contract__reference", "measure__code", "pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "monitoring/dashboard_lines.html",
        {
            "page_obj": page,
            "table_rows": list(
                figures.portfolio_rows(cast(Any, page.object_list), scope.thresholds)
            ),
            "chosen": scope.chosen,
            "filter_query": urlencode(scope.chosen),
            "querystring_without_page": querystring_without_page(request),
        },
    )


def _supplier_dashboard(request: HttpRequest, membership: Any, today: Any) -> HttpResponse:
    contracts = visible_contracts(membership).select_related("council").order_by("end_date")
    due = selectors.reportable_periods(membership, today=today, needing_action=True)
    queries = selectors.queried_lines(contracts)
    return render(
        request,
        "monitoring/supplier_dashboard.html",
        {
            "contracts": contracts[:20],
            "contract_count": contracts.count(),
            "due": [(period, *selectors.period_state(period, today)) for period in due[:20]],
            "due_count": due.count(),
            "queries": queries[:20],
            "query_count": queries.count(),
        },
    )


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """Every reminder and notice sent to this person, newest first."""
    notifications = selectors.notifications_for(request_user(request))
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "monitoring/notification_list.html",
        {"page_obj": page, "querystring_without_page": querystring_without_page(request)},
    )


# --- Procurement Act KPIs and Contract Performance Notices --------------------------------


@login_required
def kpi_list(request: HttpRequest, pk: int) -> HttpResponse:
    contract, access = contract_for_user(request_user(request), pk)
    form = KpiForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        access.require_edit()
        if form.is_valid():
            services.kpi_create(
                contract=contract,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                by=request_user(request),
            )
            messages.success(request, "KPI added")
            return redirect("monitoring:kpis", contract.pk)
    kpis = selectors.contract_kpis(contract)
    return render(
        request,
        "monitoring/kpi_list.html",
        {
            "contract": contract,
            "access": access,
            "form": form,
            "kpis": kpis,
            "required": selectors.kpis_required(contract),
            "minimum": ProcurementActKpis.minimum,
        },
    )


@login_required
def kpi_assess(request: HttpRequest, pk: int, kpi_pk: int) -> HttpResponse:
    kpi, contract, access = kpi_for_user(request_user(request), pk, kpi_pk)
    access.require_edit()
    form = KpiAssessmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.kpi_assess(
                kpi=kpi,
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                rating=form.cleaned_data["rating"],
                explanation=form.cleaned_data["explanation"],
                by=request_user(request),
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"Rating recorded for {kpi.name}")
            return redirect("monitoring:kpis", contract.pk)
    return render(
        request, "monitoring/kpi_assess.html", {"form": form, "contract": contract, "kpi": kpi}
    )


@login_required
def performance_notice(request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
    """Contract Performance Notice data as CSV or JSON, for the council to publish."""
    contract, access = contract_for_user(request_user(request), pk)
    if file_format not in ("csv", "json"):
        raise Http404("Contract Performance Notices are available as CSV or JSON")
    if not access.is_council:
        raise PermissionDenied("Contract Performance Notices are the council's to publish")
    data = performance_notice_module.notice_data(contract)
    name = f"contract-performance-notice-{contract.reference}"
    if file_format == "json":
        response: HttpResponse = JsonResponse(data, json_dumps_params={"indent": 2})
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response
    response = csv_attachment(f"{name}.csv")
    csv_writer(response).writerows(performance_notice_module.notice_rows(data))
    return response
