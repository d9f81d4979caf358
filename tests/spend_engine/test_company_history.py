"""Companies House name history: a company's old and new names are one supplier."""

import csv

import duckdb
import pytest

from commonweal.spend_engine import refdata
from commonweal.spend_engine.company_history import (
    companies_for,
    register_name_key,
    register_name_key_sql,
)
from commonweal.spend_engine.linkage import LinkMethod, RegisteredCompany, link_suppliers
from tests.spend_engine.test_linkage import record
from tests.spend_engine.test_refdata import CH_HEADER, company_row

CERTAS = RegisteredCompany(
    "01234567", "CERTAS ENERGY UK LIMITED", ("CARLTON FUELS LIMITED", "CARLTON FUEL OILS LTD")
)


def test_a_company_paid_under_its_old_and_new_names_is_one_supplier() -> None:
    records = [
        record("A", "CARLTON FUELS LTD"),
        record("B", "CERTAS ENERGY UK LTD"),
        record("C", "Carlton Fuel Oils Limited"),
        record("D", "YORKSHIRE WATER"),
    ]
    result = link_suppliers(records, registered_companies=[CERTAS])
    cluster = result.cluster_of()
    assert cluster["A"] == cluster["B"] == cluster["C"] != cluster["D"]
    link = {item.record_id: item for item in result.links}
    assert link["A"].method is LinkMethod.NAME_RULE
    assert link["A"].rule == "company name history"
    assert link_suppliers(records).cluster_of()["A"] != link_suppliers(records).cluster_of()["B"]


def test_a_record_with_the_company_number_joins_the_company_old_names() -> None:
    records = [
        record("A", "CARLTON FUELS", company_number="1234567"),
        record("B", "CERTAS ENERGY"),
    ]
    cluster = link_suppliers(records, registered_companies=[CERTAS]).cluster_of()
    assert cluster["A"] == cluster["B"]


def test_a_name_two_companies_have_borne_links_to_neither_by_its_name() -> None:
    # Company 1 gave up "NORTHERN LIGHTS LIMITED"; company 2 registered it afterwards.
    companies = [
        RegisteredCompany("00000001", "AURORA LIGHTING LIMITED", ("NORTHERN LIGHTS LIMITED",)),
        RegisteredCompany("00000002", "NORTHERN LIGHTS LIMITED"),
    ]
    records = [record("A", "NORTHERN LIGHTS LTD"), record("B", "AURORA LIGHTING LTD")]
    cluster = link_suppliers(records, registered_companies=companies).cluster_of()
    assert cluster["A"] != cluster["B"]


def test_a_record_numbered_for_another_company_is_not_joined_by_a_previous_name() -> None:
    records = [
        record("A", "CARLTON FUELS LTD", company_number="07654321"),
        record("B", "CERTAS ENERGY UK LTD"),
    ]
    cluster = link_suppliers(records, registered_companies=[CERTAS]).cluster_of()
    assert cluster["A"] != cluster["B"]


@pytest.mark.parametrize(
    "name",
    [
        "The Acme & Sons (UK) Limited",
        "ACME AND SONS LTD",
        "Acme Sons Company",
        "ACME, SONS PLC",
        "  acme sons llp ",
        "Zürich Re Ltd",
    ],
)
def test_the_lookup_key_is_the_same_in_python_and_in_sql(name: str) -> None:
    with duckdb.connect() as connection:
        value = connection.execute(f"SELECT {register_name_key_sql('?')}", [name]).fetchall()
    assert value == [(register_name_key(name),)]


def test_companies_house_previous_names_are_loaded_and_found_for_a_run(tmp_path) -> None:
    header_index = {h: i for i, h in enumerate(CH_HEADER)}
    renamed = company_row("CERTAS ENERGY UK LIMITED", "1234567", "S60 1AA", "Private", "FULL", "")
    renamed[header_index["PreviousName_1.CompanyName"]] = "CARLTON FUELS LIMITED"
    renamed[header_index[" PreviousName_2.CompanyName"]] = "CARLTON FUEL OILS LTD"
    other = company_row("YORKSHIRE WATER LIMITED", "2366682", "BD6 2SZ", "Private", "FULL", "")
    part = tmp_path / "BasicCompanyData-part1.csv"
    with part.open("w", newline="") as handle:
        csv.writer(handle).writerows([CH_HEADER, renamed, other])
    loaded = refdata.load_companies_house([part], output_dir=tmp_path / "ref", version="1")
    found = companies_for(loaded.path, ["Carlton Fuels Ltd"], [None])
    assert found == [
        RegisteredCompany(
            "01234567",
            "CERTAS ENERGY UK LIMITED",
            ("CARLTON FUELS LIMITED", "CARLTON FUEL OILS LTD"),
        )
    ]
    assert companies_for(loaded.path, [], ["2366682"])[0].name == "YORKSHIRE WATER LIMITED"
    assert companies_for(loaded.path, ["NOBODY LTD"], []) == []
