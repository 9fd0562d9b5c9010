"""MARAC: which submitted domestic abuse referrals meet the referral criteria (domain.md 3.4, any
one is enough ✅ S21), the 16-and-over rule, cases listed at meetings per hub, and actions with
owners and deadlines (duties: policies.py).

Checked before coding: domain-addendum 1.5 corroborates 3.4's criteria (⚠️ SCIE); REPEAT's
"within 12 months of the last MARAC referral" ✅ [S22]; POTENTIAL_ESCALATION's "3 or more in 12
months" varies locally [S19] (a setting); the 16-and-over rule ⚠️ [S23] (a setting)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import can, require
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core import validation as v
from bluelamp.core.models import Person
from bluelamp.core.transactions import service
from bluelamp.duties.deadlines import LONDON
from bluelamp.duties.services import emit

from .models import (
    Concern,
    Hub,
    MaracAction,
    MaracCase,
    MaracCriterion,
    MaracMeeting,
    Referral,
    RiskAssessment,
    RiskLevel,
    Status,
    SubjectRole,
)

MONTH = dt.timedelta(days=30.4375)


def _parties(referral: Referral) -> tuple[Person | None, Person | None]:
    found = {s.role: s.person for s in referral.subjects.select_related("person")}
    return found.get(SubjectRole.VICTIM), found.get(SubjectRole.PERPETRATOR)


def age_on(person: Person, day: dt.date) -> int | None:
    if not person.dob_year:
        return None
    born = person.date_of_birth or dt.date(person.dob_year, person.dob_month or 1, 1)
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def criteria_for(referral: Referral) -> tuple[list[str], str]:
    """The MARAC criteria a submitted domestic abuse referral meets, and the judgement's
    rationale. REPEAT is found from the matched victim and perpetrator (match-on-entry links the
    same Person records), so nobody has to remember the last referral."""
    victim, perpetrator = _parties(referral)
    assessment = RiskAssessment.objects.filter(referral=referral).first()
    found, rationale = [], ""
    if assessment is not None:
        if assessment.score >= settings.BLUELAMP_DASH_HIGH_FROM:
            found.append(MaracCriterion.VISIBLE_HIGH_RISK)
        elif assessment.level == RiskLevel.HIGH:
            found.append(MaracCriterion.PROFESSIONAL_JUDGEMENT)
            rationale = assessment.judgement_rationale
    if victim is not None:
        since = referral.submitted_at - settings.BLUELAMP_MARAC_REPEAT_MONTHS * MONTH
        recent = Referral.objects.filter(
            concern=Concern.DOMESTIC_ABUSE,
            subjects__person=victim,
            subjects__role=SubjectRole.VICTIM,
            submitted_at__gte=since,
            submitted_at__lte=referral.submitted_at,
        ).exclude(status=Status.DRAFT)
        if recent.distinct().count() >= settings.BLUELAMP_MARAC_ESCALATION_INCIDENTS:
            found.append(MaracCriterion.POTENTIAL_ESCALATION)
        if (
            perpetrator is not None
            and last_marac(victim, perpetrator, before=referral)
            and (last_marac(victim, perpetrator, before=referral).referred_at >= since)
        ):
            found.append(MaracCriterion.REPEAT)
    return found, rationale


def last_marac(victim: Person, perpetrator: Person, *, before: Referral) -> MaracCase | None:
    return (
        MaracCase.objects.filter(victim=victim, perpetrator=perpetrator)
        .exclude(referral=before)
        .order_by("-referred_at")
        .first()
    )


def consider(*, actor: User | None, referral: Referral) -> MaracCase | None:
    """Opens the MARAC case of a submitted domestic abuse referral that meets a criterion; a
    victim under 16 goes to children's safeguarding instead (domain.md 3.4 ⚠️). Called by
    reactions.py inside the submitting transaction."""
    if referral.concern != Concern.DOMESTIC_ABUSE:
        return None
    criteria, rationale = criteria_for(referral)
    if not criteria:
        return None
    victim, perpetrator = _parties(referral)
    age = age_on(victim, referral.submitted_at.astimezone(LONDON).date())
    if age is not None and age < settings.BLUELAMP_MARAC_MIN_AGE:
        emit(
            "safeguarding.childrens_referral_needed",
            subject=referral,
            actor=actor,
            payload={"referral": referral.pk, "criteria": criteria},
        )
        return None
    case = MaracCase.objects.create(
        referral=referral,
        hub=referral.hub,
        victim=victim,
        perpetrator=perpetrator,
        criteria=criteria,
        rationale=rationale,
        referred_at=referral.submitted_at,
    )
    audit.record(
        actor=actor,
        action=Action.CREATE,
        obj=case,
        record_type="marac_case",
        label=referral.reference,
        detail={"criteria": criteria, "victim": victim.pk},
    )
    emit(
        "safeguarding.marac_case_opened",
        subject=case,
        actor=actor,
        payload={"case": case.pk, "referral": referral.pk, "criteria": criteria},
    )
    return case


def visible_cases(actor: User):
    require(actor, "safeguarding.marac")
    return MaracCase.objects.select_related("referral", "hub", "victim", "perpetrator", "meeting")


@service
def schedule_meeting(*, actor: User, hub: Hub, held_on: dt.date) -> MaracMeeting:
    require(actor, "safeguarding.marac")
    v.check_day(held_on, field="held_on", future=True)
    meeting, _ = MaracMeeting.objects.get_or_create(hub=hub, held_on=held_on)
    audit.record(
        actor=actor,
        action=Action.CREATE,
        record_type="marac_meeting",
        record_id=meeting.pk,
        label=f"MARAC {hub} {held_on}",
    )
    return meeting


@service
def list_case(*, actor: User, case: MaracCase, meeting: MaracMeeting) -> MaracCase:
    """Lists a case at a meeting of its hub; discharges the listing duty."""
    require(actor, "safeguarding.marac")
    if meeting.hub_id != case.hub_id:
        raise ValidationError({"meeting": "Choose a meeting of the case's own area."})
    case.meeting = meeting
    case.save(update_fields=["meeting"])
    audit.record(
        actor=actor,
        action=Action.CHANGE,
        obj=case,
        record_type="marac_case",
        label=case.referral.reference,
        detail={"meeting": meeting.pk},
    )
    emit("safeguarding.marac_case_listed", subject=case, actor=actor, payload={"case": case.pk})
    return case


@service
def add_action(
    *, actor: User, case: MaracCase, text: str, owner: User, due_on: dt.date
) -> MaracAction:
    """An action agreed at MARAC: a duty for its owner due at the end of ``due_on``."""
    require(actor, "safeguarding.marac")
    text = v.clean_text(text, field="text", max_length=1000, required=True)
    v.check_day(due_on, field="due_on", future=True)
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": "The deadline cannot be in the past."})
    if not can(owner, "referral.view"):
        raise ValidationError({"owner": "The owner's role cannot work safeguarding actions."})
    action = MaracAction.objects.create(case=case, text=text, owner=owner, due_on=due_on)
    audit.record(
        actor=actor,
        action=Action.CREATE,
        obj=case,
        record_type="marac_case",
        label=case.referral.reference,
        detail={"action": action.pk, "owner": owner.pk},
    )
    emit("safeguarding.marac_action_set", subject=action, actor=actor, payload={"case": case.pk})
    return action


@service
def complete_action(*, actor: User, action: MaracAction) -> MaracAction:
    require(actor, "referral.view")
    if actor.pk != action.owner_id and not can(actor, "safeguarding.marac"):
        raise ValidationError({"action": "Only the action's owner or MARAC staff may close it."})
    if action.done_at is not None:
        raise ValidationError({"action": "This action is already done."})
    action.done_at = timezone.now()
    action.save(update_fields=["done_at"])
    audit.record(
        actor=actor,
        action=Action.CHANGE,
        obj=action.case,
        record_type="marac_case",
        label=f"action {action.pk}",
        detail={"action": action.pk, "done": True},
    )
    emit("safeguarding.marac_action_done", subject=action, actor=actor, payload={})
    return action
