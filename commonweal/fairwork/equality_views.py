"""Equality Framework for Local Government pages: the modules and their levels, criteria
entered or loaded from a spreadsheet, a self-assessment per criterion with its history and
evidence, and the exports (Word for a peer challenge, CSV, XLSX)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from commonweal.accounts.access import request_user
from commonweal.core.downloads import attachment, csv_attachment
from commonweal.core.forms import add_validation_errors
from commonweal.cwb.analyses import AnalysisNotReady, headline_rows, organisation_analysis
from commonweal.fairwork import charts, exports, selectors, services, tasks
from commonweal.fairwork.access import (
    assessment_for_user,
    council_access,
    criterion_for_user,
    evidence_for_user,
)
from commonweal.fairwork.file_loads import FileLoad, confirm_page, upload_page
from commonweal.fairwork.forms import AssessmentForm, CriterionForm, EvidenceForm
from commonweal.fairwork.loading import (
    CriterionRowIn,
    criteria_template_csv,
    criteria_template_xlsx,
)
from commonweal.fairwork.models import EvidenceKind
from commonweal.frameworks.vocabulary import EflgModule
from commonweal.valuation.fair_work import EFLG_LEVELS, ModuleLevelFromCriteria

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    access = council_access(request)
    today = timezone.localdate()
    modules = selectors.module_summaries(access.council, today)
    has_criteria = any(m.rows for m in modules)
    return render(
        request,
        "fairwork/equality.html",
        {
            "access": access,
            "modules": modules,
            "today": today,
            "year_ago": selectors.year_ago(today),
            "has_criteria": has_criteria,
            "levels": EFLG_LEVELS,
            "rule": selectors.rule_text(ModuleLevelFromCriteria),
            "suppression": selectors.suppression_for(access.council),
        },
    )


@login_required
@require_safe
def chart(request: HttpRequest) -> HttpResponse:
    """Criteria at each level in each module, now and a year ago, as an SVG image."""
    access = council_access(request)
    modules = selectors.module_summaries(access.council, timezone.localdate())
    response = HttpResponse(charts.module_levels_svg(modules), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-cache"
    return response


def _module(key: str) -> tuple[str, int, str]:
    for number, (value, name) in enumerate(EflgModule.choices, start=1):
        if value == key:
            return value, number, str(name)
    raise Http404("No such module")


@login_required
@require_safe
def module(request: HttpRequest, key: str) -> HttpResponse:
    access = council_access(request)
    _module(key)
    summary = next(
        m for m in selectors.module_summaries(access.council, timezone.localdate()) if m.key == key
    )
    return render(
        request,
        "fairwork/eflg_module.html",
        {"access": access, "module": summary, "rule": selectors.rule_text(ModuleLevelFromCriteria)},
    )


@login_required
def criterion_add(request: HttpRequest) -> HttpResponse:
    access = council_access(request)
    access.require_edit()
    initial = {"module": request.GET.get("module", "")}
    form = CriterionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            criterion = services.criterion_add(
                council=access.council, by=request_user(request), **form.cleaned_data
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(request, f"Criterion {criterion.reference} added")
            return redirect("fairwork:eflg-module", criterion.module)
    return render(request, "fairwork/criterion_form.html", {"form": form, "criterion": None})


@login_required
def criterion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    criterion, access = criterion_for_user(request, pk)
    access.require_edit()
    form = CriterionForm(
        request.POST or None,
        initial={
            "module": criterion.module,
            "reference": criterion.reference,
            "text": criterion.text,
        },
    )
    form.fields["module"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_update(
                criterion=criterion,
                reference=form.cleaned_data["reference"],
                text=form.cleaned_data["text"],
                by=request_user(request),
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(request, f"Criterion {criterion.reference} saved")
            return redirect("fairwork:eflg-criterion", criterion.pk)
    return render(request, "fairwork/criterion_form.html", {"form": form, "criterion": criterion})


@login_required
@require_safe
def criteria_template(request: HttpRequest, extension: str) -> HttpResponse:
    council_access(request)
    if extension not in ("csv", "xlsx"):
        raise Http404("The template is a .csv or .xlsx file")
    if extension == "xlsx":
        return attachment(criteria_template_xlsx(), XLSX, "eflg-criteria-template.xlsx")
    return attachment(
        criteria_template_csv(), "text/csv; charset=utf-8", "eflg-criteria-template.csv"
    )


CRITERIA_LOAD = FileLoad(
    what="Equality Framework criteria",
    session_key="fairwork-criteria-load",
    purpose=services.CRITERIA_PURPOSE,
    read=services.criteria_file_read,
    task=tasks.read_criteria_file,
    upload_page="fairwork:eflg-criteria-load",
    confirm_page="fairwork:eflg-criteria-load-confirm",
    upload_template="fairwork/criteria_load.html",
    confirm_template="fairwork/criteria_load_confirm.html",
    upload_again="Upload the file of criteria again",
)


@login_required
def criteria_load(request: HttpRequest) -> HttpResponse:
    access = council_access(request)
    access.require_edit()
    return upload_page(request, access.council, CRITERIA_LOAD)


@login_required
def criteria_load_confirm(request: HttpRequest) -> HttpResponse:
    access = council_access(request)
    access.require_edit()

    def save(rows: list[CriterionRowIn], filename: str) -> str:
        created = services.criteria_load(
            council=access.council, rows=rows, filename=filename, by=request_user(request)
        )
        return f"{len(created)} criteria added"

    labels = dict(EflgModule.choices)
    return confirm_page(
        request,
        access.council,
        CRITERIA_LOAD,
        row=CriterionRowIn,
        save=save,
        done_page="fairwork:equality",
        shown=lambda rows: [(labels[r.module], r) for r in rows],
    )


@login_required
@require_safe
def criterion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    criterion, access = criterion_for_user(request, pk)
    today = timezone.localdate()
    history = list(selectors.criterion_history(criterion))
    suppression = selectors.suppression_for(access.council)
    figures = selectors.delivery_figures_for(
        [e.commitment_id for a in history for e in a.evidence.all() if e.commitment_id], today
    )
    rows = [
        (
            assessment,
            [
                (e, selectors.evidence_figure(e, suppression, figures))
                for e in assessment.evidence.all()
            ],
        )
        for assessment in history
    ]
    return render(
        request,
        "fairwork/criterion_detail.html",
        {
            "access": access,
            "criterion": criterion,
            "module_name": dict(EflgModule.choices)[criterion.module],
            "rows": rows,
            "current": selectors.latest_assessment(history, today),
        },
    )


@login_required
def assessment_add(request: HttpRequest, pk: int) -> HttpResponse:
    criterion, access = criterion_for_user(request, pk)
    access.require_edit()
    latest = criterion.assessments.first()
    form = AssessmentForm(
        request.POST or None,
        initial={"owner": latest.owner if latest else "", "assessed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_add(
                criterion=criterion,
                by=request_user(request),
                today=timezone.localdate(),
                **form.cleaned_data,
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(
                request, f"Assessed {criterion.reference} as {assessment.get_level_display()}"
            )
            return redirect("fairwork:eflg-evidence-add", assessment.pk)
    return render(request, "fairwork/assessment_form.html", {"form": form, "criterion": criterion})


def _spend_choices(request: HttpRequest) -> tuple[list[tuple[str, str]], dict[str, dict[str, Any]]]:
    """Figures from the council's spend analysis, year by year, to link as evidence."""
    council = council_access(request).council
    try:
        analysis = organisation_analysis(council)
    except AnalysisNotReady:
        return [], {}
    choices: list[tuple[str, str]] = []
    found: dict[str, dict[str, Any]] = {}
    for year in analysis.years:
        for number, (label, pence, percent) in enumerate(headline_rows(year)):
            key = f"{year.financial_year}|{number}"
            shown = f"£{Decimal(pence) / 100:,.2f}" + (
                f" ({percent}%)" if percent is not None else ""
            )
            choices.append((key, f"{year.financial_year}: {label}, {shown}"))
            found[key] = {
                "year": year.financial_year,
                "label": label,
                "pence": pence,
                "percent": percent,
            }
    return choices, found


@login_required
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, access = assessment_for_user(request, pk)
    access.require_edit()
    criterion = assessment.criterion
    tagged = selectors.commitments_for_module(access.council, criterion.module)
    others = [c for c in selectors.commitments_of_council(access.council) if c not in tagged]
    spend_choices, spend = _spend_choices(request)
    form = EvidenceForm(
        request.POST or None,
        request.FILES or None,
        commitments=[*tagged, *others],
        spend_choices=spend_choices,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.evidence_add(
                assessment=assessment,
                kind=data["kind"],
                description=data["description"],
                commitment=form.chosen_commitment(),
                spend=spend.get(data["spend_figure"])
                if data["kind"] == EvidenceKind.SPEND
                else None,
                url=data["url"],
                upload=data["file"],
                people_count=data["people_count"],
                characteristic=data["characteristic"],
                by=request_user(request),
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(request, "Evidence added")
            if "another" in request.POST:
                return redirect("fairwork:eflg-evidence-add", assessment.pk)
            return redirect("fairwork:eflg-criterion", criterion.pk)
    return render(
        request,
        "fairwork/evidence_form.html",
        {
            "form": form,
            "assessment": assessment,
            "criterion": criterion,
            "tagged_count": len(tagged),
            "has_spend": bool(spend_choices),
        },
    )


@login_required
@require_safe
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    evidence, _ = evidence_for_user(request, pk)
    if not evidence.file:
        raise Http404("No document")
    response = FileResponse(evidence.file.open("rb"), content_type=evidence.content_type)
    response["Content-Disposition"] = content_disposition_header(True, evidence.original_name)
    return response


def _as_of(request: HttpRequest) -> date:
    return timezone.localdate()


@login_required
@require_safe
def export_docx(request: HttpRequest) -> HttpResponse:
    access = council_access(request)
    return attachment(
        exports.self_assessment_docx(access.council, _as_of(request)),
        DOCX,
        "equality-framework-self-assessment.docx",
    )


@login_required
@require_safe
def export_csv(request: HttpRequest) -> HttpResponse:
    access = council_access(request)
    response = csv_attachment("equality-framework-self-assessment.csv")
    response.write(exports.csv_text(exports.self_assessment_table(access.council, _as_of(request))))
    return response


@login_required
@require_safe
def export_xlsx(request: HttpRequest) -> HttpResponse:
    access = council_access(request)
    table = exports.self_assessment_table(access.council, _as_of(request))
    return attachment(
        exports.xlsx_bytes([("Self-assessment", table)]),
        XLSX,
        "equality-framework-self-assessment.xlsx",
    )
