"""JSON API for missing/: reports, reviews, sightings, lines of enquiry and the return. Same
services as the pages; a report the caller may not see is a 404. The person is an existing
record (``person_id``): match first (``/api/people/match``), as the page does."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.exceptions import ValidationError
from ninja import Query, Router, Schema, Status
from pydantic import Field

from bluelamp.accounts.models import Unit
from bluelamp.accounts.permissions import get_visible
from bluelamp.core.api import ERRORS
from bluelamp.core.models import Person
from bluelamp.core.schemas import Error, Id, Moment

from . import queries, services
from .models import InterviewOutcome, MissingFrom, ReportStatus, RiskGrade

router = Router(tags=["missing people"])

Grade = Literal[tuple(RiskGrade.values)]  # type: ignore[valid-type]
Text300 = Field(..., min_length=1, max_length=300)


class MissingFlagRead(Schema):
    name: str
    reasons: list[str]


class MissingReportRead(Schema):
    id: int
    reference: str
    person_id: int
    owning_unit_id: int
    reported_at: dt.datetime
    last_seen_at: dt.datetime
    last_seen_where: str
    missing_from: str
    circumstances: str
    risk_grade: str
    risk_reasons: str
    is_child: bool
    status: str
    returned_at: dt.datetime | None
    found_where: str
    safe_and_well_at: dt.datetime | None
    interview_outcome: str
    interview_offered_at: dt.datetime | None


class MissingReportDetail(MissingReportRead):
    flags: list[MissingFlagRead] = []


class MissingReportCreate(Schema):
    person_id: Id
    owning_unit_id: Id | None = None
    last_seen_at: Moment
    last_seen_where: str = Text300
    missing_from: Literal[tuple(MissingFrom.values)]  # type: ignore[valid-type]
    circumstances: str = Field(..., min_length=1, max_length=4000)
    risk_grade: Grade
    risk_reasons: str = Field(..., min_length=1, max_length=2000)
    is_child: bool | None = None


class MissingReportQuery(Schema):
    status: Literal[tuple(ReportStatus.values)] | None = None  # type: ignore[valid-type]
    grade: Grade | None = None


class MissingReviewCreate(Schema):
    grade: Grade
    reasons: str = Field(..., min_length=1, max_length=2000)
    actions: str = Field("", max_length=2000)


class SightingCreate(Schema):
    seen_at: Moment
    where: str = Text300
    reported_by: str = Field(..., min_length=1, max_length=200)
    note: str = Field("", max_length=2000)


class EnquiryCreate(Schema):
    description: str = Field(..., min_length=1, max_length=500)


class EnquiryDone(Schema):
    enquiry_id: Id
    result: str = Field(..., min_length=1, max_length=2000)


class ReturnCreate(Schema):
    returned_at: Moment
    found_where: str = Text300
    return_account: str = Field("", max_length=2000)
    safe_and_well_at: Moment | None = None
    safe_and_well_findings: str = Field("", max_length=2000)


class SafeAndWellCreate(Schema):
    findings: str = Field(..., min_length=1, max_length=2000)
    at: Moment | None = None


class InterviewCreate(Schema):
    outcome: Literal[tuple(InterviewOutcome.values)]  # type: ignore[valid-type]
    provider: str = Field(..., min_length=1, max_length=200)
    offered_at: Moment | None = None


def _detail(request, report) -> dict:
    data = MissingReportRead.from_orm(report).dict()
    flags = queries.flags_for(report, request.user)
    return data | {"flags": [{"name": f.name, "reasons": f.reasons} for f in flags]}


@router.get(
    "/missing", response={200: list[MissingReportRead], ERRORS: Error}, operation_id="list_missing"
)
def list_missing(request, filters: Query[MissingReportQuery]):
    reports = queries.list_reports(
        actor=request.user, status=filters.status or "", grade=filters.grade or ""
    )
    return list(reports[:500])


@router.post(
    "/missing", response={201: MissingReportDetail, ERRORS: Error}, operation_id="report_missing"
)
def report_missing(request, payload: MissingReportCreate):
    data = payload.dict()
    person = get_visible(Person.objects, request.user, data.pop("person_id"))
    unit_id = data.pop("owning_unit_id") or request.user.unit_id
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise ValidationError({"owning_unit_id": "No such unit."})
    report = services.report_missing(actor=request.user, person=person, owning_unit=unit, **data)
    return Status(201, _detail(request, report))


@router.get(
    "/missing/{report_id}",
    response={200: MissingReportDetail, ERRORS: Error},
    operation_id="view_missing_report",
)
def view_missing_report(request, report_id: int):
    return _detail(request, queries.view_report(actor=request.user, pk=report_id))


def _act(request, report_id: int, call, payload) -> dict:
    report = queries.view_report(actor=request.user, pk=report_id)
    call(actor=request.user, report=report, **payload.dict())
    report.refresh_from_db()
    return _detail(request, report)


@router.post(
    "/missing/{report_id}/reviews",
    response={200: MissingReportDetail, ERRORS: Error},
    operation_id="review_missing_report",
)
def review_missing_report(request, report_id: int, payload: MissingReviewCreate):
    return _act(request, report_id, services.record_review, payload)


@router.post(
    "/missing/{report_id}/sightings",
    response={200: MissingReportDetail, ERRORS: Error},
    operation_id="record_missing_sighting",
)
def record_missing_sighting(request, report_id: int, payload: SightingCreate):
    return _act(request, report_id, services.record_sighting, payload)


@router.post(
    "/missing/{report_id}/enquiries",
    response={200: MissingReportDetail, ERRORS: Error},
    operation_id="add_missing_enquiry",
)
def add_missing_enquiry(request, report_id: int, payload: EnquiryCreate):
    return _act(request, report_id, services.add_enquiry, payload)


@router.post(
    "/missing/{report_id}/enquiries/done",
    response={200: MissingReportDetail, ERRORS: Error},
    operation_id="complete_missing_enquiry",
)
def complete_missing_enquiry(request, report_id: int, payload: EnquiryDone):
    return _act(request, report_id, services.complete_enquiry, payload)


@router.post(
    "/missing/{report_id}/return",
    response={200: MissingReportDetail, ERRORS: Error},
    operation_id="record_missing_return",
)
def record_missing_return(request, report_id: int, payload: ReturnCreate):
    return _act(request, report_id, services.record_return, payload)


@router.post(
    "/missing/{report_id}/safe-and-well",
    response={200: MissingReportDetail, ERRORS: Error},
    operation_id="record_safe_and_well",
)
def record_safe_and_well(request, report_id: int, payload: SafeAndWellCreate):
    return _act(request, report_id, services.record_safe_and_well, payload)


@router.post(
    "/missing/{report_id}/return-interview",
    response={200: MissingReportDetail, ERRORS: Error},
    operation_id="record_return_interview",
)
def record_return_interview(request, report_id: int, payload: InterviewCreate):
    return _act(request, report_id, services.record_return_interview, payload)
