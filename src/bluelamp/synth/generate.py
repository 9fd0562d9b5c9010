"""A synthetic force at real scale: districts and teams, officers, people (with the duplicates and
variants that make matching hard, and a record of which records are the same person), places in
real Lancashire LSOAs, and years of incidents, crimes, ASB, domestic abuse and missing episodes.

The crime-type mix, the monthly rhythm and the spread over neighbourhoods come from the real
police.uk data (synth/profile.py). Who is involved follows heavy tails: a few victims, places and
offenders account for much of the demand (Pareto weights), as the reports describe.

This is the fast bulk path: rows are written with bulk_create in batches, with the same tables,
references, history rows, match keys and duties the services would write. One audit event records
the run (the records are created by the system, not read by a person)."""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from faker import Faker
from nicknames import NickNamer

from bluelamp.accounts.models import SYNTHETIC_EMAIL_DOMAIN, Unit, User
from bluelamp.accounts.roles import Role, UnitKind
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core.choices import (
    Ethnicity,
    EventKind,
    EventRole,
    EventStatus,
    Gender,
    NameKind,
    PlaceRole,
    Relationship,
)
from bluelamp.core.models import (
    Event,
    Location,
    Person,
    PersonEventLink,
    PersonLocationLink,
    PersonName,
    PersonRelationship,
    RecordChange,
    ReferenceCounter,
)
from bluelamp.crime.models import Decision, IncidentReport, RecordingDecision
from bluelamp.crime.policies import NCRS_RECORDING_DECISION
from bluelamp.duties.models import Duty, Outcome
from bluelamp.people.blocking import record_keys
from bluelamp.people.models import PersonKey, PersonMatchRecord
from bluelamp.people.normalise import BirthDate, dump_nominal, nominal

from .models import SyntheticIdentity
from .names import british_names
from .profile import load as load_profile
from .protection_history import encompass_history, missing_episodes

BATCH = 5000
# Lancashire 2023 (issue 3, from the force's published figures): about 540,000 incidents created
# for a population of about 1,500,000 in a year. Crime and ASB rates come from the police.uk data.
INCIDENTS_PER_PERSON_YEAR = 540_000 / 1_500_000
# People on record: everyone involved in at least one event; the pool is sized so that repeat
# involvement follows the Pareto weights below.
PEOPLE_PER_EVENT = 0.8
DUPLICATE_SHARE = 0.08  # share of people recorded a second time, with a variant
# Of those second records, the share made after the person moved house: a real force's people
# move, so two records of one person need not share an address (issue 18). An assumption, as is
# the share of moves within the same district.
MOVED_SHARE = 0.3
PARETO_SHAPE = 1.2
DOMESTIC_SHARE = 0.3  # of violence and sexual offences: domestic abuse
SUSPECT_SHARE = 0.45
MISSING_SHARE = 0.02  # of non-crime incidents: missing person episodes
LATE_DECISION_SHARE = 0.05  # an assumption for the demo: about one recording decision in 20
HQ_TEAMS = [
    ("control-room", "Force Control Room", Role.CALL_HANDLER),
    ("imu", "Investigations Management Unit", Role.QUALITY_ASSURANCE),
    ("mash", "Multi-Agency Safeguarding Hub", Role.SAFEGUARDING),
    ("iom", "Integrated Offender Management", Role.OFFENDER_MANAGER),
    ("analysis", "Force Analysis", Role.ANALYST),
    ("command", "Chief Officer Team", Role.SENIOR_LEADER),
    ("professional-standards", "Professional Standards", Role.AUDITOR),
    ("ict", "ICT Service Desk", Role.ADMINISTRATOR),
]
DISTRICT_TEAMS = [
    ("response", "Response", Role.RESPONSE_OFFICER),
    ("cid", "CID", Role.INVESTIGATOR),
    ("nht", "Neighbourhood Team", Role.NEIGHBOURHOOD),
]
# Postcode districts of each Lancashire local authority (Royal Mail; reference, not statistics).
POSTCODES = {
    "Blackburn with Darwen": ["BB1", "BB2", "BB3"],
    "Blackpool": ["FY1", "FY2", "FY3", "FY4"],
    "Burnley": ["BB10", "BB11", "BB12"],
    "Chorley": ["PR6", "PR7"],
    "Fylde": ["FY8", "PR4"],
    "Hyndburn": ["BB5"],
    "Lancaster": ["LA1", "LA2", "LA3", "LA4", "LA5"],
    "Pendle": ["BB8", "BB9", "BB18"],
    "Preston": ["PR1", "PR2", "PR3"],
    "Ribble Valley": ["BB7", "BB6"],
    "Rossendale": ["BB4"],
    "South Ribble": ["PR5", "PR25", "PR26"],
    "West Lancashire": ["L39", "L40", "WN8"],
    "Wyre": ["FY5", "FY6", "FY7", "PR3"],
}
_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
ETHNICITIES = list(Ethnicity.values)


@dataclass
class Generated:
    districts: int = 0
    officers: int = 0
    people: int = 0
    duplicates: int = 0
    locations: int = 0
    events: Counter = field(default_factory=Counter)

    @property
    def total_events(self) -> int:
        return sum(self.events.values())


def _pareto_weights(rng: random.Random, n: int) -> list[float]:
    """Cumulative Pareto weights for n items, for ``rng.choices(..., cum_weights=...)``, which
    then picks in O(log n) (plain weights would be summed again on every pick)."""
    return list(itertools.accumulate(rng.paretovariate(PARETO_SHAPE) for _ in range(n)))


def _month_weights(profile: dict) -> list[float]:
    """Weight of each calendar month: the observed months as counted, the others at the mean of
    the observed (the public extract covers four winter months)."""
    observed = {int(k[5:7]): v for k, v in profile["months"].items()}
    mean = sum(observed.values()) / len(observed)
    return [observed.get(month, mean) for month in range(1, 13)]


def _random_moment(rng: random.Random, start: dt.date, days: int, months: list[float]):
    while True:
        day = start + dt.timedelta(days=rng.randrange(days))
        if rng.random() * max(months) <= months[day.month - 1]:
            break
    seconds = rng.randrange(24 * 3600)
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC) + dt.timedelta(seconds=seconds)


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


class ForceGenerator:
    def __init__(
        self,
        *,
        population: int,
        years: int,
        seed: int,
        districts: int | None = None,
        progress: Callable[[str, int, int], None] | None = None,
        end: dt.date | None = None,
    ):
        self.population, self.years, self.seed = population, years, seed
        self.rng = random.Random(seed)
        self.fake = Faker("en_GB")
        self.fake.seed_instance(seed)
        self.profile = load_profile()
        self.progress = progress or (lambda stage, done, total: None)
        self.end = end or timezone.now().date()
        self.start = self.end - dt.timedelta(days=365 * years)
        lad_counts = Counter()
        for info in self.profile["lsoas"].values():
            lad_counts[info["district"]] += info["count"]
        chosen = [lad for lad, _ in lad_counts.most_common(districts)]
        self.lsoas = [
            (code, info)
            for code, info in self.profile["lsoas"].items()
            if info["district"] in chosen
        ]
        self.lsoa_weights = [max(info["count"], 1) for _, info in self.lsoas]
        self.district_names = sorted(chosen)
        self.result = Generated()
        self.nicknames = NickNamer()
        self.names = british_names()
        self._touched_days: set[dt.date] = set()
        self.now = timezone.now()

    # --- units and officers ------------------------------------------------------------------

    def build_units(self) -> dict[str, Unit]:
        units = {}
        force = Unit.objects.filter(kind=UnitKind.FORCE).first()
        if force is None:
            force = Unit(name=settings.BLUELAMP_FORCE_NAME, code="force", kind=UnitKind.FORCE)
            force.save()
        units["force"] = force
        for code, name, _ in HQ_TEAMS:
            units[code] = Unit.objects.filter(code=code).first() or self._unit(
                name, code, UnitKind.TEAM, force
            )
        for lad in self.district_names:
            code = slugify(lad)
            district = Unit.objects.filter(code=code).first() or self._unit(
                lad, code, UnitKind.DISTRICT, force
            )
            units[code] = district
            for suffix, label, _ in DISTRICT_TEAMS:
                team_code = f"{code}-{suffix}"
                units[team_code] = Unit.objects.filter(code=team_code).first() or self._unit(
                    f"{lad} {label}", team_code, UnitKind.TEAM, district
                )
        self.units = units
        self.result.districts = len(self.district_names)
        return units

    def _unit(self, name, code, kind, parent) -> Unit:
        unit = Unit(name=name, code=code, kind=kind, parent=parent)
        unit.save()
        return unit

    def build_officers(self) -> list[User]:
        """Officers in every role, about one per 400 people, with no usable password: they are
        workload owners, not accounts anyone signs in to."""
        total = max(len(self.district_names) * 6, self.population // 400)
        officers = []
        slots = [
            (f"{lad}-{s}", role)
            for lad in map(slugify, self.district_names)
            for s, _, role in DISTRICT_TEAMS
        ]
        slots += [(code, role) for code, _, role in HQ_TEAMS]
        slots += [(f"{slugify(lad)}-response", Role.SUPERVISOR) for lad in self.district_names]
        taken = set(User.objects.values_list("username", flat=True))
        for n in range(total):
            team, role = slots[n % len(slots)]
            username = f"synth-{self.seed}-{n}"
            if username in taken:
                continue
            user = User(
                username=username,
                first_name=self.fake.first_name(),
                last_name=self.fake.last_name(),
                role=role,
                unit=self.units[team],
                collar_number=str(10000 + n),
                email=f"{username}@{SYNTHETIC_EMAIL_DOMAIN}",
            )
            user.set_unusable_password()
            officers.append(user)
        User.objects.bulk_create(officers, batch_size=BATCH)
        self.officers = list(User.objects.filter(username__startswith=f"synth-{self.seed}-"))
        self.result.officers = len(self.officers)
        return self.officers

    # --- places ------------------------------------------------------------------------------

    def build_locations(self, count: int) -> list[Location]:
        rng = self.rng
        picks = rng.choices(range(len(self.lsoas)), weights=self.lsoa_weights, k=count)
        rows = []
        for i in picks:
            code, info = self.lsoas[i]
            street = rng.choice(info["streets"]) if info["streets"] else self.fake.street_name()
            district = POSTCODES.get(info["district"], ["PR1"])
            postcode = (
                f"{rng.choice(district)} {rng.randint(1, 9)}"
                f"{rng.choice(_UNIT_LETTERS)}{rng.choice(_UNIT_LETTERS)}"
            )
            jitter = lambda: rng.uniform(-0.004, 0.004)  # noqa: E731
            rows.append(
                Location(
                    line1=f"{rng.randint(1, 180)} {street}",
                    town=info["district"],
                    postcode=postcode,
                    lsoa_code=code,
                    latitude=round(info["lat"] + jitter(), 6) if info["lat"] else None,
                    longitude=round(info["lon"] + jitter(), 6) if info["lon"] else None,
                    district=self.units[slugify(info["district"])],
                    created_at=self.now,
                )
            )
        created = Location.objects.bulk_create(rows, batch_size=BATCH)
        self.result.locations += count
        return created

    # --- people ------------------------------------------------------------------------------

    def _person_values(self):
        rng = self.rng
        gender = rng.choice([Gender.MALE, Gender.FEMALE])
        given = self.names.given_name(rng, male=gender == Gender.MALE)
        # Age at the end of the period: most people on police records are 15 to 50.
        age = min(max(int(rng.gauss(32, 15)), 10), 95)
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

    # --- events ------------------------------------------------------------------------------

    def _rates(self) -> tuple[float, float, list[str], list[float]]:
        """Crimes and ASB per person per year, and the crime-type mix, from the police.uk data."""
        profile = self.profile
        months = len(profile["months"])
        types = {k: v for k, v in profile["types"].items() if k != "Anti-social behaviour"}
        per_year = 12 / months / profile["population"]
        crime_rate = sum(types.values()) * per_year
        asb_rate = profile["types"].get("Anti-social behaviour", 0) * per_year
        return crime_rate, asb_rate, list(types), list(types.values())

    def build_events(self) -> None:
        rng = self.rng
        crime_rate, asb_rate, crime_types, type_weights = self._rates()
        person_years = self.population * self.years
        crimes = round(crime_rate * person_years)
        asb = round(asb_rate * person_years)
        other = max(round(INCIDENTS_PER_PERSON_YEAR * person_years) - crimes - asb, 0)
        kinds = ["crime"] * crimes + ["asb"] * asb + ["incident"] * other
        rng.shuffle(kinds)
        total = len(kinds)
        places = self.build_locations(max(total // 3, 1))
        place_weights = _pareto_weights(rng, len(places))
        people = self.person_ids
        victim_weights = _pareto_weights(rng, len(people))
        prolific = rng.sample(people, max(len(people) // 20, 1))
        offender_weights = _pareto_weights(rng, len(prolific))
        teams = {code: [o for o in self.officers if o.unit.code == code] for code in self.units}
        days = max((self.end - self.start).days, 1)
        months = _month_weights(self.profile)
        counters = dict(ReferenceCounter.objects.values_list("day", "last"))
        outcomes = self.profile["outcomes"]
        event_type = ContentType.objects.get_for_model(Event)
        batch: list[dict] = []
        for n, kind in enumerate(kinds):
            moment = _random_moment(rng, self.start, days, months)
            place = rng.choices(places, cum_weights=place_weights)[0]
            district = place.district.code
            entry = {"kind": kind, "at": moment, "place": place, "district": district}
            entry["caller"] = rng.choices(people, cum_weights=victim_weights)[0]
            if kind == "crime":
                crime_type = rng.choices(crime_types, weights=type_weights)[0]
                mix = outcomes.get(crime_type, {"Under investigation": 1})
                entry["type"] = crime_type
                entry["outcome"] = rng.choices(list(mix), weights=list(mix.values()))[0]
                if rng.random() < SUSPECT_SHARE:
                    suspect = rng.choices(prolific, cum_weights=offender_weights)[0]
                    if suspect != entry["caller"]:
                        entry["suspect"] = suspect
                        if (
                            crime_type == "Violence and sexual offences"
                            and rng.random() < DOMESTIC_SHARE
                        ):
                            entry["domestic"] = True
                entry["decider"] = rng.choice(teams.get(f"{district}-response") or self.officers)
                entry["oic"] = rng.choice(teams.get(f"{district}-cid") or self.officers)
                # Most recording decisions are made within the NCRS 24 hours; some are late.
                if rng.random() < LATE_DECISION_SHARE:
                    delay = dt.timedelta(hours=rng.uniform(24.5, 96))
                else:
                    delay = dt.timedelta(minutes=min(rng.expovariate(1 / 180), 23 * 60))
                entry["decided"] = min(moment + delay, self.now)
            elif kind == "incident" and rng.random() < MISSING_SHARE:
                entry["kind"] = "missing"
            batch.append(entry)
            if len(batch) >= BATCH:
                self._flush_events(batch, counters, event_type)
            self.progress("events", n + 1, total)
        self._flush_events(batch, counters, event_type)

    @staticmethod
    def _save_counters(counters: dict, days: set) -> None:
        for day in days:
            if not ReferenceCounter.objects.filter(day=day).update(last=counters[day]):
                ReferenceCounter.objects.create(day=day, last=counters[day])

    def _reference(self, counters: dict, moment: dt.datetime) -> str:
        day = timezone.localtime(moment).date()
        counters[day] = counters.get(day, 0) + 1
        self._touched_days.add(day)
        return f"{settings.BLUELAMP_FORCE_CODE}-{day:%Y%m%d}-{counters[day]:05d}"

    @transaction.atomic
    def _flush_events(self, batch: list[dict], counters: dict, event_type) -> None:
        """One batch of events with everything that hangs off them, and the reference counters
        of the days they fall on, in one transaction: a run stopped half way leaves whole
        batches and references that the services can carry on from."""
        if not batch:
            return
        batch.sort(key=lambda e: e["at"])
        events, owners = [], []
        for entry in batch:
            team = self.units[f"{entry['district']}-response"]
            kind = {
                "crime": EventKind.INCIDENT,
                "asb": EventKind.ASB,
                "missing": EventKind.MISSING,
            }.get(entry["kind"], EventKind.INCIDENT)
            street = entry["place"].line1.split(" ", 1)[-1]
            summary = {
                "crime": f"Report: {entry.get('type', '')} on or near {street}",
                "asb": f"Anti-social behaviour on or near {street}",
                "missing": "Missing person report",
                "incident": f"Call for service on or near {street}",
            }[entry["kind"]]
            events.append(
                Event(
                    kind=kind,
                    reference=self._reference(counters, entry["at"]),
                    summary=summary,
                    reported_at=entry["at"],
                    occurred_from=entry["at"],
                    location=entry["place"],
                    owning_unit=team,
                    status=EventStatus.CLOSED,
                    created_at=self.now,
                )
            )
            owners.append(entry)
            if entry["kind"] == "crime":
                closed = entry["outcome"] not in ("Under investigation", "Awaiting court outcome")
                events.append(
                    Event(
                        kind=EventKind.CRIME,
                        reference=self._reference(counters, entry["decided"]),
                        summary=f"{entry['type']} on or near {street}",
                        reported_at=entry["at"],
                        occurred_from=entry["at"],
                        location=entry["place"],
                        owning_unit=self.units[f"{entry['district']}-cid"],
                        officer_in_case=entry["oic"],
                        status=EventStatus.CLOSED if closed else EventStatus.OPEN,
                        created_at=self.now,
                    )
                )
                owners.append(None)
        created = Event.objects.bulk_create(events, batch_size=BATCH)
        links, reports, decisions, duties, history, relationships = [], [], [], [], [], []
        incident, incident_entry = None, None
        for event, entry in zip(created, owners, strict=True):
            history.append(
                RecordChange(
                    content_type=event_type,
                    object_id=event.pk,
                    at=self.now,
                    actor_name="synthetic force generator",
                    action="create",
                    summary=event.summary,
                )
            )
            if entry is None:  # the crime recorded from the incident before it
                crime_entry = incident_entry
                decisions.append(
                    RecordingDecision(
                        incident_id=incident.pk,
                        decision=Decision.CRIMED,
                        reason="Victim's account (synthetic)",
                        crime_id=event.pk,
                        decided_by=crime_entry["decider"],
                        decided_at=crime_entry["decided"],
                    )
                )
                duties.append(
                    Duty(
                        policy=NCRS_RECORDING_DECISION.name,
                        rule=NCRS_RECORDING_DECISION.rule,
                        subject_type=event_type,
                        subject_id=incident.pk,
                        subject_label=incident.reference,
                        about_event_id=incident.pk,
                        owner_unit=incident.owning_unit,
                        queue="crime-recording",
                        opened_at=incident.reported_at,
                        due_at=NCRS_RECORDING_DECISION.deadline(incident.reported_at),
                        outcome=Outcome.DONE,
                        done_at=crime_entry["decided"],
                        done_by=crime_entry["decider"],
                        note="crime.recording_decision_made",
                    )
                )
                links.append(
                    PersonEventLink(
                        person_id=crime_entry["caller"],
                        event_id=event.pk,
                        role=EventRole.VICTIM,
                        created_at=self.now,
                    )
                )
                if "suspect" in crime_entry:
                    links.append(
                        PersonEventLink(
                            person_id=crime_entry["suspect"],
                            event_id=event.pk,
                            role=EventRole.SUSPECT,
                            created_at=self.now,
                        )
                    )
                    if crime_entry.get("domestic"):
                        relationships.append(
                            PersonRelationship(
                                person_id=crime_entry["caller"],
                                other_id=crime_entry["suspect"],
                                kind=self.rng.choice(
                                    [Relationship.PARTNER, Relationship.EX_PARTNER]
                                ),
                                created_at=self.now,
                            )
                        )
                self.result.events["crime"] += 1
                continue
            incident, incident_entry = event, entry
            role = EventRole.SUBJECT if entry["kind"] == "missing" else EventRole.CALLER
            links.append(
                PersonEventLink(
                    person_id=entry["caller"], event_id=event.pk, role=role, created_at=self.now
                )
            )
            if event.kind == EventKind.INCIDENT:
                reports.append(
                    IncidentReport(incident_id=event.pk, may_be_crime=entry["kind"] == "crime")
                )
            self.result.events[entry["kind"] if entry["kind"] != "crime" else "incident"] += 1
        PersonEventLink.objects.bulk_create(links, batch_size=BATCH, ignore_conflicts=True)
        IncidentReport.objects.bulk_create(reports, batch_size=BATCH)
        RecordingDecision.objects.bulk_create(decisions, batch_size=BATCH)
        Duty.objects.bulk_create(duties, batch_size=BATCH)
        RecordChange.objects.bulk_create(history, batch_size=BATCH)
        PersonRelationship.objects.bulk_create(relationships, batch_size=BATCH)
        self._save_counters(counters, self._touched_days)
        self._touched_days.clear()
        batch.clear()

    # --- the whole force ---------------------------------------------------------------------

    def run(self) -> Generated:
        if connection.vendor == "sqlite":
            # SQLite's default page cache is 2 MB; with millions of rows every index insert would
            # go to disk. 1 GB keeps the indexes being written in memory (this connection only).
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -1048576")
        with transaction.atomic():
            self.build_units()
            self.build_officers()
        crime_rate, asb_rate, _, _ = self._rates()
        events = self.population * self.years * (INCIDENTS_PER_PERSON_YEAR + crime_rate)
        # Batches commit as they go (each whole): one transaction of millions of rows makes
        # SQLite's write-ahead log, and so every later statement, slower and slower.
        self.build_people(max(round(events * PEOPLE_PER_EVENT / (1 + self.years)), 10))
        self.build_events()
        with transaction.atomic():  # missing episodes and Encompass notices (issue 17)
            missing_episodes(rng=self.rng, now=self.now)
            encompass_history(rng=self.rng, now=self.now)
        audit.record(
            actor=None,
            action=Action.CREATE,
            record_type="synthetic force",
            label=f"synthetic force: population {self.population}, {self.years} year(s), "
            f"seed {self.seed}",
            detail={
                "people": self.result.people,
                "duplicates": self.result.duplicates,
                "events": dict(self.result.events),
            },
        )
        return self.result

    def run_people_only(self, people: int) -> Generated:
        """Only districts, homes and ``people`` people (plus the planted duplicates), no events:
        a nominal index of matching scale (bench/) without generating years of work."""
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -1048576")
        with transaction.atomic():
            self.build_units()
        self.build_people(people)
        self.person_ids = []
        audit.record(
            actor=None,
            action=Action.CREATE,
            record_type="synthetic force",
            label=f"synthetic people only: {people} people, seed {self.seed}",
            detail={"people": self.result.people, "duplicates": self.result.duplicates},
        )
        return self.result


def generate_force(**options) -> Generated:
    return ForceGenerator(**options).run()


def generate_people(*, people: int, seed: int, progress=None) -> Generated:
    """People only (``bluelamp synth --people-only N``): see ForceGenerator.run_people_only."""
    return ForceGenerator(population=people, years=1, seed=seed, progress=progress).run_people_only(
        people
    )
