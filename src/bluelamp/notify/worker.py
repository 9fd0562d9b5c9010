"""Delivering queued messages: ``deliver_due`` is one of the worker's tasks.

Each message is claimed with a lease (as outbox events are) and marked ``sending`` before the
provider is called. A failed attempt is recorded with its reason and retried with exponential
back-off until BLUELAMP_NOTIFY_MAX_ATTEMPTS; nothing is ever deleted.

Exactly once, honestly: if a worker dies after the provider accepted a message but before the
database recorded it, the message is sent again when its lease expires - with the same
``delivery_id`` (the email's Message-ID, the SMS provider's reference), so the receiving system
can drop the duplicate. That window is the few milliseconds between the provider's reply and one
UPDATE (docs/notify.md).

One-time secrets (notify/secrets.py) are derived only here, in memory, to render the message;
the UPDATE that records the message as sent, or as given up on, removes them from the outbox."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .channels import PermanentFailure, TemporaryFailure, provider_for
from .message_templates import TEMPLATES
from .models import DeliveryAttempt, Message, Status
from .secrets import SecretUnavailable, for_sending, scrubbed

_RETRY_BASE = dt.timedelta(seconds=30)
_RETRY_CAP = dt.timedelta(hours=6)


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.BLUELAMP_WORKER_LEASE_SECONDS)


def backoff(attempts: int) -> dt.timedelta:
    """30 s, 1 min, 2 min, 4 min ... up to 6 hours."""
    return min(_RETRY_BASE * (2 ** max(attempts - 1, 0)), _RETRY_CAP)


def rendered(message: Message) -> tuple[str, str]:
    """The subject and body as sent: one-time secrets derived in memory, never saved."""
    return TEMPLATES[message.template].render(for_sending(message.personalisation))


def _claim(worker_id: str, limit: int) -> list[Message]:
    now = timezone.now()
    due = Q(status__in=[Status.QUEUED, Status.FAILED, Status.SENDING], next_attempt_at__lte=now) & (
        Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    )
    ids = list(
        Message.objects.filter(due)
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    if not ids:
        return []
    lease_until = now + _lease()
    with transaction.atomic():
        Message.objects.filter(due, id__in=ids).update(
            claimed_by=worker_id, lease_until=lease_until, status=Status.SENDING
        )
    return list(
        Message.objects.filter(id__in=ids, claimed_by=worker_id, lease_until=lease_until).order_by(
            "id"
        )
    )


def _finish(message: Message, worker_id: str, outcome: str, error: str = "", **fields) -> None:
    now = timezone.now()
    if fields.get("status") in (Status.SENT, Status.PERMANENTLY_FAILED):
        # Delivered or given up on: no secret is needed again, so none stays in the outbox.
        secret_fields = TEMPLATES[message.template].secret_fields
        fields["personalisation"] = scrubbed(message.personalisation, secret_fields)
    with transaction.atomic():
        Message.objects.filter(pk=message.pk, claimed_by=worker_id).update(
            attempts=message.attempts + 1, lease_until=None, **fields
        )
        DeliveryAttempt.objects.create(
            message=message, at=now, worker=worker_id, outcome=outcome, error=error[:2000]
        )


def deliver_due(*, worker_id: str, limit: int = 50) -> int:
    """Sends up to ``limit`` due messages; returns how many were sent."""
    sent = 0
    for message in _claim(worker_id, limit):
        attempts = message.attempts + 1
        try:
            subject, body = rendered(message)
            provider_id = provider_for(message.channel).send(message, subject, body)
        except TemporaryFailure as error:
            final = attempts >= settings.BLUELAMP_NOTIFY_MAX_ATTEMPTS
            _finish(
                message,
                worker_id,
                "temporary_failure",
                str(error),
                status=Status.PERMANENTLY_FAILED if final else Status.FAILED,
                last_error=str(error)[:2000],
                next_attempt_at=timezone.now() + backoff(attempts),
            )
            continue
        except (PermanentFailure, SecretUnavailable) as error:
            _finish(
                message,
                worker_id,
                "permanent_failure",
                str(error),
                status=Status.PERMANENTLY_FAILED,
                last_error=str(error)[:2000],
            )
            continue
        _finish(
            message,
            worker_id,
            "sent",
            status=Status.SENT,
            provider_id=provider_id[:200],
            sent_at=timezone.now(),
            last_error="",
        )
        sent += 1
    return sent
