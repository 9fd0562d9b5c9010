"""Database helpers every feature may use (nothing here knows a feature's models)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from django.db import connection
from django.db.models import Field, Model


@cache
def _insert_statement(model: type[Model], vendor: str) -> tuple[list[Field], str]:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    table = quote(model._meta.db_table)
    return fields, f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names from the model


def insert_rows(rows: Sequence[Model]) -> None:
    """Inserts new rows of one model in one call, without reading back their ids: for rows that
    are only ever appended (audit, record history, match keys) and that nothing refers to by id
    in the same transaction. Each value goes through its field's ``pre_save`` and
    ``get_db_prep_save``, as ``Model.save`` does; at about a third of ``bulk_create``'s Python
    cost per call, on the path every recorded crime takes (bench/crime_load.py)."""
    if not rows:
        return
    fields, statement = _insert_statement(type(rows[0]), connection.vendor)
    values = [
        [f.get_db_prep_save(f.pre_save(row, True), connection) for f in fields] for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(statement, values)
