"""JSON API for DVPN/DVPO: notices, the hearing, breaches, arrests and the daily risk meeting's
list. Same services as the pages; a notice the caller may not see is a 404."""

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

from . import orders
from .models import Rank

router = Router(tags=["DVPN/DVPO"])


class DvpnBreachRead(Schema):
    id: int
    notice_id: int
    at: dt.datetime
    account: str
    arrested_at: dt.datetime | None


class DvpnRead(Schema):
    id: int
    reference: str
    perpetrator_id: int
    victim_id: int
    owning_unit_id: int
    legal_basis: str
    authorising_officer: str
    authorising_rank: str
    served_at: dt.datetime
    hearing_due_at: dt.datetime
    state: str
    order_days: int | None
    order_ends_at: dt.datetime | None
    breaches: list[DvpnBreachRead]

    @staticmethod
    def resolve_order_days(notice) -> int | None:
        order = getattr(notice, "order", None)
        return order.days if order else None

    @staticmethod
    def resolve_order_ends_at(notice):
        order = getattr(notice, "order", None)
        return order.ends_at if order else None

    @staticmethod
    def resolve_breaches(notice) -> list:
        return list(notice.breaches.all())


class DvpnCreate(Schema):
    perpetrator_id: Id
    victim_id: Id
    owning_unit_id: Id | None = None
    authorising_officer: str = Field(..., min_length=1, max_length=200)
    authorising_rank: Literal[tuple(Rank.values)]  # type: ignore[valid-type]
    grounds: str = Field(..., min_length=1, max_length=4000)
    children_welfare: str = Field(..., min_length=1, max_length=2000)
    victim_opinion: str = Field(..., min_length=1, max_length=2000)
    perpetrator_representations: str = Field(..., min_length=1, max_length=2000)
    served_at: Moment | None = None


class DvpoHearingCreate(Schema):
    made: bool
    court: str = Field(..., min_length=1, max_length=200)
    days: int | None = Field(None, ge=1, le=365)
    heard_at: Moment | None = None


class DvpnBreachCreate(Schema):
    at: Moment
    account: str = Field(..., min_length=1, max_length=2000)


class DvpnArrestCreate(Schema):
    breach_id: Id
    note: str = Field(..., min_length=1, max_length=1000)
    at: Moment | None = None


class DvpnRiskMeetingRead(Schema):
    recent: list[DvpnBreachRead]
    outstanding: list[DvpnBreachRead]
    hearings: list[DvpnRead]


@router.get("/dvpn", response={200: list[DvpnRead], ERRORS: Error}, operation_id="list_dvpn")
def list_dvpn(request):
    return list(orders.list_notices(actor=request.user)[:500])


@router.post("/dvpn", response={201: DvpnRead, ERRORS: Error}, operation_id="serve_dvpn")
def serve_dvpn(request, payload: DvpnCreate):
    data = payload.dict()
    perpetrator = get_visible(Person.objects, request.user, data.pop("perpetrator_id"))
    victim = get_visible(Person.objects, request.user, data.pop("victim_id"))
    unit = Unit.objects.filter(pk=data.pop("owning_unit_id") or request.user.unit_id).first()
    if unit is None:
        raise ValidationError({"owning_unit_id": "No such unit."})
    notice = orders.serve_notice(
        actor=request.user, perpetrator=perpetrator, victim=victim, owning_unit=unit, **data
    )
    return Status(201, notice)


@router.get(
    "/dvpn/risk-meeting",
    response={200: DvpnRiskMeetingRead, ERRORS: Error},
    operation_id="dvpn_risk_meeting",
)
def dvpn_risk_meeting(request):
    return orders.risk_meeting(actor=request.user)


@router.get("/dvpn/{dvpn_id}", response={200: DvpnRead, ERRORS: Error}, operation_id="view_dvpn")
def view_dvpn(request, dvpn_id: int):
    return orders.view_notice(actor=request.user, pk=dvpn_id)


@router.post(
    "/dvpn/{dvpn_id}/hearing",
    response={200: DvpnRead, ERRORS: Error},
    operation_id="record_dvpo_hearing",
)
def record_dvpo_hearing(request, dvpn_id: int, payload: DvpoHearingCreate):
    notice = orders.view_notice(actor=request.user, pk=dvpn_id)
    orders.record_hearing(actor=request.user, notice=notice, **payload.dict())
    return orders.view_notice(actor=request.user, pk=dvpn_id)


@router.post(
    "/dvpn/{dvpn_id}/breaches",
    response={201: DvpnBreachRead, ERRORS: Error},
    operation_id="record_dvpn_breach",
)
def record_dvpn_breach(request, dvpn_id: int, payload: DvpnBreachCreate):
    notice = orders.view_notice(actor=request.user, pk=dvpn_id)
    return Status(201, orders.record_breach(actor=request.user, notice=notice, **payload.dict()))


@router.post(
    "/dvpn/{dvpn_id}/breaches/arrest",
    response={200: DvpnBreachRead, ERRORS: Error},
    operation_id="record_breach_arrest",
)
def record_breach_arrest(request, dvpn_id: int, payload: DvpnArrestCreate):
    notice = orders.view_notice(actor=request.user, pk=dvpn_id)
    breach = notice.breaches.filter(pk=payload.breach_id).first()
    if breach is None:
        raise ValidationError({"breach_id": "No such breach of this notice."})
    return orders.record_arrest(actor=request.user, breach=breach, note=payload.note, at=payload.at)
