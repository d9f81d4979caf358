"""Reference data pages: what is loaded, and loading a register, postcode, deprivation or
authority file as a background job."""

from __future__ import annotations

from contextlib import ExitStack

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render

from commonweal.accounts.access import request_user
from commonweal.core.downloads import file_chunks, streamed_csv_attachment
from commonweal.core.models import Job
from commonweal.core.uploads import upload_on_disk
from commonweal.core.views import PAGE_SIZE, querystring_without_page
from commonweal.cwb import paths, refdata_store, tasks
from commonweal.cwb.access import (
    can_load_reference_data,
    cwb_membership,
    reference_load_for_user,
    require_reference_data_loader,
)
from commonweal.cwb.forms import ReferenceDataForm
from commonweal.cwb.models import ReferenceDataLoad
from commonweal.spend_engine.refdata import OFFICIAL_SOURCES

REJECTS_SHOWN = 100


@login_required
def refdata_list(request: HttpRequest) -> HttpResponse:
    membership = cwb_membership(request)
    loads = ReferenceDataLoad.objects.select_related("loaded_by").order_by("-loaded_at", "-pk")
    kind = request.GET.get("kind", "")
    if kind in ReferenceDataLoad.Kind.values:
        loads = loads.filter(kind=kind)
    page = Paginator(loads, PAGE_SIZE).get_page(request.GET.get("page"))
    in_use = {load.pk for group in refdata_store.latest_loads().values() for load in group}
    running = Job.objects.filter(
        Q(status=Job.Status.QUEUED) | Q(status=Job.Status.RUNNING),
        organisation=membership.organisation,
        kind="reference_data_load",
    )
    return render(
        request,
        "cwb/refdata_list.html",
        {
            "page_obj": page,
            "querystring_without_page": querystring_without_page(request),
            "in_use": in_use,
            "kinds": ReferenceDataLoad.Kind.choices,
            "kind": kind,
            "running": running,
            "can_load": can_load_reference_data(membership),
            "authorities_source": refdata_store.authority_lookup().source,
        },
    )


@login_required
def refdata_new(request: HttpRequest) -> HttpResponse:
    membership = cwb_membership(request)
    require_reference_data_loader(membership)
    posted = request.method == "POST"
    form = ReferenceDataForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        # The uploads' own temporary files are read where they are, and copied once, into
        # the folder the job loads them from.
        with ExitStack() as stack:
            files = [
                (upload.name, stack.enter_context(upload_on_disk(upload)))
                for upload in form.cleaned_data["reference_files"]
            ]
            headers = None
            if form.cleaned_data["headers_file"]:
                upload = form.cleaned_data["headers_file"]
                headers = (upload.name, stack.enter_context(upload_on_disk(upload)))
            try:
                job = refdata_store.refdata_upload_start(
                    organisation=membership.organisation,
                    choice=form.cleaned_data["kind"],
                    version=form.cleaned_data["version"],
                    files=files,
                    headers_file=headers,
                    by=request_user(request),
                    enqueue=tasks.load_reference_data.enqueue,
                )
            except ValidationError as problem:
                for message in problem.messages:
                    form.add_error(None, message)
            else:
                return redirect("accounts:job-detail", pk=job.pk)
    sources = [
        (label, OFFICIAL_SOURCES[refdata_store.LOADABLE_KINDS[kind].official_source])
        for _, kind, _, label in refdata_store.PAGE_CHOICES
    ]
    return render(request, "cwb/refdata_new.html", {"form": form, "sources": sources})


@login_required
def refdata_detail(request: HttpRequest, pk: int) -> HttpResponse:
    load, _ = reference_load_for_user(request, pk)
    in_use = any(
        load.pk == other.pk for group in refdata_store.latest_loads().values() for other in group
    )
    return render(
        request,
        "cwb/refdata_detail.html",
        {
            "load": load,
            "in_use": in_use,
            "rejects": refdata_store.rejected_reference_rows(load, REJECTS_SHOWN),
            "rejects_shown": REJECTS_SHOWN,
        },
    )


@login_required
def refdata_rejects_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    load, _ = reference_load_for_user(request, pk)
    path = paths.data_dir() / load.rejects_path
    if not load.rows_rejected or not path.is_file():
        raise Http404("This load rejected no rows")
    return streamed_csv_attachment(
        file_chunks(path), f"rejected-rows-{load.kind}-{load.version}.csv"
    )
