"""Recording calls, THRIVE grading, the incident log and vulnerability at the call. Each service
writes its rows, its history, its audit event and its domain event in one transaction, so the
attend-within-target and missed-target duties (policies.py) are never out of step."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bluelamp.accounts.models import Unit, User
from bluelamp.accounts.permissions import get_visible, require, require_unit
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core import events, links, places
from bluelamp.core import validation as v
from bluelamp.core.choices import EventKind, EventRole, EventStatus
from bluelamp.core.models import Event, Location, Person
from bluelamp.core.writes import written
from bluelamp.crime import incidents
from bluelamp.duties.services import duties_for, emit

from . import rules
from .models import Assessment, Call, Channel, Grade, LogEntry, Step, Vulnerability
from .models import VulnerabilityKind as Kind

THRIVE_FIELDS = ("threat", "harm", "risk", "investigation", "vulnerability", "engagement")
REVIEW_POLICY = "missed-target-review"


_choice = v.check_choice


def _incident(actor: User, incident: Event, *, open_only: bool = True) -> Event:
    """The incident about to be changed: locked, visible (404 if restricted) and in the actor's
    area. Every service that writes on an incident starts here."""
    incident = get_visible(Event.objects.select_for_update(), actor, incident.pk)
    require_unit(actor, incident.owning_unit)
    if incident.kind != EventKind.INCIDENT:
        raise ValidationError({"incident": "This is not an incident."})
    if open_only and incident.status != EventStatus.OPEN:
        raise ValidationError({"incident": "This incident is closed."})
    return incident


def _log(incident: Event, step: str, *, by, at=None, officer=None, unit=None, note="") -> LogEntry:
    return LogEntry.objects.create(
        incident=incident,
        step=step,
        at=at or timezone.now(),
        by=by,
        officer=officer,
        unit=unit,
        note=note[:1000],
    )


def _not_future(moment: dt.datetime | None, field: str, **bounds) -> dt.datetime:
    """The time given (within the bounds every record keeps, not in the future), or now."""
    return v.check_moment(moment, field=field, **bounds) or timezone.now()


def place_of_call(
    *, actor: User, line1: str = "", postcode: str = "", description: str = ""
) -> Location | None:
    """The place the call is about: a known location with the same address and postcode (so
    repeat locations are seen), or a new one; None when the caller gave no place."""
    if not any(x and x.strip() for x in (line1, postcode, description)):
        return None
    postcode = v.normalise_postcode(postcode)
    line1 = v.clean_text(line1, field="line1", max_length=200)
    if line1 and postcode:
        known = Location.objects.filter(line1__iexact=line1, postcode=postcode).first()
        if known is not None:
            return known
    return places.create_location(
        actor=actor, line1=line1, postcode=postcode, description=description
    )


@transaction.atomic
def record_call(
    *,
    actor: User,
    channel: str,
    account: str,
    owning_unit: Unit,
    may_be_crime: bool = False,
    caller: Person | None = None,
    caller_phone: str = "",
    location: Location | None = None,
    summary: str = "",
    received_at: dt.datetime | None = None,
) -> Call:
    """A call from the public: creates the incident (incidents.report_incident, so one that may be a
    crime gets its NCRS clock), links the caller, starts the incident log, emits call.received."""
    require(actor, "call.record")
    channel = _choice(channel, Channel, "channel")
    account = v.clean_text(account, field="account", max_length=4000, required=True)
    summary = v.clean_text(summary, field="summary", max_length=300) or account[:300]
    phone = v.clean_text(caller_phone, field="caller_phone", max_length=30)
    normalised = v.normalise_phone(phone, field="caller_phone") if phone else ""
    if caller is not None:
        caller = get_visible(Person.objects.all(), actor, caller.pk)
    received_at = _not_future(received_at, "received_at")
    incident = incidents.report_incident(
        actor=actor,
        summary=summary,
        owning_unit=owning_unit,
        may_be_crime=bool(may_be_crime),
        reported_at=received_at,
        location=location,
    )
    call = Call.objects.create(
        incident=incident,
        channel=channel,
        caller=caller,
        caller_phone=phone,
        caller_phone_normalised=normalised,
        account=account,
        may_be_crime=bool(may_be_crime),
        received_at=received_at,
        received_by=actor,
    )
    if caller is not None:
        links.link_person_to_event(
            actor=actor, person=caller, event=incident, role=EventRole.CALLER
        )
    _log(incident, Step.RECEIVED, by=actor, at=received_at, note=call.get_channel_display())
    written(
        call,
        actor=actor,
        action="create",
        subject=incident,
        summary=f"{call.get_channel_display()} call received",
        audit_action=Action.CREATE,  # the call brought the incident into being
        detail={"call": call.pk},
        event="call.received",
        payload={"call": call.pk, "channel": channel},
        at=received_at,
    )
    return call


def current_assessment(incident: Event) -> Assessment | None:
    return Assessment.objects.filter(incident=incident).first()


def _assess(
    actor: User, incident: Event, *, grade: str, reason: str, review: bool, **thrive
) -> Assessment:
    grade = _choice(grade, Grade, "grade")
    texts = {
        field: v.clean_text(thrive.get(field), field=field, max_length=2000, required=True)
        for field in (*THRIVE_FIELDS, "rationale")
    }
    previous = current_assessment(incident)
    reason = v.clean_text(reason, field="reason", max_length=2000)
    if (previous is not None or review) and not reason:
        # domain.md 2.1: a change in circumstances triggers a re-THRIVE; keep why.
        raise ValidationError({"reason": "Say why the incident is being re-graded."})
    now = timezone.now()
    area = rules.area_of(incident)
    assessment = Assessment.objects.create(
        incident=incident,
        grade=grade,
        area=area,
        regraded=previous is not None,
        reason=reason,
        is_target_review=review,
        assessed_by=actor,
        assessed_at=now,
        target_at=rules.target_for(grade, area, now),
        **texts,
    )
    step = Step.REVIEWED if review else (Step.REGRADED if previous else Step.GRADED)
    note = assessment.get_grade_display() + (f": {reason}" if reason else "")
    _log(incident, step, by=actor, at=now, note=note)
    written(
        assessment,
        actor=actor,
        action="create",
        subject=incident,
        summary=("Re-graded " if previous else "Graded ") + assessment.get_grade_display(),
        detail={"assessment": assessment.pk, "grade": grade},
        event="call.graded",
        payload={"grade": grade, "regraded": assessment.regraded},
        at=now,
    )
    return assessment


@transaction.atomic
def grade_call(
    *, actor: User, incident: Event, grade: str, reason: str = "", **thrive
) -> Assessment:
    """A THRIVE assessment and the grade it leads to. Re-grading adds a new assessment with its
    reason (never overwrites); the attend duty of the old grade is replaced (policies.py)."""
    require(actor, "call.grade")
    incident = _incident(actor, incident)
    return _assess(actor, incident, grade=grade, reason=reason, review=False, **thrive)


@transaction.atomic
def review_missed_target(
    *, actor: User, incident: Event, grade: str, reason: str, **thrive
) -> Assessment:
    """A control-room supervisor's review of a missed target: a re-THRIVE with the reason,
    which discharges the review duty (the 2018 report checks exactly this)."""
    require(actor, "incident.review_target")
    incident = _incident(actor, incident, open_only=False)
    if not duties_for(incident).filter(policy=REVIEW_POLICY, outcome="open").exists():
        raise ValidationError({"incident": "No missed target on this incident awaits review."})
    assessment = _assess(actor, incident, grade=grade, reason=reason, review=True, **thrive)
    emit(
        "incident.target_reviewed",
        subject=incident,
        actor=actor,
        payload={"assessment": assessment.pk, "grade": assessment.grade},
    )
    return assessment


def current_target(incident: Event) -> dt.datetime | None:
    """When the current grade's target falls: a booked appointment's end for a scheduled
    incident, otherwise the grade's span after grading (rules.py)."""
    assessment = current_assessment(incident)
    if assessment is None:
        return None
    if assessment.grade == Grade.SCHEDULED:
        booking = (
            incident.appointments.filter(booked_at__gte=assessment.assessed_at)
            .select_related("slot")
            .last()
        )
        if booking is not None:
            return booking.slot.ends_at
    return assessment.target_at


def mark_target_missed(*, actor: User | None, incident: Event, at: dt.datetime) -> bool:
    """Records, once per assessment, that the grade's target was missed, and emits
    ``incident.target_missed`` (opens the control-room supervisor's review duty)."""
    assessment = current_assessment(incident)
    if assessment is None or assessment.target_missed_at is not None:
        return False
    Assessment.objects.filter(pk=assessment.pk).update(target_missed_at=at)
    _log(incident, Step.TARGET_MISSED, by=actor, at=at, note=assessment.get_grade_display())
    emit(
        "incident.target_missed",
        subject=incident,
        actor=actor,
        payload={"grade": assessment.grade},
        at=at,
    )
    return True


def has_arrived(incident: Event) -> bool:
    return LogEntry.objects.filter(incident=incident, step=Step.ARRIVED).exists()


@transaction.atomic
def allocate_resource(
    *,
    actor: User,
    incident: Event,
    officer: User | None = None,
    unit: Unit | None = None,
    note: str = "",
) -> LogEntry:
    """Sends an officer or a unit (or both) to the incident: a step in the log."""
    require(actor, "incident.dispatch")
    incident = _incident(actor, incident)
    if officer is None and unit is None:
        raise ValidationError({"officer": "Choose an officer or a unit to send."})
    if officer is not None and not officer.is_active:
        raise ValidationError({"officer": "This officer's account is not active."})
    note = v.clean_text(note, field="note", max_length=1000)
    entry = _log(incident, Step.ALLOCATED, by=actor, officer=officer, unit=unit, note=note)
    who = ", ".join(str(x) for x in (officer and officer.display_name, unit) if x)
    written(
        entry,
        actor=actor,
        action="create",
        subject=incident,
        summary=f"Sent {who}",
        detail={"log": entry.pk},
    )
    return entry


@transaction.atomic
def record_arrival(
    *, actor: User, incident: Event, at: dt.datetime | None = None, note: str = ""
) -> LogEntry:
    """An officer arrives. The first arrival discharges the attend duty (at the arrival time, so
    compliance is honest); after the target it is a missed target, reviewed by a supervisor."""
    require(actor, "incident.attend")
    incident = _incident(actor, incident)
    at = _not_future(
        at, "at", not_before=incident.reported_at, not_before_what="the incident was reported"
    )
    note = v.clean_text(note, field="note", max_length=1000)
    first = not has_arrived(incident)
    entry = _log(incident, Step.ARRIVED, by=actor, at=at, officer=actor, note=note)
    written(
        entry,
        actor=actor,
        action="create",
        subject=incident,
        summary="Arrived",
        detail={"log": entry.pk},
        event="incident.arrived" if first else "",
        at=at,
    )
    if first:
        target = current_target(incident)
        if target is not None and at > target:
            mark_target_missed(actor=actor, incident=incident, at=at)
    return entry


@transaction.atomic
def close_incident(*, actor: User, incident: Event, note: str) -> LogEntry:
    """Closes the incident with its result. Closing without attendance after the target (for
    a resolution without deployment: contacting the caller late) is a missed target too."""
    require(actor, "incident.close")
    incident = _incident(actor, incident)
    note = v.clean_text(note, field="note", max_length=1000, required=True)
    now = timezone.now()
    target = current_target(incident)
    if target is not None and now > target and not has_arrived(incident):
        mark_target_missed(actor=actor, incident=incident, at=now)
    events.change_event(actor=actor, event=incident, status=EventStatus.CLOSED)
    entry = _log(incident, Step.CLOSED, by=actor, at=now, note=note)
    audit.record(actor=actor, action=Action.CHANGE, obj=incident, detail={"log": entry.pk})
    emit("incident.closed", subject=incident, actor=actor, at=now)
    return entry


@transaction.atomic
def record_vulnerability(
    *, actor: User, incident: Event, kinds: list[str], people: list[Person], note: str = ""
) -> Vulnerability:
    """Vulnerability identified at the call, by kind and person, for safeguarding to act on."""
    require(actor, "vulnerability.record")
    incident = _incident(actor, incident, open_only=False)
    kinds = list(dict.fromkeys(kinds or []))
    if not kinds:
        raise ValidationError({"kinds": "Choose at least one kind of vulnerability."})
    for kind in kinds:
        _choice(kind, Kind, "kinds")
    if not people:
        raise ValidationError({"people": "Name the person or people who are vulnerable."})
    people = [get_visible(Person.objects.all(), actor, p.pk) for p in people]
    note = v.clean_text(note, field="note", max_length=2000)
    if Kind.OTHER in kinds and not note:
        raise ValidationError({"note": "Describe the vulnerability when it is 'other'."})
    record = Vulnerability.objects.create(
        incident=incident, kinds=kinds, note=note, recorded_by=actor, recorded_at=timezone.now()
    )
    record.people.set(people)
    written(
        record,
        actor=actor,
        action="create",
        subject=incident,
        summary="Vulnerability: " + ", ".join(record.kind_labels()),
        detail={"vulnerability": record.pk, "people": [p.pk for p in people]},
        event="vulnerability.identified",
        payload={"kinds": kinds, "people": [p.pk for p in people]},
    )
    return record
