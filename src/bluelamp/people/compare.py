"""Field comparisons, each with ordered agreement levels (Fellegi-Sunter, as Splink arranges
them): level 0 is the strongest agreement, the last level is disagreement, and ``None`` means one
side does not have the field (no evidence either way).

Each level has a label shown to officers as the reason a record was offered ("family name sounds
the same", "date of birth day and month swapped")."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from .normalise import Nominal, canonical_given, sounds_alike


@dataclass(frozen=True)
class Comparison:
    name: str
    levels: tuple[str, ...]  # reasons, strongest agreement first, disagreement last
    compare: Callable[[Nominal, Nominal], int | None]
    # Pairs of levels (earlier, later) whose order says nothing, the later being no weaker kind
    # of the earlier: a date of birth partly known and consistent (1987 and 17/10/1987) is not a
    # weaker "a year out". The earlier does not bound the later's weight
    # (model.MatchModel.level_weights); every other earlier level still does.
    unordered: frozenset[tuple[int, int]] = frozenset()


def _jw(a: str, b: str) -> float:
    return JaroWinkler.similarity(a, b)


def _family(a: Nominal, b: Nominal) -> int | None:
    if not a.family or not b.family:
        return None
    best = 5
    for x in a.family:
        for y in b.family:
            if not x or not y:
                continue
            if x == y:
                return 0
            if _jw(x, y) >= 0.92:
                best = min(best, 1)
            elif sounds_alike(x, y):
                best = min(best, 2)
            elif _jw(x, y) >= 0.8:
                best = min(best, 4)
    if best > 3 and a.family_parts & b.family_parts:
        # One part of a double-barrelled or hyphenated name: Smith / Smith-Jones.
        best = 3
    return best


FAMILY = Comparison(
    "family name",
    (
        "family name the same",
        "family name spelt nearly the same",
        "family name sounds the same",
        "family names share a part (double-barrelled or hyphenated)",
        "family name similar",
        "family name different",
    ),
    _family,
)


def _given_pair(x: str, y: str) -> int:
    if x == y:
        return 0
    if len(x) == 1 or len(y) == 1:
        return 4 if x[0] == y[0] else 6
    if canonical_given(x) & canonical_given(y):
        return 1
    similarity = _jw(x, y)
    if similarity >= 0.92:
        return 2
    if sounds_alike(x, y):
        return 3
    if similarity >= 0.8:
        return 5
    return 6


def _given(a: Nominal, b: Nominal) -> int | None:
    first_a, first_b = a.first_given, b.first_given
    if not first_a or not first_b:
        return None
    best = min(_given_pair(x, y) for x in first_a for y in first_b)
    if best > 1 and a.given_parts & b.given_parts:
        # A middle name used as the first (John Paul Smith known as Paul Smith).
        best = 2
    return best


GIVEN = Comparison(
    "given name",
    (
        "given name the same",
        "given name is a known nickname or short form",
        "given name spelt nearly the same or a middle name",
        "given name sounds the same",
        "given name initial matches",
        "given name similar",
        "given name different",
    ),
    _given,
)


def _swapped(a: Nominal, b: Nominal) -> bool:
    """Given and family names recorded the wrong way round."""
    if not any(g[:1] == f[:1] for g in a.first_given for f in b.family):
        return False  # cheap test first: most pairs compared are strangers
    return any(
        parts and fa and fb and _jw(parts[0], fb) >= 0.85 and _jw(fa, pb[0]) >= 0.85
        for parts, fa in zip(a.given, a.family, strict=True)
        for pb, fb in zip(b.given, b.family, strict=True)
        if pb
    )


def _dob(a: Nominal, b: Nominal) -> int | None:
    x, y = a.dob, b.dob
    # BirthDate.known and .exact spelt out: this runs for every candidate pair.
    if x.year is None or y.year is None:
        return None
    if x.month is not None and x.day is not None and y.month is not None and y.day is not None:
        if x.year == y.year and x.month == y.month and x.day == y.day:
            return 0
        if x.year == y.year and x.month == y.day and x.day == y.month:
            return 1
        same = (x.year == y.year) + (x.month == y.month) + (x.day == y.day)
        if same == 2:
            return 2
        digits_x = f"{x.year:04d}{x.month:02d}{x.day:02d}"
        digits_y = f"{y.year:04d}{y.month:02d}{y.day:02d}"
        if DamerauLevenshtein.distance(digits_x, digits_y) <= 1:
            return 2
        if abs(x.year - y.year) <= 1 and x.month == y.month:
            return 3
        return 5
    # At least one side is partial (year only, or month and year): compatible or not.
    if x.year != y.year:
        return 5 if abs(x.year - y.year) > 1 else 3
    if x.month and y.month and x.month != y.month:
        return 5
    return 4


DOB = Comparison(
    "date of birth",
    (
        "date of birth the same",
        "date of birth with day and month swapped",
        "date of birth differs by one digit or one part",
        "date of birth a year out",
        "date of birth partly known and consistent",
        "date of birth different",
    ),
    _dob,
    unordered=frozenset({(3, 4)}),
)


@functools.lru_cache(maxsize=100_000)
def _house(line: str) -> tuple[str, str]:
    """'12a church street' -> ('12a', 'church street'): the house number and the street."""
    number, _, street = line.partition(" ")
    if number[:1].isdigit() and street:
        return number, street
    return "", line


def _street_agreement(xs: set[str], ys: set[str]) -> int | None:
    """0 for the same house: one line agrees, or near enough (a slip in the street's name), with
    no different house number (12 Church Street is not 40 Church Street); 1 for the same street
    at another number; None for neither. One pass over the pairs of lines, where "same house"
    and "same street" were two: comparing addresses was 1.36 s of the 3.42 s comparing British
    people 50k's candidate pairs took, and is 1.06 s (bench/README.md, matching)."""
    if xs & ys:
        return 0
    street = None
    for x in xs:
        number_x, street_x = _house(x)
        for y in ys:
            number_y, street_y = _house(y)
            if _jw(street_x, street_y) >= 0.92:
                if not (number_x and number_y and number_x != number_y):
                    return 0
                street = 1
    return street


def _near(xs: set[str], ys: set[str], threshold: float) -> bool:
    return bool(xs & ys) or any(_jw(x, y) >= threshold for x in xs for y in ys)


def _address(a: Nominal, b: Nominal) -> int | None:
    """One comparison for where the two records were living, with levels from the same address
    down to a different town. Postcode, street and town were once three comparisons, so a shared
    home counted three times (about 26 bits, outweighing a different given name and date of
    birth: two people of one household offered as one; issue 18)."""
    same_postcode = bool(a.postcodes & b.postcodes)
    both_streets = bool(a.streets and b.streets)
    street = _street_agreement(a.streets, b.streets) if both_streets else None
    # The same house, unless the postcodes put it in different places.
    if street == 0 and (same_postcode or not (a.postcodes and b.postcodes) or _near_postcode(a, b)):
        return 0
    if same_postcode or street is not None:  # the same house is on the same street
        return 1
    if a.postcodes and b.postcodes and _near_postcode(a, b):
        return 2
    if a.towns and b.towns:
        return 3 if _near(a.towns, b.towns, 0.92) else 4
    if (a.postcodes and b.postcodes) or both_streets:
        return 4
    return None


def _near_postcode(a: Nominal, b: Nominal) -> bool:
    """The same postcode sector (PR1 2), or one character out."""
    return any(
        x[:-2] == y[:-2] or DamerauLevenshtein.distance(x, y) <= 1
        for x in a.postcodes
        for y in b.postcodes
    )


ADDRESS = Comparison(
    "address",
    (
        "same address",
        "same street or postcode",
        "same postcode sector, or postcode one character out",
        "same town",
        "address different",
    ),
    _address,
)


def _identifiers(a: Nominal, b: Nominal) -> int | None:
    if not a.identifier_kinds & b.identifier_kinds:
        return None
    if a.identifiers & b.identifiers:
        return 0
    if any(
        x.split(":", 1)[0] == y.split(":", 1)[0] and DamerauLevenshtein.distance(x, y) <= 1
        for x in a.identifiers
        for y in b.identifiers
    ):
        return 1
    return 2


IDENTIFIERS = Comparison(
    "identifiers",
    (
        "same identifier (phone, email, PNC, licence or passport)",
        "identifier one character out",
        "identifiers of the same kind differ",
    ),
    _identifiers,
)


def _gender(a: Nominal, b: Nominal) -> int | None:
    if a.gender in ("", "unknown") or b.gender in ("", "unknown"):
        return None
    return 0 if a.gender == b.gender else 1


GENDER = Comparison("gender", ("same gender", "different gender"), _gender)

COMPARISONS = (FAMILY, GIVEN, DOB, ADDRESS, IDENTIFIERS, GENDER)


def comparison_vector(a: Nominal, b: Nominal) -> tuple[int | None, ...]:
    vector = [c.compare(a, b) for c in COMPARISONS]
    if vector[0] is not None and vector[0] >= 4 and vector[1] is not None and vector[1] >= 5:
        if _swapped(a, b) or _swapped(b, a):
            vector[0], vector[1] = 0, 0
    return tuple(vector)
