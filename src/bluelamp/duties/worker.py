"""What ``bluelamp worker`` does each cycle: hand outbox events to their handlers, and escalate
duties that are overdue.

Any number of workers may run, and any may be killed at any moment:
- a worker claims outbox rows with a lease (one UPDATE that only takes rows whose lease is free
  or expired, stamped with this worker's id and lease time), and handles only rows it holds;
- each handler runs in its own transaction together with a ``HandledEvent`` row whose unique
  (event, handler) constraint means a retaken event never runs a finished handler again;
- a killed worker's rows come back when their lease expires.
So no event is lost, and none is acted on twice in the database. Effects outside the database
(an email) are given idempotency keys by the handler (see notify)."""

from __future__ import annotations

import datetime as dt
import logging
import traceback

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .models import DomainEvent, Duty, HandledEvent, Outcome
from .registry import HANDLERS
from .services import emit

log = logging.getLogger("bluelamp.worker")


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.BLUELAMP_WORKER_LEASE_SECONDS)


def _claim(worker_id: str, limit: int) -> list[DomainEvent]:
    now = timezone.now()
    free = Q(processed_at__isnull=True) & (Q(lease_until__isnull=True) | Q(lease_until__lt=now))
    ids = list(DomainEvent.objects.filter(free).order_by("id").values_list("id", flat=True)[:limit])
    if not ids:
        return []
    lease_until = now + _lease()
    with transaction.atomic():
        # The WHERE is checked again as each row is updated, so of two workers racing for the
        # same rows, each row goes to one of them.
        DomainEvent.objects.filter(free, id__in=ids).update(
            claimed_by=worker_id, lease_until=lease_until
        )
    return list(
        DomainEvent.objects.filter(
            id__in=ids, claimed_by=worker_id, lease_until=lease_until, processed_at__isnull=True
        ).order_by("id")
    )


def _run_handler(event: DomainEvent, name: str, function, worker_id: str) -> None:
    try:
        with transaction.atomic():
            if HandledEvent.objects.filter(event=event, handler=name).exists():
                return
            function(event)
            HandledEvent.objects.create(
                event=event, handler=name, handled_at=timezone.now(), worker=worker_id
            )
    except IntegrityError:
        # Another worker finished this handler first (its lease had expired): our writes are
        # rolled back with this transaction, so it still happened once.
        log.info("event %s handler %s already handled elsewhere", event.pk, name)


def drain_outbox(*, worker_id: str, limit: int = 100) -> int:
    """Handles up to ``limit`` pending events; returns how many were completed."""
    done = 0
    for event in _claim(worker_id, limit):
        try:
            for name, function in HANDLERS.get(event.type, []):
                _run_handler(event, name, function, worker_id)
        except Exception:  # noqa: BLE001 - one bad event must not stop the rest
            DomainEvent.objects.filter(pk=event.pk, claimed_by=worker_id).update(
                last_error=traceback.format_exc()[-2000:],
                attempts=event.attempts + 1,
                # Back off: retried after a lease per failed attempt, up to an hour.
                lease_until=timezone.now()
                + min(_lease() * (event.attempts + 1), dt.timedelta(hours=1)),
            )
            log.exception("event %s (%s) failed", event.pk, event.type)
            continue
        DomainEvent.objects.filter(pk=event.pk, claimed_by=worker_id).update(
            processed_at=timezone.now(), attempts=event.attempts + 1, last_error=""
        )
        done += 1
    return done


def escalate_overdue(*, worker_id: str, limit: int = 500) -> int:
    """Raises each overdue open duty once: marks it escalated and emits ``duty.escalated`` (which
    features handle, e.g. by telling the owner's supervisors). Returns how many were raised."""
    now = timezone.now()
    raised = 0
    overdue = Duty.objects.filter(outcome=Outcome.OPEN, due_at__lt=now, escalation_level=0)
    for duty in overdue.order_by("due_at")[:limit]:
        with transaction.atomic():
            won = Duty.objects.filter(pk=duty.pk, escalation_level=0, outcome=Outcome.OPEN).update(
                escalation_level=1, escalated_at=now
            )
            if won:
                emit(
                    "duty.escalated",
                    subject=duty,
                    actor=None,
                    payload={"policy": duty.policy, "due_at": duty.due_at.isoformat()},
                    at=now,
                )
                raised += 1
    return raised
