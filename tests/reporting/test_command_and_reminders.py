"""`commonweal report cabinet` and the reminders of overdue and at-risk actions."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from docx import Document

from commonweal.monitoring.models import Notification
from commonweal.reporting import services

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("report", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_published_report_and_the_draft_from_the_command_line(records, tmp_path):
    published = json.loads(run("cabinet", "--org", "E08000018", "--year", "2025-26"))
    assert (published["status"], published["version"]) == ("published", 1)
    draft = json.loads(run("cabinet", "--org", "e08000018", "--year", "2025-26", "--draft"))
    assert draft["status"] == "draft"
    html = run("cabinet", "--org", "E08000018", "--year", "2025-26", "--format", "html")
    assert "<h1>Social Value Policy progress report 2025-26 (year 2)</h1>" in html
    assert "http://" in html  # links to the records are whole addresses
    target = tmp_path / "report.docx"
    run(
        "cabinet",
        "--org",
        "E08000018",
        "--year",
        "2025-26",
        "--format",
        "docx",
        "--output",
        str(target),
    )
    assert any("Procurement" in p.text for p in Document(target).paragraphs)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org", "E09999999", "--year", "2025-26"], "No council has the GSS code E09999999"),
        (["--org", "E08000018", "--year", "2025"], "is not a year like 2025-26"),
        (["--org", "E08000018", "--year", "2019-20", "--draft"], "before the policy was adopted"),
        (["--org", "E08000018", "--year", "2025-26", "--format", "docx"], "Give --output"),
    ],
)
def test_the_command_says_what_is_wrong(records, args, message):
    with pytest.raises(CommandError, match=message):
        run("cabinet", *args)


def test_owners_are_reminded_once_of_overdue_and_at_risk_actions(
    records, council_officer, council_admin
):
    action = records["action"]  # due 30 June 2025, not started, owned by the officer
    mail.outbox.clear()
    first = services.action_reminders_send(today=date(2025, 7, 1))
    assert first.notifications == 1  # the event's action is due at the end of 2025
    assert mail.outbox[0].to == [council_officer.email]
    assert "Overdue: Publish the year one figures" in mail.outbox[0].subject
    assert services.action_reminders_send(today=date(2025, 7, 2)).notifications == 0
    services.action_progress(
        action=records["event_action"],
        written_on=date(2025, 7, 2),
        note="No partner data yet",
        status="at_risk",
        status_reason="Partners have not shared their spend",
        by=council_admin,
    )
    assert services.action_reminders_send(today=date(2025, 7, 3)).notifications == 1
    assert Notification.objects.filter(subject__startswith="At risk:").count() == 1
    services.action_progress(
        action=action,
        written_on=date(2025, 7, 3),
        note="Published",
        status="done",
        by=council_admin,
    )
    assert services.action_reminders_send(today=date(2025, 7, 4)).notifications == 0


def test_reminders_from_the_command_line(records):
    assert "notification(s) recorded" in run("send-reminders", "--today", "2025-07-01")
