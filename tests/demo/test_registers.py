"""The demo's registers, postcodes and deprivation make its analysis show real-looking
figures: deprived-area spend, sectors, register matches and a leakage list."""

from __future__ import annotations

import csv
import runpy
from pathlib import Path

import pytest
from django.urls import reverse

from commonweal.accounts.models import Organisation
from commonweal.accounts.roles import Role
from commonweal.cwb import analyses
from commonweal.cwb.models import ReferenceDataLoad, RegisterSupplier
from commonweal.demo.cwb import DEMO_SUPPLIERS
from commonweal.demo.registers import DEMO_REFERENCE_FILES, FIXTURES

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]

ROOT = Path(__file__).parents[2]
SHARED = ROOT.parent / "shared" / "data"


def rows(name: str, delimiter: str = ",") -> list[dict[str, str]]:
    with (FIXTURES / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def test_the_fixtures_cover_every_demo_supplier_and_say_where_they_come_from():
    postcodes = {row["pcds"]: row for row in rows("postcodes-demo.csv")}
    companies = {row["RegAddress.PostCode"] for row in rows("BasicCompanyData-demo.csv")}
    deciles = {row["LSOA code (2021)"] for row in rows("File_7_IoD2025-demo.csv")}
    for _, _, postcode, district, region, *_ in DEMO_SUPPLIERS:
        assert postcodes[postcode]["laua"] == district and postcodes[postcode]["rgn"] == region
        assert postcodes[postcode]["lsoa21"] in deciles
        assert postcode in companies
    assert (FIXTURES / "PROVENANCE.md").is_file()
    assert {name for _, name, _ in DEMO_REFERENCE_FILES} <= {p.name for p in FIXTURES.iterdir()}


def test_the_script_makes_the_same_fixtures_again(tmp_path):
    if not (SHARED / "deprivation/imd2025_england_lsoa21.csv").is_file():
        pytest.skip("shared data is not present")
    script = runpy.run_path(str(ROOT / "scripts/make_demo_registers.py"))
    script["main"](SHARED, tmp_path)
    for made in tmp_path.iterdir():
        assert made.read_bytes() == (FIXTURES / made.name).read_bytes(), made.name


def test_the_demo_analysis_shows_deprived_areas_sectors_registers_and_leakage(seeded_demo):
    rotherham = Organisation.objects.get(gss_code="E08000018")
    assert ReferenceDataLoad.objects.filter(kind="companies", version="demo").exists()
    year = analyses.year_of(analyses.organisation_analysis(rotherham), "2024-25")
    assert year.in_deprived_area.pence > 0
    assert year.data_quality.with_deprivation_decile.pence > year.in_deprived_area.pence
    sectors = {row.label for row in year.by_sector}
    assert "Q Human health and social work activities" in sectors
    assert "N Administrative and support service activities" in sectors
    assert year.data_quality.register_matched.pence > year.total_pence // 2
    assert {leak.sector for leak in year.leakage} >= {
        "Q Human health and social work activities",
        "N Administrative and support service activities",
    }
    maltby = RegisterSupplier.objects.get(
        organisation=rotherham, display_name__istartswith="MALTBY"
    )
    assert maltby.register_match == (
        "Companies House, by name and postcode; charity register, by name and postcode"
    )
    assert maltby.in_deprived_area is True and maltby.is_vcse is True


def test_the_demo_analysis_page_is_not_blank(seeded_demo, client_for):
    rotherham = Organisation.objects.get(gss_code="E08000018")
    admin = rotherham.memberships.get(role=Role.COUNCIL_ADMIN).user
    page = client_for(admin).get(reverse("cwb:analysis")).content.decode()
    assert "I Accommodation and food service activities" in page
    assert "Q Human health and social work activities" in page
