"""What "local" means for an organisation, and who may change it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commonweal.cwb import local_areas
from commonweal.cwb.models import LocalTierSettings

pytestmark = pytest.mark.django_db


def test_rotherham_starts_with_its_borough_south_yorkshire_and_yorkshire_and_the_humber(world):
    tiers = local_areas.local_tiers_for(world.council)
    assert tiers.borough_lad_codes == ["E08000018"]
    # Domain brief section 5: SYMCA E47000002 = Barnsley, Doncaster, Rotherham, Sheffield.
    assert tiers.combined_authority_lad_codes == [
        "E08000016",
        "E08000017",
        "E08000018",
        "E08000019",
    ]
    assert tiers.region_code == "E12000003"
    assert tiers.deprived_decile_max == 2


def test_an_anchor_partner_has_no_default_and_must_set_its_areas(world):
    assert local_areas.local_tiers_for(world.partner) is None
    assert not LocalTierSettings.objects.filter(organisation=world.partner).exists()


def test_area_codes_must_be_gss_codes(world):
    with pytest.raises(ValidationError) as problem:
        local_areas.local_tiers_update(
            organisation=world.partner,
            by=None,
            borough_lad_codes=["Rotherham"],
            combined_authority_lad_codes=[],
            region_code="Yorkshire",
            deprived_decile_max=1,
        )
    assert "ROTHERHAM" in str(problem.value.message_dict["borough_lad_codes"])
    assert "region_code" in problem.value.message_dict


def test_an_officer_changes_the_deprived_threshold(client_for, council_officer, world):
    client = client_for(council_officer)
    assert "E08000019" in client.get(reverse("cwb:local-tiers")).content.decode()
    response = client.post(
        reverse("cwb:local-tiers"),
        {
            "borough_lad_codes": "E08000018",
            "combined_authority_lad_codes": "E08000016, E08000017,E08000018; E08000019",
            "region_code": "e12000003",
            "deprived_decile_max": "1",
        },
    )
    assert response.status_code == 302
    tiers = LocalTierSettings.objects.get(organisation=world.council)
    assert tiers.deprived_decile_max == 1 and tiers.region_code == "E12000003"
    assert len(tiers.combined_authority_lad_codes) == 4


def test_a_partner_sets_its_areas_and_a_viewer_may_only_read(
    client_for, partner_user, viewer, world
):
    client = client_for(partner_user)
    page = client.get(reverse("cwb:local-tiers")).content.decode()
    assert "Set your local areas" in page
    response = client.post(
        reverse("cwb:local-tiers"),
        {
            "borough_lad_codes": "E08000018",
            "combined_authority_lad_codes": "E08000018",
            "region_code": "E12000003",
            "deprived_decile_max": "2",
        },
    )
    assert response.status_code == 302
    viewer_client = client_for(viewer)
    assert viewer_client.get(reverse("cwb:local-tiers")).status_code == 200
    assert (
        "Change your local areas"
        not in viewer_client.get(reverse("cwb:local-tiers")).content.decode()
    )
    assert (
        viewer_client.post(reverse("cwb:local-tiers"), {"region_code": "E12000001"}).status_code
        == 403
    )
