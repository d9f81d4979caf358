"""Supplier classification: golden geography from real OS/ONS rows and each decision rule."""

from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from commonweal.spend_engine import refdata
from commonweal.spend_engine.classify import (
    LocalTiers,
    ReferenceTables,
    classify_suppliers,
    normalise_postcode,
)

SHARED = Path(__file__).parents[2].parent / "shared" / "data"
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason="shared data is not beside the project"
)

ROTHERHAM = LocalTiers(
    borough_lad_codes=frozenset({"E08000018"}),
    combined_authority_lad_codes=frozenset({"E08000016", "E08000017", "E08000018", "E08000019"}),
    region_code="E12000003",
)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    if not SHARED.is_dir():
        pytest.skip("shared data is not beside the project")
    out = tmp_path_factory.mktemp("ref")
    geo = SHARED / "geography"
    nspl = refdata.load_postcode_directory(
        [geo / "nspl-nov-2021/NSPL_NOV_2021_UK_HX.csv"], output_dir=out, version="nspl-2021-11"
    )
    codepoint = refdata.load_codepoint_open(
        [geo / "codepoint-open-2014-08/s.csv", geo / "codepoint-open-2014-08/dn.csv"],
        headers_file=geo / "codepoint-open-2014-08/Code-Point_Open_Column_Headers.csv",
        output_dir=out,
        version="codepoint-2014-08",
    )
    imd = refdata.load_deprivation(
        SHARED / "deprivation/imd2019_england_lsoa11.csv", output_dir=out, index_vintage="2019"
    )
    lookup = refdata.load_lad_to_combined_authority(
        geo / "mysociety/uk_local_authorities_current.csv", output_dir=out, version="mysociety-2025"
    )
    return ReferenceTables(
        postcodes=[nspl.path, codepoint.path], deprivation=imd.path, lad_lookup=lookup.path
    )


def classify_one(reference, tiers=ROTHERHAM, **supplier):
    table = pa.table({key: [value] for key, value in {"supplier_key": "k", **supplier}.items()})
    return classify_suppliers(table, reference=reference, tiers=tiers).to_pylist()[0]


def test_it_normalises_postcodes_to_outward_space_inward():
    assert normalise_postcode(" s60 1aa ") == "S60 1AA"
    assert normalise_postcode("S1  1AA") == "S1 1AA"
    assert normalise_postcode("not a postcode") is None


@needs_shared
def test_a_rotherham_postcode_is_in_the_borough_and_the_combined_authority(reference):
    # Code-Point Open 2014-08, s.csv: "S60 1AA",...,"E08000018","E05001019" (Rotherham).
    row = classify_one(reference, postcode="S60 1AA")
    assert (row["lad_code"], row["ward_code"]) == ("E08000018", "E05001019")
    assert row["in_borough"] is True
    assert row["in_combined_authority"] is True
    assert row["ca_code"] == "E47000002"
    assert (row["region_code"], row["in_region"]) == ("E12000003", True)


@needs_shared
def test_a_sheffield_postcode_is_only_in_the_combined_authority(reference):
    # Code-Point Open 2014-08, s.csv: "S1  2HH",...,"E08000019" (Sheffield).
    row = classify_one(reference, postcode="S1 2HH")
    assert row["in_borough"] is False
    assert row["in_combined_authority"] is True


@needs_shared
def test_deprivation_decile_comes_from_the_lsoa_of_the_postcode(reference):
    # NSPL Nov 2021: HX1 1AA -> lsoa11 E01010994; IoD2019 file: E01010994 IMD_decile 1.
    row = classify_one(reference, postcode="HX1 1AA")
    assert (row["lsoa_code"], row["imd_decile"], row["imd_vintage"]) == ("E01010994", 1, "2019")
    assert row["in_deprived_area"] is True
    assert row["in_combined_authority"] is False  # Calderdale is West Yorkshire


@needs_shared
def test_without_a_postcode_location_flags_stay_unknown(reference):
    row = classify_one(reference, postcode=None)
    assert row["in_borough"] is None and row["in_deprived_area"] is None


@needs_shared
def test_a_self_declared_sme_beats_the_ocds_scale(reference):
    row = classify_one(reference, declared_sme=True, ocds_scale="large")
    assert (row["is_sme"], row["sme_source"]) == (True, "self-declared (creditor file)")


@needs_shared
def test_the_ocds_scale_decides_when_nothing_is_declared(reference):
    row = classify_one(reference, ocds_scale="large")
    assert (row["is_sme"], row["sme_source"]) == (False, "OCDS supplier scale")


@needs_shared
def test_loaded_award_notices_give_a_companys_scale_and_vcse_flag(reference, tmp_path):
    import dataclasses

    notices = tmp_path / "ocds_suppliers.parquet"
    duckdb.sql(
        "SELECT * FROM (VALUES ('01234567', 'sme', NULL), ('07654321', 'large', TRUE)) "
        "t(company_number, scale, vcse)"
    ).write_parquet(str(notices))
    with_notices = dataclasses.replace(reference, ocds_suppliers=notices)
    row = classify_one(with_notices, company_number="01234567")
    assert (row["is_sme"], row["sme_source"]) == (True, "OCDS supplier scale")
    row = classify_one(with_notices, company_number="07654321", declared_sme=True)
    assert (row["is_sme"], row["sme_source"]) == (True, "self-declared (creditor file)")
    assert (row["is_vcse"], row["vcse_source"]) == (True, "OCDS supplier details")
    row = classify_one(with_notices, company_number="09999999")
    assert (row["is_sme"], row["sme_source"]) == (None, None)


@needs_shared
def test_a_published_charity_number_makes_a_vcse_when_no_register_is_loaded(reference):
    row = classify_one(reference, charity_number="1000611")
    assert (row["is_vcse"], row["vcse_source"]) == (True, "charity register")


@needs_shared
def test_a_redacted_payee_is_an_individual(reference):
    row = classify_one(reference, supplier_name="REDACTED PERSONAL DATA", is_redacted=True)
    assert (row["is_individual_or_redacted"], row["individual_source"]) == (
        True,
        "redacted in spend file",
    )


@needs_shared
def test_a_council_is_inferred_to_be_a_public_body_from_its_name(reference):
    row = classify_one(reference, supplier_name="ROTHERHAM MBC")
    assert (row["is_public_body"], row["public_body_source"]) == (True, "inferred from name")


def test_local_tiers_refuse_codes_that_are_not_gss_codes():
    with pytest.raises(ValueError, match="not a GSS area code"):
        LocalTiers(frozenset({"Rotherham"}), frozenset(), "E12000003")
