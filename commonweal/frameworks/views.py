"""Pages for browsing frameworks and measures, importing a framework, deflator and carbon series
and local measure sets."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path, PurePath
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from commonweal.accounts.access import active_membership, request_user, require_council_admin
from commonweal.accounts.models import User
from commonweal.accounts.organisation_pages import follow_job
from commonweal.accounts.roles import Role
from commonweal.core.downloads import attachment
from commonweal.core.forms import add_validation_errors
from commonweal.core.jobs import job_start
from commonweal.core.uploads import kept_upload, reads_in_background, upload_forget, upload_keep
from commonweal.core.views import PAGE_SIZE, carry_out, querystring_without_page
from commonweal.frameworks import exporting, importing, local_sets, selectors, services, tasks
from commonweal.frameworks.access import (
    carbon_series_for_user,
    deflator_series_for_user,
    framework_for_user,
    is_council_admin_of,
    measure_for_user,
    measure_set_for_user,
    outcome_for_user,
    readable_carbon_series,
    readable_deflator_series,
    readable_frameworks,
    readable_measure_sets,
    require_council_admin_of,
    set_version_for_user,
    theme_for_user,
    values_visible_to,
    version_for_user,
)
from commonweal.frameworks.forms import (
    CarbonUploadForm,
    CompareForm,
    DeflatorUploadForm,
    FrameworkSearchForm,
    ImportUploadForm,
    LocalMeasureForm,
    MeasureFilterForm,
    MeasureSetForm,
    SeriesUploadForm,
    SetCarbonForm,
    SetDeflatorForm,
    SetPublishForm,
    import_mapping_form,
)
from commonweal.frameworks.models import (
    FrameworkVersion,
    LocalMeasureSetVersion,
    Measure,
    SourcedSeries,
    VersionStatus,
)

IMPORT_SESSION_KEY = "framework_import"
IMPORT_PURPOSE = "framework-imports"
EDITOR_PAGE_SIZE = 20


def _active_council_admin(request: HttpRequest) -> bool:
    membership = getattr(request, "membership", None)
    return bool(
        membership and membership.role == Role.COUNCIL_ADMIN and membership.organisation.is_council
    )


# --- Browsing frameworks --------------------------------------------------------------------


@login_required
def framework_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = FrameworkSearchForm(request.GET or None)
    search = form.cleaned_data["q"] if form.is_bound and form.is_valid() else ""
    frameworks = selectors.search_frameworks(readable_frameworks(user), search)
    membership = getattr(request, "membership", None)
    can_import = _active_council_admin(request)
    return render(
        request,
        "frameworks/framework_list.html",
        {
            "search_form": form,
            "search": search,
            "shipped": [f for f in frameworks if f.owner_id is None],
            "own": [f for f in frameworks if f.owner_id is not None],
            "can_import": can_import,
            "own_empty": "No framework of your council matches your search." if search else "",
            "has_sets": readable_measure_sets(user).exists()
            or bool(membership and membership.organisation.is_council),
        },
    )


@login_required
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    framework = framework_for_user(user, pk)
    versions = list(selectors.framework_versions(framework))
    return render(
        request,
        "frameworks/framework_detail.html",
        {
            "framework": framework,
            "versions": versions,
            "can_edit": is_council_admin_of(user, framework.owner_id),
        },
    )


def _version_choices(versions: list[FrameworkVersion]) -> list[tuple[int, str]]:
    return [(v.pk, f"{v.label or v.year} ({v.get_status_display().lower()})") for v in versions]


def _comparison(
    request: HttpRequest,
    versions: list[Any],
    choices: list[tuple[int, str]],
    compare: Callable[[Any, Any], selectors.Comparison],
) -> dict[str, Any]:
    """The compare form (newest two versions picked by default) and, once chosen, the result."""
    initial = {"before": versions[1].pk, "after": versions[0].pk} if len(versions) >= 2 else {}
    form = CompareForm(request.GET or None, choices=choices, initial=initial)
    comparison = before = after = None
    if form.is_bound and form.is_valid():
        by_pk = {v.pk: v for v in versions}
        before, after = by_pk[form.cleaned_data["before"]], by_pk[form.cleaned_data["after"]]
        comparison = compare(before, after)
    return {
        "form": form,
        "enough_versions": len(versions) >= 2,
        "comparison": comparison,
        "before": before,
        "after": after,
    }


@login_required
def framework_compare(request: HttpRequest, pk: int) -> HttpResponse:
    framework = framework_for_user(request_user(request), pk)
    versions = list(selectors.framework_versions(framework))
    context = _comparison(
        request, versions, _version_choices(versions), selectors.compare_framework_versions
    )
    return render(
        request,
        "frameworks/framework_compare.html",
        {
            **context,
            "framework": framework,
            "show_values": values_visible_to(request_user(request), framework),
        },
    )


@login_required
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    version = version_for_user(user, pk)
    themes = list(version.themes.all())
    form = MeasureFilterForm(request.GET or None, themes=themes)
    filters = form.to_filters()
    measures = selectors.version_measures(version, filters)
    page = Paginator(measures, PAGE_SIZE).get_page(request.GET.get("page"))
    filtered = any(
        [filters.search, filters.theme_id, filters.value_type, filters.tag, filters.light_set]
    )
    return render(
        request,
        "frameworks/version_detail.html",
        {
            "version": version,
            "framework": version.framework,
            "tree": selectors.version_tree(version),
            "filter_form": form,
            "filtered": filtered,
            "page_obj": page,
            "querystring_without_page": querystring_without_page(request),
            "can_edit": is_council_admin_of(user, version.framework.owner_id),
            "show_values": values_visible_to(user, version.framework),
            "export_formats": exporting.FORMATS,
        },
    )


@login_required
def theme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    theme = theme_for_user(request_user(request), pk)
    outcomes = theme.outcomes.prefetch_related("measures")
    return render(
        request,
        "frameworks/theme_detail.html",
        {"theme": theme, "version": theme.version, "outcomes": outcomes},
    )


@login_required
def outcome_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    outcome = outcome_for_user(user, pk)
    version = outcome.theme.version
    return render(
        request,
        "frameworks/outcome_detail.html",
        {
            "outcome": outcome,
            "theme": outcome.theme,
            "version": version,
            "measures": outcome.measures.select_related("proxy"),
            "show_values": values_visible_to(user, version.framework),
        },
    )


@login_required
def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    measure = measure_for_user(user, pk)
    framework = measure.version.framework
    return render(
        request,
        "frameworks/measure_detail.html",
        {
            "measure": measure,
            "version": measure.version,
            "framework": framework,
            "outcome": measure.outcome,
            "theme": measure.outcome.theme,
            "proxy": getattr(measure, "proxy", None),
            "values_by_year": selectors.values_by_year(measure),
            "show_values": values_visible_to(user, framework),
        },
    )


@login_required
def version_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    user = request_user(request)
    version = version_for_user(user, pk)
    if fmt not in exporting.FORMATS:
        raise Http404("No such format")
    owner_id = version.framework.owner_id
    member_of_owner = (
        owner_id is not None and user.memberships.filter(organisation_id=owner_id).exists()
    )
    audience: exporting.Audience = "owner" if member_of_owner else "public"
    export_format = fmt
    content = exporting.export_version(version, fmt=export_format, audience=audience)
    response = attachment(
        content,
        exporting.CONTENT_TYPES[export_format],
        exporting.export_filename(version, export_format),
    )
    return response


@login_required
@require_POST
def version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    version = version_for_user(user, pk)
    require_council_admin_of(user, version.framework.owner_id)
    carry_out(
        request,
        lambda: services.framework_version_publish(version=version, by=user),
        f"{version} is published",
    )
    return redirect("frameworks:version", pk=version.pk)


@login_required
@require_POST
def version_retire(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    version = version_for_user(user, pk)
    require_council_admin_of(user, version.framework.owner_id)
    carry_out(
        request,
        lambda: services.framework_version_retire(version=version, by=user),
        f"{version} is retired",
    )
    return redirect("frameworks:version", pk=version.pk)


# --- Importing a framework in the browser ---------------------------------------------------


def _import_state(request: HttpRequest) -> dict[str, Any] | None:
    state = request.session.get(IMPORT_SESSION_KEY)
    if not state or kept_upload(state.get("path", ""), purpose=IMPORT_PURPOSE) is None:
        return None
    return cast(dict[str, Any], state)


def _discard_upload(request: HttpRequest) -> None:
    state = request.session.pop(IMPORT_SESSION_KEY, None)
    if state and (path := kept_upload(state.get("path", ""), purpose=IMPORT_PURPOSE)):
        upload_forget(path)


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    council = require_council_admin(active_membership(request))
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        filename = PurePath(upload.name).name
        _discard_upload(request)
        path = upload_keep(upload, purpose=IMPORT_PURPOSE)
        data = form.cleaned_data
        state = {
            "path": str(path),
            "filename": filename,
            "organisation_id": council.pk,
            "details": {
                "name": data["name"],
                "slug": form.slug,
                "publisher": data["publisher"],
                "licence": data["licence"],
                "licence_url": data["licence_url"],
                "source_title": data["source_title"],
                "source_url": data["source_url"],
                "values_restricted": data["values_restricted"],
                "year": data["year"],
                "in_force_from": data["in_force_from"].isoformat(),
                "price_base_year": data["price_base_year"],
            },
            "mapping": None,
            # A workbook or a large file is read, and later imported, by a background job.
            "background": reads_in_background(path),
        }
        if state["background"]:
            request.session[IMPORT_SESSION_KEY] = state
            return follow_job(
                job_start(
                    organisation=council,
                    kind="framework_read",
                    title=f"Reading {filename}",
                    by=request_user(request),
                    task=tasks.read_framework_file,
                    args=[str(path), filename],
                )
            )
        try:
            services.framework_file_read(path=path, filename=filename)
        except importing.FrameworkImportError as error:
            upload_forget(path)
            for problem in error.problems:
                form.add_error("file", str(problem))
        else:
            request.session[IMPORT_SESSION_KEY] = state
            return redirect("frameworks:import-mapping")
    return render(request, "frameworks/import_upload.html", {"form": form, "council": council})


@login_required
def import_mapping(request: HttpRequest) -> HttpResponse:
    council = require_council_admin(active_membership(request))
    state = _import_state(request)
    summary = None
    if state is not None and state["organisation_id"] == council.pk:
        summary = importing.table_summary(Path(state["path"]).parent)
    if state is None or summary is None:
        messages.error(request, "Upload the spreadsheet again: the earlier upload has gone")
        return redirect("frameworks:import")
    headers = summary["headers"]
    initial = state.get("mapping") or importing.suggest_mapping(headers)
    form = import_mapping_form(headers, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        mapping = {name: heading for name, heading in form.cleaned_data.items() if heading}
        state["mapping"] = mapping
        request.session[IMPORT_SESSION_KEY] = state
        details = state["details"]
        if state.get("background"):
            return follow_job(
                job_start(
                    organisation=council,
                    kind="framework_import",
                    title=f"Import of {details['name']} from {state['filename']}",
                    by=request_user(request),
                    task=tasks.import_framework,
                    args=[
                        state["path"],
                        state["filename"],
                        council.pk,
                        mapping,
                        details,
                        request_user(request).pk,
                    ],
                )
            )
        try:
            version = importing.framework_import(
                owner=council,
                table=importing.table_load(Path(state["path"]).parent, state["filename"]),
                mapping=mapping,
                name=details["name"],
                slug=details["slug"],
                publisher=details["publisher"],
                licence=details["licence"],
                licence_url=details["licence_url"],
                source_title=details["source_title"],
                source_url=details["source_url"],
                values_restricted=details["values_restricted"],
                year=details["year"],
                in_force_from=date.fromisoformat(details["in_force_from"]),
                price_base_year=details["price_base_year"],
                by=request_user(request),
            )
        except importing.FrameworkImportError as error:
            return render(
                request,
                "frameworks/import_problems.html",
                {"problems": error.problems, "filename": state["filename"]},
            )
        _discard_upload(request)
        messages.success(
            request,
            f"{version} is imported as a draft with {version.measures.count()} measures. "
            "Check it, then publish it.",
        )
        return redirect("frameworks:version", pk=version.pk)
    return render(
        request,
        "frameworks/import_mapping.html",
        {
            "form": form,
            "filename": state["filename"],
            "headers": headers,
            "preview": summary["preview"],
            "row_count": summary["row_count"],
        },
    )


# --- Deflator and carbon series -------------------------------------------------------------


def _series_upload(
    request: HttpRequest,
    form_class: type[SeriesUploadForm],
    *,
    import_file: Callable[..., SourcedSeries],
    task: Any,
    kind: str,
    template: str,
    series_url: str,
) -> HttpResponse:
    """Upload a series: a workbook or a large file is read by a background job with the
    progress page; a small CSV at once, every problem listed on the form and nothing saved."""
    council = require_council_admin(active_membership(request))
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        filename = PurePath(upload.name).name
        details = form.details()
        path = upload_keep(upload, purpose=f"{kind}-uploads")
        if reads_in_background(path):
            return follow_job(
                job_start(
                    organisation=council,
                    kind=f"{kind}_import",
                    title=f"Import of {details['name']} from {filename}",
                    by=request_user(request),
                    task=task,
                    args=[council.pk, str(path), filename, details, request_user(request).pk],
                )
            )
        try:
            series = import_file(
                owner=council,
                path=path,
                filename=filename,
                details=details,
                by=request_user(request),
            )
        except importing.FrameworkImportError as error:
            for problem in error.problems:
                if problem.row is None and problem.column is None:
                    form.add_error(None, problem.message)
                else:
                    form.add_error("file", str(problem))
        else:
            years = list(series.points.values_list("year", flat=True))
            messages.success(
                request,
                f"{series.name} is imported with {len(years)} year{pluralize(len(years))}"
                f", {years[0]} to {years[-1]}",
            )
            return redirect(series_url, pk=series.pk)
        finally:
            upload_forget(path)
    return render(request, template, {"form": form, "council": council})


def _series_list(request: HttpRequest, readable: Any, template: str) -> HttpResponse:
    """The deflator or carbon series the person may read, with the years each covers, a page
    at a time; the upload button for a council admin."""
    page = Paginator(selectors.series_with_years(readable), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        template,
        {
            "page_obj": page,
            "series_list": page.object_list,
            "can_upload": _active_council_admin(request),
            "querystring_without_page": querystring_without_page(request),
        },
    )


def _series_detail(request: HttpRequest, series: SourcedSeries, template: str) -> HttpResponse:
    return render(
        request, f"frameworks/{template}", {"series": series, "points": series.points.all()}
    )


@login_required
def deflator_list(request: HttpRequest) -> HttpResponse:
    return _series_list(
        request, readable_deflator_series(request_user(request)), "frameworks/deflator_list.html"
    )


@login_required
def deflator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _series_detail(
        request, deflator_series_for_user(request_user(request), pk), "deflator_detail.html"
    )


@login_required
def deflator_upload(request: HttpRequest) -> HttpResponse:
    return _series_upload(
        request,
        DeflatorUploadForm,
        import_file=services.deflator_file_import,
        task=tasks.import_deflator,
        kind="deflator",
        template="frameworks/deflator_upload.html",
        series_url="frameworks:deflator",
    )


@login_required
def carbon_list(request: HttpRequest) -> HttpResponse:
    return _series_list(
        request, readable_carbon_series(request_user(request)), "frameworks/carbon_list.html"
    )


@login_required
def carbon_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _series_detail(
        request, carbon_series_for_user(request_user(request), pk), "carbon_detail.html"
    )


@login_required
def carbon_upload(request: HttpRequest) -> HttpResponse:
    return _series_upload(
        request,
        CarbonUploadForm,
        import_file=services.carbon_file_import,
        task=tasks.import_carbon_series,
        kind="carbon",
        template="frameworks/carbon_upload.html",
        series_url="frameworks:carbon",
    )


# --- Local measure sets ---------------------------------------------------------------------


@login_required
def set_list(request: HttpRequest) -> HttpResponse:
    sets = readable_measure_sets(request_user(request)).prefetch_related("versions")
    return render(
        request,
        "frameworks/set_list.html",
        {"sets": sets, "can_create": _active_council_admin(request)},
    )


@login_required
def set_create(request: HttpRequest) -> HttpResponse:
    council = require_council_admin(active_membership(request))
    form = MeasureSetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            measure_set = local_sets.measure_set_create(
                owner=council,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                by=request_user(request),
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(request, f"{measure_set.name} is created. Add its measures.")
            draft = measure_set.versions.get()
            return redirect("frameworks:set-version-edit", pk=draft.pk)
    return render(request, "frameworks/set_create.html", {"form": form, "council": council})


@login_required
def set_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    measure_set = measure_set_for_user(user, pk)
    versions = list(measure_set.versions.order_by("-number"))
    return render(
        request,
        "frameworks/set_detail.html",
        {
            "measure_set": measure_set,
            "versions": versions,
            "has_draft": any(v.status == VersionStatus.DRAFT for v in versions),
            "can_edit": is_council_admin_of(user, measure_set.owner_id),
        },
    )


@login_required
@require_POST
def set_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    measure_set = measure_set_for_user(user, pk)
    require_council_admin_of(user, measure_set.owner_id)
    try:
        draft = local_sets.set_version_create_draft(measure_set=measure_set, by=user)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
        return redirect("frameworks:set", pk=measure_set.pk)
    messages.success(request, f"Version {draft.number} is started as a draft")
    return redirect("frameworks:set-version-edit", pk=draft.pk)


@login_required
def set_compare(request: HttpRequest, pk: int) -> HttpResponse:
    measure_set = measure_set_for_user(request_user(request), pk)
    versions = list(measure_set.versions.order_by("-number"))
    choices = [(v.pk, f"Version {v.number} ({v.get_status_display().lower()})") for v in versions]
    context = _comparison(request, versions, choices, selectors.compare_set_versions)
    return render(request, "frameworks/set_compare.html", {**context, "measure_set": measure_set})


def _set_version_context(user: User, set_version: LocalMeasureSetVersion) -> dict[str, Any]:
    measures = selectors.set_version_measures(set_version)
    return {
        "set_version": set_version,
        "measure_set": set_version.measure_set,
        "rows": [
            {"measure": m, "show_value": values_visible_to(user, m.version.framework)}
            for m in measures
        ],
        "can_edit": is_council_admin_of(user, set_version.measure_set.owner_id),
        "is_draft": set_version.status == VersionStatus.DRAFT,
    }


@login_required
def set_version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    set_version = set_version_for_user(request_user(request), pk)
    context = _set_version_context(request_user(request), set_version)
    if context["is_draft"]:
        context["problems"] = local_sets.set_version_publish_problems(set_version)
    return render(request, "frameworks/set_version_detail.html", context)


def _editable_set_version(request: HttpRequest, pk: int) -> LocalMeasureSetVersion:
    user = request_user(request)
    set_version = set_version_for_user(user, pk)
    require_council_admin_of(user, set_version.measure_set.owner_id)
    return set_version


def _refuse_unless_draft(
    request: HttpRequest, set_version: LocalMeasureSetVersion
) -> HttpResponse | None:
    """Back to the version's page with a message when it is published, as it cannot change."""
    if set_version.status == VersionStatus.DRAFT:
        return None
    messages.error(request, "A published version cannot change. Start a new draft version.")
    return redirect("frameworks:set-version", pk=set_version.pk)


def _addable_measures(set_version: LocalMeasureSetVersion, search: str) -> Any:
    owner_id = set_version.measure_set.owner_id
    measures = (
        Measure.objects.filter(
            Q(version__framework__owner__isnull=True) | Q(version__framework__owner_id=owner_id)
        )
        .exclude(version__status=VersionStatus.RETIRED)
        .exclude(pk__in=set_version.items.values("measure_id"))
        .select_related("version", "version__framework", "proxy")
        .order_by("version__framework__name", "-version__year", "position", "code")
    )
    search = search.strip()
    if search:
        measures = measures.filter(
            Q(code__icontains=search)
            | Q(title__icontains=search)
            | Q(description__icontains=search)
            | Q(version__framework__name__icontains=search)
        )
    return measures


def _deflator_form(set_version: LocalMeasureSetVersion, data: Any = None) -> SetDeflatorForm:
    return SetDeflatorForm(
        data,
        queryset=selectors.deflator_series_usable_by(set_version),
        initial={"deflator": set_version.deflator_id},
    )


def _carbon_form(set_version: LocalMeasureSetVersion, data: Any = None) -> SetCarbonForm:
    return SetCarbonForm(
        data,
        queryset=selectors.carbon_series_usable_by(set_version),
        initial={
            "carbon_series": set_version.carbon_series_id,
            "carbon_path": set_version.carbon_path,
        },
    )


@login_required
def set_version_edit(request: HttpRequest, pk: int) -> HttpResponse:
    set_version = _editable_set_version(request, pk)
    if refusal := _refuse_unless_draft(request, set_version):
        return refusal
    return _set_version_edit_page(request, set_version)


def _set_version_edit_page(
    request: HttpRequest,
    set_version: LocalMeasureSetVersion,
    deflator_form: SetDeflatorForm | None = None,
    carbon_form: SetCarbonForm | None = None,
) -> HttpResponse:
    """The draft's editing page; the form just posted (if any) is shown with its errors."""
    search = request.GET.get("q", "")
    page = Paginator(_addable_measures(set_version, search), EDITOR_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = _set_version_context(request_user(request), set_version)
    local_framework = local_sets.local_framework_of(set_version.measure_set.owner)
    posted = deflator_form or carbon_form
    deflator_form = deflator_form or _deflator_form(set_version)
    carbon_form = carbon_form or _carbon_form(set_version)
    context.update(
        {
            "search": search,
            "page_obj": page,
            "querystring_without_page": querystring_without_page(request),
            "local_framework": local_framework,
            "deflator_form": deflator_form,
            "carbon_form": carbon_form,
            # The base page shows the GOV.UK error summary for whichever form is `form`.
            "form": posted or deflator_form,
        }
    )
    return render(request, "frameworks/set_version_edit.html", context)


@login_required
@require_POST
def set_version_deflator(request: HttpRequest, pk: int) -> HttpResponse:
    set_version = _editable_set_version(request, pk)
    if refusal := _refuse_unless_draft(request, set_version):
        return refusal
    form = _deflator_form(set_version, request.POST)
    if form.is_valid():
        deflator = form.cleaned_data["deflator"]
        try:
            local_sets.set_version_deflator_choose(
                set_version=set_version, deflator=deflator, by=request_user(request)
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(
                request,
                f"Values in this version are re-based with {deflator.name}"
                if deflator
                else "Values in this version are not re-based with a deflator series",
            )
            return redirect("frameworks:set-version-edit", pk=set_version.pk)
    return _set_version_edit_page(request, set_version, deflator_form=form)


@login_required
@require_POST
def set_version_carbon(request: HttpRequest, pk: int) -> HttpResponse:
    set_version = _editable_set_version(request, pk)
    if refusal := _refuse_unless_draft(request, set_version):
        return refusal
    form = _carbon_form(set_version, request.POST)
    if form.is_valid():
        series = form.cleaned_data["carbon_series"]
        path = form.cleaned_data["carbon_path"]
        try:
            local_sets.set_version_carbon_choose(
                set_version=set_version,
                carbon_series=series,
                path=path,
                by=request_user(request),
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(
                request,
                f"Carbon savings in this version are valued with {series.name}"
                if series
                else f"Carbon savings in this version are valued at the {path} DESNZ carbon values",
            )
            return redirect("frameworks:set-version-edit", pk=set_version.pk)
    return _set_version_edit_page(request, set_version, carbon_form=form)


def _posted_measure(request: HttpRequest) -> Measure:
    try:
        measure_pk = int(request.POST.get("measure", ""))
    except ValueError:
        raise Http404("No such measure") from None
    return measure_for_user(request_user(request), measure_pk)


@login_required
@require_POST
def set_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    set_version = _editable_set_version(request, pk)
    measure = _posted_measure(request)
    carry_out(
        request,
        lambda: local_sets.set_item_add(
            set_version=set_version, measure=measure, by=request_user(request)
        ),
        f"{measure.code} {measure.title} is added to the set",
    )
    target = reverse("frameworks:set-version-edit", args=[set_version.pk])
    search = request.POST.get("q", "")
    return redirect(f"{target}?{urlencode({'q': search})}" if search else target)


@login_required
@require_POST
def set_item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    set_version = _editable_set_version(request, pk)
    measure = _posted_measure(request)
    carry_out(
        request,
        lambda: local_sets.set_item_remove(
            set_version=set_version, measure=measure, by=request_user(request)
        ),
        f"{measure.code} {measure.title} is removed from the set",
    )
    return redirect("frameworks:set-version-edit", pk=set_version.pk)


@login_required
def set_version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    set_version = _editable_set_version(request, pk)
    form = SetPublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            local_sets.set_version_publish(
                set_version=set_version,
                in_force_from=form.cleaned_data["in_force_from"],
                by=request_user(request),
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(request, f"{set_version} is published")
            return redirect("frameworks:set-version", pk=set_version.pk)
    return render(
        request,
        "frameworks/set_version_publish.html",
        {
            "form": form,
            "set_version": set_version,
            "measure_set": set_version.measure_set,
            "problems": local_sets.set_version_publish_problems(set_version),
        },
    )


@login_required
def local_measure_create(request: HttpRequest, pk: int) -> HttpResponse:
    set_version = _editable_set_version(request, pk)
    if refusal := _refuse_unless_draft(request, set_version):
        return refusal
    council = set_version.measure_set.owner
    form = LocalMeasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = request_user(request)
        try:
            measure = local_sets.set_local_measure_add(
                set_version=set_version,
                code=data["code"],
                title=data["title"],
                description=data["description"],
                unit=data["unit"],
                value_type=data["value_type"],
                evidence_expected=data["evidence_expected"],
                counting_notes=data["counting_notes"],
                tags=data["tags"],
                cwb_pillars=data["cwb_pillars"],
                eflg_modules=data["eflg_modules"],
                proxy=form.proxy(),
                by=user,
            )
        except ValidationError as problem:
            add_validation_errors(form, problem)
        else:
            messages.success(
                request,
                f"{measure.code} {measure.title} is added to {measure.version} and to this set",
            )
            return redirect("frameworks:set-version-edit", pk=set_version.pk)
    return render(
        request,
        "frameworks/local_measure_create.html",
        {
            "form": form,
            "set_version": set_version,
            "measure_set": set_version.measure_set,
            "framework_name": f"{council.name} local measures",
        },
    )
