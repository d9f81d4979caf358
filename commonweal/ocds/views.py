"""Downloads of OCDS data from the contracts register, and our extension's files."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from commonweal.accounts.access import request_user
from commonweal.ocds import releases
from commonweal.ocds.access import contract_to_publish, publishing_council

EXTENSION_DIR = Path(__file__).parent / "extensions" / "social_value"
EXTENSION_FILES = {
    "extension.json": "application/json",
    "release-schema.json": "application/json",
    "README.md": "text/markdown; charset=utf-8",
}


def _json_download(data: object, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(releases.json_ready(data), indent=2, ensure_ascii=False),
        content_type="application/json",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def contracts_package(request: HttpRequest) -> HttpResponse:
    """The council's awarded contracts as an OCDS release package."""
    council = publishing_council(request).organisation
    data = releases.release_package(council)
    return _json_download(data, f"ocds-contracts-{council.gss_code}.json")


@login_required
def performance_notice(request: HttpRequest, pk: int) -> HttpResponse:
    contract = contract_to_publish(request_user(request), pk)
    data = releases.performance_notice_package(contract)
    return _json_download(data, f"contract-performance-notice-{contract.reference}-ocds.json")


def extension_file(request: HttpRequest, name: str) -> HttpResponse:
    """Our OCDS extension, public so anyone reading a package can find what it adds."""
    if name not in EXTENSION_FILES:
        raise Http404("No such file in the extension")
    text = (EXTENSION_DIR / name).read_text()
    if name == "extension.json":
        text = text.replace("{SITE_URL}", settings.SITE_URL)
    return HttpResponse(text, content_type=EXTENSION_FILES[name])
