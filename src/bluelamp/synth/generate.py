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

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from faker import Faker
from nicknames import NickNamer

from bluelamp.accounts.models import SYNTHETIC_EMAIL_DOMAIN, Unit, User
from bluelamp.accounts.roles import Role, UnitKind
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core.models import Location

from .bulk import BATCH, POSTCODES, UNIT_LETTERS
from .event_rows import INCIDENTS_PER_PERSON_YEAR, EventRows
from .names import british_names
from .people_rows import PeopleRows
from .profile import load as load_profile
from .protection_history import missing_episodes
from .safeguarding_history import safeguarding_history
from .safeguarding_work import safeguarding_work

# People on record: everyone involved in at least one event; the pool is sized so that repeat
# involvement follows the Pareto weights below.
PEOPLE_PER_EVENT = 0.8
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


@dataclass
class Generated:
    districts: int = 0
    officers: int = 0
    people: int = 0
    duplicates: int = 0
    locations: int = 0
    events: Counter = field(default_factory=Counter)
    safeguarding: dict = field(default_factory=dict)  # referrals, marac, notices

    @property
    def total_events(self) -> int:
        return sum(self.events.values())


class ForceGenerator(PeopleRows, EventRows):
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
                f"{rng.choice(UNIT_LETTERS)}{rng.choice(UNIT_LETTERS)}"
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
        with transaction.atomic():  # missing episodes (issue 17)
            missing_episodes(rng=self.rng, now=self.now)
        # Referrals, DASH, MARAC and Encompass (issue 17), in batches that commit as they go.
        self.result.safeguarding = safeguarding_history(
            rng=self.rng, now=self.now, units=self.units
        )
        # What follows them: duties, notes, ratings, MARAC meetings and actions.
        self.result.safeguarding.update(safeguarding_work(rng=self.rng, now=self.now))
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
                "safeguarding": self.result.safeguarding,
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
