"""The demo force: the synthetic force generator at demo scale (synth/generate.py), one signed-in
user per role, and live work created through the services: incidents awaiting a recording
decision, an allocated crime awaiting review, a restricted crime (here), and calls, crimes,
investigations, QA, an outcome and victims along the whole journey (demo_work.py), and a day in a
MASH (mash.py: a late medium-risk referral, a high-risk DASH that opened MARAC)."""

from __future__ import annotations

import base64
import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from bluelamp.accounts.models import Unit, User
from bluelamp.accounts.roles import Role
from bluelamp.accounts.services import create_user
from bluelamp.core import restriction
from bluelamp.crime import incidents, recording, supervision
from bluelamp.duties.worker import drain_outbox

from .demo_work import PortalSignIn, live_journey
from .generate import ForceGenerator
from .mash import mash_day

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


@dataclass
class DemoForce:
    force: Unit
    users: dict[str, User]
    people: int
    events: int
    portal: PortalSignIn


def totp_key_for(username: str) -> str:
    """A fixed, per-user demo secret so that sign-in codes can be shown by ``bluelamp code``."""
    return (f"bluelamp-demo-{username}".encode().hex() + "00" * 20)[:40]


def base32_secret(hex_key: str) -> str:
    return base64.b32encode(bytes.fromhex(hex_key)).decode().rstrip("=")


@transaction.atomic
def create_demo_users(units: dict[str, Unit]) -> dict[str, User]:
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
    return users


@transaction.atomic
def live_work(users: dict[str, User], units: dict[str, Unit], seed: int) -> int:
    """A few things happening now, through the services, so each demo user has work waiting:
    incidents awaiting a recording decision (one already overdue), a crime allocated to the
    investigator awaiting the sergeant's review, and a restricted crime."""
    rng = random.Random(seed)
    handler, sergeant = users["handler"], users["sergeant"]
    team = units["preston-response"]
    now = timezone.now()
    made = 0
    for hours_ago, summary in [
        (30, "Pedal cycle stolen from a garden, Fishergate"),
        (5, "Window smashed at a shop, Friargate"),
        (1, "Caller reports her phone taken from her bag, Preston bus station"),
    ]:
        incidents.report_incident(
            actor=handler,
            summary=summary,
            owning_unit=team,
            may_be_crime=True,
            reported_at=now - dt.timedelta(hours=hours_ago, minutes=rng.randint(0, 50)),
        )
        made += 1
    assault = incidents.report_incident(
        actor=handler,
        summary="Assault outside a bar, Church Street",
        owning_unit=team,
        may_be_crime=True,
        reported_at=now - dt.timedelta(hours=3),
    )
    decision = recording.record_recording_decision(
        actor=users["response"],
        incident=assault,
        decision="crimed",
        reason="Victim's account, injuries seen by the attending officer",
        crime_summary="Assault occasioning actual bodily harm, Church Street",
        offence_code="8N",  # assault with injury (reference/data/ho_offence_codes_2017_18.csv)
    )
    supervision.allocate(actor=sergeant, event=decision.crime, officer=users["investigator"])
    made += 2
    # A crime whose victim is a member of staff: restricted to the supervisor and the
    # investigator; to everyone else it does not exist. Recorded through crime recording like
    # every crime (one door per record: issue 16).
    staff_crime = recording.record_crime(
        actor=handler,
        owning_unit=units["preston-cid"],
        summary="Harassment of a member of staff (restricted)",
        offence_code="8L",  # harassment (reference/data/ho_offence_codes_2017_18.csv)
    ).event
    supervision.allocate(actor=sergeant, event=staff_crime, officer=users["investigator"])
    restriction.restrict_record(
        actor=sergeant,
        record=staff_crime,
        reason="Victim is a member of staff",
        grant_to=[users["investigator"]],
    )
    return made + 1


def build_demo_force(*, seed: int = 2026, population: int = 50_000, progress=None) -> DemoForce:
    """The demo: a synthetic force from the real generator, one user per role, and live work."""
    generator = ForceGenerator(population=population, years=1, seed=seed, progress=progress)
    with transaction.atomic():
        units = generator.build_units()
    users = create_demo_users(units)
    result = generator.run()
    live = live_work(users, units, seed)
    journey = live_journey(users, units)
    mash = mash_day(users, units)  # a day in a MASH (sign in as "mash")
    # The worker's side effects of the live work (victim support referrals, the satisfaction
    # survey after the outcome) are queued now, as the worker would, so the demo shows them.
    while drain_outbox(worker_id="demo", limit=500):
        pass
    return DemoForce(
        force=units["force"],
        users=users,
        people=result.people + result.duplicates,
        events=result.total_events + live + journey.made + mash.referrals,
        portal=journey.portal,
    )
