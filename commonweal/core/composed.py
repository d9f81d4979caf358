"""Queries every request makes, composed by the ORM once per thread and then only run."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators
from django.db.models.sql.compiler import SQLCompiler

M = TypeVar("M", bound=Model)

# Stands for the value while the query is composed; an id no row will ever have.
_PLACEHOLDER = -7_654_321_987


@dataclass(frozen=True)
class _Composed:
    compiler: SQLCompiler
    sql: str
    params: tuple[Any, ...]
    model: type[Model]
    fields: slice
    init_list: list[str]
    related_populators: list[Any]


class ComposedOnce(Generic[M]):
    """A queryset of one value (`build(value)`), with its `select_related` models, that the
    ORM composes once per thread; each call only runs the SQL and builds the objects, as
    Django's own model iterator does.

    For the few queries every page makes: composing the person-and-memberships query took
    longer than PostgreSQL took to answer it. Each thread composes its own, because a
    composed query belongs to the thread's database connection.
    """

    def __init__(self, build: Callable[[Any], QuerySet[M]]) -> None:
        self._build = build
        self._local = threading.local()

    def __call__(self, value: Any) -> list[M]:
        composed: _Composed | None = getattr(self._local, "composed", None)
        if composed is None:
            composed = self._local.composed = self._compose()
        params = [value if param == _PLACEHOLDER else param for param in composed.params]
        with composed.compiler.connection.cursor() as cursor:
            cursor.execute(composed.sql, params)
            rows = cursor.fetchall()
        found = []
        db = composed.compiler.using
        for row in composed.compiler.results_iter([rows]):
            instance = composed.model.from_db(db, composed.init_list, row[composed.fields])
            for populator in composed.related_populators:
                populator.populate(row, instance)
            found.append(instance)
        return found  # type: ignore[return-value]

    def _compose(self) -> _Composed:
        queryset = self._build(_PLACEHOLDER)
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        if _PLACEHOLDER not in params:
            raise ValueError("the query does not use the value it is given")
        klass_info = compiler.klass_info
        assert klass_info is not None  # a model query always has one
        select_fields = klass_info["select_fields"]
        fields = slice(select_fields[0], select_fields[-1] + 1)
        return _Composed(
            compiler=compiler,
            sql=sql,
            params=tuple(params),
            model=klass_info["model"],
            fields=fields,
            init_list=[column[0].target.attname for column in compiler.select[fields]],
            # Django 5.2's signature; the stubs describe Django 6's, which adds fetch_mode.
            related_populators=get_related_populators(  # type: ignore[call-arg]
                klass_info, compiler.select, queryset.db
            ),
        )
