"""Public pages (no sign-in) of a council that switched them on: its published progress
reports and a summary of its social value programme, every table as CSV and JSON under the
Open Government Licence. Drafts, internal pages and anything restricted never appear: every
document shown here has been through `outputs.public_view`."""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.models import Organisation
from commonweal.core.downloads import attachment, csv_attachment
from commonweal.core.exports import csv_writer
from commonweal.core.public import public
from commonweal.reporting import selectors
from commonweal.reporting.models import ReportVersion
from commonweal.reporting.outputs import (
    DOCX,
    OGL_NAME,
    OGL_URL,
    changes_between,
    chart_svg,
    docx_bytes,
    has_chart,
    public_view,
    table_csv_rows,
    table_json,
    table_of,
)
from commonweal.reporting.public import public_summary

FILE_FORMATS = ("csv", "json", "svg")


def _public_council(gss_code: str) -> Organisation:
    council = selectors.public_councils().filter(gss_code=gss_code.upper()).first()
    if council is None:
        raise Http404("No such council")
    return council


@public
def council_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "reporting/public_councils.html", {"councils": selectors.public_councils()}
    )


@public
def summary(request: HttpRequest, gss_code: str) -> HttpResponse:
    council = _public_council(gss_code)
    return render(
        request,
        "reporting/public_summary.html",
        {
            "council": council,
            "document": public_summary(council),
            "reports": selectors.published_reports(council),
            "licence": {"name": OGL_NAME, "url": OGL_URL},
        },
    )


def _table_download(
    table: dict[str, Any], file_format: str, stem: str, source: str
) -> HttpResponse:
    if file_format == "csv":
        response = csv_attachment(f"{stem}.csv")
        csv_writer(response).writerows(table_csv_rows(table))
        return response
    if file_format == "json":
        return attachment(
            json.dumps(table_json(table, source=source), indent=2, ensure_ascii=False),
            "application/json; charset=utf-8",
            f"{stem}.json",
        )
    if file_format == "svg":
        svg = chart_svg(table)
        if svg is None:
            raise Http404("No chart")
        return HttpResponse(svg, content_type="image/svg+xml")
    raise Http404("No such format")


@public
def summary_table(
    request: HttpRequest, gss_code: str, table: str, file_format: str
) -> HttpResponse:
    council = _public_council(gss_code)
    document = public_summary(council)
    found = table_of(document, "summary", table)
    return _table_download(
        found,
        file_format,
        f"{council.gss_code}-social-value-{table}-{timezone.localdate().isoformat()}",
        f"{council.name}, social value programme summary as at {document['as_at']} (Commonweal)",
    )


def _published(
    council: Organisation, year: str, number: str | None
) -> tuple[ReportVersion, list[ReportVersion]]:
    versions = list(
        ReportVersion.objects.filter(report__council=council, report__year=year)
        .select_related("report")
        .order_by("-number")
    )
    if not versions:
        raise Http404("No published report for that year")
    if number is None:
        return versions[0], versions
    chosen = next((v for v in versions if str(v.number) == number), None)
    if chosen is None:
        raise Http404("No such version")
    return chosen, versions


@public
def report(request: HttpRequest, gss_code: str, year: str) -> HttpResponse:
    council = _public_council(gss_code)
    version, versions = _published(council, year, request.GET.get("version"))
    document = public_view(version.document)
    previous = next((v for v in versions if v.number == version.number - 1), None)
    # Worked out from the public views of both versions: the stored list of changes is the
    # council's own and may name people or restricted pounds.
    changes = changes_between(public_view(previous.document), document) if previous else []
    suffix = f"?version={version.number}"

    def address(section: str, table: str, file_format: str) -> str:
        return (
            reverse(
                "reporting:public-report-table",
                args=[council.gss_code, year, section, table, file_format],
            )
            + suffix
        )

    tables = [(s["key"], t) for s in document["sections"] for t in s["tables"]]
    return render(
        request,
        "reporting/public_report.html",
        {
            "council": council,
            "version": version,
            "versions": versions,
            "document": document,
            "changes": changes,
            "charts": {
                f"{key}/{t['key']}": address(key, t["key"], "svg")
                for key, t in tables
                if has_chart(t)
            },
            "downloads": {
                f"{key}/{t['key']}": {
                    "csv": address(key, t["key"], "csv"),
                    "json": address(key, t["key"], "json"),
                }
                for key, t in tables
            },
            "published_words": f"Published on {timezone.localtime(version.published_at):%d %B %Y} "
            f"(version {version.number})",
            "licence": {"name": OGL_NAME, "url": OGL_URL},
        },
    )


@public
def report_file(request: HttpRequest, gss_code: str, year: str, file_format: str) -> HttpResponse:
    council = _public_council(gss_code)
    version, _ = _published(council, year, request.GET.get("version"))
    document = public_view(version.document)
    stem = f"{council.gss_code}-social-value-report-{year}-v{version.number}"
    if file_format == "json":
        data = {
            "status": "published",
            "version": version.number,
            "published_at": version.published_at.isoformat(),
            **document,
        }
        return attachment(
            json.dumps(data, indent=2, ensure_ascii=False),
            "application/json; charset=utf-8",
            f"{stem}.json",
        )
    if file_format == "docx":
        words = f"Published on {timezone.localtime(version.published_at):%d %B %Y} (version {version.number})"
        return attachment(docx_bytes(document, status=words), DOCX, f"{stem}.docx")
    raise Http404("No such format")


@public
def report_table(
    request: HttpRequest, gss_code: str, year: str, section: str, table: str, file_format: str
) -> HttpResponse:
    council = _public_council(gss_code)
    version, _ = _published(council, year, request.GET.get("version"))
    found = table_of(public_view(version.document), section, table)
    return _table_download(
        found,
        file_format,
        f"{council.gss_code}-social-value-report-{year}-v{version.number}-{table}",
        f"{council.name}, Social Value Policy progress report {year}, version {version.number} "
        "(Commonweal)",
    )
