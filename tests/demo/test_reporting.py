"""The demo's programme office: Rotherham's Cabinet decision with recommendations (a) to (g)
and their actions, the summer workshop, the CLES engagement, and the year-2 progress report
published, compared with year 1, as a Word document too, its figures open to their records."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from commonweal.accounts.models import Organisation, User
from commonweal.reporting.models import ActionStatus, Decision, Engagement, Event, ProgressReport

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]


def signed_in(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def test_the_cabinet_decision_its_recommendations_and_actions(seeded_demo):
    decision = Decision.objects.get(council__gss_code="E08000018")
    assert [r.label for r in decision.recommendations.all()] == list("abcdefg")
    statuses = [a.status for r in decision.recommendations.all() for a in r.actions.all()]
    assert statuses.count(ActionStatus.DONE) >= 3
    assert statuses.count(ActionStatus.AT_RISK) == 1
    page = signed_in("councillor@rotherham.demo").get(
        reverse("reporting:decision", args=[decision.pk])
    )
    assert "(e) Support Community Wealth Building" in page.content.decode()


def test_the_summer_workshop_and_the_cles_engagement(seeded_demo):
    event = Event.objects.get(title__startswith="Community Wealth Building workshop, summer")
    assert event.attendance == 34 and event.actions.exists()
    cles = Engagement.objects.get(body__startswith="CLES")
    assert {e.kind for e in cles.entries.all()} == {"meeting", "resource", "commitment"}


def test_the_year_two_report_is_published_compared_with_year_one(seeded_demo):
    rotherham = Organisation.objects.get(gss_code="E08000018")
    years = sorted(rotherham.progress_reports.values_list("year", flat=True))
    year_two = ProgressReport.objects.get(council=rotherham, year=years[-1])
    version = year_two.versions.order_by("-number").first()
    assert version.number == 2 and version.changes  # republished, with what changed
    document = version.document
    assert document["year"]["number"] == 2 and document["previous_year"]["number"] == 1
    sections = {s["key"]: s for s in document["sections"]}
    figures = {f["key"]: f for f in sections["procurement"]["figures"]}
    assert figures["exercises"]["value"] >= 1 and figures["exercises"]["previous"] >= 1
    # Fair work and equality come from the fairwork app's demo.
    living_wage = {f["key"]: f for f in sections["living-wage"]["figures"]}
    assert living_wage["council-accreditation"]["value"] == "Accredited"
    assert len(sections["equality"]["tables"][0]["rows"]) == 4
    commitments = {f["key"]: f for f in sections["commitments"]["figures"]}
    assert commitments["verified"]["value"] > commitments["verified"]["previous"] > 0

    client = signed_in("councillor@rotherham.demo")
    page = client.get(reverse("reporting:report-version", args=[year_two.pk, 2])).content.decode()
    assert "Published on" in page and "(version 2)" in page
    word = client.get(reverse("reporting:report-version", args=[year_two.pk, 2]) + "?format=docx")
    assert any("Procurement" in p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    # A figure opens to its records, and each record to its own page: two clicks.
    records = re.search(r'href="(/programme/\d+/years/[^"]+/records/commitments/)"', page)
    assert records
    listing = client.get(records.group(1).replace("&amp;", "&")).content.decode()
    assert re.search(r'href="/contracts/\d+/#commitment-\d+"', listing)


def test_the_public_pages_show_the_published_reports(seeded_demo):
    page = Client().get(reverse("reporting:public-summary", args=["E08000018"])).content.decode()
    assert "Social Value Policy progress report" in page
    assert "Asha Patel" not in page


def test_the_year_two_report_gives_the_partnership_from_its_own_demo(seeded_demo):
    rotherham = Organisation.objects.get(gss_code="E08000018")
    year_two = rotherham.progress_reports.order_by("-year").first()
    version = year_two.versions.order_by("-number").first()
    (section,) = [s for s in version.document["sections"] if s["key"].startswith("partnership-")]
    assert section["title"] == "Partnership: Rotherham Together Partnership"
    figures = {f["key"]: f for f in section["figures"]}
    assert figures["signatories"]["value"] >= 3 and figures["signatories"]["previous"] >= 3
    assert figures["returns-owed"]["value"] > 0 and figures["returns-owed"]["previous"] > 0
    tables = {t["key"]: t for t in section["tables"]}
    progress = tables["pledged-progress"]
    assert [c["label"] for c in progress["columns"][3:]] == ["Self-reported", "Reviewed"]
    assert any(key.startswith("network-") for key in tables)
    page = signed_in("councillor@rotherham.demo").get(
        reverse("reporting:report-version", args=[year_two.pk, version.number])
    )
    assert "Partnership: Rotherham Together Partnership" in page.content.decode()
