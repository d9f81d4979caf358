"""The programme office's forms, worked through the pages as an officer would."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from commonweal.reporting.models import Action, ActionStatus, Decision, EngagementEntry

pytestmark = pytest.mark.django_db


def date_fields(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def test_an_officer_records_a_decision_its_recommendations_and_an_action(
    world, client_for, council_officer
):
    client = client_for(council_officer)
    response = client.post(
        reverse("reporting:decision-new"),
        {
            "meeting": "Cabinet",
            **date_fields("decided_on", date(2020, 11, 16)),
            "report_title": "Social Value Policy: progress in year one",
        },
    )
    decision = Decision.objects.get()
    assert response["Location"] == reverse("reporting:decision", args=[decision.pk])
    client.post(
        reverse("reporting:recommendation-new", args=[decision.pk]),
        {"label": "(a)", "text": "Note the progress", "another": "1"},
    )
    recommendation = decision.recommendations.get()
    assert recommendation.label == "a"
    # The same letter twice is refused with a message naming it.
    again = client.post(
        reverse("reporting:recommendation-new", args=[decision.pk]),
        {"label": "a", "text": "Something else"},
    )
    assert "already has a recommendation (a)" in again.content.decode()
    # An action at risk needs a reason.
    address = reverse("reporting:action-new", args=[decision.pk, recommendation.pk])
    fields = {
        "title": "Real Living Wage accreditation",
        "owner": council_officer.pk,
        **date_fields("due_on", date(2021, 9, 30)),
        "status": ActionStatus.AT_RISK,
    }
    refused = client.post(address, fields)
    assert "Say why the action is at risk" in refused.content.decode()
    client.post(address, {**fields, "status_reason": "Budget not agreed"})
    action = Action.objects.get()
    assert (action.status, action.status_reason) == (ActionStatus.AT_RISK, "Budget not agreed")
    page = client.get(reverse("reporting:decision", args=[decision.pk])).content.decode()
    assert "(a) Note the progress" in page and "At risk" in page


def test_an_owner_must_be_a_member_of_the_council(
    records, client_for, council_officer, other_council_officer
):
    decision, recommendation = records["decision"], records["recommendation"]
    response = client_for(council_officer).post(
        reverse("reporting:action-new", args=[decision.pk, recommendation.pk]),
        {
            "title": "Someone else's action",
            "owner": other_council_officer.pk,
            **date_fields("due_on", date(2026, 1, 1)),
            "status": ActionStatus.NOT_STARTED,
        },
    )
    assert "Choose an owner from the list" in response.content.decode()


def test_progress_updates_are_dated_and_set_the_status(records, client_for, council_officer):
    action = records["action"]
    client = client_for(council_officer)
    address = reverse("reporting:action-progress", args=[action.pk])
    future = client.post(
        address,
        {**date_fields("written_on", date(2099, 1, 1)), "note": "Done", "status": "done"},
    )
    assert "must be today or earlier" in future.content.decode()
    client.post(
        address,
        {
            **date_fields("written_on", date(2025, 6, 20)),
            "note": "Figures published on the council's website",
            "status": "done",
        },
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.updates.get().written_on == date(2025, 6, 20)
    page = client.get(reverse("reporting:action", args=[action.pk])).content.decode()
    assert "Figures published on the council&#x27;s website" in page


def test_evidence_is_chosen_from_the_council_s_own_records(records, client_for, council_officer):
    action, version = records["action"], records["version"]
    client = client_for(council_officer)
    address = reverse("reporting:evidence-add", args=[action.pk])
    assert "What kind of record is it?" in client.get(address).content.decode()
    choose = client.get(address + "?kind=progress-report").content.decode()
    assert "Progress report 2025-26, version 1" in choose
    client.post(address + "?kind=progress-report", {"record_id": str(version.pk)})
    link = action.evidence.get(kind="progress-report")
    page = client.get(reverse("reporting:action", args=[action.pk])).content.decode()
    assert reverse("reporting:report-version", args=[records["report"].pk, 1]) in page
    # Not one of the council's records: refused.
    refused = client.post(address + "?kind=progress-report", {"record_id": "999999"})
    assert "Choose one of the council&#x27;s own records" in refused.content.decode()
    assert link.label == "Progress report 2025-26, version 1"


def test_an_event_s_follow_up_actions_join_the_tracker(records, client_for, council_officer):
    event = records["event"]
    client = client_for(council_officer)
    client.post(
        reverse("reporting:event-action-new", args=[event.pk]),
        {
            "title": "Invite the police to the anchor network",
            "owner": council_officer.pk,
            **date_fields("due_on", date(2025, 10, 1)),
            "status": ActionStatus.ON_TRACK,
        },
    )
    tracker = client.get(reverse("reporting:actions")).content.decode()
    assert "Invite the police to the anchor network" in tracker
    assert "Community Wealth Building workshop" in tracker


def test_the_engagement_log(records, client_for, council_officer):
    engagement = records["engagement"]
    client = client_for(council_officer)
    address = reverse("reporting:entry-new", args=[engagement.pk])
    missing = client.post(address, {"kind": "meeting"})
    assert "Enter the date" in missing.content.decode()
    client.post(
        address,
        {
            **date_fields("happened_on", date(2021, 3, 4)),
            "kind": "resource",
            "summary": "Used the CLES anchor toolkit",
        },
    )
    assert EngagementEntry.objects.get().summary == "Used the CLES anchor toolkit"


def test_a_report_is_opened_written_and_published_through_the_pages(
    world, client_for, council_admin
):
    client = client_for(council_admin)
    reports = reverse("reporting:reports")
    assert "First say when the council adopted it" in client.get(reports).content.decode()
    client.post(
        reverse("reporting:settings"),
        {
            **date_fields("policy_adopted_on", date(2024, 10, 1)),
            "year_starts_day": 1,
            "year_starts_month": 4,
        },
    )
    client.post(reports, {"year": "2025-26"})
    report = world.council.progress_reports.get()
    assert report.year == "2025-26"
    client.post(
        reverse("reporting:report-edit", args=[report.pk]),
        {"introduction": "Year two.", "procurement": "More tenders.", "recommendations": "Note it"},
    )
    report.refresh_from_db()
    assert report.narrative == {"introduction": "Year two.", "procurement": "More tenders."}
    response = client.post(reverse("reporting:report-publish", args=[report.pk]), {})
    assert response["Location"] == reverse("reporting:report-version", args=[report.pk, 1])
    again = client.post(reverse("reporting:report-publish", args=[report.pk]), {"note": ""})
    assert "Say why the report is published again" in again.content.decode()
