from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.access import active_membership, council_membership, request_user
from commonweal.accounts.models import Membership, Organisation, User
from commonweal.accounts.organisation_pages import follow_job
from commonweal.contracts import importing, selectors, services, tasks
from commonweal.contracts.access import (
    CONTRACT_EDITOR_ROLES,
    commitment_for_user,
)
from commonweal.contracts.forms import (
    CommitmentsForm,
    ContractDetailsForm,
    ContractImportForm,
    VariationForm,
    years_of,
)
from commonweal.contracts.models import ContractSource
from commonweal.contracts.pages import contract_page_body, contract_page_for_user
from commonweal.core.jobs import job_start
from commonweal.core.uploads import kept_upload, reads_in_background, upload_forget, upload_keep
from commonweal.core.views import PAGE_SIZE, querystring_without_page
from commonweal.tabular import TableError
from commonweal.valuation.money import pounds_to_pence

NEW_CONTRACT_KEY = "new_contract_details"
IMPORT_KEY = "contract_import"
IMPORT_PURPOSE = "contract-imports"


def _require_editor(request: HttpRequest) -> Membership:
    membership = council_membership(request)
    if membership.role not in CONTRACT_EDITOR_ROLES:
        raise PermissionDenied(
            "You need to be a council admin, commissioner or contract manager to add contracts"
        )
    return membership


@login_required
def contract_list(request: HttpRequest) -> HttpResponse:
    membership = active_membership(request)
    if not (membership.organisation.is_council or membership.organisation.is_supplier):
        return render(request, "errors/404.html", status=404)
    sort = request.GET.get("sort", "start")
    descending = request.GET.get("order", "desc") == "desc"
    supplier_id = request.GET.get("supplier", "")
    filters = selectors.RegisterFilter(
        search=request.GET.get("q", "").strip(),
        directorate=request.GET.get("directorate", ""),
        supplier_id=int(supplier_id) if supplier_id.isdigit() else None,
        status=request.GET.get("status", ""),
        sort=sort if sort in selectors.SORTS else "start",
        descending=descending,
    )
    contracts = selectors.contract_register(membership, filters, today=timezone.localdate())
    page = Paginator(contracts, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("sort", None)
    params.pop("order", None)
    params.pop("page", None)
    base = params.urlencode()
    headings = []
    for key, label in (
        ("reference", "Reference"),
        ("title", "Title"),
        ("supplier", "Supplier"),
        ("value", "Value"),
        ("committed", "Social value committed"),
        ("start", "Starts"),
        ("end", "Ends"),
    ):
        current = filters.sort == key
        next_order = "asc" if current and descending else "desc"
        headings.append(
            {
                "label": label,
                "url": f"?{base + '&' if base else ''}sort={key}&order={next_order}",
                "aria_sort": ("descending" if descending else "ascending") if current else "none",
            }
        )
    suppliers = selectors.suppliers_of(membership)
    return render(
        request,
        "contracts/contract_list.html",
        {
            "page_obj": page,
            "querystring_without_page": querystring_without_page(request),
            "filters": filters,
            "headings": headings,
            "directorates": selectors.directorates(membership),
            "suppliers": suppliers,
            "is_council": membership.organisation.is_council,
            "can_add": membership.organisation.is_council
            and membership.role in CONTRACT_EDITOR_ROLES,
            "any_contracts": selectors.visible_contracts_exist(membership),
        },
    )


@login_required
def contract_create_details(request: HttpRequest) -> HttpResponse:
    membership = _require_editor(request)
    council = membership.organisation
    initial = request.session.get(NEW_CONTRACT_KEY) or {"price_year": timezone.localdate().year}
    form = ContractDetailsForm(
        request.POST if request.method == "POST" else None, council=council, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        request.session[NEW_CONTRACT_KEY] = form.to_session()
        return redirect("contracts:create-commitments")
    return render(request, "contracts/contract_create_details.html", {"form": form})


@login_required
def contract_create_commitments(request: HttpRequest) -> HttpResponse:
    membership = _require_editor(request)
    council = membership.organisation
    details = request.session.get(NEW_CONTRACT_KEY)
    if not details:
        return redirect("contracts:create")
    version = selectors.council_set_version(council, details["measure_set_version"])
    if version is None:
        return redirect("contracts:create")
    measures = selectors.set_version_measures(version)
    years = years_of(details)
    form = CommitmentsForm(
        request.POST if request.method == "POST" else None, measures=measures, years=years
    )
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.contract_create(
                council=council,
                supplier=Organisation.objects.get(pk=details["supplier"]),
                title=details["title"],
                reference=details["reference"],
                value_pence=pounds_to_pence(Decimal(details["value"])),
                start_date=date.fromisoformat(details["start_date"]),
                end_date=date.fromisoformat(details["end_date"]),
                directorate=details["directorate"],
                contract_manager=(
                    User.objects.get(pk=details["contract_manager"])
                    if details["contract_manager"]
                    else None
                ),
                measure_set_version=version,
                price_year=details["price_year"],
                reporting_frequency=details["reporting_frequency"],
                commitments=[
                    services.CommitmentInput(measure, by_year)
                    for measure, by_year in form.quantities()
                ],
                source=ContractSource.MANUAL,
                by=request_user(request),
            )
        except ValidationError as error:
            for messages_list in error.message_dict.values():
                for message in messages_list:
                    form.add_error(None, message)
        else:
            del request.session[NEW_CONTRACT_KEY]
            messages.success(request, f"Contract {contract.reference} added")
            return redirect("contracts:detail", contract.pk)
    return render(
        request,
        "contracts/contract_create_commitments.html",
        {
            "form": form,
            "details": details,
            "years": range(1, years + 1),
            "version": version,
        },
    )


def _kept_import(request: HttpRequest, council: Organisation) -> dict[str, Any] | None:
    """The upload this person is importing (from the session), if it is still kept."""
    stored = request.session.get(IMPORT_KEY)
    if not stored or kept_upload(stored.get("path", ""), purpose=IMPORT_PURPOSE) is None:
        return None
    return cast(dict[str, Any], stored) if stored.get("council") == council.pk else None


@login_required
def contract_import(request: HttpRequest) -> HttpResponse:
    membership = _require_editor(request)
    council = membership.organisation
    form = ContractImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        council=council,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        version = form.cleaned_data["measure_set_version"]
        if earlier := _kept_import(request, council):
            upload_forget(Path(earlier["path"]))
        path = upload_keep(upload, purpose=IMPORT_PURPOSE)
        request.session[IMPORT_KEY] = {
            "path": str(path),
            "name": upload.name,
            "council": council.pk,
            "version": version.pk,
            "price_year": form.cleaned_data["price_year"],
            # A workbook or a large file is read, checked and imported by background jobs.
            "background": reads_in_background(path),
        }
        if request.session[IMPORT_KEY]["background"]:
            return follow_job(
                job_start(
                    organisation=council,
                    kind="contract_register_check",
                    title=f"Checking {upload.name}",
                    by=request_user(request),
                    task=tasks.check_register,
                    args=[str(path), upload.name, council.pk, version.pk],
                )
            )
        try:
            rows = importing.rows_keep(path, upload.name)
        except TableError as problem:
            upload_forget(path)
            del request.session[IMPORT_KEY]
            form.add_error("file", str(problem))
        else:
            plan = importing.plan_import(rows, council=council, measure_set_version=version)
            return render(
                request,
                "contracts/contract_import_check.html",
                {"plan": plan, "file_name": upload.name, "version": version},
            )
    return render(request, "contracts/contract_import.html", {"form": form})


@login_required
def contract_import_check(request: HttpRequest) -> HttpResponse:
    """The check page of a register a background job has read."""
    council = _require_editor(request).organisation
    stored = _kept_import(request, council)
    rows = importing.rows_kept(Path(stored["path"])) if stored else None
    if stored is None or rows is None:
        return redirect("contracts:import")
    version = selectors.council_set_version(council, stored["version"])
    if version is None:
        return redirect("contracts:import")
    plan = importing.plan_import(rows, council=council, measure_set_version=version)
    return render(
        request,
        "contracts/contract_import_check.html",
        {"plan": plan, "file_name": stored["name"], "version": version},
    )


@login_required
def contract_import_confirm(request: HttpRequest) -> HttpResponse:
    membership = _require_editor(request)
    council = membership.organisation
    stored = _kept_import(request, council)
    rows = importing.rows_kept(Path(stored["path"])) if stored else None
    if request.method != "POST" or stored is None or rows is None:
        return redirect("contracts:import")
    version = selectors.council_set_version(council, stored["version"])
    if version is None:
        return redirect("contracts:import")
    if stored["background"]:
        del request.session[IMPORT_KEY]
        return follow_job(
            job_start(
                organisation=council,
                kind="contract_register_import",
                title=f"Import of the contracts in {stored['name']}",
                by=request_user(request),
                task=tasks.import_register,
                args=[
                    stored["path"],
                    council.pk,
                    version.pk,
                    stored["price_year"],
                    request_user(request).pk,
                ],
            )
        )
    plan = importing.plan_import(rows, council=council, measure_set_version=version)
    if plan.problems:
        return render(
            request,
            "contracts/contract_import_check.html",
            {"plan": plan, "file_name": stored["name"], "version": version},
        )
    try:
        created = importing.carry_out_import(
            plan,
            council=council,
            measure_set_version=version,
            price_year=stored["price_year"],
            by=request_user(request),
        )
    except importing.ImportFailed as failure:
        plan.problems = failure.problems
        return render(
            request,
            "contracts/contract_import_check.html",
            {"plan": plan, "file_name": stored["name"], "version": version},
        )
    upload_forget(Path(stored["path"]))
    del request.session[IMPORT_KEY]
    messages.success(request, f"{len(created)} contracts imported")
    return redirect("contracts:list")


@login_required
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    facts, access = contract_page_for_user(request_user(request), pk)
    body = contract_page_body(facts, access)
    return render(request, "contracts/contract_detail.html", {"contract": facts, "body": body})


@login_required
def commitment_vary(request: HttpRequest, pk: int, commitment_pk: int) -> HttpResponse:
    commitment, access = commitment_for_user(request_user(request), pk, commitment_pk)
    access.require_edit()
    contract = commitment.contract
    form = VariationForm(
        request.POST if request.method == "POST" else None,
        commitment=commitment,
        years=contract.contract_years,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_vary(
                commitment=commitment,
                quantities_by_year=form.quantities(),
                reason=form.cleaned_data["reason"],
                agreed_on=form.cleaned_data["agreed_on"],
                by=request_user(request),
            )
        except ValidationError as error:
            for messages_list in error.message_dict.values():
                for message in messages_list:
                    form.add_error(None, message)
        else:
            messages.success(request, f"Variation to {commitment.measure.code} recorded")
            return redirect(reverse("contracts:detail", args=[contract.pk]) + "#variations")
    return render(
        request,
        "contracts/commitment_vary.html",
        {"form": form, "commitment": commitment, "contract": contract},
    )
