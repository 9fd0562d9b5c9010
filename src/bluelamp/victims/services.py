"""Writing the Victims' Code records: opening a victim's record with their entitlement, the needs
assessment and contact preferences, an officer's change of entitlement, and contacts recorded
against the duties they discharge. Referrals and surveys (sent by the worker) are in
outreach.py. Each service writes its record, history, audit and domain event in one
transaction, so the duties in policies.py never drift from the records."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import require, require_unit, visible_q
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core import validation as v
from bluelamp.core.choices import ContactChannel
from bluelamp.core.history import log_change, snapshot
from bluelamp.core.models import Event, Person
from bluelamp.core.transactions import service
from bluelamp.core.writes import written
from bluelamp.db import save_new
from bluelamp.duties.models import Outcome
from bluelamp.duties.registry import POLICIES
from bluelamp.duties.services import duties_for, emit

from . import entitlement, rules
from .contact_details import record_contact_details_change
from .models import (
    Consent,
    Contact,
    EnhancedReason,
    VictimRecord,
)


def visible_victims(actor: User) -> QuerySet[VictimRecord]:
    """Victim records whose crime and person this user may see: a restricted crime or person
    hides the victim record too (one scope for lists, pages and counts)."""
    require(actor, "victim.view")
    return VictimRecord.objects.filter(
        visible_q(actor, Event, "crime"), visible_q(actor, Person, "person")
    ).select_related("crime", "person", "crime__owning_unit", "crime__officer_in_case")


def get_victim(actor: User, pk: int) -> VictimRecord:
    try:
        return visible_victims(actor).get(pk=pk)
    except VictimRecord.DoesNotExist:
        raise Http404(f"No victim record {pk}.") from None


def _victim_to_change(actor: User, victim: VictimRecord) -> VictimRecord:
    """The victim's record about to be changed: visible (404 otherwise), locked, and owned by a
    crime in the actor's area (issue 14: a victim's record is written only where the crime is)."""
    victim = get_victim(actor, victim.pk)
    require_unit(actor, victim.crime.owning_unit)
    return (
        VictimRecord.objects.select_for_update().select_related("crime", "person").get(pk=victim.pk)
    )


def view_victim(*, actor: User, pk: int) -> VictimRecord:
    """One victim's record, audited as a consultation of personal data."""
    victim = get_victim(actor, pk)
    audit.record(actor=actor, action=Action.VIEW, obj=victim.person, detail={"victim": victim.pk})
    return victim


def _apply_entitlement(victim: VictimRecord) -> None:
    if victim.enhanced_overridden:
        return  # an officer decided by hand; the rules no longer change it
    victim.enhanced_reasons, victim.enhanced_rationale = entitlement.assess(victim)
    victim.enhanced_decided_by_name = ""


@service
def open_victim_record(
    *,
    actor: User | None,
    crime: Event,
    person: Person,
    flags: list[str] | tuple = (),
    crime_just_recorded: bool = False,
    channel: str = "",
) -> VictimRecord:
    """Opens the record of one victim of one crime (once), decides their entitlement and emits
    ``victim.recorded``, which opens the referral duty. Called by victims/reactions.py inside the
    transaction that recorded the crime or added the victim, so nothing owed waits. A crime
    recorded in this same transaction has no records to look for (the unique constraint still
    holds if that is ever wrong)."""
    if not crime_just_recorded:
        existing = VictimRecord.objects.filter(crime=crime, person=person).first()
        if existing:
            return existing
    victim = VictimRecord(
        crime=crime,
        person=person,
        opened_at=timezone.now(),
        flags=sorted({f for f in flags if f in rules.MOST_SERIOUS_FLAGS}),
    )
    if channel:
        # Asked when the crime was recorded: the contact plan starts from the victim's answer
        # and the number and address the officer took (the person's latest identifiers).
        victim.channel = v.check_choice(channel, ContactChannel, "channel")
        for identifier in person.identifiers.filter(kind__in=["phone", "email"]).order_by("pk"):
            setattr(victim, identifier.kind, identifier.value)
    _apply_entitlement(victim)
    save_new([victim])
    written(
        victim,
        actor=actor,
        action="create",
        summary="Victim record opened",
        audited=person,
        detail={"victim": victim.pk},
    )
    emit(
        "victim.recorded",
        subject=victim,
        actor=actor,
        payload={"crime": crime.pk, "person": person.pk, "enhanced": victim.enhanced},
    )
    return victim


@transaction.atomic
def reassess_entitlement(*, actor: User | None, victim: VictimRecord) -> VictimRecord:
    """Re-applies the rules after the crime changed (e.g. reclassified); keeps history."""
    victim = VictimRecord.objects.select_for_update().get(pk=victim.pk)
    before = snapshot(victim)
    _apply_entitlement(victim)
    victim.save()
    # History only: the change that called for this (a reclassification) audited its own write.
    log_change(actor=actor, obj=victim, action="change", before=before, summary="Entitlement")
    return victim


def _choices(values, allowed: dict | set, field: str) -> list[str]:
    values = list(values or [])
    wrong = [x for x in values if x not in allowed]
    if wrong:
        raise ValidationError({field: f"Not recognised: {', '.join(map(str, wrong))}."})
    return sorted(set(values))


@transaction.atomic
def record_needs_assessment(
    *,
    actor: User,
    victim: VictimRecord,
    channel: str,
    email: str = "",
    phone: str = "",
    update_every_days: int | None = None,
    times_to_avoid: str = "",
    contact_instead: str = "",
    do_not_contact: bool = False,
    safe_to_write: bool = True,
    needs: list[str] | tuple = (),
    flags: list[str] | tuple = (),
    needs_notes: str = "",
    referral_consent: str = Consent.NOT_ASKED,
) -> VictimRecord:
    """The needs assessment and contact plan at first contact, redone when needs change
    (domain.md 1.4 "Also required"; right 6: updates as agreed with the victim). Entitlement is
    re-decided from the answers unless an officer has decided it by hand."""
    require(actor, "victim.assess")
    victim = _victim_to_change(actor, victim)
    before = snapshot(victim)
    if channel not in ContactChannel.values:
        raise ValidationError({"channel": f"Choose one of: {', '.join(ContactChannel.values)}."})
    if referral_consent not in Consent.values:
        raise ValidationError({"referral_consent": "Choose given, declined or not asked."})
    email = v.clean_text(email, field="email", max_length=254)
    phone = v.clean_text(phone, field="phone", max_length=30)
    phone = v.normalise_phone(phone, field="phone") if phone else ""
    if channel == ContactChannel.EMAIL and not email and not do_not_contact:
        raise ValidationError({"email": "Give an email address for contact by email."})
    if channel in (ContactChannel.SMS, ContactChannel.PHONE) and not phone and not do_not_contact:
        raise ValidationError({"phone": "Give a phone number for contact by phone or text."})
    if email:
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"email": "Not an email address."}) from None
    if update_every_days is not None and not 1 <= int(update_every_days) <= 365:
        raise ValidationError({"update_every_days": "Give a number of days from 1 to 365."})
    victim.channel = channel
    victim.email, victim.phone = email, phone
    victim.update_every_days = update_every_days
    victim.times_to_avoid = v.clean_text(times_to_avoid, field="times_to_avoid", max_length=200)
    victim.contact_instead = v.clean_text(contact_instead, field="contact_instead", max_length=300)
    victim.do_not_contact = bool(do_not_contact)
    victim.safe_to_write = bool(safe_to_write)
    victim.needs = _choices(needs, rules.VULNERABLE_NEEDS | rules.INTIMIDATED_NEEDS, "needs")
    victim.flags = _choices(flags, rules.MOST_SERIOUS_FLAGS, "flags")
    victim.needs_notes = v.clean_text(needs_notes, field="needs_notes", max_length=1000)
    victim.needs_assessed_at = timezone.now()
    victim.needs_assessed_by_name = actor.display_name
    consent_before = victim.referral_consent
    victim.referral_consent = referral_consent
    _apply_entitlement(victim)
    written(
        victim,
        actor=actor,
        action="change",
        before=before,
        save=True,
        summary="Needs assessed",
        audited=victim.person,
        detail={"victim": victim.pk},
    )
    record_contact_details_change(actor=actor, victim=victim, before=before)
    emit(
        "victim.needs_assessed",
        subject=victim,
        actor=actor,
        payload={"consent": victim.referral_consent, "enhanced": victim.enhanced},
    )
    if victim.referral_consent == Consent.DECLINED and consent_before != Consent.DECLINED:
        if not hasattr(victim, "referral"):
            emit("victim.referral_declined", subject=victim, actor=actor, payload={})
    return victim


@transaction.atomic
def change_entitlement(
    *, actor: User, victim: VictimRecord, reasons: list[str] | tuple, rationale: str
) -> VictimRecord:
    """An officer's decision on enhanced rights, with the reason (domain.md 1.3); the history
    keeps every earlier decision. From then on the automatic rules leave it alone."""
    require(actor, "victim.change_entitlement")
    victim = _victim_to_change(actor, victim)
    before = snapshot(victim)
    victim.enhanced_reasons = _choices(reasons, set(EnhancedReason.values), "reasons")
    victim.enhanced_rationale = v.clean_text(
        rationale, field="rationale", max_length=1000, required=True
    )
    victim.enhanced_decided_by_name = actor.display_name
    victim.enhanced_overridden = True
    written(
        victim,
        actor=actor,
        action="change",
        before=before,
        save=True,
        summary=f"Enhanced rights {'given' if victim.enhanced else 'removed'} by an officer",
        audited=victim.person,
        detail={"victim": victim.pk},
    )
    return victim


def open_duties(victim: VictimRecord):
    return duties_for(victim).filter(outcome=Outcome.OPEN).order_by("due_at")


def dischargeable_by_contact(victim: VictimRecord):
    """The open duties a contact can discharge (not the referral: only sending it does)."""
    names = [n for n, p in POLICIES.items() if "victim.contacted" in p.discharged_by]
    return open_duties(victim).filter(policy__in=names)


@transaction.atomic
def record_contact(
    *,
    actor: User,
    victim: VictimRecord,
    channel: str,
    summary: str,
    discharges: list[str] | tuple = (),
    at: dt.datetime | None = None,
) -> Contact:
    """A contact with the victim, recorded against the open duties it discharges (by policy
    name); emits ``victim.contacted``, which discharges exactly those."""
    require(actor, "victim.contact")
    victim = _victim_to_change(actor, victim)
    if channel not in ContactChannel.values:
        raise ValidationError({"channel": f"Choose one of: {', '.join(ContactChannel.values)}."})
    summary = v.clean_text(summary, field="summary", max_length=4000, required=True)
    open_names = set(dischargeable_by_contact(victim).values_list("policy", flat=True))
    discharges = sorted(set(discharges or []))
    wrong = [name for name in discharges if name not in open_names]
    if wrong:
        raise ValidationError({"discharges": f"Not an open duty for this victim: {wrong[0]}."})
    at = (
        v.check_moment(
            at,
            field="at",
            not_before=victim.crime.reported_at,
            not_before_what="the crime was reported",
        )
        or timezone.now()
    )
    contact = Contact.objects.create(
        victim=victim,
        at=at,
        channel=channel,
        summary=summary,
        discharges=discharges,
        by=actor,
        by_name=actor.display_name,
    )
    written(
        contact,
        actor=actor,
        action="create",
        summary="Victim contacted",
        subject=victim,
        audited=victim.person,
        detail={"contact": contact.pk},
    )
    emit(
        "victim.contacted",
        subject=victim,
        actor=actor,
        payload={"contact": contact.pk, "discharges": discharges},
        at=at,
    )
    return contact
