"""What follows a referral in the synthetic force (issue 17 "Everywhere"), written in bulk after
safeguarding_history.py made the referrals, as the services would have written it:

- the duties a submitted referral opens besides the MASH's triage (safeguarding/policies.py,
  whatever they are: today the hub's for high risk, and the attending officer's safeguarding
  plan and follow-up visit for medium and standard). A duty the triage discharges is done at the
  triage; an officer's step is done, with the note ``mash.record_safeguarding_plan`` keeps, where
  its deadline has passed by "now". The rest are open and not yet due: nothing generated is late;
- partners' notes on the triaged referrals, and the MASH's rating of a share of them;
- MARAC (domain.md 3.4): a meeting a week at each hub; each case listed before the first meeting
  held at least ``LEAD_DAYS`` after its referral (its listing duty done when listed), and the
  actions agreed there, each its owner's duty, done where its day has passed.

No published figure was found for any of the rates below; each is an assumption, stated here."""

from __future__ import annotations

import datetime as dt
import random
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from bluelamp.accounts.models import User
from bluelamp.accounts.roles import Role
from bluelamp.duties.deadlines import LONDON
from bluelamp.duties.models import Duty, Outcome
from bluelamp.duties.registry import POLICIES, Policy
from bluelamp.duties.services import subject_label
from bluelamp.safeguarding.mash import OFFICER_STEPS
from bluelamp.safeguarding.models import (
    Hub,
    MaracAction,
    MaracCase,
    MaracMeeting,
    PartnerNote,
    QualityFeedback,
    Referral,
    Status,
)
from bluelamp.safeguarding.policies import MARAC_ACTION, MARAC_LISTING, MASH_TRIAGE

from .bulk import BATCH

SUBMITTED = "safeguarding.referral_submitted"
TRIAGED = "safeguarding.referral_triaged"

PARTNER_NOTES = (0, 1, 1, 2)  # partners' notes on a triaged referral: one drawn from these
AGENCIES = (
    "Children's social care",
    "Adult social care",
    "Health visiting",
    "GP practice",
    "IDVA service",
    "Housing",
    "Probation",
    "Education",
)
FEEDBACK_SHARE = 0.3  # of triaged referrals, the share the MASH rates
RATINGS = ((1, 0.05), (2, 0.1), (3, 0.3), (4, 0.35), (5, 0.2))
REASONS = {
    1: "No account of the risk to the children present; the DASH comments are empty.",
    2: "Risk factors ticked without the reasons; we had to call the officer back.",
    3: "Enough to triage, but the victim's own view of the risk is missing.",
    4: "Clear account and DASH comments; the children's schools were named.",
    5: "Thorough: the victim's words, the history, and the safety steps taken at the scene.",
}
MEETING_WEEKDAY = 3  # a MARAC a week at each hub, on Thursdays
MEETING_HOUR = 10  # London time
SCHEDULED_AHEAD = dt.timedelta(days=14)  # meetings already in the diary after "now"
LEAD_DAYS = 2  # a case is listed for the first meeting at least this long after its referral
ACTIONS = (
    "IDVA to contact the victim and agree a safety plan",
    "Fit a panic alarm and target-harden the address",
    "Flag the address for a priority response",
    "Children's social care to visit and assess the children",
    "Housing to assess a move to a safe address",
    "Probation to review the perpetrator's licence conditions",
    "GP to be told of the risk at the victim's next appointment",
)
ACTIONS_PER_CASE = (1, 3)
ACTION_DAYS = (7, 28)  # an action's deadline, in days after the meeting
DONE_EARLY_SHARE = 0.3  # of actions not yet due, the share already done


class SafeguardingWork:
    def __init__(self, *, rng: random.Random, now: dt.datetime):
        self.rng, self.now = rng, now
        self.kinds = {
            model: ContentType.objects.get_for_model(model)
            for model in (Referral, MaracCase, MaracAction)
        }
        staff = User.objects.filter(role=Role.SAFEGUARDING, is_active=True).order_by("pk")
        self.staff = list(staff.select_related("unit"))
        self.counts = {"duties": 0, "notes": 0, "feedback": 0, "meetings": 0, "actions": 0}

    def run(self) -> dict[str, int]:
        referrals = (
            Referral.objects.exclude(status=Status.DRAFT)
            .select_related("hub__unit", "created_by__unit", "created_unit")
            .order_by("pk")
        )
        ids = list(referrals.values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH):
            self._referrals(list(referrals.filter(pk__in=ids[start : start + BATCH])))
        self._marac()
        return self.counts

    # --- duties ------------------------------------------------------------------------------

    def _duty(self, policy: Policy, subject, *, opened, about, done_at=None, done_by=None, note=""):
        event = SimpleNamespace(payload={"risk": getattr(subject, "risk_level", "")})
        owner = policy.owner(event, subject)
        return Duty(
            policy=policy.name,
            rule=policy.rule,
            subject_type=self.kinds[type(subject)],
            subject_id=subject.pk,
            subject_label=subject_label(subject),
            about_event_id=about[0],
            about_person_id=about[1],
            owner=owner.user,
            owner_unit=owner.unit,
            queue=owner.queue,
            opened_at=opened,
            due_at=policy.due_at(opened, event, subject),
            outcome=Outcome.DONE if done_at else Outcome.OPEN,
            done_at=done_at,
            done_by=done_by,
            note=note,
        )

    def _between(self, start: dt.datetime, end: dt.datetime) -> dt.datetime:
        return start + (end - start) * self.rng.uniform(0.05, 1)

    @staticmethod
    def _note(referral, agency: str, author: User, at: dt.datetime, text: str) -> PartnerNote:
        return PartnerNote(
            referral=referral,
            agency=agency,
            author=author,
            author_name=author.display_name,
            at=at,
            text=f"{text} (synthetic)",
        )

    @transaction.atomic
    def _referrals(self, batch: list[Referral]) -> None:
        rng = self.rng
        opened_by_submission = [
            p for p in POLICIES.values() if p.opened_by == SUBMITTED and p is not MASH_TRIAGE
        ]
        duties, notes, feedback = [], [], []
        for referral in batch:
            event = SimpleNamespace(payload={"risk": referral.risk_level})
            about = (referral.event_id, None)
            opened = referral.submitted_at
            for policy in opened_by_submission:
                if not policy.applies(event, referral):
                    continue
                due = policy.due_at(opened, event, referral)
                step = next((e for e in policy.discharged_by if e in OFFICER_STEPS), None)
                done, done_by, note = None, None, ""
                if TRIAGED in policy.discharged_by and referral.triaged_at:
                    done, note = referral.triaged_at, TRIAGED
                elif step and due <= self.now:
                    done, done_by, note = self._between(opened, due), referral.created_by, step
                    notes.append(
                        self._note(
                            referral,
                            OFFICER_STEPS[step],
                            done_by,
                            done,
                            "Recorded after the incident.",
                        )
                    )
                duties.append(
                    self._duty(
                        policy,
                        referral,
                        opened=opened,
                        about=about,
                        done_at=done,
                        done_by=done_by,
                        note=note,
                    )
                )
            if referral.status != Status.TRIAGED:
                continue
            writer = rng.choice(self.staff) if self.staff else referral.created_by
            for _ in range(rng.choice(PARTNER_NOTES)):
                agency = rng.choice(AGENCIES)
                at = self._between(referral.submitted_at, referral.triaged_at)
                notes.append(
                    self._note(
                        referral,
                        agency,
                        writer,
                        at,
                        f"{agency}: records checked and shared with the MASH.",
                    )
                )
            if rng.random() < FEEDBACK_SHARE:
                rating = rng.choices([r for r, _ in RATINGS], [w for _, w in RATINGS])[0]
                feedback.append(
                    QualityFeedback(
                        referral=referral,
                        rating=rating,
                        reason=REASONS[rating],
                        officer=referral.created_by,
                        team=referral.created_unit,
                        by_name=writer.display_name,
                        at=referral.triaged_at,
                    )
                )
        Duty.objects.bulk_create(duties, batch_size=BATCH)
        PartnerNote.objects.bulk_create(notes, batch_size=BATCH)
        QualityFeedback.objects.bulk_create(feedback, batch_size=BATCH)
        self.counts["duties"] += len(duties)
        self.counts["notes"] += len(notes)
        self.counts["feedback"] += len(feedback)

    # --- MARAC -------------------------------------------------------------------------------

    def _meeting_days(self, first: dt.date) -> list[dt.date]:
        last = (self.now + SCHEDULED_AHEAD).astimezone(LONDON).date()
        day = first + dt.timedelta(days=(MEETING_WEEKDAY - first.weekday()) % 7)
        days = []
        while day <= last:
            days.append(day)
            day += dt.timedelta(days=7)
        return days

    @staticmethod
    def _held_at(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(MEETING_HOUR), tzinfo=LONDON).astimezone(dt.UTC)

    @transaction.atomic
    def _marac(self) -> None:
        cases = list(
            MaracCase.objects.filter(meeting__isnull=True)
            .select_related("referral__created_by__unit", "hub__unit")
            .order_by("referred_at", "pk")
        )
        if not cases:
            return
        first = min(c.referred_at for c in cases).astimezone(LONDON).date()
        days = self._meeting_days(first)
        taken = set(MaracMeeting.objects.values_list("hub_id", "held_on"))
        MaracMeeting.objects.bulk_create(
            [
                MaracMeeting(hub=hub, held_on=day)
                for hub in Hub.objects.all()
                for day in days
                if (hub.pk, day) not in taken
            ],
            batch_size=BATCH,
        )
        meetings = {(m.hub_id, m.held_on): m for m in MaracMeeting.objects.all()}
        self.counts["meetings"] = len(meetings)
        listed, duties, actions = [], [], []
        for case in cases:
            about = (None, case.victim_id)
            ready = (case.referred_at + dt.timedelta(days=LEAD_DAYS)).astimezone(LONDON).date()
            day = next((d for d in days if d >= ready), None)
            meeting = meetings.get((case.hub_id, day))
            held = self._held_at(day) if day else None
            if meeting is None or (held > self.now and self.rng.random() < 0.5):
                duties.append(self._duty(MARAC_LISTING, case, opened=case.referred_at, about=about))
                continue
            case.meeting = meeting
            listed.append(case)
            when = self._between(case.referred_at, min(held, self.now))
            duties.append(
                self._duty(
                    MARAC_LISTING,
                    case,
                    opened=case.referred_at,
                    about=about,
                    done_at=when,
                    note="safeguarding.marac_case_listed",
                )
            )
            if held <= self.now:
                actions += self._actions(case, held)
        MaracCase.objects.bulk_update(listed, ["meeting"], batch_size=BATCH)
        MaracAction.objects.bulk_create(actions, batch_size=BATCH)
        for action in actions:
            due = MARAC_ACTION.due_at(action.held_at, None, action)
            done = None
            if due <= self.now or self.rng.random() < DONE_EARLY_SHARE:
                done = action.done_at = self._between(action.held_at, min(due, self.now))
            duties.append(
                self._duty(
                    MARAC_ACTION,
                    action,
                    opened=action.held_at,
                    about=(None, action.case.victim_id),
                    done_at=done,
                    done_by=action.owner if done else None,
                    note="safeguarding.marac_action_done" if done else "",
                )
            )
        MaracAction.objects.bulk_update(
            [a for a in actions if a.done_at], ["done_at"], batch_size=BATCH
        )
        Duty.objects.bulk_create(duties, batch_size=BATCH)
        self.counts["duties"] += len(duties)
        self.counts["actions"] = len(actions)

    def _actions(self, case: MaracCase, held: dt.datetime) -> list[MaracAction]:
        rng = self.rng
        made = []
        for text in rng.sample(ACTIONS, rng.randint(*ACTIONS_PER_CASE)):
            owner = rng.choice(self.staff) if self.staff and rng.random() < 0.5 else None
            owner = owner or case.referral.created_by
            day = held.astimezone(LONDON).date() + dt.timedelta(days=rng.randint(*ACTION_DAYS))
            action = MaracAction(case=case, text=text, owner=owner, due_on=day)
            action.held_at = held  # when it was agreed: its duty opens then
            made.append(action)
        return made


def safeguarding_work(*, rng: random.Random, now: dt.datetime) -> dict[str, int]:
    """The duties, notes, ratings, MARAC meetings and actions that follow the force's referrals."""
    return SafeguardingWork(rng=rng, now=now).run()
