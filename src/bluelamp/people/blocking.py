"""Blocking: the keys that bring possibly-matching records together, so that matching compares
a few candidates instead of every pair of records.

Each rule turns a record into short keys; two records are candidates when they share a key under
any rule. The same keys are stored per person (``people.PersonKey``) so interactive search is an
index lookup, and batch de-duplication groups by key. A rule records which comparisons it fixes,
because training must not learn from a field the pairs were chosen to agree on."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from .normalise import BirthDate, Nominal, canonical_given, phonetic, soundex

# A key shared by more records than this says little (a very common name in a year of births),
# and comparing all of its pairs would cost the square of its size; other rules still apply.
MAX_BLOCK = 200


@dataclass(frozen=True)
class BlockingRule:
    code: str
    # Comparisons the rule makes agree, and those that agree with them among strangers too: a
    # given name is nearly always one sex's, and people sharing a postcode share a street and
    # town. Training leaves all of them out of the rule's EM; left in, EM took "same sex" or
    # "same household" for the sign of one person (at a million nominals, the postcode rule put
    # 97% of its pairs in the matching class where 16% were; bench/README.md).
    fixes: frozenset[str]
    keys: Callable[[Nominal], Iterable[str]]
    max_block: int = MAX_BLOCK


def _family_with_birth(
    r: Nominal, form: Callable[[str], str], *, month: bool = False
) -> Iterator[str]:
    """Each family name in ``form`` with the year of birth (and month): the family-name-and-year
    rules fy, fs, fl and fm differ only in these two."""
    if not r.dob.year or (month and not r.dob.month):
        return
    born = f"{r.dob.year}{r.dob.month:02d}" if month else str(r.dob.year)
    for family in r.family:
        if family:
            yield f"{form(family)}:{born}"


def _family_year(r: Nominal) -> Iterator[str]:
    return _family_with_birth(r, phonetic)


def _family_sound_year(r: Nominal) -> Iterator[str]:
    # The family name's Soundex with the year. A misspelt family name searched with only a year
    # of birth otherwise shares just its given name and year with the person (gy), a block of
    # thousands at five million, and was lost among them (bench/README.md, "Search changes
    # measured here").
    return _family_with_birth(r, soundex)


def _given_month_initial(r: Nominal) -> Iterator[str]:
    # A given name with the year and month of birth and the family name's initial. A family name
    # misspelt so that both its sound codes change (Basak typed Baask, Falvey typed Favley,
    # Hanafin typed Hanain) otherwise leaves the person sharing only a given name and year with
    # the search (gy): a block of a thousand Susans born in 2000 at five million, among which
    # the person was lost (bench/README.md, "Search changes measured here").
    if r.dob.year and r.dob.month:
        initials = sorted({family[0] for family in r.family if family})
        for given in r.first_given:
            if len(given) > 1:
                for initial in initials:
                    yield f"{phonetic(given)}:{r.dob.year}{r.dob.month:02d}:{initial}"


def _family_month(r: Nominal) -> Iterator[str]:
    # The family name with the year and month of birth. A given name mistyped (Stephen Gray, born
    # February 2000, typed "Tsephen") otherwise leaves the person sharing only the family name and
    # year with the search: two hundred Grays born in 2000 at five million, tied, and the person
    # was not among the candidates compared, though the model ranked him second when he was.
    return _family_with_birth(r, phonetic, month=True)


def _family_letters_year(r: Nominal) -> Iterator[str]:
    # The family name's letters in alphabetical order, with the year: two letters swapped (Laffey
    # typed Lafefy, Harvey typed aHrvey) change both sound codes, and searched with a year only
    # the person shared just a given name and year with the search, six hundred Marians born in
    # 2005 at five million (bench/README.md). The same letters in any order keep the key.
    return _family_with_birth(r, lambda family: "".join(sorted(family)))


def _given_day_month(r: Nominal) -> Iterator[str]:
    # Day and month sorted, so a swapped day and month shares the key.
    if r.dob.month and r.dob.day:
        low, high = sorted((r.dob.month, r.dob.day))
        for given in r.first_given:
            for form in canonical_given(given) or {given}:
                yield f"{phonetic(form)}:{low:02d}{high:02d}"


def _names(r: Nominal) -> Iterator[str]:
    for parts, family in zip(r.given, r.family, strict=True):
        if parts and family:
            yield f"{phonetic(family)}:{parts[0][0]}"


def _family(r: Nominal) -> Iterator[str]:
    for family in r.family:
        if family:
            yield phonetic(family)


def _given_year(r: Nominal) -> Iterator[str]:
    if r.dob.year:
        for given in r.first_given:
            if len(given) > 1:
                yield f"{phonetic(given)}:{r.dob.year}"


def _identifier_prefix(r: Nominal) -> Iterator[str]:
    # The start of an identifier: an email with a mistyped domain, a phone with a slip at the end.
    for identifier in r.identifiers:
        kind, _, value = identifier.partition(":")
        if len(value) >= 8:
            yield f"{kind}:{value[:6]}"


def _birth_date(r: Nominal) -> Iterator[str]:
    if r.dob.exact:
        yield f"{r.dob.year:04d}{r.dob.month:02d}{r.dob.day:02d}"


def _postcode_initial(r: Nominal) -> Iterator[str]:
    initials = {parts[0][0] for parts in r.given if parts}
    for postcode in r.postcodes:
        for initial in initials:
            yield f"{postcode}:{initial}"


def _identifier(r: Nominal) -> Iterator[str]:
    yield from r.identifiers


BLOCKING_RULES: tuple[BlockingRule, ...] = (
    BlockingRule("fy", frozenset({"family name", "date of birth", "address"}), _family_year),
    BlockingRule("gd", frozenset({"given name", "gender", "date of birth"}), _given_day_month),
    BlockingRule("nm", frozenset({"family name", "given name", "gender", "address"}), _names),
    BlockingRule("db", frozenset({"date of birth"}), _birth_date),
    BlockingRule(
        "pc",
        frozenset({"address", "given name", "gender"}),
        _postcode_initial,
    ),
    BlockingRule("id", frozenset({"identifiers"}), _identifier),
    # A family name alone only pairs records with rarer names; common ones are left to the rest.
    BlockingRule("fn", frozenset({"family name", "address"}), _family, max_block=20),
    BlockingRule("gy", frozenset({"given name", "gender", "date of birth"}), _given_year),
    BlockingRule("ip", frozenset({"identifiers"}), _identifier_prefix),
    BlockingRule("fs", frozenset({"family name", "date of birth", "address"}), _family_sound_year),
    BlockingRule(
        "gm",
        frozenset({"given name", "gender", "date of birth", "family name"}),
        _given_month_initial,
    ),
)


# Keys stored for search only. Batch de-duplication leaves them out: their blocks are the
# family-name-and-year blocks (fy) cut finer, or the same block under its letters, so they would
# bring it few new pairs, and it is measured side by side with Splink as it stands
# (bench/README.md). Search looks them up to tell apart people tied on the broader keys.
SEARCH_RULES: tuple[BlockingRule, ...] = (
    BlockingRule("fm", frozenset({"family name", "date of birth", "address"}), _family_month),
    BlockingRule(
        "fl", frozenset({"family name", "date of birth", "address"}), _family_letters_year
    ),
)
STORED_RULES = (*BLOCKING_RULES, *SEARCH_RULES)
SEARCH_ONLY_CODES = frozenset(rule.code for rule in SEARCH_RULES)


def record_keys(record: Nominal, rules: Sequence[BlockingRule] = STORED_RULES) -> set[str]:
    """Every key stored for one record (or under ``rules``), prefixed by its rule
    ("fy:SNAT:1971")."""
    return {f"{rule.code}:{key}" for rule in rules for key in rule.keys(record)}


_RULES = {rule.code: rule for rule in STORED_RULES}
# A family name and year is looked up under all its keys (NYSIIS, fy; Soundex, fs; letters, fl;
# with the month, fm) for every year and name part tried: a person holding one nearly always
# holds the others, so trying only fy for a year either side put everyone of the name born in
# the typed year ahead of the person (Steven Moreno, born 1987, searched as 1988, came 122nd,
# behind the Morenos and Morans of 1988; with fl and fm tried for the typed year alone, Colin
# Smith, born in February 2005 and searched as 2004, was behind the Smiths of February 2004).
_FAMILY_YEAR = (_RULES["fy"], _RULES["fs"], _RULES["fl"], _RULES["fm"])


def query_keys(record: Nominal) -> set[str]:
    """Keys to look up for a search: the record's own, plus a year either side of a known year
    of birth (a common error) so the family-name-and-year rules still find the person."""
    keys = record_keys(record)
    if len(record.family_parts) > 1:
        # A double-barrelled or hyphenated name typed for someone recorded under one part of it
        # (Smith-Jones for Smith): look up each part's family-name keys too.
        for part in record.family_parts:
            alone = Nominal(id=record.id, given=record.given[:1] or [[]], family=[part])
            alone.dob = record.dob
            keys |= record_keys(alone, rules=(*_FAMILY_YEAR, _RULES["nm"]))
    for shifted in _years_either_side(record, month=True):
        keys |= record_keys(shifted, rules=_FAMILY_YEAR)
    if not (record.dob.month and record.dob.day):
        # Without a day and month there is no day-and-month key (gd), which is where a given
        # name's canonical forms are looked up: look up the given-name-and-year (gy) and
        # initial (nm) keys under each instead, so that "Mandy Roberts, 07/1992" finds Amanda.
        for given in record.first_given:
            for form in sorted(canonical_given(given) - {given}):
                alias = Nominal(
                    id=record.id, given=[[form]] * len(record.family), family=record.family
                )
                alias.first_given, alias.dob = [form], record.dob
                keys |= record_keys(alias, rules=(_RULES["gy"], _RULES["nm"], _RULES["gm"]))
    return keys


def neighbour_keys(record: Nominal) -> set[str]:
    """Keys a search compares every holder of when few people hold them, without counting them
    towards a candidate's rank: the given name with a year either side. Phelan Smith, born in
    1983 and searched as 1982, shared only family-name keys held by a thousand Smiths and was
    not compared, though five people are Phelans born in 1983 (five million nominals). Counted
    like the searched year's keys, a year either side put the people born then level with those
    born in the year searched, and fewer of a common name's searches found their person
    (bench/README.md)."""
    return {
        key
        for shifted in _years_either_side(record, month=False)
        for key in record_keys(shifted, rules=(_RULES["gy"],))
    }


def _years_either_side(record: Nominal, *, month: bool) -> Iterator[Nominal]:
    """The searched names born a year before and a year after the year typed (and in its month)."""
    if record.dob.year:
        for year in (record.dob.year - 1, record.dob.year + 1):
            shifted = Nominal(id=record.id, given=record.given, family=record.family)
            shifted.first_given = record.first_given
            shifted.dob = BirthDate(year, record.dob.month if month else None)
            yield shifted


def candidate_pairs(
    records: Sequence[Nominal],
    *,
    rules: Sequence[BlockingRule] = BLOCKING_RULES,
    max_block: int = MAX_BLOCK,
) -> Iterator[tuple[int | str, int | str]]:
    """Each pair of records sharing a key under any rule, once, as (smaller id, larger id)."""
    seen: set[tuple] = set()
    for rule in rules:
        blocks: dict[str, list] = defaultdict(list)
        for record in records:
            for key in set(rule.keys(record)):
                blocks[key].append(record.id)
        for ids in blocks.values():
            if len(ids) < 2 or len(ids) > min(max_block, rule.max_block):
                continue
            ids = sorted(set(ids), key=str)
            for i, a in enumerate(ids):
                for b in ids[i + 1 :]:
                    if (a, b) not in seen:
                        seen.add((a, b))
                        yield a, b
