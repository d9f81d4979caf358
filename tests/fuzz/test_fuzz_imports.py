"""Every import, through the page and through the command line, given generated bad files
(``bad_files``): no server error and no traceback, a message that names the file, or the row
and column, and nothing written.

The number of examples each test tries is COMMONWEAL_FUZZ_EXAMPLES (10 unless set, so that the
module takes about a minute on two cores); a longer run sets more. Hypothesis keeps the failures
it finds and tries them first next time.
"""

from __future__ import annotations

import html
import io
import os
import re
from collections.abc import Callable
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from tempfile import TemporaryDirectory
from urllib.parse import urlsplit

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.test import Client
from django.urls import resolve, reverse
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

from commonweal.core.models import Job
from commonweal.cwb.refdata_store import PAGE_CHOICES
from commonweal.fairwork.loading import CRITERIA_HEADINGS, RATE_HEADINGS
from tests.fuzz.bad_files import bad_files

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=int(os.environ.get("COMMONWEAL_FUZZ_EXAMPLES", "10")),
    # A failing file is reported as found: shrinking one through a page and a job can take
    # many minutes, and a bad file needs no shrinking to be understood.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SUFFIXES = st.sampled_from([".csv", ".xlsx", ".xls", ".ods", ".txt", ".json", ".xlsm"])
#: What a job records when its work raised something unexpected: a failure of ours, not the file.
OUR_FAILURE = "Something went wrong on our side"
#: Tables that record the attempt, not its outcome.
ATTEMPT_TABLES = {"core.Job", "django_tasks_database.DBTaskResult", "sessions.Session"}
#: Records of an attempt that failed, kept so that the import history shows it: not data.
FAILED_ATTEMPTS = {
    "cwb.SpendImportRun": Q(status="failed"),
    "cwb.SpendImportFile": Q(run__status="failed"),
}


def table_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.exclude(
            FAILED_ATTEMPTS.get(model._meta.label, Q(pk__in=[]))
        ).count()
        for model in apps.get_models()
        if model._meta.label not in ATTEMPT_TABLES
        and model._meta.app_label not in ("auditlog", "contenttypes", "auth")
    }


def names_the_problem(text: str, file_name: str) -> bool:
    """Whether a message names the file, or the row (and column) where the problem is."""
    return file_name in text or re.search(r"\brow \d+", text, re.IGNORECASE) is not None


def page_errors(page: str) -> str:
    """What a refusing page says about the problem, as text: from its error summary to the end
    of its main content (the field errors and any table of problems are below the summary), or
    the whole of its main content on a page of problems without a summary."""
    main = page[page.find("<main") : page.find("</main>")]
    start = max(main.find("govuk-error-summary"), 0)
    return html.unescape(re.sub(r"(?s)<[^>]+>|\s+", " ", main[start:])).strip()


def page_outcome(client: Client, response) -> tuple[bool, str]:
    """(whether the page took the file, what it said): a page with a form and its errors, a
    check page, or a background job that succeeded or failed saying why."""
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        return False, page_errors(response.content.decode())
    location = response["Location"]
    if not location.startswith(reverse("accounts:job-list")):
        return True, ""
    job = Job.objects.get(pk=resolve(urlsplit(location).path).kwargs["pk"])
    assert job.status in (Job.Status.SUCCEEDED, Job.Status.FAILED), job.status
    assert OUR_FAILURE not in job.error, job.error
    if job.status == Job.Status.SUCCEEDED:
        return True, ""
    page = client.get(location)
    assert page.status_code == 200
    return False, job.error


def command_outcome(*args: str) -> tuple[bool, str]:
    """(whether the command took the file, what it said): a CommandError is a message; any
    other exception would be a traceback, and fails the test."""
    err = io.StringIO()
    try:
        call_command(*args, stdout=io.StringIO(), stderr=err)
    except CommandError as problem:
        return False, f"{problem}\n{err.getvalue()}"
    return True, ""


def check(file_name: str, attempt: Callable[[], tuple[bool, str]]) -> None:
    before = table_counts()
    accepted, message = attempt()
    if not accepted:
        assert names_the_problem(message, file_name), message
        after = table_counts()
        changed = {label: (count, after[label]) for label, count in before.items()}
        assert not {label for label, (was, now) in changed.items() if was != now}, changed


def as_file(content: bytes, name: str) -> SimpleUploadedFile:
    note(f"{name}: {content[:300]!r}")
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def on_disk(content: bytes, name: str) -> tuple[TemporaryDirectory[str], Path]:
    note(f"{name}: {content[:300]!r}")
    folder = TemporaryDirectory()
    path = Path(folder.name) / name
    path.write_bytes(content)
    return folder, path


# --- the pages --------------------------------------------------------------------------------


SPEND_HEADER = ("Payment Date", "Supplier Name", "Amount")


@FUZZ
@given(content=bad_files(SPEND_HEADER), suffix=SUFFIXES)
def test_the_spend_import_page(client_for, council_officer, content, suffix):
    client, name = client_for(council_officer), f"spend{suffix}"

    def attempt():
        response = client.post(
            reverse("cwb:import-new"),
            {"publisher": "Rotherham", "spend_files": [as_file(content, name)]},
        )
        accepted, message = page_outcome(client, response)
        if accepted:  # the draft's check page: confirming runs the import itself
            check_page = client.get(response["Location"])
            if check_page.status_code == 200 and "/check/" in response["Location"]:
                client.post(response["Location"])
        return accepted, message

    check(name, attempt)


@FUZZ
@given(content=bad_files(("Supplier ID", "Supplier Name", "Postcode")), suffix=SUFFIXES)
def test_the_creditor_file_page(client_for, council_officer, content, suffix):
    client, name = client_for(council_officer), f"creditors{suffix}"
    check(
        name,
        lambda: page_outcome(
            client,
            client.post(reverse("cwb:creditor-upload"), {"creditor_file": as_file(content, name)}),
        ),
    )


FRAMEWORK_DETAILS = {
    "name": "Fuzzed measures",
    "publisher": "Rotherham MBC",
    "licence": "CC BY 4.0",
    "year": "2025",
    "in_force_from_day": "1",
    "in_force_from_month": "4",
    "in_force_from_year": "2025",
    "price_base_year": "2024",
}


@FUZZ
@given(content=bad_files(("Measure code", "Measure", "Unit")), suffix=SUFFIXES)
def test_the_framework_import_pages(client_for, council_admin, content, suffix):
    client, name = client_for(council_admin), f"measures{suffix}"

    def attempt():
        response = client.post(
            reverse("frameworks:import"), {**FRAMEWORK_DETAILS, "file": as_file(content, name)}
        )
        accepted, message = page_outcome(client, response)
        if not accepted:
            return accepted, message
        page = client.get(reverse("frameworks:import-mapping"))
        form = page.context["form"]
        mapping = {field: form.initial.get(field) or "" for field in form.fields}
        return page_outcome(client, client.post(reverse("frameworks:import-mapping"), mapping))

    check(name, attempt)


@FUZZ
@given(content=bad_files(("Year", "Index")), suffix=SUFFIXES)
def test_the_deflator_upload_page(client_for, council_admin, content, suffix):
    client, name = client_for(council_admin), f"deflators{suffix}"
    data = {
        "name": "Fuzzed deflator",
        "source_title": "HM Treasury GDP deflators",
        "licence": "Open Government Licence v3.0",
        "file": as_file(content, name),
    }
    check(
        name,
        lambda: page_outcome(client, client.post(reverse("frameworks:deflator-upload"), data)),
    )


@FUZZ
@given(content=bad_files(("Year", "Value")), suffix=SUFFIXES)
def test_the_carbon_upload_page(client_for, council_admin, content, suffix):
    client, name = client_for(council_admin), f"carbon{suffix}"
    data = {
        "name": "Fuzzed carbon values",
        "source_title": "Rotherham MBC carbon values",
        "licence": "Open Government Licence v3.0",
        "price_year": "2024",
        "file": as_file(content, name),
    }
    check(
        name,
        lambda: page_outcome(client, client.post(reverse("frameworks:carbon-upload"), data)),
    )


CONTRACT_HEADER = ("reference", "title", "supplier", "value", "start_date", "end_date")


@FUZZ
@given(content=bad_files(CONTRACT_HEADER), suffix=SUFFIXES)
def test_the_contracts_import_pages(client_for, council_officer, measures, content, suffix):
    client, name = client_for(council_officer), f"register{suffix}"

    def attempt():
        response = client.post(
            reverse("contracts:import"),
            {
                "file": as_file(content, name),
                "price_year": "2025",
                "measure_set_version": measures.version.pk,
            },
        )
        accepted, message = page_outcome(client, response)
        if accepted and response.status_code == 302:
            client.get(response["Location"])
        # Confirming runs the import; a file with problems imports nothing.
        confirmed = client.post(reverse("contracts:import-confirm"))
        confirmed_accepted, confirmed_message = page_outcome(client, confirmed)
        return accepted and confirmed_accepted, message + confirmed_message

    check(name, attempt)


@FUZZ
@given(content=bad_files(("Measure code", "Measure", "Unit", "Year 1")), suffix=SUFFIXES)
def test_the_offline_offer_workbook_page(client_for, supplier_user, tender, content, suffix):
    client, name = client_for(supplier_user), f"offer{suffix}"
    check(
        name,
        lambda: page_outcome(
            client,
            client.post(
                reverse("tenders:offer-upload", args=[tender.pk]),
                {"workbook": as_file(content, name)},
            ),
        ),
    )


@FUZZ
@given(content=bad_files(), suffix=SUFFIXES)
def test_the_evidence_upload_page(client_for, supplier_user, draft_return, content, suffix):
    client, name = client_for(supplier_user), f"evidence{suffix}"
    before = table_counts()
    response = client.post(
        reverse("monitoring:evidence-upload", args=[draft_return.pk]),
        {"evidence_type": "payroll_extract", "file": as_file(content, name), "line": ""},
    )
    assert response.status_code in (200, 302)
    after = table_counts()
    if response.status_code == 200:  # refused: the page says why, and nothing is kept
        assert after == before
        assert "There is a problem" in response.content.decode()
    else:  # evidence is any allowed kind of file: at most the one record is added
        changed = {label for label in before if before[label] != after[label]}
        assert changed <= {"monitoring.EvidenceFile"}, changed


@FUZZ
@given(content=bad_files(), suffix=SUFFIXES)
def test_the_offer_document_page(client_for, supplier_user, tender, content, suffix):
    client, name = client_for(supplier_user), f"document{suffix}"
    before = table_counts()
    response = client.post(
        reverse("tenders:offer-document-add", args=[tender.pk]),
        {"file": as_file(content, name)},
    )
    assert response.status_code in (200, 302)
    changed = {label for label, count in table_counts().items() if before[label] != count}
    # A document is kept as sent, if it is an allowed kind; a draft offer may be started for it.
    assert changed <= {"tenders.OfferDocument", "tenders.Offer"}, changed


REFERENCE_KINDS = st.sampled_from([choice for choice, _, _, _ in PAGE_CHOICES])


@FUZZ
@given(
    content=bad_files(("pcds", "lat", "long", "oslaua")),
    suffix=st.sampled_from([".csv", ".json", ".xlsx", ".txt"]),
    kind=REFERENCE_KINDS,
)
def test_the_reference_data_page(client_for, council_admin, content, suffix, kind):
    client, name = client_for(council_admin), f"{kind}{suffix}"
    check(
        name,
        lambda: page_outcome(
            client,
            client.post(
                reverse("cwb:refdata-new"),
                {"kind": kind, "reference_files": [as_file(content, name)], "version": ""},
            ),
        ),
    )


@FUZZ
@given(content=bad_files(RATE_HEADINGS), suffix=SUFFIXES)
def test_the_living_wage_rates_page(client_for, council_admin, content, suffix):
    client, name = client_for(council_admin), f"rates{suffix}"

    def attempt():
        accepted, message = page_outcome(
            client, client.post(reverse("fairwork:rates-load"), {"file": as_file(content, name)})
        )
        if accepted:
            client.post(reverse("fairwork:rates-load-confirm"))
        return accepted, message

    check(name, attempt)


@FUZZ
@given(content=bad_files(CRITERIA_HEADINGS), suffix=SUFFIXES)
def test_the_equality_criteria_page(client_for, council_admin, content, suffix):
    client, name = client_for(council_admin), f"criteria{suffix}"

    def attempt():
        accepted, message = page_outcome(
            client,
            client.post(reverse("fairwork:eflg-criteria-load"), {"file": as_file(content, name)}),
        )
        if accepted:
            client.post(reverse("fairwork:eflg-criteria-load-confirm"))
        return accepted, message

    check(name, attempt)


@FUZZ
@given(content=bad_files(), suffix=SUFFIXES)
def test_the_equality_evidence_page(client_for, council_admin, assessment, content, suffix):
    client, name = client_for(council_admin), f"evidence{suffix}"
    before = table_counts()
    response = client.post(
        reverse("fairwork:eflg-evidence-add", args=[assessment.pk]),
        {"kind": "document", "description": "Report", "file": as_file(content, name)},
    )
    assert response.status_code in (200, 302)
    changed = {label for label, count in table_counts().items() if before[label] != count}
    assert changed <= {"fairwork.EflgEvidence"}, changed


@FUZZ
@given(content=bad_files(), suffix=SUFFIXES)
def test_the_progress_return_evidence_page(
    client_for, partner_user, progress_return, content, suffix
):
    client, name = client_for(partner_user), f"evidence{suffix}"
    before = table_counts()
    response = client.post(
        reverse("partnership:return-edit", args=[progress_return.pk]),
        {
            "progress": "on_track",
            "narrative": "Going well",
            "evidence_file": as_file(content, name),
        },
    )
    assert response.status_code in (200, 302)
    changed = {label for label, count in table_counts().items() if before[label] != count}
    assert changed <= {"partnership.ProgressEvidence"}, changed


#: Each form that takes a file, and the test above that throws bad files at it.
FUZZED_FORMS = {
    "commonweal.cwb.forms.SpendUploadForm": test_the_spend_import_page,
    "commonweal.cwb.forms.CreditorFileForm": test_the_creditor_file_page,
    "commonweal.cwb.forms.ReferenceDataForm": test_the_reference_data_page,
    "commonweal.frameworks.forms.ImportUploadForm": test_the_framework_import_pages,
    "commonweal.frameworks.forms.DeflatorUploadForm": test_the_deflator_upload_page,
    "commonweal.frameworks.forms.CarbonUploadForm": test_the_carbon_upload_page,
    "commonweal.contracts.forms.ContractImportForm": test_the_contracts_import_pages,
    "commonweal.tenders.forms.WorkbookUploadForm": test_the_offline_offer_workbook_page,
    "commonweal.tenders.forms.DocumentForm": test_the_offer_document_page,
    "commonweal.monitoring.forms.EvidenceForm": test_the_evidence_upload_page,
    "commonweal.fairwork.forms.UploadForm": test_the_living_wage_rates_page,
    "commonweal.fairwork.forms.EvidenceForm": test_the_equality_evidence_page,
    "commonweal.partnership.forms.ProgressReturnForm": test_the_progress_return_evidence_page,
}


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def test_every_form_that_takes_a_file_is_fuzzed():
    """A new upload is fuzzed as soon as it is added: its form must be in FUZZED_FORMS."""
    for config in apps.get_app_configs():
        if config.name.startswith("commonweal.") and find_spec(f"{config.name}.forms"):
            import_module(f"{config.name}.forms")
    taking_files = {
        f"{form.__module__}.{form.__qualname__}"
        for form in _subclasses(forms.BaseForm)
        if form.__module__.startswith("commonweal.")
        and any(isinstance(field, forms.FileField) for field in form.base_fields.values())
    }
    assert taking_files <= set(FUZZED_FORMS), sorted(taking_files - set(FUZZED_FORMS))


# --- the command line -------------------------------------------------------------------------


@FUZZ
@given(content=bad_files(SPEND_HEADER), suffix=SUFFIXES)
def test_the_spend_import_command(world, content, suffix):
    folder, path = on_disk(content, f"spend{suffix}")
    with folder:
        check(
            path.name, lambda: command_outcome("spend", "import", "--org", "E08000018", str(path))
        )


@FUZZ
@given(content=bad_files(("Measure code", "Measure", "Unit")), suffix=SUFFIXES)
def test_the_framework_import_command(world, content, suffix):
    folder, path = on_disk(content, f"measures{suffix}")
    with folder:
        check(
            path.name,
            lambda: command_outcome(
                "framework",
                "import",
                str(path),
                "--org",
                "E08000018",
                "--name",
                "Fuzzed",
                "--slug",
                "fuzzed",
                "--publisher",
                "Rotherham MBC",
                "--licence",
                "CC BY 4.0",
                "--year",
                "2025",
                "--in-force-from",
                "2025-04-01",
                "--price-base-year",
                "2024",
            ),
        )


@FUZZ
@given(content=bad_files(("Year", "Index")), suffix=SUFFIXES)
def test_the_deflator_import_command(world, content, suffix):
    folder, path = on_disk(content, f"deflators{suffix}")
    with folder:
        check(
            path.name,
            lambda: command_outcome(
                "framework",
                "import-deflator",
                str(path),
                "--org",
                "E08000018",
                "--name",
                "Fuzzed",
                "--slug",
                "fuzzed",
                "--source-title",
                "HM Treasury",
                "--licence",
                "OGL",
            ),
        )


@FUZZ
@given(content=bad_files(("Year", "Value")), suffix=SUFFIXES)
def test_the_carbon_import_command(world, content, suffix):
    folder, path = on_disk(content, f"carbon{suffix}")
    with folder:
        check(
            path.name,
            lambda: command_outcome(
                "framework",
                "import-carbon",
                str(path),
                "--org",
                "E08000018",
                "--name",
                "Fuzzed",
                "--slug",
                "fuzzed",
                "--price-year",
                "2024",
                "--source-title",
                "Rotherham MBC",
                "--licence",
                "OGL",
            ),
        )


@FUZZ
@given(
    content=bad_files(("pcds", "lat", "long", "oslaua")),
    kind=st.sampled_from(
        ["postcodes", "deprivation", "lad-lookup", "companies-house", "charities", "ocds"]
    ),
)
def test_the_reference_data_command(world, content, kind):
    folder, path = on_disk(content, f"{kind}.csv")
    with folder:
        vintage = ["--vintage", "2025"] if kind == "deprivation" else []
        check(path.name, lambda: command_outcome("refdata", "load", kind, str(path), *vintage))
