"""Counting how common each name, date of birth and town is among the force's live records, for
the term-frequency adjustments (people/frequencies.py).

Counted in the database, one GROUP BY per field, and the values normalised as matching compares
them, so a count costs a few scans whatever the force's size. Kept up to date by counting again:
``people.dedupe.train_model`` and every ``find_duplicates`` run store a new count, and search and
de-duplication use the newest. A merged record stops counting (live records only), and new
records count from the next run; between runs shares move by a new record's share, which at a
force's size changes no weight by a measurable amount."""

from __future__ import annotations

import functools
from collections import Counter

from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

from bluelamp.core.models import Person, PersonLocationLink, PersonName

from .frequencies import MIN_COUNT
from .models import TermFrequencies
from .normalise import family_name, name_parts


def count_in_database() -> dict:
    """The shares ``frequencies.count`` would give for all live records. A person holding one
    value under two recorded names counts twice (rare, and only a little more common)."""
    live = Person.objects.filter(merged_into__isnull=True)
    total = max(live.count(), 1)
    names = PersonName.objects.filter(person__merged_into__isnull=True).order_by()
    family: Counter[str] = Counter()
    for text, n in (
        names.values("family_name")
        .annotate(n=Count("person", distinct=True))
        .values_list("family_name", "n")
    ):
        if value := family_name(text):
            family[value] += n
    given: Counter[str] = Counter()
    for text, n in (
        names.values("given_names")
        .annotate(n=Count("person", distinct=True))
        .values_list("given_names", "n")
    ):
        if parts := name_parts(text):
            given[parts[0]] += n
    dob: Counter[str] = Counter()
    for year, month, day, n in (
        live.filter(dob_year__isnull=False, dob_month__isnull=False, dob_day__isnull=False)
        .order_by()
        .values("dob_year", "dob_month", "dob_day")
        .annotate(n=Count("id"))
        .values_list("dob_year", "dob_month", "dob_day", "n")
    ):
        dob[f"{year:04d}-{month:02d}-{day:02d}"] += n
    town: Counter[str] = Counter()
    for text, n in (
        PersonLocationLink.objects.filter(person__merged_into__isnull=True)
        .order_by()
        .values("location__town")
        .annotate(n=Count("person", distinct=True))
        .values_list("location__town", "n")
    ):
        if parts := name_parts(text or ""):
            town[" ".join(parts)] += n
    counted = {"family name": family, "given name": given, "date of birth": dob, "address": town}
    return {
        "records": total,
        "shares": {
            name: {value: n / total for value, n in counts.items() if n >= MIN_COUNT}
            for name, counts in counted.items()
        },
    }


def store_count() -> TermFrequencies:
    """Counts again and keeps the count (callers check permission and audit)."""
    counted = count_in_database()
    row = TermFrequencies.objects.create(
        counted_at=timezone.now(), records=counted["records"], shares=counted["shares"]
    )
    cache.delete(_NEWEST)
    return row


_NEWEST = "people:term_frequencies"


def newest_id() -> tuple:
    """(pk, counted_at) of the newest count, or () if never counted. Remembered for ten minutes
    (as the force's size is, people/services.py), so a search or an entry asks the database
    nothing more; this process forgets it at once when it counts again."""
    return cache.get_or_set(
        _NEWEST,
        lambda: tuple(TermFrequencies.objects.values_list("pk", "counted_at").first() or ()),
        timeout=600,
    )


def newest() -> dict:
    """The newest count, as ``MatchModel.frequencies`` holds it; empty if never counted."""
    row = newest_id()
    return read_count(*row) if row else {}


@functools.lru_cache(maxsize=2)
def read_count(pk: int, counted_at) -> dict:
    # A stored count is never changed (a new count is a new row): read and parsed once per process.
    row = TermFrequencies.objects.filter(pk=pk, counted_at=counted_at).first()
    if row is None:
        # Remembered from a transaction that was rolled back: no adjustment until asked again.
        cache.delete(_NEWEST)
        return {}
    return {"records": row.records, "shares": row.shares}
