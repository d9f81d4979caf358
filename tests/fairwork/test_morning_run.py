"""Returns are checked against the Real Living Wage every morning, by the worker or from cron,
and suppliers are reminded of a new rate, each once."""

from __future__ import annotations

from datetime import time
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from commonweal.fairwork import tasks
from commonweal.fairwork.models import WageFinding
from commonweal.monitoring.models import Notification
from tests.fairwork.builders import care_contract, wage_return

pytestmark = pytest.mark.django_db
WORKER_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_the_command_checks_every_councils_returns_and_reminds_once(
    world, contract_manager, supplier_user, capsys
):
    contract = care_contract(world, contract_manager)
    wage_return(contract, "2025-26 Q1", by=supplier_user, outside="12.00")

    # 1 November 2025: the 2025-26 rate was announced on 22 October and is due from 1 May 2026.
    call_command("fairwork", "check-wages", "--today", "2025-11-01")
    out = capsys.readouterr().out
    assert "1 new finding(s) below the Real Living Wage" in out
    assert "2 reminder(s) of a new rate sent" in out
    assert WageFinding.objects.get().required == Decimal("12.60")

    call_command("fairwork", "check-wages", "--today", "2025-11-02")
    assert "0 new finding(s)" in capsys.readouterr().out
    assert WageFinding.objects.count() == 1
    told = Notification.objects.filter(recipient=supplier_user)
    assert told.filter(subject__startswith="Paid below the Real Living Wage").count() == 1
    assert told.filter(subject__startswith="New Real Living Wage").count() == 1


def test_the_worker_books_each_mornings_check_once(settings, capsys):
    settings.TASKS = WORKER_TASKS
    call_command("fairwork", "schedule-checks")
    assert "next run is booked for" in capsys.readouterr().out
    call_command("fairwork", "schedule-checks")  # already booked: not booked twice
    booked = DBTaskResult.objects.filter(task_path=tasks.check_wages.module_path)
    assert booked.count() == 1
    run_after = booked.get().run_after
    assert timezone.localtime(run_after).time() == time(7, 0)
    assert run_after > timezone.now()


def test_each_check_books_the_next(world, settings):
    settings.TASKS = WORKER_TASKS
    assert tasks.check_wages.call() == 0  # as the worker runs it
    booked = DBTaskResult.objects.get(task_path=tasks.check_wages.module_path)
    assert booked.status == TaskResultStatus.READY and booked.run_after > timezone.now()


def test_without_a_worker_the_command_says_to_use_check_wages():
    with pytest.raises(CommandError, match="use check-wages"):
        call_command("fairwork", "schedule-checks")
