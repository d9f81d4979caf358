"""Pages about the person's organisation as a whole: its audit trail and its background jobs.
The home page, which gathers work from every app, is on the top floor (`commonweal.home`)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from commonweal.accounts.access import active_membership, job_for_user, request_user, require_role
from commonweal.accounts.forms import AuditFilterForm
from commonweal.accounts.roles import Role
from commonweal.core.downloads import streamed_csv_attachment
from commonweal.core.exports import csv_writer
from commonweal.core.models import Job
from commonweal.core.selectors import (
    ACTION_LABELS,
    AuditFilter,
    audit_change_rows,
    audit_entries,
    audit_record_types,
    jobs_for_organisation,
)
from commonweal.core.views import PAGE_SIZE, querystring_without_page


@login_required
@require_GET
def audit_trail(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    membership = active_membership(request)
    require_role(membership, [Role.COUNCIL_ADMIN])
    organisation = membership.organisation
    form = AuditFilterForm(
        request.GET or None, record_types=audit_record_types(organisation_id=organisation.pk)
    )
    filters = form.to_filter() if form.is_bound and form.is_valid() else AuditFilter()
    entries = audit_entries(organisation_id=organisation.pk, filters=filters)
    if request.GET.get("format") == "csv" and not form.errors:
        return _audit_csv(entries, organisation.name)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"entry": e, "action": ACTION_LABELS.get(e.action, ""), "changes": audit_change_rows(e)}
        for e in page.object_list
    ]
    return render(
        request,
        "accounts/audit_trail.html",
        {
            "form": form,
            "page_obj": page,
            "table_rows": rows,
            "querystring_without_page": querystring_without_page(request),
            "organisation": organisation,
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _audit_csv(entries: Any, organisation_name: str) -> StreamingHttpResponse:
    writer = csv_writer(_Echo())

    def rows() -> Any:
        yield writer.writerow(
            [
                "When",
                "Person",
                "Action",
                "Record type",
                "Record",
                "Field",
                "Before",
                "After",
                "Note",
            ]
        )
        for entry in entries.iterator(chunk_size=500):
            who = entry.actor.email if entry.actor else (entry.actor_email or "System")
            base = [
                timezone.localtime(entry.timestamp).isoformat(timespec="seconds"),
                who,
                ACTION_LABELS.get(entry.action, ""),
                entry.content_type.model if entry.content_type else "",
                entry.object_repr,
            ]
            changes = audit_change_rows(entry)
            if not changes:
                event = (entry.additional_data or {}).get("event", "")
                yield writer.writerow([*base, "", "", "", event or entry.changes_text])
            for change in changes:
                yield writer.writerow(
                    [*base, change["field"], change["before"], change["after"], ""]
                )

    stamp = timezone.localdate().isoformat()
    return streamed_csv_attachment(rows(), f"audit-trail-{stamp}.csv")


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    membership = active_membership(request)
    page = Paginator(jobs_for_organisation(membership.organisation_id), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/job_list.html",
        {"page_obj": page, "querystring_without_page": querystring_without_page(request)},
    )


def follow_job(job: Job) -> HttpResponse:
    """The page of a background job just started, which goes on to its result when done."""
    return redirect(reverse("accounts:job-detail", args=[job.pk]) + "?follow=1")


@login_required
def job_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    job, _ = job_for_user(request_user(request), pk)
    return render(request, "accounts/job_detail.html", {"job": job})


@login_required
def job_status(request: HttpRequest, pk: uuid.UUID) -> JsonResponse:
    job, _ = job_for_user(request_user(request), pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "stage": job.stage,
            "rows_done": job.rows_done,
            "rows_total": job.rows_total,
            "percent_done": job.percent_done,
            "error": job.error,
            "result_url": job.result_url,
        }
    )
