"""JSON API for investigations: the same services as the pages. Ids of a crime's own sub-records
(a line of enquiry, an examination request) travel in the body, beside the crime's id in the
path, so a line can only be changed through the crime it belongs to."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Schema, Status

from bluelamp.accounts.permissions import get_visible
from bluelamp.core.api import ERRORS
from bluelamp.core.models import Event, Person, PoleObject
from bluelamp.core.schemas import Error, Id
from bluelamp.crime import supervision

from . import queries, services, suspects
from .schemas import (
    AllocationRead,
    DisposalCreate,
    ExaminationChange,
    ExaminationCreate,
    ExaminationRead,
    ForensicCreate,
    ForensicRead,
    InvestigationAllocationCreate,
    InvestigationRead,
    LineChange,
    LineCreate,
    LineRead,
    LiveRead,
    NotInvestigatedCreate,
    NotInvestigatedRead,
    OversightRead,
    ReleaseCreate,
    SkillCreate,
    SkillRead,
    SuggestionRead,
    SuspectActionRead,
    SuspectStepCreate,
    UpdateCreate,
    UpdateRead,
    WishCreate,
    WishRead,
    WorkloadRead,
)

router = Router(tags=["investigation"])


def _crime(request, event_id: int) -> Event:
    return get_visible(Event.objects.all(), request.user, event_id)


def _user(user_id: int):
    return get_object_or_404(get_user_model(), pk=user_id)


def _person(request, person_id: int) -> Person:
    return get_visible(Person.objects.all(), request.user, person_id)


def _workload(w, **extra) -> dict:
    return {
        "officer_id": w.officer.pk,
        "officer": w.officer.display_name,
        "live": w.live,
        "oldest_reported_at": w.oldest_reported_at,
        "overdue_duties": w.overdue_duties,
        "skills": w.skills,
        **extra,
    }


# --- lists ----------------------------------------------------------------------------------


@router.get(
    "/investigations/mine",
    response={200: list[LiveRead], ERRORS: Error},
    operation_id="my_live_investigations",
)
def my_live_investigations(request):
    return queries.my_live_investigations(request.user)


@router.get(
    "/investigations/workload",
    response={200: list[WorkloadRead], ERRORS: Error},
    operation_id="team_workload",
)
def team_workload(request):
    return [_workload(w) for w in queries.team_workload(request.user)]


@router.get(
    "/investigations/oversight",
    response={200: OversightRead, ERRORS: Error},
    operation_id="investigation_oversight",
)
def investigation_oversight(request):
    report = queries.oversight(request.user)
    return {
        "live": report.live,
        "reviewed_recently": report.reviewed_recently,
        "window_days": report.window_days,
        "footprint": report.footprint,
        "with_plan": report.with_plan,
        "investigations": report.rows,
    }


class QueueFilter(Schema):
    finished: bool = False


@router.get(
    "/investigations/devices",
    response={200: list[ExaminationRead], ERRORS: Error},
    operation_id="device_examination_queue",
)
def device_examination_queue(request, filters: Query[QueueFilter]):
    return queries.device_queue(request.user, finished=filters.finished)


@router.post(
    "/investigations/skills",
    response={201: SkillRead, ERRORS: Error},
    operation_id="add_officer_skill",
)
def add_officer_skill(request, payload: SkillCreate):
    row = services.add_officer_skill(
        actor=request.user, officer=_user(payload.officer_id), skill=payload.skill
    )
    return Status(201, row)


# --- one crime ------------------------------------------------------------------------------


@router.get(
    "/crimes/{event_id}/investigation",
    response={200: InvestigationRead, ERRORS: Error},
    operation_id="view_investigation",
)
def view_investigation(request, event_id: Path[Id]):
    inv = queries.investigation_of(request.user, event_id)
    return {
        "crime_id": inv.crime.pk,
        "officer_in_case_id": inv.crime.officer_in_case_id,
        "skills_needed": inv.skills_needed,
        "lines": inv.lines,
        "updates": inv.updates,
        "wishes": inv.wishes,
        "suspect_actions": inv.suspect_actions,
        "not_investigated": inv.not_investigated,
        "forensic_decisions": inv.forensic_decisions,
        "examinations": inv.examinations,
    }


@router.get(
    "/crimes/{event_id}/investigation/officers",
    response={200: list[SuggestionRead], ERRORS: Error},
    operation_id="suggest_officers",
)
def suggest_officers(request, event_id: Path[Id]):
    crime = queries.investigation_of(request.user, event_id).crime
    _, rows = queries.suggest_officers(request.user, crime)
    return [_workload(s.workload, qualified=s.qualified) for s in rows]


@router.post(
    "/crimes/{event_id}/investigation/allocation",
    response={201: AllocationRead, ERRORS: Error},
    operation_id="allocate_investigation",
)
def allocate_investigation(request, event_id: Path[Id], payload: InvestigationAllocationCreate):
    allocation = services.allocate_investigation(
        actor=request.user,
        crime=_crime(request, event_id),
        officer=_user(payload.officer_id),
        override_reason=payload.override_reason,
    )
    return Status(201, allocation)


@router.post(
    "/crimes/{event_id}/lines", response={201: LineRead, ERRORS: Error}, operation_id="add_line"
)
def add_line(request, event_id: Path[Id], payload: LineCreate):
    line = services.add_enquiry_line(
        actor=request.user, crime=_crime(request, event_id), **payload.dict()
    )
    return Status(201, line)


@router.post(
    "/crimes/{event_id}/lines/status",
    response={201: LineRead, ERRORS: Error},
    operation_id="change_line",
)
def change_line(request, event_id: Path[Id], payload: LineChange):
    line = services.update_enquiry_line(
        actor=request.user, crime=_crime(request, event_id), **payload.dict()
    )
    return Status(201, line)


@router.post(
    "/crimes/{event_id}/updates",
    response={201: UpdateRead, ERRORS: Error},
    operation_id="record_investigation_update",
)
def record_investigation_update(request, event_id: Path[Id], payload: UpdateCreate):
    update = supervision.record_investigation_update(
        actor=request.user, crime=_crime(request, event_id), **payload.dict()
    )
    return Status(201, update)


@router.post(
    "/crimes/{event_id}/wishes",
    response={201: WishRead, ERRORS: Error},
    operation_id="record_prosecution_wish",
)
def record_prosecution_wish(request, event_id: Path[Id], payload: WishCreate):
    data = payload.dict(exclude={"victim_id"})
    victim = _person(request, payload.victim_id) if payload.victim_id else None
    wish = services.record_prosecution_wish(
        actor=request.user, crime=_crime(request, event_id), victim=victim, **data
    )
    return Status(201, wish)


def _step(request, event_id: int, payload: SuspectStepCreate, call) -> Status:
    data = payload.dict(exclude={"person_id"})
    action = call(
        actor=request.user,
        crime=_crime(request, event_id),
        person=_person(request, payload.person_id),
        **data,
    )
    return Status(201, action)


@router.post(
    "/crimes/{event_id}/suspects/arrest",
    response={201: SuspectActionRead, ERRORS: Error},
    operation_id="record_arrest",
)
def record_arrest(request, event_id: Path[Id], payload: SuspectStepCreate):
    return _step(request, event_id, payload, suspects.record_arrest)


@router.post(
    "/crimes/{event_id}/suspects/interview",
    response={201: SuspectActionRead, ERRORS: Error},
    operation_id="record_interview",
)
def record_interview(request, event_id: Path[Id], payload: SuspectStepCreate):
    return _step(request, event_id, payload, suspects.record_interview)


@router.post(
    "/crimes/{event_id}/suspects/release",
    response={201: SuspectActionRead, ERRORS: Error},
    operation_id="record_release",
)
def record_release(request, event_id: Path[Id], payload: ReleaseCreate):
    return _step(request, event_id, payload, suspects.record_release)


@router.post(
    "/crimes/{event_id}/suspects/disposal",
    response={201: SuspectActionRead, ERRORS: Error},
    operation_id="record_disposal",
)
def record_disposal(request, event_id: Path[Id], payload: DisposalCreate):
    return _step(request, event_id, payload, suspects.record_disposal)


@router.post(
    "/crimes/{event_id}/not-investigated",
    response={201: NotInvestigatedRead, ERRORS: Error},
    operation_id="record_not_investigated",
)
def record_not_investigated(request, event_id: Path[Id], payload: NotInvestigatedCreate):
    decision = services.record_not_investigated(
        actor=request.user, crime=_crime(request, event_id), **payload.dict()
    )
    return Status(201, decision)


@router.post(
    "/crimes/{event_id}/forensic-decisions",
    response={201: ForensicRead, ERRORS: Error},
    operation_id="record_forensic_decision",
)
def record_forensic_decision(request, event_id: Path[Id], payload: ForensicCreate):
    decision = services.record_forensic_decision(
        actor=request.user, crime=_crime(request, event_id), **payload.dict()
    )
    return Status(201, decision)


@router.post(
    "/crimes/{event_id}/device-examinations",
    response={201: ExaminationRead, ERRORS: Error},
    operation_id="request_device_examination",
)
def request_device_examination(request, event_id: Path[Id], payload: ExaminationCreate):
    device = (
        get_visible(PoleObject.objects.all(), request.user, payload.device_id)
        if payload.device_id
        else None
    )
    examination = services.request_device_examination(
        actor=request.user,
        crime=_crime(request, event_id),
        device=device,
        what_is_sought=payload.what_is_sought,
        device_description=payload.device_description,
    )
    return Status(201, examination)


@router.post(
    "/crimes/{event_id}/device-examinations/status",
    response={201: ExaminationRead, ERRORS: Error},
    operation_id="move_device_examination",
)
def move_device_examination(request, event_id: Path[Id], payload: ExaminationChange):
    examination = services.move_device_examination(
        actor=request.user, crime=_crime(request, event_id), **payload.dict()
    )
    return Status(201, examination)
