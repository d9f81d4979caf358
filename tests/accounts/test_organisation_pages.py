"""Persona tests for the organisation pages: who may change, who may only read, who gets 404."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from commonweal.accounts.models import Invitation, Membership
from commonweal.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_every_member_can_read_their_organisation_page(
    world, client_for, council_admin, council_officer, evaluator, contract_manager, viewer
):
    url = reverse("accounts:organisation", args=[world.council.pk])
    for person in (council_admin, council_officer, evaluator, contract_manager, viewer):
        response = client_for(person).get(url)
        assert response.status_code == 200
        assert "Rotherham Metropolitan Borough Council" in response.content.decode()


def test_only_admins_see_the_invite_button(world, client_for, council_admin, viewer):
    url = reverse("accounts:organisation", args=[world.council.pk])
    assert "Invite someone" in client_for(council_admin).get(url).content.decode()
    assert "Invite someone" not in client_for(viewer).get(url).content.decode()


def test_another_councils_officer_gets_404_for_our_organisation_pages(
    world, client_for, other_council_officer, council_officer
):
    member = Membership.objects.get(user=council_officer)
    client = client_for(other_council_officer)
    for url in (
        reverse("accounts:organisation", args=[world.council.pk]),
        reverse("accounts:organisation-edit", args=[world.council.pk]),
        reverse("accounts:invitation-create", args=[world.council.pk]),
        reverse("accounts:member-edit", args=[world.council.pk, member.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_suppliers_and_partners_get_404_for_council_pages(
    world, client_for, supplier_user, partner_user
):
    url = reverse("accounts:organisation", args=[world.council.pk])
    assert client_for(supplier_user).get(url).status_code == 404
    assert client_for(partner_user).get(url).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(world):
    from django.test import Client

    response = Client().get(reverse("accounts:organisation", args=[world.council.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_council_staff_who_are_not_admins_may_only_read(
    world, client_for, council_officer, evaluator, contract_manager, viewer
):
    for person in (council_officer, evaluator, contract_manager, viewer):
        client = client_for(person)
        assert (
            client.get(reverse("accounts:invitation-create", args=[world.council.pk])).status_code
            == 403
        )
        assert (
            client.get(reverse("accounts:organisation-edit", args=[world.council.pk])).status_code
            == 403
        )
        response = client.post(
            reverse("accounts:invitation-create", args=[world.council.pk]),
            {"email": "new@rotherham.test", "role": Role.VIEWER},
        )
        assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_council_admin_invites_a_colleague_by_email(
    world, client_for, council_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(council_admin).post(
            reverse("accounts:invitation-create", args=[world.council.pk]),
            {"email": "New.Person@Rotherham.test", "role": Role.EVALUATOR},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "new.person@rotherham.test"
    assert invitation.role == Role.EVALUATOR
    assert len(mail.outbox) == 1
    assert "/invitations/" in mail.outbox[0].body
    assert mail.outbox[0].to == ["new.person@rotherham.test"]


def test_an_invitation_form_with_errors_names_each_problem(world, client_for, council_admin):
    response = client_for(council_admin).post(
        reverse("accounts:invitation-create", args=[world.council.pk]), {"email": "not-an-email"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'href="#id_email"' in page
    assert "Enter an email address in the correct format, like name@example.com" in page
    assert 'href="#id_role_0"' in page
    assert "Select the role this person will have" in page
    assert "<title>Error: " in page


def test_a_council_cannot_invite_someone_into_a_supplier_role(world, client_for, council_admin):
    response = client_for(council_admin).post(
        reverse("accounts:invitation-create", args=[world.council.pk]),
        {"email": "x@example.org", "role": Role.SUPPLIER_ADMIN},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Invitation.objects.exists()


def test_supplier_admin_invites_colleagues_into_supplier_roles(world, client_for, supplier_user):
    response = client_for(supplier_user).post(
        reverse("accounts:invitation-create", args=[world.supplier.pk]),
        {"email": "colleague@donvalley.test", "role": Role.SUPPLIER_CONTRIBUTOR},
    )
    assert response.status_code == 302
    assert Invitation.objects.get().organisation == world.supplier


def test_admin_changes_a_role_and_cannot_demote_the_last_admin(
    world, client_for, council_admin, viewer
):
    client = client_for(council_admin)
    member = Membership.objects.get(user=viewer)
    response = client.post(
        reverse("accounts:member-edit", args=[world.council.pk, member.pk]),
        {"role": Role.EVALUATOR},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.role == Role.EVALUATOR

    own = Membership.objects.get(user=council_admin)
    response = client.post(
        reverse("accounts:member-edit", args=[world.council.pk, own.pk]), {"role": Role.VIEWER}
    )
    assert response.status_code == 200
    assert "only admin" in response.content.decode()
    own.refresh_from_db()
    assert own.role == Role.COUNCIL_ADMIN


def test_admin_removes_a_member(world, client_for, council_admin, viewer):
    member = Membership.objects.get(user=viewer)
    response = client_for(council_admin).post(
        reverse("accounts:member-edit", args=[world.council.pk, member.pk]),
        {"role": Role.VIEWER, "action": "remove"},
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=member.pk).exists()


def test_admin_requires_security_codes_for_staff(world, client_for, council_admin):
    response = client_for(council_admin).post(
        reverse("accounts:organisation-edit", args=[world.council.pk]),
        {"name": world.council.name, "postcode": "S60 2TH", "require_two_factor": "on"},
    )
    assert response.status_code == 302
    world.council.refresh_from_db()
    assert world.council.require_two_factor is True


def test_admin_withdraws_an_invitation(world, client_for, council_admin):
    from commonweal.accounts.services import invitation_create

    invitation, _ = invitation_create(
        organisation=world.council, email="x@rotherham.test", role=Role.VIEWER, by=council_admin
    )
    response = client_for(council_admin).post(
        reverse("accounts:invitation-revoke", args=[world.council.pk, invitation.pk])
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "Withdrawn"


def test_viewer_cannot_withdraw_and_outsider_gets_404(
    world, client_for, council_admin, viewer, other_council_officer
):
    from commonweal.accounts.services import invitation_create

    invitation, _ = invitation_create(
        organisation=world.council, email="x@rotherham.test", role=Role.VIEWER, by=council_admin
    )
    url = reverse("accounts:invitation-revoke", args=[world.council.pk, invitation.pk])
    assert client_for(viewer).post(url).status_code == 403
    assert client_for(other_council_officer).post(url).status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == "Waiting"
