"""Companies House name history: the names a company was registered under before its current
one, so that a supplier paid under its old name and its new one is found to be one company.

BasicCompanyData lists up to ten previous names per company (``PreviousName_N.CompanyName``).
The reference-data load keeps them (``previous_names``) with a *lookup key* for every name
(``name_keys``): upper case, letters and digits only, without "AND", a leading "THE" or the
legal form at the end ("The Acme & Sons (UK) Limited" -> "ACMESONS"). The key only finds
candidates quickly; the linkage rule (``linkage.CompanyNameHistoryRule``) compares the names
themselves. The key is written twice, in SQL for the load and in Python for the run's names,
and a test holds them to each other.
"""

# SQL here is assembled from escaped file paths, because DuckDB cannot bind file lists.
# ruff: noqa: S608
from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import duckdb
import pyarrow as pa

from commonweal.spend_engine.linkage import RegisteredCompany, normalise_company_number
from commonweal.spend_engine.sql import sql_string

_LEGAL_FORMS_AT_END: Final = r"( (LIMITED|LTD|PLC|LLP|CIC|CO|COMPANY|UK))+$"
_NOT_LETTER_OR_DIGIT: Final = r"[^A-Z0-9]+"


def register_name_key(name: str) -> str:
    """The lookup key of a company name (see the module docstring)."""
    words = re.sub(_NOT_LETTER_OR_DIGIT, " ", name.upper()).split()
    text = " ".join(word for word in words if word != "AND")
    text = re.sub(r"^THE ", "", text)
    return re.sub(_LEGAL_FORMS_AT_END, "", text).replace(" ", "")


def register_name_key_sql(expression: str) -> str:
    """The same key as ``register_name_key``, in DuckDB's SQL."""
    words = f"string_split(trim(regexp_replace(upper({expression}), '{_NOT_LETTER_OR_DIGIT}', ' ', 'g')), ' ')"
    joined = f"array_to_string(list_filter({words}, lambda w: w <> 'AND' AND w <> ''), ' ')"
    without_the = f"regexp_replace({joined}, '^THE ', '')"
    return f"replace(regexp_replace({without_the}, '{_LEGAL_FORMS_AT_END}', ''), ' ', '')"


def companies_for(
    companies_parquet: Path, names: Sequence[str], company_numbers: Sequence[str | None]
) -> list[RegisteredCompany]:
    """The companies of a Companies House load that bear one of ``names`` now or bore it
    before, or have one of ``company_numbers``, with their previous names. A load made before
    previous names were kept gives none (there is no history to use)."""
    connection = duckdb.connect()
    try:
        path = sql_string(companies_parquet)
        columns = {
            row[0]
            for row in connection.execute(f"DESCRIBE SELECT * FROM read_parquet({path})").fetchall()
        }
        if not {"previous_names", "name_keys"} <= columns:
            return []
        wanted_keys = sorted({key for name in names if (key := register_name_key(name))})
        wanted_numbers = sorted(
            {number for raw in company_numbers if (number := normalise_company_number(raw))}
        )
        connection.register("wanted_keys", pa.table({"key": pa.array(wanted_keys, pa.string())}))
        connection.register(
            "wanted_numbers", pa.table({"number": pa.array(wanted_numbers, pa.string())})
        )
        rows = connection.execute(
            f"""
            SELECT company_number, company_name, previous_names
            FROM read_parquet({path})
            WHERE company_number IN (SELECT number FROM wanted_numbers)
               OR len(list_intersect(name_keys, (SELECT list(key) FROM wanted_keys))) > 0
            ORDER BY company_number
            """
        ).fetchall()
    finally:
        connection.close()
    return [
        RegisteredCompany(str(number), str(name or ""), tuple(str(p) for p in previous or ()))
        for number, name, previous in rows
    ]
