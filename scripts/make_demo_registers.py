"""Write the demo's small register, postcode and deprivation fixtures
(commonweal/demo/fixtures/registers/), in the publishers' own layouts.

    PYTHONPATH=. python scripts/make_demo_registers.py ../shared/data

What is real and what is not (also in the folder's PROVENANCE.md):

* The companies and charities are the demo's invented suppliers (commonweal/demo/cwb.py), on
  Companies House and charity register numbers that have not been issued (99xxxxxx, 1999xxx),
  with real SIC 2007 codes chosen for the kind of business each name suggests.
* The small areas (LSOAs) and their deprivation figures are real: each demo postcode is given a
  real 2021 LSOA of its own district, with that LSOA's English Indices of Deprivation 2025
  score, rank and decile. Which LSOA a demo postcode is given is made up: the first LSOA of the
  district (by code) in the decile chosen for the demo, not the one the postcode is in.
"""

from __future__ import annotations

import csv
import hashlib
import os
import sys
from pathlib import Path

TARGET = Path(__file__).parents[1] / "commonweal/demo/fixtures/registers"

# supplier id -> (registered name, company number, category, accounts, SIC, charity number,
#                 IMD decile of the area the demo places it in)
REGISTERED: dict[str, tuple[str, str, str, str, str, str, int]] = {
    "10001": (
        "DON VALLEY CATERING LIMITED (DEMO)",
        "99000001",
        "Private Limited Company",
        "MICRO ENTITY",
        "56290 - Other food services",
        "",
        1,
    ),
    "10002": (
        "ROTHER FACILITIES SERVICES LTD (DEMO)",
        "99000002",
        "Private Limited Company",
        "SMALL",
        "81210 - General cleaning of buildings",
        "",
        3,
    ),
    "10003": (
        "WENTWORTH COMMUNITY TRANSPORT (DEMO)",
        "99000003",
        "PRI/LTD BY GUAR/NSC (Private, limited by guarantee, no share capital)",
        "SMALL",
        "49390 - Other passenger land transport",
        "1999003",
        2,
    ),
    "10004": (
        "MALTBY YOUTH TRUST (DEMO)",
        "99000004",
        "PRI/LTD BY GUAR/NSC (Private, limited by guarantee, no share capital)",
        "MICRO ENTITY",
        "88990 - Other social work activities without accommodation n.e.c.",
        "1999004",
        1,
    ),
    "10005": (
        "NORTHERN INFRASTRUCTURE GROUP PLC (DEMO)",
        "99000005",
        "Public Limited Company",
        "FULL",
        "42990 - Construction of other civil engineering projects n.e.c.",
        "",
        5,
    ),
    "10006": (
        "PENNINE CARE SERVICES LIMITED (DEMO)",
        "99000006",
        "Private Limited Company",
        "SMALL",
        "87300 - Residential care activities for the elderly and disabled",
        "",
        2,
    ),
    "10007": (
        "STEEL CITY PRINTERS LTD (DEMO)",
        "99000007",
        "Private Limited Company",
        "MICRO ENTITY",
        "18129 - Printing n.e.c.",
        "",
        4,
    ),
    "10008": (
        "DONCASTER FLEET HIRE LTD (DEMO)",
        "99000008",
        "Private Limited Company",
        "SMALL",
        "77110 - Renting and leasing of cars and light motor vehicles",
        "",
        1,
    ),
    "10009": (
        "NATIONAL OFFICE SUPPLIES LTD (DEMO)",
        "99000009",
        "Private Limited Company",
        "FULL",
        "46660 - Wholesale of other office machinery and equipment",
        "",
        8,
    ),
    "10010": (
        "MIDLANDS ENERGY PLC (DEMO)",
        "99000010",
        "Public Limited Company",
        "FULL",
        "35140 - Trade of electricity",
        "",
        6,
    ),
}

#: Companies House BasicCompanyData's 55 columns, spelt (with their leading spaces) as published.
COMPANIES_HEADER = [
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
    *[
        name
        for n in range(1, 11)
        for name in (f"PreviousName_{n}.CONDATE", f" PreviousName_{n}.CompanyName")
    ],
    "ConfStmtNextDueDate",
    " ConfStmtLastMadeUpDate",
]
#: The Charity Commission's register extract, table ``charity`` (the columns the loader reads
#: and their neighbours), tab-separated as published.
CHARITY_HEADER = [
    "date_of_extract",
    "organisation_number",
    "registered_charity_number",
    "linked_charity_number",
    "charity_name",
    "charity_type",
    "charity_registration_status",
    "date_of_registration",
    "charity_company_registration_number",
    "latest_income",
    "charity_contact_postcode",
    "charity_is_cio",
]
POSTCODE_HEADER = ["pcds", "doterm", "laua", "rgn", "lsoa21"]
DEPRIVATION_HEADER = [
    "LSOA code (2021)",
    "LSOA name (2021)",
    "Local Authority District code (2024)",
    "Local Authority District name (2024)",
    "Index of Multiple Deprivation (IMD) Score",
    "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)",
    "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)",
]
SOURCES = (
    "deprivation/imd2025_england_lsoa21.csv",
    "geography/ons-lookups/lsoa11_ccg20_lad20_en_lu_apr2020.csv",
)


def _write(
    target: Path, name: str, header: list[str], rows: list[list[str]], delimiter: str = ","
) -> None:
    with (target / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main(shared: Path, target: Path = TARGET) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonweal.settings")
    os.environ.setdefault("COMMONWEAL_ENV", "development")
    import django

    django.setup()
    from commonweal.demo.cwb import DEMO_SUPPLIERS

    with (shared / SOURCES[0]).open(encoding="utf-8", newline="") as handle:
        imd = {row["lsoa21_code"]: row for row in csv.DictReader(handle)}
    with (shared / SOURCES[1]).open(encoding="utf-8", newline="") as handle:
        lsoas = sorted(
            (row["LSOA11CD"], row["LSOA11NM"], row["LAD20CD"], row["LAD20NM"])
            for row in csv.DictReader(handle)
        )
    companies, charities, postcodes, deprivation = [], [], [], []
    for supplier_id, _names, postcode, district, region, *_rest in DEMO_SUPPLIERS:
        name, number, category, accounts, sic, charity, decile = REGISTERED[supplier_id]
        # The first LSOA of the district, by code, in the decile chosen; unchanged since 2011
        # (its code is in the 2021 index too).
        code, lsoa_name, lad, lad_name = next(
            row
            for row in lsoas
            if row[2] == district and row[0] in imd and int(imd[row[0]]["IMD_decile"]) == decile
        )
        figures = imd[code]
        companies.append(
            [
                name,
                number,
                *[""] * 7,
                postcode,
                category,
                "Active",
                "United Kingdom",
                *[""] * 6,
                accounts,
                *[""] * 2,
                *["0"] * 4,
                sic,
                *[""] * 3,
                "0",
                "0",
                f"http://business.data.gov.uk/id/company/{number}",
                *[""] * 20,
                "",
                "",
            ]
        )
        if charity:
            charities.append(
                [
                    "2025-11-01",
                    str(int(charity) + 1_000_000),
                    charity,
                    "0",
                    name,
                    "Charitable company",
                    "Registered",
                    "",
                    number,
                    "",
                    postcode,
                    "False",
                ]
            )
        postcodes.append([postcode, "", district, region, code])
        deprivation.append(
            [
                code,
                lsoa_name,
                lad,
                lad_name,
                figures["IMD_score"],
                figures["IMD_rank"],
                figures["IMD_decile"],
            ]
        )
    assert len(companies[0]) == len(COMPANIES_HEADER) == 55
    target.mkdir(parents=True, exist_ok=True)
    _write(target, "BasicCompanyData-demo.csv", COMPANIES_HEADER, companies)
    _write(target, "publicextract.charity-demo.txt", CHARITY_HEADER, charities, delimiter="\t")
    _write(target, "postcodes-demo.csv", POSTCODE_HEADER, postcodes)
    unique = sorted({tuple(row) for row in deprivation})
    _write(target, "File_7_IoD2025-demo.csv", DEPRIVATION_HEADER, [list(row) for row in unique])
    for source in SOURCES:
        digest = hashlib.sha256((shared / source).read_bytes()).hexdigest()
        print(f"read {source} sha256 {digest}")
    print(f"Wrote the demo's registers to {target}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
