"""The synthetic force's safeguarding (issue 17 "Everywhere"), written in bulk after the events
(generate.py's pattern: the rows the services would write, in batches), from the generator's own
records, so that the demo and the benchmarks have it:

- each domestic abuse crime the generator made (a victim and a suspect who are partners) was a
  police-attended incident with a public protection referral and a DASH; a child was present at
  ``CHILD_PRESENT_SHARE`` of them, and their school (or, if home educated, the local authority)
  was told: Operation Encompass;
- referrals of the other concerns (child, adult at risk, mental health, ...) from other incidents,
  ``OTHER_PER_DOMESTIC`` for each domestic one, graded by the officer;
- DASH answers whose scores spread over the three levels (synth/mash.py ``_score``);
- each referral to a hub with Lancashire's skew (synth/mash.py ``SKEW``), its home postcode in
  that hub's coverage;
- a MARAC case for each high-risk domestic referral whose victim is 16 or over (domain.md 3.4,
  visible high risk; under-16s go to children's safeguarding);
- triaged when its triage deadline has passed by the generator's "now", else awaiting triage with
  its open MASH triage duty (so nothing generated is already late).

What follows (the duties a high or medium risk opens for the hub and the attending officer,
partners' notes, quality feedback, MARAC meetings and actions) is safeguarding_work.py's."""

from __future__ import annotations

import datetime as dt
import random

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from bluelamp.accounts.models import Unit, User
from bluelamp.accounts.roles import Role
from bluelamp.core.choices import EventKind, EventRole, Relationship
from bluelamp.core.models import Event, Person, PersonEventLink, PersonRelationship
from bluelamp.duties.deadlines import LONDON
from bluelamp.duties.models import Duty, Outcome
from bluelamp.protection.encompass import due_for
from bluelamp.protection.models import EncompassNotice, NoticeStatus, Recipient
from bluelamp.reference import schools as reference
from bluelamp.safeguarding import rules
from bluelamp.safeguarding.models import (
    RISK_RANK,
    ChildPresent,
    MaracCase,
    MaracCriterion,
    Referral,
    ReferralSubject,
    RiskAssessment,
    Status,
    SubjectRole,
)
from bluelamp.safeguarding.policies import MASH_TRIAGE

from .bulk import BATCH, POSTCODES
from .mash import HUBS, OTHER_CONCERNS, SKEW, _answers, _score, build_hubs

# Of domestic abuse incidents, the share with a child present. The 2018 report (seeds/001) says
# only "at many domestic abuse incidents there is either a child present or a potential impact on
# a child"; 0.4 is an assumption (the figure protection_history used before).
CHILD_PRESENT_SHARE = 0.4
HOME_EDUCATED_SHARE = 0.01  # of those children: an assumption (about one child in a hundred)
# Referrals for other concerns per domestic abuse referral: an assumption (two in three referrals
# domestic abuse, as in the demo's day, synth/mash.py).
OTHER_PER_DOMESTIC = 0.5
OFFICER_GRADES = (("standard", 0.6), ("medium", 0.3), ("high", 0.1))  # other concerns: assumed
SUBMITTED_WITHIN_HOURS = (0.5, 6)  # the officer submits from the scene or at the end of the shift
OUTCOMES = (
    ("nfa", 0.25),
    ("advice", 0.3),
    ("childrens_social_care", 0.2),
    ("adult_social_care", 0.1),
    ("strategy_meeting", 0.05),
    ("other_agency", 0.1),
)  # an assumption: no published split found
MARAC_MIN_AGE = 16  # domain.md 3.4 ⚠️: MARAC covers victims aged 16 and over


def _pick(rng: random.Random, pairs) -> str:
    return rng.choices([k for k, _ in pairs], [w for _, w in pairs])[0]


def domestic_crimes() -> list[tuple[int, int, int]]:
    """(crime, victim, suspect) for each crime whose victim and suspect are partners. Three plain
    scans matched up here: nested IN subqueries (victims among partners, suspects of those
    crimes) took PostgreSQL minutes on a freshly loaded force whose tables had no statistics
    yet, and a list of ids is more than SQLite takes as variables at a force's size."""
    pairs = set(
        PersonRelationship.objects.filter(
            kind__in=[Relationship.PARTNER, Relationship.EX_PARTNER]
        ).values_list("person_id", "other_id")
    )
    crimes = PersonEventLink.objects.filter(event__kind=EventKind.CRIME).order_by()
    # Of several suspects, the last recorded (ordered, so a seed gives the same force anywhere).
    suspects = dict(
        crimes.filter(role=EventRole.SUSPECT).order_by("pk").values_list("event_id", "person_id")
    )
    victims = crimes.filter(role=EventRole.VICTIM).values_list("event_id", "person_id")
    return sorted((e, v, suspects[e]) for e, v in victims if (v, suspects.get(e)) in pairs)


class SafeguardingHistory:
    def __init__(self, *, rng: random.Random, now: dt.datetime, units: dict[str, Unit]):
        self.rng, self.now, self.units = rng, now, units
        self.hubs = build_hubs(units)
        self.hub_postcodes = [
            [d for lad in authorities for d in POSTCODES.get(lad, [])] for _, _, authorities in HUBS
        ]
        officers = User.objects.filter(role=Role.RESPONSE_OFFICER).select_related("unit")
        self.officers = list(officers.order_by("pk")) or list(User.objects.order_by("pk")[:1])
        self.schools = list(reference.schools().values())
        self.authority = reference.local_authorities().get(
            settings.BLUELAMP_ENCOMPASS_DEFAULT_LOCAL_AUTHORITY
        )
        self.referral_type = ContentType.objects.get_for_model(Referral)
        self.counts = {"referrals": 0, "marac": 0, "notices": 0}

    def run(self) -> dict[str, int]:
        domestic = domestic_crimes()  # crimes; the other concerns come from incidents
        others = list(
            PersonEventLink.objects.filter(role=EventRole.CALLER, event__kind=EventKind.INCIDENT)
            .order_by("event_id")
            .values_list("event_id", "person_id")
        )
        wanted = min(round(len(domestic) * OTHER_PER_DOMESTIC), len(others))
        other = sorted(self.rng.sample(others, wanted))
        children = list(
            Person.objects.filter(dob_year__gte=self.now.year - 17, dob_year__lte=self.now.year - 5)
            .order_by("pk")
            .values_list("pk", flat=True)[:5000]
        )
        todo = [(e, v, s) for e, v, s in domestic] + [(e, v, None) for e, v in other]
        for start in range(0, len(todo), BATCH):
            self._batch(todo[start : start + BATCH], children)
        return self.counts

    def _submitted(self, event: Event) -> dt.datetime:
        after = dt.timedelta(hours=self.rng.uniform(*SUBMITTED_WITHIN_HOURS))
        return min(event.reported_at + after, self.now)

    @transaction.atomic
    def _batch(self, todo, children: list[int]) -> None:
        rng = self.rng
        events = Event.objects.in_bulk([e for e, _, _ in todo])
        born = dict(
            Person.objects.filter(pk__in=[v for _, v, _ in todo]).values_list("pk", "dob_year")
        )
        referrals, extras = [], []
        for n, (event_id, victim, suspect) in enumerate(todo):
            event = events[event_id]
            domestic = suspect is not None
            hub_index = rng.choices(range(len(self.hubs)), weights=SKEW)[0]
            officer = rng.choice(self.officers)
            submitted = self._submitted(event)
            answers = _answers(rng, _score(rng)) if domestic else None
            score = sum(1 for a in (answers or {}).values() if a["answer"] == "yes")
            level = self._level(score) if domestic else _pick(rng, OFFICER_GRADES)
            due = rules.triage_due(submitted, level)
            triaged = due <= self.now
            referrals.append(
                Referral(
                    reference=f"PVP-synthetic-{event_id}-{n}",
                    event_id=event_id,
                    concern="domestic_abuse" if domestic else rng.choice(OTHER_CONCERNS),
                    account="Attended; account taken at the scene (synthetic).",
                    home_postcode=f"{rng.choice(self.hub_postcodes[hub_index])} 1AB",
                    police_attended=True,
                    officer_risk="" if domestic else level,
                    risk_level=level,
                    risk_rank=RISK_RANK[level],
                    status=Status.TRIAGED if triaged else Status.SUBMITTED,
                    hub=self.hubs[hub_index],
                    routed_by="postcode_district",
                    created_by=officer,
                    created_by_name=officer.get_full_name() or officer.username,
                    created_unit=officer.unit,
                    created_at=event.reported_at,
                    submitted_at=submitted,
                    triage_due_at=due,
                    outcome=_pick(rng, OUTCOMES) if triaged else "",
                    triaged_at=submitted + (due - submitted) * rng.uniform(0.1, 1)
                    if triaged
                    else None,
                    triaged_by_name="synthetic MASH" if triaged else "",
                )
            )
            extras.append((event, victim, suspect, answers, score, level, officer))
        created = Referral.objects.bulk_create(referrals, batch_size=BATCH)
        for referral in created:
            day = timezone.localtime(referral.submitted_at, LONDON)
            referral.reference = f"PVP-{day:%Y%m%d}-{referral.pk:06d}"
        Referral.objects.bulk_update(created, ["reference"], batch_size=BATCH)
        self._hanging(created, extras, born, children)
        self.counts["referrals"] += len(created)

    @staticmethod
    def _level(score: int) -> str:
        if score >= settings.BLUELAMP_DASH_HIGH_FROM:
            return "high"
        return "medium" if score >= settings.BLUELAMP_DASH_MEDIUM_FROM else "standard"

    def _hanging(self, created, extras, born, children) -> None:
        """What hangs off each referral: subjects, the DASH, the child present, MARAC, the
        triage duty and the Encompass notice."""
        rng = self.rng
        subjects, dashes, present, cases, duties, notices = [], [], [], [], [], []
        for referral, (event, victim, suspect, answers, score, level, officer) in zip(
            created, extras, strict=True
        ):
            subjects.append(
                ReferralSubject(referral=referral, person_id=victim, role=SubjectRole.VICTIM)
            )
            duties.append(self._duty(referral, event, officer))
            if suspect is None:
                continue
            subjects.append(
                ReferralSubject(referral=referral, person_id=suspect, role=SubjectRole.PERPETRATOR)
            )
            dashes.append(
                RiskAssessment(
                    referral=referral,
                    tool="dash",
                    answers=answers,
                    score=score,
                    scored_level=level,
                    level=level,
                    assessed_by_name=referral.created_by_name,
                    assessed_at=referral.submitted_at,
                )
            )
            age = referral.submitted_at.year - born[victim] if born.get(victim) else None
            if level == "high" and (age is None or age >= MARAC_MIN_AGE):
                cases.append(
                    MaracCase(
                        referral=referral,
                        hub=referral.hub,
                        victim_id=victim,
                        perpetrator_id=suspect,
                        criteria=[MaracCriterion.VISIBLE_HIGH_RISK],
                        referred_at=referral.submitted_at,
                    )
                )
            if children and rng.random() < CHILD_PRESENT_SHARE:
                child = ChildPresent(referral=referral, person_id=rng.choice(children))
                child.home_educated = rng.random() < HOME_EDUCATED_SHARE
                school = None if child.home_educated else rng.choice(self.schools)
                child.school = school.identifier if school else ""
                present.append(child)
                notices.append(self._notice(referral, event, child, school))
        ReferralSubject.objects.bulk_create(subjects, batch_size=BATCH, ignore_conflicts=True)
        RiskAssessment.objects.bulk_create(dashes, batch_size=BATCH)
        ChildPresent.objects.bulk_create(present, batch_size=BATCH, ignore_conflicts=True)
        MaracCase.objects.bulk_create(cases, batch_size=BATCH)
        Duty.objects.bulk_create(duties, batch_size=BATCH)
        EncompassNotice.objects.bulk_create([n for n in notices if n is not None], batch_size=BATCH)
        self.counts["marac"] += len(cases)
        self.counts["notices"] += sum(1 for n in notices if n is not None)

    def _duty(self, referral: Referral, event: Event, officer: User) -> Duty:
        done = referral.status == Status.TRIAGED
        return Duty(
            policy=MASH_TRIAGE.name,
            rule=MASH_TRIAGE.rule,
            subject_type=self.referral_type,
            subject_id=referral.pk,
            subject_label=referral.reference,
            about_event_id=event.pk,
            owner_unit=referral.hub.unit or officer.unit,
            queue=referral.hub.queue,
            opened_at=referral.submitted_at,
            due_at=referral.triage_due_at,
            outcome=Outcome.DONE if done else Outcome.OPEN,
            done_at=referral.triaged_at if done else None,
            note="safeguarding.referral_triaged" if done else "",
        )

    def _notice(self, referral, event, child: ChildPresent, school) -> EncompassNotice | None:
        """Operation Encompass: told before the start of the next school day after the incident
        (protection/encompass.py ``due_for``), delivered by email in the generated past."""
        if school is None and self.authority is None:
            return None
        happened = event.occurred_from or event.reported_at
        if school is not None:
            recipient = {
                "recipient_kind": Recipient.SCHOOL,
                "school_identifier": school.identifier,
                "recipient_name": school.name,
                "recipient_email": school.dsl_email,
                "local_authority": school.local_authority,
            }
            due = due_for(happened, school.local_authority)
        else:
            recipient = {
                "recipient_kind": Recipient.LOCAL_AUTHORITY,
                "recipient_name": self.authority.name,
                "recipient_email": self.authority.education_safeguarding_email,
                "local_authority": settings.BLUELAMP_ENCOMPASS_DEFAULT_LOCAL_AUTHORITY,
            }
            due = due_for(happened, None)
        sent = referral.submitted_at + dt.timedelta(minutes=self.rng.uniform(5, 90))
        return EncompassNotice(
            referral_event=event,
            referral_id=referral.pk,
            child_id=child.person_id,
            concern="domestic_abuse",
            risk=referral.risk_level,
            incident_at=happened,
            due_at=due,
            status=NoticeStatus.DELIVERED,
            delivered_at=min(sent, due, self.now),
            owning_unit_id=event.owning_unit_id,
            created_at=self.now,
            **recipient,
        )


def safeguarding_history(
    *, rng: random.Random, now: dt.datetime, units: dict[str, Unit]
) -> dict[str, int]:
    """Referrals, DASH, MARAC cases and Encompass notices for the force just generated."""
    return SafeguardingHistory(rng=rng, now=now, units=units).run()
