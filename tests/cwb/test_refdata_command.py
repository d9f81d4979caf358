"""``commonweal refdata``: each kind loads as a recorded version; download says where to go."""

from __future__ import annotations

import urllib.error
from pathlib import Path

import duckdb
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from commonweal.cwb import paths, services, tasks
from commonweal.cwb.models import ReferenceDataLoad
from tests.cwb.conftest import SHARED_DATA, add_creditor, import_spend_file

pytestmark = pytest.mark.django_db

GEOGRAPHY = SHARED_DATA / "geography"


def shared(path: str) -> Path:
    full = SHARED_DATA / path
    if not full.is_file():
        pytest.skip(f"shared data file {path} is not present")
    return full


def parquet_count(load: ReferenceDataLoad) -> int:
    con = duckdb.connect()
    try:
        rows = con.execute(
            f"SELECT count(*) FROM read_parquet('{paths.data_dir() / load.path}')"
        ).fetchall()
    finally:
        con.close()
    return int(rows[0][0])


def test_it_loads_the_nspl_keeping_live_postcodes_only(capsys):
    # DATA.md 4b: 7,442 postcodes in NSPL HX, 1,765 of them terminated.
    call_command(
        "refdata",
        "load",
        "postcodes",
        str(shared("geography/nspl-nov-2021/NSPL_NOV_2021_UK_HX.csv")),
        "--version",
        "2021-11",
    )
    load = ReferenceDataLoad.objects.get(kind="postcodes")
    assert load.version == "2021-11" and load.source_format == "postcodes"
    assert load.row_count == 7442 - 1765 == parquet_count(load)
    assert len(load.source_hashes["NSPL_NOV_2021_UK_HX.csv"]) == 64
    assert "Loaded 5677 rows" in capsys.readouterr().out


def test_codepoint_open_needs_its_headers_file():
    data = shared("geography/codepoint-open-2014-08/dn.csv")
    with pytest.raises(CommandError, match="--headers-file"):
        call_command("refdata", "load", "codepoint", str(data))
    headers = shared("geography/codepoint-open-2014-08/Code-Point_Open_Column_Headers.csv")
    call_command(
        "refdata",
        "load",
        "codepoint",
        str(data),
        "--headers-file",
        str(headers),
        "--version",
        "2014-08-dn",
    )
    load = ReferenceDataLoad.objects.get(kind="postcodes", version="2014-08-dn")
    assert load.row_count == 21483  # DATA.md 4a


def test_deprivation_is_versioned_by_its_vintage():
    path = shared("deprivation/imd2019_england_lsoa11.csv")
    with pytest.raises(CommandError, match="--vintage"):
        call_command("refdata", "load", "deprivation", str(path))
    call_command("refdata", "load", "deprivation", str(path), "--vintage", "2019")
    load = ReferenceDataLoad.objects.get(kind="deprivation")
    assert (load.version, load.row_count) == ("2019", 32844)


def test_it_loads_the_ons_district_to_combined_authority_lookup():
    call_command(
        "refdata",
        "load",
        "lad-lookup",
        str(shared("geography/ons-lookups/lad19_cauth19_en_lu_dec2019.csv")),
    )
    load = ReferenceDataLoad.objects.get(kind="lad_to_combined_authority")
    assert load.version == "lad19_cauth19_en_lu_dec2019" and load.row_count == 53


def load_companies_house_file(tmp_path):
    path = tmp_path / "BasicCompanyData-part1.csv"
    path.write_text(
        "CompanyName, CompanyNumber,RegAddress.PostCode,CompanyCategory,CompanyStatus,"
        "Accounts.AccountCategory,SICCode.SicText_1\n"
        '"DON VALLEY CATERING LTD","01234567","S60 1QP","Private Limited Company","Active",'
        '"MICRO ENTITY","56290 - Other food services"\n'
        '"WENTWORTH CIC","SC123456","S62 7TW","Community Interest Company","Active","SMALL",""\n',
        encoding="utf-8",
    )
    call_command("refdata", "load", "companies-house", str(path), "--version", "2026-11")


def test_it_loads_a_companies_house_file_with_spaced_headers(tmp_path):
    load_companies_house_file(tmp_path)
    assert ReferenceDataLoad.objects.get(kind="companies").row_count == 2


def load_charity_extract(tmp_path):
    path = tmp_path / "publicextract.charity.txt"
    path.write_text(
        "registered_charity_number\tlinked_charity_number\tcharity_name\tcharity_contact_postcode\n"
        "1000001\t0\tWentworth Community Transport\tS62 7TW\n"
        "1000001\t1\tWentworth Community Transport branch\tS62 7TW\n",
        encoding="utf-8",
    )
    call_command("refdata", "load", "charities", str(path), "--version", "2026-11")


def test_it_loads_a_charity_commission_extract(tmp_path):
    load_charity_extract(tmp_path)
    assert ReferenceDataLoad.objects.get(kind="charities").row_count == 1


def test_a_bad_file_is_refused_and_nothing_is_recorded(tmp_path):
    path = tmp_path / "nonsense.csv"
    path.write_text("colour,shape\nred,round\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nonsense.csv"):
        call_command("refdata", "load", "postcodes", str(path))
    assert not ReferenceDataLoad.objects.exists()


def test_download_without_internet_names_the_address_to_fetch_by_hand(monkeypatch):
    def offline(*args, **kwargs):
        raise urllib.error.URLError("Name or service not known")

    monkeypatch.setattr("urllib.request.urlopen", offline)
    with pytest.raises(CommandError) as problem:
        call_command("refdata", "download", "deprivation")
    message = str(problem.value)
    assert "https://www.gov.uk/government/statistics/english-indices-of-deprivation-2025" in message
    assert "commonweal refdata load deprivation FILE" in message


def test_loaded_postcodes_place_suppliers_in_the_borough_and_combined_authority(
    world, council_officer, spend_csv
):
    headers = shared("geography/codepoint-open-2014-08/Code-Point_Open_Column_Headers.csv")
    call_command(
        "refdata",
        "load",
        "codepoint",
        str(shared("geography/codepoint-open-2014-08/s.csv")),
        "--headers-file",
        str(headers),
    )
    rows = [
        ("01/04/2024", "ROTHERHAM FIRM LTD", "1", "Place", "100.00"),
        ("01/04/2024", "SHEFFIELD FIRM LTD", "2", "Place", "200.00"),
    ]
    import_spend_file(world.council, council_officer, spend_csv("spend.csv", rows), "Rotherham")
    # From Code-Point Open 2014: S13 9AD is in Rotherham (E08000018), S1 1AA in Sheffield.
    for sid, postcode in (("1", "S13 9AD"), ("2", "S1 1AA")):
        add_creditor(world.council, sid, postcode=postcode)
    services.supplier_link_start(
        organisation=world.council, by=council_officer, enqueue=tasks.link_suppliers_task.enqueue
    )
    rotherham = world.council.register_suppliers.get(display_name="ROTHERHAM FIRM LTD")
    sheffield = world.council.register_suppliers.get(display_name="SHEFFIELD FIRM LTD")
    assert (rotherham.in_borough, rotherham.in_combined_authority) == (True, True)
    assert (sheffield.in_borough, sheffield.in_combined_authority) == (False, True)


def test_loaded_award_notices_say_which_suppliers_are_smes(
    world, council_officer, spend_csv, tmp_path, capsys
):
    import json

    notices = tmp_path / "awards.json"
    party = {
        "id": "GB-COH-01234567",
        "name": "Don Valley Catering Ltd",
        "roles": ["supplier"],
        "details": {"scale": "sme"},
    }
    notices.write_text(json.dumps({"releases": [{"date": "2024-01-01", "parties": [party]}]}))
    call_command("refdata", "load", "ocds", str(notices), "--version", "cf-2024")
    assert "Loaded 1 rows of Contract award notices (OCDS)" in capsys.readouterr().out
    rows = [("01/04/2024", "DON VALLEY CATERING", "7", "Place", "9")]
    import_spend_file(world.council, council_officer, spend_csv("spend.csv", rows), "Rotherham")
    add_creditor(world.council, "7", company_number="01234567")
    services.supplier_link_start(
        organisation=world.council, by=council_officer, enqueue=tasks.link_suppliers_task.enqueue
    )
    supplier = world.council.register_suppliers.get()
    assert (supplier.is_sme, supplier.sme_source) == (True, "OCDS supplier scale")


def test_linking_finds_suppliers_on_companies_house_and_the_charity_register(
    world, council_officer, spend_csv, tmp_path, client_for
):
    load_companies_house_file(tmp_path)
    load_charity_extract(tmp_path)
    rows = [
        ("01/04/2024", "Don Valley Catering Limited", "1", "Place", "100.00"),
        ("01/04/2024", "WENTWORTH COMMUNITY TRANSPORT", "3", "Place", "50.00"),
        ("01/04/2024", "NOWHERE LTD", "9", "Place", "10.00"),
    ]
    import_spend_file(world.council, council_officer, spend_csv("spend.csv", rows), "Rotherham")
    # The creditor file gives postcodes only: the numbers come from the registers.
    for sid, postcode in (("1", "S60 1QP"), ("3", "S62 7TW"), ("9", "S60 1QP")):
        add_creditor(world.council, sid, postcode=postcode)
    services.supplier_link_start(
        organisation=world.council, by=council_officer, enqueue=tasks.link_suppliers_task.enqueue
    )
    suppliers = {s.display_name: s for s in world.council.register_suppliers.all()}
    don_valley = suppliers["Don Valley Catering Limited"]
    assert don_valley.company_number == "01234567"
    assert don_valley.register_match == "Companies House, by name and postcode"
    assert don_valley.sector == "I Accommodation and food service activities"
    assert don_valley.is_sme is True
    wentworth = suppliers["WENTWORTH COMMUNITY TRANSPORT"]
    assert wentworth.charity_number == "1000001"
    assert wentworth.register_match == "charity register, by name and postcode"
    assert wentworth.is_vcse is True and wentworth.vcse_source == "charity register"
    nowhere = suppliers["NOWHERE LTD"]
    assert (nowhere.company_number, nowhere.register_match) == ("", "")
    page = client_for(council_officer).get(reverse("cwb:supplier-list")).content.decode()
    assert "2 suppliers (£150.00 of £160.00 spend) were found on Companies House" in page


def test_rejected_reference_rows_are_counted_listed_and_kept_beside_the_load(tmp_path, capsys):
    path = tmp_path / "nspl.csv"
    path.write_text(
        "pcds,doterm,laua,lat,long\n"
        "S60 1AE,,E08000018,53.43,-1.35\n"
        "S60 1AF,,E08000018,NaN,-1.35\n"
        "@SUM(1),,E08000018,53.43,-1.35\n",
        encoding="utf-8",
    )
    call_command("refdata", "load", "postcodes", str(path), "--version", "v1")
    load = ReferenceDataLoad.objects.get(kind="postcodes")
    assert (load.row_count, load.rows_rejected) == (1, 2)
    out = capsys.readouterr().out
    assert "Loaded 1 rows of Postcode directory version v1" in out
    assert "2 rows were rejected" in out
    assert "row 3, column 'lat': 'NaN' is not a latitude in the United Kingdom" in out
    assert "row 4, column 'pcds': '@SUM(1)' is not a UK postcode" in out
    rejects = paths.data_dir() / load.rejects_path
    assert rejects.is_file() and str(rejects) in out
    call_command("refdata", "list")
    assert "\t1\t2 rejected\t" in capsys.readouterr().out
