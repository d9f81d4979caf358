from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from commonweal.accounts.models import Invitation, Organisation

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
