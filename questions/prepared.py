"""Querysets compiled once, run many times: the learner's hottest reads.

Building and compiling a queryset costs far more than running its SQL. Measured on the
2-core machine the bench runs on, reading an attempt by primary key with its set takes
about 670 µs through the ORM and 45 µs as the same SQL on a cursor; a learner's question
page, its answer and its feedback read the attempt three times between them, and each
read holds the GIL the event loop needs.

`Prepared` builds its queryset once per database, with a unique marker value for each
parameter, and compiles it with that database's own compiler. Each call then swaps the
markers in the compiled parameters for the call's values and runs the same SQL:

- `objects()` and `first()` through `QuerySet.raw()`, so rows become model instances
  with Django's converters applied (JSON, datetimes, booleans) exactly as the ORM would;
- `rows()`, `row()` and `count()` on a cursor, for plain values.

Parameters are integers, strings or datetimes. A datetime reaches the SQL adapted by the
backend (SQLite stores text), so its marker is looked for, and each value passed, in that
adapted form. A marker that does not reach the compiled parameters as expected is refused
when the query is compiled: a query that cannot be prepared fails at once rather than
running with the wrong parameters. No `select_related`: `raw()` builds one model per row.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet

# Values no real row has, one per parameter: negative primary keys, a NUL in a string.
_INT_MARKER = -(2**62)
_INT64 = (-(2**63), 2**63 - 1)


class Prepared:
    def __init__(self, build: Callable[..., QuerySet], **kinds: type) -> None:
        """`build(**params)` returns the queryset; `kinds` names each parameter's type
        (int, str or datetime)."""
        self.build = build
        self.kinds = kinds
        self._compiled: dict[str, tuple[type[Model], str, str, list[Any]]] = {}
        self._lock = threading.Lock()

    def _markers(self) -> dict[str, Any]:
        markers = {}
        for i, (name, kind) in enumerate(self.kinds.items()):
            if kind is int:
                markers[name] = _INT_MARKER - i
            elif kind is str:
                markers[name] = f"\x00prepared:{name}"
            elif kind is datetime:
                markers[name] = datetime(1901, 1, 1, microsecond=i + 1, tzinfo=UTC)
            else:
                raise TypeError(f"{name}: only int, str and datetime parameters can be prepared")
        return markers

    def _adapt(self, alias: str, name: str, value: Any) -> Any:
        if self.kinds[name] is datetime:
            return connections[alias].ops.adapt_datetimefield_value(value)
        return value

    def compile(self, using: str | None = None) -> tuple[type[Model], str, str, list[Any]]:
        """The model, database alias, SQL and parameter slots for database `using` (the
        queryset's own read database when None). A slot is a parameter, or a constant."""
        key = using or ""  # "" is the queryset's own read database
        if key in self._compiled:
            return self._compiled[key]
        markers = self._markers()
        queryset = self.build(**markers)
        alias = using or queryset.db
        sql, params = queryset.query.get_compiler(using=alias).as_sql()
        by_value = {self._adapt(alias, name, value): name for name, value in markers.items()}
        slots = [_Slot(by_value[p]) if _is_marker(p, by_value) else p for p in params]
        missing = set(markers) - {s.name for s in slots if isinstance(s, _Slot)}
        if missing:
            raise ValueError(
                f"parameters {sorted(missing)} do not reach the SQL unchanged: "
                "this queryset cannot be prepared"
            )
        compiled = (queryset.model, alias, sql, slots)
        with self._lock:
            self._compiled[key] = compiled
        return compiled

    def _sql(self, using: str | None, values: dict[str, Any]) -> tuple[type[Model], str, str, list]:
        if set(values) != set(self.kinds):
            raise TypeError(f"expected parameters {sorted(self.kinds)}, got {sorted(values)}")
        model, alias, sql, slots = self.compile(using)
        params = [
            self._adapt(alias, s.name, values[s.name]) if isinstance(s, _Slot) else s for s in slots
        ]
        return model, alias, sql, params

    def _matches_nothing(self, values: dict[str, Any]) -> bool:
        # An integer no 64-bit column can hold (a URL's 99999999999999999999) matches no
        # row: the ORM answers so without a query, and SQLite would raise OverflowError.
        return any(
            self.kinds.get(name) is int and not _INT64[0] <= value <= _INT64[1]
            for name, value in values.items()
            if isinstance(value, int)
        )

    def objects(self, using: str | None = None, **values: Any) -> list[Model]:
        if self._matches_nothing(values):
            return []
        model, alias, sql, params = self._sql(using, values)
        return list(model._default_manager.db_manager(alias).raw(sql, params))

    def first(self, using: str | None = None, **values: Any) -> Model | None:
        """The first object, or None (a lookup by a unique key)."""
        found = self.objects(using, **values)
        return found[0] if found else None

    def count(self, using: str | None = None, **values: Any) -> int:
        """How many rows the query returns (a count around its SQL)."""
        if self._matches_nothing(values):
            return 0
        _, alias, sql, params = self._sql(using, values)
        with connections[alias].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) prepared", params)
            return cursor.fetchone()[0]

    def rows(self, using: str | None = None, **values: Any) -> list[tuple]:
        if self._matches_nothing(values):
            return []
        _, alias, sql, params = self._sql(using, values)
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def row(self, using: str | None = None, **values: Any) -> tuple | None:
        if self._matches_nothing(values):
            return None
        _, alias, sql, params = self._sql(using, values)
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()


class _Slot:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


def _is_marker(value: Any, by_value: dict[Any, str]) -> bool:
    # Exact types: True == 1, and bool is an int (markers are never 0 or 1 anyway).
    try:
        return type(value) in (int, str, datetime) and value in by_value
    except TypeError:  # unhashable parameters (lists) are constants
        return False
