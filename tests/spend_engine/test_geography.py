"""Local areas of any English council, worked out from the authority lookups in
``../shared/data/geography/`` (mySociety's 2025 table; ONS's 2019 lookup has no counties) and
from the lookup Commonweal ships."""

from __future__ import annotations

from pathlib import Path

import pytest

from commonweal.spend_engine import geography, refdata

SHARED = Path(__file__).parents[2].parent / "shared" / "data" / "geography"
MYSOCIETY = SHARED / "mysociety/uk_local_authorities_current.csv"
SHIPPED = Path(refdata.__file__).parent / "reference" / "english_authorities_2025.csv"
needs_shared = pytest.mark.skipif(not MYSOCIETY.is_file(), reason="shared data is not present")

DERBYSHIRE_DISTRICTS = (
    "E07000032",  # Amber Valley
    "E07000033",  # Bolsover
    "E07000034",  # Chesterfield
    "E07000035",  # Derbyshire Dales
    "E07000036",  # Erewash
    "E07000037",  # High Peak
    "E07000038",  # North East Derbyshire
    "E07000039",  # South Derbyshire
)
EAST_MIDLANDS = "E12000004"


def lookup_from(path: Path, tmp_path: Path) -> geography.AuthorityLookup:
    result = refdata.load_lad_to_combined_authority(path, output_dir=tmp_path, version="v")
    found = geography.read_authority_lookup(result.path, source="the test lookup")
    assert found is not None
    return found


@pytest.fixture
def mysociety(tmp_path):
    if not MYSOCIETY.is_file():
        pytest.skip("shared data is not present")
    return lookup_from(MYSOCIETY, tmp_path)


def test_a_county_councils_borough_is_its_districts_in_its_combined_county_authority(mysociety):
    areas = mysociety.local_areas("E10000007")  # Derbyshire County Council
    assert areas.borough.lad_codes == DERBYSHIRE_DISTRICTS
    assert areas.borough.description == "Derbyshire's 8 districts"
    # East Midlands CCA (2025): Derby, Nottingham and the districts of both counties.
    ca = areas.combined_authority
    assert ca.description == "East Midlands Combined County Authority (17 districts)"
    assert set(DERBYSHIRE_DISTRICTS) <= set(ca.lad_codes)
    assert {"E06000015", "E06000018", "E07000171"} <= set(ca.lad_codes)
    # mySociety puts Derbyshire in the West Midlands; its districts are all East Midlands.
    assert (areas.region_code, areas.region_name) == (EAST_MIDLANDS, "East Midlands")


def test_a_district_inside_that_county_is_its_own_borough_in_the_same_wider_areas(mysociety):
    county = mysociety.local_areas("E10000007")
    areas = mysociety.local_areas("E07000034")  # Chesterfield Borough Council
    assert areas.borough.lad_codes == ("E07000034",)
    assert areas.borough.description == "Chesterfield"
    assert areas.combined_authority == county.combined_authority
    assert areas.region_code == EAST_MIDLANDS


def test_a_unitary_council_is_its_own_borough_in_its_combined_authority(mysociety):
    areas = mysociety.local_areas("E06000015")  # Derby City Council
    assert areas.borough.lad_codes == ("E06000015",)
    assert "E07000034" in areas.combined_authority.lad_codes
    assert areas.region_code == EAST_MIDLANDS


def test_a_london_boroughs_wider_area_is_greater_london(mysociety):
    areas = mysociety.local_areas("E09000007")  # Camden
    assert areas.borough.lad_codes == ("E09000007",)
    assert areas.combined_authority.description == "Greater London Authority (33 districts)"
    assert "E09000001" in areas.combined_authority.lad_codes  # the City of London
    assert (areas.region_code, areas.region_name) == ("E12000007", "London")


def test_a_combined_authority_member_has_its_combined_authoritys_districts(mysociety):
    areas = mysociety.local_areas("E08000018")  # Rotherham
    # Domain brief section 5: SYMCA E47000002 = Barnsley, Doncaster, Rotherham, Sheffield.
    assert areas.combined_authority.lad_codes == (
        "E08000016",
        "E08000017",
        "E08000018",
        "E08000019",
    )
    assert areas.combined_authority.description.startswith("South Yorkshire Mayoral")
    assert areas.region_code == "E12000003"


def test_the_combined_authority_itself_has_its_districts_as_borough(mysociety):
    areas = mysociety.local_areas("E47000002")
    assert areas.borough.lad_codes == areas.combined_authority.lad_codes
    assert len(areas.borough.lad_codes) == 4


def test_a_county_without_a_combined_authority_and_its_district_share_the_county(mysociety):
    kent = mysociety.local_areas("E10000016")
    dover = mysociety.local_areas("E07000108")
    assert len(kent.borough.lad_codes) == 12 and "E07000108" in kent.borough.lad_codes
    assert dover.borough.lad_codes == ("E07000108",)
    assert dover.combined_authority.lad_codes == kent.borough.lad_codes
    assert dover.combined_authority.description == "No combined authority: Kent's 12 districts"
    assert kent.region_code == dover.region_code == "E12000008"


def test_a_unitary_without_a_combined_authority_has_only_itself(mysociety):
    areas = mysociety.local_areas("E06000052")  # Cornwall
    assert areas.combined_authority.lad_codes == ("E06000052",)
    assert areas.combined_authority.description == "No combined authority: Cornwall"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("W06000015", "only for English councils"),
        ("E08999999", "is not a current English council"),
        ("Rotherham", "is not a GSS code"),
        ("E12000003", "is not a current English council"),
    ],
)
def test_areas_that_cannot_be_worked_out_say_why(mysociety, code, message):
    with pytest.raises(geography.AreaNotFound, match=message):
        mysociety.local_areas(code)


@needs_shared
def test_the_ons_2019_lookup_has_no_counties_so_it_is_not_used_to_work_out_areas(tmp_path):
    result = refdata.load_lad_to_combined_authority(
        SHARED / "ons-lookups/lad19_cauth19_en_lu_dec2019.csv", output_dir=tmp_path, version="v"
    )
    assert geography.read_authority_lookup(result.path, source="ONS") is None


def test_the_shipped_lookup_has_the_north_east_mayoral_combined_authority(tmp_path):
    shipped = lookup_from(SHIPPED, tmp_path)
    areas = shipped.local_areas("E06000047")  # County Durham
    assert areas.combined_authority.description == (
        "North East Mayoral Combined Authority (7 districts)"
    )
    assert "E08000021" in areas.combined_authority.lad_codes  # Newcastle, once North of Tyne


@needs_shared
def test_the_shipped_lookup_agrees_with_mysociety_everywhere_but_the_north_east(tmp_path):
    shipped = lookup_from(SHIPPED, tmp_path / "shipped")
    source = lookup_from(MYSOCIETY, tmp_path / "source")
    north_east = {"E47000010", "E47000011", "E47000014"}
    for code in shipped.by_code:
        if code[:3] not in ("E06", "E07", "E08", "E09", "E10"):
            continue
        ours, theirs = shipped.local_areas(code), source.local_areas(code)
        assert ours.borough == theirs.borough and ours.region_code == theirs.region_code
        if not north_east & {
            (shipped.combined_authority_of(code) or ("",))[0],
            (source.combined_authority_of(code) or ("",))[0],
        }:
            assert ours.combined_authority == theirs.combined_authority, code
