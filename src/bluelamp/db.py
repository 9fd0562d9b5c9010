"""Database helpers every feature may use (nothing here knows a feature's models)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models import Field, Model
from django.db.models.fields import AutoFieldMixin

# SQLite (3.32 and later) takes at most 32,766 parameters in one statement; PostgreSQL 65,535.
_MOST_PARAMETERS = 32_766


@lru_cache(maxsize=256)
def _written_fields(model: type[Model]) -> list[Field]:
    """Every column but an auto-incremented id (the database gives it)."""
    return [f for f in model._meta.concrete_fields if not isinstance(f, AutoFieldMixin)]


# Fields whose Python value both drivers (sqlite3, psycopg) take as it is: preparing it for the
# database would only return it unchanged. Exact types: a subclass may prepare its value.
_AS_IS = {
    models.AutoField,
    models.BigAutoField,
    models.BigIntegerField,
    models.BooleanField,
    models.CharField,
    models.IntegerField,
    models.PositiveBigIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.SmallIntegerField,
    models.TextField,
}


def _taken_as_is(field: Field) -> bool:
    target = field.target_field if field.is_relation else field
    return type(target) in _AS_IS and not (field.is_relation and field.many_to_many)


@lru_cache(maxsize=256)
def _preparers(model: type[Model]) -> list[tuple[str, Field | None]]:
    """Per written column, its attribute and the field to prepare it with (None: as it is)."""
    return [
        (f.attname, None if _taken_as_is(f) and not _has_pre_save(f) else f)
        for f in _written_fields(model)
    ]


def _has_pre_save(field: Field) -> bool:
    """auto_now and the like set the value in ``pre_save``."""
    return type(field).pre_save is not Field.pre_save


@lru_cache(maxsize=512)
def _insert_statement(model: type[Model], rows: int, returning: bool) -> str:
    fields = _written_fields(model)
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    row = f"({', '.join(['%s'] * len(fields))})"
    values = ", ".join([row] * rows)
    statement = f"INSERT INTO {table} ({columns}) VALUES {values}"  # noqa: S608 - model names
    return f"{statement} RETURNING {quote(model._meta.pk.column)}" if returning else statement


def _instance_values(batch: Sequence[Model], preparers, db) -> list:
    return [
        getattr(row, attname)
        if field is None
        else field.get_db_prep_save(field.pre_save(row, True), db)
        for row in batch
        for attname, field in preparers
    ]


def _tuple_values(batch: Sequence[Sequence], preparers, db) -> list:
    fields = [field for _, field in preparers]
    return [
        value if field is None else field.get_db_prep_save(value, db)
        for row in batch
        for value, field in zip(row, fields, strict=True)
    ]


def _insert(model: type[Model], rows: Sequence, values, *, returning: bool = False) -> list:
    """The multi-row INSERTs for ``rows`` (as many statements as the parameter limit needs),
    ``values`` turning each batch into its parameters; the new ids if ``returning``."""
    preparers = _preparers(model)
    per_statement = max(1, _MOST_PARAMETERS // len(preparers))
    db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: `connection` is a per-access proxy
    keys: list = []
    with db.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            statement = _insert_statement(model, len(batch), returning)
            cursor.execute(statement, values(batch, preparers, db))
            if returning:
                keys.extend(key for (key,) in cursor.fetchall())
    return keys


def insert_rows(rows: Sequence[Model]) -> None:
    """Inserts new rows of one model in one statement (a multi-row VALUES), without reading back
    their ids: for rows that are only ever appended (audit, record history, match keys, duties)
    and that nothing refers to by id in the same transaction. Not for a one-to-one row: Django
    would have cached it, id-less, on the record at the other end. Each value goes through its
    field's ``pre_save`` and ``get_db_prep_save``, as ``Model.save`` does, except a plain text,
    number, flag or key, which both drivers take as it is; at about a third of ``bulk_create``'s
    Python cost, on the path every recorded crime takes (bench/crime_load.py)."""
    if rows:
        _insert(type(rows[0]), rows, _instance_values)


def insert_values(model: type[Model], columns: Sequence[str], rows: Sequence[Sequence]) -> None:
    """``insert_rows`` for rows given as tuples, not model instances: for the many small rows of
    one write (a new person's match keys), where building each instance costs more than the
    insert. ``columns`` names every written column in the model's order (its attnames: ``person_id``
    for a foreign key), so a call site says what its tuples hold and fails if the model changes.
    Values are prepared as ``insert_rows`` prepares them, without ``pre_save``."""
    expected = tuple(attname for attname, _ in _preparers(model))
    if tuple(columns) != expected:
        raise ValueError(f"{model.__name__} rows need the columns {expected}, not {tuple(columns)}")
    if rows:
        _insert(model, rows, _tuple_values)


def save_new(rows: Sequence[Model]) -> Sequence[Model]:
    """Inserts new instances of one model in one statement and gives each its id (``RETURNING``:
    SQLite 3.35+ and PostgreSQL), as ``bulk_create`` and ``Model.save`` do on both databases, at
    a fraction of their Python cost (bench/crime_load.py). Values are prepared as
    ``insert_rows`` prepares them; a related instance saved after it was assigned gives its id
    (as ``save`` checks); the instances are marked saved. Like ``bulk_create``, it sends no
    ``pre_save``/``post_save`` signals: a service using it does what a receiver would (as
    ``core.create_people`` indexes new people through its own signal). The ids are matched to
    the rows in the order the database returns them, as ``bulk_create`` matches them."""
    if not rows:
        return rows
    model = type(rows[0])
    for row in rows:
        row._prepare_related_fields_for_save(operation_name="save_new")
    keys = _insert(model, rows, _instance_values, returning=True)
    attname, alias = model._meta.pk.attname, DEFAULT_DB_ALIAS
    for row, key in zip(rows, keys, strict=True):
        setattr(row, attname, key)
        row._state.adding = False
        row._state.db = alias
    return rows
