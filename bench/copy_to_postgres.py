"""Copies the people of a synthetic force from a SQLite bench database into an empty, migrated
PostgreSQL database, so both databases are measured on exactly the same records (and the
million-record force is generated once).

    DATABASE_URL=URL .venv/bin/python -m bluelamp.cli migrate
    .venv/bin/python bench/copy_to_postgres.py /work/benchdata/m1.sqlite3 URL

Copies units, places, people, names, homes, match keys and records, the planted truth, the
trained match model and its term counts with COPY, then moves each table's id sequence past the
copied ids. Tables named after the URL are copied alone (e.g. ``people_trainedmodel`` once
training has finished)."""

from __future__ import annotations

import sqlite3
import sys
import time

import psycopg

TABLES = [
    "accounts_unit",
    "core_location",
    "core_person",
    "core_personname",
    "core_personlocationlink",
    "people_personkey",
    "people_personmatchrecord",
    "synth_syntheticidentity",
    "people_trainedmodel",
    # The term counts training made: without them PostgreSQL's searches were scored without
    # term-frequency adjustments, unlike SQLite's on the same records (until 2026-12-04).
    "people_termfrequencies",
]


def main(argv: list[str]) -> int:
    source, url, *only = argv
    lite = sqlite3.connect(source)
    with psycopg.connect(url) as pg:
        for table in only or TABLES:
            started = time.perf_counter()
            columns = [row[1] for row in lite.execute(f"PRAGMA table_info({table})")]
            names = ", ".join(f'"{c}"' for c in columns)
            rows = 0
            with pg.cursor() as cur:
                with cur.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # noqa: S608
                    for row in lite.execute(f"SELECT {names} FROM {table}"):  # noqa: S608
                        copy.write_row(row)
                        rows += 1
                if "id" in columns:  # a match record's key is its person's
                    cur.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                        f"COALESCE((SELECT max(id) FROM {table}), 1))"
                    )
            pg.commit()
            print(f"{table}: {rows:,} rows in {time.perf_counter() - started:.0f} s", flush=True)
    # VACUUM as well as ANALYZE: a fresh table's visibility map is empty, and without it
    # PostgreSQL cannot answer from the key index alone (the search's count of key holders).
    with psycopg.connect(url, autocommit=True) as pg:
        pg.execute("VACUUM ANALYZE")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
