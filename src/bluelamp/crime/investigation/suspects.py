"""Suspects in an investigation: arrest, interview under caution, release (NFA, pre-charge bail
with its end date, RUI), and charge or other disposal.
Each emits the docs/events.md event victims/ listens to, so the victim is told within 1 or 5
working days (domain.md §1.4). Services like those in services.py, sharing its steps (the crime
found and locked, history and audit written)."""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import get_visible, require
from bluelamp.core import validation as v
from bluelamp.core.choices import EventRole
from bluelamp.core.models import Event, Person, PersonEventLink
from bluelamp.duties.deadlines import LONDON
from bluelamp.duties.services import emit

from .models import Disposal, Release, SuspectAction, SuspectStep
from .services import _crime, _not_future, _written


def _suspect(crime: Event, person: Person) -> Person:
    if not PersonEventLink.objects.filter(
        event=crime, person=person, role=EventRole.SUSPECT
    ).exists():
        raise ValidationError({"person": "This person is not linked to the crime as a suspect."})
    return person


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _suspect_step(actor, crime, person, step, occurred_at, note, **fields) -> SuspectAction:
    require(actor, "investigation.suspect")
    crime = _crime(actor, crime)
    person = _suspect(crime, get_visible(Person.objects, actor, person.pk))
    action = SuspectAction.objects.create(
        crime=crime,
        person=person,
        step=step,
        occurred_at=_not_future(occurred_at, "occurred_at", crime=crime),
        note=v.clean_text(note, field="note", max_length=1000),
        recorded_by=actor,
        recorded_at=timezone.now(),
        **fields,
    )
    _written(
        actor, crime, action, f"Suspect {action.get_step_display().lower()}", suspect=person.pk
    )
    return action


@transaction.atomic
def record_arrest(*, actor, crime, person, occurred_at=None, note="") -> SuspectAction:
    action = _suspect_step(actor, crime, person, SuspectStep.ARRESTED, occurred_at, note)
    # domain.md §1.4: the victim is told of an arrest within 5 working days (1 enhanced).
    emit("crime.suspect_arrested", subject=action.crime, actor=actor, payload={"person": person.pk})
    return action


@transaction.atomic
def record_interview(*, actor, crime, person, occurred_at=None, note="") -> SuspectAction:
    action = _suspect_step(actor, crime, person, SuspectStep.INTERVIEWED, occurred_at, note)
    # domain.md §1.4: interview under caution, 5 working days (1 enhanced).
    emit(
        "crime.suspect_interviewed",
        subject=action.crime,
        actor=actor,
        payload={"person": person.pk},
    )
    return action


@transaction.atomic
def record_release(
    *,
    actor,
    crime,
    person,
    how: str,
    bail_conditions: str = "",
    bail_conditions_changed: bool = False,
    bail_end: dt.date | None = None,
    occurred_at=None,
    note="",
) -> SuspectAction:
    """Release without charge (NFA), on pre-charge bail with an end date, or under
    investigation. Bail opens the officer's duty to review it before the end date."""
    v.check_choice(how, Release, "how")
    conditions = v.clean_text(bail_conditions, field="bail_conditions", max_length=1000)
    released_on = _not_future(occurred_at, "occurred_at", crime=crime).astimezone(LONDON).date()
    if how == Release.BAIL:
        # domain.md §7: pre-charge bail runs 3 months at first (PCSC 2022); extensions need a
        # senior officer's authority, which this does not yet record, so no later date.
        latest = add_months(released_on, settings.BLUELAMP_PRE_CHARGE_BAIL_MONTHS)
        bail_end = bail_end or latest
        if not released_on < bail_end <= latest:
            raise ValidationError(
                {
                    "bail_end": f"Bail ends after the release and by {latest:%d %b %Y} (initial "
                    f"{settings.BLUELAMP_PRE_CHARGE_BAIL_MONTHS} months)."
                }
            )
    elif bail_end or conditions or bail_conditions_changed:
        field = "bail_end" if bail_end else "bail_conditions"
        raise ValidationError(
            {field: "Only a release on bail has bail conditions and an end date."}
        )
    action = _suspect_step(
        actor,
        crime,
        person,
        SuspectStep.RELEASED,
        occurred_at,
        note,
        release=how,
        bail_conditions=conditions,
        bail_conditions_changed=bool(bail_conditions_changed),
        bail_end=bail_end if how == Release.BAIL else None,
    )
    # domain.md §1.4: released without charge, on bail or RUI, or bail conditions changed:
    # the victim is told within 5 working days (1 enhanced).
    emit(
        "crime.suspect_released",
        subject=action.crime,
        actor=actor,
        payload={
            "person": person.pk,
            "how": how,
            "bail_conditions_changed": action.bail_conditions_changed,
            "bail_end": action.bail_end.isoformat() if action.bail_end else None,
        },
    )
    _end_bail(actor, action)
    if action.bail_end:
        emit(
            "crime.suspect_bailed",
            subject=action,
            actor=actor,
            payload={
                "crime": action.crime_id,
                "person": person.pk,
                "bail_end": action.bail_end.isoformat(),
            },
        )
    return action


def _end_bail(actor: User, action: SuspectAction) -> None:
    """A suspect's new release decision or disposal ends their running bail on this crime, and
    with it the duty to review that bail. Per suspect: another suspect's bail runs on."""
    running = SuspectAction.objects.select_for_update().filter(
        crime=action.crime_id,
        person=action.person_id,
        release=Release.BAIL,
        bail_ended_at__isnull=True,
    )
    for bail in running.exclude(pk=action.pk):
        bail.bail_ended_at = action.occurred_at
        bail.save(update_fields=["bail_ended_at"])
        emit(
            "crime.suspect_bail_ended",
            subject=bail,
            actor=actor,
            payload={"crime": bail.crime_id, "person": bail.person_id, "by": action.pk},
        )


@transaction.atomic
def record_disposal(*, actor, crime, person, disposal: str, occurred_at=None, note=""):
    """Charge, out-of-court disposal, or the decision not to prosecute."""
    v.check_choice(disposal, Disposal, "disposal")
    action = _suspect_step(
        actor, crime, person, SuspectStep.DISPOSED, occurred_at, note, disposal=disposal
    )
    # domain.md §1.4: charge, out-of-court disposal or no-prosecution decision, 5 WD (1 enhanced).
    emit(
        "crime.suspect_charged",
        subject=action.crime,
        actor=actor,
        payload={"person": person.pk, "disposal": disposal},
    )
    _end_bail(actor, action)
    return action
