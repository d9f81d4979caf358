"""Pages only the demo offers."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from commonweal.core.downloads import csv_attachment
from commonweal.core.exports import csv_writer
from commonweal.cwb.access import cwb_membership, require_cwb_editor
from commonweal.demo import cwb


@login_required
def spend_file(request: HttpRequest) -> HttpResponse:
    """A year of demo spend in a layout Commonweal does not know, for a person trying the
    demo to import through the pages (only in the demo)."""
    if not settings.DEMO_MODE:
        raise Http404("Demo files are only offered in the demo")
    require_cwb_editor(cwb_membership(request))
    response = csv_attachment(cwb.UPLOAD_FILE_NAME)
    writer = csv_writer(response)
    writer.writerow(cwb.UPLOAD_HEADER)
    writer.writerows(cwb.demo_upload_rows())
    return response
