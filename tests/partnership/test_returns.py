"""Progress returns: owed each year, sent by the signatory, reviewed by a coordinator
(accepted or queried), reminded when late; self-reported and reviewed figures kept apart."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from commonweal.monitoring.models import Notification
from commonweal.partnership import exports, selectors, services
from commonweal.partnership.models import ProgressReturn, ReturnMessage, ReturnStatus

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 7)


def send(charter, user, *, reported="14", year=2024, today=date(2025, 6, 20)):
    progress_return = services.progress_return_start(
        pledge=charter.target, financial_year=year, by=user, today=TODAY
    )
    services.progress_return_save(
        progress_return=progress_return,
        progress="on_track",
        reported_quantity=Decimal(reported),
        narrative="Fourteen local people started in portering and catering.",
        by=user,
    )
    return services.progress_return_submit(progress_return=progress_return, by=user, today=today)


def test_returns_are_owed_for_each_year_ended_since_the_pledge_was_made(charter):
    rows = selectors.returns_for_signatory(charter.signatory, today=TODAY)
    assert sorted({(r.pledge.pk, r.financial_year) for r in rows}) == sorted(
        (pledge.pk, year)
        for pledge in (charter.target, charter.commitment)
        for year in (2024, 2025)
    )
    assert {r.state for r in rows} == {"Overdue"}
    assert {r.due_on for r in rows if r.financial_year == 2024} == {date(2025, 6, 30)}


def test_no_return_is_started_for_a_year_not_owed(charter, partner_user):
    with pytest.raises(ValidationError, match="No return is owed on this pledge for 2023-24"):
        services.progress_return_start(
            pledge=charter.target, financial_year=2023, by=partner_user, today=TODAY
        )


def test_a_return_says_how_it_is_going_what_was_done_and_the_figure(charter, partner_user):
    progress_return = services.progress_return_start(
        pledge=charter.target, financial_year=2024, by=partner_user, today=TODAY
    )
    with pytest.raises(ValidationError) as refused:
        services.progress_return_submit(progress_return=progress_return, by=partner_user)
    assert refused.value.message_dict == {
        "progress": ["Choose how the pledge is going"],
        "narrative": ["Say in a few words what was done this year"],
        "reported_quantity": ["Enter the figure for the year, in people"],
    }


def test_a_return_sent_after_its_due_date_is_marked_late(charter, partner_user):
    on_time = send(charter, partner_user, today=date(2025, 6, 30))
    assert (on_time.status, on_time.submitted_late) == (ReturnStatus.SUBMITTED, False)
    late = send(charter, partner_user, year=2025, today=date(2026, 7, 1))
    assert late.submitted_late


def test_the_coordinator_accepts_a_figure_up_to_the_figure_reported(
    charter, partner_user, coordinator
):
    sent = send(charter, partner_user, reported="14")
    with pytest.raises(ValidationError, match="from 0 to the 14 reported"):
        services.progress_return_review(
            progress_return=sent,
            decision="accept",
            reviewed_quantity=Decimal(15),
            note="",
            by=coordinator,
        )
    services.progress_return_review(
        progress_return=sent,
        decision="accept",
        reviewed_quantity=Decimal(12),
        note="Two started after March; they count next year.",
        by=coordinator,
    )
    sent.refresh_from_db()
    assert (sent.status, sent.reported_quantity, sent.reviewed_quantity) == (
        ReturnStatus.ACCEPTED,
        Decimal(14),
        Decimal(12),
    )
    assert sent.messages.get().kind == ReturnMessage.Kind.DECISION


def test_the_database_refuses_a_reviewed_figure_above_the_reported_one(charter, partner_user):
    sent = send(charter, partner_user, reported="14")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReturn.objects.filter(pk=sent.pk).update(
            status=ReturnStatus.ACCEPTED, reviewed_quantity=Decimal(15)
        )


def test_a_query_goes_to_the_signatory_who_answers_and_sends_it_back(
    charter, partner_user, coordinator
):
    sent = send(charter, partner_user)
    mail.outbox.clear()
    services.progress_return_review(
        progress_return=sent,
        decision="query",
        reviewed_quantity=None,
        note="Were all fourteen from Rotherham?",
        by=coordinator,
    )
    sent.refresh_from_db()
    assert sent.status == ReturnStatus.QUERIED
    notification = Notification.objects.get(recipient=partner_user)
    assert "Were all fourteen from Rotherham?" in notification.body
    assert [m.to for m in mail.outbox] == [[partner_user.email]]
    with pytest.raises(ValidationError, match="Answer the coordinator's question"):
        services.progress_return_submit(progress_return=sent, by=partner_user)
    services.progress_return_submit(
        progress_return=sent, by=partner_user, answer="Twelve were; two live in Barnsley."
    )
    sent.refresh_from_db()
    assert sent.status == ReturnStatus.SUBMITTED
    assert [m.kind for m in sent.messages.all()] == ["query", "answer"]


def test_only_a_sent_return_is_reviewed(charter, partner_user, coordinator):
    draft = services.progress_return_start(
        pledge=charter.target, financial_year=2024, by=partner_user, today=TODAY
    )
    with pytest.raises(ValidationError, match="not waiting for review"):
        services.progress_return_review(
            progress_return=draft,
            decision="accept",
            reviewed_quantity=None,
            note="",
            by=coordinator,
        )


def test_self_reported_and_reviewed_figures_are_never_summed(charter, partner_user, coordinator):
    sent = send(charter, partner_user, reported="14")
    services.progress_return_review(
        progress_return=sent,
        decision="accept",
        reviewed_quantity=Decimal(12),
        note="",
        by=coordinator,
    )
    (year_2025, year_2024) = selectors.progress_by_year(charter.partnership, today=TODAY)
    (jobs,) = year_2024.measures
    assert (jobs.target, jobs.reported, jobs.reviewed) == (Decimal(20), Decimal(14), Decimal(12))
    assert Decimal(26) not in (jobs.target, jobs.reported, jobs.reviewed)
    assert (year_2024.owed, year_2024.accepted, year_2024.not_sent) == (2, 1, 1)
    header, row = exports.return_rows(selectors.returns_of(charter.partnership))
    assert (row[header.index("self-reported figure")], row[header.index("reviewed figure")]) == (
        "14",
        "12",
    )
    assert not any("total" in column for column in header)


def test_signatories_are_reminded_once_of_returns_due_and_overdue(charter, partner_user):
    due_soon = services.progress_reminders_send(today=date(2025, 6, 20))
    assert due_soon.notifications == 1
    (notice,) = Notification.objects.filter(recipient=partner_user)
    assert "are due by 30 June 2025" in notice.body
    assert "2 pledges" in notice.body
    assert services.progress_reminders_send(today=date(2025, 6, 21)).notifications == 0
    overdue = services.progress_reminders_send(today=date(2025, 7, 2))
    assert overdue.notifications == 1
    assert Notification.objects.filter(recipient=partner_user).count() == 2


def test_a_return_sent_stops_its_reminders(charter, partner_user):
    send(charter, partner_user)
    owed = [o for o in selectors.returns_owed_everywhere(today=TODAY) if o.financial_year == 2024]
    assert [o.count for o in owed] == [1]


def test_nothing_is_owed_after_the_signatory_withdraws(charter, partner_user):
    services.signatory_end(
        signatory=charter.signatory, reason="", on=date(2025, 2, 1), by=partner_user
    )
    charter.signatory.refresh_from_db()
    assert selectors.returns_owed_everywhere(today=TODAY) == []
    years = {
        r.financial_year for r in selectors.returns_for_signatory(charter.signatory, today=TODAY)
    }
    assert years == set()


def test_the_reminders_command_reports_what_it_sent(charter, capsys):
    call_command("partnership", "send-reminders", "--today", "2025-07-02")
    assert "1 notification(s) recorded, 1 email(s) sent" in capsys.readouterr().out


def test_a_refused_evidence_file_saves_nothing_of_the_return(charter, partner_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from commonweal.monitoring.evidence import EvidenceRefused

    progress_return = services.progress_return_start(
        pledge=charter.target, financial_year=2024, by=partner_user, today=TODAY
    )
    with pytest.raises(EvidenceRefused):
        services.progress_return_save(
            progress_return=progress_return,
            progress="achieved",
            reported_quantity=Decimal(20),
            narrative="Twenty local people employed",
            evidence_file=SimpleUploadedFile("run-me.exe", b"MZ\x90\x00" + bytes(200)),
            by=partner_user,
        )
    progress_return.refresh_from_db()
    assert (progress_return.progress, progress_return.narrative) == ("", "")
    assert not progress_return.evidence.exists()
    services.progress_return_save(
        progress_return=progress_return,
        progress="achieved",
        reported_quantity=Decimal(20),
        narrative="Twenty local people employed",
        evidence_file=SimpleUploadedFile("starters.csv", b"name,start\nA,2024-09-01\n"),
        by=partner_user,
    )
    progress_return.refresh_from_db()
    assert progress_return.narrative == "Twenty local people employed"
    assert [e.original_name for e in progress_return.evidence.all()] == ["starters.csv"]
