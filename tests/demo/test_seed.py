"""The demo command and the seeding it runs."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from decimal import Decimal

import pytest
from django.urls import reverse

from commonweal.accounts.models import Membership, Organisation, User
from commonweal.commissioning.models import Procurement
from commonweal.tenders.models import OfferSubmission, Tender
from commonweal.tenders.selectors import tender_evaluation

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]


def test_the_demo_seeds_rotherham_its_neighbours_partners_and_six_suppliers(seeded_demo):
    people = seeded_demo
    assert Organisation.objects.get(gss_code="E08000018").name.startswith("Rotherham")
    assert Organisation.objects.filter(kind="council").count() == 4
    assert Organisation.objects.get(gss_code="E47000002").kind == "combined_authority"
    assert Organisation.objects.filter(kind="supplier").count() == 6
    assert Organisation.objects.filter(kind="anchor_partner").count() >= 3
    assert {p.role for p in people} >= {
        "council_admin",
        "commissioner",
        "evaluator",
        "contract_manager",
        "viewer",
        "supplier_admin",
        "partner_contributor",
    }
    assert Membership.objects.count() >= len(people)


def test_the_demo_command_creates_the_database_prints_credentials_once_and_stops_cleanly(
    tmp_path,
):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_VERSION", "DATABASE_URL")}
    env["COMMONWEAL_ENV"] = "demo"
    env.pop("SITE_URL", None)
    command = [sys.executable, "-m", "commonweal.cli", "demo", "--no-serve", "--port", "8765"]
    first = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert first.returncode == 0, first.stderr
    assert "admin@rotherham.demo" in first.stdout
    # The survey emails sent while seeding link to the port the demo serves on.
    assert "Answer here: http://127.0.0.1:8765/local-economy/survey/" in first.stdout
    assert "127.0.0.1:8000" not in first.stdout
    assert (tmp_path / "var" / "commonweal.sqlite3").exists()
    second = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert "already exists" in second.stdout
    assert "admin@rotherham.demo" not in second.stdout
    # Served, then stopped as a service manager stops it: the background worker goes too.
    worker_pid = _serve_then_terminate(tmp_path, env)
    try:
        os.kill(worker_pid, 0)
    except ProcessLookupError:
        return
    os.kill(worker_pid, signal.SIGKILL)  # never leave it running, even when the test fails
    pytest.fail("the demo's background worker was still running after SIGTERM")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve_then_terminate(folder, env) -> int:
    """Start `commonweal demo`, wait until it serves, send SIGTERM; returns the worker's pid."""
    port = _free_port()
    command = [sys.executable, "-m", "commonweal.cli", "demo", "--port", str(port)]
    server = subprocess.Popen(
        command,
        cwd=folder,
        env={**env, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        worker_pid = None
        for line in server.stdout:  # type: ignore[union-attr]
            if line.startswith("Background worker started (process "):
                worker_pid = int(line.rsplit(" ", 1)[1].rstrip(").\n"))
                break
        assert worker_pid is not None, "the demo did not start its worker"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    return worker_pid


def test_the_demo_seeds_a_plan_an_open_tender_and_an_awarded_one(seeded_demo):
    assert Procurement.objects.filter(status="planning").count() == 1
    open_tender = Tender.objects.get(procurement__title__startswith="School meals")
    assert open_tender.status == "Open"
    draft = open_tender.offers.get()
    assert draft.lines.exists() and not draft.submissions.exists()
    awarded = Tender.objects.get(procurement__title__startswith="Home-to-school")
    assert awarded.status == "Awarded" and awarded.contract_id is not None
    assert OfferSubmission.objects.filter(offer__tender=awarded).count() == 4


def test_the_demo_tender_shows_a_moderated_implausible_offer_and_an_excluded_evaluator(
    seeded_demo, client
):
    awarded = Tender.objects.get(procurement__title__startswith="Home-to-school")
    results = {r.bidder.name: r for r in tender_evaluation(awarded)}
    pennine = results["Pennine Care Services Ltd (demo)"]
    # Offered: worth more than the whole contract; evaluated: what the bidder's answer supports.
    assert pennine.offered_implausible and not pennine.implausible
    assert pennine.evaluated.total_value < pennine.offered.total_value
    assert all("Clarification question" in m.reason for m in pennine.bidder.moderations.values())
    # Moderated, it no longer sets the bar: the best honest offer takes the full marks again.
    best = max(results.values(), key=lambda r: r.evaluated.total_value)
    assert best.bidder.name != pennine.bidder.name and best.quantitative.marks == Decimal(10)
    kate = User.objects.get(email="kate.morris@rotherham.demo")
    assert awarded.declarations.filter(person=kate, has_conflict=True).exists()
    assert awarded.evaluators.get(evaluator=kate).replaced_by is not None
    # Kate is shut out of the report; a councillor reads it, with all of the above in it.
    client.force_login(kate)
    assert client.get(reverse("tenders:report", args=[awarded.pk])).status_code == 404
    client.force_login(User.objects.get(email="councillor@rotherham.demo"))
    page = client.get(reverse("tenders:report", args=[awarded.pk])).content.decode()
    assert "Kate Morris declared a conflict of interest with Wentworth Community Transport" in page
    assert "stood Kate Morris down" in page
    assert "Implausible as offered" in page and "Clarification question answered" in page
    assert "Signed by Chloe Evans" in page and "Signed by Ben Carter" in page
