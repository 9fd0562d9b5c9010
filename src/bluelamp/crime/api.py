"""JSON API for incidents, recording decisions, allocation and supervisors' reviews."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from ninja import Path, Router, Schema, Status
from pydantic import Field

from bluelamp.accounts.models import Unit
from bluelamp.accounts.permissions import get_visible
from bluelamp.core.api import ERRORS
from bluelamp.core.models import Event
from bluelamp.core.schemas import Day0, Error, EventRead, Id, Moment

from . import incidents, recording, supervision

router = Router(tags=["crime"])


class IncidentCreate(Schema):
    summary: str = Field(..., min_length=1, max_length=300)
    owning_unit_id: Id
    may_be_crime: bool
    may_be_rape: bool = Field(
        False, description="the report may be of a rape or attempted rape (domain.md 4.3 N100)"
    )
    reported_at: Moment | None = None


class CrimeIdentifiedCreate(Schema):
    reason: str = Field(..., min_length=1, max_length=1000)
    may_be_rape: bool = False


class IncidentReportRead(Schema):
    may_be_crime: bool
    may_be_rape: bool
    crime_identified_at: dt.datetime | None


class DecisionCreate(Schema):
    decision: str = Field(..., max_length=10, description="crimed, no_crime, n100 or fraud")
    reason: str = Field(..., min_length=1, max_length=1000)
    crime_summary: str = Field("", max_length=300)
    offence_code: str = Field(
        "", max_length=10, description="Home Office code: needed for crimed, n100 and fraud"
    )
    action_fraud_reference: str = Field("", max_length=40, description="fraud: the reference")
    referred_on: Day0 | None = Field(None, description="fraud: the referral date")
    rape_reported: bool | None = Field(
        None,
        description="was the report of a rape or attempted rape? Needed for no_crime without "
        "an offence code (domain.md 4.3 N100)",
    )
    flags: list[str] = Field(
        [], max_length=10, description="crimed: crime flags (domestic_abuse, hate_crime)"
    )


class DecisionRead(Schema):
    id: int
    incident_id: int
    decision: str
    offence_code: str
    reason: str
    crime_id: int | None
    decided_at: dt.datetime


class AllocationCreate(Schema):
    officer_id: Id


class AllocationRead(Schema):
    id: int
    event_id: int
    officer_id: int
    allocated_at: dt.datetime


class ReviewCreate(Schema):
    direction: str = Field(..., min_length=1, max_length=4000)


class ReviewRead(Schema):
    id: int
    event_id: int
    reviewer_id: int
    reviewed_at: dt.datetime
    direction: str


@router.post("/incidents", response={201: EventRead, ERRORS: Error}, operation_id="report_incident")
def report_incident(request, payload: IncidentCreate):
    incident = incidents.report_incident(
        actor=request.user,
        summary=payload.summary,
        owning_unit=get_object_or_404(Unit, pk=payload.owning_unit_id),
        may_be_crime=payload.may_be_crime,
        may_be_rape=payload.may_be_rape,
        reported_at=payload.reported_at,
    )
    return Status(201, incident)


def _event(request, event_id: int) -> Event:
    return get_visible(Event.objects.all(), request.user, event_id)


@router.post(
    "/incidents/{event_id}/decision",
    response={201: DecisionRead, ERRORS: Error},
    operation_id="record_recording_decision",
)
def record_recording_decision(request, event_id: Path[Id], payload: DecisionCreate):
    decision = recording.record_recording_decision(
        actor=request.user, incident=_event(request, event_id), **payload.dict()
    )
    return Status(201, decision)


@router.post(
    "/incidents/{event_id}/crime-identified",
    response={201: IncidentReportRead, ERRORS: Error},
    operation_id="identify_possible_crime",
)
def identify_possible_crime(request, event_id: Path[Id], payload: CrimeIdentifiedCreate):
    """An incident not first marked as a possible crime is found to involve one: opens the
    24-hour recording decision from now (NCRS)."""
    report = incidents.identify_possible_crime(
        actor=request.user, incident=_event(request, event_id), **payload.dict()
    )
    return Status(201, report)


@router.post(
    "/events/{event_id}/allocation",
    response={201: AllocationRead, ERRORS: Error},
    operation_id="allocate_work",
)
def allocate_work(request, event_id: Path[Id], payload: AllocationCreate):
    officer = get_object_or_404(get_user_model(), pk=payload.officer_id)
    allocation = supervision.allocate(
        actor=request.user, event=_event(request, event_id), officer=officer
    )
    return Status(201, allocation)


@router.post(
    "/events/{event_id}/reviews",
    response={201: ReviewRead, ERRORS: Error},
    operation_id="record_supervisor_review",
)
def record_supervisor_review(request, event_id: Path[Id], payload: ReviewCreate):
    review = supervision.record_supervisor_review(
        actor=request.user, event=_event(request, event_id), direction=payload.direction
    )
    return Status(201, review)
