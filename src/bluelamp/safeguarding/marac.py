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
from django.db.models import Count, Prefetch
from django.http import Http404
from django.utils import timezone

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import PERMISSIONS, can, hidden_ids, require
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core import validation as v
from bluelamp.core.history import snapshot
from bluelamp.core.models import Person
from bluelamp.core.transactions import service
from bluelamp.core.writes import written
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
    written(
        case,
        actor=actor,
        action="create",
        summary="MARAC case opened",
        label=referral.reference,
        detail={"criteria": criteria, "victim": victim.pk},
        event="safeguarding.marac_case_opened",
        payload={"case": case.pk, "referral": referral.pk, "criteria": criteria},
    )
    return case


CASES = MaracCase.objects.select_related("referral", "hub", "victim", "perpetrator", "meeting")


def visible_cases(actor: User):
    """The MARAC cases: the safeguarding role's alone (issue 17: restricted by default)."""
    require(actor, "safeguarding.marac")
    return CASES


def _staff_or_404(actor: User) -> None:
    """A MARAC record for anyone but MARAC staff does not exist (restricted means invisible)."""
    if not can(actor, "safeguarding.marac"):
        raise Http404("Not found.")


def get_case(actor: User, pk: int) -> MaracCase:
    _staff_or_404(actor)
    try:
        return visible_cases(actor).get(pk=pk)
    except MaracCase.DoesNotExist:
        raise Http404("No such MARAC case.") from None


def shown_people(actor: User, cases) -> None:
    """Sets ``shown_victim`` / ``shown_perpetrator`` on each case: the person, or None where the
    reader has no grant to a restricted one (restricted means invisible, DESIGN.md)."""
    ids = {pk for case in cases for pk in (case.victim_id, case.perpetrator_id) if pk}
    hidden = set(hidden_ids(actor, Person).filter(pk__in=ids).values_list("pk", flat=True))
    for case in cases:
        case.shown_victim = None if case.victim_id in hidden else case.victim
        case.shown_perpetrator = None if case.perpetrator_id in hidden else case.perpetrator


def meetings(actor: User, hub: Hub | None = None):
    """MARAC meetings (per area when ``hub`` is given), with how many cases each lists."""
    require(actor, "safeguarding.marac")
    found = MaracMeeting.objects.select_related("hub").annotate(listed=Count("cases"))
    return found.filter(hub=hub) if hub is not None else found


def view_meeting(*, actor: User, pk: int) -> tuple[MaracMeeting, list[MaracCase]]:
    """A meeting and the cases listed on it with their actions, soonest deadline first (one
    audited read naming every case shown)."""
    _staff_or_404(actor)
    try:
        meeting = meetings(actor).get(pk=pk)
    except MaracMeeting.DoesNotExist:
        raise Http404("No such MARAC meeting.") from None
    cases = list(
        CASES.filter(meeting=meeting).prefetch_related(
            Prefetch(
                "actions",
                queryset=MaracAction.objects.select_related("owner").order_by("due_on", "pk"),
            )
        )
    )
    shown_people(actor, cases)
    today = timezone.localdate()
    for case in cases:
        for action in case.actions.all():
            action.overdue = action.done_at is None and action.due_on < today
    audit.record(
        actor=actor,
        action=Action.VIEW,
        record_type="marac_meeting",
        record_id=meeting.pk,
        label=f"MARAC {meeting.hub} {meeting.held_on}",
        detail={"cases": [c.pk for c in cases]},
    )
    return meeting, cases


def action_owners():
    """Who may hold a MARAC action: active users whose role may work safeguarding records."""
    return (
        User.objects.filter(is_active=True, role__in=PERMISSIONS["referral.view"])
        .select_related("unit")
        .order_by("last_name", "first_name", "pk")
    )


def view_action(*, actor: User, pk: int) -> MaracAction:
    """An action, for its owner (who holds its duty) or MARAC staff; a 404 for anyone else."""
    action = (
        MaracAction.objects.select_related("case__hub", "case__victim", "case__meeting", "owner")
        .filter(pk=pk)
        .first()
    )
    if action is None or (action.owner_id != actor.pk and not can(actor, "safeguarding.marac")):
        raise Http404("No such MARAC action.")
    shown_people(actor, [action.case])
    action.overdue = action.done_at is None and action.due_on < timezone.localdate()
    audit.record(
        actor=actor,
        action=Action.VIEW,
        obj=action.case,
        record_type="marac_case",
        label=f"MARAC action {action.pk}",
        detail={"action": action.pk},
    )
    return action


@service
def schedule_meeting(*, actor: User, hub: Hub, held_on: dt.date) -> MaracMeeting:
    """A MARAC for an area (hub) on a day; one per area per day."""
    require(actor, "safeguarding.marac")
    if held_on is None:
        raise ValidationError({"held_on": "Give the meeting's date."})
    v.check_day(held_on, field="held_on", future=True)
    if MaracMeeting.objects.filter(hub=hub, held_on=held_on).exists():
        shown = held_on.strftime("%d %b %Y")
        raise ValidationError({"held_on": f"{hub} already has a MARAC on {shown}."})
    meeting = MaracMeeting.objects.create(hub=hub, held_on=held_on)
    written(
        meeting,
        actor=actor,
        action="create",
        summary="MARAC meeting scheduled",
        label=f"MARAC {hub} {held_on}",
    )
    return meeting


@service
def list_case(*, actor: User, case: MaracCase, meeting: MaracMeeting) -> MaracCase:
    """Lists a case at a meeting of its hub; discharges the listing duty."""
    require(actor, "safeguarding.marac")
    # Locked alone: PostgreSQL refuses FOR UPDATE on the nullable side of a join (the meeting).
    case = MaracCase.objects.select_for_update().get(pk=case.pk)
    if case.meeting_id is not None:
        shown = case.meeting.held_on.strftime("%d %b %Y")
        raise ValidationError({"case": f"This case is already listed at the MARAC on {shown}."})
    if meeting.hub_id != case.hub_id:
        raise ValidationError({"meeting": "Choose a meeting of the case's own area."})
    before = snapshot(case)
    case.meeting = meeting
    written(
        case,
        actor=actor,
        action="change",
        before=before,
        save=["meeting"],
        summary=f"Listed at {meeting}",
        label=case.referral.reference,
        detail={"meeting": meeting.pk},
        event="safeguarding.marac_case_listed",
        payload={"case": case.pk},
    )
    return case


@service
def add_action(
    *, actor: User, case: MaracCase, text: str, owner: User | None, due_on: dt.date | None
) -> MaracAction:
    """An action agreed at MARAC: a duty for its owner due at the end of ``due_on``
    (policies.MARAC_ACTION)."""
    require(actor, "safeguarding.marac")
    if not MaracCase.objects.filter(pk=case.pk, meeting__isnull=False).exists():
        raise ValidationError({"case": "List the case at a meeting before setting its actions."})
    text = v.clean_text(text, field="text", max_length=1000, required=True)
    if due_on is None:
        raise ValidationError({"due_on": "Give the action's deadline."})
    v.check_day(due_on, field="due_on", future=True)
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": "The deadline cannot be in the past."})
    if owner is None:
        raise ValidationError({"owner": "Choose who owns the action."})
    if not owner.is_active or not can(owner, "referral.view"):
        raise ValidationError({"owner": "The owner's role cannot work safeguarding actions."})
    action = MaracAction.objects.create(case=case, text=text, owner=owner, due_on=due_on)
    # In the case's history and audited as a part of it; the duty is the action's own.
    written(
        action,
        actor=actor,
        action="create",
        subject=case,
        summary="MARAC action",
        audit_action=Action.CREATE,
        label=case.referral.reference,
        detail={"action": action.pk, "owner": owner.pk},
    )
    emit("safeguarding.marac_action_set", subject=action, actor=actor, payload={"case": case.pk})
    return action


@service
def complete_action(*, actor: User, action: MaracAction) -> MaracAction:
    """Closes an action (its owner or MARAC staff); discharges its duty."""
    require(actor, "referral.view")
    action = (
        MaracAction.objects.select_for_update(of=("self",)).select_related("case").get(pk=action.pk)
    )
    if actor.pk != action.owner_id and not can(actor, "safeguarding.marac"):
        raise ValidationError({"action": "Only the action's owner or MARAC staff may close it."})
    if action.done_at is not None:
        raise ValidationError({"action": "This action is already done."})
    before = snapshot(action)
    action.done_at = timezone.now()
    # In the case's history and audited as a part of it; the duty is the action's own.
    written(
        action,
        actor=actor,
        action="change",
        before=before,
        save=["done_at"],
        subject=action.case,
        summary="Done",
        label=f"action {action.pk}",
        detail={"action": action.pk, "done": True},
    )
    emit("safeguarding.marac_action_done", subject=action, actor=actor, payload={})
    return action
