"""Signing in to the victim portal: the crime reference, the code and the date of birth, the
second check by a texted code, a new code asked for by the victim, and the waits after too many
wrong tries (limits.py), which an officer may clear. The codes themselves are issued in
access.py."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import get_visible, require, require_unit
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core.choices import EventKind
from bluelamp.core.models import Event
from bluelamp.core.validation import normalise_phone
from bluelamp.duties.services import emit
from bluelamp.notify import services as notify
from bluelamp.notify.secrets import one_time_secret
from bluelamp.victims.models import VictimRecord

from . import limits
from .access import PORTAL_UNVERIFIED, actor_for, issue_code, normalise_code, written_channel
from .models import AccessCode, ReferenceLock


def locked_until(crime: Event) -> dt.datetime | None:
    """The end of the wait on this crime reference after too many wrong tries, if one is on."""
    return limits.waits_until(ReferenceLock.objects.filter(crime=crime).first())


@dataclass(frozen=True)
class SignInResult:
    victim_record: VictimRecord | None = None
    error: str = ""
    try_again_at: dt.datetime | None = None  # too many tries: not before then
    phone_check: AccessCode | None = None  # right code, now waiting for the texted code


# One answer for every wrong part, and one for every wait, so neither says which part was wrong
# nor whether the wait is the reference's or the connection's.
NOT_RIGHT = "The crime reference, code or date of birth is not right. Check them and try again."
TOO_MANY = "There have been too many tries."
NO_SECOND_CHECK = (
    "We cannot check it is you online. Call 101 and ask for the officer in charge, who can "
    "update your details."
)
PHONE_CODE_NOT_RIGHT = "That code is not right, or it has expired. Check it and try again."
# Said only when the reference, the code itself and the date of birth are all right, i.e. to
# someone who held the code and knows the victim's birthday (in practice the victim, coming back
# with the code they used before). A guesser without the code cannot reach it: the code is
# matched against its salted hash (about 59 bits; the tag only finds it), so without the code
# the answer stays NOT_RIGHT. It still counts as a wrong try (the same back-off), is audited as
# a failed sign-in, and costs the same one hash's work as every other answer.
ALREADY_USED = (
    "That code has already been used: each code works once. Get a new code below, or call 101 "
    "and ask for the officer in charge."
)


def mobile_for_check(record: VictimRecord) -> str | None:
    """The mobile a sign-in code may be texted to: a text is written contact too (domain.md 1.4
    safe-contact), so never to a victim it could endanger or who asked not to be contacted."""
    if record.do_not_contact or not record.safe_to_write or not record.phone:
        return None
    try:
        national = normalise_phone(record.phone, field="phone")
    except ValidationError:
        return None
    return national if re.fullmatch(r"07\d{9}", national) else None


def _text_phone_check(access_code: AccessCode, mobile: str) -> None:
    now = timezone.now()
    six_digits = one_time_secret(alphabet="0123456789", groups=(6,))
    access_code.phone_check_hash = make_password(six_digits.value)
    access_code.phone_check_expires_at = now + dt.timedelta(
        minutes=settings.BLUELAMP_PORTAL_PHONE_CODE_MINUTES
    )
    access_code.save(update_fields=["phone_check_hash", "phone_check_expires_at"])
    record = access_code.victim_record
    notify.send(
        template="portal-sign-in-code-sms",
        to=mobile,
        personalisation={"code": six_digits},
        idempotency_key=f"portal-phone-check:{access_code.pk}:{now.timestamp()}",
        about=record,
        reference=record.crime.reference,
        actor=PORTAL_UNVERIFIED,
    )


def _complete(lock: ReferenceLock, access_code: AccessCode) -> SignInResult:
    access_code.used_at = timezone.now()  # one-time: spent now
    access_code.phone_check_hash = ""
    access_code.save(update_fields=["used_at", "phone_check_hash"])
    limits.clear(lock)
    record = access_code.victim_record
    audit.record(
        actor=actor_for(record),
        action=Action.SIGN_IN,
        obj=record,
        detail={"portal": True, "victim_record": record.pk, "portal_code": access_code.pk},
    )
    return SignInResult(victim_record=record)


def _audit_failure(crime: Event | None, reference: str, detail: dict) -> None:
    audit.record(
        actor=PORTAL_UNVERIFIED,
        action=Action.SIGN_IN_FAILED,
        obj=crime,
        record_type="" if crime else "event",
        label=crime.reference if crime else reference[:40],
        detail={"portal": True, **detail},
    )


def _waiting(address: str, lock: ReferenceLock | None) -> dt.datetime | None:
    waits = [limits.address_waits_until(address), limits.waits_until(lock)]
    return max((w for w in waits if w), default=None)


def _fail(
    crime: Event | None, reference: str, address: str, lock: ReferenceLock | None, detail: dict
) -> dt.datetime | None:
    """Counts a wrong try against the client's address and the reference (when there is one);
    returns the end of any wait that starts now."""
    limits.note_address_failure(address)
    if lock is not None:
        limits.note_reference_failure(lock)
    _audit_failure(crime, reference, {"failures": lock.failures if lock else None, **detail})
    return _waiting(address, lock)


def _live_codes(crime: Event, given: str) -> list[AccessCode]:
    """The live codes of this crime that the given code could be: the one with its tag (and any
    issued before tags were kept, until they expire)."""
    return list(
        AccessCode.objects.filter(
            victim_record__crime=crime,
            used_at__isnull=True,
            voided_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .filter(Q(code_tag__in=limits.code_tags(given)) | Q(code_tag=""))
        .select_related("victim_record__person", "victim_record__crime")
    )


def _used_codes(crime: Event, given: str) -> list[AccessCode]:
    """A spent (not voided) code of this crime with the given code's tag: normally none."""
    return list(
        AccessCode.objects.filter(
            victim_record__crime=crime,
            used_at__isnull=False,
            voided_at__isnull=True,
            code_tag__in=limits.code_tags(given),
        ).select_related("victim_record__person", "victim_record__crime")[:1]
    )


@transaction.atomic
def sign_in(
    *, reference: str, code: str, date_of_birth: dt.date | None, client_address: str = ""
) -> SignInResult:
    """Checks a crime reference, a one-time code and the victim's date of birth. A wrong try
    counts against the reference, whoever makes it, and against the client's address; too many
    of either make the next try wait (limits.py), and meanwhile nothing is checked. Every answer
    costs the same hashing work. Returns (never raises) so the counts are always saved."""
    reference = (reference or "").strip().upper()
    given = normalise_code(code)
    address = limits.address_key(client_address)
    crime = Event.objects.filter(reference=reference, kind=EventKind.CRIME).first()
    lock = limits.lock_for(crime) if crime else None
    wait = _waiting(address, lock)
    candidates = [] if crime is None or wait else _live_codes(crime, given)
    if crime is not None and not wait and not candidates:
        candidates = _used_codes(crime, given)  # still one hash: found by the same tag
    found = limits.verify(given, [c.code_hash for c in candidates])  # one hash's work, always
    if wait:
        _audit_failure(crime, reference, {"waiting": True})
        return SignInResult(error=TOO_MANY, try_again_at=wait)
    if found is None:
        wrong = "code" if crime else "reference"
        return SignInResult(
            error=NOT_RIGHT, try_again_at=_fail(crime, reference, address, lock, {"wrong": wrong})
        )
    matched = candidates[found]
    record = matched.victim_record
    if matched.used_at is not None:
        right_birthday = date_of_birth is not None and date_of_birth == record.person.date_of_birth
        detail = {"wrong": "used_code" if right_birthday else "date_of_birth"}
        failed = _fail(crime, reference, address, lock, {**detail, "victim_record": record.pk})
        error = ALREADY_USED if right_birthday else NOT_RIGHT
        return SignInResult(error=error, try_again_at=failed)
    # Second check: the victim's date of birth as recorded on their person record, or - when
    # none is recorded - a six-digit code texted to their mobile.
    on_record = record.person.date_of_birth
    if on_record is None:
        mobile = mobile_for_check(record)
        if mobile is None:
            return SignInResult(error=NO_SECOND_CHECK)
        _text_phone_check(matched, mobile)
        return SignInResult(phone_check=matched)
    if date_of_birth != on_record:
        detail = {"wrong": "date_of_birth", "victim_record": record.pk}
        return SignInResult(
            error=NOT_RIGHT, try_again_at=_fail(crime, reference, address, lock, detail)
        )
    return _complete(lock, matched)


@transaction.atomic
def confirm_phone_check(
    *, access_code_id: int, phone_code: str, client_address: str = ""
) -> SignInResult:
    """The second step for a victim with no recorded date of birth: the texted code. A wrong
    one counts like a wrong access code; the same hashing work whatever the answer."""
    access_code = (
        AccessCode.objects.select_related("victim_record__crime").filter(pk=access_code_id).first()
    )
    address = limits.address_key(client_address)
    crime = access_code.victim_record.crime if access_code else None
    lock = limits.lock_for(crime) if crime else None
    wait = _waiting(address, lock)
    now = timezone.now()
    usable = (
        access_code is not None
        and access_code.used_at is None
        and access_code.voided_at is None
        and access_code.expires_at > now
        and access_code.phone_check_hash
        and access_code.phone_check_expires_at
        and access_code.phone_check_expires_at > now
    )
    given = re.sub(r"\s", "", phone_code or "")
    hashes = [access_code.phone_check_hash] if usable and given and not wait else []
    found = limits.verify(given, hashes)
    if wait:
        _audit_failure(crime, "", {"waiting": True})
        return SignInResult(error=TOO_MANY, try_again_at=wait)
    if found is None:
        detail = {
            "wrong": "phone_code",
            "victim_record": getattr(access_code, "victim_record_id", None),
        }
        failed = _fail(crime, "", address, lock, detail)
        return SignInResult(error=PHONE_CODE_NOT_RIGHT, try_again_at=failed)
    return _complete(lock, access_code)


@transaction.atomic
def request_new_code(
    *, reference: str, date_of_birth: dt.date | None, client_address: str = ""
) -> bool:
    """A victim whose code is spent asks for a new one: sent only by their own safe written
    channel, so knowing a reference and a birthday gives an attacker nothing to read. A wrong
    date of birth counts like a wrong code. Returns whether a code was sent (the page says the
    same either way, and every answer costs one code's hashing work)."""
    reference = (reference or "").strip().upper()
    address = limits.address_key(client_address)
    crime = Event.objects.filter(reference=reference, kind=EventKind.CRIME).first()
    lock = limits.lock_for(crime) if crime else None
    if _waiting(address, lock):
        limits.spend_hash_work()
        return False
    records = VictimRecord.objects.filter(crime=crime).select_related("person") if crime else []
    record = next(
        (r for r in records if date_of_birth and r.person.date_of_birth == date_of_birth), None
    )
    if record is None:
        wrong = "date_of_birth" if crime else "reference"
        _fail(crime, reference, address, lock, {"wrong": wrong, "asked_for": "new code"})
        limits.spend_hash_work()
        return False
    # One code per victim per few minutes: repeated asking cannot flood the victim with
    # messages, nor keep voiding the code they are about to use.
    recent = timezone.now() - dt.timedelta(minutes=settings.BLUELAMP_PORTAL_NEW_CODE_MINUTES)
    too_soon = AccessCode.objects.filter(victim_record=record, issued_at__gt=recent).exists()
    if written_channel(record) is None or too_soon:
        limits.spend_hash_work()
        return False
    issue_code(actor=None, victim_record=record)
    return True


@transaction.atomic
def unlock(*, actor: User, crime: Event) -> None:
    """An officer clears the wrong tries on a crime reference, and any wait they started (after
    speaking to the victim). A wait on the victim's own connection runs its course."""
    require(actor, "victim.portal_unlock")
    crime = get_visible(Event.objects.all(), actor, crime.pk)
    require_unit(actor, crime.owning_unit)
    lock = ReferenceLock.objects.select_for_update().filter(crime=crime).first()
    if lock is None or not (lock.failures or limits.waits_until(lock)):
        raise ValidationError({"crime": "There are no wrong tries to clear for this crime."})
    limits.clear(lock)
    audit.record(actor=actor, action=Action.CHANGE, obj=crime, detail={"portal_unlocked": True})
    emit("victim.portal_unlocked", subject=crime, actor=actor, payload={})
