"""What a signed-in victim sees and does in the portal, and the officer's reply to them.

A victim sees only their own crime, and of it only what is theirs to know: its reference, status
and outcome, the officer in charge, the updates marked for them (Victims' Code right 6) and the
support on offer (right 4) - never the crime's internal summary, nor any suspect or witness.
Every view and change is audited with the victim as the actor."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import get_visible, require, require_unit
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core import validation as v
from bluelamp.core.choices import ContactChannel, EventStatus
from bluelamp.core.history import log_change, snapshot
from bluelamp.core.models import Event
from bluelamp.core.writes import written
from bluelamp.crime.supervision import victim_visible_updates
from bluelamp.duties.models import DomainEvent
from bluelamp.duties.services import emit
from bluelamp.reference.offences import lookup
from bluelamp.victims.contact_details import record_contact_details_change
from bluelamp.victims.models import VictimRecord

from .access import VictimActor, actor_for, officer_label
from .models import VictimMessage

# domain.md 5 (HOCR Section H), in words for a victim.
OUTCOME_WORDS = {
    "1": "Someone has been charged or summonsed to court",
    "1A": "Someone has been charged with a related offence",
    "2": "A young person has been cautioned",
    "3": "An adult has been cautioned",
    "4": "The offender asked for this crime to be taken into account by a court",
    "5": "The offender has died",
    "6": "A penalty notice for disorder was given",
    "7": "A cannabis or khat warning was given",
    "8": "The matter was dealt with by a community resolution",
    "9": "The Crown Prosecution Service decided a prosecution is not in the public interest",
    "10": "The police decided a prosecution is not in the public interest",
    "11": "A prosecution is not possible: the suspect is under the age of criminal responsibility",
    "12": "A prosecution is not possible: the suspect is too ill",
    "13": "A prosecution is not possible: the victim or a key witness has died or is too ill",
    "14": "No suspect was identified, and the victim did not support further action",
    "15": "A suspect was named, but there was not enough evidence to prosecute",
    "16": "A suspect was named, but the victim did not support, or withdrew support for, action",
    "17": "The time limit for a prosecution has passed",
    "18": "The investigation is complete and no suspect was identified",
    "19": "The case is with the National Fraud Intelligence Bureau",
    "20": "The investigation has passed to another organisation",
    "21": "The police decided further investigation is not in the public interest",
    "22": "Action to divert the offender was taken, with no further action needed",
}


@dataclass(frozen=True)
class CrimeForVictim:
    reference: str
    offence: str  # the Home Office offence in words ("Theft from the person"), or ""
    occurred_on: object  # when it happened (the start, if a span), or None
    reported_at: object
    status: str
    outcome: str
    officer: str
    officer_contact: str
    updates: list
    messages: list


def _audit_view(record: VictimRecord, page: str) -> None:
    audit.record(
        actor=actor_for(record),
        action=Action.VIEW,
        obj=record,
        detail={"portal": True, "page": page, "victim_record": record.pk},
    )


def outcome_of(crime: Event) -> str:
    """The latest recorded outcome (``crime.outcome_recorded``) in words, or ""."""
    latest = (
        DomainEvent.objects.filter(
            type="crime.outcome_recorded",
            subject_type=ContentType.objects.get_for_model(Event),
            subject_id=crime.pk,
        )
        .order_by("-occurred_at", "-id")
        .first()
    )
    if latest is None:
        return ""
    code = str(latest.payload.get("outcome", ""))
    if code in ("", "0"):  # domain.md 5: outcome 0 is "not yet assigned", never an outcome
        return ""
    return OUTCOME_WORDS.get(code, "An outcome has been recorded")


def victim_record_for(victim_record_id: int) -> VictimRecord:
    return VictimRecord.objects.select_related("crime__officer_in_case__unit", "person").get(
        pk=victim_record_id
    )


def crime_for_victim(*, victim: VictimRecord) -> CrimeForVictim:
    """The portal's main page for this victim's own crime; audited as the victim's view."""
    crime = victim.crime
    outcome = outcome_of(crime)
    if outcome:
        status = "Finished"
    elif crime.status == EventStatus.CLOSED:
        status = "Closed"
    else:
        status = "Open: being investigated"
    officer = crime.officer_in_case
    contact = (
        f"Call 101 and ask for {officer.display_name}"
        + (f" of {officer.unit.name}" if officer and officer.unit_id else "")
        + f", quoting {crime.reference}."
        if officer
        else f"Call 101 quoting {crime.reference}."
    )
    _audit_view(victim, "crime")
    recorded = getattr(crime, "crime", None)  # crime.Crime beside the Event, read only
    offence = lookup(recorded.offence_code) if recorded is not None else None
    return CrimeForVictim(
        reference=crime.reference,
        offence=offence.offence if offence else "",
        occurred_on=crime.occurred_from,
        reported_at=crime.reported_at,
        status=status,
        outcome=outcome,
        officer=officer_label(crime),
        officer_contact=contact,
        updates=[
            {"at": u.recorded_at, "text": u.text} for u in victim_visible_updates(crime=crime)
        ],
        messages=list(VictimMessage.objects.filter(victim_record=victim)),
    )


def support_services() -> list[dict]:
    return list(settings.BLUELAMP_PORTAL_SUPPORT_SERVICES)


PREFERENCE_FIELDS = (
    "channel",
    "email",
    "phone",
    "update_every_days",
    "times_to_avoid",
    "do_not_contact",
)
# A victim chooses how we write or speak to them; "in person" is arranged with the officer.
VICTIM_CHANNELS = (
    ContactChannel.EMAIL,
    ContactChannel.SMS,
    ContactChannel.PHONE,
    ContactChannel.LETTER,
)


def preferences_of(*, victim: VictimRecord) -> dict:
    _audit_view(victim, "preferences")
    return {name: getattr(victim, name) for name in PREFERENCE_FIELDS}


@transaction.atomic
def change_preferences(
    *,
    actor: VictimActor,
    victim: VictimRecord,
    channel: str,
    email: str = "",
    phone: str = "",
    update_every_days: int | None = None,
    times_to_avoid: str = "",
    do_not_contact: bool = False,
) -> VictimRecord:
    """The victim's own contact preferences (domain.md 1.4: updates "as agreed with the
    victim"). Written with history and audit; the safe-to-write flag stays the officer's call."""
    record = VictimRecord.objects.select_for_update().get(pk=victim.pk)
    if actor.victim_record_id != record.pk:
        raise ValidationError({"victim": "You can change only your own preferences."})
    if channel not in VICTIM_CHANNELS:
        raise ValidationError({"channel": "Choose email, text message, phone call or letter."})
    email = v.clean_text(email, field="email", max_length=254)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            message = "Enter an email address like name@example.com."
            raise ValidationError({"email": message}) from None
    phone = v.clean_text(phone, field="phone", max_length=30)
    if phone:
        phone = v.normalise_phone(phone, field="phone")
    if channel == ContactChannel.EMAIL and not email:
        raise ValidationError({"email": "Enter your email address to hear from us by email."})
    if channel == ContactChannel.SMS and not re.fullmatch(r"07\d{9}", phone or ""):
        raise ValidationError({"phone": "Enter a UK mobile number (07...) for text messages."})
    if channel == ContactChannel.PHONE and not phone:
        raise ValidationError({"phone": "Enter a phone number to hear from us by phone."})
    if update_every_days is not None and not 1 <= int(update_every_days) <= 90:
        raise ValidationError({"update_every_days": "Choose between 1 and 90 days, or leave it."})
    before = snapshot(record)
    record.channel, record.email, record.phone = channel, email, phone
    record.update_every_days = update_every_days
    record.times_to_avoid = v.clean_text(times_to_avoid, field="times_to_avoid", max_length=200)
    record.do_not_contact = bool(do_not_contact)
    record.save(update_fields=list(PREFERENCE_FIELDS))
    # A new address or number is told to the old one, as when an officer changes it (issue 14):
    # whoever signed in with the victim's code cannot quietly move their messages elsewhere.
    record_contact_details_change(
        actor=None, victim=record, before=before, by_name="the victim (portal)"
    )
    # Not ``written``: the audit row names the fields history found changed, and is kept even
    # when none did (the victim pressed save: a portal act is always on the record).
    change = log_change(
        actor=actor,
        obj=record,
        action="change",
        before=before,
        summary="Contact preferences changed by the victim (portal)",
    )
    audit.record(
        actor=actor,
        action=Action.CHANGE,
        obj=record,
        detail={"portal": True, "victim_record": record.pk, "fields": sorted(change.changes)}
        if change
        else {"portal": True, "victim_record": record.pk, "fields": []},
    )
    if change:
        emit(
            "victim.preferences_changed",
            subject=record,
            actor=None,  # the victim is not a user
            payload={"fields": sorted(change.changes), "by": "victim"},
        )
    return record


@transaction.atomic
def send_message(*, actor: VictimActor, victim: VictimRecord, text: str) -> VictimMessage:
    """A message from the victim to the officer in case; opens the officer's reply duty."""
    if actor.victim_record_id != victim.pk:
        raise ValidationError({"victim": "You can send messages only about your own crime."})
    message = VictimMessage.objects.create(
        victim_record=victim,
        text=v.clean_text(text, field="text", max_length=2000, required=True),
        sent_at=timezone.now(),
    )
    audit.record(
        actor=actor,
        action=Action.CREATE,
        obj=message,
        detail={"portal": True, "victim_record": victim.pk},
    )
    emit(
        "victim.message_sent",
        subject=message,
        actor=None,  # the victim is not a user
        payload={"victim_record": victim.pk, "crime": victim.crime_id},
    )
    return message


@transaction.atomic
def reply_to_message(*, actor: User, message: VictimMessage, text: str) -> VictimMessage:
    """The officer's reply, shown to the victim in the portal; discharges the reply duty."""
    require(actor, "victim.portal_reply")
    require_unit(actor, message.victim_record.crime.owning_unit)
    message = VictimMessage.objects.select_for_update().get(pk=message.pk)
    get_visible(Event.objects.all(), actor, message.victim_record.crime_id)
    if message.replied_at:
        raise ValidationError({"text": "This message has already been answered."})
    before = snapshot(message)
    message.reply = v.clean_text(text, field="text", max_length=2000, required=True)
    message.replied_at = timezone.now()
    message.replied_by_name = actor.display_name
    written(
        message,
        actor=actor,
        action="change",
        before=before,
        save=["reply", "replied_at", "replied_by_name"],
        summary="Replied to the victim's portal message",
        subject=message.victim_record.crime,
        audited=message,
        detail={"reply": True},
        event="victim.message_answered",
        payload={"victim_record": message.victim_record_id},
    )
    return message
