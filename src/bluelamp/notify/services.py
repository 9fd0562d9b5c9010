"""Queueing messages. ``send`` writes the message into the outbox in the caller's transaction;
the worker delivers it (notify/worker.py). Queuing the same idempotency key twice returns the
message already queued. A template's secret fields must be one-time secrets (notify/secrets.py):
the outbox keeps their seeds, never their values. A secret belongs to the message that first
carries it, so its idempotency key must be unique to the secret (a second call with the same key
returns the first message, with the first secret)."""

from __future__ import annotations

import re

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core.validation import normalise_phone

from .message_templates import TEMPLATES
from .models import Channel, Message
from .secrets import OneTimeSecret, for_outbox


def _recipient(channel: str, to: str) -> str:
    to = (to or "").strip()
    if channel == Channel.EMAIL:
        try:
            validate_email(to)
        except ValidationError:
            raise ValidationError({"to": "Not an email address."}) from None
        return to.lower()
    national = normalise_phone(to, field="to")
    if not re.fullmatch(r"07\d{9}", national):
        raise ValidationError({"to": "Not a UK mobile number."})
    return "+44" + national[1:]


def send(
    *,
    template: str,
    to: str,
    personalisation: dict,
    idempotency_key: str,
    about: Model | None = None,
    reference: str = "",
    actor=None,
) -> Message:
    if template not in TEMPLATES:
        raise ValidationError({"template": f"No template called {template!r}."})
    chosen = TEMPLATES[template]
    in_clear = [
        name
        for name in chosen.secret_fields
        if name in personalisation and not isinstance(personalisation[name], OneTimeSecret)
    ]
    if in_clear:
        # Never in clear in the outbox: anyone who can read the database could use it.
        raise ValidationError(
            {"personalisation": f"Give {', '.join(in_clear)} as notify.secrets.one_time_secret."}
        )
    values = {
        name: value.value if isinstance(value, OneTimeSecret) else value
        for name, value in personalisation.items()
    }
    chosen.render(values)  # refuses missing fields now, not at delivery
    to = _recipient(chosen.channel, to)
    existing = Message.objects.filter(idempotency_key=idempotency_key).first()
    if existing:
        return existing
    now = timezone.now()
    try:
        with transaction.atomic():
            message = Message.objects.create(
                channel=chosen.channel,
                template=template,
                personalisation=for_outbox(personalisation),
                to=to,
                reference=reference[:100],
                about_type=ContentType.objects.get_for_model(about) if about is not None else None,
                about_id=about.pk if about is not None else None,
                idempotency_key=idempotency_key,
                next_attempt_at=now,
                created_at=now,
            )
    except IntegrityError:
        return Message.objects.get(idempotency_key=idempotency_key)
    if about is not None:
        audit.record(
            actor=actor,
            action=Action.DISCLOSE,
            obj=about,
            detail={"message": message.pk, "template": template, "channel": chosen.channel},
        )
    return message
