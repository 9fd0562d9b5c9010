"""Following each Encompass notice's delivery (a worker task, BLUELAMP_WORKER_TASKS): a notice
whose email was sent is delivered (its duty discharged); one whose email failed for good, or was
not sent within BLUELAMP_ENCOMPASS_FALLBACK_MINUTES of being queued, falls back: the local
authority's Encompass lead is emailed to pass it on, and a duty opens for the police to phone
the school (policies.PHONE_SCHOOL). A fallback whose first email is sent after all is delivered
too. Nothing is deleted: the messages and their attempts stay in the outbox."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bluelamp.core.history import log_change, snapshot
from bluelamp.core.writes import written
from bluelamp.duties.deadlines import LONDON
from bluelamp.duties.services import emit
from bluelamp.notify import services as notify
from bluelamp.notify.models import Status
from bluelamp.reference import schools as reference

from .encompass import facts
from .models import EncompassNotice, NoticeStatus, Recipient


def _delivered(notice: EncompassNotice) -> None:
    before = snapshot(notice)
    notice.status = NoticeStatus.DELIVERED
    notice.delivered_at = notice.message.sent_at or timezone.now()
    notice.save(update_fields=["status", "delivered_at"])
    # A job's act (no actor): history and the event, no audit row (nobody read or wrote it).
    log_change(actor=None, obj=notice, action="change", before=before, summary="Delivered")
    emit("encompass.notice_delivered", subject=notice, actor=None, at=notice.delivered_at)


def _fall_back(notice: EncompassNotice, reason: str) -> None:
    before = snapshot(notice)
    authority = reference.local_authorities().get(notice.local_authority)
    if authority is not None and notice.recipient_kind == Recipient.SCHOOL:
        due = timezone.localtime(notice.due_at, LONDON)
        notice.fallback_message = notify.send(
            template="encompass-fallback",
            to=authority.education_safeguarding_email,
            personalisation=facts(notice)
            | {
                "school_name": notice.recipient_name,
                "reason": reason,
                "due": f"{due:%H:%M on %A %d %B}",
            },
            idempotency_key=f"encompass-fallback:{notice.pk}",
            about=notice.child,
            reference=notice.reference,
        )
    notice.status = NoticeStatus.FALLBACK
    notice.fallback_at = timezone.now()
    notice.fallback_reason = reason[:300]
    written(
        notice,
        actor=None,
        action="change",
        before=before,
        save=["status", "fallback_message", "fallback_at", "fallback_reason"],
        summary="Fallback",
        detail={"fallback": reason[:200]},
        event="encompass.delivery_failed",
        payload={"reason": reason[:200]},
    )


def follow_up_notices(*, worker_id: str = "", limit: int = 200) -> int:
    """One pass over the notices still waiting on their email; returns how many moved on."""
    now = timezone.now()
    late = now - dt.timedelta(minutes=settings.BLUELAMP_ENCOMPASS_FALLBACK_MINUTES)
    moved = 0
    waiting = EncompassNotice.objects.filter(
        status__in=[NoticeStatus.QUEUED, NoticeStatus.FALLBACK], message__isnull=False
    ).order_by("due_at", "pk")
    for pk in list(waiting.values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            notice = (
                EncompassNotice.objects.select_for_update(of=("self",))
                .select_related("message", "child")
                .get(pk=pk)
            )
            message = notice.message
            if notice.status not in (NoticeStatus.QUEUED, NoticeStatus.FALLBACK):
                continue
            if message.status == Status.SENT:
                _delivered(notice)
                moved += 1
            elif notice.status == NoticeStatus.QUEUED:
                if message.status == Status.PERMANENTLY_FAILED:
                    _fall_back(notice, message.last_error or "the email was refused")
                    moved += 1
                elif message.created_at <= late:
                    minutes = settings.BLUELAMP_ENCOMPASS_FALLBACK_MINUTES
                    _fall_back(notice, f"not delivered within {minutes} minutes")
                    moved += 1
    return moved
