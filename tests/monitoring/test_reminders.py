"""Reminders: suppliers before a return is due and when overdue, contract managers when an
answered query waits; each once, by email and in the service."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from commonweal.core.schedule import next_reminder_run
from commonweal.monitoring import services, tasks
from commonweal.monitoring.models import Notification
from tests.contracts.builders import build_contract, build_measures
from tests.monitoring.helpers import decide, file_return, period

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(world, contract_manager):
    measures = build_measures(world.council)
    return build_contract(
        world.council, world.supplier, measures, contract_manager=contract_manager
    )


def test_suppliers_are_reminded_a_week_before_a_return_is_due(contract, supplier_user):
    # 2025-26 Q1 ends 30 June and is due 30 July; reminders start 7 days before, on 23 July.
    assert services.reminders_send(today=date(2025, 7, 22)).notifications == 0
    run = services.reminders_send(today=date(2025, 7, 23))
    assert run.notifications == 1 and run.emails == 1
    assert mail.outbox[0].to == [supplier_user.email]
    assert "due by 30 July 2025" in mail.outbox[0].body


def test_overdue_returns_are_chased_once_and_not_again(contract, supplier_user):
    services.reminders_send(today=date(2025, 7, 31))
    services.reminders_send(today=date(2025, 8, 1))
    overdue = Notification.objects.filter(dedupe_key__startswith="return-overdue")
    assert overdue.count() == 1
    assert "Overdue" in overdue.get().subject


def test_a_submitted_return_is_not_chased(contract, supplier_user):
    file_return(contract, "2025-26 Q1", {"RM1": "0.5"}, by=supplier_user, today=date(2025, 7, 20))
    assert services.reminders_send(today=date(2025, 8, 1)).notifications == 0


def test_contract_managers_hear_when_an_answered_query_waits(
    contract, supplier_user, contract_manager
):
    q1 = file_return(
        contract, "2025-26 Q1", {"RM1": "0.5"}, by=supplier_user, today=date(2025, 7, 20)
    )
    decide(q1, {"RM1": ("queried", None, "Whose payroll?")}, by=contract_manager)
    line = q1.lines.get(commitment__measure__code="RM1")
    services.query_answer(line=line, body="Our Rotherham site's", by=supplier_user)
    services.reminders_send(today=date(2025, 8, 1))
    note = Notification.objects.get(recipient=contract_manager)
    assert "answered your query" in note.subject
    assert note.url == reverse("monitoring:return-verify", args=[q1.pk])


def test_the_command_and_the_task_both_send_reminders(contract, supplier_user, capsys):
    call_command("monitoring", "send-reminders", "--today", "2025-07-31")
    assert "1 notification(s) recorded, 1 email(s) sent" in capsys.readouterr().out
    # The task runs for today; the later quarters of 2025-26 are overdue by now as well.
    assert tasks.send_reminders.enqueue().return_value > 0


def test_every_notification_is_listed_in_the_service_for_its_recipient_only(
    contract, client_for, supplier_user, viewer
):
    services.reminders_send(today=date(2025, 7, 31))
    page = client_for(supplier_user).get(reverse("monitoring:notifications")).content.decode()
    assert "Overdue: social value return for RMBC-2025-001" in page
    assert (
        "Overdue"
        not in client_for(viewer).get(reverse("monitoring:notifications")).content.decode()
    )
    assert period(contract, "2025-26 Q1").due_on == date(2025, 7, 30)


def test_the_next_reminder_run_is_the_next_seven_oclock_in_uk_time():
    london = ZoneInfo("Europe/London")
    early = datetime(2026, 6, 1, 6, 59, tzinfo=london)
    late = datetime(2026, 6, 1, 7, 0, tzinfo=london)
    assert next_reminder_run(early) == datetime(2026, 6, 1, 7, 0, tzinfo=london)
    assert next_reminder_run(late) == datetime(2026, 6, 2, 7, 0, tzinfo=london)
    # The clocks go forward on 29 March 2026: still seven o'clock on the wall.
    spring = next_reminder_run(datetime(2026, 3, 28, 20, 0, tzinfo=london))
    assert spring.astimezone(UTC) == datetime(2026, 3, 29, 6, 0, tzinfo=UTC)


WORKER_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_the_worker_books_each_mornings_reminders_once(settings, capsys):
    settings.TASKS = WORKER_TASKS
    call_command("monitoring", "schedule-reminders")
    assert "next run is booked for" in capsys.readouterr().out
    call_command("monitoring", "schedule-reminders")  # already booked: not booked twice
    booked = DBTaskResult.objects.filter(task_path=tasks.send_reminders.module_path)
    assert booked.count() == 1
    run_after = booked.get().run_after
    assert timezone.localtime(run_after).time() == time(7, 0)
    assert run_after > timezone.now()


def test_each_reminder_run_books_the_next(contract, settings):
    settings.TASKS = WORKER_TASKS
    assert tasks.send_reminders.call() >= 0  # as the worker runs it
    booked = DBTaskResult.objects.get(task_path=tasks.send_reminders.module_path)
    assert booked.status == TaskResultStatus.READY and booked.run_after > timezone.now()


def test_without_a_worker_the_command_says_to_use_send_reminders():
    with pytest.raises(CommandError, match="use send-reminders"):
        call_command("monitoring", "schedule-reminders")
