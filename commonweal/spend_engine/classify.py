"""Classify suppliers: where they are (borough, combined authority, region, deprived area) and
what they are (SME, VCSE, public body, individual), each decision with the source it came from.

Geography follows the supplier's postcode: postcode -> district (LAD), ward and LSOA; LSOA ->
IMD decile of the matching boundary vintage; district -> combined authority and region. The
local tiers are the organisation's own choice (:class:`LocalTiers`), not a national constant.
Each "what they are" decision is a :class:`DecisionRule`; the first rule in precedence order that
has an answer decides, and its ``source`` is stored beside the flag.
"""

# SQL here is assembled from quoted identifiers (file headers) and escaped literals, because
# DuckDB cannot bind column names or file lists as parameters.
# ruff: noqa: S608
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import duckdb
import pyarrow as pa

from commonweal.spend_engine.refdata import POSTCODE_PATTERN, postcode_sql
from commonweal.spend_engine.sql import sql_string, sql_string_list

#: Default "deprived area" threshold: IMD decile 1 or 2 (the most deprived 20% of LSOAs in
#: England). CLES studies often use decile 1 only; pass ``deprived_decile_max=1`` for that.
DEFAULT_DEPRIVED_DECILE_MAX = 2

_POSTCODE_RE = re.compile(POSTCODE_PATTERN)


def normalise_postcode(value: str | None) -> str | None:
    """'s601ae', ' S60  1AE ' -> 'S60 1AE'; anything that is not a UK postcode (letters, digits
    and spaces only, so not '=S60 1AE') -> None."""
    if value is None or not _POSTCODE_RE.fullmatch(value):
        return None
    compact = re.sub(r"\s", "", value).upper()
    return f"{compact[:-3]} {compact[-3:]}"


@dataclass(frozen=True)
class LocalTiers:
    """An organisation's idea of "local": its borough's district code(s), the districts of its
    combined authority (or city region) and its region's RGN code."""

    borough_lad_codes: frozenset[str]
    combined_authority_lad_codes: frozenset[str]
    region_code: str

    def __post_init__(self) -> None:
        for code in (*self.borough_lad_codes, *self.combined_authority_lad_codes, self.region_code):
            if not re.fullmatch(r"[EWSN]\d{8}", code):
                raise ValueError(f"'{code}' is not a GSS area code such as E08000018")


@dataclass(frozen=True)
class ReferenceTables:
    """Parquet files written by :mod:`commonweal.spend_engine.refdata`."""

    postcodes: Sequence[Path]
    deprivation: Path | None = None
    lad_lookup: Path | None = None
    companies: Path | None = None
    charities: Path | None = None
    ocds_suppliers: Path | None = None


#: The source of every decision taken from the council's own creditor file.
SELF_DECLARED = "self-declared (creditor file)"


class DecisionRule:
    """One way of deciding a supplier flag. ``sql`` gives TRUE, FALSE, or NULL when silent."""

    flag: ClassVar[str]
    source: ClassVar[str]
    sql: ClassVar[str]


class SmeSelfDeclared(DecisionRule):
    """A supplier's own statement in the council's creditor file that it is (or is not) an SME
    decides, because the supplier knows its headcount and turnover."""

    flag, source, sql = "sme", SELF_DECLARED, "s.declared_sme"


class SmeFromOcdsScale(DecisionRule):
    """A contract award that records the supplier's scale (OCDS ``details.scale``) as 'sme'
    makes it an SME; 'large' makes it not one."""

    flag, source = "sme", "OCDS supplier scale"
    sql = "CASE lower(s.ocds_scale) WHEN 'sme' THEN TRUE WHEN 'large' THEN FALSE END"


class SmeFromSmallCompanyAccounts(DecisionRule):
    """A company that files small, micro or dormant accounts at Companies House is taken to be
    an SME. This is inferred and weak: it never marks a company as large."""

    flag, source = "sme", "inferred from Companies House accounts category"
    sql = "CASE WHEN co.small_accounts THEN TRUE END"


class VcseSelfDeclared(DecisionRule):
    """A supplier's own statement in the creditor file that it is a voluntary, community or
    social enterprise decides."""

    flag, source, sql = "vcse", SELF_DECLARED, "s.declared_vcse"


class VcseFromOcds(DecisionRule):
    """A contract award that records the supplier as a VCSE (OCDS ``details.vcse``) decides."""

    flag, source, sql = "vcse", "OCDS supplier details", "s.ocds_vcse"


class VcseRegisteredCharity(DecisionRule):
    """A supplier with a charity number found in the Charity Commission register (or published
    beside the payment when no register is loaded) is a VCSE."""

    flag, source = "vcse", "charity register"
    sql = "CASE WHEN ch.charity_number IS NOT NULL OR (s.charity_number IS NOT NULL AND NOT has_charities) THEN TRUE END"


class VcseFromCompanyCategory(DecisionRule):
    """A company whose Companies House category is a community interest company, charitable
    incorporated organisation or registered society is a VCSE. Companies limited by guarantee
    are only a *possible* VCSE and are left undecided."""

    flag, source = "vcse", "Companies House company category"
    sql = "CASE WHEN co.vcse_signal = 'vcse' THEN TRUE END"


class PublicBodySelfDeclared(DecisionRule):
    """The creditor file's own marking of a supplier as a public body decides."""

    flag, source, sql = "public_body", SELF_DECLARED, "s.declared_public_body"


PUBLIC_BODY_NAME_PATTERN = (
    r"\b(council|mbc|nhs|hm revenue|hmrc|police|fire and rescue|combined authority|"
    r"passenger transport executive|department for|ministry of|dvla|environment agency|"
    r"clinical commissioning group|foundation trust|academy trust|primary school|secondary school)\b"
)


class PublicBodyInferredFromName(DecisionRule):
    """A supplier whose name contains words such as "Council", "NHS", "Police", "HM Revenue" or
    "Department for" is inferred to be a public body. Inferred: check the review queue."""

    flag, source = "public_body", "inferred from name"
    sql = f"CASE WHEN regexp_matches(lower(coalesce(s.supplier_name, '')), '{PUBLIC_BODY_NAME_PATTERN}') THEN TRUE END"


class IndividualSelfDeclared(DecisionRule):
    """The creditor file's own marking of a payee as a private individual decides."""

    flag, source, sql = "individual", SELF_DECLARED, "s.declared_individual"


class IndividualRedactedInSpend(DecisionRule):
    """A payee whose name the council redacted in its published spend file (e.g. "REDACTED
    PERSONAL DATA") is treated as an individual."""

    flag, source, sql = (
        "individual",
        "redacted in spend file",
        "CASE WHEN s.is_redacted THEN TRUE END",
    )


#: Rules in precedence order within each flag: the first with an answer decides.
DECISION_RULES: tuple[type[DecisionRule], ...] = (
    SmeSelfDeclared,
    SmeFromOcdsScale,
    SmeFromSmallCompanyAccounts,
    VcseSelfDeclared,
    VcseFromOcds,
    VcseRegisteredCharity,
    VcseFromCompanyCategory,
    PublicBodySelfDeclared,
    PublicBodyInferredFromName,
    IndividualSelfDeclared,
    IndividualRedactedInSpend,
)

#: UK SIC 2007 sections by the first two digits of a SIC code.
SIC_SECTIONS: tuple[tuple[int, int, str], ...] = (
    (1, 3, "A Agriculture, forestry and fishing"),
    (5, 9, "B Mining and quarrying"),
    (10, 33, "C Manufacturing"),
    (35, 35, "D Electricity, gas, steam and air conditioning supply"),
    (36, 39, "E Water supply, sewerage and waste management"),
    (41, 43, "F Construction"),
    (45, 47, "G Wholesale and retail trade; repair of motor vehicles"),
    (49, 53, "H Transportation and storage"),
    (55, 56, "I Accommodation and food service activities"),
    (58, 63, "J Information and communication"),
    (64, 66, "K Financial and insurance activities"),
    (68, 68, "L Real estate activities"),
    (69, 75, "M Professional, scientific and technical activities"),
    (77, 82, "N Administrative and support service activities"),
    (84, 84, "O Public administration and defence"),
    (85, 85, "P Education"),
    (86, 88, "Q Human health and social work activities"),
    (90, 93, "R Arts, entertainment and recreation"),
    (94, 96, "S Other service activities"),
    (97, 98, "T Activities of households as employers"),
    (99, 99, "U Activities of extraterritorial organisations"),
)

_SUPPLIER_COLUMNS: dict[str, str] = {
    "supplier_key": "VARCHAR",
    "supplier_name": "VARCHAR",
    "postcode": "VARCHAR",
    "company_number": "VARCHAR",
    "charity_number": "VARCHAR",
    "sector": "VARCHAR",
    "declared_sme": "BOOLEAN",
    "declared_vcse": "BOOLEAN",
    "declared_public_body": "BOOLEAN",
    "declared_individual": "BOOLEAN",
    "ocds_scale": "VARCHAR",
    "ocds_vcse": "BOOLEAN",
    "is_redacted": "BOOLEAN",
}


def _in_list(codes: frozenset[str]) -> str:
    return "(" + ", ".join(sql_string(c) for c in sorted(codes)) + ")" if codes else "(NULL)"


def _decision_sql(flag: str) -> str:
    rules = [rule for rule in DECISION_RULES if rule.flag == flag]
    value = "coalesce(" + ", ".join(f"({rule.sql})" for rule in rules) + ")"
    source = (
        "CASE "
        + " ".join(
            f"WHEN ({rule.sql}) IS NOT NULL THEN {sql_string(rule.source)}" for rule in rules
        )
        + " END"
    )
    return f"{value} AS is_{flag}, {source} AS {flag}_source"


def _sic_section_sql() -> str:
    whens = " ".join(
        f"WHEN TRY_CAST(left(co.sic_codes[1], 2) AS INTEGER) BETWEEN {low} AND {high} THEN {sql_string(name)}"
        for low, high, name in SIC_SECTIONS
    )
    return f"CASE {whens} END"


def classify_suppliers(
    suppliers: pa.Table,
    *,
    reference: ReferenceTables,
    tiers: LocalTiers,
    deprived_decile_max: int = DEFAULT_DEPRIVED_DECILE_MAX,
    output_path: Path | None = None,
) -> pa.Table:
    """Return one classification row per supplier (see module docstring).

    ``suppliers`` needs ``supplier_key``; every other column of ``_SUPPLIER_COLUMNS`` is optional.
    Flags are NULL when unknown (for example, no postcode), never guessed as FALSE.
    """
    if not 1 <= deprived_decile_max <= 10:
        raise ValueError("deprived_decile_max must be a decile between 1 and 10")
    if "supplier_key" not in suppliers.column_names:
        raise ValueError("suppliers table needs a supplier_key column")
    con = duckdb.connect()
    try:
        con.register("supplier_input", suppliers)
        present = set(suppliers.column_names)
        columns = ", ".join(
            f'CAST("{name}" AS {kind}) AS {name}'
            if name in present
            else f"CAST(NULL AS {kind}) AS {name}"
            for name, kind in _SUPPLIER_COLUMNS.items()
        )
        con.execute(f"CREATE TEMP VIEW s_in AS SELECT {columns} FROM supplier_input")
        postcode_files = sql_string_list(reference.postcodes)
        con.execute(
            f"""CREATE TEMP TABLE pc AS SELECT * FROM read_parquet({postcode_files}, union_by_name = true)
                QUALIFY row_number() OVER (PARTITION BY postcode ORDER BY lsoa_code IS NULL, source) = 1"""
        )
        _table_or_empty(
            con,
            "dep",
            reference.deprivation,
            "lsoa_code VARCHAR, lsoa_vintage VARCHAR, imd_decile TINYINT, index_vintage VARCHAR",
        )
        _table_or_empty(
            con,
            "lk",
            reference.lad_lookup,
            "lad_code VARCHAR, ca_code VARCHAR, region_code VARCHAR",
        )
        _table_or_empty(
            con,
            "co_all",
            reference.companies,
            "company_number VARCHAR, vcse_signal VARCHAR, small_accounts BOOLEAN, sic_codes VARCHAR[], postcode VARCHAR",
        )
        _table_or_empty(
            con, "ch_all", reference.charities, "charity_number VARCHAR, postcode VARCHAR"
        )
        _table_or_empty(
            con,
            "oc_all",
            reference.ocds_suppliers,
            "company_number VARCHAR, scale VARCHAR, vcse BOOLEAN",
        )
        # A scale or VCSE flag given with the supplier wins over the award notices'.
        sql = f"""
        WITH s AS (
            SELECT s_in.* REPLACE (coalesce(s_in.ocds_scale, oc.scale) AS ocds_scale,
                                   coalesce(s_in.ocds_vcse, oc.vcse) AS ocds_vcse),
                   {str(reference.charities is not None).upper()} AS has_charities,
                   {postcode_sql("s_in.postcode")} AS clean_postcode
            FROM s_in
            LEFT JOIN (SELECT * FROM oc_all QUALIFY row_number() OVER (PARTITION BY company_number) = 1) oc
                   ON oc.company_number = s_in.company_number
        ), joined AS (
            SELECT s.*, co.vcse_signal, co.small_accounts, co.sic_codes,
                   ch.charity_number AS register_charity_number, co.company_number AS register_company_number,
                   coalesce(s.clean_postcode, co.postcode, ch.postcode) AS located_postcode,
                   CASE WHEN s.clean_postcode IS NOT NULL THEN 'supplier record'
                        WHEN co.postcode IS NOT NULL THEN 'Companies House registered office'
                        WHEN ch.postcode IS NOT NULL THEN 'charity register contact address' END AS postcode_source,
                   {_decision_sql("sme")}, {_decision_sql("vcse")},
                   {_decision_sql("public_body")}, {_decision_sql("individual")},
                   {_sic_section_sql()} AS sic_section
            FROM s
            LEFT JOIN (SELECT * FROM co_all QUALIFY row_number() OVER (PARTITION BY company_number) = 1) co
                   ON co.company_number = s.company_number
            LEFT JOIN (SELECT * FROM ch_all QUALIFY row_number() OVER (PARTITION BY charity_number) = 1) ch
                   ON ch.charity_number = s.charity_number
        )
        SELECT j.supplier_key, j.supplier_name, j.located_postcode AS postcode, j.postcode_source,
               pc.lad_code, pc.ward_code, pc.lsoa_code, dep.imd_decile,
               dep.index_vintage AS imd_vintage, lk.ca_code,
               coalesce(pc.region_code, lk.region_code) AS region_code,
               CASE WHEN pc.lad_code IS NOT NULL THEN pc.lad_code IN {_in_list(tiers.borough_lad_codes)} END AS in_borough,
               CASE WHEN pc.lad_code IS NOT NULL THEN pc.lad_code IN {_in_list(tiers.combined_authority_lad_codes)} END AS in_combined_authority,
               CASE WHEN coalesce(pc.region_code, lk.region_code) IS NOT NULL
                    THEN coalesce(pc.region_code, lk.region_code) = {sql_string(tiers.region_code)} END AS in_region,
               CASE WHEN dep.imd_decile IS NOT NULL THEN dep.imd_decile <= {deprived_decile_max} END AS in_deprived_area,
               {deprived_decile_max} AS deprived_decile_max,
               j.is_sme, j.sme_source, j.is_vcse, j.vcse_source,
               j.vcse_signal = 'possible_vcse' AND j.is_vcse IS NULL AS possible_vcse,
               j.is_public_body, j.public_body_source,
               j.is_individual AS is_individual_or_redacted, j.individual_source,
               (j.register_company_number IS NOT NULL OR j.register_charity_number IS NOT NULL) AS register_matched,
               coalesce(j.sector, j.sic_section) AS sector, j.sic_codes[1] AS sic_code
        FROM joined j
        LEFT JOIN pc ON pc.postcode = j.located_postcode
        LEFT JOIN dep ON dep.lsoa_code = pc.lsoa_code AND dep.lsoa_vintage = pc.lsoa_vintage
        LEFT JOIN lk ON lk.lad_code = pc.lad_code
        ORDER BY j.supplier_key
        """
        table = con.sql(sql).to_arrow_table()
        if output_path is not None:
            con.register("classified", table)
            con.execute(f"COPY classified TO {sql_string(output_path)} (FORMAT parquet)")
        return table
    finally:
        con.close()


def _table_or_empty(
    con: duckdb.DuckDBPyConnection, name: str, path: Path | None, empty_schema: str
) -> None:
    if path is None:
        con.execute(f"CREATE TEMP TABLE {name} ({empty_schema})")
    else:
        con.execute(f"CREATE TEMP TABLE {name} AS SELECT * FROM read_parquet({sql_string(path)})")
