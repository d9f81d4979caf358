"""Local areas worked out for any English council, shown and changed on the page and by
``commonweal spend areas``; ``spend analyse`` works them out instead of stopping."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from commonweal.accounts.models import Organisation
from commonweal.accounts.roles import OrganisationKind
from commonweal.cwb import local_areas, paths, selectors
from commonweal.cwb.models import LocalTierSettings, RegisterSupplier
from commonweal.cwb.refdata_store import SHIPPED_AUTHORITIES_SOURCE
from tests.cwb.conftest import ROTHERHAM_ROWS, SHARED_DATA, add_creditor, import_spend_file

pytestmark = pytest.mark.django_db

MYSOCIETY = SHARED_DATA / "geography/mysociety/uk_local_authorities_current.csv"


def council(name: str, code: str) -> Organisation:
    return Organisation.objects.create(kind=OrganisationKind.COUNCIL, name=name, gss_code=code)


def spend(*args: str) -> str:
    out = io.StringIO()
    call_command("spend", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_a_county_council_and_a_district_in_it_both_get_their_areas(world):
    derbyshire = local_areas.local_tiers_for(council("Derbyshire County Council", "E10000007"))
    chesterfield = local_areas.local_tiers_for(council("Chesterfield Borough Council", "E07000034"))
    assert len(derbyshire.borough_lad_codes) == 8 and "E07000034" in derbyshire.borough_lad_codes
    assert chesterfield.borough_lad_codes == ["E07000034"]
    assert derbyshire.combined_authority_lad_codes == chesterfield.combined_authority_lad_codes
    assert derbyshire.region_code == chesterfield.region_code == "E12000004"
    assert derbyshire.worked_out_from == SHIPPED_AUTHORITIES_SOURCE
    assert derbyshire.descriptions["combined_authority"].startswith("East Midlands Combined")


def test_a_loaded_mysociety_lookup_is_used_instead_of_the_shipped_one(world):
    if not MYSOCIETY.is_file():
        pytest.skip("shared data is not present")
    call_command(
        "refdata",
        "load",
        "lad-lookup",
        str(MYSOCIETY),
        "--version",
        "2025-07",
        stdout=io.StringIO(),
    )
    tiers = local_areas.local_tiers_for(council("Durham County Council", "E06000047"))
    assert tiers.worked_out_from == "the authority lookup loaded as version 2025-07"
    # mySociety's 2025-07 copy still has the North East Combined Authority of four.
    assert tiers.descriptions["combined_authority"] == "North East Combined Authority (4 districts)"


def test_an_unknown_or_welsh_council_has_no_areas_until_set_by_hand(world):
    cardiff = council("Cardiff Council", "W06000015")
    assert local_areas.local_tiers_for(cardiff) is None
    with pytest.raises(CommandError, match="only for English councils"):
        spend("areas", "--org", "W06000015")
    output = spend(
        "areas",
        "--org",
        "W06000015",
        "--borough",
        "W06000015",
        "--combined-authority",
        "W06000015",
        "--region",
        "W92000004",
    )
    assert "(set by hand)" in output and "W06000015" in output


def test_the_command_shows_sets_and_works_out_the_areas_again(world):
    council("Kent County Council", "E10000016")
    shown = spend("areas", "--org", "E10000016")
    assert "Borough: Kent's 12 districts" in shown
    assert "  E07000108 Dover" in shown
    assert "Region: E12000008 South East" in shown
    changed = spend(
        "areas", "--org", "E10000016", "--borough", "E07000108", "--deprived-deciles", "1"
    )
    assert "(set by hand)" in changed and "Deprived areas: IMD deciles 1 to 1" in changed
    tiers = LocalTierSettings.objects.get(organisation__gss_code="E10000016")
    assert tiers.borough_lad_codes == ["E07000108"] and tiers.worked_out_from == ""
    again = spend("areas", "--org", "E10000016", "--work-out")
    assert "Borough: Kent's 12 districts" in again
    tiers.refresh_from_db()
    assert len(tiers.borough_lad_codes) == 12 and tiers.deprived_decile_max == 1


def test_a_wrong_code_given_to_the_command_is_named(world):
    with pytest.raises(CommandError, match="ROTHERHAM"):
        spend("areas", "--org", "E08000018", "--borough", "Rotherham")


def test_the_page_names_the_districts_and_an_editor_works_them_out_again(
    client_for, council_officer, viewer, world
):
    local_areas.local_tiers_update(
        organisation=world.council,
        by=None,
        borough_lad_codes=["E08000019"],
        combined_authority_lad_codes=["E08000019"],
        region_code="E12000003",
        deprived_decile_max=2,
    )
    page = client_for(viewer).get(reverse("cwb:local-tiers")).content.decode()
    assert "Sheffield (E08000019)" in page and "set by hand" in page
    assert "Work them out again" not in page
    assert client_for(viewer).post(reverse("cwb:local-tiers-work-out")).status_code == 403
    client = client_for(council_officer)
    response = client.post(reverse("cwb:local-tiers-work-out"))
    assert response.status_code == 302
    page = client.get(reverse("cwb:local-tiers")).content.decode()
    assert "Rotherham (E08000018)" in page and "Barnsley (E08000016)" in page
    assert "South Yorkshire Mayoral Combined Authority (4 districts)" in page
    assert "worked out from mySociety" in page


def test_outsiders_cannot_work_out_our_areas(client_for, supplier_user, world):
    response = client_for(supplier_user).post(reverse("cwb:local-tiers-work-out"))
    assert response.status_code in (403, 404)
    assert not LocalTierSettings.objects.filter(organisation=world.council).exists()


def test_analyse_links_again_when_suppliers_were_linked_before_the_areas(
    world, council_officer, spend_csv
):
    import_spend_file(world.council, council_officer, spend_csv("spend.csv", ROTHERHAM_ROWS))
    spend("link", "--org", "E08000018")
    # As an older linkage left it: no areas, so no supplier was placed.
    LocalTierSettings.objects.filter(organisation=world.council).delete()
    link_run = selectors.latest_link_run(world.council)
    (paths.linkage_dir(world.council.pk, link_run.pk) / "classification.parquet").unlink()
    data = json.loads(spend("analyse", "--org", "E08000018", "--year", "2024-25"))
    assert data["organisation"] == world.council.name
    assert LocalTierSettings.objects.get(organisation=world.council).region_code == "E12000003"
    assert selectors.latest_link_run(world.council).pk != link_run.pk


def test_a_postcode_directory_without_regions_takes_them_from_the_shipped_lookup(
    world, council_officer, spend_csv, tmp_path
):
    # Code-Point Open, for one, gives each postcode's district but not its region.
    postcodes = tmp_path / "no-regions.csv"
    postcodes.write_text(
        "pcds,doterm,laua\nS60 1QP,,E08000018\nLS1 4AP,,E08000035\nB1 1AA,,E08000025\n",
        encoding="utf-8",
    )
    call_command("refdata", "load", "postcodes", str(postcodes), stdout=io.StringIO())
    rows = [
        ("10/05/2024", "DON VALLEY CATERING LTD", "1", "Place", "100.00"),
        ("10/05/2024", "LEEDS FIRM LTD", "2", "Place", "100.00"),
        ("10/05/2024", "BIRMINGHAM FIRM LTD", "3", "Place", "100.00"),
    ]
    import_spend_file(world.council, council_officer, spend_csv("spend.csv", rows))
    for supplier_id, postcode in (("1", "S60 1QP"), ("2", "LS1 4AP"), ("3", "B1 1AA")):
        add_creditor(world.council, supplier_id, postcode=postcode)
    spend("link", "--org", "E08000018")
    placed = dict(
        RegisterSupplier.objects.filter(organisation=world.council).values_list(
            "postcode", "in_region"
        )
    )
    assert placed == {"S60 1QP": True, "LS1 4AP": True, "B1 1AA": False}
