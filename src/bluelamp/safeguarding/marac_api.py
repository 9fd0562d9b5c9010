"""JSON API for MARAC (issue 17; domain.md 3.4): the cases, meetings per area, a meeting with its
cases and actions, scheduling, listing a case, actions with owners and deadlines (duties), their
completion, who may own an action, and the referral trend by month. The same services as the
pages (marac.py); a meeting, case or action the caller may not see is a 404."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core.api import ERRORS
from bluelamp.core.schemas import Day0, Error, Id
from bluelamp.ui.access import NOT_PERSONAL

from . import marac, queries
from .models import Hub

router = Router(tags=["MARAC"])


class MeetingCreate(Schema):
    hub: str = Field(..., min_length=1, max_length=40)
    held_on: Day0


class ListingCreate(Schema):
    case_id: Id


class ActionCreate(Schema):
    text: str = Field(..., min_length=1, max_length=1000)
    owner_id: Id
    due_on: Day0


class MeetingRead(Schema):
    id: int
    hub: str
    held_on: dt.date
    upcoming: bool
    cases: int


class ActionRead(Schema):
    id: int
    case_id: int
    text: str
    owner_id: int
    owner: str
    due_on: dt.date
    done_at: dt.datetime | None
    overdue: bool


class CaseRead(Schema):
    id: int
    referral: str
    hub: str
    criteria: list[str]
    rationale: str
    referred_at: dt.datetime
    meeting_id: int | None
    victim_id: int | None = None
    perpetrator_id: int | None = None
    actions: list[ActionRead] = []


class MeetingDetail(MeetingRead):
    listed: list[CaseRead]


class OwnerRead(Schema):
    id: int
    name: str
    role: str
    unit: str


class TrendRow(Schema):
    month: dt.date
    area: str
    n: int


class AreaQuery(Schema):
    hub: str = Field("", max_length=40)


def _hub(code: str) -> Hub:
    hub = Hub.objects.filter(code=code).first()
    if hub is None:
        raise ValidationError({"hub": f"No MASH hub {code!r}."})
    return hub


def _action(action) -> dict:
    today = timezone.localdate()
    return {
        "id": action.pk,
        "case_id": action.case_id,
        "text": action.text,
        "owner_id": action.owner_id,
        "owner": action.owner.display_name,
        "due_on": action.due_on,
        "done_at": action.done_at,
        "overdue": action.done_at is None and action.due_on < today,
    }


def _case(case, *, actions=()) -> dict:
    shown_victim = getattr(case, "shown_victim", None)
    shown_perpetrator = getattr(case, "shown_perpetrator", None)
    return {
        "id": case.pk,
        "referral": case.referral.reference,
        "hub": case.hub.code,
        "criteria": list(case.criteria),
        "rationale": case.rationale,
        "referred_at": case.referred_at,
        "meeting_id": case.meeting_id,
        "victim_id": shown_victim.pk if shown_victim else None,
        "perpetrator_id": shown_perpetrator.pk if shown_perpetrator else None,
        "actions": [_action(a) for a in actions],
    }


def _meeting(meeting, cases=None) -> dict:
    answer = {
        "id": meeting.pk,
        "hub": meeting.hub.code,
        "held_on": meeting.held_on,
        "upcoming": meeting.held_on >= timezone.localdate(),
        "cases": getattr(meeting, "listed", len(cases or [])),
    }
    if cases is not None:
        answer["cases"] = len(cases)
        answer["listed"] = [_case(c, actions=c.actions.all()) for c in cases]
    return answer


@router.get(
    "/safeguarding/marac/cases",
    response={200: list[CaseRead], ERRORS: Error},
    operation_id="list_marac_cases",
)
def list_marac_cases(request, filters: Query[AreaQuery]):
    """MARAC cases, newest first (of one area with ``hub``)."""
    cases = marac.visible_cases(request.user)
    if filters.hub:
        cases = cases.filter(hub=_hub(filters.hub))
    cases = list(cases[:500])
    marac.shown_people(request.user, cases)
    audit.record(
        actor=request.user,
        action=Action.SEARCH,
        record_type="marac_case",
        label="MARAC cases",
        detail={"cases": [c.pk for c in cases]},
    )
    return [_case(c) for c in cases]


@router.get(
    "/safeguarding/marac/meetings",
    response={200: list[MeetingRead], ERRORS: Error},
    operation_id="list_marac_meetings",
    openapi_extra={"x-bluelamp-access": NOT_PERSONAL},
)
def list_marac_meetings(request, filters: Query[AreaQuery]):
    """Meetings (areas, dates and how many cases each lists; no names), by date."""
    hub = _hub(filters.hub) if filters.hub else None
    return [_meeting(m) for m in marac.meetings(request.user, hub).order_by("held_on")[:500]]


@router.post(
    "/safeguarding/marac/meetings",
    response={201: MeetingRead, ERRORS: Error},
    operation_id="schedule_marac_meeting",
)
def schedule_marac_meeting(request, payload: MeetingCreate):
    marac.visible_cases(request.user)  # the permission check before the area is looked up
    meeting = marac.schedule_meeting(
        actor=request.user, hub=_hub(payload.hub), held_on=payload.held_on
    )
    return Status(201, _meeting(meeting, []))


@router.get(
    "/safeguarding/marac/meetings/{meeting_id}",
    response={200: MeetingDetail, ERRORS: Error},
    operation_id="view_marac_meeting",
)
def view_marac_meeting(request, meeting_id: Path[Id]):
    meeting, cases = marac.view_meeting(actor=request.user, pk=meeting_id)
    return _meeting(meeting, cases)


@router.post(
    "/safeguarding/marac/meetings/{meeting_id}/cases",
    response={200: MeetingDetail, ERRORS: Error},
    operation_id="list_marac_case",
)
def list_marac_case(request, meeting_id: Path[Id], payload: ListingCreate):
    meeting, _ = marac.view_meeting(actor=request.user, pk=meeting_id)
    try:
        case = marac.get_case(request.user, payload.case_id)
    except Exception:  # noqa: BLE001 - missing or unseen: the same answer, naming the field
        raise ValidationError({"case_id": f"No MARAC case {payload.case_id}."}) from None
    marac.list_case(actor=request.user, case=case, meeting=meeting)
    meeting, cases = marac.view_meeting(actor=request.user, pk=meeting_id)
    return _meeting(meeting, cases)


@router.post(
    "/safeguarding/marac/cases/{case_id}/actions",
    response={201: ActionRead, ERRORS: Error},
    operation_id="add_marac_action",
)
def add_marac_action(request, case_id: Path[Id], payload: ActionCreate):
    case = marac.get_case(request.user, case_id)
    owner = marac.action_owners().filter(pk=payload.owner_id).first()
    if owner is None:
        raise ValidationError({"owner_id": "Choose an active user who may hold the action."})
    action = marac.add_action(
        actor=request.user, case=case, text=payload.text, owner=owner, due_on=payload.due_on
    )
    return Status(201, _action(action))


@router.post(
    "/safeguarding/marac/actions/{action_id}/complete",
    response={200: ActionRead, ERRORS: Error},
    operation_id="complete_marac_action",
)
def complete_marac_action(request, action_id: Path[Id]):
    action = marac.view_action(actor=request.user, pk=action_id)
    return _action(marac.complete_action(actor=request.user, action=action))


@router.get(
    "/safeguarding/marac/actions/{action_id}",
    response={200: ActionRead, ERRORS: Error},
    operation_id="view_marac_action",
)
def view_marac_action(request, action_id: Path[Id]):
    return _action(marac.view_action(actor=request.user, pk=action_id))


@router.get(
    "/safeguarding/marac/owners",
    response={200: list[OwnerRead], ERRORS: Error},
    operation_id="list_marac_action_owners",
    openapi_extra={"x-bluelamp-access": NOT_PERSONAL},
)
def list_marac_action_owners(request):
    """Staff who may own an action (names, roles and teams of users; no public's data)."""
    marac.visible_cases(request.user)  # MARAC staff only
    return [
        {"id": u.pk, "name": u.display_name, "role": u.role_label, "unit": str(u.unit)}
        for u in marac.action_owners()
    ]


@router.get(
    "/safeguarding/marac/trend",
    response={200: list[TrendRow], ERRORS: Error},
    operation_id="marac_trend",
    openapi_extra={"x-bluelamp-access": NOT_PERSONAL},
)
def marac_trend(request):
    """MARAC referrals by month and area (counts only)."""
    return queries.marac_trend(request.user)
