"""JSON API for Clare's Law: applications (right to ask: the applicant matched on entry, 409 with
the likely records until one is chosen), checks, the panel's decision and the disclosure. Same
services as the pages; an application the caller may not see is a 404."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from ninja import Router, Schema, Status
from pydantic import Field

from bluelamp.accounts.models import Unit
from bluelamp.accounts.permissions import get_visible, hidden_ids
from bluelamp.core import persons
from bluelamp.core.api import ERRORS
from bluelamp.core.models import Person
from bluelamp.core.schemas import Error, Id, Moment
from bluelamp.core.transactions import service_transaction
from bluelamp.people.entry import ChooseFirst, Entry, resolve_people
from bluelamp.people.schemas import choose_read

from . import disclosure
from .models import CheckSource, Route

router = Router(tags=["Clare's Law"])

# Wide, as the crime API's: check_date_of_birth (core/validation.py) gives the exact years.
BirthDay = Annotated[
    dt.date,
    Field(
        ge=dt.date(1800, 1, 1),
        le=dt.date(2200, 1, 1),
        json_schema_extra={"formatMinimum": "1800-01-01", "formatMaximum": "2200-01-01"},
    ),
]


class DvdsApplicationRead(Schema):
    id: int
    reference: str
    route: str
    person_at_risk_id: int
    subject_id: int
    applicant_id: int | None
    applicant_name: str  # as recorded before match-on-entry (older applications only)
    applicant_relationship: str
    received_at: dt.datetime
    decision_due_at: dt.datetime
    state: str
    disclose: bool | None

    @staticmethod
    def resolve_applicant_id(application, context) -> int | None:
        # A restricted applicant is not named to a reader without a grant.
        pk = application.applicant_id
        if pk is None or hidden_ids(context["request"].user, Person).filter(pk=pk).exists():
            return None
        return pk

    @staticmethod
    def resolve_disclose(application) -> bool | None:
        decision = getattr(application, "decision", None)
        return decision.disclose if decision else None


class ApplicantIn(Schema):
    """Who asked (right to ask): a known person by ``id``, or a name and date of birth. A name
    with likely existing records is answered 409 with those records (match-on-entry): send it
    again with ``chosen`` set to one of their ids, or to "new"."""

    id: Id | None = None
    given_names: str = Field("", max_length=120)
    family_name: str = Field("", max_length=120)
    dob: BirthDay | None = None
    chosen: str = Field(
        "", max_length=20, description='"" (offer me likely records), "new" or an offered id'
    )


class OfferRead(Schema):
    id: int
    display_name: str
    dob_text: str
    probability: float
    reasons: list[str]


class ChooseRead(Schema):
    detail: str
    offered: dict[str, list[OfferRead]]


class DvdsApplicationCreate(Schema):
    route: Literal[tuple(Route.values)]  # type: ignore[valid-type]
    person_at_risk_id: Id
    subject_id: Id
    owning_unit_id: Id | None = None
    reason: str = Field(..., min_length=1, max_length=4000)
    applicant: ApplicantIn | None = Field(None, description="right to ask: who asked")
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


def _applicant(given: ApplicantIn) -> Entry:
    details = None
    if given.id is None:
        dob = given.dob
        details = persons.NewPerson(
            given_names=given.given_names,
            family_name=given.family_name,
            dob_year=dob.year if dob else None,
            dob_month=dob.month if dob else None,
            dob_day=dob.day if dob else None,
        )
    return Entry(field="applicant", person_id=given.id, details=details, chosen=given.chosen)


def _offers(ask: ChooseFirst) -> dict:
    return choose_read(
        ask, 'The applicant may already be known: choose one of the records offered, or "new".'
    )


@router.post(
    "/clares-law",
    response={201: DvdsApplicationRead, 409: ChooseRead, ERRORS: Error},
    operation_id="receive_dvds",
)
def receive_dvds(request, payload: DvdsApplicationCreate):
    data = payload.dict()
    at_risk = get_visible(Person.objects, request.user, data.pop("person_at_risk_id"))
    subject = get_visible(Person.objects, request.user, data.pop("subject_id"))
    unit = Unit.objects.filter(pk=data.pop("owning_unit_id") or request.user.unit_id).first()
    if unit is None:
        raise ValidationError({"owning_unit_id": "No such unit."})
    data.pop("applicant")
    # The applicant is matched on entry (people.entry); a new one is not kept if the
    # application is refused (one transaction).
    try:
        with service_transaction():
            applicant = None
            if payload.applicant is not None:
                (applicant,) = resolve_people(
                    actor=request.user, context="dvds", entries=[_applicant(payload.applicant)]
                )
            application = disclosure.receive_application(
                actor=request.user,
                person_at_risk=at_risk,
                subject=subject,
                owning_unit=unit,
                applicant=applicant,
                **data,
            )
    except ChooseFirst as ask:
        return Status(409, _offers(ask))
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
