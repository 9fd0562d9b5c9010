"""Auditors' API: who looked at a record, and what a user did. Reading it is audited too."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Query, Router, Schema

from bluelamp.accounts.permissions import require

from . import services
from .models import Action, AuditEvent
from .scope import readable

router = Router(tags=["audit"])


class AuditEventRead(Schema):
    id: int
    at: dt.datetime
    actor_id: int | None
    actor_name: str
    action: str
    record_type: str
    record_id: str
    purpose: str
    client_address: str


class AuditFilter(Schema):
    record_type: Annotated[str, Field(max_length=60)] = ""
    record_id: Annotated[str, Field(max_length=64)] = ""
    actor_id: Annotated[int, Field(ge=1, le=2**53)] | None = None
    limit: Annotated[int, Field(ge=1, le=500)] = 100


class Error(Schema):
    detail: str | list[Any]


@router.get(
    "/events",
    response={200: list[AuditEventRead], frozenset({400, 401, 403, 422}): Error},
    operation_id="audit_events",
)
def audit_events(request, filters: Query[AuditFilter]):
    require(request.user, "audit.view")
    events = readable(request.user, AuditEvent.objects.order_by("-id"))
    if filters.record_type:
        events = events.filter(record_type=filters.record_type)
    if filters.record_id:
        events = events.filter(record_id=filters.record_id)
    if filters.actor_id:
        events = events.filter(actor_id=filters.actor_id)
    rows = list(events[: filters.limit])
    services.record(
        actor=request.user,
        action=Action.VIEW,
        record_type="audit-log",
        label="audit API query",
        detail={"query": filters.dict()},
    )
    return rows
