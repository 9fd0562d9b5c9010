"""A small demo force built through the real services: units, one user per role, people,
places, vehicles, events and their links, and one restricted record.

This is the placeholder the foundation issue allows until the full synthetic-force generator
lands; everything it creates goes through the same services as the web pages (so history and
audit are real)."""

from __future__ import annotations

import base64
import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from faker import Faker

from bluelamp.accounts.models import Unit, User
from bluelamp.accounts.roles import Role, UnitKind
from bluelamp.accounts.services import create_unit, create_user
from bluelamp.core import services as core
from bluelamp.core.choices import Ethnicity, EventKind, EventRole, Gender, ObjectKind, PlaceRole

DEMO_PASSWORD = "bluelamp-demo-2026"  # noqa: S105 - printed for the demo, refused in production

# (username, role, team code, first name, last name)
DEMO_USERS = [
    ("handler", Role.CALL_HANDLER, "control-room", "Casey", "Hall"),
    ("response", Role.RESPONSE_OFFICER, "preston-response", "Riley", "Price"),
    ("investigator", Role.INVESTIGATOR, "preston-cid", "Ines", "Varga"),
    ("sergeant", Role.SUPERVISOR, "preston-response", "Sam", "Okafor"),
    ("qa", Role.QUALITY_ASSURANCE, "imu", "Quinn", "Adams"),
    ("mash", Role.SAFEGUARDING, "mash", "Morgan", "Shah"),
    ("pcso", Role.NEIGHBOURHOOD, "preston-nht", "Nia", "Hughes"),
    ("iom", Role.OFFENDER_MANAGER, "iom", "Owen", "Marsh"),
    ("analyst", Role.ANALYST, "analysis", "Ana", "Lees"),
    ("chief", Role.SENIOR_LEADER, "command", "Chris", "Leigh"),
    ("auditor", Role.AUDITOR, "professional-standards", "Audrey", "Ito"),
    ("admin", Role.ADMINISTRATOR, "ict", "Ade", "Mills"),
]

# Real Lancashire postcode districts with a town, so demo addresses look like the force's own.
TOWNS = [
    ("Preston", "PR1"),
    ("Preston", "PR2"),
    ("Blackburn", "BB1"),
    ("Blackpool", "FY1"),
    ("Lancaster", "LA1"),
    ("Burnley", "BB11"),
    ("Chorley", "PR7"),
]


@dataclass
class DemoForce:
    force: Unit
    users: dict[str, User]
    people: int
    events: int


def totp_key_for(username: str) -> str:
    """A fixed, per-user demo secret so that sign-in codes can be shown by ``bluelamp code``."""
    return (f"bluelamp-demo-{username}".encode().hex() + "00" * 20)[:40]


def base32_secret(hex_key: str) -> str:
    return base64.b32encode(bytes.fromhex(hex_key)).decode().rstrip("=")


def build_units() -> tuple[Unit, dict[str, Unit]]:
    force = create_unit(name="Lancashire Constabulary (demo)", code="force", kind=UnitKind.FORCE)
    units = {"force": force}
    for code, name in [
        ("west", "West Division (Preston)"),
        ("east", "East Division (Blackburn)"),
        ("south", "South Division (Blackpool)"),
    ]:
        units[code] = create_unit(name=name, code=code, kind=UnitKind.DISTRICT, parent=force)
    for code, name, parent in [
        ("preston-response", "Preston Response Team 1", "west"),
        ("preston-cid", "Preston CID", "west"),
        ("preston-nht", "Preston City Neighbourhood Team", "west"),
        ("blackburn-response", "Blackburn Response Team 1", "east"),
        ("blackpool-response", "Blackpool Response Team 1", "south"),
        ("control-room", "Force Control Room", "force"),
        ("imu", "Investigations Management Unit", "force"),
        ("mash", "Multi-Agency Safeguarding Hub", "force"),
        ("iom", "Integrated Offender Management", "force"),
        ("analysis", "Force Analysis", "force"),
        ("command", "Chief Officer Team", "force"),
        ("professional-standards", "Professional Standards", "force"),
        ("ict", "ICT Service Desk", "force"),
    ]:
        units[code] = create_unit(name=name, code=code, kind=UnitKind.TEAM, parent=units[parent])
    return force, units


@transaction.atomic
def build_demo_force(*, seed: int = 2026, people: int = 120, events: int = 80) -> DemoForce:
    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    force, units = build_units()
    users = {}
    for i, (username, role, team, first, last) in enumerate(DEMO_USERS, start=1):
        users[username], _ = create_user(
            actor=None,
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            unit=units[team],
            first_name=first,
            last_name=last,
            email=f"{username}@demo.bluelamp.invalid",
            collar_number=f"{4000 + i}",
            totp_key=totp_key_for(username),
        )
    clerk = users["response"]
    handler = users["handler"]

    places = []
    for _ in range(max(10, people // 2)):
        town, district = rng.choice(TOWNS)
        postcode = (
            f"{district} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
            f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        )
        places.append(
            core.create_location(
                actor=clerk,
                line1=fake.street_address().split("\n")[0],
                town=town,
                postcode=postcode,
                district=units["west"]
                if district.startswith("PR")
                else units["east"]
                if district.startswith("BB")
                else units["south"],
            )
        )

    nominals = []
    this_year = timezone.localdate().year
    for _ in range(people):
        gender = rng.choice([Gender.MALE, Gender.FEMALE])
        given = fake.first_name_male() if gender == Gender.MALE else fake.first_name_female()
        year = this_year - rng.randint(12, 85)
        precision = rng.random()
        month = rng.randint(1, 12) if precision > 0.1 else None
        day = rng.randint(1, 28) if precision > 0.2 else None
        person = core.create_person(
            actor=clerk,
            given_names=given,
            family_name=fake.last_name(),
            dob_year=year,
            dob_month=month,
            dob_day=day,
            gender=gender,
            ethnicity=rng.choice(Ethnicity.values),
        )
        core.link_person_to_location(
            actor=clerk, person=person, location=rng.choice(places), kind=PlaceRole.LIVES_AT
        )
        if rng.random() < 0.3:
            core.add_identifier(
                actor=clerk,
                person=person,
                kind="phone",
                value=f"07700 9{rng.randint(0, 99999):05d}",
            )
        if rng.random() < 0.1:
            core.add_name(
                actor=clerk,
                person=person,
                kind="alias",
                given_names=fake.first_name(),
                family_name=person.names.first().family_name,
            )
        if rng.random() < 0.08:
            core.add_warning_marker(
                actor=clerk,
                person=person,
                kind=rng.choice(["violence", "weapons", "self_harm", "mental_health", "drugs"]),
                source="Demo record",
            )
        nominals.append(person)

    summaries = {
        EventKind.INCIDENT: [
            "Report of a disturbance in the street",
            "Concern for welfare",
            "Neighbour dispute, shouting heard",
        ],
        EventKind.CRIME: [
            "Burglary at a dwelling, rear door forced",
            "Theft of a pedal cycle",
            "Assault outside a licensed premises",
            "Criminal damage to a car",
        ],
        EventKind.ASB: ["Youths gathering and throwing stones", "Noise nuisance late at night"],
        EventKind.MISSING: ["Teenager not returned home from school"],
    }
    owners = [units["preston-response"], units["preston-cid"], units["preston-nht"]]
    now = timezone.now()
    made = 0
    for i in range(events):
        kind = rng.choice(list(summaries))
        occurred = now - dt.timedelta(hours=rng.randint(2, 24 * 60))
        event = core.record_event(
            actor=handler,
            kind=kind,
            summary=rng.choice(summaries[kind]),
            owning_unit=rng.choice(owners),
            occurred_from=occurred,
            reported_at=occurred + dt.timedelta(minutes=rng.randint(5, 300)),
            location=rng.choice(places),
            officer_in_case=users["investigator"]
            if i % 4 == 0
            else users["response"]
            if i % 4 == 1
            else None,
        )
        for role in (EventRole.VICTIM, EventRole.SUSPECT, EventRole.WITNESS)[: rng.randint(1, 3)]:
            core.link_person_to_event(
                actor=handler, person=rng.choice(nominals), event=event, role=role
            )
        if kind == EventKind.CRIME and rng.random() < 0.3:
            car = core.create_object(
                actor=clerk,
                kind=ObjectKind.VEHICLE,
                vrm=f"PN{rng.randint(10, 74)} {fake.lexify('???').upper()}",
                make=rng.choice(["Ford", "Vauxhall", "Nissan", "BMW"]),
                colour=rng.choice(["Silver", "Black", "Blue", "Red"]),
            )
            core.link_object_to_event(actor=clerk, obj=car, event=event, role="involved")
        made += 1

    # A crime whose victim is a member of staff: restricted to the supervisor and the
    # investigator; to everyone else it does not exist.
    staff_crime = core.record_event(
        actor=handler,
        kind=EventKind.CRIME,
        owning_unit=units["preston-cid"],
        summary="Harassment of a member of staff (restricted)",
        officer_in_case=users["investigator"],
    )
    core.restrict_record(
        actor=users["sergeant"],
        record=staff_crime,
        reason="Victim is a member of staff",
        grant_to=[users["investigator"]],
    )
    return DemoForce(force=force, users=users, people=people, events=made + 1)
