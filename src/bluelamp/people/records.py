"""Loading people from the database into the form matching compares, and keeping their blocking
keys (``PersonKey``) and their match record (``PersonMatchRecord``, the same form stored for
search) in step with their names, dates of birth, identifiers and addresses."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence

import psycopg
from django.db import connection

from bluelamp.core.models import Identifier, Person, PersonLocationLink, PersonName
from bluelamp.db import insert_values

from .blocking import STORED_RULES, record_keys
from .models import PersonKey, PersonMatchRecord
from .normalise import BirthDate, Nominal, dump_nominal, load_nominal, nominal

_BATCH = 5000


def _chunks(ids: Sequence[int], size: int = _BATCH) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def load_nominals(person_ids: Iterable[int]) -> list[Nominal]:
    """People by id, as Nominals, in a handful of queries whatever their number."""
    ids = sorted(set(person_ids))
    found: list[Nominal] = []
    for chunk in _chunks(ids):
        names: dict[int, list[tuple[str, str]]] = {pid: [] for pid in chunk}
        for pid, given, family in PersonName.objects.filter(person_id__in=chunk).values_list(
            "person_id", "given_names", "family_name"
        ):
            names[pid].append((given, family))
        identifiers: dict[int, set[str]] = {pid: set() for pid in chunk}
        for pid, kind, value in Identifier.objects.filter(person_id__in=chunk).values_list(
            "person_id", "kind", "normalised"
        ):
            identifiers[pid].add(f"{kind}:{value}")
        places: dict[int, tuple[set, set, set]] = {pid: (set(), set(), set()) for pid in chunk}
        for pid, postcode, line1, town in PersonLocationLink.objects.filter(
            person_id__in=chunk
        ).values_list("person_id", "location__postcode", "location__line1", "location__town"):
            postcodes, streets, towns = places[pid]
            postcodes.add(postcode)
            streets.add(line1)
            towns.add(town)
        for pid, year, month, day, gender in Person.objects.filter(pk__in=chunk).values_list(
            "pk", "dob_year", "dob_month", "dob_day", "gender"
        ):
            postcodes, streets, towns = places[pid]
            found.append(
                nominal(
                    pid,
                    names=names[pid],
                    dob=BirthDate(year, month, day),
                    gender=gender,
                    postcodes=postcodes - {""},
                    streets=streets - {""},
                    towns=towns - {""},
                    identifiers=identifiers[pid],
                )
            )
    return found


# The two queries of a search are written in SQL: built through the ORM they cost more CPU to
# compose than to run (bench/search_profile.py). Only placeholders and table and column names go
# into the text; keys, weights and ids are parameters. (Double quotes quote a name on SQLite and
# PostgreSQL alike.)
_KEYS = f'"{PersonKey._meta.db_table}"'
_RECORDS = f'"{PersonMatchRecord._meta.db_table}"'
_PEOPLE = f'"{Person._meta.db_table}"'
_KEY = '"key"'
_NAMES = f'"{PersonName._meta.db_table}"'


# On PostgreSQL the keys and weights go as two arrays, so each statement's text is the same for
# every search and PostgreSQL parses and plans it once per connection (about 0.6 ms of a search
# at a million nominals, bench/search_profile.py). Through psycopg's own cursor, because Django's
# binds the parameters in the client, where nothing is prepared. (Behind a pooler in transaction
# mode this needs one that keeps prepared statements: PgBouncer 1.21 or later.)
_PG_HOLDERS = (
    f"SELECT {_KEY}, COUNT(*) FROM {_KEYS} WHERE {_KEY} = ANY(%s::text[]) GROUP BY {_KEY} "  # noqa: S608
    f"UNION ALL SELECT f.key, (SELECT COUNT(*) FROM (SELECT 1 FROM {_KEYS} k "
    f"WHERE k.{_KEY} = f.key LIMIT %s) s) FROM unnest(%s::text[]) AS f(key)"
)
# The choice itself is the function migration people 0003 adds (0005 counts a rule once): it
# sums the holders of each key as an ordered merge, where PostgreSQL would hash them all (a third
# less time for a common name at five million nominals).
_PG_CANDIDATES = (
    f"SELECT r.person_id, r.record, p.is_restricted FROM {_RECORDS} r "  # noqa: S608
    f"JOIN {_PEOPLE} p ON p.id = r.person_id "
    "WHERE r.person_id IN (SELECT b.person_id "
    "FROM bluelamp_best_people(%s::text[], %s::int[], %s::int) b "
    f"UNION SELECT k.person_id FROM {_KEYS} k WHERE k.{_KEY} = ANY(%s::text[])) "
    "AND p.merged_into_id IS NULL"
)


def _prepared(sql: str, params: list) -> list[tuple]:
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        return cursor.fetchall()


def key_holders(
    keys: Iterable[str], *, few: Iterable[str] = (), at_most: int = 0
) -> dict[str, int]:
    """How many people hold each of these keys (counted in the key index, no row fetched),
    leaving out keys nobody holds. The keys in ``few`` are counted only up to ``at_most`` + 1,
    enough to tell whether at most that many hold them: a search's neighbour keys are of use only
    then, and "John, born 1979" has thousands of holders to count."""
    keys = sorted(set(keys))
    few = sorted(set(few) - set(keys))
    if not keys and not few:
        return {}
    if connection.vendor == "postgresql":
        rows = _prepared(_PG_HOLDERS, [keys, at_most + 1, few])
        return {key: count for key, count in rows if count}
    statements, params = [], []
    if keys:
        marks = ", ".join("%s" for _ in keys)
        statements.append(
            f"SELECT {_KEY}, COUNT(*) FROM {_KEYS} WHERE {_KEY} IN ({marks}) GROUP BY {_KEY}"  # noqa: S608
        )
        params += keys
    for key in few:
        statements.append(
            f"SELECT %s, (SELECT COUNT(*) FROM (SELECT 1 FROM {_KEYS} "  # noqa: S608
            f"WHERE {_KEY} = %s LIMIT %s))"
        )
        params += [key, key, at_most + 1]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(statements), params)
        return {key: count for key, count in cursor.fetchall() if count}


def names_of(person_ids: Sequence[int]) -> list[tuple[int, str, str, str]]:
    """(person id, kind, given names, family name) of every name these people hold: a page of
    search results' names, in one statement (prepared on PostgreSQL). Through the ORM the same
    query cost 0.5 ms where this costs 0.2 (20 people, five million nominals)."""
    if not person_ids:
        return []
    columns = '"person_id", "kind", "given_names", "family_name"'
    if connection.vendor == "postgresql":
        return _prepared(
            f"SELECT {columns} FROM {_NAMES} WHERE person_id = ANY(%s::bigint[])",  # noqa: S608
            [list(person_ids)],
        )
    marks = ", ".join("%s" for _ in person_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {_NAMES} WHERE person_id IN ({marks})",  # noqa: S608
            list(person_ids),
        )
        return cursor.fetchall()


def stored_nominals(person_ids: Iterable[int]) -> list[Nominal]:
    """People by id from their match records, as search reads them: one query a chunk instead
    of ``load_nominals``' four. Anyone without a record yet is loaded from their tables."""
    found: list[Nominal] = []
    for chunk in _chunks(sorted(set(person_ids))):
        # A plain statement: de-duplication reads each of a million people several times over,
        # and the ORM's handling of each id in the list was a quarter of the reading (py-spy).
        marks = ", ".join("%s" for _ in chunk)
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT "person_id", "record" FROM {_RECORDS} WHERE "person_id" IN ({marks})',  # noqa: S608
                chunk,
            )
            rows = cursor.fetchall()
        stored = [load_nominal(pid, text) for pid, text in rows]
        missing = set(chunk) - {record.id for record in stored}
        found.extend(stored)
        if missing:
            found.extend(load_nominals(missing))
    return found


def best_candidates(
    weights: dict[str, int], *, limit: int, every_holder_of: Sequence[str] = ()
) -> list[tuple[Nominal, bool]]:
    """The match records of the ``limit`` people whose keys among ``weights`` add up to the most
    (ties to the lower id), and of everyone holding a key in ``every_holder_of``, leaving out
    records merged into another, each with whether the record is restricted (the caller decides
    who may see those).

    A rule counts once: of the keys a person shares under one rule (the two letters before the
    first colon), only the weightiest is added. A given name stands for all its canonical forms
    (Mary for Marion, Maria, Marilyn and six more), so every Mary born on 19 November held nine
    of a search's day-and-month keys and outranked Marion Parker, born on the day searched, who
    held two, with her family name and date of birth besides (at five million nominals, 100
    Marys to the candidate limit; bench/README.md).

    One query: the weights are summed in the database, because a common key held by thousands
    of people would otherwise bring thousands of rows back to add up in Python. The weights are
    whole numbers, so the sums, and so the choice, are exact and the same on SQLite and
    PostgreSQL."""
    keys = sorted(weights)
    if not keys:
        return []
    if connection.vendor == "postgresql":
        rows = _prepared(
            _PG_CANDIDATES,
            [keys, [weights[key] for key in keys], limit, sorted(every_holder_of)],
        )
        return [(load_nominal(pid, text), restricted) for pid, text, restricted in rows]
    # One stream of (person, weight) per rule, a person's weightiest key of the rule where the
    # rule has several keys, then summed per person (as the PostgreSQL function does).
    streams, params = [], []
    for _, rule_keys in itertools.groupby(keys, key=lambda key: key[:2]):
        rule_keys = list(rule_keys)
        cases = " ".join("WHEN %s THEN %s" for _ in rule_keys)
        marks = ", ".join("%s" for _ in rule_keys)
        weight = f"CASE {_KEY} {cases} END"
        if len(rule_keys) > 1:
            streams.append(
                f"SELECT person_id, MAX({weight}) AS w FROM {_KEYS} "  # noqa: S608
                f"WHERE {_KEY} IN ({marks}) GROUP BY person_id"
            )
        else:
            streams.append(
                f"SELECT person_id, {weight} AS w FROM {_KEYS} WHERE {_KEY} IN ({marks})"  # noqa: S608
            )
        params += [value for key in rule_keys for value in (key, weights[key])] + rule_keys
    chosen = (
        "SELECT person_id FROM ("  # noqa: S608
        + " UNION ALL ".join(streams)
        + ") GROUP BY person_id ORDER BY SUM(w) DESC, person_id LIMIT %s"
    )
    params.append(limit)
    if every_holder_of:
        # Wrapped: in a compound SELECT, SQLite's ORDER BY and LIMIT would apply to the whole.
        marks = ", ".join("%s" for _ in every_holder_of)
        chosen = (
            f"SELECT person_id FROM ({chosen}) "  # noqa: S608
            f"UNION SELECT person_id FROM {_KEYS} WHERE {_KEY} IN ({marks})"
        )
    sql = (
        f"SELECT r.person_id, r.record, p.is_restricted FROM {_RECORDS} r "  # noqa: S608
        f"JOIN {_PEOPLE} p ON p.id = r.person_id "
        f"WHERE r.person_id IN ({chosen}) AND p.merged_into_id IS NULL"
    )
    params += sorted(every_holder_of)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(load_nominal(pid, text), restricted) for pid, text, restricted in cursor]


def reindex(person_ids: Iterable[int]) -> int:
    """Rewrites the blocking keys and match records of these people; returns how many keys they
    now have."""
    ids = sorted(set(person_ids))
    written = 0
    for chunk in _chunks(ids):
        PersonKey.objects.filter(person_id__in=chunk).delete()
        PersonMatchRecord.objects.filter(person_id__in=chunk).delete()
        records = load_nominals(chunk)
        rows = [
            PersonKey(person_id=record.id, key=key)
            for record in records
            for key in sorted(record_keys(record))
        ]
        PersonKey.objects.bulk_create(rows, batch_size=2000)
        PersonMatchRecord.objects.bulk_create(
            [PersonMatchRecord(person_id=r.id, record=dump_nominal(r)) for r in records],
            batch_size=2000,
        )
        written += len(rows)
    return written


def index_new_people(names: Sequence[PersonName]) -> int:
    """The keys and match records of people just created, each with this one name and nothing
    else (``core.create_people``), from the values in hand, in one insert per table: nothing to
    delete, nothing to re-read. Gives the same rows as ``reindex`` would
    (tests/people/test_index_new_person.py)."""
    rows, match_records = [], []
    for name in names:
        person = name.person
        record = nominal(
            person.pk,
            names=[(name.given_names, name.family_name)],
            dob=BirthDate(person.dob_year, person.dob_month, person.dob_day),
            gender=person.gender,
        )
        rows.extend((person.pk, key) for key in sorted(record_keys(record)))
        match_records.append((person.pk, dump_nominal(record)))
    insert_values(PersonKey, ("person_id", "key"), rows)
    # Keyed by their person's id, given here (not auto-incremented).
    insert_values(PersonMatchRecord, ("person_id", "record"), match_records)
    return len(rows)


def build_match_records(*, progress=None) -> int:
    """A match record for every person who has none (the migration that added them), leaving
    keys alone: a force's keys are already current, and recomputing them doubles the work."""
    ids = list(
        Person.objects.filter(match_record__isnull=True).order_by("pk").values_list("pk", flat=True)
    )
    for chunk in _chunks(ids):
        PersonMatchRecord.objects.bulk_create(
            [
                PersonMatchRecord(person_id=r.id, record=dump_nominal(r))
                for r in load_nominals(chunk)
            ],
            batch_size=2000,
        )
        if progress:
            progress(len(chunk))
    return len(ids)


def add_rule_keys(code: str) -> int:
    """Stores one blocking rule's keys for everyone, from their match records (the migration that
    adds the rule): the other rules' keys are current, and rewriting them would double the work."""
    (rule,) = [rule for rule in STORED_RULES if rule.code == code]
    PersonKey.objects.filter(key__startswith=f"{code}:").delete()
    ids = list(PersonMatchRecord.objects.order_by("person_id").values_list("person_id", flat=True))
    written = 0
    for chunk in _chunks(ids):
        rows = [
            (record.id, key)
            for record in stored_nominals(chunk)
            for key in sorted(record_keys(record, rules=(rule,)))
        ]
        insert_values(PersonKey, ("person_id", "key"), rows)
        written += len(rows)
    return written


def reindex_all(*, progress=None) -> int:
    """Every person's keys, in batches (``bluelamp people reindex``)."""
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    written = 0
    for chunk in _chunks(ids):
        written += reindex(chunk)
        if progress:
            progress(len(chunk))
    return written
