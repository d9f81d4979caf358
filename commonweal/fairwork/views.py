"""Fair work pages: the Real Living Wage rates, the council's accreditation journey and plan,
suppliers' accreditation, contracts that require the wage and the compliance findings; and a
supplier's or partner's own declaration. Thin: access helper, form, service, redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from commonweal.accounts.access import request_user
from commonweal.accounts.models import LivingWageAccreditation
from commonweal.accounts.selectors import living_wage_index
from commonweal.contracts.models import Contract, ServiceCategory
from commonweal.core.downloads import attachment, csv_attachment
from commonweal.core.forms import add_validation_errors
from commonweal.core.views import PAGE_SIZE, querystring_without_page
from commonweal.fairwork import charts, exports, selectors, services, tasks
from commonweal.fairwork.access import (
    contract_for_council,
    council_access,
    declarer_membership,
    finding_for_user,
    plan_step_for_user,
    rate_addition_for_user,
    require_declarer,
    supplier_for_user,
)
from commonweal.fairwork.file_loads import FileLoad, confirm_page, upload_page
from commonweal.fairwork.forms import (
    ContractClauseForm,
    EventForm,
    FindingForm,
    OwnAccreditationForm,
    PlanStepForm,
    PolicyForm,
    RateForm,
    ScopeForm,
    SettingsForm,
    SupplierAccreditationForm,
)
from commonweal.fairwork.loading import RateRowIn, rates_template_csv
from commonweal.fairwork.models import FindingStatus, WageFinding
from commonweal.valuation.fair_work import Area, BelowRealLivingWage

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    access = council_access(request)
    council = access.council
    today = timezone.localdate()
    years = selectors.accredited_by_year(council, today)
    return render(
        request,
        "fairwork/overview.html",
        {
            "access": access,
            "today": today,
            "progress": selectors.accreditation_progress(council, today),
            "in_force": selectors.rates_in_force(council, today),
            "nlw": selectors.national_living_wage_in_force(today),
            "contracts_count": selectors.living_wage_contracts(council).count(),
            "open_findings": selectors.open_wage_findings_count(council),
            "years": years,
            "has_spend": any(y.spend_total_pence is not None for y in years),
        },
    )


@login_required
@require_safe
def chart(request: HttpRequest, kind: str) -> HttpResponse:
    """A chart of the overview page as an SVG image: contract value or spend by year."""
    if kind not in ("contracts", "spend"):
        raise Http404("No such chart")
    access = council_access(request)
    years = selectors.accredited_by_year(access.council, timezone.localdate())
    response = HttpResponse(
        charts.accredited_value_svg(years, spend=kind == "spend"), content_type="image/svg+xml"
    )
    response["Cache-Control"] = "private, no-cache"
    return response


# --- Rates -------------------------------------------------------------------------------------


@login_required
@require_safe
def rates(request: HttpRequest) -> HttpResponse:
    access = council_access(request)
    today = timezone.localdate()
    return render(
        request,
        "fairwork/rates.html",
        {
            "access": access,
            "rows": selectors.rate_rows(access.council),
            "in_force": selectors.rates_in_force(access.council, today),
            "nlw_rows": selectors.national_living_wage_table(),
            "today": today,
            "areas": list(Area),
        },
    )


@login_required
def rate_add(request: HttpRequest) -> HttpResponse:
    access = council_access(request)
    access.require_admin()
    form = RateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            addition = services.rate_add(
                council=access.council,
                year=data["year"],
                label=data["label"],
                announced_on=data["announced_on"],
                pay_by=data["pay_by"],
                uk_rate=data["uk_rate"],
                london_rate=data["london_rate"],
                source_title=data["source_title"],
                source_url=data["source_url"],
                by=request_user(request),
                today=timezone.localdate(),
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(
                request,
                f"The {addition.label} rate was added: due from {addition.pay_by:%d %B %Y}",
            )
            return redirect("fairwork:rates")
    return render(request, "fairwork/rate_add.html", {"form": form})


@login_required
def rate_remove(request: HttpRequest, pk: int) -> HttpResponse:
    addition, access = rate_addition_for_user(request, pk)
    access.require_admin()
    if request.method == "POST":
        services.rate_remove(addition=addition, by=request_user(request))
        messages.success(request, f"The {addition.label} rate your council added was removed")
        return redirect("fairwork:rates")
    return render(request, "fairwork/rate_remove.html", {"addition": addition})


@login_required
@require_safe
def rates_template(request: HttpRequest) -> HttpResponse:
    council_access(request)
    return attachment(rates_template_csv(), "text/csv; charset=utf-8", "real-living-wage-rates.csv")


RATES_LOAD = FileLoad(
    what="Real Living Wage rates",
    session_key="fairwork-rates-load",
    purpose=services.RATES_PURPOSE,
    read=services.rates_file_read,
    task=tasks.read_rates_file,
    upload_page="fairwork:rates-load",
    confirm_page="fairwork:rates-load-confirm",
    upload_template="fairwork/rates_load.html",
    confirm_template="fairwork/rates_load_confirm.html",
    upload_again="Upload the file of rates again",
)


@login_required
def rates_load(request: HttpRequest) -> HttpResponse:
    access = council_access(request)
    access.require_admin()
    return upload_page(request, access.council, RATES_LOAD)


@login_required
def rates_load_confirm(request: HttpRequest) -> HttpResponse:
    access = council_access(request)
    access.require_admin()

    def save(rows: list[RateRowIn], filename: str) -> str:
        added = services.rates_load(
            council=access.council, rows=rows, by=request_user(request), today=timezone.localdate()
        )
        return f"{len(added)} rate{'s' if len(added) != 1 else ''} added"

    return confirm_page(
        request, access.council, RATES_LOAD, row=RateRowIn, save=save, done_page="fairwork:rates"
    )


# --- The council's accreditation ---------------------------------------------------------------


@login_required
@require_safe
def accreditation(request: HttpRequest) -> HttpResponse:
    access = council_access(request)
    council = access.council
    today = timezone.localdate()
    return render(
        request,
        "fairwork/accreditation.html",
        {
            "access": access,
            "progress": selectors.accreditation_progress(council, today),
            "events": selectors.accreditation_events(council),
            "steps": selectors.plan_steps(council),
            "today": today,
        },
    )


@login_required
def accreditation_scope(request: HttpRequest) -> HttpResponse:
    access = council_access(request)
    access.require_edit()
    journey = selectors.accreditation_of(access.council)
    form = ScopeForm(
        request.POST or None,
        initial={
            "scope": journey.scope if journey else "",
            "renewal_due_on": journey.renewal_due_on if journey else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.accreditation_update(
            council=access.council,
            scope=form.cleaned_data["scope"],
            renewal_due_on=form.cleaned_data["renewal_due_on"],
            by=request_user(request),
        )
        messages.success(request, "The accreditation's scope and renewal date were saved")
        return redirect("fairwork:accreditation")
    return render(request, "fairwork/accreditation_scope.html", {"form": form})


@login_required
def accreditation_status(request: HttpRequest) -> HttpResponse:
    access = council_access(request)
    access.require_edit()
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event = services.accreditation_event_add(
            council=access.council,
            status=form.cleaned_data["status"],
            happened_on=form.cleaned_data["happened_on"],
            note=form.cleaned_data["note"],
            by=request_user(request),
        )
        messages.success(request, f"Recorded: {event.get_status_display()}")
        return redirect("fairwork:accreditation")
    return render(request, "fairwork/accreditation_status.html", {"form": form})


@login_required
def step_add(request: HttpRequest) -> HttpResponse:
    access = council_access(request)
    access.require_edit()
    form = PlanStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        step = services.plan_step_add(
            council=access.council,
            description=data["description"],
            owner=data["owner"],
            due_on=data["due_on"],
            by=request_user(request),
        )
        if data["status"] != step.status:
            services.plan_step_update(
                step=step,
                description=step.description,
                owner=step.owner,
                due_on=step.due_on,
                status=data["status"],
                done_on=data["done_on"],
                by=request_user(request),
            )
        messages.success(request, "Step added to the plan")
        return redirect("fairwork:accreditation")
    return render(request, "fairwork/step_form.html", {"form": form, "step": None})


@login_required
def step_edit(request: HttpRequest, pk: int) -> HttpResponse:
    step, access = plan_step_for_user(request, pk)
    access.require_edit()
    form = PlanStepForm(
        request.POST or None,
        initial={
            "description": step.description,
            "owner": step.owner,
            "due_on": step.due_on,
            "status": step.status,
            "done_on": step.done_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.plan_step_update(step=step, by=request_user(request), **data)
        messages.success(request, "Step saved")
        return redirect("fairwork:accreditation")
    return render(request, "fairwork/step_form.html", {"form": form, "step": step})


# --- Suppliers ---------------------------------------------------------------------------------


@login_required
@require_safe
def suppliers(request: HttpRequest) -> HttpResponse:
    access = council_access(request)
    query = request.GET.get("q", "").strip()
    index = living_wage_index(access.council)
    rows = selectors.council_suppliers(access.council, index, query)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "fairwork/suppliers.html",
        {
            "access": access,
            "page_obj": page,
            "query": query,
            "querystring_without_page": querystring_without_page(request),
            "accredited": sum(1 for r in rows if r.status and r.status.accredited),
        },
    )


@login_required
def supplier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    supplier, access = supplier_for_user(request, pk)
    records = selectors.supplier_records(access.council, supplier)
    ours = records["ours"]
    assert ours is None or isinstance(ours, LivingWageAccreditation)
    form = SupplierAccreditationForm(
        request.POST or None,
        initial={
            "basis": ours.basis if ours else "",
            "accredited_since": ours.accredited_since if ours else None,
            "evidence_url": ours.evidence_url if ours else "",
            "evidence_note": ours.evidence_note if ours else "",
            "checked_on": ours.checked_on if ours else None,
            "ended_on": ours.ended_on if ours else None,
        },
    )
    if request.method == "POST":
        access.require_edit()
        if form.is_valid():
            try:
                services.supplier_accreditation_record(
                    council=access.council,
                    supplier=supplier,
                    by=request_user(request),
                    **form.cleaned_data,
                )
            except ValidationError as problem:
                add_validation_errors(form, problem)
            else:
                messages.success(request, f"{supplier.name}'s accreditation was recorded")
                return redirect("fairwork:supplier-detail", supplier.pk)
    return render(
        request,
        "fairwork/supplier_detail.html",
        {
            "access": access,
            "supplier": supplier,
            "declared": records["declared"],
            "ours": ours,
            "form": form,
            "contracts": Contract.objects.filter(council=access.council, supplier=supplier),
            "status": living_wage_index(access.council).for_employer(supplier.pk),
        },
    )


# --- Contracts ---------------------------------------------------------------------------------


@login_required
def contracts(request: HttpRequest) -> HttpResponse:
    access = council_access(request)
    settings = selectors.settings_for(access.council)
    form = PolicyForm(request.POST or None, initial={"categories": settings.living_wage_categories})
    if request.method == "POST":
        access.require_edit()
        if form.is_valid():
            _, gained = services.living_wage_policy_set(
                council=access.council,
                categories=form.cleaned_data["categories"],
                by=request_user(request),
            )
            messages.success(
                request,
                f"Policy saved. {gained} contract{'s' if gained != 1 else ''} gained the Real "
                "Living Wage clause",
            )
            return redirect("fairwork:contracts")
    query = request.GET.get("q", "").strip()
    page = Paginator(selectors.council_contracts(access.council, query), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "fairwork/contracts.html",
        {
            "access": access,
            "form": form,
            "page_obj": page,
            "query": query,
            "querystring_without_page": querystring_without_page(request),
            "policy_labels": [ServiceCategory(c).label for c in settings.living_wage_categories],
            "requiring": selectors.living_wage_contracts(access.council).count(),
        },
    )


@login_required
def contract_clause(request: HttpRequest, pk: int) -> HttpResponse:
    contract, access = contract_for_council(request, pk)
    access.require_edit()
    form = ContractClauseForm(
        request.POST or None,
        initial={
            "service_category": contract.service_category,
            "requires": "yes" if contract.requires_real_living_wage else "policy",
        },
    )
    if request.method == "POST" and form.is_valid():
        services.contract_clause_set(
            contract=contract,
            service_category=form.cleaned_data["service_category"],
            requires=form.requires_value(),
            by=request_user(request),
            today=timezone.localdate(),
        )
        contract.refresh_from_db()
        state = "requires" if contract.requires_real_living_wage else "does not require"
        messages.success(request, f"{contract.reference} {state} the Real Living Wage")
        return redirect("fairwork:contracts")
    return render(request, "fairwork/contract_clause.html", {"form": form, "contract": contract})


# --- Findings ----------------------------------------------------------------------------------


@login_required
@require_safe
def findings(request: HttpRequest) -> HttpResponse:
    access = council_access(request)
    status = request.GET.get("status", "")
    status = status if status in FindingStatus.values else ""
    page = Paginator(selectors.wage_findings(access.council, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    checked = selectors.checked_returns(
        access.council, selectors.returns_to_check(access.council)[:PAGE_SIZE]
    )
    return render(
        request,
        "fairwork/findings.html",
        {
            "access": access,
            "page_obj": page,
            "status": status,
            "statuses": FindingStatus.choices,
            "checked": checked,
            "querystring_without_page": querystring_without_page(request),
            "rule": selectors.rule_text(BelowRealLivingWage),
        },
    )


@login_required
@require_POST
def findings_check(request: HttpRequest) -> HttpResponse:
    access = council_access(request)
    access.require_edit()
    run = services.wage_checks_run(council=access.council, today=timezone.localdate())
    messages.success(
        request,
        f"{run.returns_checked} return{'s' if run.returns_checked != 1 else ''} checked; "
        f"{run.findings_raised} new finding{'s' if run.findings_raised != 1 else ''}",
    )
    return redirect("fairwork:findings")


@login_required
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    finding, access = finding_for_user(request, pk)
    form = FindingForm(
        request.POST or None,
        initial={
            "action": finding.action,
            "action_owner": finding.action_owner,
            "action_due_on": finding.action_due_on,
            "action_status": finding.action_status,
            "resolution": finding.resolution,
        },
    )
    if request.method == "POST":
        access.require_edit()
        if form.is_valid():
            try:
                services.finding_update(
                    finding=finding, by=request_user(request), **form.cleaned_data
                )
            except ValidationError as problem:
                add_validation_errors(form, problem)
            else:
                messages.success(request, "The recovery action was saved")
                return redirect("fairwork:finding-detail", finding.pk)
    return render(
        request,
        "fairwork/finding_detail.html",
        {
            "finding": finding,
            "form": form,
            "access": access,
            "rule": selectors.rule_text(BelowRealLivingWage),
        },
    )


# --- Exports and settings ----------------------------------------------------------------------

TABLES = ("rates", "findings", "years")


def _table(name: str, request: HttpRequest) -> exports.Table:
    council = council_access(request).council
    if name == "findings":
        return exports.findings_table(council)
    if name == "years":
        return exports.by_year_table(selectors.accredited_by_year(council, timezone.localdate()))
    return exports.rates_table(council)


@login_required
@require_safe
def export_csv(request: HttpRequest) -> HttpResponse:
    council_access(request)
    name = request.GET.get("table", "rates")
    name = name if name in TABLES else "rates"
    response = csv_attachment(f"fair-work-{name}.csv")
    response.write(exports.csv_text(_table(name, request)))
    return response


@login_required
@require_safe
def export_xlsx(request: HttpRequest) -> HttpResponse:
    council_access(request)
    sheets = [
        ("Real Living Wage rates", _table("rates", request)),
        ("Accredited by year", _table("years", request)),
        ("Compliance findings", _table("findings", request)),
    ]
    return attachment(exports.xlsx_bytes(sheets), XLSX, "fair-work.xlsx")


@login_required
def fair_work_settings(request: HttpRequest) -> HttpResponse:
    access = council_access(request)
    current = selectors.settings_for(access.council)
    form = SettingsForm(
        request.POST or None, initial={"small_number_threshold": current.small_number_threshold}
    )
    if request.method == "POST":
        access.require_admin()
        if form.is_valid():
            services.settings_update(
                council=access.council,
                by=request_user(request),
                small_number_threshold=form.cleaned_data["small_number_threshold"],
            )
            messages.success(request, "Settings saved")
            return redirect("fairwork:settings")
    return render(request, "fairwork/settings.html", {"form": form, "access": access})


# --- A supplier's or partner's own accreditation -----------------------------------------------


@login_required
def own_accreditation(request: HttpRequest) -> HttpResponse:
    membership = declarer_membership(request)
    employer = membership.organisation
    declared = LivingWageAccreditation.objects.filter(
        employer=employer, council__isnull=True
    ).first()
    form = OwnAccreditationForm(
        request.POST or None,
        initial={
            "accredited_since": declared.accredited_since if declared else None,
            "evidence_url": declared.evidence_url if declared else "",
            "evidence_note": declared.evidence_note if declared else "",
            "ended_on": declared.ended_on if declared else None,
        },
    )
    if request.method == "POST":
        require_declarer(membership)
        if form.is_valid():
            try:
                services.own_accreditation_declare(
                    employer=employer, by=request_user(request), **form.cleaned_data
                )
            except ValidationError as problem:
                add_validation_errors(form, problem)
            else:
                messages.success(request, "Your Real Living Wage accreditation was saved")
                return redirect("fairwork:own-accreditation")
    verified_by = LivingWageAccreditation.objects.filter(
        employer=employer, council__isnull=False, basis="verified"
    ).select_related("council")
    return render(
        request,
        "fairwork/own_accreditation.html",
        {
            "form": form,
            "declared": declared,
            "verified_by": verified_by,
            "can_declare": membership.role in ("supplier_admin", "partner_contributor"),
        },
    )


@login_required
@require_safe
def own_findings(request: HttpRequest) -> HttpResponse:
    membership = declarer_membership(request)
    found = WageFinding.objects.filter(contract__supplier=membership.organisation).select_related(
        "contract__council", "supplier_return__period"
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "fairwork/own_findings.html",
        {"page_obj": page, "querystring_without_page": querystring_without_page(request)},
    )
