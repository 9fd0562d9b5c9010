"""Access to the victim portal: who the signed-in victim is, and the one-time codes they sign in
with (signing in itself, its second check and its waits: signing_in.py).

A code is kept only as a salted hash (and a short keyed tag that finds it, limits.code_tags). It
is sent by the victim's chosen channel through the notify outbox as a one-time secret, which the
outbox never holds in clear and forgets once sent (notify/secrets.py); but never by a written
channel that could put them at risk (domain.md 1.4 safe-contact) nor to someone who asked not to
be contacted: then an officer issues one to give in person, shown on screen once."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import get_visible, require, require_unit
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core.choices import ContactChannel
from bluelamp.core.models import Event
from bluelamp.core.validation import normalise_phone
from bluelamp.duties.deadlines import LONDON
from bluelamp.duties.services import emit
from bluelamp.notify import services as notify
from bluelamp.notify.secrets import OneTimeSecret, one_time_secret
from bluelamp.victims.models import VictimRecord

from . import limits
from .models import AccessCode, SentBy

# No 0/O, 1/I/L: the code is read aloud by officers and typed from a phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_GROUPS, CODE_GROUP_LENGTH = 3, 4  # 12 characters, about 59 bits


@dataclass(frozen=True)
class VictimActor:
    """The victim, signed in to the portal, as the actor of audit and history rows. Not a user:
    ``pk`` is None so no user id is recorded; the victim record is named in the row's detail."""

    victim_record_id: int
    crime_reference: str
    pk = None
    role = "victim"

    @property
    def display_name(self) -> str:
        return f"Victim (portal), {self.crime_reference}"


PORTAL_UNVERIFIED = VictimActor(0, "not signed in")


def actor_for(record: VictimRecord) -> VictimActor:
    return VictimActor(record.pk, record.crime.reference)


def _new_code() -> OneTimeSecret:
    return one_time_secret(alphabet=CODE_ALPHABET, groups=(CODE_GROUP_LENGTH,) * CODE_GROUPS)


def normalise_code(text: str) -> str:
    return re.sub(r"[\s-]", "", (text or "")).upper()


def written_channel(record: VictimRecord) -> tuple[str, str] | None:
    """The written channel (notify channel, address) that may carry a code or an update to this
    victim, or None. domain.md 1.4: written contact must not put the victim at risk."""
    if record.do_not_contact or not record.safe_to_write:
        return None
    if record.channel == ContactChannel.EMAIL and record.email:
        try:
            validate_email(record.email)
        except ValidationError:
            return None
        return "email", record.email
    if record.channel == ContactChannel.SMS and record.phone:
        try:
            national = normalise_phone(record.phone, field="phone")
        except ValidationError:
            return None
        if re.fullmatch(r"07\d{9}", national):
            return "sms", national
    return None


def officer_label(crime: Event) -> str:
    officer = crime.officer_in_case
    return officer.display_name if officer else "not yet allocated"


@dataclass(frozen=True)
class IssuedCode:
    access_code: AccessCode
    code: str  # shown once (in person) or carried by the message; never stored
    message: object | None


@transaction.atomic
def issue_code(
    *, actor: User | None, victim_record: VictimRecord, in_person: bool = False
) -> IssuedCode:
    """Issues a new one-time code and voids any unused one. Sent by the victim's chosen written
    channel unless ``in_person`` (or no safe channel exists: then the officer must give it).
    ``actor`` None is the system, opening the portal when the victim record opens."""
    if actor is not None:
        require(actor, "victim.portal_code")
        crime = get_visible(Event.objects.all(), actor, victim_record.crime_id)
        require_unit(actor, crime.owning_unit)
    record = VictimRecord.objects.select_related("crime__officer_in_case").get(pk=victim_record.pk)
    channel = None if in_person else written_channel(record)
    if not in_person and channel is None:
        raise ValidationError(
            {
                "how": "This victim has no safe written channel (or asked not to be contacted): "
                "issue a code to give in person."
            }
        )
    now = timezone.now()
    AccessCode.objects.filter(
        victim_record=record, used_at__isnull=True, voided_at__isnull=True
    ).update(voided_at=now)
    secret = _new_code()
    code = secret.value
    access_code = AccessCode.objects.create(
        victim_record=record,
        code_hash=make_password(normalise_code(code)),
        code_tag=limits.code_tags(normalise_code(code))[0],
        issued_at=now,
        expires_at=now + dt.timedelta(days=settings.BLUELAMP_PORTAL_CODE_VALID_DAYS),
        sent_by=channel[0] if channel else SentBy.IN_PERSON,
        issued_by_name=actor.display_name if actor else "",
    )
    message = None
    if channel:
        kind, to = channel
        message = notify.send(
            template="portal-access-code" if kind == "email" else "portal-access-code-sms",
            to=to,
            personalisation={
                "crime_reference": record.crime.reference,
                "code": secret,  # the outbox keeps a seed, never the code (notify/secrets.py)
                "portal_url": settings.BLUELAMP_PORTAL_URL,
                "expires_on": f"{access_code.expires_at.astimezone(LONDON):%d %B %Y}",
                "officer": officer_label(record.crime),
            },
            idempotency_key=f"portal-code:{access_code.pk}",
            about=record,
            reference=record.crime.reference,
            actor=actor,
        )
    audit.record(
        actor=actor,
        action=Action.CREATE,
        obj=record,
        detail={"portal_code": access_code.pk, "sent_by": access_code.sent_by},
    )
    emit(
        "victim.portal_code_issued",
        subject=record,
        actor=actor,
        payload={"code": access_code.pk, "sent_by": access_code.sent_by},
    )
    return IssuedCode(access_code, code, message)
