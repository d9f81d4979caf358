"""The EFLG self-assessment: criteria entered or loaded, assessments with history, evidence
from Commonweal's own records, module levels by the rule, and small numbers withheld on every
page, export and API answer that shows a figure about people with a protected characteristic."""

from __future__ import annotations

import ast
import csv
import inspect
import io
import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

import commonweal
from commonweal.core.models import Job
from commonweal.fairwork import api, equality_views, exports, selectors, services
from commonweal.fairwork.loading import criteria_template_xlsx
from commonweal.fairwork.models import EflgCriterion, EvidenceKind
from tests.contracts.builders import build_contract, build_measures

pytestmark = pytest.mark.django_db

TODAY = date.today()


def _criterion(
    world, by, reference="4.1", module="workforce", text="The workforce reflects the area"
):
    return services.criterion_add(
        council=world.council, module=module, reference=reference, text=text, by=by
    )


def _assess(criterion, level, on, by, owner="Head of HR"):
    return services.assessment_add(
        criterion=criterion,
        level=level,
        narrative=f"Assessed {level}",
        owner=owner,
        assessed_on=on,
        by=by,
        today=TODAY,
    )


@pytest.fixture
def workforce(world, council_officer):
    """Two workforce criteria a year apart: Developing then, Excellent and Achieving now."""
    first = _criterion(world, council_officer, "4.1")
    second = _criterion(world, council_officer, "4.2", text="Staff networks are heard")
    long_ago = selectors.year_ago(TODAY) - timedelta(days=10)
    _assess(first, "developing", long_ago, council_officer)
    _assess(second, "developing", long_ago, council_officer)
    current = _assess(first, "excellent", TODAY, council_officer)
    _assess(second, "achieving", TODAY, council_officer)
    return first, second, current


def test_a_modules_level_follows_from_its_criteria_now_and_a_year_ago(world, workforce):
    module = next(
        m for m in selectors.module_summaries(world.council, TODAY) if m.key == "workforce"
    )
    assert module.now.level.value == "achieving"
    assert module.year_ago.level.value == "developing"
    assert module.now.explanation == "All 2 criteria are Achieving or above; 1 is below Excellent"


def test_the_equality_page_shows_modules_levels_progress_and_evidence_counts(
    world, workforce, client_for, viewer
):
    page = client_for(viewer).get(reverse("fairwork:equality")).content.decode()
    assert "Diverse and engaged workforce" in page
    assert "Achieving" in page and "A year ago" in page
    assert "How a module" in page and "level all of its criteria have reached" in page


def test_the_module_page_is_a_task_list_with_each_criterions_level(
    world, workforce, client_for, viewer
):
    page = (
        client_for(viewer).get(reverse("fairwork:eflg-module", args=["workforce"])).content.decode()
    )
    assert "govuk-task-list" in page
    assert "4.1 The workforce reflects the area" in page
    assert "Excellent" in page


def test_the_criterion_page_keeps_the_history(world, workforce, client_for, viewer):
    first, _, _ = workforce
    page = (
        client_for(viewer).get(reverse("fairwork:eflg-criterion", args=[first.pk])).content.decode()
    )
    assert page.index("Excellent") < page.index("Developing")


def test_an_assessment_cannot_be_dated_in_the_future(world, council_officer):
    criterion = _criterion(world, council_officer)
    with pytest.raises(Exception, match="today or in the past"):
        services.assessment_add(
            criterion=criterion,
            level="achieving",
            narrative="x",
            owner="y",
            assessed_on=date(2099, 1, 1),
            by=council_officer,
            today=TODAY,
        )


# --- Loading criteria ------------------------------------------------------------------------


def test_criteria_load_from_the_xlsx_template_after_a_preview(world, client_for, council_officer):
    workbook = load_workbook(io.BytesIO(criteria_template_xlsx()))
    sheet = workbook["Criteria"]
    sheet["C2"] = "We know our communities"
    sheet["C3"] = "Leaders champion equality"
    sheet["C4"] = "Services are accessible"
    sheet["C5"] = "Our workforce reflects the area"
    out = io.BytesIO()
    workbook.save(out)
    client = client_for(council_officer)
    upload = SimpleUploadedFile("criteria.xlsx", out.getvalue())
    response = client.post(reverse("fairwork:eflg-criteria-load"), {"file": upload})
    # A workbook is read by a background job, whose page goes on to the preview when done.
    job = Job.objects.get()
    assert response["Location"] == reverse("accounts:job-detail", args=[job.pk]) + "?follow=1"
    assert job.status == Job.Status.SUCCEEDED
    assert job.result_url == reverse("fairwork:eflg-criteria-load-confirm")
    page = client.get(job.result_url).content.decode()
    assert "Nothing has been added yet" in page and "Leaders champion equality" in page
    assert not EflgCriterion.objects.exists()
    client.post(reverse("fairwork:eflg-criteria-load-confirm"))
    loaded = EflgCriterion.objects.order_by("module", "reference")
    assert sorted((c.module, c.reference) for c in loaded) == [
        ("communities", "1.1"),
        ("leadership", "2.1"),
        ("services", "3.1"),
        ("workforce", "4.1"),
    ]
    assert loaded[0].source.startswith("Loaded from criteria.xlsx")


def test_a_criteria_file_with_problems_lists_every_one_and_adds_nothing(
    world, client_for, council_officer
):
    _criterion(world, council_officer, "4.1")
    text = "Module,Reference,Criterion\n9,1.1,Something\n4,4.1,Again\n1,,No reference\n2,2.1,\n"
    upload = SimpleUploadedFile("criteria.csv", text.encode())
    page = (
        client_for(council_officer)
        .post(reverse("fairwork:eflg-criteria-load"), {"file": upload})
        .content.decode()
    )
    assert "&#x27;9&#x27; is not one of the four modules" in page
    assert "4.1 is in this module already" in page
    assert "enter a reference, like 1.1" in page
    assert "enter the criterion" in page
    assert EflgCriterion.objects.count() == 1


def test_a_criteria_workbook_with_problems_fails_its_job_naming_each_row_and_adds_nothing(
    world, client_for, council_officer
):
    workbook = load_workbook(io.BytesIO(criteria_template_xlsx()))
    workbook["Criteria"]["A3"] = "9"  # row 3: no such module; the other rows have no criterion
    out = io.BytesIO()
    workbook.save(out)
    client = client_for(council_officer)
    upload = SimpleUploadedFile("criteria.xlsx", out.getvalue())
    client.post(reverse("fairwork:eflg-criteria-load"), {"file": upload})
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert "row 3, column 'Module'" in job.error and "row 2, column 'Criterion'" in job.error
    assert job.result_url == reverse("fairwork:eflg-criteria-load")  # 'Try again'
    assert client.get(reverse("accounts:job-detail", args=[job.pk])).status_code == 200
    assert not EflgCriterion.objects.exists()
    # The kept file is gone, and the confirm page has nothing to confirm.
    assert not list((settings.DATA_DIR / "uploads" / services.CRITERIA_PURPOSE).glob("*/*"))
    response = client.post(reverse("fairwork:eflg-criteria-load-confirm"))
    assert response["Location"] == reverse("fairwork:eflg-criteria-load")
    assert not EflgCriterion.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_is_refused_with_a_reason(
    world, client_for, council_officer
):
    upload = SimpleUploadedFile("criteria.pdf", b"%PDF-1.4 not a table")
    page = (
        client_for(council_officer)
        .post(reverse("fairwork:eflg-criteria-load"), {"file": upload})
        .content.decode()
    )
    assert "Commonweal reads .csv" in page and "not .pdf" in page


def test_the_templates_download_without_the_lgas_criteria(world, client_for, viewer):
    client = client_for(viewer)
    text = client.get(reverse("fairwork:eflg-criteria-template", args=["csv"])).content.decode()
    assert text.splitlines()[0].lstrip("\ufeff") == "Module,Reference,Criterion"
    assert "Diverse and engaged workforce" in text
    assert client.get(reverse("fairwork:eflg-criteria-template", args=["pdf"])).status_code == 404


# --- Evidence and small numbers --------------------------------------------------------------


@pytest.fixture
def with_people_evidence(world, workforce, council_officer):
    """Evidence on the current 4.1 assessment: a commitment counting 4 FTE disabled people
    (committed), an entered count of 3 people by race, and one of 12 by sex."""
    _, _, current = workforce
    measures = build_measures(world.council)
    measures.jobs.eflg_modules = ["workforce"]
    measures.jobs.save()
    contract = build_contract(world.council, world.supplier, measures)
    commitment = contract.commitments.get(measure=measures.jobs)
    services.evidence_add(
        assessment=current,
        kind=EvidenceKind.COMMITMENT,
        description="Disabled people employed on the catering contract",
        commitment=commitment,
        characteristic="disability",
        by=council_officer,
    )
    services.evidence_add(
        assessment=current,
        kind=EvidenceKind.LINK,
        description="Staff survey",
        url="https://example.org/survey",
        people_count=Decimal("3"),
        characteristic="race",
        by=council_officer,
    )
    services.evidence_add(
        assessment=current,
        kind=EvidenceKind.LINK,
        description="Women in senior roles",
        url="https://example.org/senior",
        people_count=Decimal("12"),
        characteristic="sex",
        by=council_officer,
    )
    return current


def _criterion_page(client, current) -> str:
    url = reverse("fairwork:eflg-criterion", args=[current.criterion_id])
    return re.sub(r"<[^>]+>", "", client.get(url).content.decode())


def _csv(client, current) -> str:
    text = client.get(reverse("fairwork:eflg-export-csv")).content.decode()
    rows = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    return next(r for r in rows if r["reference"] == "4.1")["evidence"]


def _xlsx(client, current) -> str:
    content = client.get(reverse("fairwork:eflg-export-xlsx")).content
    rows = load_workbook(io.BytesIO(content)).active.iter_rows()
    return "\n".join(str(c.value) for row in rows for c in row)


def _docx(client, current) -> str:
    content = client.get(reverse("fairwork:eflg-export-docx")).content
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def _api(client, current) -> str:
    body = client.get("/api/v1/fair-work/equality").json()
    assert body["small_number"] == 5
    workforce = next(m for m in body["modules"] if m["key"] == "workforce")
    criterion = next(c for c in workforce["criteria"] if c["reference"] == "4.1")
    withheld = {e["figure_label"]: e["withheld"] for e in criterion["evidence"]}
    assert withheld == {
        "Committed (Disability)": True,
        "People (Race)": True,
        "People (Sex)": False,
    }
    return "\n".join(f"{e['figure_label']}: {e['figure']}" for e in criterion["evidence"])


#: Every page, export and API route that shows a figure about people with a protected
#: characteristic, with how to read its text. `test_the_table_covers_every_route_that_shows_one`
#: fails when a new caller of `evidence_figure` is not listed here.
SHOWS_PEOPLE_FIGURES = {
    "criterion page": _criterion_page,
    "CSV export": _csv,
    "XLSX export": _xlsx,
    "Word export": _docx,
    "API self-assessment": _api,
}


@pytest.mark.parametrize("route", SHOWS_PEOPLE_FIGURES)
def test_small_numbers_are_withheld_wherever_they_are_shown(
    world, with_people_evidence, client_for, viewer, route
):
    """Below the council's small number (5 by default) a count of people with a protected
    characteristic reads "fewer than 5"; at or above it the count is shown."""
    text = SHOWS_PEOPLE_FIGURES[route](client_for(viewer), with_people_evidence)
    assert "Committed (Disability): fewer than 5 FTE" in text
    assert "People (Race): fewer than 5" in text
    assert "People (Sex): 12" in text
    assert "4 FTE" not in text and "People (Race): 3" not in text


def test_the_table_covers_every_route_that_shows_one():
    """The figures are made in one place, `selectors.evidence_figure`; these are its callers,
    and the routes that use each."""
    callers = set()
    for module in (api, equality_views, exports):
        for node in ast.walk(ast.parse(inspect.getsource(module))):
            if isinstance(node, ast.FunctionDef) and "evidence_figure" in ast.unparse(node):
                callers.add(f"{module.__name__.rsplit('.', 1)[1]}.{node.name}")
    covered = {
        "equality_views.criterion_detail": ["criterion page"],
        "exports._evidence_lines": ["CSV export", "XLSX export", "Word export"],
        "api.self_assessment": ["API self-assessment"],
    }
    assert callers == set(covered)
    assert sorted(r for routes in covered.values() for r in routes) == sorted(SHOWS_PEOPLE_FIGURES)
    others = [
        str(path)
        for path in Path(commonweal.__file__).parent.rglob("*.py")
        if "evidence_figure" in path.read_text() and path.parent.name != "fairwork"
    ]
    assert others == [], "a figure about people is shown outside fair work: add it to the table"


def test_the_council_sets_its_own_small_number(
    world, with_people_evidence, client_for, council_admin
):
    client = client_for(council_admin)
    response = client.post(reverse("fairwork:settings"), {"small_number_threshold": "20"})
    assert response.status_code == 302
    page = client.get(
        reverse("fairwork:eflg-criterion", args=[with_people_evidence.criterion_id])
    ).content.decode()
    assert "People (Sex): <strong>fewer than 20</strong>" in page
    page = client.post(
        reverse("fairwork:settings"), {"small_number_threshold": "1"}
    ).content.decode()
    assert "Enter a number from 2 to 100" in page


def test_evidence_links_only_the_councils_own_commitments(world, workforce, council_officer):
    from tests.contracts.builders import build_contract as other_contract

    theirs = other_contract(
        world.other_council, world.supplier, build_measures(world.other_council)
    ).commitments.first()
    _, _, current = workforce
    with pytest.raises(Exception, match="Choose one of your council's commitments"):
        services.evidence_add(
            assessment=current,
            kind=EvidenceKind.COMMITMENT,
            description="Not ours",
            commitment=theirs,
            by=council_officer,
        )


def test_a_document_is_checked_by_its_content(world, workforce, client_for, council_officer):
    _, _, current = workforce
    client = client_for(council_officer)
    url = reverse("fairwork:eflg-evidence-add", args=[current.pk])
    fake = SimpleUploadedFile("report.pdf", b"<html><script>x</script></html>")
    page = client.post(
        url, {"kind": "document", "description": "Report", "file": fake}
    ).content.decode()
    assert "nothing was added" not in page and current.evidence.count() == 0
    pdf = SimpleUploadedFile(
        "report.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
    )
    response = client.post(url, {"kind": "document", "description": "Report", "file": pdf})
    assert response.status_code == 302
    evidence = current.evidence.get()
    download = client.get(reverse("fairwork:eflg-evidence-download", args=[evidence.pk]))
    assert download["Content-Disposition"].startswith("attachment")
