"""The charter: versions and principles, invitations, signing, pledges, declining and
withdrawing (kept in the history)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import ValidationError

from commonweal.accounts.models import Invitation, Organisation
from commonweal.partnership import selectors, services
from commonweal.partnership.models import (
    CharterStatus,
    Coordinator,
    Sector,
    Signatory,
    SignatoryStatus,
)
from tests.partnership.conftest import build_measures, build_partnership, new_partner, sign

pytestmark = pytest.mark.django_db


def test_starting_a_partnership_makes_its_starter_a_coordinator_and_an_empty_draft(
    world, coordinator
):
    partnership = services.partnership_create(
        owner=world.council, name="Rotherham Together Partnership", by=coordinator
    )
    assert Coordinator.objects.get(partnership=partnership).user == coordinator
    draft = partnership.charter_versions.get()
    assert (draft.number, draft.status) == (1, CharterStatus.DRAFT)
    assert draft.title == "Rotherham Together Partnership Social Value Charter"
    assert partnership.slug == "rotherham-together-partnership"


def test_only_a_council_owns_a_partnership(world, partner_user):
    with pytest.raises(ValidationError, match="Only a council"):
        services.partnership_create(owner=world.partner, name="Health", by=partner_user)


def test_an_adopted_charter_never_changes_and_a_new_draft_copies_it(world, coordinator):
    measures = build_measures()
    partnership, jobs, _ = build_partnership(world.council, coordinator, measures, "RTP")
    adopted = selectors.adopted_charter(partnership)
    with pytest.raises(ValidationError, match="adopted and cannot change"):
        services.principle_add(version=adopted, title="X", text="Y", by=coordinator)
    draft = services.charter_new_draft(partnership=partnership, by=coordinator)
    assert draft.number == 2
    assert [p.title for p in draft.principles.all()] == ["Employ local people", "Buy local"]
    assert list(draft.principles.get(number=1).measures.all()) == [
        measures.jobs,
        measures.apprenticeships,
    ]
    services.charter_publish(version=draft, adopted_on=date(2025, 4, 1), by=coordinator)
    adopted.refresh_from_db()
    assert adopted.status == CharterStatus.SUPERSEDED
    assert selectors.adopted_charter(partnership) == draft


def test_a_charter_without_principles_cannot_be_adopted(world, coordinator):
    partnership = services.partnership_create(owner=world.council, name="RTP", by=coordinator)
    with pytest.raises(ValidationError, match="at least one principle"):
        services.charter_publish(
            version=partnership.charter_versions.get(), adopted_on=date(2025, 1, 1), by=coordinator
        )


def test_a_principle_cannot_map_to_another_councils_measures(world, coordinator):
    partnership = services.partnership_create(owner=world.council, name="RTP", by=coordinator)
    theirs = build_measures(world.other_council, slug="sheffield")
    with pytest.raises(ValidationError, match="cannot use CH1"):
        services.principle_add(
            version=partnership.charter_versions.get(),
            title="Jobs",
            text="Jobs",
            measures=[theirs.jobs],
            by=coordinator,
        )


def test_removing_a_principle_renumbers_the_rest(world, coordinator):
    partnership = services.partnership_create(owner=world.council, name="RTP", by=coordinator)
    draft = partnership.charter_versions.get()
    first = services.principle_add(version=draft, title="A", text="a", by=coordinator)
    services.principle_add(version=draft, title="B", text="b", by=coordinator)
    services.principle_remove(principle=first, by=coordinator)
    assert [(p.number, p.title) for p in draft.principles.all()] == [(1, "B")]


def test_organisations_are_invited_only_once_the_charter_is_adopted(world, coordinator):
    partnership = services.partnership_create(owner=world.council, name="RTP", by=coordinator)
    with pytest.raises(ValidationError, match="Adopt the charter"):
        services.signatory_invite(
            partnership=partnership,
            sector=Sector.NHS,
            email="x@example.org",
            organisation=world.partner,
            by=coordinator,
        )


def test_a_new_organisation_is_created_and_its_person_invited_to_join_it_and_sign(
    charter, coordinator, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        signatory = services.signatory_invite(
            partnership=charter.partnership,
            sector=Sector.VCSE,
            email="Kath@Maltby.example",
            new_organisation=services.NewOrganisation(name="Maltby Food Bank", postcode="s66 8aa"),
            by=coordinator,
        )
    organisation = signatory.organisation
    assert (organisation.kind, organisation.is_vcse, organisation.postcode) == (
        "supplier",
        True,
        "S66 8AA",
    )
    invitation = Invitation.objects.get(organisation=organisation)
    assert (invitation.email, invitation.role) == ("kath@maltby.example", "supplier_admin")
    assert signatory.status == SignatoryStatus.INVITED
    (message,) = mail.outbox
    assert message.to == ["kath@maltby.example"]
    assert "/invitations/" in message.body
    assert f"/partnerships/signatories/{signatory.pk}/" in message.body


def test_an_organisation_with_people_is_invited_through_one_of_them(
    charter, coordinator, world, supplier_user
):
    with pytest.raises(ValidationError) as refused:
        services.signatory_invite(
            partnership=charter.partnership,
            sector=Sector.BUSINESS,
            email="stranger@example.org",
            organisation=world.supplier,
            by=coordinator,
        )
    assert "is not one of Don Valley Catering Ltd's people" in str(refused.value)
    assert not Invitation.objects.filter(organisation=world.supplier).exists()


def test_an_organisations_kind_must_suit_the_sector_given(charter, coordinator, world):
    with pytest.raises(ValidationError, match="is a supplier, not a nhs trust"):
        services.signatory_invite(
            partnership=charter.partnership,
            sector=Sector.NHS,
            email="femi@donvalley.test",
            organisation=world.supplier,
            by=coordinator,
        )


def test_an_organisation_cannot_be_invited_twice_while_invited_or_signed(charter, coordinator):
    with pytest.raises(ValidationError, match="already invited or has signed"):
        services.signatory_invite(
            partnership=charter.partnership,
            sector=Sector.NHS,
            email="imran@hospital.test",
            organisation=charter.signatory.organisation,
            by=coordinator,
        )


def test_signing_records_who_when_and_the_version_and_tells_the_coordinators(
    charter, coordinator, world, supplier_user, django_capture_on_commit_callbacks
):
    invited = services.signatory_invite(
        partnership=charter.partnership,
        sector=Sector.BUSINESS,
        email=supplier_user.email,
        organisation=world.supplier,
        by=coordinator,
    )
    mail.outbox.clear()
    with pytest.raises(ValidationError) as refused:
        services.signatory_sign(
            signatory=invited,
            signed_by_name="",
            signed_by_role="",
            signed_on=date(2024, 1, 1),
            by=supplier_user,
        )
    assert set(refused.value.message_dict) == {"signed_by_name", "signed_by_role", "signed_on"}
    with django_capture_on_commit_callbacks(execute=True):
        signed = services.signatory_sign(
            signatory=invited,
            signed_by_name="Femi Adeyemi",
            signed_by_role="Managing Director",
            signed_on=date(2025, 5, 1),
            by=supplier_user,
        )
    assert signed.charter_version == selectors.adopted_charter(charter.partnership)
    assert [m.to for m in mail.outbox] == [[coordinator.email]]


def test_a_target_pledge_uses_one_of_its_principles_measures(charter, partner_user):
    with pytest.raises(ValidationError) as refused:
        services.pledge_add(
            signatory=charter.signatory,
            principle=charter.local_principle,
            kind="target",
            measure=charter.measures.jobs,
            quantity=Decimal(0),
            target_year=None,
            by=partner_user,
        )
    assert refused.value.message_dict == {
        "measure": ["CH1 is not one of this principle's measures"],
        "quantity": ["Enter the target as a number more than 0, like 12"],
        "target_year": ["Choose the financial year the target is for"],
    }


def test_a_commitment_pledge_needs_words(charter, partner_user):
    with pytest.raises(ValidationError, match="Enter what your organisation commits to"):
        services.pledge_add(
            signatory=charter.signatory,
            principle=charter.local_principle,
            kind="commitment",
            commitment="  ",
            by=partner_user,
        )


def test_a_withdrawal_is_kept_and_signing_again_starts_a_new_record(
    charter, coordinator, partner_user
):
    services.signatory_end(
        signatory=charter.signatory,
        reason="Merged into the ICB",
        on=date(2025, 9, 1),
        by=partner_user,
    )
    charter.signatory.refresh_from_db()
    assert charter.signatory.status == SignatoryStatus.WITHDRAWN
    again = sign(
        charter.partnership,
        charter.signatory.organisation,
        Sector.NHS,
        by=coordinator,
        email=partner_user.email,
        signed_on=date(2025, 10, 1),
    )
    history = Signatory.objects.filter(
        partnership=charter.partnership, organisation=charter.signatory.organisation
    )
    assert {s.status for s in history} == {"withdrawn", "signed"}
    assert again.pk != charter.signatory.pk
    # The pledges made under the first signature stay with it.
    assert charter.signatory.pledges.count() == 2
    assert again.pledges.count() == 0


def test_declining_an_invitation_is_kept_in_the_history(charter, coordinator, world):
    organisation = new_partner("South Yorkshire Police (test)")
    invited = services.signatory_invite(
        partnership=charter.partnership,
        sector=Sector.POLICE,
        email="chief@police.example",
        organisation=organisation,
        by=coordinator,
    )
    services.signatory_end(signatory=invited, reason="", on=date(2026, 1, 5), by=coordinator)
    invited.refresh_from_db()
    assert invited.status == SignatoryStatus.DECLINED
    assert Organisation.objects.filter(pk=organisation.pk).exists()


def test_signing_and_pledges_are_on_the_councils_audit_trail(charter):
    entries = LogEntry.objects.filter(additional_data__organisation_id=charter.partnership.owner_id)
    models = set(entries.values_list("content_type__model", flat=True))
    assert {"partnership", "charterversion", "principle", "signatory", "pledge"} <= models


def test_the_counts_the_report_reads(charter):
    counts = selectors.charter_counts(charter.partnership)
    assert (counts.signatories, counts.pledges, counts.targets, counts.commitments) == (1, 2, 1, 1)
    assert counts.by_sector == [("NHS trust", 1)]
    assert counts.anchors == 1
