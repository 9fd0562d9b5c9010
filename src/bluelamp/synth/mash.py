"""Safeguarding in the synthetic force (issue 17): three MASH hubs whose coverage is the force's
postcode districts, and PVP referrals made through the services from domestic abuse incidents
(with and without children) and other concerns, with DASH answers whose scores spread over the
three levels and a 70% skew of referrals to the busiest hub (the 2018 report: "about 70% of all
referrals"); high scores open MARAC as they would in life.

``mash_day`` is the demo's day in a MASH: the queue has a late medium-risk referral and a
high-risk DASH that opened MARAC. Its one step not done through a service: the late referral
was submitted four days ago, so its times (and its triage duty's) are moved back, as demo_work
moves the priority call's grading back."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from bluelamp.accounts.models import Unit, User
from bluelamp.core import persons
from bluelamp.crime import incidents
from bluelamp.duties.models import Duty
from bluelamp.duties.services import duties_for
from bluelamp.safeguarding import mash, routing, services
from bluelamp.safeguarding.models import AreaKind, Hub, MaracCase, Referral
from bluelamp.safeguarding.risk import DASH_TOPICS

from .bulk import POSTCODES

# (hub code, name, local authorities covered). The first is the busiest (Preston and the
# centre: 70% of referrals in the 2018 report); every Lancashire authority is in one hub.
HUBS = [
    ("central", "Central MASH (Preston)", ["Preston", "South Ribble", "Chorley", "Fylde"]),
    (
        "east",
        "East MASH (Blackburn)",
        ["Blackburn with Darwen", "Burnley", "Hyndburn", "Pendle", "Ribble Valley", "Rossendale"],
    ),
    ("north", "North and West MASH", ["Lancaster", "Blackpool", "Wyre", "West Lancashire"]),
]
SKEW = [0.70, 0.15, 0.15]
OTHER_CONCERNS = ["adult_at_risk", "mental_health", "child", "exploitation", "hate", "other"]


@dataclass
class MashDay:
    referrals: int
    late: Referral | None
    high: Referral | None


def build_hubs(units: dict[str, Unit]) -> list[Hub]:
    """The three hubs and their postcode districts (a district two authorities share goes to the
    first hub that lists it: coverage is one hub per area)."""
    hubs, taken = [], set()
    for n, (code, name, authorities) in enumerate(HUBS):
        unit = units.get("mash") if n == 0 else units.get(authorities[0].lower().replace(" ", "-"))
        hub, _ = Hub.objects.update_or_create(code=code, defaults={"name": name, "unit": unit})
        districts = [d for lad in authorities for d in POSTCODES.get(lad, []) if d not in taken]
        taken.update(districts)
        routing.set_coverage(hub=hub, kind=AreaKind.POSTCODE_DISTRICT, codes=districts)
        hubs.append(hub)
    return hubs


def _answers(rng: random.Random, yes: int) -> dict:
    numbers = list(DASH_TOPICS)
    chosen = set(rng.sample(numbers, yes))
    return {
        str(n): {"answer": "yes" if n in chosen else rng.choice(["no", "no", "not_known"])}
        for n in numbers
    }


def _score(rng: random.Random) -> int:
    """Spread over the levels: most standard, a quarter medium, about one in seven high."""
    band = rng.choices(["standard", "medium", "high"], weights=[60, 25, 15])[0]
    return {"standard": rng.randint(0, 9), "medium": rng.randint(10, 13)}.get(
        band, rng.randint(14, 22)
    )


def _postcode(rng: random.Random, hub_index: int) -> str:
    districts = [d for lad in HUBS[hub_index][2] for d in POSTCODES.get(lad, [])]
    return f"{rng.choice(districts)} {rng.randint(1, 9)}AB"


def _person(rng, actor, fake_names, adult=True) -> object:
    given, family = rng.choice(fake_names)
    year = timezone.now().year - (rng.randint(18, 70) if adult else rng.randint(4, 15))
    return persons.create_person(
        actor=actor,
        given_names=given,
        family_name=family,
        dob_year=year,
        dob_month=rng.randint(1, 12),
        dob_day=rng.randint(1, 28),
    )


NAMES = [
    ("Amelia", "Hargreaves"), ("Jack", "Ashworth"), ("Sophie", "Pilling"), ("Liam", "Haworth"),
    ("Grace", "Entwistle"), ("Mohammed", "Patel"), ("Chloe", "Whittaker"), ("Noah", "Duckworth"),
    ("Aisha", "Hussain"), ("Ryan", "Holden"), ("Megan", "Sutcliffe"), ("Tom", "Cunliffe"),
]  # fmt: skip


def make_referrals(
    *, officer: User, team: Unit, count: int, seed: int, hubs: list[Hub]
) -> list[Referral]:
    """``count`` referrals through the services, two in three domestic abuse (half of those with
    a child present), each from an incident, 70% to the busiest hub."""
    rng = random.Random(seed)
    made = []
    for _ in range(count):
        hub_index = rng.choices(range(len(hubs)), weights=SKEW)[0]
        domestic = rng.random() < 2 / 3
        victim = _person(rng, officer, NAMES)
        incident = incidents.report_incident(
            actor=officer,
            summary="Domestic abuse: argument, one party injured"
            if domestic
            else "Concern for welfare",
            owning_unit=team,
            may_be_crime=domestic,
        )
        children = []
        if domestic and rng.random() < 0.5:
            child = _person(rng, officer, NAMES, adult=False)
            home = rng.random() < 0.1
            children = [
                {
                    "person": child,
                    "home_educated": home,
                    "school": "" if home else "St Anne's CE Primary",
                }
            ]
        referral = services.make_referral(
            actor=officer,
            concern="domestic_abuse" if domestic else rng.choice(OTHER_CONCERNS),
            account="Attended; parties separated; account taken at the scene.",
            victim=victim,
            perpetrator=_person(rng, officer, NAMES) if domestic else None,
            children=children,
            home_postcode=_postcode(rng, hub_index),
            officer_risk="" if domestic else rng.choice(["standard", "medium", "high"]),
            event=incident,
        )
        if domestic:
            services.assess_risk(
                actor=officer, referral=referral, answers=_answers(rng, _score(rng))
            )
        made.append(services.submit_referral(actor=officer, referral=referral))
    return made


def _backdate(referral: Referral, days: float) -> None:
    """Demo only: the referral was submitted ``days`` ago (times and its duties moved back)."""
    shift = dt.timedelta(days=days)
    Referral.objects.filter(pk=referral.pk).update(
        submitted_at=referral.submitted_at - shift,
        triage_due_at=referral.triage_due_at - shift,
        created_at=referral.created_at - shift,
    )
    for duty in duties_for(referral):
        Duty.objects.filter(pk=duty.pk).update(
            opened_at=duty.opened_at - shift, due_at=duty.due_at - shift
        )


@transaction.atomic
def mash_day(users: dict[str, User], units: dict[str, Unit], *, seed: int = 17) -> MashDay:
    """The demo's MASH: hubs, a day's referrals (some triaged), a late medium-risk referral at
    the top of the medium band, and a high-risk DASH that opened MARAC."""
    hubs = build_hubs(units)
    officer, team = users["response"], units.get("preston-response") or users["response"].unit
    made = make_referrals(officer=officer, team=team, count=24, seed=seed, hubs=hubs)
    rng = random.Random(seed)
    for referral in made[: len(made) // 3]:
        mash.triage_referral(
            actor=users["mash"], referral=referral, outcome=rng.choice(["advice", "nfa"])
        )
    victim = persons.create_person(
        actor=officer,
        given_names="Albert",
        family_name="Lowther",
        dob_year=1938,
        dob_month=2,
        dob_day=14,
    )
    late = services.make_referral(
        actor=officer,
        concern="adult_at_risk",
        account="Neighbour reports an older man left without food or heating.",
        victim=victim,
        home_postcode="PR1 3XY",
        officer_risk="medium",
    )
    late = services.submit_referral(actor=officer, referral=late)
    _backdate(late, 4)
    # This morning's high-risk DASH (strangulation, threats to kill, a child at home): MARAC.
    kerry = persons.create_person(
        actor=officer,
        given_names="Kerry",
        family_name="Lowther",
        dob_year=1989,
        dob_month=2,
        dob_day=14,
    )
    dean = persons.create_person(
        actor=officer,
        given_names="Dean",
        family_name="Marsden",
        dob_year=1985,
        dob_month=9,
        dob_day=30,
    )
    child = persons.create_person(
        actor=officer,
        given_names="Mia",
        family_name="Lowther",
        dob_year=2017,
        dob_month=5,
        dob_day=3,
    )
    incident = incidents.report_incident(
        actor=officer,
        summary="Domestic abuse: woman strangled by her partner, child at home",
        owning_unit=team,
        may_be_crime=True,
    )
    high = services.make_referral(
        actor=officer,
        concern="domestic_abuse",
        account="Kerry says Dean held her by the throat and said he would kill her. Mia (8) "
        "was upstairs.",
        victim=kerry,
        perpetrator=dean,
        children=[{"person": child, "school": "Deepdale Community Primary"}],
        risk_factors=["strangulation", "threats_to_kill", "children_at_risk"],
        home_postcode="PR1 6QA",
        event=incident,
    )
    services.assess_risk(actor=officer, referral=high, answers=_answers(rng, 17))
    high = services.submit_referral(actor=officer, referral=high)
    assert MaracCase.objects.filter(referral=high).exists()  # noqa: S101 - the demo's promise
    # North's queue was cleared this morning; and a call just in: a domestic abuse incident
    # whose victim and suspect are already known to the force (match-on-entry finds them).
    for waiting in Referral.objects.filter(hub__code="north", status="submitted"):
        mash.triage_referral(actor=users["mash"], referral=waiting, outcome="advice")
    for given, born in (("Jodie", dt.date(1994, 6, 21)), ("Wayne", dt.date(1991, 11, 2))):
        persons.create_person(
            actor=officer,
            given_names=given,
            family_name="Fairclough",
            dob_year=born.year,
            dob_month=born.month,
            dob_day=born.day,
        )
    incidents.report_incident(
        actor=users["handler"],
        summary="Domestic abuse: screaming heard, a child in the house",
        owning_unit=team,
        may_be_crime=True,
    )
    return MashDay(referrals=len(made) + 2, late=late, high=high)
