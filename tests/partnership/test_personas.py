"""Every partnership page, for every persona: the coordinator, the signatory, the officer of
another partnership, the combined authority's officer, a councillor (a viewer at the owning
council) and someone not signed in. Outsiders get a 404; readers a 403 on what they may not
change; nobody signed in is sent to sign in (public pages excepted)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from commonweal.cwb import services as cwb_services
from commonweal.partnership import services
from commonweal.partnership.models import PartnershipNetwork

pytestmark = pytest.mark.django_db

PERSONAS = ("coordinator", "signatory", "other", "authority", "councillor", "anonymous")


@dataclass
class Site:
    urls: dict[str, str]


@pytest.fixture
def site(charter, coordinator, partner_user, world, settings) -> Site:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    partnership = charter.partnership
    sent = services.progress_return_start(
        pledge=charter.target, financial_year=2024, by=partner_user, today=date(2026, 12, 7)
    )
    services.progress_return_save(
        progress_return=sent,
        progress="achieved",
        reported_quantity=Decimal(20),
        narrative="Twenty local people employed",
        by=partner_user,
    )
    evidence = services.progress_evidence_add(
        progress_return=sent,
        upload=SimpleUploadedFile("starters.csv", b"name,start\nA,2024-09-01\n"),
        by=partner_user,
    )
    services.progress_return_submit(progress_return=sent, by=partner_user)
    draft = services.progress_return_start(
        pledge=charter.commitment, financial_year=2024, by=partner_user, today=date(2026, 12, 7)
    )
    link = services.network_start(partnership=partnership, name="Rotherham Anchors", by=coordinator)
    place = services.network_invite_signatory(
        link=link, signatory=charter.signatory, by=coordinator
    )
    cwb_services.anchor_network_join(place=place, by=partner_user)
    action = services.joint_action_create(
        network=link.network,
        by=coordinator,
        title="A shared procurement pipeline",
        lead_organisation=world.council,
        lead_person="Head of Procurement",
        due_on=date(2027, 3, 31),
    )
    services.charter_new_draft(partnership=partnership, by=coordinator)
    draft_version = partnership.charter_versions.get(status="draft")
    principle = draft_version.principles.first()
    adopted = partnership.charter_versions.get(status="published")
    coordinator_row = partnership.coordinators.get()
    pk = partnership.pk
    network = link.network.pk
    return Site(
        urls={
            "list": "/partnerships/",
            "new": "/partnerships/new/",
            "detail": f"/partnerships/{pk}/",
            "settings": f"/partnerships/{pk}/settings/",
            "versions": f"/partnerships/{pk}/charter/",
            "version": f"/partnerships/{pk}/charter/{adopted.pk}/",
            "draft": f"/partnerships/{pk}/charter/draft/",
            "principle-new": f"/partnerships/{pk}/charter/draft/principles/new/",
            "principle-edit": f"/partnerships/{pk}/charter/draft/principles/{principle.pk}/",
            "signatories": f"/partnerships/{pk}/signatories/",
            "signatories-csv": f"/partnerships/{pk}/signatories/?format=csv",
            "invite": f"/partnerships/{pk}/signatories/invite/",
            "signatory": f"/partnerships/signatories/{charter.signatory.pk}/",
            "sign": f"/partnerships/signatories/{charter.signatory.pk}/sign/",
            "end": f"/partnerships/signatories/{charter.signatory.pk}/end/",
            "pledge-new": f"/partnerships/signatories/{charter.signatory.pk}/pledges/new/",
            "return": f"/partnerships/returns/{sent.pk}/",
            "return-draft": f"/partnerships/returns/{draft.pk}/",
            "return-edit-draft": f"/partnerships/returns/{draft.pk}/edit/",
            "evidence": f"/partnerships/evidence/{evidence.pk}/download/",
            "reviews": f"/partnerships/{pk}/returns/",
            "reviews-csv": f"/partnerships/{pk}/returns/?format=csv",
            "progress": f"/partnerships/{pk}/progress/",
            "networks": f"/partnerships/{pk}/networks/",
            "network": f"/partnerships/networks/{network}/",
            "network-csv": f"/partnerships/networks/{network}/?format=csv",
            "network-json": f"/partnerships/networks/{network}/?format=json",
            "sharing": f"/partnerships/networks/{network}/sharing/",
            "action-new": f"/partnerships/networks/{network}/actions/new/",
            "action-edit": f"/partnerships/networks/{network}/actions/{action.pk}/",
            "region": "/region/",
            "region-csv": "/region/?format=csv",
            "region-sharing": "/region/sharing/",
            "region-adopt": "/region/sharing/adopt/",
            "public": f"/charters/{partnership.slug}/",
            "public-network": f"/charters/{partnership.slug}/networks/{network}/",
            # posts
            "coordinator-add": f"/partnerships/{pk}/coordinators/",
            "coordinator-remove": f"/partnerships/{pk}/coordinators/{coordinator_row.pk}/remove/",
            "new-draft": f"/partnerships/{pk}/charter/draft/new/",
            "adopt": f"/partnerships/{pk}/charter/draft/adopt/",
            "principle-remove": f"/partnerships/{pk}/charter/draft/principles/{principle.pk}/remove/",
            "pledge-withdraw": f"/partnerships/pledges/{charter.commitment.pk}/withdraw/",
            "return-start": f"/partnerships/pledges/{charter.target.pk}/returns/2025/",
            "review": f"/partnerships/returns/{sent.pk}/review/",
            "network-start": f"/partnerships/{pk}/networks/start/",
            "network-link": f"/partnerships/{pk}/networks/link/",
            "network-invite": f"/partnerships/{pk}/networks/{link.pk}/invite/",
        }
    )


@pytest.fixture
def clients(client_for, coordinator, partner_user, other_council_officer, ca_officer, viewer):
    return {
        "coordinator": client_for(coordinator),
        "signatory": client_for(partner_user),
        "other": client_for(other_council_officer),
        "authority": client_for(ca_officer),
        "councillor": client_for(viewer),
        "anonymous": Client(),
    }


# Expected status per persona, in the order of PERSONAS. 302 for nobody signed in is the
# sign-in redirect; a 302 for a signed-in person is a page that redirects (said why).
GETS = {
    "list": (200, 200, 200, 200, 200, 302),
    "new": (200, 404, 200, 200, 403, 302),
    "detail": (200, 200, 404, 404, 200, 302),
    "settings": (200, 404, 404, 404, 200, 302),
    "versions": (200, 200, 404, 404, 200, 302),
    "version": (200, 200, 404, 404, 200, 302),
    "draft": (200, 404, 404, 404, 200, 302),
    "principle-new": (200, 404, 404, 404, 403, 302),
    "principle-edit": (200, 404, 404, 404, 403, 302),
    "signatories": (200, 404, 404, 404, 200, 302),
    "signatories-csv": (200, 404, 404, 404, 200, 302),
    "invite": (200, 403, 404, 404, 403, 302),
    "signatory": (200, 200, 404, 404, 200, 302),
    "sign": (302, 302, 404, 404, 403, 302),
    "end": (200, 200, 404, 404, 403, 302),
    "pledge-new": (200, 200, 404, 404, 403, 302),
    "return": (200, 200, 404, 404, 200, 302),
    "return-draft": (404, 200, 404, 404, 404, 302),
    "return-edit-draft": (404, 200, 404, 404, 404, 302),
    "evidence": (200, 200, 404, 404, 200, 302),
    "reviews": (200, 404, 404, 404, 200, 302),
    "reviews-csv": (200, 404, 404, 404, 200, 302),
    "progress": (200, 404, 404, 404, 200, 302),
    "networks": (200, 200, 404, 404, 200, 302),
    "network": (200, 200, 404, 404, 200, 302),
    "network-csv": (200, 200, 404, 404, 200, 302),
    "network-json": (200, 200, 404, 404, 200, 302),
    "sharing": (200, 200, 404, 404, 403, 302),
    "action-new": (200, 200, 404, 404, 403, 302),
    "action-edit": (200, 200, 404, 404, 403, 302),
    "region": (404, 404, 404, 200, 404, 302),
    "region-csv": (404, 404, 404, 200, 404, 302),
    "region-sharing": (200, 404, 200, 404, 200, 302),
    "region-adopt": (403, 404, 200, 404, 403, 302),
    "public": (404, 404, 404, 404, 404, 404),
    "public-network": (404, 404, 404, 404, 404, 404),
}

# What a POST gets from each persona that may not make the change (None: may, not tested here).
POSTS = {
    "coordinator-add": (None, 403, 404, 404, 403, 302),
    "coordinator-remove": (None, 403, 404, 404, 403, 302),
    "new-draft": (None, 403, 404, 404, 403, 302),
    "adopt": (None, 404, 404, 404, 403, 302),
    "principle-remove": (None, 404, 404, 404, 403, 302),
    "pledge-withdraw": (None, None, 404, 404, 403, 302),
    "return-start": (None, None, 404, 404, 403, 302),
    "review": (None, 403, 404, 404, 403, 302),
    "network-start": (None, 403, 404, 404, 403, 302),
    "network-link": (None, 403, 404, 404, 403, 302),
    "network-invite": (None, 403, 404, 404, 403, 302),
}


@pytest.mark.parametrize("name", sorted(GETS))
def test_every_page_for_every_persona(name, site, clients):
    url = site.urls[name]
    found = tuple(clients[p].get(url).status_code for p in PERSONAS)
    assert dict(zip(PERSONAS, found, strict=True)) == dict(
        zip(PERSONAS, GETS[name], strict=True)
    ), url


@pytest.mark.parametrize("name", sorted(POSTS))
def test_every_change_is_refused_to_those_who_may_not_make_it(name, site, clients):
    url = site.urls[name]
    for persona, expected in zip(PERSONAS, POSTS[name], strict=True):
        if expected is None:
            continue
        assert clients[persona].post(url, {}).status_code == expected, (persona, url)


def test_anonymous_is_sent_to_sign_in(site, clients):
    response = clients["anonymous"].get(site.urls["detail"])
    assert response["Location"].startswith("/sign-in/")


def test_published_pages_are_open_to_everyone(site, clients, charter, coordinator):
    services.partnership_update(partnership=charter.partnership, by=coordinator, is_public=True)
    for name in ("public", "public-network"):
        for persona in PERSONAS:
            assert clients[persona].get(site.urls[name]).status_code == 200, (name, persona)


def test_a_network_not_grown_from_this_partnership_is_not_on_its_public_pages(
    site, clients, charter, coordinator, world, other_council_officer
):
    services.partnership_update(partnership=charter.partnership, by=coordinator, is_public=True)
    theirs = cwb_services.anchor_network_create(
        convener=world.other_council, name="Sheffield Anchors", by=other_council_officer
    )
    url = f"/charters/{charter.partnership.slug}/networks/{theirs.pk}/"
    assert clients["anonymous"].get(url).status_code == 404
    assert not PartnershipNetwork.objects.filter(network=theirs).exists()
