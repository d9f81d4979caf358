"""Public pages and open data: the council switches them on; they show only what is published,
and nothing restricted (values under a restrictive licence, people's names and contacts,
sealed or unawarded tenders, unconsented stories, drafts) ever reaches them."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from commonweal.commissioning.models import Procurement
from commonweal.frameworks.models import Framework
from commonweal.reporting import services

pytestmark = pytest.mark.django_db

GSS = "E08000018"


@pytest.fixture
def published(programme, council_admin, council_officer):
    """The programme with its framework's values restricted, an engagement with named
    contacts, an unawarded tender with a distinctive title, draft words, and year 2 published."""
    Framework.objects.filter(slug="test-framework").update(values_restricted=True)
    engagement = services.engagement_create(
        council=programme.council,
        body="CLES Centre of Excellence",
        contacts="Jane Doe-Contact, CLES lead (jane.doe@cles.example)",
        by=council_officer,
    )
    services.engagement_entry_add(
        engagement=engagement,
        happened_on=programme.contract_b.start_date,
        kind="meeting",
        summary="Met to plan the anchor network",
        by=council_officer,
    )
    Procurement.objects.filter(pk=programme.tenders[3].procurement_id).update(
        title="Sealed Lighting Upgrade XQ"
    )
    services.settings_update(council=programme.council, by=council_admin, public_pages=True)
    report = services.report_start(council=programme.council, year="2025-26", by=council_admin)
    version = services.report_publish(report=report, by=council_admin)
    services.report_edit(
        report=report,
        narrative={"introduction": "Unpublished draft words QZ"},
        recommendations="",
        by=council_admin,
    )
    draft_only = services.report_start(council=programme.council, year="2024-25", by=council_admin)
    services.report_edit(
        report=draft_only,
        narrative={"introduction": "Year one draft never published QY"},
        recommendations="",
        by=council_admin,
    )
    return version


def public_outputs(client: Client) -> dict[str, str]:
    """Every public page and file, found by following the public pages' own links."""
    found: dict[str, str] = {}
    queue = [reverse("reporting:public-summary", args=[GSS])]
    while queue:
        url = queue.pop()
        if url in found:
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        if response["Content-Type"].startswith("application/vnd.openxmlformats"):
            word = Document(io.BytesIO(response.content))
            text = "\n".join(p.text for p in word.paragraphs)
            text += "\n".join(c.text for t in word.tables for r in t.rows for c in r.cells)
            found[url] = text
            continue
        body = response.content.decode()
        found[url] = body
        if response["Content-Type"].startswith("text/html"):
            for link in re.findall(r'(?:href|src)="(/social-value/[^"]+)"', body):
                queue.append(link.replace("&amp;", "&"))
    return found


# What must never appear, and the forms it could take.
RESTRICTED = [
    # Pounds resting on the restricted framework's values: committed, claimed and verified
    # by theme and in total, in pence, in pounds and as shown.
    ("restricted committed £", ["107,088", "107088.00", "10708800"]),
    ("restricted claimed £", ["32,957.10", "32957.10", "3295710"]),
    ("restricted verified £", ["21,094.80", "21094.80", "2109480"]),
    ("restricted verification rate", ["64.0%"]),
    ("action owners' names", ["Asha Patel", "Ben Carter"]),
    ("people's emails", ["@rotherham.test", "jane.doe@cles.example"]),
    ("engagement contacts", ["Jane Doe-Contact"]),
    ("supplier's staff", ["Femi Adeyemi"]),
    ("an unawarded tender", ["Sealed Lighting Upgrade XQ"]),
    ("a story without consent", ["Not to be published"]),
    ("draft words", ["Unpublished draft words QZ", "Year one draft never published QY"]),
    ("addresses inside Commonweal", ["/programme/", "/contracts/", "/monitoring/"]),
]


@pytest.mark.parametrize(("what", "forms"), RESTRICTED, ids=[r[0] for r in RESTRICTED])
def test_nothing_restricted_reaches_a_public_page_or_open_data_file(published, what, forms):
    outputs = public_outputs(Client())
    assert len(outputs) > 10  # the summary, its tables, the report, its files and tables
    for url, text in outputs.items():
        for form in forms:
            assert form not in text, f"{what}: {form!r} appears at {url}"


def test_public_pages_show_what_is_open(published):
    outputs = public_outputs(Client())
    summary = outputs[reverse("reporting:public-summary", args=[GSS])]
    assert "Withheld" in summary
    report = outputs[reverse("reporting:public-report", args=[GSS, "2025-26"])]
    # Counts and open figures stay: 3 procurement exercises, the consented story.
    assert "Procurement exercises with social value" in report
    assert "Volunteers at Maltby library" in report
    assert "Open Government Licence" in report
    csv_files = [url for url in outputs if url.endswith(".csv") or ".csv?" in url]
    json_files = [url for url in outputs if url.endswith(".json") or ".json?" in url]
    assert csv_files and json_files
    assert all("Open Government Licence" in outputs[url] for url in json_files)


def test_public_pages_are_off_until_the_council_switches_them_on(programme, council_admin):
    client = Client()
    assert client.get(reverse("reporting:public-summary", args=[GSS])).status_code == 404
    services.settings_update(council=programme.council, by=council_admin, public_pages=True)
    assert client.get(reverse("reporting:public-summary", args=[GSS])).status_code == 200
    # Only what is published: no report for 2025-26 until it is published.
    url = reverse("reporting:public-report", args=[GSS, "2025-26"])
    assert client.get(url).status_code == 404
    report = services.report_start(council=programme.council, year="2025-26", by=council_admin)
    assert client.get(url).status_code == 404
    services.report_publish(report=report, by=council_admin)
    assert client.get(url).status_code == 200
