"""JSON API for Clare's Law: applications, checks, the panel's decision and the disclosure. Same
services as the pages; an application the caller may not see is a 404."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.exceptions import ValidationError
from ninja import Router, Schema, Status
from pydantic import Field

from bluelamp.accounts.models import Unit
from bluelamp.accounts.permissions import get_visible
from bluelamp.core.api import ERRORS
from bluelamp.core.models import Person
from bluelamp.core.schemas import Error, Id, Moment

from . import disclosure
from .models import CheckSource, Route

router = Router(tags=["Clare's Law"])


class DvdsApplicationRead(Schema):
    id: int
    reference: str
    route: str
    person_at_risk_id: int
    subject_id: int
    applicant_name: str
    applicant_relationship: str
    received_at: dt.datetime
    decision_due_at: dt.datetime
    state: str
    disclose: bool | None

    @staticmethod
    def resolve_disclose(application) -> bool | None:
        decision = getattr(application, "decision", None)
        return decision.disclose if decision else None


class DvdsApplicationCreate(Schema):
    route: Literal[tuple(Route.values)]  # type: ignore[valid-type]
    person_at_risk_id: Id
    subject_id: Id
    owning_unit_id: Id | None = None
    reason: str = Field(..., min_length=1, max_length=4000)
    applicant_name: str = Field("", max_length=200)
    applicant_relationship: str = Field("", max_length=200)
    received_at: Moment | None = None


class DvdsCheckCreate(Schema):
    source: Literal[tuple(CheckSource.values)]  # type: ignore[valid-type]
    finding: str = Field(..., min_length=1, max_length=4000)


class DvdsDecisionCreate(Schema):
    necessary: bool
    proportionate: bool
    rationale: str = Field(..., min_length=1, max_length=4000)
    panel: str = Field(..., min_length=1, max_length=500)


class DvdsDisclosureCreate(Schema):
    what_was_said: str = Field(..., min_length=1, max_length=4000)
    safety_plan: str = Field("", max_length=2000)
    disclosed_at: Moment | None = None


@router.get(
    "/clares-law",
    response={200: list[DvdsApplicationRead], ERRORS: Error},
    operation_id="list_dvds",
)
def list_dvds(request):
    return list(disclosure.list_applications(actor=request.user)[:500])


@router.post(
    "/clares-law", response={201: DvdsApplicationRead, ERRORS: Error}, operation_id="receive_dvds"
)
def receive_dvds(request, payload: DvdsApplicationCreate):
    data = payload.dict()
    at_risk = get_visible(Person.objects, request.user, data.pop("person_at_risk_id"))
    subject = get_visible(Person.objects, request.user, data.pop("subject_id"))
    unit = Unit.objects.filter(pk=data.pop("owning_unit_id") or request.user.unit_id).first()
    if unit is None:
        raise ValidationError({"owning_unit_id": "No such unit."})
    application = disclosure.receive_application(
        actor=request.user, person_at_risk=at_risk, subject=subject, owning_unit=unit, **data
    )
    return Status(201, application)


@router.get(
    "/clares-law/{application_id}",
    response={200: DvdsApplicationRead, ERRORS: Error},
    operation_id="view_dvds",
)
def view_dvds(request, application_id: int):
    return disclosure.view_application(actor=request.user, pk=application_id)


def _act(request, application_id: int, call, payload):
    application = disclosure.view_application(actor=request.user, pk=application_id)
    call(actor=request.user, application=application, **payload.dict())
    return disclosure.view_application(actor=request.user, pk=application_id)


@router.post(
    "/clares-law/{application_id}/checks",
    response={200: DvdsApplicationRead, ERRORS: Error},
    operation_id="record_dvds_check",
)
def record_dvds_check(request, application_id: int, payload: DvdsCheckCreate):
    return _act(request, application_id, disclosure.record_check, payload)


@router.post(
    "/clares-law/{application_id}/decision",
    response={200: DvdsApplicationRead, ERRORS: Error},
    operation_id="record_dvds_decision",
)
def record_dvds_decision(request, application_id: int, payload: DvdsDecisionCreate):
    return _act(request, application_id, disclosure.record_decision, payload)


@router.post(
    "/clares-law/{application_id}/disclosure",
    response={200: DvdsApplicationRead, ERRORS: Error},
    operation_id="record_dvds_disclosure",
)
def record_dvds_disclosure(request, application_id: int, payload: DvdsDisclosureCreate):
    return _act(request, application_id, disclosure.record_disclosure, payload)
