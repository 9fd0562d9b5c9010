"""The appointments diary: slots per team with a capacity, and booking a scheduled incident into
one (domain.md 2.2 grade 3: "agreed appointment, typically 24-48 h"). A full slot is refused."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from bluelamp.accounts.models import Unit, User
from bluelamp.accounts.permissions import require, require_unit
from bluelamp.core import validation as v
from bluelamp.core.models import Event
from bluelamp.core.writes import written

from . import rules
from .models import Appointment, AppointmentSlot, Grade, Step
from .services import _incident, _log, current_assessment

MAX_SLOT = dt.timedelta(hours=12)


@transaction.atomic
def create_slot(
    *, actor: User, team: Unit, starts_at: dt.datetime, ends_at: dt.datetime, capacity: int
) -> AppointmentSlot:
    require(actor, "appointment.slots")
    require_unit(actor, team)
    if starts_at is None or timezone.is_naive(starts_at):
        raise ValidationError({"starts_at": "Give the start with its time zone."})
    if ends_at is None or timezone.is_naive(ends_at):
        raise ValidationError({"ends_at": "Give the end with its time zone."})
    # Booked ahead, so the future is allowed; within the bounds every record keeps.
    v.check_moment(starts_at, field="starts_at", future=True)
    v.check_moment(ends_at, field="ends_at", future=True)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "The slot must end after it starts."})
    if ends_at - starts_at > MAX_SLOT:
        raise ValidationError({"ends_at": "A slot is at most 12 hours long."})
    if capacity is None or not 1 <= int(capacity) <= 50:
        raise ValidationError({"capacity": "Capacity is from 1 to 50 appointments."})
    slot = AppointmentSlot.objects.create(
        team=team, starts_at=starts_at, ends_at=ends_at, capacity=int(capacity), created_by=actor
    )
    written(slot, actor=actor, action="create", summary=f"Diary slot for {team}")
    return slot


@transaction.atomic
def book_appointment(
    *, actor: User, incident: Event, slot: AppointmentSlot, note: str = ""
) -> Appointment:
    """Books a scheduled incident into a slot. Refuses a full slot, a slot in the past or beyond
    the scheduled target, and an incident not graded as scheduled."""
    require(actor, "appointment.book")
    incident = _incident(actor, incident)
    # Lock the slot so two handlers cannot both take its last place.
    slot = AppointmentSlot.objects.select_for_update().select_related("team").get(pk=slot.pk)
    require_unit(actor, slot.team)  # a place in another area's diary is theirs to give
    assessment = current_assessment(incident)
    if assessment is None or assessment.grade != Grade.SCHEDULED:
        raise ValidationError({"incident": "Only an incident graded 'scheduled' is booked."})
    if incident.appointments.filter(booked_at__gte=assessment.assessed_at).exists():
        raise ValidationError({"slot": "This incident already has an appointment."})
    if slot.ends_at <= timezone.now():
        raise ValidationError({"slot": "This slot has passed. Choose a later one."})
    latest = assessment.assessed_at + rules.target_span(Grade.SCHEDULED)
    if slot.starts_at > latest:
        raise ValidationError(
            {"slot": f"Choose a slot starting by {timezone.localtime(latest):%d %b %H:%M}."}
        )
    booked = slot.bookings.count()
    if booked >= slot.capacity:
        raise ValidationError(
            {"slot": f"This slot is full ({booked} of {slot.capacity} booked). Choose another."}
        )
    note = v.clean_text(note, field="note", max_length=500)
    appointment = Appointment.objects.create(
        incident=incident, slot=slot, booked_by=actor, booked_at=timezone.now(), note=note
    )
    when = timezone.localtime(slot.starts_at)
    _log(incident, Step.APPOINTMENT, by=actor, unit=slot.team, note=f"{when:%d %b %H:%M} {note}")
    written(
        appointment,
        actor=actor,
        action="create",
        subject=incident,
        summary=f"Appointment booked with {slot.team} at {when:%d %b %Y %H:%M}",
        detail={"appointment": appointment.pk},
    )
    return appointment


def slots_for(*, team: Unit, day: dt.date):
    """A team's slots on a London day, each with how many are booked."""
    start = dt.datetime.combine(day, dt.time(0), tzinfo=timezone.get_current_timezone())
    return (
        AppointmentSlot.objects.filter(
            team=team, starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=1)
        )
        .annotate(booked=Count("bookings"))
        .prefetch_related("bookings__incident")
    )


def open_slots(*, incident: Event):
    """Slots a scheduled incident may be booked into: from now up to the scheduled target,
    with room left, in the owning team's diary first."""
    assessment = current_assessment(incident)
    if assessment is None or assessment.grade != Grade.SCHEDULED:
        return AppointmentSlot.objects.none()
    latest = assessment.assessed_at + rules.target_span(Grade.SCHEDULED)
    slots = (
        AppointmentSlot.objects.filter(ends_at__gt=timezone.now(), starts_at__lte=latest)
        .annotate(booked=Count("bookings"))
        .select_related("team")
        .order_by("starts_at")
    )
    return [s for s in slots[:50] if s.booked < s.capacity]
