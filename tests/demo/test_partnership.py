"""The demo's charter, its anchor network and South Yorkshire's region view (one seeding:
seeding the demo is the slow part)."""

from __future__ import annotations

import pytest

from commonweal.accounts.models import Organisation, User
from commonweal.demo.seed import seed_demo
from commonweal.partnership import selectors
from commonweal.partnership.models import Partnership, ProgressReturn, ReturnStatus

pytestmark = pytest.mark.django_db


def test_the_charter_its_network_and_the_region_view_of_the_councils_that_share(client):
    seed_demo()

    # The charter has signatories with pledges and a year of returns, some reviewed, one queried.
    partnership = Partnership.objects.get(name="Rotherham Together Partnership")
    assert partnership.is_public
    counts = selectors.charter_counts(partnership)
    assert (counts.signatories, counts.invited, counts.withdrawn) == (5, 1, 1)
    assert counts.targets == 3 and counts.commitments >= 4
    statuses = list(
        ProgressReturn.objects.filter(financial_year=2024).values_list("status", flat=True)
    )
    assert statuses.count(ReturnStatus.ACCEPTED) == 6
    assert statuses.count(ReturnStatus.QUERIED) == 1
    assert ProgressReturn.objects.filter(status=ReturnStatus.SUBMITTED).count() == 3

    # Two signatories are in the anchor network, whose page shows their shared figures.
    (link,) = selectors.networks_of(partnership)
    view = selectors.network_view(link.network, None)
    names = {m.organisation.name for m in view.members}
    assert {"Rotherham Hospital Trust (demo)", "Rotherham College (demo)"} <= names
    total = view.spend_rows[0]
    assert all(cell.shown for cell in total.cells) and total.total.shown
    assert view.financial_year == "2024-25"
    assert any(row.label == "Local jobs pledged for the year" for row in view.jobs_rows)
    accredited = {m.organisation.name for m in view.members if m.living_wage}
    assert "Rotherham Hospital Trust (demo)" in accredited
    assert "Rotherham College (demo)" not in accredited

    # The history is dated in the past: invited before signing, 2024-25 returns sent in 2025.
    sent = ProgressReturn.objects.filter(financial_year=2024).values_list("submitted_at", flat=True)
    assert {when.year for when in sent} == {2025}
    for signatory in partnership.signatories.exclude(signed_on=None):
        assert signatory.invited_at.date() < signatory.signed_on

    # The combined authority's officer sees the councils that share with it, and no other.
    region = selectors.region_view(Organisation.objects.get(gss_code="E47000002"))
    assert (region.sharing_count, region.council_count) == (2, 4)
    assert [c.name for c in region.procurements.councils] == [
        "Rotherham Metropolitan Borough Council",
        "Sheffield City Council",
    ]
    client.force_login(User.objects.get(email="officer@southyorkshire-ca.demo"))
    page = client.get("/region/").content.decode()
    assert "2 of the 4 councils" in page
    assert "Barnsley" not in page and "Doncaster" not in page
