"""Register rows that cannot be used are rejected by file, row, column and reason, not loaded
quietly or dropped without a word."""

from __future__ import annotations

import csv

from commonweal.spend_engine import refdata


def rejects(result: refdata.RefdataResult) -> list[dict[str, str]]:
    assert result.rejects_path is not None
    with result.rejects_path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_companies_house_row_without_a_company_number_is_rejected_by_row(tmp_path):
    part = tmp_path / "BasicCompanyData-part1.csv"
    part.write_text(
        "CompanyName, CompanyNumber,RegAddress.PostCode,CompanyCategory,CompanyStatus\n"
        "GOOD LTD,01234567,S60 1QP,Private Limited Company,Active\n"
        "NO NUMBER LTD,,S60 1QP,Private Limited Company,Active\n"
        "BAD NUMBER LTD,12-34,S60 1QP,Private Limited Company,Active\n",
        encoding="utf-8",
    )
    result = refdata.load_companies_house([part], output_dir=tmp_path / "out", version="v")
    assert (result.row_count, result.rows_rejected) == (1, 2)
    assert [(r["file"], r["row"], r["column"], r["value"]) for r in rejects(result)] == [
        ("BasicCompanyData-part1.csv", "3", "CompanyNumber", ""),
        ("BasicCompanyData-part1.csv", "4", "CompanyNumber", "12-34"),
    ]
    assert rejects(result)[0]["reason"].startswith("not a company number")


def test_a_charity_row_with_a_wrong_number_or_income_is_rejected_and_linked_ones_left_out(
    tmp_path,
):
    extract = tmp_path / "publicextract.charity.txt"
    extract.write_text(
        "registered_charity_number\tlinked_charity_number\tcharity_name\tlatest_income\n"
        "1000001\t0\tGOOD TRUST\t1500.50\n"
        "1000001\t1\tGOOD TRUST BRANCH\t10\n"
        "SC012345\t0\tSCOTTISH NUMBER\t10\n"
        "1000002\t0\tODD INCOME\tabout 5k\n",
        encoding="utf-8",
    )
    result = refdata.load_charity_register(extract, output_dir=tmp_path / "out", version="v")
    assert (result.row_count, result.rows_rejected) == (1, 2)
    found = [(r["row"], r["column"], r["value"]) for r in rejects(result)]
    assert found == [
        ("4", "registered_charity_number", "SC012345"),
        ("5", "latest_income", "about 5k"),
    ]
