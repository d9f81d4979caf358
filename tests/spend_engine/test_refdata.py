"""Reference data loaders: official layouts (generated fixtures) and the shared real files."""

import csv
from pathlib import Path

import duckdb
import pytest

from commonweal.spend_engine import refdata

SHARED = Path(__file__).parents[2].parent / "shared" / "data"
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason="shared data is not beside the project"
)

# Companies House BasicCompanyData: 55 columns, several with a leading space as published.
CH_HEADER = (
    [
        "CompanyName",
        " CompanyNumber",
        "RegAddress.CareOf",
        "RegAddress.POBox",
        "RegAddress.AddressLine1",
        " RegAddress.AddressLine2",
        "RegAddress.PostTown",
        "RegAddress.County",
        "RegAddress.Country",
        "RegAddress.PostCode",
        "CompanyCategory",
        "CompanyStatus",
        "CountryOfOrigin",
        "DissolutionDate",
        "IncorporationDate",
        "Accounts.AccountRefDay",
        "Accounts.AccountRefMonth",
        "Accounts.NextDueDate",
        "Accounts.LastMadeUpDate",
        "Accounts.AccountCategory",
        "Returns.NextDueDate",
        "Returns.LastMadeUpDate",
        "Mortgages.NumMortCharges",
        "Mortgages.NumMortOutstanding",
        "Mortgages.NumMortPartSatisfied",
        "Mortgages.NumMortSatisfied",
        "SICCode.SicText_1",
        "SICCode.SicText_2",
        "SICCode.SicText_3",
        "SICCode.SicText_4",
        "LimitedPartnerships.NumGenPartners",
        "LimitedPartnerships.NumLimPartners",
        "URI",
    ]
    + [
        f"{' ' if i > 1 else ''}PreviousName_{i}.{part}"
        for i in range(1, 11)
        for part in ("CONDATE", "CompanyName")
    ]
    + ["ConfStmtNextDueDate", " ConfStmtLastMadeUpDate"]
)


def company_row(name, number, postcode, category, accounts, sic):
    row = dict.fromkeys(CH_HEADER, "")
    row.update(
        {
            "CompanyName": name,
            " CompanyNumber": number,
            "RegAddress.PostCode": postcode,
            "CompanyCategory": category,
            "CompanyStatus": "Active",
            "Accounts.AccountCategory": accounts,
            "SICCode.SicText_1": sic,
        }
    )
    return [row[h] for h in CH_HEADER]


def test_companies_house_parts_load_with_vcse_and_sme_signals(tmp_path):
    assert len(CH_HEADER) == 55
    parts = []
    for i, rows in enumerate(
        [
            [
                company_row(
                    "ROTHERHAM CIC",
                    "12345678",
                    "s60 1aa",
                    "Community Interest Company",
                    "MICRO ENTITY",
                    "88990 - Other social work activities without accommodation n.e.c.",
                )
            ],
            [
                company_row(
                    "GUARANTEE LTD",
                    "1234",
                    "S1 2HH",
                    "PRI/LTD BY GUAR/NSC (Private, limited by guarantee, no share capital)",
                    "FULL",
                    "None Supplied",
                )
            ],
        ]
    ):
        part = tmp_path / f"BasicCompanyData-part{i + 1}.csv"
        with part.open("w", newline="") as handle:
            csv.writer(handle).writerows([CH_HEADER, *rows])
        parts.append(part)
    result = refdata.load_companies_house(parts, output_dir=tmp_path / "ref", version="2025-11-01")
    assert (result.row_count, set(result.source_hashes)) == (2, {p.name for p in parts})
    rows = duckdb.sql(f"SELECT * FROM '{result.path}' ORDER BY company_number").fetchall()
    assert rows[0][:3] == ("00001234", "GUARANTEE LTD", "S1 2HH")
    assert rows[0][-3:] == ([], "possible_vcse", False)
    assert rows[1][2] == "S60 1AA"
    assert rows[1][-2:] == ("vcse", True)


def test_the_charity_register_keeps_main_charities_and_income_in_pence(tmp_path):
    extract = tmp_path / "publicextract.charity.txt"
    extract.write_text(
        "date_of_extract\torganisation_number\tregistered_charity_number\tlinked_charity_number\t"
        "charity_name\tcharity_registration_status\tlatest_income\tcharity_contact_postcode\t"
        "charity_company_registration_number\tcharity_is_cio\n"
        "2025-11-01\t1\t1000611\t0\tDENTON BURN COMMUNITY ASSOCIATION\tRegistered\t12345.67\tNE15 7HD\t8591698\tFalse\n"
        "2025-11-01\t2\t1000611\t1\tA LINKED SUBSIDIARY\tRegistered\t1.00\tNE15 7HD\t\tFalse\n"
    )
    result = refdata.load_charity_register(
        extract, output_dir=tmp_path / "ref", version="2025-11-01"
    )
    assert result.row_count == 1
    row = duckdb.sql(f"SELECT * FROM '{result.path}'").fetchall()[0]
    assert row == (
        "1000611",
        "DENTON BURN COMMUNITY ASSOCIATION",
        "NE15 7HD",
        "08591698",
        "Registered",
        1234567,
        False,
    )


def test_official_file_7_headers_load_as_deprivation(tmp_path):
    file7 = tmp_path / "File_7.csv"
    file7.write_text(
        "LSOA code (2021),LSOA name (2021),Index of Multiple Deprivation (IMD) Score,"
        "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived),"
        "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)\n"
        "E01000001,City of London 001A,8.742,26525,8\n"
    )
    result = refdata.load_deprivation(file7, output_dir=tmp_path / "ref", index_vintage="2025")
    row = duckdb.sql(
        f"SELECT lsoa_code, lsoa_vintage, imd_decile, imd_rank, CAST(imd_score AS VARCHAR) FROM '{result.path}'"
    ).fetchall()[0]
    assert row == ("E01000001", "2021", 8, 26525, "8.742")


@needs_shared
def test_nspl_keeps_only_live_postcodes_with_their_2011_lsoa(tmp_path):
    # DATA.md: 7,442 HX postcodes of which 1,765 are terminated -> 5,677 live.
    result = refdata.load_postcode_directory(
        [SHARED / "geography/nspl-nov-2021/NSPL_NOV_2021_UK_HX.csv"],
        output_dir=tmp_path,
        version="nov-2021",
    )
    assert result.row_count == 5677
    assert duckdb.sql(f"SELECT DISTINCT lsoa_vintage FROM '{result.path}'").fetchall() == [
        ("2011",)
    ]


@needs_shared
def test_the_ons_combined_authority_lookup_still_calls_south_yorkshire_sheffield_city_region(
    tmp_path,
):
    result = refdata.load_lad_to_combined_authority(
        SHARED / "geography/ons-lookups/lad19_cauth19_en_lu_dec2019.csv",
        output_dir=tmp_path,
        version="dec-2019",
    )
    rows = duckdb.sql(
        f"SELECT lad_code, ca_code, ca_name FROM '{result.path}' WHERE ca_code = 'E47000002' ORDER BY 1"
    ).fetchall()
    assert [r[0] for r in rows] == ["E08000016", "E08000017", "E08000018", "E08000019"]
    assert rows[0][2] == "Sheffield City Region"


@needs_shared
def test_the_charity_company_lookup_strips_org_id_prefixes(tmp_path):
    result = refdata.load_charity_company_lookup(
        SHARED / "registers/charity-lookups/charity-company-numbers.csv",
        output_dir=tmp_path,
        version="drkane",
    )
    assert result.row_count == 4399
    first = duckdb.sql(f"SELECT * FROM '{result.path}' WHERE charity_number = '1000611'").fetchall()
    assert first == [("1000611", "CHC", "08591698", "DENTON BURN COMMUNITY ASSOCIATION")]


def test_a_file_without_the_expected_columns_is_refused_and_leaves_nothing(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    with pytest.raises(refdata.RefdataError, match="bad.csv: no column like 'pcds'"):
        refdata.load_postcode_directory([bad], output_dir=tmp_path / "ref", version="v1")
    assert not (tmp_path / "ref" / "postcodes" / "v1").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"PK\x03\x04"
            + b"\x00" * 26
            + b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet",
            "postcodes.csv: this is an .ods workbook, not a CSV file",
        ),
        (b"PK\x03\x04" + b"\x00" * 60, "postcodes.csv: this is an .xlsx workbook, not a CSV file"),
        (b"pcds,lat\x00,long\n", "postcodes.csv: this is not a text"),
    ],
    ids=["ods", "xlsx", "nul-bytes"],
)
def test_a_workbook_or_binary_file_named_csv_is_refused_by_name(tmp_path, content, message):
    """Its bytes never reach a message (PostgreSQL refuses NUL in a job's error text)."""
    bad = tmp_path / "postcodes.csv"
    bad.write_bytes(content)
    with pytest.raises(refdata.RefdataError, match=message) as refused:
        refdata.load_postcode_directory([bad], output_dir=tmp_path / "ref", version="v1")
    assert "\x00" not in str(refused.value)
    assert not (tmp_path / "ref" / "postcodes" / "v1").exists()


def test_every_kind_has_an_official_download_address():
    assert all(source.url.startswith("https://") for source in refdata.OFFICIAL_SOURCES.values())


def ocds_party(name, number=None, *, roles=("supplier",), scale=None, vcse=None, via="identifier"):
    party = {"id": f"party-{name}", "name": name, "roles": list(roles), "details": {}}
    if number and via == "identifier":
        party["identifier"] = {"scheme": "GB-COH", "id": number, "legalName": name}
    elif number and via == "additional":
        party["identifier"] = {"scheme": "GB-CHC", "id": "1100000"}
        party["additionalIdentifiers"] = [{"scheme": "GB-COH", "id": number}]
    elif number:
        party["id"] = f"GB-COH-{number}"
    if scale is not None:
        party["details"]["scale"] = scale
    if vcse is not None:
        party["details"]["vcse"] = vcse
    return party


def test_ocds_award_notices_give_each_companys_latest_scale_and_vcse_flag(tmp_path):
    import json

    older = {
        "uri": "https://example.test/older",
        "releases": [
            {
                "ocid": "ocds-test-1",
                "date": "2023-05-01T00:00:00Z",
                "parties": [
                    ocds_party("Rotherham Council", roles=("buyer",)),
                    ocds_party("Don Valley Catering Ltd", "1234567", scale="micro"),
                    ocds_party("Northern Infrastructure", "SC12345", scale="sme"),
                ],
            }
        ],
    }
    newer = {
        "records": [
            {
                "ocid": "ocds-test-2",
                "compiledRelease": {
                    "date": "2024-02-01T00:00:00Z",
                    "parties": [
                        ocds_party("Northern Infrastructure Group", "SC012345", scale="large"),
                        ocds_party(
                            "Wentworth Transport", "07654321", vcse="true", via="additional"
                        ),
                        ocds_party("Maltby Trust", "9876543", scale="sme", via="party id"),
                        ocds_party("A Sole Trader", scale="sme"),  # no company number
                    ],
                },
            }
        ]
    }
    (tmp_path / "older.json").write_text(json.dumps(older))
    (tmp_path / "newer.json").write_text(json.dumps(newer))
    result = refdata.load_ocds_suppliers(
        [tmp_path / "older.json", tmp_path / "newer.json"],
        output_dir=tmp_path / "ref",
        version="v1",
    )
    rows = duckdb.sql(
        f"SELECT company_number, supplier_name, scale, vcse FROM '{result.path}' ORDER BY 1"
    ).fetchall()
    assert rows == [
        ("01234567", "Don Valley Catering Ltd", "sme", None),
        ("07654321", "Wentworth Transport", None, True),
        ("09876543", "Maltby Trust", "sme", None),
        ("SC012345", "Northern Infrastructure Group", "large", None),
    ]
    assert set(result.source_hashes) == {"older.json", "newer.json"}


@needs_shared
def test_tender_notices_without_suppliers_are_refused_with_the_reason(tmp_path):
    notices = sorted((SHARED / "ocds/uk-contracts-finder/south-yorkshire").glob("*.json"))
    with pytest.raises(refdata.RefdataError, match="no supplier with a Companies House number"):
        refdata.load_ocds_suppliers(notices, output_dir=tmp_path / "ref", version="cf")
    assert not (tmp_path / "ref" / "ocds_suppliers" / "cf").exists()


def test_a_file_that_is_not_an_ocds_package_is_refused_by_name(tmp_path):
    (tmp_path / "notes.json").write_text('{"hello": "world"}')
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(refdata.RefdataError, match="notes.json: not an OCDS release or record"):
        refdata.load_ocds_suppliers([tmp_path / "notes.json"], output_dir=tmp_path, version="v1")
    with pytest.raises(refdata.RefdataError, match="broken.json: not a JSON file"):
        refdata.load_ocds_suppliers([tmp_path / "broken.json"], output_dir=tmp_path, version="v1")


# --- rows that are not reference data are rejected, and reported (issue 18, item 5) ----------

NSPL_HEADER = "pcds,doterm,laua,osward,lsoa11,rgn,lat,long,imd\n"


def test_postcode_rows_with_impossible_coordinates_or_malformed_codes_are_rejected(tmp_path):
    source = tmp_path / "nspl.csv"
    source.write_text(
        NSPL_HEADER
        + "S60 1AE,,E08000018,E05001019,E01007616,E12000003,53.43,-1.35,100\n"  # row 2: good
        + "S60 1AF,,E08000018,,,E12000003,1e309,-1.35,\n"  # row 3: infinite latitude
        + "S60 1AG,,E08000018,,,E12000003,NaN,-1.35,\n"  # row 4: not a number
        + "S60 1AH,,E08000018,,,E12000003,53.43,-inf,\n"  # row 5
        + '"=HYPERLINK(""http://evil.example"",""S60 1AJ"")",,E08000018,,,,53.4,-1.3,\n'  # 6
        + "@S60 1AL,,E08000018,,,,53.4,-1.3,\n"  # row 7: formula-leading postcode
        + "S60 1AN,,=1+2,,,,53.4,-1.3,\n"  # row 8: formula as a district code
        + "S60 1AP,,E08000018,,,,12.5,-1.3,\n"  # row 9: nowhere near the UK
        + "S60 1AQ,,E08000018,,,,99.999999,0.000000,\n"  # row 10: ONS's 'no grid reference'
        + "S60 1AR,198001,E08000018,,,,1e309,-1.35,\n",  # row 11: terminated, so not read
        encoding="utf-8",
    )
    result = refdata.load_postcode_directory([source], output_dir=tmp_path / "ref", version="v1")
    loaded = duckdb.sql(
        f"SELECT postcode, latitude, longitude FROM '{result.path}' ORDER BY postcode"
    ).fetchall()
    assert loaded == [("S60 1AE", 53.43, -1.35), ("S60 1AQ", None, None)]
    assert result.row_count == 2 and result.rows_rejected == 7
    with result.rejects_path.open(encoding="utf-8", newline="") as handle:
        rejects = [(r["file"], r["row"], r["column"], r["reason"]) for r in csv.DictReader(handle)]
    latitude = "not a latitude in the United Kingdom (a number from 49 to 61)"
    assert rejects == [
        ("nspl.csv", "3", "lat", latitude),
        ("nspl.csv", "4", "lat", latitude),
        ("nspl.csv", "5", "long", "not a longitude in the United Kingdom (a number from -9 to 2)"),
        ("nspl.csv", "6", "pcds", "not a UK postcode (like S60 1AE)"),
        ("nspl.csv", "7", "pcds", "not a UK postcode (like S60 1AE)"),
        ("nspl.csv", "8", "laua", "not a GSS code (a letter and eight digits, like E08000018)"),
        ("nspl.csv", "9", "lat", latitude),
    ]


def test_a_postcode_file_whose_every_row_is_rejected_is_refused_saying_why(tmp_path):
    source = tmp_path / "nspl.csv"
    source.write_text(NSPL_HEADER + "=1+2,,E08000018,,,,53.4,-1.3,\n", encoding="utf-8")
    with pytest.raises(
        refdata.RefdataError,
        match=r"nspl.csv: all 1 rows were rejected; row 2, column 'pcds': '=1\+2' is not a UK",
    ):
        refdata.load_postcode_directory([source], output_dir=tmp_path / "ref", version="v1")
    assert not (tmp_path / "ref" / "postcodes" / "v1").exists()


def test_code_point_rows_name_their_own_file_and_row(tmp_path):
    headers = tmp_path / "headers.csv"
    headers.write_text(
        "PC,PQ,EA,NO,CY,RH,LH,CC,DC,WC\nPostcode,Positional_quality_indicator,Eastings,Northings,"
        "Country_code,NHS_regional_HA_code,NHS_HA_code,Admin_county_code,Admin_district_code,"
        "Admin_ward_code\n",
        encoding="utf-8",
    )
    good = tmp_path / "s.csv"
    good.write_text('"S60 1AA",10,1,1,"E92000001","","","","E08000018","E05001019"\n')
    bad = tmp_path / "dn.csv"
    bad.write_text(
        '"DN1 1AA",10,1,1,"E92000001","","","","E08000017","E05001003"\n'
        '"-DN1 1AB",10,1,1,"E92000001","","","","E08000017","E05001003"\n'
    )
    result = refdata.load_codepoint_open(
        [bad, good], headers_file=headers, output_dir=tmp_path / "ref", version="v1"
    )
    assert result.row_count == 2 and result.rows_rejected == 1
    rejects = result.rejects_path.read_text(encoding="utf-8").splitlines()
    assert rejects[1:] == ["dn.csv,2,Postcode,-DN1 1AB,not a UK postcode (like S60 1AE)"]


def test_a_postcode_is_letters_digits_and_spaces_only():
    from commonweal.spend_engine.classify import normalise_postcode

    assert normalise_postcode("=S60 1AE") is None
    assert normalise_postcode("S60-1AE") is None
    assert normalise_postcode(" s60  1ae ") == "S60 1AE"
    formula = refdata.postcode_sql("'+S60 1AE'")
    assert duckdb.sql(f"SELECT {formula}").fetchall() == [(None,)]
