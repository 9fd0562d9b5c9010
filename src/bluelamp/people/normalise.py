"""Names, dates of birth and identifiers put into the forms matching compares.

Names: transliterated to ASCII (Siobhán -> siobhan, Øyvind -> oyvind), lower case, apostrophes
dropped (O'Neill -> oneill), "Mac" folded to "mc" (MacDonald and McDonald are one family name as
far as a police record goes), hyphens and double barrels split into parts that are also compared
one by one. Given names are mapped to their canonical forms through the `nicknames` dataset
(Bill -> william, Peggy -> margaret)."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field

import jellyfish
from nicknames import NickNamer
from unidecode import unidecode

_NOT_LETTERS = re.compile(r"[^a-z\s-]")
_SPACES = re.compile(r"[\s-]+")
_MAC = re.compile(r"^mac(?=[bcdfghjklmnpqrstvwz])")


@functools.cache
def _nicknamer() -> NickNamer:
    return NickNamer()


def name_parts(text: str) -> list[str]:
    """'Mary-Jane  O'Neill ' -> ['mary', 'jane', 'oneill']."""
    return list(_name_parts(text or ""))


# Names and streets repeat across a force (every Smith, every Church Street), and a search loads
# a hundred records: remembering the normalised forms saves most of the work (bounded).
@functools.lru_cache(maxsize=200_000)
def _name_parts(text: str) -> tuple[str, ...]:
    ascii_text = unidecode(text).lower().replace("'", "").replace("`", "")
    return tuple(p for p in _SPACES.split(_NOT_LETTERS.sub(" ", ascii_text)) if p)


_NOT_STREET = re.compile(r"[^a-z0-9\s-]")


@functools.lru_cache(maxsize=200_000)
def street_line(text: str) -> str:
    """'12A, Church  St.' -> '12a church st': letters and the house number kept (12 Church
    Street is not 40 Church Street), punctuation dropped."""
    ascii_text = unidecode(text).lower().replace("'", "")
    return " ".join(p for p in _SPACES.split(_NOT_STREET.sub(" ", ascii_text)) if p)


def family_key(part: str) -> str:
    """One family-name part in the form compared exactly: Mac folded into Mc."""
    return _MAC.sub("mc", part)


def family_name(text: str) -> str:
    """The whole family name, parts joined without spaces: 'Mac an tSaoi' -> 'mcantsaoi'."""
    return _MAC.sub("mc", "".join(name_parts(text)))


@functools.cache
def phonetic(text: str) -> str:
    """A phonetic key (NYSIIS) for blocking: Macdonald/McDonald, Thompson/Thomson agree."""
    return jellyfish.nysiis(text) if text else ""


@functools.cache
def soundex(text: str) -> str:
    """A coarser phonetic key (Soundex) than NYSIIS, which keeps a name's opening letters as they
    are: a slip near the start ("Clrke", "Smtih", "Edwrads") changes NYSIIS but not Soundex."""
    return jellyfish.soundex(text) if text else ""


@functools.cache
def sounds_alike(a: str, b: str) -> bool:
    """Either phonetic code agrees: NYSIIS, or metaphone (which hears Smith and Smyth alike)."""
    return phonetic(a) == phonetic(b) or jellyfish.metaphone(a) == jellyfish.metaphone(b)


@functools.cache
def canonical_given(name: str) -> frozenset[str]:
    """The canonical names a given name may stand for, including itself: 'bill' ->
    {'bill', 'william', 'robert', ...}. Empty for an initial."""
    if len(name) < 2:
        return frozenset()
    return frozenset({name, *_nicknamer().canonicals_of(name)})


@dataclass(frozen=True)
class BirthDate:
    """A date of birth as recorded: exact, month and year, year only, or unknown."""

    year: int | None = None
    month: int | None = None
    day: int | None = None

    @property
    def known(self) -> bool:
        return self.year is not None

    @property
    def exact(self) -> bool:
        return None not in (self.year, self.month, self.day)

    @classmethod
    def parse(cls, text: str | None) -> BirthDate:
        """'1971-06-24', '19710624', '24/06/1971', '1971-06', '1971' or empty."""
        text = (text or "").strip()
        if not text:
            return cls()
        if m := re.fullmatch(r"(\d{4})-?(\d{2})-?(\d{2})", text):
            return cls(int(m[1]), int(m[2]) or None, int(m[3]) or None)
        if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):
            return cls(int(m[3]), int(m[2]), int(m[1]))
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
            return cls(int(m[1]), int(m[2]))
        if m := re.fullmatch(r"\d{4}", text):
            return cls(int(text))
        raise ValueError(f"not a date of birth: {text!r}")


@dataclass
class Nominal:
    """Everything matching compares about one person, already normalised.

    A person may have several names (current, birth, aliases); comparisons take the best pair.
    """

    id: int | str
    given: list[list[str]] = field(default_factory=list)  # one list of parts per recorded name
    family: list[str] = field(default_factory=list)  # one joined family name per recorded name
    family_parts: set[str] = field(default_factory=set)
    dob: BirthDate = field(default_factory=BirthDate)
    gender: str = ""
    postcodes: set[str] = field(default_factory=set)
    streets: set[str] = field(default_factory=set)
    towns: set[str] = field(default_factory=set)
    identifiers: set[str] = field(default_factory=set)  # "kind:value", normalised
    # Worked out once per record, because each record is compared many times.
    first_given: list[str] = field(default_factory=list)
    given_parts: set[str] = field(default_factory=set)  # every given name part of 2+ letters
    identifier_kinds: set[str] = field(default_factory=set)

    def add_name(self, given_names: str, family: str) -> None:
        parts = name_parts(given_names)
        joined = family_name(family)
        if not parts and not joined:
            return
        self.given.append(parts)
        self.family.append(joined)
        self.family_parts.update(family_key(p) for p in name_parts(family))
        if parts:
            self.first_given.append(parts[0])
        self.given_parts.update(p for p in parts if len(p) > 1)


def nominal(
    id: int | str,  # noqa: A002 - the record's own id
    *,
    names: list[tuple[str, str]],
    dob: BirthDate | None = None,
    gender: str = "",
    postcodes: set[str] | None = None,
    streets: set[str] | None = None,
    towns: set[str] | None = None,
    identifiers: set[str] | None = None,
) -> Nominal:
    record = Nominal(id=id, dob=dob or BirthDate(), gender=gender)
    for given, family in names:
        record.add_name(given, family)
    record.postcodes = {p.replace(" ", "").upper() for p in postcodes or () if p}
    record.streets = {line for s in streets or () if s and (line := street_line(s))}
    record.towns = {" ".join(name_parts(t)) for t in towns or () if t and name_parts(t)}
    record.identifiers = set(identifiers or ())
    record.identifier_kinds = {i.split(":", 1)[0] for i in record.identifiers}
    return record


def dump_nominal(record: Nominal) -> str:
    """A record in the compact form kept in ``PersonMatchRecord``: everything ``load_nominal``
    needs to rebuild it without normalising anything again (sets sorted, so equal records are
    equal text)."""
    dob = record.dob
    return json.dumps(
        [
            record.given,
            record.family,
            sorted(record.family_parts),
            [dob.year, dob.month, dob.day],
            record.gender,
            sorted(record.postcodes),
            sorted(record.streets),
            sorted(record.towns),
            sorted(record.identifiers),
        ],
        separators=(",", ":"),
        ensure_ascii=False,
    )


def load_nominal(id: int | str, text: str) -> Nominal:  # noqa: A002 - the record's own id
    """The Nominal ``dump_nominal`` kept, with the fields worked out once per record rebuilt
    as ``Nominal.add_name`` and ``nominal`` build them."""
    given, family, family_parts, dob, gender, postcodes, streets, towns, identifiers = json.loads(
        text
    )
    return Nominal(
        id=id,
        given=given,
        family=family,
        family_parts=set(family_parts),
        dob=BirthDate(*dob),
        gender=gender,
        postcodes=set(postcodes),
        streets=set(streets),
        towns=set(towns),
        identifiers=set(identifiers),
        first_given=[parts[0] for parts in given if parts],
        given_parts={p for parts in given for p in parts if len(p) > 1},
        identifier_kinds={i.split(":", 1)[0] for i in identifiers},
    )
