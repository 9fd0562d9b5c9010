"""JSON API for contact/: record a call, grade it (THRIVE), log a step, book an appointment,
record vulnerability, and read an incident's grade, target, flags and log. The same services
as the pages; bad input is a 422 naming the field."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from ninja import Path, Router, Schema, Status
from pydantic import Field

from bluelamp.accounts.models import Unit
from bluelamp.accounts.permissions import get_visible
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core import persons
from bluelamp.core.api import ERRORS
from bluelamp.core.choices import EventKind
from bluelamp.core.models import Event, Location, Person
from bluelamp.core.schemas import BirthDay, Error, Id, Moment
from bluelamp.people.entry import ChooseFirst, Entry
from bluelamp.people.schemas import ChooseRead, choose_read

from . import diary, intake, services
from .flags import flags_for
from .models import AppointmentSlot

router = Router(tags=["contact"])

Thrive = Field(..., min_length=1, max_length=2000)


class CallerIn(Schema):
    """A caller not yet chosen from a search, by name and date of birth. Likely existing records
    are answered 409 with those records (match-on-entry): send the call again with ``chosen``
    set to one of their ids, or to "new"."""

    given_names: str = Field("", max_length=120)
    family_name: str = Field("", max_length=120)
    dob: BirthDay | None = None
    chosen: str = Field(
        "", max_length=20, description='"" (offer me likely records), "new" or an offered id'
    )


class CallCreate(Schema):
    channel: Literal["999", "101", "online", "in_person"]
    account: str = Field(..., min_length=1, max_length=4000)
    owning_unit_id: Id | None = None
    may_be_crime: bool = False
    caller_id: Id | None = Field(None, description="A known caller; or give ``caller``")
    caller: CallerIn | None = None
    caller_phone: str = Field("", max_length=30)
    location_id: Id | None = None
    summary: str = Field("", max_length=300)
    received_at: Moment | None = None


class CallRead(Schema):
    id: int
    incident_id: int
    reference: str
    channel: str
    caller_id: int | None
    received_at: dt.datetime


class GradeCreate(Schema):
    grade: Literal["emergency", "priority", "scheduled", "resolution"]
    threat: str = Thrive
    harm: str = Thrive
    risk: str = Thrive
    investigation: str = Thrive
    vulnerability: str = Thrive
    engagement: str = Thrive
    rationale: str = Thrive
    reason: str = Field("", max_length=2000, description="Required when re-grading")
    review: bool = Field(False, description="A supervisor's review of a missed target")


class GradeRead(Schema):
    id: int
    incident_id: int
    grade: str
    area: str
    regraded: bool
    reason: str
    is_target_review: bool
    assessed_at: dt.datetime
    target_at: dt.datetime


class StepCreate(Schema):
    step: Literal["allocated", "arrived", "closed"]
    officer_id: Id | None = None
    unit_id: Id | None = None
    at: Moment | None = Field(None, description="Arrival time; default now")
    note: str = Field("", max_length=1000)


class StepRead(Schema):
    id: int
    incident_id: int
    step: str
    at: dt.datetime
    officer_id: int | None
    unit_id: int | None
    note: str


class AppointmentCreate(Schema):
    slot_id: Id
    note: str = Field("", max_length=500)


class AppointmentRead(Schema):
    id: int
    incident_id: int
    slot_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime


class VulnerabilityCreate(Schema):
    kinds: list[str] = Field(..., min_length=1, max_length=7)
    people: list[Id] = Field(..., min_length=1, max_length=50)
    note: str = Field("", max_length=2000)


class VulnerabilityRead(Schema):
    id: int
    incident_id: int
    kinds: list[str]
    people: list[int]


class FlagRead(Schema):
    kind: str
    label: str
    reason: str


class IncidentContactRead(Schema):
    incident_id: int
    reference: str
    status: str
    grade: str | None
    target_at: dt.datetime | None
    flags: list[FlagRead]
    log: list[StepRead]


def _incident(request, incident_id: int) -> Event:
    return get_visible(Event.objects.filter(kind=EventKind.INCIDENT), request.user, incident_id)


def _caller(payload: CallCreate) -> Entry | None:
    if payload.caller_id and payload.caller:
        raise ValidationError({"caller": "Give caller_id or caller, not both."})
    if payload.caller_id:
        return Entry(field="caller", person_id=payload.caller_id)
    if payload.caller is None:
        return None
    dob = payload.caller.dob
    details = persons.NewPerson(
        given_names=payload.caller.given_names,
        family_name=payload.caller.family_name,
        dob_year=dob.year if dob else None,
        dob_month=dob.month if dob else None,
        dob_day=dob.day if dob else None,
    )
    return Entry(
        field="caller", details=details, chosen=payload.caller.chosen, phone=payload.caller_phone
    )


@router.post(
    "/calls", response={201: CallRead, 409: ChooseRead, ERRORS: Error}, operation_id="record_call"
)
def record_call(request, payload: CallCreate):
    location = None
    if payload.caller_id:
        # A known caller the user may not see does not exist for them (404, as before).
        get_visible(Person.objects.all(), request.user, payload.caller_id)
    if payload.location_id:
        location = Location.objects.filter(pk=payload.location_id).first()
        if location is None:
            raise ValidationError({"location_id": "No such location."})
    unit = request.user.unit
    if payload.owning_unit_id:
        unit = Unit.objects.filter(pk=payload.owning_unit_id).first()
        if unit is None:
            raise ValidationError({"owning_unit_id": "No such unit."})
    details = intake.CallDetails(
        channel=payload.channel,
        account=payload.account,
        owning_unit=unit,
        may_be_crime=payload.may_be_crime,
        caller_phone=payload.caller_phone,
        location=location,
        summary=payload.summary,
        received_at=payload.received_at,
    )
    try:
        call = intake.take_call(actor=request.user, details=details, caller=_caller(payload))
    except ChooseFirst as ask:
        return Status(409, choose_read(ask.audited(request.user)))
    return Status(
        201,
        {
            "id": call.pk,
            "incident_id": call.incident_id,
            "reference": call.incident.reference,
            "channel": call.channel,
            "caller_id": call.caller_id,
            "received_at": call.received_at,
        },
    )


@router.post(
    "/incidents/{incident_id}/grade",
    response={201: GradeRead, ERRORS: Error},
    operation_id="grade_call",
)
def grade_call(request, incident_id: Path[Id], payload: GradeCreate):
    values = payload.dict()
    review = values.pop("review")
    service = services.review_missed_target if review else services.grade_call
    assessment = service(actor=request.user, incident=_incident(request, incident_id), **values)
    return Status(201, assessment)


@router.post(
    "/incidents/{incident_id}/log",
    response={201: StepRead, ERRORS: Error},
    operation_id="log_incident_step",
)
def log_incident_step(request, incident_id: Path[Id], payload: StepCreate):
    incident = _incident(request, incident_id)
    if payload.step == "allocated":
        officer = unit = None
        if payload.officer_id:
            officer = get_user_model().objects.filter(pk=payload.officer_id).first()
            if officer is None:
                raise ValidationError({"officer_id": "No such officer."})
        if payload.unit_id:
            unit = Unit.objects.filter(pk=payload.unit_id).first()
            if unit is None:
                raise ValidationError({"unit_id": "No such unit."})
        entry = services.allocate_resource(
            actor=request.user, incident=incident, officer=officer, unit=unit, note=payload.note
        )
    elif payload.step == "arrived":
        entry = services.record_arrival(
            actor=request.user, incident=incident, at=payload.at, note=payload.note
        )
    else:
        entry = services.close_incident(actor=request.user, incident=incident, note=payload.note)
    return Status(201, entry)


@router.post(
    "/incidents/{incident_id}/appointment",
    response={201: AppointmentRead, ERRORS: Error},
    operation_id="book_appointment",
)
def book_appointment(request, incident_id: Path[Id], payload: AppointmentCreate):
    incident = _incident(request, incident_id)
    slot = AppointmentSlot.objects.filter(pk=payload.slot_id).first()
    if slot is None:
        raise ValidationError({"slot_id": "No such diary slot."})
    booked = diary.book_appointment(
        actor=request.user, incident=incident, slot=slot, note=payload.note
    )
    return Status(
        201,
        {
            "id": booked.pk,
            "incident_id": incident.pk,
            "slot_id": slot.pk,
            "starts_at": slot.starts_at,
            "ends_at": slot.ends_at,
        },
    )


@router.post(
    "/incidents/{incident_id}/vulnerability",
    response={201: VulnerabilityRead, ERRORS: Error},
    operation_id="record_vulnerability",
)
def record_vulnerability(request, incident_id: Path[Id], payload: VulnerabilityCreate):
    incident = _incident(request, incident_id)
    people = [get_visible(Person.objects.all(), request.user, pk) for pk in payload.people]
    record = services.record_vulnerability(
        actor=request.user, incident=incident, kinds=payload.kinds, people=people, note=payload.note
    )
    return Status(
        201,
        {
            "id": record.pk,
            "incident_id": incident.pk,
            "kinds": record.kinds,
            "people": [p.pk for p in people],
        },
    )


@router.get(
    "/incidents/{incident_id}/contact",
    response={200: IncidentContactRead, ERRORS: Error},
    operation_id="view_incident_contact",
)
def view_incident_contact(request, incident_id: Path[Id]):
    incident = _incident(request, incident_id)
    audit.record(actor=request.user, action=Action.VIEW, obj=incident, detail={"contact": True})
    assessment = services.current_assessment(incident)
    return {
        "incident_id": incident.pk,
        "reference": incident.reference,
        "status": incident.status,
        "grade": assessment.grade if assessment else None,
        "target_at": services.current_target(incident),
        "flags": [f.__dict__ for f in flags_for(actor=request.user, incident=incident)],
        "log": list(incident.log_entries.all()),
    }
