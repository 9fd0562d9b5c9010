"""Ninja schemas for the investigation API (api.py)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from bluelamp.core.schemas import Day0, Id, Moment

from .models import (
    Disposal,
    EnquiryKind,
    EnquiryStatus,
    ExaminationStatus,
    ForensicDecisionKind,
    NotInvestigatedReason,
    Release,
    Skill,
    Wish,
)

Text = Field(..., min_length=1, max_length=4000)


class InvestigationAllocationCreate(Schema):
    officer_id: Id
    override_reason: str = Field("", max_length=1000)


class AllocationRead(Schema):
    id: int
    event_id: int
    officer_id: int
    allocated_at: dt.datetime


class SkillCreate(Schema):
    officer_id: Id
    skill: Skill


class SkillRead(Schema):
    id: int
    officer_id: int
    skill: str
    recorded_at: dt.datetime


class LineCreate(Schema):
    kind: EnquiryKind
    description: str = Field(..., min_length=1, max_length=500)


class LineChange(Schema):
    line_id: Id
    status: EnquiryStatus
    result: str = Field("", max_length=4000)
    not_possible_reason: str = Field("", max_length=500)


class LineRead(Schema):
    id: int
    kind: str
    description: str
    status: str
    result: str
    not_possible_reason: str
    updated_at: dt.datetime


class UpdateCreate(Schema):
    text: str = Text
    victim_visible: bool = False


class UpdateRead(Schema):
    id: int
    text: str
    victim_visible: bool
    recorded_at: dt.datetime


class WishCreate(Schema):
    wish: Wish
    stated_on: Day0 | None = None
    note: str = Field("", max_length=1000)
    victim_id: Id | None = None


class WishRead(Schema):
    id: int
    wish: str
    stated_on: dt.date
    note: str
    victim_id: int | None


class SuspectStepCreate(Schema):
    person_id: Id
    occurred_at: Moment | None = None
    note: str = Field("", max_length=1000)


class ReleaseCreate(SuspectStepCreate):
    how: Release
    bail_conditions: str = Field("", max_length=1000)
    bail_conditions_changed: bool = False
    bail_end: Day0 | None = None


class DisposalCreate(SuspectStepCreate):
    disposal: Disposal


class SuspectActionRead(Schema):
    id: int
    person_id: int
    step: str
    occurred_at: dt.datetime
    release: str
    bail_conditions: str
    bail_conditions_changed: bool
    bail_end: dt.date | None
    disposal: str
    note: str


class NotInvestigatedCreate(Schema):
    reason: NotInvestigatedReason
    explanation: str = Field(..., min_length=1, max_length=2000)


class NotInvestigatedRead(Schema):
    id: int
    reason: str
    explanation: str
    decided_at: dt.datetime


class ForensicCreate(Schema):
    kind: ForensicDecisionKind
    decided_yes: bool
    rationale: str = Field(..., min_length=1, max_length=2000)


class ForensicRead(Schema):
    id: int
    kind: str
    decided_yes: bool
    rationale: str
    decided_at: dt.datetime


class ExaminationCreate(Schema):
    what_is_sought: str = Field(..., min_length=1, max_length=1000)
    device_id: Id | None = None
    device_description: str = Field("", max_length=300)


class ExaminationChange(Schema):
    request_id: Id
    status: ExaminationStatus
    result: str = Field("", max_length=4000)


class ExaminationRead(Schema):
    id: int
    crime_id: int
    device_id: int | None
    device_description: str
    what_is_sought: str
    status: str
    result: str
    requested_at: dt.datetime
    accepted_at: dt.datetime | None
    finished_at: dt.datetime | None
    waiting_days: float | None = None

    @staticmethod
    def resolve_waiting_days(obj) -> float | None:
        waiting = getattr(obj, "waiting", None)
        return round(waiting.total_seconds() / 86400, 2) if waiting is not None else None


class LiveRead(Schema):
    id: int
    reference: str
    summary: str
    officer_in_case_id: int | None
    reported_at: dt.datetime
    last_update_at: dt.datetime | None
    last_review_at: dt.datetime | None


class OversightRead(Schema):
    live: int
    reviewed_recently: int
    window_days: int
    footprint: float | None
    with_plan: int
    investigations: list[LiveRead]


class WorkloadRead(Schema):
    officer_id: int
    officer: str
    live: int
    oldest_reported_at: dt.datetime | None
    overdue_duties: int
    skills: list[str]


class SuggestionRead(WorkloadRead):
    qualified: bool


class InvestigationRead(Schema):
    crime_id: int
    officer_in_case_id: int | None
    skills_needed: list[str]
    lines: list[LineRead]
    updates: list[UpdateRead]
    wishes: list[WishRead]
    suspect_actions: list[SuspectActionRead]
    not_investigated: NotInvestigatedRead | None
    forensic_decisions: list[ForensicRead]
    examinations: list[ExaminationRead]
