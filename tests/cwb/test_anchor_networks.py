"""Anchor networks: a council convenes, organisations join by accepting, and members see the
pooled figures (only when enough members have spend in a year) but never each other's detail.

Persona rules: the convener's editors invite and remove; a member's editors join, decline and
leave; viewers only read; organisations outside the network, and suppliers, get 404.
"""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.urls import reverse

from commonweal.accounts.models import Organisation
from commonweal.accounts.roles import OrganisationKind
from commonweal.cwb import local_areas, services, tasks
from commonweal.cwb.models import AnchorNetwork, AnchorNetworkMember
from tests.cwb.conftest import SUPPLIERS, add_creditor, import_spend_file
from tests.downloads import csv_text

pytestmark = pytest.mark.django_db

SOUTH_YORKSHIRE = ["E08000016", "E08000017", "E08000018", "E08000019"]


def start_network(client, name="Rotherham Anchor Network"):
    response = client.post(reverse("cwb:network-new"), {"name": name})
    assert response.status_code == 302, response.content.decode()[-2000:]
    return AnchorNetwork.objects.get(name=name)


def invite(client, network, organisation):
    return client.post(
        reverse("cwb:network-invite", args=[network.pk]), {"organisation": organisation.pk}
    )


def joined(network, organisation):
    return services.anchor_network_join(
        place=services.anchor_network_invite(network=network, organisation=organisation, by=None),
        by=None,
    )


def analysed_member(organisation, spend_csv, pounds_by_supplier_id):
    """A partner with Rotherham's local areas, a year of spend and its suppliers linked."""
    local_areas.local_tiers_update(
        organisation=organisation,
        by=None,
        borough_lad_codes=["E08000018"],
        combined_authority_lad_codes=SOUTH_YORKSHIRE,
        region_code="E12000003",
        deprived_decile_max=2,
    )
    named = {sid: (name, postcode) for sid, name, _, postcode, *_ in SUPPLIERS}
    rows = [
        ("10/06/2024", named[sid][0], sid, "Estates", pounds)
        for sid, pounds in pounds_by_supplier_id.items()
    ]
    file_name = f"member-{organisation.pk}.csv"
    import_spend_file(organisation, None, spend_csv(file_name, rows))
    for sid in pounds_by_supplier_id:
        add_creditor(organisation, sid, name=named[sid][0], postcode=named[sid][1])
    services.supplier_link_start(
        organisation=organisation, by=None, enqueue=tasks.link_suppliers_task.enqueue
    )


def test_a_council_starts_a_network_and_a_partner_accepts_the_emailed_invitation(
    world, council_officer, partner_user, client_for, django_capture_on_commit_callbacks
):
    council = client_for(council_officer)
    network = start_network(council)
    assert network.convener == world.council
    (first,) = network.members.all()
    assert first.organisation == world.council and first.status == "joined"

    with django_capture_on_commit_callbacks(execute=True):
        response = invite(council, network, world.partner)
    assert response.status_code == 302
    place = network.members.get(organisation=world.partner)
    assert place.status == "invited" and place.invited_by == council_officer
    (email,) = mail.outbox
    assert email.to == [partner_user.email]
    assert "Invitation to join Rotherham Anchor Network" in email.subject
    assert reverse("cwb:network-detail", args=[network.pk]) in email.body

    partner = client_for(partner_user)
    overview = partner.get(reverse("cwb:overview")).content.decode()
    assert "1 invitation" in overview
    listing = partner.get(reverse("cwb:network-list")).content.decode()
    assert "Invitations" in listing and "Rotherham Anchor Network" in listing
    page = partner.get(reverse("cwb:network-detail", args=[network.pk])).content.decode()
    assert "Join Rotherham Anchor Network?" in page and "Members" not in page
    partner.post(reverse("cwb:network-join", args=[network.pk]))
    place.refresh_from_db()
    assert place.status == "joined" and place.joined_at is not None
    entry = LogEntry.objects.filter(object_pk=str(place.pk), action=LogEntry.Action.UPDATE).get()
    assert entry.actor == partner_user
    assert entry.additional_data["organisation_id"] == world.partner.pk


def test_pooled_figures_appear_from_three_members_and_show_no_members_suppliers(
    world, analysed, partner_user, council_officer, client_for, spend_csv
):
    college = Organisation.objects.create(
        kind=OrganisationKind.ANCHOR_PARTNER, name="Rotherham College"
    )
    # Hospital: Don Valley £100 (in the borough), Northern £900. College: Wentworth £500 (in the
    # borough), London £500. Council 2024-25 (the `analysed` fixture): £30,000, £1,750 local.
    analysed_member(world.partner, spend_csv, {"1001": "100.00", "2002": "900.00"})
    analysed_member(college, spend_csv, {"3003": "500.00", "5005": "500.00"})
    network = services.anchor_network_create(
        convener=world.council, name="Rotherham Anchor Network", by=None
    )
    joined(network, world.partner)
    partner = client_for(partner_user)
    url = reverse("cwb:network-detail", args=[network.pk])

    page = partner.get(url).content.decode()
    assert "shown once at least 3 members have analysed spend for that year" in page
    assert "£31,000.00" not in page, "two members: the total would give the council's away"

    joined(network, college)
    page = partner.get(url).content.decode()
    # Pooled 2024-25: £30,000 + £1,000 + £1,000 = £32,000; in members' own boroughs
    # £1,750 + £100 + £500 = £2,350 = 7.34375% -> 7.34%.
    assert "Combined figures 2024-25" in page and "3 members" in page
    assert "£32,000.00" in page and "£2,350.00" in page and "7.34%" in page
    for detail in ("DON VALLEY", "NORTHERN INFRASTRUCTURE", "LONDON LTD", "SHEFFIELD FIRM"):
        assert detail not in page
    download = csv_text(partner.get(url, {"year": "2024-25", "format": "csv"}))
    assert "2024-25,3,Total spend,32000.00,100" in download
    assert "2024-25,3,In members' own boroughs,2350.00,7.34" in download
    # 2023-24 has spend from the council alone.
    earlier = partner.get(url, {"year": "2023-24"}).content.decode()
    assert "The combined figures for 2023-24 are shown once" in earlier
    assert partner.get(url, {"year": "2023-24", "format": "csv"}).status_code == 404
    # Each member still reads only its own spend.
    own = partner.get(reverse("cwb:analysis")).content.decode()
    assert "£1,000.00" in own and "£30,000.00" not in own

    partner.post(reverse("cwb:network-leave", args=[network.pk]))
    assert not network.members.filter(organisation=world.partner).exists()
    assert partner.get(url).status_code == 404
    council = client_for(council_officer).get(url).content.decode()
    assert "£32,000.00" not in council and "shown once at least 3 members" in council


def test_starting_and_inviting_refuse_bad_input_with_clear_messages(
    world, council_officer, client_for
):
    client = client_for(council_officer)
    network = start_network(client)
    response = client.post(reverse("cwb:network-new"), {"name": "rotherham anchor network"})
    assert (
        "You already have a network called “rotherham anchor network”" in response.content.decode()
    )
    response = client.post(reverse("cwb:network-new"), {"name": "  "})
    assert "Enter the name of the network" in response.content.decode()

    page = client.get(reverse("cwb:network-detail", args=[network.pk])).content.decode()
    assert world.partner.name in page and world.supplier.name not in page
    response = invite(client, network, world.supplier)
    page = client.get(response["Location"]).content.decode()
    assert "Select an organisation that is not in the network yet" in page
    invite(client, network, world.partner)
    response = invite(client, network, world.partner)
    page = client.get(response["Location"]).content.decode()
    assert "Select an organisation that is not in the network yet" in page

    own_place = network.members.get(organisation=world.council)
    response = client.post(reverse("cwb:network-member-remove", args=[network.pk, own_place.pk]))
    page = client.get(response["Location"]).content.decode()
    assert "The council that convenes the network stays in it" in page
    invited = network.members.get(organisation=world.partner)
    client.post(reverse("cwb:network-member-remove", args=[network.pk, invited.pk]))
    assert not network.members.filter(pk=invited.pk).exists()


def test_a_partner_declines_an_invitation(world, partner_user, client_for):
    network = services.anchor_network_create(convener=world.council, name="Network", by=None)
    services.anchor_network_invite(network=network, organisation=world.partner, by=None)
    response = client_for(partner_user).post(reverse("cwb:network-leave", args=[network.pk]))
    assert response["Location"] == reverse("cwb:network-list")
    assert not network.members.filter(organisation=world.partner).exists()


# --- personas ---------------------------------------------------------------------------------


def test_viewers_read_the_network_but_change_nothing(world, viewer, client_for):
    network = services.anchor_network_create(convener=world.council, name="Network", by=None)
    client = client_for(viewer)
    page = client.get(reverse("cwb:network-detail", args=[network.pk])).content.decode()
    assert "Members" in page and "Invite an organisation" not in page
    assert "Start an anchor network" not in client.get(reverse("cwb:network-list")).content.decode()
    assert client.get(reverse("cwb:network-new")).status_code == 403
    assert invite(client, network, world.partner).status_code == 403
    assert not network.members.filter(organisation=world.partner).exists()


def test_only_the_convener_changes_members_and_partners_cannot_start_networks(
    world, partner_user, client_for
):
    network = services.anchor_network_create(convener=world.council, name="Network", by=None)
    joined(network, world.partner)
    client = client_for(partner_user)
    page = client.get(reverse("cwb:network-detail", args=[network.pk])).content.decode()
    assert "Invite an organisation" not in page and "Leave the network" in page
    assert invite(client, network, world.other_council).status_code == 403
    convener_place = network.members.get(organisation=world.council)
    remove = reverse("cwb:network-member-remove", args=[network.pk, convener_place.pk])
    assert client.post(remove).status_code == 403
    assert client.get(reverse("cwb:network-new")).status_code == 404
    assert "Start an anchor network" not in client.get(reverse("cwb:network-list")).content.decode()


def test_organisations_outside_the_network_and_suppliers_get_404(
    world, client_for, other_council_officer, supplier_user, partner_user
):
    network = services.anchor_network_create(convener=world.council, name="Network", by=None)
    place = network.members.get()
    for person in (other_council_officer, supplier_user, partner_user):
        client = client_for(person)
        assert client.get(reverse("cwb:network-detail", args=[network.pk])).status_code == 404
        for name, args in (
            ("cwb:network-invite", [network.pk]),
            ("cwb:network-join", [network.pk]),
            ("cwb:network-leave", [network.pk]),
            ("cwb:network-member-remove", [network.pk, place.pk]),
        ):
            assert client.post(reverse(name, args=args)).status_code == 404, (person, name)
    assert client_for(supplier_user).get(reverse("cwb:network-list")).status_code == 404
    other = client_for(other_council_officer).get(reverse("cwb:network-list")).content.decode()
    assert "You are not in an anchor network yet" in other
    assert reverse("cwb:network-detail", args=[network.pk]) not in other
    assert list(network.members.values_list("organisation", flat=True)) == [world.council.pk]
    assert AnchorNetworkMember.objects.count() == 1
