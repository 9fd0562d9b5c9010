"""Database helpers every feature may use (nothing here knows a feature's models)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from django.db import connection
from django.db.models import Field, Model
from django.db.models.fields import AutoFieldMixin

# SQLite (3.32 and later) takes at most 32,766 parameters in one statement; PostgreSQL 65,535.
_MOST_PARAMETERS = 32_766


@lru_cache(maxsize=256)
def _written_fields(model: type[Model]) -> list[Field]:
    """Every column but an auto-incremented id (the database gives it)."""
    return [f for f in model._meta.concrete_fields if not isinstance(f, AutoFieldMixin)]


@lru_cache(maxsize=512)
def _insert_statement(model: type[Model], rows: int) -> tuple[list[Field], str]:
    fields = _written_fields(model)
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    row = f"({', '.join(['%s'] * len(fields))})"
    values = ", ".join([row] * rows)
    return fields, f"INSERT INTO {table} ({columns}) VALUES {values}"  # noqa: S608 - model names


def insert_rows(rows: Sequence[Model]) -> None:
    """Inserts new rows of one model in one statement (a multi-row VALUES), without reading back
    their ids: for rows that are only ever appended (audit, record history, match keys, duties)
    and that nothing refers to by id in the same transaction. Not for a one-to-one row: Django
    would have cached it, id-less, on the record at the other end. Each value goes through its
    field's ``pre_save`` and ``get_db_prep_save``, as ``Model.save`` does; at about a third of
    ``bulk_create``'s Python cost, on the path every recorded crime takes
    (bench/crime_load.py)."""
    if not rows:
        return
    model = type(rows[0])
    fields = _written_fields(model)
    per_statement = max(1, _MOST_PARAMETERS // len(fields))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            _, statement = _insert_statement(model, len(batch))
            cursor.execute(
                statement,
                [
                    field.get_db_prep_save(field.pre_save(row, True), connection)
                    for row in batch
                    for field in fields
                ],
            )
