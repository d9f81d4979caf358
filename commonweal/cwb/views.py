"""Local economy pages: spend imports, local areas, suppliers and analyses."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_POST

from commonweal.accounts.access import request_user
from commonweal.accounts.models import Membership
from commonweal.accounts.organisation_pages import follow_job
from commonweal.core.downloads import csv_attachment, streamed_csv_attachment
from commonweal.core.exports import csv_writer, stored_csv_lines
from commonweal.core.jobs import job_start
from commonweal.core.uploads import reads_in_background, upload_keep, upload_reads_in_background
from commonweal.core.views import PAGE_SIZE, carry_out, querystring_without_page
from commonweal.cwb import analyses, local_areas, multiplier, paths, selectors, services, tasks
from commonweal.cwb.access import (
    can_edit,
    cwb_membership,
    link_decision_for_user,
    register_supplier_for_user,
    require_cwb_editor,
    review_pair_for_user,
    spend_import_for_user,
)
from commonweal.cwb.forms import (
    ColumnMappingForm,
    CreditorFileForm,
    Lm3StudyForm,
    LocalTiersForm,
    SpendUploadForm,
    SurveyAnswerForm,
    SurveySendForm,
)
from commonweal.cwb.models import (
    AnchorNetworkMember,
    Lm3Study,
    SpendImportRun,
    SupplierLinkDecision,
)
from commonweal.cwb.services import FIELD_LABELS, IncomingFile
from commonweal.spend_engine import classify
from commonweal.spend_engine.columns_by_value import suggest_columns
from commonweal.spend_engine.geography import AreaNotFound
from commonweal.spend_engine.layouts import MAPPABLE_FIELDS

#: Spend files kept for the background job that checks them (see ``core.uploads``).
SPEND_PURPOSE = "spend-files"

REJECTS_SHOWN = 100


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    membership = cwb_membership(request)
    organisation = membership.organisation
    return render(
        request,
        "cwb/overview.html",
        {
            "organisation": organisation,
            "can_edit": can_edit(membership),
            "recent_imports": selectors.spend_imports(organisation)[:5],
            "tiers": local_areas.local_tiers_for(organisation),
            "network_invitations": selectors.anchor_network_places(organisation)
            .filter(status=AnchorNetworkMember.Status.INVITED)
            .count(),
        },
    )


# --- imports ---------------------------------------------------------------------------------


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    membership = cwb_membership(request)
    imports = selectors.spend_imports(membership.organisation, with_drafts=can_edit(membership))
    page = Paginator(imports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cwb/import_list.html",
        {
            "page_obj": page,
            "querystring_without_page": querystring_without_page(request),
            "can_edit": can_edit(membership),
        },
    )


@login_required
def import_new(request: HttpRequest) -> HttpResponse:
    membership = cwb_membership(request)
    require_cwb_editor(membership)
    organisation = membership.organisation
    form = SpendUploadForm(
        request.POST or None,
        request.FILES or None,
        initial={"publisher": organisation.name},
    )
    if request.method == "POST" and form.is_valid():
        uploads = form.cleaned_data["spend_files"]
        if any(upload_reads_in_background(upload) for upload in uploads):
            # A workbook or a large file is checked by a background job.
            kept = [
                [upload.name, str(upload_keep(upload, purpose=SPEND_PURPOSE))] for upload in uploads
            ]
            job = job_start(
                organisation=organisation,
                kind="spend_files_check",
                title=f"Checking {len(kept)} spend file{pluralize(len(kept))}",
                by=request_user(request),
                task=tasks.check_spend_files,
                args=[
                    organisation.pk,
                    form.cleaned_data["publisher"],
                    kept,
                    request_user(request).pk,
                ],
            )
            return follow_job(job)
        with tempfile.TemporaryDirectory() as scratch:
            incoming = []
            for index, upload in enumerate(uploads):
                path = Path(scratch) / f"{index}{Path(upload.name).suffix.lower()}"
                with path.open("wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                incoming.append(IncomingFile(name=upload.name, path=path))
            try:
                run = services.spend_import_start(
                    organisation=organisation,
                    publisher=form.cleaned_data["publisher"],
                    files=incoming,
                    by=request_user(request),
                )
            except ValidationError as problem:
                for message in problem.messages:
                    form.add_error("spend_files", message)
            else:
                return redirect("cwb:import-check", pk=run.pk)
    return render(request, "cwb/import_new.html", {"form": form})


def _draft_for_editor(request: HttpRequest, pk: uuid.UUID) -> SpendImportRun:
    run, membership = spend_import_for_user(request, pk)
    require_cwb_editor(membership)
    if run.status != SpendImportRun.Status.DRAFT:
        raise Http404("This import has already been started")
    return run


@login_required
def import_columns(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    run = _draft_for_editor(request, pk)
    proposals = services.proposed_mappings(run)
    preview, mapping = next(((p, m) for p, m in proposals if m.missing_required), proposals[0])
    form = ColumnMappingForm(
        request.POST or None,
        headers=preview.headers,
        mapping=mapping,
        suggested=suggest_columns(mapping, preview.rows),
    )
    if request.method == "POST" and form.is_valid():
        chosen = {name: form.cleaned_data[name] for name in MAPPABLE_FIELDS}
        try:
            services.spend_import_set_mapping(run=run, mapping=chosen, by=request_user(request))
        except ValidationError as problem:
            for message in problem.messages:
                form.add_error(None, message)
        else:
            return redirect("cwb:import-check", pk=run.pk)
    return render(
        request,
        "cwb/import_columns.html",
        {
            "run": run,
            "form": form,
            "preview": preview,
            "missing": [services.field_in_sentence(name) for name in mapping.missing_required],
        },
    )


@login_required
def import_check(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    run = _draft_for_editor(request, pk)
    proposals = services.proposed_mappings(run)
    if any(mapping.missing_required for _, mapping in proposals):
        return redirect("cwb:import-columns", pk=run.pk)
    if request.method == "POST":
        try:
            job = services.spend_import_confirm(
                run=run, by=request_user(request), enqueue=tasks.import_spend.enqueue
            )
        except ValidationError as problem:
            for message in problem.messages:
                messages.error(request, message)
        else:
            return redirect("accounts:job-detail", pk=job.pk)
    files = []
    for preview, mapping in proposals:
        used = [
            (FIELD_LABELS[name], mapping.header_for(name))
            for name in MAPPABLE_FIELDS
            if name in mapping.columns
        ]
        rows = [
            [row[mapping.columns[name]] for name in MAPPABLE_FIELDS if name in mapping.columns]
            for row in preview.rows
        ]
        files.append(
            {
                "preview": preview,
                "used": used,
                "rows": rows,
                "unused": mapping.unmapped_headers,
                "duplicates": mapping.duplicates,
                "by_rule": [services.field_in_sentence(name) for name in mapping.by_rule],
            }
        )
    return render(request, "cwb/import_check.html", {"run": run, "files": files})


@login_required
@require_POST
def import_discard(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    run = _draft_for_editor(request, pk)
    services.spend_import_discard(run=run, by=request_user(request))
    messages.success(request, "The upload was discarded; nothing was imported")
    return redirect("cwb:import-list")


@login_required
def import_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    run, membership = spend_import_for_user(request, pk)
    if run.status == SpendImportRun.Status.DRAFT:
        if not can_edit(membership):
            raise Http404("This import has not been started")
        return redirect("cwb:import-check", pk=run.pk)
    rejects = list(islice(selectors.rejected_rows(run), REJECTS_SHOWN))
    mapping = [(FIELD_LABELS.get(name, name), header) for name, header in run.mapping.items()]
    context: dict[str, Any] = {
        "run": run,
        "files": run.files.all(),
        "rejects": rejects,
        "rejects_shown": REJECTS_SHOWN,
        "mapping": mapping,
        "can_edit": can_edit(membership),
    }
    if run.status == SpendImportRun.Status.COMPLETED:
        backlog = selectors.register_backlog(membership.organisation)
        context["backlog"] = backlog if run.pk in backlog.import_ids else None
        context["repeats"] = selectors.imports_repeated_by(run)
    return render(request, "cwb/import_detail.html", context)


@login_required
def import_withdraw(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    run, membership = spend_import_for_user(request, pk)
    require_cwb_editor(membership)
    if run.status != SpendImportRun.Status.COMPLETED:
        raise Http404("Only a finished import can be withdrawn")
    if request.method == "POST":
        services.spend_import_withdraw(run=run, by=request_user(request))
        messages.success(
            request, f"Spend import {run.reference} was withdrawn: its payments are not counted"
        )
        return redirect("cwb:import-detail", pk=run.pk)
    return render(request, "cwb/import_withdraw.html", {"run": run})


@login_required
def import_rejects_csv(request: HttpRequest, pk: uuid.UUID) -> StreamingHttpResponse:
    run, _ = spend_import_for_user(request, pk)
    path = selectors.rejects_path(run)
    if run.status != SpendImportRun.Status.COMPLETED or not path.is_file():
        raise Http404("This import has no rejected rows file")
    return streamed_csv_attachment(stored_csv_lines(path), f"rejected-rows-{run.reference}.csv")


# --- local areas -----------------------------------------------------------------------------


@login_required
def local_tiers(request: HttpRequest) -> HttpResponse:
    membership = cwb_membership(request)
    organisation = membership.organisation
    tiers = local_areas.local_tiers_for(organisation)
    editing = request.method == "POST" or request.GET.get("change") == "1" or tiers is None
    if editing and can_edit(membership):
        initial = (
            {
                "borough_lad_codes": ", ".join(tiers.borough_lad_codes),
                "combined_authority_lad_codes": ", ".join(tiers.combined_authority_lad_codes),
                "region_code": tiers.region_code,
                "deprived_decile_max": tiers.deprived_decile_max,
            }
            if tiers
            else {"deprived_decile_max": classify.DEFAULT_DEPRIVED_DECILE_MAX}
        )
        form = LocalTiersForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                local_areas.local_tiers_update(
                    organisation=organisation,
                    by=request_user(request),
                    **form.cleaned_data,
                )
            except ValidationError as problem:
                for field, errors in problem.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, "Your local areas were saved")
                return redirect("cwb:local-tiers")
        reason = ""
        if tiers is None:
            try:
                local_areas.worked_out_local_areas(organisation)
            except AreaNotFound as problem:
                reason = str(problem)
        return render(request, "cwb/local_tiers_form.html", {"form": form, "reason": reason})
    if request.method == "POST":
        require_cwb_editor(membership)
    return render(
        request,
        "cwb/local_tiers.html",
        {
            "tiers": tiers,
            "can_edit": can_edit(membership),
            "named": selectors.local_tier_names(tiers) if tiers else None,
        },
    )


@login_required
@require_POST
def local_tiers_work_out(request: HttpRequest) -> HttpResponse:
    """Replace the areas with those worked out from the authority lookup."""
    membership = cwb_membership(request)
    require_cwb_editor(membership)
    carry_out(
        request,
        lambda: local_areas.local_tiers_work_out(
            organisation=membership.organisation, by=request_user(request)
        ),
        "Your local areas were worked out again; link supplier names again to place "
        "suppliers in them",
    )
    return redirect("cwb:local-tiers")


def csv_response(filename: str, header: list[str], rows: Any) -> HttpResponse:
    response = csv_attachment(filename)
    writer = csv_writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


# --- suppliers -------------------------------------------------------------------------------


@login_required
def supplier_list(request: HttpRequest) -> HttpResponse:
    membership = cwb_membership(request)
    organisation = membership.organisation
    query = request.GET.get("q", "").strip()
    suppliers = selectors.register_suppliers(organisation, query)
    if request.GET.get("format") == "csv":
        return csv_response(
            "supplier-names.csv",
            selectors.SUPPLIER_CSV_HEADER,
            selectors.supplier_csv_rows(selectors.supplier_name_rows(organisation)),
        )
    page = Paginator(suppliers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cwb/supplier_list.html",
        {
            "page_obj": page,
            "query": query,
            "querystring_without_page": querystring_without_page(request),
            "can_edit": can_edit(membership),
            "link_run": selectors.latest_link_run(organisation),
            "review_count": selectors.review_pairs(organisation).count(),
            "has_imports": selectors.completed_imports(organisation.pk).exists(),
            "backlog": selectors.register_backlog(organisation),
            "coverage": selectors.register_coverage(organisation),
        },
    )


@login_required
def supplier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    supplier, _ = register_supplier_for_user(request, pk)
    return render(
        request,
        "cwb/supplier_detail.html",
        {"supplier": supplier, "names": supplier.names.order_by("-spend_pence", "raw_name")},
    )


@login_required
@require_POST
def supplier_link(request: HttpRequest) -> HttpResponse:
    membership = cwb_membership(request)
    require_cwb_editor(membership)
    link_run = services.supplier_link_start(
        organisation=membership.organisation,
        by=request_user(request),
        enqueue=tasks.link_suppliers_task.enqueue,
    )
    assert link_run.job_id is not None
    return redirect("accounts:job-detail", pk=link_run.job_id)


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    membership = cwb_membership(request)
    pairs = selectors.review_pairs(membership.organisation)
    page = Paginator(pairs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cwb/review_queue.html",
        {
            "page_obj": page,
            "querystring_without_page": querystring_without_page(request),
            "can_edit": can_edit(membership),
            "decisions": SupplierLinkDecision.objects.filter(organisation=membership.organisation)[
                :20
            ],
            "backlog": selectors.register_backlog(membership.organisation),
        },
    )


@login_required
@require_POST
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    pair, membership = review_pair_for_user(request, pk)
    require_cwb_editor(membership)
    carry_out(
        request,
        lambda: services.supplier_pair_decide(
            pair=pair,
            decision=request.POST.get("decision", ""),
            by=request_user(request),
        ),
        f"Your decision on {pair.name_a} and {pair.name_b} was saved. "
        "It is applied the next time suppliers are linked.",
    )
    return redirect("cwb:review-queue")


@login_required
def review_decisions(request: HttpRequest) -> HttpResponse:
    membership = cwb_membership(request)
    query = request.GET.get("q", "").strip()
    decisions = selectors.link_decisions(membership.organisation, query)
    page = Paginator(decisions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cwb/review_decisions.html",
        {
            "page_obj": page,
            "query": query,
            "querystring_without_page": querystring_without_page(request),
            "can_edit": can_edit(membership),
        },
    )


@login_required
@require_POST
def review_decision_change(request: HttpRequest, pk: int) -> HttpResponse:
    decision, membership = link_decision_for_user(request, pk)
    require_cwb_editor(membership)
    try:
        services.supplier_decision_change(
            decision=decision, to=request.POST.get("decision", ""), by=request_user(request)
        )
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    else:
        messages.success(
            request,
            f"{decision.shown_name_a} and {decision.shown_name_b} are now "
            f"'{decision.get_decision_display()}'. "
            "This is applied the next time suppliers are linked.",
        )
    return redirect("cwb:review-decisions")


CREDITOR_FILE_KEY = "cwb_creditor_file"
#: Suppliers listed by name on the confirmation page; any more are counted.
REMOVALS_SHOWN = 500


@login_required
def creditor_upload(request: HttpRequest) -> HttpResponse:
    membership = cwb_membership(request)
    require_cwb_editor(membership)
    form = CreditorFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["creditor_file"]
        # Kept (under a name of our choosing) until the import, or its confirmation, is done:
        # the content decides how it is read (CSV or workbook), not the name.
        folder = paths.creditor_uploads_dir(membership.organisation_id)
        shutil.rmtree(folder, ignore_errors=True)  # an earlier file nobody confirmed
        folder.mkdir(parents=True)
        path = folder / uuid.uuid4().hex
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        background = reads_in_background(path)
        request.session[CREDITOR_FILE_KEY] = {
            "file": path.name,
            "name": upload.name,
            "background": background,
        }
        if background:  # a workbook or a large file is read by a background job
            return _creditor_job(request, membership, path, upload.name, confirmed=[])
        return _creditor_import(request, membership, path, upload.name, form, confirmed=())
    return render(request, "cwb/creditor_upload.html", {"form": form})


def _creditor_job(
    request: HttpRequest, membership: Membership, path: Path, name: str, *, confirmed: list[str]
) -> HttpResponse:
    job = job_start(
        organisation=membership.organisation,
        kind="creditor_file",
        title=f"Reading the creditor file {name}",
        by=request_user(request),
        task=tasks.import_creditor_file,
        args=[membership.organisation_id, str(path), name, confirmed, request_user(request).pk],
    )
    return follow_job(job)


@login_required
def creditor_confirm(request: HttpRequest) -> HttpResponse:
    """Import the kept creditor file, removing the suppliers the person was shown (on a GET,
    show them: those a background job found the file would remove)."""
    membership = cwb_membership(request)
    require_cwb_editor(membership)
    kept = request.session.get(CREDITOR_FILE_KEY) or {}
    path = paths.creditor_uploads_dir(membership.organisation_id) / str(kept.get("file", ""))
    if not kept.get("file") or not path.is_file():
        messages.error(request, "Upload your creditor file again: the earlier one has gone.")
        return redirect("cwb:creditor-upload")
    if request.method != "POST":
        removed = services.creditor_removals_kept(path)
        if removed is None:
            return redirect("cwb:creditor-upload")
        return _creditor_confirmation(request, kept["name"], removed)
    if kept.get("background"):
        return _creditor_job(
            request, membership, path, kept["name"], confirmed=kept.get("removed", [])
        )
    return _creditor_import(
        request,
        membership,
        path,
        kept["name"],
        CreditorFileForm(),
        confirmed=kept.get("removed", []),
    )


def _creditor_import(
    request: HttpRequest,
    membership: Membership,
    path: Path,
    name: str,
    form: CreditorFileForm,
    *,
    confirmed: list[str] | tuple[str, ...],
) -> HttpResponse:
    try:
        count = services.creditor_file_import(
            organisation=membership.organisation,
            path=path,
            name=name,
            by=request_user(request),
            confirmed_removals=confirmed,
        )
    except services.CreditorRemovalsUnconfirmed as unconfirmed:
        return _creditor_confirmation(request, name, unconfirmed.removed)
    except ValidationError as problem:
        _forget_creditor_file(request, path)
        for message in problem.messages:
            form.add_error("creditor_file", message)
        return render(request, "cwb/creditor_upload.html", {"form": form})
    _forget_creditor_file(request, path)
    messages.success(
        request, f"{count} creditor records were saved. Link suppliers again to use them."
    )
    return redirect("cwb:supplier-list")


def _creditor_confirmation(
    request: HttpRequest, name: str, removed: list[tuple[str, str]]
) -> HttpResponse:
    """The page listing the suppliers a creditor file would remove, for the person to confirm."""
    request.session[CREDITOR_FILE_KEY] = {
        **request.session.get(CREDITOR_FILE_KEY, {}),
        "removed": [supplier_id for supplier_id, _ in removed],
    }
    return render(
        request,
        "cwb/creditor_confirm.html",
        {
            "file_name": name,
            "removed": removed[:REMOVALS_SHOWN],
            "removed_count": len(removed),
            "more": max(0, len(removed) - REMOVALS_SHOWN),
        },
    )


def _forget_creditor_file(request: HttpRequest, path: Path) -> None:
    path.unlink(missing_ok=True)
    request.session.pop(CREDITOR_FILE_KEY, None)


# --- analysis --------------------------------------------------------------------------------


def _analysis_year(request: HttpRequest, financial_year: str | None) -> tuple[Any, Any, Any]:
    """(membership, analysis, year) for the organisation acting now; year None when absent."""
    membership = cwb_membership(request)
    analysis = analyses.organisation_analysis(membership.organisation)
    return membership, analysis, analyses.year_of(analysis, financial_year)


@login_required
def analysis_dashboard(request: HttpRequest) -> HttpResponse:
    membership = cwb_membership(request)
    organisation = membership.organisation
    requested = request.GET.get("year") or None
    try:
        _, analysis, year = _analysis_year(request, requested)
    except analyses.AnalysisNotReady as problem:
        return render(request, "cwb/analysis_not_ready.html", {"reason": str(problem)}, status=200)
    if year is None:
        raise Http404("No spend in that financial year")
    export = request.GET.get("format")
    stem = f"spend-analysis-{year.financial_year}"
    if export == "csv":
        rows = analyses.csv_rows(year)
        return csv_response(f"{stem}.csv", rows[0], rows[1:])
    if export == "xlsx":
        response = HttpResponse(
            analyses.xlsx_bytes(year, organisation.name),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
        return response
    charts = [
        {
            "name": name,
            "title": title,
            "rows": analyses.chart_data(year, name),
            "percent_only": name == "local-shares",
        }
        for name, title in (
            ("local-shares", "Share of spend that stays local"),
            ("by-sector", "Spend by sector"),
            ("by-service-area", "Spend by service area"),
        )
    ]
    year_on_year = next(
        (c for c in analysis.year_on_year if c.financial_year == year.financial_year), None
    )
    # Spend imported after the last linkage counts as not local, in either year compared.
    previous = analyses.year_of(analysis, year_on_year.previous_year) if year_on_year else None
    comparison_unfair = bool(
        year.data_quality.unclassified.pence
        or (previous and previous.data_quality.unclassified.pence)
    )
    return render(
        request,
        "cwb/analysis.html",
        {
            "organisation": organisation,
            "analysis": analysis,
            "year": year,
            "headline": analyses.headline_rows(year),
            "charts": charts,
            "year_on_year": year_on_year,
            "comparison_unfair": comparison_unfair,
            "link_run": selectors.latest_link_run(organisation),
        },
    )


@login_required
def analysis_chart(request: HttpRequest, financial_year: str, chart: str) -> HttpResponse:
    if chart not in analyses.CHARTS:
        raise Http404("No such chart")
    try:
        _, _, year = _analysis_year(request, financial_year)
    except analyses.AnalysisNotReady as problem:
        raise Http404(str(problem)) from None
    if year is None:
        raise Http404("No spend in that financial year")
    return HttpResponse(analyses.chart_svg(year, chart), content_type="image/svg+xml")


# --- LM3 -------------------------------------------------------------------------------------


def _study_for_user(request: HttpRequest, pk: int) -> tuple[Lm3Study, Any]:
    membership = cwb_membership(request)
    study = Lm3Study.objects.filter(pk=pk, organisation_id=membership.organisation_id).first()
    if study is None:
        raise Http404("No such LM3 study")
    return study, membership


@login_required
def lm3_list(request: HttpRequest) -> HttpResponse:
    membership = cwb_membership(request)
    return render(
        request,
        "cwb/lm3_list.html",
        {
            "studies": Lm3Study.objects.filter(organisation=membership.organisation),
            "can_edit": can_edit(membership),
        },
    )


@login_required
def lm3_new(request: HttpRequest) -> HttpResponse:
    membership = cwb_membership(request)
    require_cwb_editor(membership)
    try:
        analysis = analyses.organisation_analysis(membership.organisation)
    except analyses.AnalysisNotReady as problem:
        return render(request, "cwb/analysis_not_ready.html", {"reason": str(problem)})
    years = [y.financial_year for y in reversed(analysis.years)]
    form = Lm3StudyForm(request.POST or None, years=years, initial={"boundary": "borough"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        include = bool(data["include_payroll"])
        staff_share = data.get("staff_local_respend_pence")
        try:
            study = multiplier.lm3_study_create(
                organisation=membership.organisation,
                by=request_user(request),
                financial_year=data["financial_year"],
                boundary=data["boundary"],
                include_payroll=include,
                payroll_pence=_pence(data.get("payroll_pounds")) if include else 0,
                local_staff_wages_pence=_pence(data.get("local_staff_wages_pounds"))
                if include
                else 0,
                staff_local_respend_share=None
                if staff_share is None
                else Decimal(staff_share) / 100,
                supplier_assumption_share=Decimal(data["supplier_assumption_pence"]) / 100,
                staff_assumption_share=Decimal(data["staff_assumption_pence"]) / 100,
                assumption_basis=data["assumption_basis"],
            )
        except ValidationError as problem:
            for message in problem.messages:
                form.add_error(None, message)
        else:
            return redirect("cwb:lm3-detail", pk=study.pk)
    return render(request, "cwb/lm3_new.html", {"form": form})


def _pence(pounds: Decimal | None) -> int:
    return 0 if pounds is None else int((pounds * 100).to_integral_value())


@login_required
def lm3_detail(request: HttpRequest, pk: int) -> HttpResponse:
    study, membership = _study_for_user(request, pk)
    try:
        outcome = multiplier.study_outcome(study)
    except analyses.AnalysisNotReady as problem:
        return render(request, "cwb/analysis_not_ready.html", {"reason": str(problem)})
    rows = [
        {"supplier": s, "survey": outcome.surveys.get(s.supplier_key)}
        for s in outcome.spend.local_suppliers
    ]
    return render(
        request,
        "cwb/lm3_detail.html",
        {
            "study": study,
            "outcome": outcome,
            "result": outcome.result,
            "coverage_percent": (
                None
                if outcome.result.survey_coverage is None
                else (outcome.result.survey_coverage * 100).quantize(Decimal("0.01"))
            ),
            "rows": rows,
            "can_edit": can_edit(membership),
        },
    )


@login_required
@require_POST
def lm3_survey_send(request: HttpRequest, pk: int) -> HttpResponse:
    study, membership = _study_for_user(request, pk)
    require_cwb_editor(membership)
    form = SurveySendForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("cwb:lm3-detail", pk=study.pk)
    try:
        spend = multiplier.year_spend(study.organisation, study.financial_year, study.boundary)
    except analyses.AnalysisNotReady as problem:
        raise Http404(str(problem)) from None
    supplier = next(
        (s for s in spend.local_suppliers if s.supplier_key == form.cleaned_data["supplier_key"]),
        None,
    )
    if supplier is None:
        raise Http404("That supplier is not a local supplier of this study")
    carry_out(
        request,
        lambda: multiplier.survey_send(
            study=study,
            supplier=supplier,
            email=form.cleaned_data["email"],
            by=request_user(request),
            link_for=lambda token: request.build_absolute_uri(
                reverse("cwb:survey-answer", args=[token])
            ),
        ),
        f"The survey was sent to {supplier.supplier_name}",
    )
    return redirect("cwb:lm3-detail", pk=study.pk)


def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The public re-spend question a supplier reaches from its email (no account needed)."""
    survey = multiplier.survey_for_token(token)
    if survey is None:
        raise Http404("This survey link is not valid")
    if survey.responded_at is not None:
        return render(request, "cwb/survey_thanks.html", {"survey": survey})
    form = SurveyAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            multiplier.survey_answer(
                survey=survey,
                pence_in_the_pound=form.cleaned_data["pence_in_the_pound"],
                respondent_name=form.cleaned_data["respondent_name"],
            )
        except ValidationError as problem:
            for message in problem.messages:
                form.add_error(None, message)
        else:
            return render(request, "cwb/survey_thanks.html", {"survey": survey})
    return render(request, "cwb/survey_answer.html", {"form": form, "survey": survey})
