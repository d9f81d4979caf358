"""Writing values into DuckDB SQL as literals: the one quoting rule every query here uses.

DuckDB reads files named in the SQL text (``read_parquet('…')``, ``COPY … TO '…'``), which a
prepared statement's parameters cannot name, so paths and fixed patterns are written in as
string literals, with any single quote doubled.
"""

from __future__ import annotations

from collections.abc import Iterable
from os import PathLike


def sql_string(value: str | PathLike[str]) -> str:
    """`value` (a string or a path) as a SQL string literal: 'it''s'."""
    return "'" + str(value).replace("'", "''") + "'"


def sql_string_list(values: Iterable[str | PathLike[str]]) -> str:
    """`values` as a DuckDB list of string literals: ['a', 'b']."""
    return "[" + ", ".join(sql_string(v) for v in values) + "]"
