"""The programme office's pages: decisions and priority actions, events, engagement, the
annual progress report (draft, edit, publish, versions, downloads) and the records behind
each of its figures. Councillors (viewers) read; officers change; a council admin publishes."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from commonweal.accounts.access import request_user
from commonweal.accounts.models import Organisation
from commonweal.commissioning.models import Route
from commonweal.core.caching import cached
from commonweal.core.downloads import attachment
from commonweal.core.forms import add_validation_errors
from commonweal.core.views import PAGE_SIZE, querystring_without_page
from commonweal.monitoring import figures as monitoring_figures
from commonweal.monitoring.figures import figures_stamp
from commonweal.monitoring.selectors import settings_for, thresholds_of
from commonweal.reporting import selectors, services
from commonweal.reporting.access import (
    ProgrammeAccess,
    action_for_user,
    council_programme,
    decision_for_user,
    engagement_for_user,
    event_for_user,
    programme_access,
    recommendation_for_user,
    report_for_user,
    report_version_for_user,
)
from commonweal.reporting.document import (
    NoPolicyYears,
    build_document,
    scope_for,
    value_band_of,
    weighting_of,
)
from commonweal.reporting.evidence import KINDS, evidence_address
from commonweal.reporting.forms import (
    ActionForm,
    DecisionForm,
    EngagementForm,
    EntryForm,
    EventForm,
    EvidenceKindForm,
    EvidenceRecordForm,
    NarrativeForm,
    NewActionForm,
    ProgressForm,
    PublishForm,
    RecommendationForm,
    SettingsForm,
    StartReportForm,
)
from commonweal.reporting.models import (
    OPEN_STATUSES,
    ActionEvidence,
    ActionStatus,
    ProgressReport,
    ReportVersion,
)
from commonweal.reporting.outputs import DOCX, chart_svg, docx_bytes, has_chart, table_of
from commonweal.reporting.years import reporting_settings_of
from commonweal.valuation.programme import ValueBand

DRAFT_SECONDS = 60
"""A draft is worked out from the data when read; its page and charts share one working for
this long, so the charts under a page do not each work the whole report out again."""


def _post(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


# --- Overview and settings ---------------------------------------------------------------


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    council, access = council_programme(request)
    today = timezone.localdate()
    attention = selectors.actions_needing_attention(council, today=today)
    return render(
        request,
        "reporting/overview.html",
        {
            "council": council,
            "access": access,
            "attention": list(attention[:10]),
            "attention_count": attention.count(),
            "today": today,
            "decisions": list(selectors.decisions_for(council)[:5]),
            "events": list(selectors.events_for(council).order_by("-held_on")[:5]),
            "engagements": list(selectors.engagements_for(council)[:5]),
            "years": selectors.report_years(council),
            "reports": selectors.reports_for(council),
            "settings": reporting_settings_of(council),
        },
    )


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    council, access = council_programme(request)
    current = reporting_settings_of(council)
    form = SettingsForm(
        _post(request),
        initial={
            "policy_adopted_on": current.policy_adopted_on,
            "year_starts_day": current.year_starts_day,
            "year_starts_month": current.year_starts_month,
            "public_pages": current.public_pages,
        },
    )
    if request.method == "POST":
        access.require_publish()
        if form.is_valid():
            try:
                services.settings_update(
                    council=council, by=request_user(request), **form.cleaned_data
                )
            except ValidationError as problem:
                add_validation_errors(form, problem)
            else:
                messages.success(request, "Reporting settings saved")
                return redirect("reporting:overview")
    return render(
        request, "reporting/settings.html", {"form": form, "access": access, "council": council}
    )


# --- Decisions, recommendations and actions ----------------------------------------------


@login_required
def decision_list(request: HttpRequest) -> HttpResponse:
    council, access = council_programme(request)
    page = Paginator(selectors.decisions_for(council), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/decision_list.html",
        {
            "page_obj": page,
            "access": access,
            "querystring_without_page": querystring_without_page(request),
        },
    )


@login_required
def decision_new(request: HttpRequest) -> HttpResponse:
    council, access = council_programme(request)
    access.require_edit()
    form = DecisionForm(_post(request))
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_create(
                council=council, by=request_user(request), **form.cleaned_data
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(request, "Decision recorded. Now add its recommendations")
            return redirect("reporting:decision", decision.pk)
    return render(request, "reporting/decision_form.html", {"form": form, "decision": None})


@login_required
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision, access = decision_for_user(request_user(request), pk)
    return render(
        request,
        "reporting/decision_detail.html",
        {
            "decision": decision,
            "access": access,
            "recommendations": selectors.recommendations_with_actions(decision),
            "today": timezone.localdate(),
        },
    )


@login_required
def decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    decision, access = decision_for_user(request_user(request), pk)
    access.require_edit()
    form = DecisionForm(
        _post(request),
        initial={
            name: getattr(decision, name)
            for name in ("meeting", "decided_on", "report_title", "reference", "summary")
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_update(
                decision=decision, by=request_user(request), **form.cleaned_data
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(request, "Decision updated")
            return redirect("reporting:decision", decision.pk)
    return render(request, "reporting/decision_form.html", {"form": form, "decision": decision})


@login_required
def recommendation_new(request: HttpRequest, pk: int) -> HttpResponse:
    decision, access = decision_for_user(request_user(request), pk)
    access.require_edit()
    form = RecommendationForm(_post(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_add(
                decision=decision, by=request_user(request), **form.cleaned_data
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(request, f"Recommendation ({form.cleaned_data['label']}) added")
            if "another" in request.POST:
                return redirect("reporting:recommendation-new", decision.pk)
            return redirect("reporting:decision", decision.pk)
    return render(
        request,
        "reporting/recommendation_form.html",
        {"form": form, "decision": decision, "recommendation": None},
    )


@login_required
def recommendation_edit(request: HttpRequest, pk: int, recommendation_pk: int) -> HttpResponse:
    recommendation, access = recommendation_for_user(request_user(request), pk, recommendation_pk)
    access.require_edit()
    form = RecommendationForm(
        _post(request), initial={"label": recommendation.label, "text": recommendation.text}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_update(
                recommendation=recommendation, by=request_user(request), **form.cleaned_data
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(request, "Recommendation updated")
            return redirect("reporting:decision", pk)
    return render(
        request,
        "reporting/recommendation_form.html",
        {"form": form, "decision": recommendation.decision, "recommendation": recommendation},
    )


def _new_action(
    request: HttpRequest, access: ProgrammeAccess, *, back: str, heading: str, **parent: Any
) -> HttpResponse:
    access.require_edit()
    council = access.membership.organisation
    form = NewActionForm(_post(request), owners=selectors.council_members(council))
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(
                council=council, by=request_user(request), **parent, **form.cleaned_data
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(request, f"Action added: {action.title}")
            return redirect(back)
    return render(
        request, "reporting/action_form.html", {"form": form, "back": back, "heading": heading}
    )


@login_required
def action_new(request: HttpRequest, pk: int, recommendation_pk: int) -> HttpResponse:
    recommendation, access = recommendation_for_user(request_user(request), pk, recommendation_pk)
    return _new_action(
        request,
        access,
        back=reverse("reporting:decision", args=[pk]) + f"#recommendation-{recommendation.pk}",
        heading=f"Add an action under recommendation ({recommendation.label})",
        recommendation=recommendation,
    )


@login_required
def event_action_new(request: HttpRequest, pk: int) -> HttpResponse:
    event, access = event_for_user(request_user(request), pk)
    return _new_action(
        request,
        access,
        back=reverse("reporting:event", args=[pk]),
        heading=f"Add a follow-up action to {event.title}",
        event=event,
    )


@login_required
def action_list(request: HttpRequest) -> HttpResponse:
    council, access = council_programme(request)
    today = timezone.localdate()
    actions = selectors.council_actions(council)
    status = request.GET.get("status", "")
    overdue = request.GET.get("overdue") == "1"
    mine = request.GET.get("mine") == "1"
    actions = selectors.filter_actions(actions, status=status, overdue=overdue, today=today)
    if mine:
        actions = actions.filter(owner=request_user(request))
    page = Paginator(actions.order_by("due_on", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/action_list.html",
        {
            "page_obj": page,
            "access": access,
            "today": today,
            "statuses": ActionStatus.choices,
            "chosen_status": status,
            "overdue": overdue,
            "mine": mine,
            "querystring_without_page": querystring_without_page(request),
        },
    )


@login_required
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action, access = action_for_user(request_user(request), pk)
    return render(
        request,
        "reporting/action_detail.html",
        {
            "action": action,
            "access": access,
            "today": timezone.localdate(),
            "updates": selectors.action_updates(action),
            "accreditation": selectors.linked_accreditation_progress(
                action, today=timezone.localdate()
            ),
            "evidence": [
                (link, evidence_address(link.kind, link.record_id), KINDS[link.kind].label)
                for link in action.evidence.all()
                if link.kind in KINDS
            ],
        },
    )


@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action, access = action_for_user(request_user(request), pk)
    access.require_edit()
    form = ActionForm(
        _post(request),
        owners=selectors.council_members(action.council_id),
        initial={
            "title": action.title,
            "description": action.description,
            "owner": action.owner_id,
            "partners": action.partners,
            "due_on": action.due_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(action=action, by=request_user(request), **form.cleaned_data)
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(request, "Action updated")
            return redirect("reporting:action", action.pk)
    return render(
        request,
        "reporting/action_form.html",
        {
            "form": form,
            "back": reverse("reporting:action", args=[action.pk]),
            "heading": "Change the action",
        },
    )


@login_required
def action_progress(request: HttpRequest, pk: int) -> HttpResponse:
    action, access = action_for_user(request_user(request), pk)
    access.require_edit()
    form = ProgressForm(
        _post(request),
        initial={
            "written_on": timezone.localdate(),
            "status": action.status,
            "status_reason": action.status_reason,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_progress(action=action, by=request_user(request), **form.cleaned_data)
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(request, "Progress recorded")
            return redirect("reporting:action", action.pk)
    return render(request, "reporting/action_progress.html", {"form": form, "action": action})


@login_required
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Link a record as evidence, in two steps: which kind of record, then which one."""
    action, access = action_for_user(request_user(request), pk)
    access.require_edit()
    kind = request.GET.get("kind", "")
    if kind not in KINDS:
        form = EvidenceKindForm(request.GET if "kind" in request.GET else None)
        form.is_valid()
        return render(request, "reporting/evidence_kind.html", {"form": form, "action": action})
    records = KINDS[kind].records(action.council)
    record_form = EvidenceRecordForm(_post(request), records=records)
    if request.method == "POST" and record_form.is_valid():
        try:
            services.evidence_link(
                action=action,
                kind=kind,
                record_id=record_form.cleaned_data["record_id"],
                by=request_user(request),
            )
        except ValidationError as problem:
            add_validation_errors(record_form, problem)
        else:
            messages.success(request, "Evidence linked")
            return redirect("reporting:action", action.pk)
    return render(
        request,
        "reporting/evidence_record.html",
        {"form": record_form, "action": action, "kind": KINDS[kind], "records": records},
    )


@login_required
@require_POST
def evidence_remove(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    action, access = action_for_user(request_user(request), pk)
    access.require_edit()
    link = ActionEvidence.objects.filter(pk=evidence_pk, action=action).first()
    if link is None:
        raise Http404("No such evidence")
    services.evidence_unlink(link=link, by=request_user(request))
    messages.success(request, "Evidence link removed")
    return redirect("reporting:action", action.pk)


# --- Events and engagement ---------------------------------------------------------------


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    council, access = council_programme(request)
    page = Paginator(selectors.events_for(council).order_by("-held_on", "-pk"), PAGE_SIZE)
    return render(
        request,
        "reporting/event_list.html",
        {
            "page_obj": page.get_page(request.GET.get("page")),
            "access": access,
            "querystring_without_page": querystring_without_page(request),
        },
    )


EVENT_FIELDS = ("title", "held_on", "organisations", "attendance", "outcomes")


@login_required
def event_new(request: HttpRequest) -> HttpResponse:
    council, access = council_programme(request)
    access.require_edit()
    form = EventForm(_post(request))
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(
                council=council, by=request_user(request), **form.cleaned_data
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(request, "Event recorded")
            return redirect("reporting:event", event.pk)
    return render(request, "reporting/event_form.html", {"form": form, "event": None})


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event, access = event_for_user(request_user(request), pk)
    return render(
        request,
        "reporting/event_detail.html",
        {
            "event": event,
            "access": access,
            "actions": event.actions.select_related("owner"),
            "today": timezone.localdate(),
        },
    )


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event, access = event_for_user(request_user(request), pk)
    access.require_edit()
    form = EventForm(_post(request), initial={name: getattr(event, name) for name in EVENT_FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(event=event, by=request_user(request), **form.cleaned_data)
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(request, "Event updated")
            return redirect("reporting:event", event.pk)
    return render(request, "reporting/event_form.html", {"form": form, "event": event})


@login_required
def engagement_list(request: HttpRequest) -> HttpResponse:
    council, access = council_programme(request)
    page = Paginator(selectors.engagements_for(council), PAGE_SIZE)
    return render(
        request,
        "reporting/engagement_list.html",
        {
            "page_obj": page.get_page(request.GET.get("page")),
            "access": access,
            "querystring_without_page": querystring_without_page(request),
        },
    )


ENGAGEMENT_FIELDS = ("body", "purpose", "contacts", "started_on")


@login_required
def engagement_new(request: HttpRequest) -> HttpResponse:
    council, access = council_programme(request)
    access.require_edit()
    form = EngagementForm(_post(request))
    if request.method == "POST" and form.is_valid():
        try:
            engagement = services.engagement_create(
                council=council, by=request_user(request), **form.cleaned_data
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(request, f"Engagement with {engagement.body} recorded")
            return redirect("reporting:engagement", engagement.pk)
    return render(request, "reporting/engagement_form.html", {"form": form, "engagement": None})


@login_required
def engagement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    engagement, access = engagement_for_user(request_user(request), pk)
    return render(
        request,
        "reporting/engagement_detail.html",
        {
            "engagement": engagement,
            "access": access,
            "entries": engagement.entries.select_related("written_by"),
        },
    )


@login_required
def engagement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    engagement, access = engagement_for_user(request_user(request), pk)
    access.require_edit()
    form = EngagementForm(
        _post(request), initial={name: getattr(engagement, name) for name in ENGAGEMENT_FIELDS}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.engagement_update(
                engagement=engagement, by=request_user(request), **form.cleaned_data
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(request, "Engagement updated")
            return redirect("reporting:engagement", engagement.pk)
    return render(
        request, "reporting/engagement_form.html", {"form": form, "engagement": engagement}
    )


@login_required
def entry_new(request: HttpRequest, pk: int) -> HttpResponse:
    engagement, access = engagement_for_user(request_user(request), pk)
    access.require_edit()
    form = EntryForm(_post(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.engagement_entry_add(
                engagement=engagement, by=request_user(request), **form.cleaned_data
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(request, "Added to the log")
            return redirect("reporting:engagement", engagement.pk)
    return render(request, "reporting/entry_form.html", {"form": form, "engagement": engagement})


# --- Progress reports --------------------------------------------------------------------


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    council, access = council_programme(request)
    years = selectors.report_years(council)
    reports = selectors.reports_for(council)
    form = StartReportForm(
        _post(request), years=[(y.label, f"{y.label} (year {y.number})") for y in years]
    )
    if request.method == "POST":
        access.require_edit()
        if form.is_valid():
            try:
                report = services.report_start(
                    council=council, year=form.cleaned_data["year"], by=request_user(request)
                )
            except ValidationError as problem:
                add_validation_errors(form, problem)
            else:
                return redirect("reporting:report", report.pk)
    rows = []
    for year in years:
        found = reports.get(year.label)
        versions = list(found.versions.all()) if found else []
        rows.append({"year": year, "report": found, "latest": versions[0] if versions else None})
    return render(
        request,
        "reporting/report_list.html",
        {"rows": rows, "form": form, "access": access, "settings": reporting_settings_of(council)},
    )


def draft_document(report: ProgressReport) -> dict[str, Any]:
    """The report's draft as the data stands, shared by its page, charts and downloads for a
    minute (the key moves with any change to the words or the delivery figures)."""
    today = timezone.localdate()
    key = (
        f"reporting:draft:{report.pk}:{report.updated_at.timestamp()}:"
        f"{figures_stamp(report.council_id)}:{today.isoformat()}"
    )
    return cached(
        key,
        lambda: build_document(report.council, report.year, report=report, today=today),
        seconds=DRAFT_SECONDS,
    )


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report, access = report_for_user(request_user(request), pk)
    try:
        document = draft_document(report)
    except (NoPolicyYears, ValueError) as problem:
        return render(request, "reporting/report_unavailable.html", {"reason": str(problem)})
    fmt = request.GET.get("format")
    if fmt == "json":
        return _json_download(document, f"progress-report-{report.year}-draft.json", "draft", None)
    if fmt == "docx":
        return attachment(
            docx_bytes(document, status=f"Draft, worked out on {timezone.localdate():%d %B %Y}"),
            DOCX,
            f"progress-report-{report.year}-draft.docx",
        )
    return render(
        request,
        "reporting/report.html",
        {
            "report": report,
            "document": document,
            "access": access,
            "version": None,
            "latest": selectors.latest_version(report),
            "charts": {
                key: reverse("reporting:report-chart", args=[report.pk, *key.split("/")])
                for key in _chart_keys(document)
            },
        },
    )


def _chart_keys(document: dict[str, Any]) -> list[str]:
    return [
        f"{section['key']}/{table['key']}"
        for section in document["sections"]
        for table in section["tables"]
        if has_chart(table)
    ]


def svg_response(table: dict[str, Any], *, frozen: bool) -> HttpResponse:
    svg = chart_svg(table)
    if svg is None:
        raise Http404("No chart")
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=86400" if frozen else "private, no-cache"
    return response


@login_required
def report_chart(request: HttpRequest, pk: int, section: str, table: str) -> HttpResponse:
    report, _ = report_for_user(request_user(request), pk)
    return svg_response(table_of(draft_document(report), section, table), frozen=False)


def _json_download(
    document: dict[str, Any], filename: str, status: str, version: ReportVersion | None
) -> HttpResponse:
    data = {
        "status": status,
        "version": version.number if version else None,
        "published_at": version.published_at.isoformat() if version else None,
        **document,
    }
    return attachment(
        json.dumps(data, indent=2, ensure_ascii=False), "application/json; charset=utf-8", filename
    )


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report, access = report_for_user(request_user(request), pk)
    access.require_edit()
    document = draft_document(report)
    section_titles = [
        (section["key"], section["title"])
        for section in document["sections"]
        if selectors.is_narrative_key(section["key"])
    ]
    initial = {key: report.narrative.get(key, "") for key, _ in section_titles}
    initial["introduction"] = report.narrative.get("introduction", "")
    form = NarrativeForm(
        _post(request),
        sections=section_titles,
        initial={**initial, "recommendations": report.recommendations},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        recommendations = data.pop("recommendations")
        services.report_edit(
            report=report,
            narrative={
                key: value for key, value in data.items() if selectors.is_narrative_key(key)
            },
            recommendations=recommendations,
            by=request_user(request),
        )
        messages.success(request, "The report's words are saved")
        return redirect("reporting:report", report.pk)
    return render(request, "reporting/report_edit.html", {"form": form, "report": report})


@login_required
def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    report, access = report_for_user(request_user(request), pk)
    access.require_publish()
    latest = selectors.latest_version(report)
    form = PublishForm(_post(request))
    if request.method == "POST" and form.is_valid():
        try:
            version = services.report_publish(
                report=report, by=request_user(request), note=form.cleaned_data["note"]
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(request, f"Version {version.number} published")
            return redirect("reporting:report-version", report.pk, version.number)
    return render(
        request, "reporting/report_publish.html", {"form": form, "report": report, "latest": latest}
    )


@login_required
def report_versions(request: HttpRequest, pk: int) -> HttpResponse:
    report, access = report_for_user(request_user(request), pk)
    return render(
        request,
        "reporting/report_versions.html",
        {"report": report, "access": access, "versions": selectors.report_versions(report)},
    )


@login_required
def report_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version, access = report_version_for_user(request_user(request), pk, number)
    report = version.report
    document = version.document
    fmt = request.GET.get("format")
    stem = f"progress-report-{report.year}-v{version.number}"
    if fmt == "json":
        return _json_download(document, f"{stem}.json", "published", version)
    if fmt == "docx":
        return attachment(
            docx_bytes(document, status=_published_words(version)), DOCX, f"{stem}.docx"
        )
    return render(
        request,
        "reporting/report.html",
        {
            "report": report,
            "document": document,
            "access": access,
            "version": version,
            "latest": selectors.latest_version(report),
            "published_words": _published_words(version),
            "charts": {
                key: reverse(
                    "reporting:version-chart", args=[report.pk, version.number, *key.split("/")]
                )
                for key in _chart_keys(document)
            },
        },
    )


def _published_words(version: ReportVersion) -> str:
    return (
        f"Published on {timezone.localtime(version.published_at):%d %B %Y} "
        f"(version {version.number})"
    )


@login_required
def version_chart(
    request: HttpRequest, pk: int, number: int, section: str, table: str
) -> HttpResponse:
    version, _ = report_version_for_user(request_user(request), pk, number)
    return svg_response(table_of(version.document, section, table), frozen=True)


# --- The records behind a figure ---------------------------------------------------------

RECORD_KINDS = {
    "exercises": "Procurement exercises with social value",
    "awards": "Tenders awarded",
    "contracts": "Contracts starting with social value commitments",
    "commitments": "Commitments",
    "case-studies": "Case studies",
    "actions": "Priority actions",
}


@login_required
def records(request: HttpRequest, council_pk: int, year: str, kind: str) -> HttpResponse:
    """The records behind one figure of a year's report, each linking to its own page."""
    if kind not in RECORD_KINDS:
        raise Http404("No such records")
    access = programme_access(request_user(request), council_pk)
    council = access.membership.organisation
    try:
        scope = scope_for(council, year)
    except (NoPolicyYears, ValueError):
        raise Http404("No such year") from None
    chosen = {
        key: request.GET.get(key, "").strip()
        for key in (
            "route",
            "directorate",
            "band",
            "theme",
            "outcome",
            "measure",
            "rag",
            "status",
            "overdue",
        )
        if request.GET.get(key, "").strip()
    }
    heading = RECORD_KINDS[kind]
    columns, items = _records(kind, scope, chosen)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = (
        _commitment_rows(page.object_list, council)
        if kind == "commitments"
        else list(page.object_list)
    )
    return render(
        request,
        "reporting/records.html",
        {
            "heading": heading,
            "year": scope.year,
            "as_at": scope.as_at,
            "kind": kind,
            "chosen": chosen,
            "columns": columns,
            "page_obj": page,
            "table_rows": rows,
            "querystring_without_page": querystring_without_page(request),
        },
    )


def _records(kind: str, scope: Any, chosen: dict[str, str]) -> tuple[list[str], Any]:
    council, year = scope.council, scope.year
    routes = dict(Route.choices)
    if kind in ("exercises", "awards"):
        tenders = list(
            (selectors.tenders_issued if kind == "exercises" else selectors.tenders_awarded)(
                council, year
            ).order_by("issued_at", "pk")
        )
        if "route" in chosen:
            tenders = [t for t in tenders if t.procurement.route == chosen["route"]]
        if "directorate" in chosen:
            tenders = [
                t
                for t in tenders
                if (t.procurement.directorate or monitoring_figures.NOT_RECORDED)
                == chosen["directorate"]
            ]
        if "band" in chosen:
            tenders = [t for t in tenders if value_band_of(t) == chosen["band"]]
        return (
            [
                "Tender",
                "Route",
                "Directorate",
                "Value band",
                "Estimated value",
                "Social value weighting",
                "Status",
            ],
            [
                {
                    "link": reverse("tenders:detail", args=[t.pk]),
                    "cells": [
                        f"{t.reference} {t.procurement.title}",
                        routes.get(t.procurement.route, t.procurement.route),
                        t.procurement.directorate or monitoring_figures.NOT_RECORDED,
                        ValueBand.LABELS[value_band_of(t)],
                        ("pence", t.procurement.estimated_value_pence),
                        ("percent", weighting_of(t)),
                        t.status,
                    ],
                }
                for t in tenders
            ],
        )
    if kind == "contracts":
        contracts = (
            selectors.contracts_started(council, year)
            .select_related("supplier")
            .order_by("start_date", "reference")
        )
        return (
            ["Contract", "Supplier", "Directorate", "Starts", "Value"],
            [
                {
                    "link": reverse("contracts:detail", args=[c.pk]),
                    "cells": [
                        f"{c.reference} {c.title}",
                        c.supplier.name,
                        c.directorate or monitoring_figures.NOT_RECORDED,
                        ("date", c.start_date),
                        ("pence", c.value_pence),
                    ],
                }
                for c in contracts
            ],
        )
    if kind == "commitments":
        rows = selectors.figures_as_at(council, scope.as_at)
        fields = {**monitoring_figures.PORTFOLIO_GROUP_FIELDS, "measure": "measure__code"}
        for key in ("theme", "outcome", "directorate", "measure"):
            if key in chosen:
                value = chosen[key]
                if key == "directorate" and value == monitoring_figures.NOT_RECORDED:
                    value = ""
                rows = rows.filter(**{fields[key]: value})
        if "rag" in chosen:
            thresholds = thresholds_of(settings_for(council))
            rows = rows.alias(rating=monitoring_figures.rag_of(thresholds)).filter(
                rating=chosen["rag"]
            )
        return (
            [
                "Contract",
                "Supplier",
                "Measure",
                "Committed",
                "Due to date",
                "Claimed",
                "Verified",
                "Rating",
            ],
            rows.order_by("contract__reference", "measure__code", "pk"),
        )
    if kind == "case-studies":
        return (
            ["Case study", "Supplier", "Contract", "Period"],
            [
                {
                    "link": reverse("monitoring:return-detail", args=[s.supplier_return_id]),
                    "cells": [
                        s.title,
                        s.supplier_return.contract.supplier.name,
                        s.supplier_return.contract.reference,
                        s.supplier_return.period.label,
                    ],
                }
                for s in selectors.case_studies_in(council, year)
            ],
        )
    actions = selectors.council_actions(council)
    actions = selectors.filter_actions(
        actions, status=chosen.get("status", ""), overdue="overdue" in chosen, today=scope.today
    ).order_by("due_on", "pk")
    return (
        ["Action", "Owner", "Due", "Status"],
        [
            {
                "link": reverse("reporting:action", args=[a.pk]),
                "cells": [a.title, a.owner.full_name, ("date", a.due_on), a.get_status_display()],
            }
            for a in actions
            if a.due_on <= year.ends_on or a.status not in OPEN_STATUSES
        ],
    )


def _commitment_rows(page_rows: Any, council: Organisation) -> list[dict[str, Any]]:
    thresholds = thresholds_of(settings_for(council))
    return [
        {
            "link": reverse("contracts:detail", args=[r.contract_id])
            + f"#commitment-{r.commitment_id}",
            "cells": [
                f"{r.contract_reference} {r.contract_title}",
                r.supplier,
                f"{r.measure_code} ({r.unit})",
                ("pence", r.committed_pence),
                ("pence", r.target_pence),
                ("pence", r.claimed_pence),
                ("pence", r.verified_pence),
                monitoring_figures.RAG_LABELS[r.rag][0],
            ],
        }
        for r in monitoring_figures.portfolio_rows(page_rows, thresholds)
    ]
