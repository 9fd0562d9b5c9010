"""JSON API for victims/: a victim's record, the needs assessment, an officer's entitlement
decision, contacts against duties, and satisfaction figures. Same services as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Query, Router, Schema, Status
from pydantic import Field

from bluelamp.core.api import ERRORS
from bluelamp.core.choices import ContactChannel
from bluelamp.core.schemas import Error, Moment
from bluelamp.ui.access import NOT_PERSONAL

from . import queries, rules, services
from .models import Consent, EnhancedReason

router = Router(tags=["victims"])

ChannelName = Literal[tuple(ContactChannel.values)]  # type: ignore[valid-type]


class DutyRead(Schema):
    policy: str
    rule: str
    due_at: dt.datetime


class VictimRead(Schema):
    id: int
    crime_id: int
    person_id: int
    opened_at: dt.datetime
    enhanced: bool
    enhanced_reasons: list[str]
    enhanced_rationale: str
    channel: str
    update_every_days: int | None
    do_not_contact: bool
    safe_to_write: bool
    needs: list[str]
    flags: list[str]
    needs_assessed_at: dt.datetime | None
    referral_consent: str
    open_duties: list[DutyRead]

    @staticmethod
    def resolve_open_duties(victim) -> list:
        return list(services.open_duties(victim))


class NeedsCreate(Schema):
    channel: ChannelName
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=30)
    update_every_days: int | None = Field(None, ge=1, le=365)
    times_to_avoid: str = Field("", max_length=200)
    contact_instead: str = Field("", max_length=300)
    do_not_contact: bool = False
    safe_to_write: bool = True
    needs: list[Literal[tuple(rules.VULNERABLE_NEEDS | rules.INTIMIDATED_NEEDS)]] = []  # type: ignore[valid-type]
    flags: list[Literal[tuple(rules.MOST_SERIOUS_FLAGS)]] = []  # type: ignore[valid-type]
    needs_notes: str = Field("", max_length=1000)
    referral_consent: Literal[tuple(Consent.values)] = Consent.NOT_ASKED  # type: ignore[valid-type]


class EntitlementCreate(Schema):
    reasons: list[Literal[tuple(EnhancedReason.values)]] = []  # type: ignore[valid-type]
    rationale: str = Field(..., min_length=1, max_length=1000)


class ContactCreate(Schema):
    channel: ChannelName
    summary: str = Field(..., min_length=1, max_length=4000)
    discharges: list[str] = Field([], max_length=20, description="policy names of open duties")
    at: Moment | None = None


class ContactRead(Schema):
    id: int
    victim_id: int
    at: dt.datetime
    channel: str
    summary: str
    discharges: list[str]


class SatisfactionRow(Schema):
    key: str
    n: int
    satisfied: int
    rate: float
    low: float
    high: float
    quoted: str


class SatisfactionQuery(Schema):
    by: Literal["officer", "team", "district", "crime_type"] = "team"
    question: Literal[tuple(rules.SURVEY_QUESTIONS)] = "whole_experience"  # type: ignore[valid-type]


@router.get(
    "/victims/satisfaction",
    response={200: list[SatisfactionRow], ERRORS: Error},
    operation_id="victim_satisfaction",
    openapi_extra={"x-bluelamp-access": NOT_PERSONAL},
)
def victim_satisfaction(request, filters: Query[SatisfactionQuery]):
    """Anonymous aggregates: no victim is named."""
    rows = queries.satisfaction(request.user, by=filters.by, question=filters.question)
    return [{**row, "key": str(row["key"])} for row in rows]


@router.get(
    "/victims/{victim_id}", response={200: VictimRead, ERRORS: Error}, operation_id="view_victim"
)
def view_victim(request, victim_id: int):
    return services.view_victim(actor=request.user, pk=victim_id)


@router.post(
    "/victims/{victim_id}/needs",
    response={200: VictimRead, ERRORS: Error},
    operation_id="record_needs_assessment",
)
def record_needs_assessment(request, victim_id: int, payload: NeedsCreate):
    victim = services.get_victim(request.user, victim_id)
    return services.record_needs_assessment(actor=request.user, victim=victim, **payload.dict())


@router.post(
    "/victims/{victim_id}/entitlement",
    response={200: VictimRead, ERRORS: Error},
    operation_id="change_entitlement",
)
def change_entitlement(request, victim_id: int, payload: EntitlementCreate):
    victim = services.get_victim(request.user, victim_id)
    return services.change_entitlement(actor=request.user, victim=victim, **payload.dict())


@router.post(
    "/victims/{victim_id}/contacts",
    response={201: ContactRead, ERRORS: Error},
    operation_id="record_victim_contact",
)
def record_victim_contact(request, victim_id: int, payload: ContactCreate):
    victim = services.get_victim(request.user, victim_id)
    contact = services.record_contact(actor=request.user, victim=victim, **payload.dict())
    return Status(201, contact)
