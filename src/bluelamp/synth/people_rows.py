"""The synthetic force's people (generate.py's fast bulk path): each with a home, some recorded a
second time with a variant (a nickname, a misspelling, a swapped date, a move), with the match
keys and the record of which records are the same person."""

from __future__ import annotations

import calendar
import datetime as dt
import random

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from bluelamp.core.choices import (
    Ethnicity,
    Gender,
    NameKind,
    PlaceRole,
)
from bluelamp.core.models import (
    Location,
    Person,
    PersonLocationLink,
    PersonName,
    RecordChange,
)
from bluelamp.people.blocking import record_keys
from bluelamp.people.models import PersonKey, PersonMatchRecord
from bluelamp.people.normalise import BirthDate, dump_nominal, nominal

from .bulk import BATCH
from .models import SyntheticIdentity

DUPLICATE_SHARE = 0.08  # share of people recorded a second time, with a variant
# Of those second records, the share made after the person moved house: a real force's people
# move, so two records of one person need not share an address (issue 18). An assumption, as is
# the share of moves within the same district.
MOVED_SHARE = 0.3
# The ages of the people recorded, at the end of the period (an assumption of the generator's,
# as is their spread in _person_values).
MIN_AGE, MAX_AGE = 10, 95
ETHNICITIES = list(Ethnicity.values)


def _misspell(rng: random.Random, name: str) -> str:
    if len(name) < 4:
        return name + name[-1]
    i = rng.randrange(1, len(name) - 1)
    change = rng.randrange(3)
    if change == 0:  # a letter dropped
        return name[:i] + name[i + 1 :]
    if change == 1:  # two letters swapped
        return name[: i - 1] + name[i] + name[i - 1] + name[i + 1 :]
    return name[:i] + name[i] + name[i:]  # a letter doubled


class PeopleRows:
    """People for ForceGenerator (a mixin: it uses the generator's rng, names and places)."""

    def _person_values(self):
        rng = self.rng
        gender = rng.choice([Gender.MALE, Gender.FEMALE])
        given = self.names.given_name(rng, male=gender == Gender.MALE)
        # Age at the end of the period: most people on police records are 15 to 50. Drawn
        # again when outside 10 to 95: clamped, every draw under 10 became 10, and 7.5% of a
        # five-million force was born in one year (the commonest given name and year of birth
        # twenty times as common as in any other year).
        age = int(rng.gauss(32, 15))
        while not MIN_AGE <= age <= MAX_AGE:
            age = int(rng.gauss(32, 15))
        born = self.end - dt.timedelta(days=age * 365 + rng.randrange(365))
        precision = rng.random()
        month = born.month if precision > 0.04 else None
        day = born.day if precision > 0.08 else None
        return {
            "given": given,
            "family": self.names.family_name(rng),
            "gender": gender,
            "dob": (born.year, month, day),
            "ethnicity": rng.choice(ETHNICITIES),
        }

    def _variant(self, values: dict) -> tuple[dict, str]:
        """A second record of the same person, as it gets recorded on a busy night."""
        rng = self.rng
        v = dict(values)
        year, month, day = v["dob"]
        kind = rng.choice(
            [
                "nickname",
                "misspelt family name",
                "day and month swapped",
                "year only",
                "year out by one",
                "misspelt given name",
                "double-barrelled",
            ]
        )
        if kind == "nickname":
            options = sorted(self.nicknames.nicknames_of(v["given"].lower()))
            v["given"] = options[rng.randrange(len(options))].title() if options else v["given"][:1]
        elif kind == "misspelt family name":
            v["family"] = _misspell(rng, v["family"])
        elif kind == "misspelt given name":
            v["given"] = _misspell(rng, v["given"])
        elif kind == "day and month swapped" and day and month and day <= 12 and day != month:
            v["dob"] = (year, day, month)
        elif kind == "year only":
            v["dob"] = (year, None, None)
        elif kind == "year out by one":
            # 29 February moved to a year without one could not be entered: an officer would
            # have typed the 28th (search_bench once refused such planted variants).
            shifted = year + rng.choice([-1, 1])
            leap_day_lost = month == 2 and day == 29 and not calendar.isleap(shifted)
            v["dob"] = (shifted, month, 28 if leap_day_lost else day)
        elif kind == "double-barrelled":
            v["family"] = f"{v['family']}-{self.names.family_name(rng)}"
        else:
            kind = "same details"
        return v, kind

    def _moved(self, home: Location, homes: list[Location]) -> Location:
        """Another home, in the same district two times in three."""
        rng = self.rng
        if rng.random() < 2 / 3:
            nearby = [h for h in rng.sample(homes, min(len(homes), 50)) if h.town == home.town]
            if nearby and nearby[0].pk != home.pk:
                return nearby[0]
        return rng.choice(homes)

    def build_people(self, count: int) -> list[int]:
        """People with homes; some recorded twice with a variant. Returns the ids of the records
        events draw on (duplicates included: a duplicate is how the second record got made)."""
        rng = self.rng
        homes = self.build_locations(max(count // 2, 1))
        persons, names, truth, links, values_of = [], [], [], [], []
        for identity in range(count):
            values = self._person_values()
            copies = [(values, "original")]
            if rng.random() < DUPLICATE_SHARE:
                copies.append(self._variant(values))
            home = rng.choice(homes)
            for copy, variant in copies:
                if variant != "original" and rng.random() < MOVED_SHARE:
                    variant = f"{variant}, moved house"
                    home = self._moved(home, homes)
                year, month, day = copy["dob"]
                persons.append(
                    Person(
                        dob_year=year,
                        dob_month=month,
                        dob_day=day,
                        gender=copy["gender"],
                        ethnicity=copy["ethnicity"],
                        created_at=self.now,
                    )
                )
                values_of.append((copy, variant, identity, home))
            if len(persons) >= BATCH:
                self._flush_people(persons, values_of, names, truth, links)
            self.progress("people", identity + 1, count)
        self._flush_people(persons, values_of, names, truth, links)
        self.result.people = count
        return self.person_ids

    @transaction.atomic
    def _flush_people(self, persons, values_of, names, truth, links) -> None:
        if not persons:
            return
        created = Person.objects.bulk_create(persons, batch_size=BATCH)
        person_type = ContentType.objects.get_for_model(Person)
        history = []
        for person, (values, variant, identity, home) in zip(created, values_of, strict=True):
            names.append(
                PersonName(
                    person_id=person.pk,
                    kind=NameKind.CURRENT,
                    given_names=values["given"],
                    family_name=values["family"],
                    first_known=True,
                    recorded_at=self.now,
                )
            )
            links.append(
                PersonLocationLink(
                    person_id=person.pk, location=home, kind=PlaceRole.LIVES_AT, created_at=self.now
                )
            )
            truth.append(SyntheticIdentity(person_id=person.pk, identity=identity, variant=variant))
            history.append(
                RecordChange(
                    content_type=person_type,
                    object_id=person.pk,
                    at=self.now,
                    actor_name="synthetic force generator",
                    action="create",
                    summary=f"Created as {values['given']} {values['family']}",
                )
            )
            if variant != "original":
                self.result.duplicates += 1
        PersonName.objects.bulk_create(names, batch_size=BATCH)
        PersonLocationLink.objects.bulk_create(links, batch_size=BATCH)
        SyntheticIdentity.objects.bulk_create(truth, batch_size=BATCH)
        RecordChange.objects.bulk_create(history, batch_size=BATCH)
        ids = [p.pk for p in created]
        self._write_match_keys(created, values_of)
        self.person_ids = getattr(self, "person_ids", [])
        self.person_ids.extend(ids)
        persons.clear(), values_of.clear(), names.clear(), truth.clear(), links.clear()

    def _write_match_keys(self, created, values_of) -> None:
        """The people's blocking keys and match records, worked out from what was just generated
        (the same rows people.records.reindex would compute from the database) and inserted in
        one statement each."""
        rows, match_records = [], []
        for person, (values, _, _, home) in zip(created, values_of, strict=True):
            record = nominal(
                person.pk,
                names=[(values["given"], values["family"])],
                dob=BirthDate(*values["dob"]),
                gender=values["gender"],
                postcodes={home.postcode},
                streets={home.line1},
                towns={home.town},
            )
            rows.extend((person.pk, key) for key in sorted(record_keys(record)))
            match_records.append((person.pk, dump_nominal(record)))
        table = PersonKey._meta.db_table
        records_table = PersonMatchRecord._meta.db_table
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} (person_id, key) VALUES (%s, %s)", rows)  # noqa: S608
            cursor.executemany(
                f"INSERT INTO {records_table} (person_id, record) VALUES (%s, %s)",  # noqa: S608
                match_records,
            )
