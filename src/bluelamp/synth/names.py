"""Names for the synthetic force, drawn as often as they occur in Britain.

Searching a force's records is only as hard as its names are alike, so the generator's names must
be spread the way real ones are. They were not: the generator drew given names evenly from Faker's
182 per sex and family names from Faker's 500, whose published shares (Smith 1.15% of people) it
scaled to fill the whole population (Smith 2.9%). Five million nominals then had at most 182,000
names between them (364 × 500, besides the variants' misspellings), and a search for "Toby
Williams, born 1989" matched a dozen records equally well
(bench/README.md, "What changed in the force, and why").

- **Given names** come from the first-name dictionary of Jörg Michael's ``gender.c`` as shipped in
  the PyPI package ``gender-guesser`` (GNU FDL). It gives each name's frequency in Great Britain on
  a logarithmic scale where each step is a factor of two; a name of frequency ``v`` is drawn with
  weight ``2**v``. About 1,100 names per sex (David and John are each about 5% of men).
- **Family names**: the 500 commonest, with the shares of the population ONS published for them
  (Faker's ``en_GB`` list, which together cover 39.5% of people), and the other 60.5% spread evenly
  over about 3,500 family names of Irish, English, South Asian and other origins from Faker's
  ``en_IE``, ``en_US``, ``en_NZ``, ``en_IN`` and ``en_PK`` lists, each rarer than the rarest of
  the 500. Real Britain's long tail is longer still (hundreds of thousands of names), so the force
  remains harder to search than a real one.
"""

from __future__ import annotations

import bisect
import itertools
import random
import re
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from importlib.resources import files

from faker.providers.person.en_GB import Provider as BritishNames

# Columns of gender.c's nam_dict.txt: sex code in 0-2, name in 3-28, a sort marker in 29 ("+" marks
# a second spelling of an umlauted name, to be skipped), then one frequency digit per country, the
# first being Great Britain.
_NAME = slice(3, 29)
_MARKER, _GREAT_BRITAIN = 29, 30
_MALE_CODES, _FEMALE_CODES, _UNISEX = {"M", "1M", "?M"}, {"F", "1F", "?F"}, "?"

TAIL_LOCALES = ("en_IE", "en_US", "en_NZ", "en_IN", "en_PK")
_WRITTEN_NAME = re.compile(r"[A-Z][A-Za-z' -]*[a-z]")


@dataclass(frozen=True)
class _Weighted:
    names: tuple[str, ...]
    cumulative: tuple[float, ...]

    @classmethod
    def of(cls, weights: dict[str, float]) -> _Weighted:
        names = tuple(sorted(weights))
        return cls(names, tuple(itertools.accumulate(weights[n] for n in names)))

    def draw(self, rng: random.Random) -> str:
        point = rng.random() * self.cumulative[-1]
        return self.names[bisect.bisect_right(self.cumulative, point)]

    def share(self, name: str) -> float:
        i = self.names.index(name)
        return (self.cumulative[i] - (self.cumulative[i - 1] if i else 0.0)) / self.cumulative[-1]


@dataclass(frozen=True)
class BritishNamePool:
    male: _Weighted
    female: _Weighted
    family: _Weighted

    def given_name(self, rng: random.Random, *, male: bool) -> str:
        return (self.male if male else self.female).draw(rng)

    def family_name(self, rng: random.Random) -> str:
        return self.family.draw(rng)


def _given_weights() -> tuple[dict[str, float], dict[str, float]]:
    male: dict[str, float] = {}
    female: dict[str, float] = {}
    text = files("gender_guesser").joinpath("data", "nam_dict.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("#") or len(line) <= _GREAT_BRITAIN or line[_MARKER] == "+":
            continue
        frequency = line[_GREAT_BRITAIN]
        if frequency == " ":
            continue
        code, name = line[:2].strip(), line[_NAME].strip().replace("+", "-")
        weight = 2.0 ** int(frequency, 16)
        if code in _MALE_CODES or code == _UNISEX:
            male[name] = male.get(name, 0.0) + (weight / 2 if code == _UNISEX else weight)
        if code in _FEMALE_CODES or code == _UNISEX:
            female[name] = female.get(name, 0.0) + (weight / 2 if code == _UNISEX else weight)
    return male, female


def _family_weights() -> dict[str, float]:
    common = dict(BritishNames.last_names)  # name -> percentage of the population
    tail: set[str] = set()
    for locale in TAIL_LOCALES:
        for name in import_module(f"faker.providers.person.{locale}").Provider.last_names:
            name = name.replace("\u2019", "'")
            if _WRITTEN_NAME.fullmatch(name) and name not in common:
                tail.add(name)
    rest = (100.0 - sum(common.values())) / len(tail)
    return common | dict.fromkeys(tail, rest)


@cache
def british_names() -> BritishNamePool:
    male, female = _given_weights()
    family = _family_weights()
    return BritishNamePool(_Weighted.of(male), _Weighted.of(female), _Weighted.of(family))
