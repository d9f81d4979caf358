"""Publishing freezes a report; publishing again makes a new version that lists what changed."""

from __future__ import annotations

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document

from commonweal.reporting import services
from commonweal.reporting.document import all_figures
from tests.monitoring.helpers import file_return

pytestmark = pytest.mark.django_db


def figure(document, key):
    return dict(all_figures(document))[key]


def test_a_published_report_does_not_change_when_the_data_changes_afterwards(
    programme, council_admin, supplier_user, client_for
):
    report = services.report_start(council=programme.council, year="2025-26", by=council_admin)
    version = services.report_publish(report=report, by=council_admin)
    frozen = json.dumps(version.document, sort_keys=True)
    assert figure(version.document, "commitments/claimed")["value"] == 3_295_710

    # A late return for 2025-26 Q3 on contract B: the draft moves, the published version not.
    file_return(programme.contract_b, "2025-26 Q3", {"RM1": "0.5", "RM2": "100"}, by=supplier_user)
    services.report_edit(
        report=report, narrative={"introduction": "New words"}, recommendations="", by=council_admin
    )
    version.refresh_from_db()
    assert json.dumps(version.document, sort_keys=True) == frozen

    client = client_for(council_admin)
    published = client.get(reverse("reporting:report-version", args=[report.pk, 1]))
    assert "£32,957.10" in published.content.decode()
    assert "Published on" in published.content.decode()
    draft = client.get(reverse("reporting:report", args=[report.pk]))
    # 0.5 FTE (£5,000) and 100 hours (£1,693) more claimed: £39,650.10.
    assert "£39,650.10" in draft.content.decode()
    assert "Draft" in draft.content.decode()


def test_publishing_again_makes_a_new_version_listing_what_changed(
    programme, council_admin, supplier_user
):
    report = services.report_start(council=programme.council, year="2025-26", by=council_admin)
    first = services.report_publish(report=report, by=council_admin)
    file_return(programme.contract_b, "2025-26 Q3", {"RM1": "0.5", "RM2": "100"}, by=supplier_user)
    services.report_edit(
        report=report,
        narrative={"commitments": "B's third return came in late."},
        recommendations="Verify B's returns within a month",
        by=council_admin,
    )
    with pytest.raises(ValidationError):
        services.report_publish(report=report, by=council_admin)
    second = services.report_publish(report=report, by=council_admin, note="B's late return")
    assert (first.number, second.number) == (1, 2)
    changes = {(c["where"], c["what"]): (c["before"], c["after"]) for c in second.changes}
    assert changes[("Social value committed, claimed and verified", "Claimed")] == (
        "£32,957.10",
        "£39,650.10",
    )
    assert changes[("Social value committed, claimed and verified", "Narrative")] == (
        "",
        "B's third return came in late.",
    )
    assert changes[("Report", "Recommendations for the coming year")] == (
        "",
        "Verify B's returns within a month",
    )
    # Figures that did not move are not listed.
    assert ("Procurement", "Procurement exercises with social value") not in changes


def test_the_report_downloads_as_a_word_committee_report_and_as_json(
    programme, council_admin, client_for
):
    report = services.report_start(council=programme.council, year="2025-26", by=council_admin)
    services.report_edit(
        report=report,
        narrative={"introduction": "This report sets out year two."},
        recommendations="Note the progress\nReceive a further report next year",
        by=council_admin,
    )
    version = services.report_publish(report=report, by=council_admin)
    client = client_for(council_admin)
    url = reverse("reporting:report-version", args=[report.pk, version.number])
    response = client.get(url + "?format=docx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    word = Document(io.BytesIO(response.content))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert "1. Procurement" in headings
    assert any(h.endswith("Recommendations") for h in headings)
    text = "\n".join(p.text for p in word.paragraphs)
    assert "Published on" in text and "(version 1)" in text
    assert "Receive a further report next year" in text
    # Charts are pictures with alternative text.
    described = [
        element.get("descr")
        for element in word.element.body.iter()
        if element.tag.endswith("}docPr")
    ]
    assert described and all(described)
    # Tables have header rows.
    assert word.tables and all(t.rows[0].cells[0].text for t in word.tables)

    data = json.loads(client.get(url + "?format=json").content)
    assert data["status"] == "published" and data["version"] == 1
    assert figure(data, "commitments/verified")["value"] == 2_109_480
