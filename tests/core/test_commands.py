from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from commonweal.accounts.models import Invitation, Membership, Organisation
from commonweal.core.demo import seed_demo

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


def test_org_create_prints_the_new_organisations_id():
    printed = run(
        "org", "create", "--kind", "council", "--name", "Rotherham MBC", "--code", "e08000018"
    )
    organisation = Organisation.objects.get(pk=int(printed))
    assert organisation.gss_code == "E08000018"


def test_org_create_explains_a_bad_code():
    with pytest.raises(CommandError, match="GSS code of a letter and 8 digits"):
        run("org", "create", "--kind", "council", "--name", "Nowhere", "--code", "ROTHERHAM")
    assert not Organisation.objects.exists()


def test_user_invite_prints_a_working_link():
    run("org", "create", "--kind", "council", "--name", "Rotherham MBC", "--code", "E08000018")
    link = run(
        "user",
        "invite",
        "--org",
        "E08000018",
        "--email",
        "it@rotherham.test",
        "--role",
        "council_admin",
    )
    assert "/invitations/" in link
    assert Invitation.objects.get().email == "it@rotherham.test"


def test_user_invite_refuses_a_role_that_does_not_suit_the_organisation():
    run("org", "create", "--kind", "council", "--name", "Rotherham MBC", "--code", "E08000018")
    with pytest.raises(CommandError, match="role"):
        run(
            "user",
            "invite",
            "--org",
            "E08000018",
            "--email",
            "x@y.test",
            "--role",
            "supplier_admin",
        )


def test_user_invite_names_an_unknown_organisation():
    with pytest.raises(CommandError, match="No organisation with code or id 'E09999999'"):
        run("user", "invite", "--org", "E09999999", "--email", "x@y.test", "--role", "viewer")


def test_the_demo_seeds_rotherham_its_neighbours_partners_and_six_suppliers():
    people = seed_demo()
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


def test_the_demo_command_creates_the_database_and_prints_credentials_once(tmp_path):
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
