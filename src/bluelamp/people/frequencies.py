"""Term frequencies: agreeing on a common value is weaker evidence than agreeing on a rare one.

Two strangers share the family name Smith far more often than they share Ptolemy, so "family
name the same" cannot be worth the same for both. As Splink does, the chance ``u`` that two
different people agree exactly is replaced, for the value they agree on, by that value's share of
the force's records: the weight becomes log2(m / share) instead of log2(m / u), stronger than
average for a rare value and weaker for a common one. Shares are counted from the force's own
records (``count``; in the database ``people.records.count_frequencies``), for the family name,
the first given name, the exact date of birth (1 January, the placeholder for an unknown day, is
common) and the town.

A value held by fewer than MIN_COUNT records is not kept: any such value is given the share of
MIN_COUNT records, which also covers a value typed into a search that no record holds yet. Shares
counted over fewer than MIN_RECORDS records are not used at all."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .normalise import Nominal

MIN_COUNT = 2
# A value is called common (weaker than average) only when at least this many records hold it;
# fewer may be one person's own records.
COMMON_COUNT = 5
# Shares counted over fewer records than this say little about how common a name is in the
# force (in a force of ten, every shared name is "common"): no adjustment is made from them.
MIN_RECORDS = 1000


def _dob(r: Nominal) -> set[str]:
    d = r.dob
    return {f"{d.year:04d}-{d.month:02d}-{d.day:02d}"} if d.exact else set()


@dataclass(frozen=True)
class Adjusted:
    comparison: str  # the comparison's name (compare.py)
    level: int  # the agreement level adjusted (exact agreement, or same town)
    values: Callable[[Nominal], Iterable[str]]


ADJUSTED = (
    Adjusted("family name", 0, lambda r: set(r.family) - {""}),
    Adjusted("given name", 0, lambda r: set(r.first_given)),
    Adjusted("date of birth", 0, _dob),
    Adjusted("address", 3, lambda r: r.towns),
)


def count(records: Sequence[Nominal]) -> dict:
    """Each adjusted comparison's values with their share of the records (the number of records
    holding the value over all records), keeping values held by MIN_COUNT records or more."""
    total = max(len(records), 1)
    shares: dict[str, dict[str, float]] = {}
    for adjusted in ADJUSTED:
        counts = Counter(value for r in records for value in set(adjusted.values(r)))
        shares[adjusted.comparison] = {
            value: n / total for value, n in counts.items() if n >= MIN_COUNT
        }
    return {"records": total, "shares": shares}
