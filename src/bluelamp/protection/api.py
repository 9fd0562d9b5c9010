"""JSON API for protection/: Operation Encompass notices. Same services as the pages; a notice
the caller may not see is a 404."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Query, Router, Schema
from pydantic import Field

from bluelamp.core.api import ERRORS
from bluelamp.core.schemas import Error, Moment

from . import encompass
from .models import NoticeStatus

router = Router(tags=["protection"])


class EncompassNoticeRead(Schema):
    id: int
    reference: str
    referral_event_id: int
    referral_id: int | None
    child_id: int
    recipient_kind: str
    school_identifier: str
    recipient_name: str
    local_authority: str
    incident_at: dt.datetime
    due_at: dt.datetime
    status: str
    message_status: str | None
    delivered_at: dt.datetime | None
    fallback_reason: str
    confirmed_at: dt.datetime | None

    @staticmethod
    def resolve_message_status(notice) -> str | None:
        return notice.message.status if notice.message_id else None


class EncompassNoticeQuery(Schema):
    status: Literal[tuple(NoticeStatus.values)] | None = None  # type: ignore[valid-type]


class EncompassConfirmationCreate(Schema):
    spoke_to: str = Field(..., min_length=1, max_length=200)
    note: str = Field("", max_length=1000)
    at: Moment | None = None


@router.get(
    "/encompass",
    response={200: list[EncompassNoticeRead], ERRORS: Error},
    operation_id="list_encompass",
)
def list_encompass(request, filters: Query[EncompassNoticeQuery]):
    return list(encompass.list_notices(actor=request.user, status=filters.status or "")[:500])


@router.get(
    "/encompass/{notice_id}",
    response={200: EncompassNoticeRead, ERRORS: Error},
    operation_id="view_encompass_notice",
)
def view_encompass_notice(request, notice_id: int):
    return encompass.view_notice(actor=request.user, pk=notice_id)


@router.post(
    "/encompass/{notice_id}/confirmation",
    response={200: EncompassNoticeRead, ERRORS: Error},
    operation_id="confirm_encompass_notice",
)
def confirm_encompass_notice(request, notice_id: int, payload: EncompassConfirmationCreate):
    notice = encompass.view_notice(actor=request.user, pk=notice_id)
    return encompass.record_phone_confirmation(actor=request.user, notice=notice, **payload.dict())
