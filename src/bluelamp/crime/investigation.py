"""Investigating a crime: allocation matched to skills, the plan (lines of enquiry, the victim's
wishes), what happens to suspects, the decision not to investigate further, forensic decisions
and digital examination requests. The only writers of crime/investigation_models.py.

Each service checks the actor's permission, finds the crime through ``get_visible`` (a restricted
crime is a 404), validates naming the field, writes, logs history and audit, and emits the
domain event (docs/events.md) in one transaction."""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import can, get_visible, require
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core import validation as v
from bluelamp.core.choices import EventKind, EventRole, ObjectKind
from bluelamp.core.history import log_change
from bluelamp.core.models import Event, Person, PersonEventLink, PoleObject
from bluelamp.duties.deadlines import LONDON
from bluelamp.duties.models import Duty, Outcome
from bluelamp.duties.services import emit

from . import services as crime_services
from .models import (
    EXAMINATION_NEXT,
    Allocation,
    Crime,
    DeviceExamination,
    Disposal,
    EnquiryKind,
    EnquiryLine,
    EnquiryStatus,
    ExaminationStatus,
    ForensicDecision,
    ForensicDecisionKind,
    NoFurtherInvestigation,
    NotInvestigatedReason,
    OfficerSkill,
    ProsecutionWish,
    Release,
    Skill,
    SkillOverride,
    SkillRequirement,
    SuspectAction,
    SuspectStep,
    Wish,
)


def _choice(value, choices, field: str) -> str:
    if value not in choices.values:
        raise ValidationError({field: f"Choose one of: {', '.join(choices.values)}."})
    return value


def _crime(actor: User, crime: Event | int) -> Event:
    pk = crime.pk if isinstance(crime, Event) else crime
    event = get_visible(Event.objects.select_for_update(), actor, pk)
    if event.kind != EventKind.CRIME:
        raise ValidationError({"crime": "This is recorded on a crime."})
    return event


def _written(actor: User, crime: Event, obj, summary: str, **detail) -> None:
    log_change(actor=actor, obj=obj, action="change", before={}, subject=crime, summary=summary)
    audit.record(actor=actor, action=Action.CHANGE, obj=crime, detail=detail)


def _not_future(moment: dt.datetime | None, field: str) -> dt.datetime:
    now = timezone.now()
    if moment is None:
        return now
    try:
        moment = moment.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        raise ValidationError({field: "This is not a time that can be recorded."}) from None
    if moment.year < 1900:
        raise ValidationError({field: "This is too long ago."})
    if moment > now + dt.timedelta(minutes=5):
        raise ValidationError({field: "This cannot be in the future."})
    return moment


# --- skills ---------------------------------------------------------------------------------


def offence_code_of(crime: Event) -> str:
    return Crime.objects.filter(event=crime).values_list("offence_code", flat=True).first() or ""


def skills_needed(offence_code: str) -> list[str]:
    """The skills (any one of them) a crime with this Home Office code needs: those listed
    against the longest prefix of the code in the rule table; none if no prefix matches."""
    code = (offence_code or "").strip().upper()
    if not code:
        return []
    rows = [r for r in SkillRequirement.objects.all() if code.startswith(r.offence_prefix.upper())]
    if not rows:
        return []
    longest = max(len(r.offence_prefix) for r in rows)
    return sorted({r.skill for r in rows if len(r.offence_prefix) == longest})


def holds_any(officer_id: int, skills: list[str]) -> bool:
    return (
        not skills or OfficerSkill.objects.filter(officer_id=officer_id, skill__in=skills).exists()
    )


def skill_names(skills: list[str]) -> list[str]:
    return [Skill(s).label for s in skills]


def _skill_labels(skills: list[str]) -> str:
    return " or ".join(skill_names(skills))


@transaction.atomic
def add_officer_skill(*, actor: User, officer: User, skill: str) -> OfficerSkill:
    require(actor, "investigation.skills")
    _choice(skill, Skill, "skill")
    if OfficerSkill.objects.filter(officer=officer, skill=skill).exists():
        raise ValidationError({"skill": f"{officer.display_name} already has this skill."})
    row = OfficerSkill.objects.create(
        officer=officer, skill=skill, recorded_by=actor, recorded_at=timezone.now()
    )
    log_change(actor=actor, obj=row, action="create", summary=f"Skill: {Skill(skill).label}")
    audit.record(
        actor=actor,
        action=Action.CHANGE,
        record_type="user",
        record_id=officer.pk,
        label=officer.display_name,
        detail={"skill": skill},
    )
    return row


@transaction.atomic
def allocate_investigation(
    *, actor: User, crime: Event, officer: User, override_reason: str = ""
) -> Allocation:
    """Allocates a crime to an officer. Work that needs a skill the officer does not hold is
    refused unless a supervisor overrides with a reason, which is kept with the allocation."""
    require(actor, "work.allocate")
    crime = _crime(actor, crime)
    needed = skills_needed(offence_code_of(crime))
    override_reason = v.clean_text(override_reason, field="override_reason", max_length=1000)
    if needed and not holds_any(officer.pk, needed):
        if not override_reason:
            raise ValidationError(
                {
                    "officer": f"This crime needs an officer who is {_skill_labels(needed)}; "
                    f"{officer.display_name} is not. A supervisor may override with a reason."
                }
            )
        if not can(actor, "investigation.skill_override"):
            raise ValidationError(
                {"override_reason": "Only a supervisor may allocate past a missing skill."}
            )
        override = SkillOverride.objects.create(
            crime=crime,
            officer=officer,
            skills_needed=needed,
            reason=override_reason,
            authorised_by=actor,
            authorised_at=timezone.now(),
        )
        log_change(
            actor=actor,
            obj=override,
            action="create",
            subject=crime,
            summary=f"Skill override for {officer.display_name}: {override_reason}",
        )
    # The skill rule itself is enforced on work.allocated (investigation_reactions.py), so the
    # plain allocate page and API cannot bypass it; the override above is what it accepts.
    return crime_services.allocate(actor=actor, event=crime, officer=officer)


# --- the plan -------------------------------------------------------------------------------


@transaction.atomic
def add_enquiry_line(*, actor: User, crime: Event, kind: str, description: str) -> EnquiryLine:
    require(actor, "investigation.plan")
    crime = _crime(actor, crime)
    _choice(kind, EnquiryKind, "kind")
    now = timezone.now()
    line = EnquiryLine.objects.create(
        crime=crime,
        kind=kind,
        description=v.clean_text(description, field="description", max_length=500, required=True),
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    _written(actor, crime, line, f"Line of enquiry: {line.get_kind_display()}", line=line.pk)
    return line


@transaction.atomic
def update_enquiry_line(
    *,
    actor: User,
    crime: Event,
    line_id: int,
    status: str,
    result: str = "",
    not_possible_reason: str = "",
) -> EnquiryLine:
    """Moves a line of enquiry on. Done needs its result; not possible needs the reason."""
    require(actor, "investigation.plan")
    crime = _crime(actor, crime)
    line = EnquiryLine.objects.select_for_update().filter(crime=crime, pk=line_id).first()
    if line is None:
        raise ValidationError({"line": "There is no such line of enquiry on this crime."})
    _choice(status, EnquiryStatus, "status")
    result = v.clean_text(result, field="result", max_length=4000)
    reason = v.clean_text(not_possible_reason, field="not_possible_reason", max_length=500)
    if status == EnquiryStatus.DONE and not result:
        raise ValidationError({"result": "Say what the enquiry found."})
    if status == EnquiryStatus.NOT_POSSIBLE and not reason:
        raise ValidationError({"not_possible_reason": "Say why this enquiry is not possible."})
    before = {"status": line.status, "result": line.result}
    line.status, line.updated_at = status, timezone.now()
    line.result = result or line.result
    line.not_possible_reason = reason if status == EnquiryStatus.NOT_POSSIBLE else ""
    line.save()
    log_change(
        actor=actor,
        obj=line,
        action="change",
        before=before,
        subject=crime,
        summary=f"Line of enquiry {line.get_kind_display()}: {line.get_status_display()}",
    )
    audit.record(actor=actor, action=Action.CHANGE, obj=crime, detail={"line": line.pk})
    return line


def _victim_of(crime: Event, person: Person | None) -> Person | None:
    if person is None:
        return None
    if not PersonEventLink.objects.filter(
        event=crime, person=person, role=EventRole.VICTIM
    ).exists():
        raise ValidationError({"victim": "This person is not a victim of this crime."})
    return person


@transaction.atomic
def record_prosecution_wish(
    *,
    actor: User,
    crime: Event,
    wish: str,
    stated_on: dt.date | None = None,
    note: str = "",
    victim: Person | None = None,
) -> ProsecutionWish:
    """What the victim wants about prosecution (supports / does not / not yet known)."""
    require(actor, "investigation.plan")
    crime = _crime(actor, crime)
    _choice(wish, Wish, "wish")
    today = timezone.now().astimezone(LONDON).date()
    stated_on = stated_on or today
    if stated_on > today:
        raise ValidationError(
            {"stated_on": "The date the victim said this cannot be in the future."}
        )
    row = ProsecutionWish.objects.create(
        crime=crime,
        victim=_victim_of(crime, victim),
        wish=wish,
        stated_on=stated_on,
        note=v.clean_text(note, field="note", max_length=1000),
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    _written(actor, crime, row, f"Victim's wishes: {row.get_wish_display()}", wish=row.pk)
    return row


# --- suspects -------------------------------------------------------------------------------


def _suspect(crime: Event, person: Person) -> Person:
    if not PersonEventLink.objects.filter(
        event=crime, person=person, role=EventRole.SUSPECT
    ).exists():
        raise ValidationError({"person": "This person is not linked to the crime as a suspect."})
    return person


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _suspect_step(actor, crime, person, step, occurred_at, note, **fields) -> SuspectAction:
    require(actor, "investigation.suspect")
    crime = _crime(actor, crime)
    person = _suspect(crime, get_visible(Person.objects, actor, person.pk))
    action = SuspectAction.objects.create(
        crime=crime,
        person=person,
        step=step,
        occurred_at=_not_future(occurred_at, "occurred_at"),
        note=v.clean_text(note, field="note", max_length=1000),
        recorded_by=actor,
        recorded_at=timezone.now(),
        **fields,
    )
    _written(
        actor, crime, action, f"Suspect {action.get_step_display().lower()}", suspect=person.pk
    )
    return action


@transaction.atomic
def record_arrest(*, actor, crime, person, occurred_at=None, note="") -> SuspectAction:
    action = _suspect_step(actor, crime, person, SuspectStep.ARRESTED, occurred_at, note)
    # domain.md §1.4: the victim is told of an arrest within 5 working days (1 enhanced).
    emit("crime.suspect_arrested", subject=action.crime, actor=actor, payload={"person": person.pk})
    return action


@transaction.atomic
def record_interview(*, actor, crime, person, occurred_at=None, note="") -> SuspectAction:
    action = _suspect_step(actor, crime, person, SuspectStep.INTERVIEWED, occurred_at, note)
    # domain.md §1.4: interview under caution, 5 working days (1 enhanced).
    emit(
        "crime.suspect_interviewed",
        subject=action.crime,
        actor=actor,
        payload={"person": person.pk},
    )
    return action


@transaction.atomic
def record_release(
    *,
    actor,
    crime,
    person,
    how: str,
    bail_conditions: str = "",
    bail_conditions_changed: bool = False,
    bail_end: dt.date | None = None,
    occurred_at=None,
    note="",
) -> SuspectAction:
    """Release without charge (NFA), on pre-charge bail with an end date, or under
    investigation. Bail opens the officer's duty to review it before the end date."""
    _choice(how, Release, "how")
    conditions = v.clean_text(bail_conditions, field="bail_conditions", max_length=1000)
    released_on = _not_future(occurred_at, "occurred_at").astimezone(LONDON).date()
    if how == Release.BAIL:
        # domain.md §7: pre-charge bail runs 3 months at first (PCSC 2022); extensions need a
        # senior officer's authority, which this does not yet record, so no later date.
        latest = add_months(released_on, settings.BLUELAMP_PRE_CHARGE_BAIL_MONTHS)
        bail_end = bail_end or latest
        if not released_on < bail_end <= latest:
            raise ValidationError(
                {
                    "bail_end": f"Bail ends after the release and by {latest:%d %b %Y} (initial "
                    f"{settings.BLUELAMP_PRE_CHARGE_BAIL_MONTHS} months)."
                }
            )
    elif bail_end or conditions or bail_conditions_changed:
        field = "bail_end" if bail_end else "bail_conditions"
        raise ValidationError(
            {field: "Only a release on bail has bail conditions and an end date."}
        )
    action = _suspect_step(
        actor,
        crime,
        person,
        SuspectStep.RELEASED,
        occurred_at,
        note,
        release=how,
        bail_conditions=conditions,
        bail_conditions_changed=bool(bail_conditions_changed),
        bail_end=bail_end if how == Release.BAIL else None,
    )
    # domain.md §1.4: released without charge, on bail or RUI, or bail conditions changed:
    # the victim is told within 5 working days (1 enhanced).
    emit(
        "crime.suspect_released",
        subject=action.crime,
        actor=actor,
        payload={
            "person": person.pk,
            "how": how,
            "bail_conditions_changed": action.bail_conditions_changed,
            "bail_end": action.bail_end.isoformat() if action.bail_end else None,
        },
    )
    _end_bail(actor, action)
    if action.bail_end:
        emit(
            "crime.suspect_bailed",
            subject=action,
            actor=actor,
            payload={
                "crime": action.crime_id,
                "person": person.pk,
                "bail_end": action.bail_end.isoformat(),
            },
        )
        _set_bail_review_due(action)
    return action


def _end_bail(actor: User, action: SuspectAction) -> None:
    """A suspect's new release decision or disposal ends their running bail on this crime, and
    with it the duty to review that bail. Per suspect: another suspect's bail runs on."""
    running = SuspectAction.objects.select_for_update().filter(
        crime=action.crime_id,
        person=action.person_id,
        release=Release.BAIL,
        bail_ended_at__isnull=True,
    )
    for bail in running.exclude(pk=action.pk):
        bail.bail_ended_at = action.occurred_at
        bail.save(update_fields=["bail_ended_at"])
        emit(
            "crime.suspect_bail_ended",
            subject=bail,
            actor=actor,
            payload={"crime": bail.crime_id, "person": bail.person_id, "by": action.pk},
        )


def _set_bail_review_due(action: SuspectAction) -> None:
    """The bail-review duty (crime/policies.py) falls due a set number of days before this
    suspect's own bail end date, which the policy's deadline cannot see."""
    from .policies import PRE_CHARGE_BAIL_REVIEW

    due = dt.datetime.combine(
        action.bail_end - dt.timedelta(days=settings.BLUELAMP_BAIL_REVIEW_DAYS_BEFORE),
        dt.time(0),
        tzinfo=LONDON,
    ).astimezone(dt.UTC)
    Duty.objects.filter(
        policy=PRE_CHARGE_BAIL_REVIEW.name,
        subject_type=ContentType.objects.get_for_model(SuspectAction),
        subject_id=action.pk,
        outcome=Outcome.OPEN,
    ).update(due_at=max(due, action.occurred_at))


@transaction.atomic
def record_disposal(*, actor, crime, person, disposal: str, occurred_at=None, note=""):
    """Charge, out-of-court disposal, or the decision not to prosecute."""
    _choice(disposal, Disposal, "disposal")
    action = _suspect_step(
        actor, crime, person, SuspectStep.DISPOSED, occurred_at, note, disposal=disposal
    )
    # domain.md §1.4: charge, out-of-court disposal or no-prosecution decision, 5 WD (1 enhanced).
    emit(
        "crime.suspect_charged",
        subject=action.crime,
        actor=actor,
        payload={"person": person.pk, "disposal": disposal},
    )
    _end_bail(actor, action)
    return action


@transaction.atomic
def record_not_investigated(
    *, actor: User, crime: Event, reason: str, explanation: str
) -> NoFurtherInvestigation:
    """The decision not to investigate further, with the explanation the victim is owed
    (Victims' Code right 6: within 5 working days, 1 enhanced, domain.md §1.4)."""
    require(actor, "investigation.not_investigated")
    crime = _crime(actor, crime)
    _choice(reason, NotInvestigatedReason, "reason")
    if NoFurtherInvestigation.objects.filter(crime=crime).exists():
        raise ValidationError({"reason": "A decision not to investigate further is already made."})
    decision = NoFurtherInvestigation.objects.create(
        crime=crime,
        reason=reason,
        explanation=v.clean_text(explanation, field="explanation", max_length=2000, required=True),
        decided_by=actor,
        decided_at=timezone.now(),
    )
    _written(actor, crime, decision, "Not to be investigated further", decision=decision.pk)
    emit(
        "crime.not_investigated",
        subject=crime,
        actor=actor,
        payload={"reason": reason, "decision": decision.pk},
    )
    return decision


# --- forensic and digital ---------------------------------------------------------------------


@transaction.atomic
def record_forensic_decision(
    *, actor: User, crime: Event, kind: str, decided_yes: bool, rationale: str
) -> ForensicDecision:
    """A scene-attendance or forensic-submission decision; the rationale is required (the
    2014 report's recommendation)."""
    require(actor, "investigation.forensic")
    crime = _crime(actor, crime)
    _choice(kind, ForensicDecisionKind, "kind")
    decision = ForensicDecision.objects.create(
        crime=crime,
        kind=kind,
        decided_yes=bool(decided_yes),
        rationale=v.clean_text(rationale, field="rationale", max_length=2000, required=True),
        decided_by=actor,
        decided_at=timezone.now(),
    )
    _written(
        actor, crime, decision, f"{decision.get_kind_display()} decision", forensic=decision.pk
    )
    return decision


@transaction.atomic
def request_device_examination(
    *,
    actor: User,
    crime: Event,
    what_is_sought: str,
    device: PoleObject | None = None,
    device_description: str = "",
) -> DeviceExamination:
    require(actor, "investigation.forensic")
    crime = _crime(actor, crime)
    description = v.clean_text(device_description, field="device_description", max_length=300)
    if device is not None:
        device = get_visible(PoleObject.objects, actor, device.pk)
        if device.kind != ObjectKind.DEVICE:
            raise ValidationError({"device": "Choose a digital device (an object of kind device)."})
    elif not description:
        raise ValidationError({"device_description": "Describe the device, or choose one."})
    request = DeviceExamination.objects.create(
        crime=crime,
        device=device,
        device_description=description,
        what_is_sought=v.clean_text(
            what_is_sought, field="what_is_sought", max_length=1000, required=True
        ),
        requested_by=actor,
        requested_at=timezone.now(),
    )
    _written(actor, crime, request, "Device examination requested", examination=request.pk)
    return request


@transaction.atomic
def move_device_examination(
    *, actor: User, crime: Event, request_id: int, status: str, result: str = ""
) -> DeviceExamination:
    """requested -> accepted -> examined, or returned unexamined from either; a finished request
    (examined or returned) says what was found or why it came back."""
    require(actor, "investigation.device_examine")
    crime = _crime(actor, crime)
    request = (
        DeviceExamination.objects.select_for_update().filter(crime=crime, pk=request_id).first()
    )
    if request is None:
        raise ValidationError({"request": "There is no such examination request on this crime."})
    _choice(status, ExaminationStatus, "status")
    if status not in EXAMINATION_NEXT[ExaminationStatus(request.status)]:
        raise ValidationError(
            {
                "status": f"A request that is {request.get_status_display().lower()} cannot become "
                f"{ExaminationStatus(status).label.lower()}."
            }
        )
    result = v.clean_text(result, field="result", max_length=4000)
    now = timezone.now()
    before = {"status": request.status}
    if status == ExaminationStatus.ACCEPTED:
        request.accepted_at = now
    else:
        if not result:
            raise ValidationError({"result": "Say what was found, or why it is returned."})
        request.finished_at, request.finished_by, request.result = now, actor, result
    request.status = status
    request.save()
    log_change(
        actor=actor,
        obj=request,
        action="change",
        before=before,
        subject=crime,
        summary=f"Device examination {request.get_status_display().lower()}",
    )
    audit.record(actor=actor, action=Action.CHANGE, obj=crime, detail={"examination": request.pk})
    return request
