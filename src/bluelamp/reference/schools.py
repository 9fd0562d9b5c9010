"""Schools, local authorities and school term calendars for Operation Encompass, loaded once from
``reference/data/`` (domain-addendum.md 1.4). Every row shipped is a sample, not a published
table: reference/data/README.md says so and how a force replaces them.

A school day (``school_closures``) is a weekday inside one of the local authority's terms, not a
closure (a training day); bank holidays are the caller's (duties.deadlines knows them). Outside
the span a calendar covers nothing is closed, so a missing calendar makes a notice due earlier,
never later."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class School:
    identifier: str
    name: str
    dsl_email: str
    local_authority: str
    source: str


@dataclass(frozen=True)
class LocalAuthority:
    code: str
    name: str
    education_safeguarding_email: str
    source: str


@dataclass(frozen=True)
class TermRow:
    local_authority: str
    academic_year: str
    kind: str  # "term" or "closure"
    name: str
    first_day: dt.date
    last_day: dt.date
    source: str


def _rows(name: str) -> list[dict]:
    with (DATA / name).open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


@cache
def schools() -> dict[str, School]:
    return {row["identifier"]: School(**row) for row in _rows("schools.csv")}


@cache
def local_authorities() -> dict[str, LocalAuthority]:
    return {row["code"]: LocalAuthority(**row) for row in _rows("local_authorities.csv")}


@cache
def calendar_rows(local_authority: str) -> tuple[TermRow, ...]:
    rows = []
    for row in _rows("school_calendars.csv"):
        if row["local_authority"] != local_authority:
            continue
        first, last = (
            dt.date.fromisoformat(row["first_day"]),
            dt.date.fromisoformat(row["last_day"]),
        )
        if last < first or row["kind"] not in ("term", "closure"):
            raise ValueError(f"school_calendars.csv: bad row {row}")
        rows.append(TermRow(**{**row, "first_day": first, "last_day": last}))
    return tuple(rows)


def _days(first: dt.date, last: dt.date):
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


@cache
def school_closures(local_authority: str) -> frozenset[dt.date]:
    """The days a local authority's schools are shut within the span its calendar covers: the
    school holidays between terms and the closure days. Weekends and bank holidays are left to
    the caller; outside the span, nothing."""
    rows = calendar_rows(local_authority)
    terms = [r for r in rows if r.kind == "term"]
    if not terms:
        return frozenset()
    open_days = {d for r in terms for d in _days(r.first_day, r.last_day)}
    span = _days(min(r.first_day for r in terms), max(r.last_day for r in terms))
    closed = {d for d in span if d not in open_days}
    closed |= {d for r in rows if r.kind == "closure" for d in _days(r.first_day, r.last_day)}
    return frozenset(closed)
