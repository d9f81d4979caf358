"""Inserting thousands of rows at once, for the few writes that are that large."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Insert ``rows`` (values in the order of ``fields``) into ``model``'s table with one
    prepared statement run for every row.

    For a linkage run's register of thousands of suppliers and their names: ``bulk_create``
    builds a model object and prepares each value of each row through its field, seconds at
    that size, where this takes a fraction of one. Every column must be given (a field's
    default is Django's, not the database's), with values as the columns hold them already
    (text, whole numbers, true or false, Decimal, None; a foreign key's id), as nothing here
    converts them. No signals are sent and no audit entry is written, as with
    ``bulk_create``.
    """
    meta = model._meta
    columns = [_column(model, name) for name in fields]
    quote = connection.ops.quote_name
    # The table and column names come from the model, quoted; the values are parameters.
    table, names = quote(meta.db_table), ", ".join(quote(c) for c in columns)
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, list(rows))


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.column:
        raise ValueError(f"{model.__name__}.{name} is not a column of its table")
    return str(field.column)
