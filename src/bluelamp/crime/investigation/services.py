"""Investigating a crime: allocation matched to skills, the plan (lines of enquiry, the victim's
wishes), the decision not to investigate further, forensic decisions and digital examination
requests; what happens to suspects is in suspects.py. The two are the only writers of models.py.

Each service checks the actor's permission, finds the crime through ``get_visible`` (a restricted
crime is a 404), validates naming the field, writes, logs history and audit, and emits the
domain event (docs/events.md) in one transaction."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import can, get_visible, require, require_unit
from bluelamp.audit.models import Action
from bluelamp.core import validation as v
from bluelamp.core.choices import EventKind, EventRole, ObjectKind
from bluelamp.core.history import log_change
from bluelamp.core.models import Event, Person, PersonEventLink, PoleObject
from bluelamp.core.writes import written
from bluelamp.crime import supervision
from bluelamp.crime.models import Allocation
from bluelamp.duties.deadlines import LONDON
from bluelamp.duties.services import emit

from .models import (
    EXAMINATION_NEXT,
    DeviceExamination,
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
    Skill,
    SkillOverride,
    Wish,
)
from .queries import holds_any, offence_code_of, skill_names, skills_needed

_choice = v.check_choice


def _crime(actor: User, crime: Event | int) -> Event:
    """The crime about to be changed: locked, visible to the actor (404 if restricted) and in
    the actor's area (every service below and in suspects.py writes after it)."""
    pk = crime.pk if isinstance(crime, Event) else crime
    event = get_visible(Event.objects.select_for_update(), actor, pk)
    require_unit(actor, event.owning_unit)
    if event.kind != EventKind.CRIME:
        raise ValidationError({"crime": "This is recorded on a crime."})
    return event


def _written(actor: User, crime: Event, obj, summary: str, **detail) -> None:
    written(
        obj,
        actor=actor,
        action="change",
        before={},
        summary=summary,
        subject=crime,
        detail=detail,
    )


def _not_future(moment: dt.datetime | None, field: str, *, crime: Event | None = None):
    """When something was done on a crime (default now): within the bounds every record keeps,
    not in the future, and not before the crime happened when that is known. (Not bounded by
    when it was reported: a suspect arrested at the scene is often arrested before that.)"""
    began = crime.occurred_from if crime is not None else None
    return (
        v.check_moment(moment, field=field, not_before=began, not_before_what="the crime happened")
        or timezone.now()
    )


# --- skills (the rule itself, which skills a crime needs, is read in queries.py) -------------


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
    written(
        row,
        actor=actor,
        action="create",
        summary=f"Skill: {Skill(skill).label}",
        audit_action=Action.CHANGE,
        audited=officer,
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
        # History only: the allocation below audits this write and emits its event.
        log_change(
            actor=actor,
            obj=override,
            action="create",
            subject=crime,
            summary=f"Skill override for {officer.display_name}: {override_reason}",
        )
    # The skill rule itself is enforced on work.allocated (reactions.py), so the
    # plain allocate page and API cannot bypass it; the override above is what it accepts.
    return supervision.allocate(actor=actor, event=crime, officer=officer)


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
    written(
        line,
        actor=actor,
        action="change",
        before=before,
        save=True,
        summary=f"Line of enquiry {line.get_kind_display()}: {line.get_status_display()}",
        subject=crime,
        detail={"line": line.pk},
    )
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
    stated_on = (
        v.check_day(
            stated_on,
            field="stated_on",
            not_before=v.record_day(crime.reported_at),
            not_before_what="the crime was reported",
        )
        or timezone.now().astimezone(LONDON).date()
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
    written(
        request,
        actor=actor,
        action="change",
        before=before,
        save=True,
        summary=f"Device examination {request.get_status_display().lower()}",
        subject=crime,
        detail={"examination": request.pk},
    )
    return request
