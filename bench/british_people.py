"""A public test set for matching with many records per person, generated from published name
frequencies (not from the synthetic force, and not tuned against bluelamp's model).

    .venv/bin/python bench/british_people.py --records 50000 --seed 2 > people.csv

People are drawn with the name shares bluelamp's synthetic force uses (synth/names.py: ONS family
name shares from Faker en_GB, given names with their frequency in Great Britain from
gender-guesser's dictionary), but everything else comes from here, written before any model change
was measured on it and left alone since:

- **Many records per person**: a third of people once; the rest 2 to 15 times (geometric), so a
  common name has many records of many people.
- **Households**: about a third of people share a home and family name with another (a parent,
  a sibling; one in ten of those a twin, born the same day): the hard non-matches.
- **Moving house**: each person has a history of 1 to 4 addresses; each record is made at one of
  them, so two records of one person often differ in address (most moves stay in the same town).
- **Towns**: the local authority districts of the north-west's three police force areas (ONS
  lookup in /work/shared/data/geo), each with its own postcode districts and streets.
- **How records get recorded**: nicknames and short forms (the ``nicknames`` package), initials,
  a middle name used as the first, typing slips in either name, names swapped, a married name;
  dates of birth as year only, month and year, day and month swapped, one digit out, missing, or
  1 January of the year (a placeholder date for an unknown day); postcodes one character out or
  missing; streets missing; phone numbers on some records.

Output columns: unique_id, cluster, first_name, middle_name, surname, dob ("1971-06-24",
"1971-06", "1971" or ""), gender, street, postcode, town, phone."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import string
import sys
from dataclasses import dataclass, field
from pathlib import Path

from faker import Faker
from nicknames import NickNamer

from bluelamp.synth.names import british_names

SHARED = Path(
    os.environ.get("BLUELAMP_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared/data")
)
FORCE_AREAS = ("Lancashire", "Merseyside", "Greater Manchester")
COLUMNS = (
    "unique_id",
    "cluster",
    "first_name",
    "middle_name",
    "surname",
    "dob",
    "gender",
    "street",
    "postcode",
    "town",
    "phone",
)


@dataclass
class Address:
    street: str
    postcode: str
    town: str


@dataclass
class Person:
    given: str
    middle: str
    family: str
    male: bool
    born: dt.date
    addresses: list[Address]
    phones: list[str] = field(default_factory=list)
    married_name: str = ""


def _towns() -> list[str]:
    lookup = SHARED / "geo" / "ons_lad19_csp19_pfa19_lookup_EW.csv"
    with lookup.open(newline="", encoding="utf-8-sig") as f:
        return sorted(
            {row["LAD19NM"] for row in csv.DictReader(f) if row["PFA19NM"] in FORCE_AREAS}
        )


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 3:
        return text
    i = rng.randrange(1, len(text))
    kind = rng.randrange(4)
    if kind == 0:
        return text[:i] + text[i + 1 :]
    if kind == 1:
        return text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]
    if kind == 2:
        return text[:i] + rng.choice(string.ascii_lowercase) + text[i + 1 :]
    return text[:i] + text[i - 1] + text[i:]


class Generator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.fake = Faker("en_GB")
        self.fake.seed_instance(seed)
        self.names = british_names()
        self.nicknames = NickNamer()
        self.towns = _towns()
        # Each town: a few postcode districts and a couple of hundred streets of its own.
        self.outward = {town: self._outwards(town) for town in self.towns}
        self.streets = {town: [self.fake.street_name() for _ in range(200)] for town in self.towns}

    def _outwards(self, town: str) -> list[str]:
        area = "".join(c for c in town.upper() if c.isalpha())[:2]
        return [f"{area}{self.rng.randint(1, 40)}" for _ in range(4)]

    def address(self, town: str | None = None) -> Address:
        rng = self.rng
        town = town or rng.choice(self.towns)
        postcode = (
            f"{rng.choice(self.outward[town])} {rng.randint(1, 9)}"
            f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        )
        street = f"{rng.randint(1, 200)} {rng.choice(self.streets[town])}"
        return Address(street, postcode, town)

    def moves(self, home: Address) -> list[Address]:
        rng = self.rng
        addresses = [home]
        while len(addresses) < 4 and rng.random() < 0.45:
            # Most moves stay in the same town.
            town = addresses[-1].town if rng.random() < 0.7 else None
            addresses.append(self.address(town))
        return addresses

    def person(self, *, family: str | None = None, home: Address | None = None) -> Person:
        rng = self.rng
        male = rng.random() < 0.5
        age = min(max(int(rng.gauss(34, 16)), 10), 90)
        born = dt.date(2026, 1, 1) - dt.timedelta(days=age * 365 + rng.randrange(365))
        middle = self.names.given_name(rng, male=male) if rng.random() < 0.35 else ""
        person = Person(
            given=self.names.given_name(rng, male=male),
            middle=middle,
            family=family or self.names.family_name(rng),
            male=male,
            born=born,
            addresses=self.moves(home or self.address()),
        )
        person.phones = [self.fake.phone_number() for _ in range(rng.choice((0, 1, 1, 2)))]
        if not male and rng.random() < 0.1:
            person.married_name = self.names.family_name(rng)
        return person

    def people(self, records: int) -> list[tuple[Person, int]]:
        """People with how many records each, until there are about ``records`` records."""
        rng = self.rng
        drawn: list[tuple[Person, int]] = []
        total = 0
        while total < records:
            person = self.person()
            household = [person]
            if rng.random() < 0.3:
                home = person.addresses[0]
                for _ in range(rng.choice((1, 1, 2, 3))):
                    relative = self.person(family=person.family, home=home)
                    if rng.random() < 0.1:  # a twin
                        relative.born = person.born
                    household.append(relative)
            for member in household:
                count = 1 if rng.random() < 0.33 else min(2 + int(rng.expovariate(0.45)), 15)
                drawn.append((member, count))
                total += count
        return drawn

    def given_as_recorded(self, person: Person) -> tuple[str, str]:
        rng = self.rng
        roll = rng.random()
        given, middle = person.given, person.middle if rng.random() < 0.6 else ""
        if roll < 0.12:
            options = sorted(self.nicknames.nicknames_of(given.lower()))
            if options:
                given = rng.choice(options).title()
        elif roll < 0.17:
            given = _typo(rng, given)
        elif roll < 0.21:
            given = given[0]
        elif roll < 0.24 and person.middle:
            given, middle = person.middle, ""
        return given, middle

    def family_as_recorded(self, person: Person) -> str:
        rng = self.rng
        family = (
            person.married_name if person.married_name and rng.random() < 0.5 else person.family
        )
        roll = rng.random()
        if roll < 0.06:
            family = _typo(rng, family)
        elif roll < 0.08:
            family = f"{family}-{self.names.family_name(rng)}"
        return family

    def dob_as_recorded(self, born: dt.date) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.04:
            return ""
        if roll < 0.12:
            return f"{born.year}"
        if roll < 0.17:
            return f"{born.year}-{born.month:02d}"
        if roll < 0.19:
            return f"{born.year}-01-01"  # a placeholder for an unknown day
        if roll < 0.23 and born.day <= 12 and born.day != born.month:
            return f"{born.year}-{born.day:02d}-{born.month:02d}"
        if roll < 0.27:
            shifted = rng.choice(
                [
                    (born.year + rng.choice((-1, 1)), born.month, born.day),
                    (born.year, born.month, min(max(born.day + rng.choice((-1, 1)), 1), 28)),
                    (born.year, min(max(born.month + rng.choice((-1, 1)), 1), 12), born.day),
                ]
            )
            try:
                return dt.date(*shifted).isoformat()
            except ValueError:
                return born.isoformat()
        return born.isoformat()

    def postcode_as_recorded(self, postcode: str) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.1:
            return ""
        if roll < 0.15:
            chars = list(postcode)
            spots = [i for i, c in enumerate(chars) if c != " "]
            i = rng.choice(spots)
            chars[i] = rng.choice(string.digits if chars[i].isdigit() else string.ascii_uppercase)
            return "".join(chars)
        return postcode

    def rows(self, records: int) -> list[dict]:
        rng = self.rng
        out = []
        for cluster, (person, count) in enumerate(self.people(records)):
            for _ in range(count):
                given, middle = self.given_as_recorded(person)
                family = self.family_as_recorded(person)
                if rng.random() < 0.015:
                    given, family = family, given
                address = rng.choice(person.addresses)
                gender = "male" if person.male else "female"
                if rng.random() < 0.05:
                    gender = ""
                out.append(
                    {
                        "unique_id": str(len(out)),
                        "cluster": str(cluster),
                        "first_name": given,
                        "middle_name": middle,
                        "surname": family,
                        "dob": self.dob_as_recorded(person.born),
                        "gender": gender,
                        "street": address.street if rng.random() > 0.1 else "",
                        "postcode": self.postcode_as_recorded(address.postcode),
                        "town": address.town if rng.random() > 0.05 else "",
                        "phone": rng.choice(person.phones)
                        if person.phones and rng.random() < 0.3
                        else "",
                    }
                )
        rng.shuffle(out)
        return out


def generate(records: int, seed: int) -> list[dict]:
    return Generator(seed).rows(records)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=2)
    args = parser.parse_args(argv)
    writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(generate(args.records, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
