"""JSON API for duties: lists by scope and compliance figures."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.exceptions import ValidationError
from ninja import Query, Router, Schema
from pydantic import Field

from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core.api import ERRORS
from bluelamp.core.schemas import Error

from . import queries

router = Router(tags=["duties"])


class DutyRead(Schema):
    id: int
    policy: str
    rule: str
    subject_type: str
    subject_id: int
    subject_label: str
    owner_id: int | None
    owner_unit_id: int | None
    queue: str
    opened_at: dt.datetime
    due_at: dt.datetime
    outcome: str
    done_at: dt.datetime | None
    escalation_level: int

    @staticmethod
    def resolve_subject_type(duty) -> str:
        return duty.subject_type.model


class DutyFilter(Schema):
    scope: Literal["mine", "team", "overdue", "queue"] = "mine"
    queue: str = Field("", max_length=60, pattern=r"^[a-z0-9-]*$")


class ComplianceRead(Schema):
    key: str | None
    due: int
    on_time: int
    late: int
    overdue: int
    open: int
    rate: float | None


@router.get("/duties", response={200: list[DutyRead], ERRORS: Error}, operation_id="list_duties")
def list_duties(request, filters: Query[DutyFilter]):
    if filters.scope == "queue":
        if not filters.queue:
            raise ValidationError({"queue": "Name the queue."})
        duties = queries.queue(request.user, filters.queue)
    else:
        duties = getattr(queries, filters.scope)(request.user)
    rows = list(duties.select_related("subject_type")[:500])
    audit.record(
        actor=request.user,
        action=Action.VIEW,
        record_type="duty",
        label=f"duties ({filters.scope})",
        detail={"duties": len(rows)},
    )
    return rows


@router.get(
    "/duties/compliance",
    response={200: list[ComplianceRead], ERRORS: Error},
    operation_id="duty_compliance",
)
def duty_compliance(request, by: Literal["policy", "unit", "officer", "month"] = "policy"):
    rows = queries.compliance(request.user, by=by)
    for row in rows:
        if isinstance(row["key"], dt.datetime):
            row["key"] = row["key"].date().isoformat()[:7]
    audit.record(
        actor=request.user, action=Action.VIEW, record_type="duty", label=f"compliance by {by}"
    )
    return rows
