"""Giving a crime its Home Office outcome (domain.md 5): the information each outcome type needs
is checked against the one table in crime/rules.py; a supervisor authorises it; the crime's
event is closed and ``crime.outcome_recorded`` emitted, all in one transaction."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import require, require_unit
from bluelamp.core import validation as v
from bluelamp.core.choices import EventRole, EventStatus
from bluelamp.core.models import Event, Person, PersonEventLink
from bluelamp.core.writes import written

from .classification import crime_of
from .models import Cancellation, CrimeOutcome
from .rules import NAMED, NONE, OUTCOMES


def _suspects(event: Event):
    return PersonEventLink.objects.filter(event=event, role=EventRole.SUSPECT)


@transaction.atomic
def record_outcome(
    *,
    actor: User,
    crime: Event,
    outcome: str,
    outcome_date: dt.date | None = None,
    suspect: Person | None = None,
    victim_decision: str = "",
    victim_views: str = "",
    rationale: str = "",
    receiving_body: str = "",
) -> CrimeOutcome:
    require(actor, "crime.outcome")
    record = crime_of(actor, crime)
    require_unit(actor, record.event.owning_unit)
    outcome = str(outcome or "").strip()
    if outcome == "0":
        raise ValidationError(
            {"outcome": "Outcome 0 means 'not yet assigned' and never counts as an outcome."}
        )
    rule = OUTCOMES.get(outcome)
    if rule is None:
        raise ValidationError({"outcome": "Choose a Home Office outcome type from 1 to 22."})
    if not rule.allowed:
        raise ValidationError(
            {"outcome": "Outcome 19 is given by the NFIB to fraud cases only, not by a force."}
        )
    if Cancellation.objects.filter(crime=record).exists():
        raise ValidationError({"outcome": "This crime has been cancelled."})
    if CrimeOutcome.objects.filter(crime=record).exists():
        raise ValidationError({"outcome": "This crime already has an outcome."})
    event = record.event
    if rule.suspect == NAMED:
        if suspect is None:
            raise ValidationError({"suspect": f"Outcome {outcome} needs a named suspect."})
        if not _suspects(event).filter(person_id=suspect.pk).exists():
            raise ValidationError({"suspect": "Choose a suspect recorded on this crime."})
    elif rule.suspect == NONE:
        if suspect is not None or _suspects(event).exists():
            raise ValidationError(
                {"suspect": f"Outcome {outcome} is for a crime with no identified suspect."}
            )
    else:
        suspect = None
    victim_decision = v.clean_text(
        victim_decision, field="victim_decision", max_length=1000, required=rule.victim_decision
    )
    # Outcome 8 (community resolution): the victim's views are recorded (crime/rules.py).
    victim_views = v.clean_text(
        victim_views, field="victim_views", max_length=1000, required=rule.victim_views
    )
    rationale = v.clean_text(rationale, field="rationale", max_length=4000, required=rule.rationale)
    receiving_body = v.clean_text(
        receiving_body, field="receiving_body", max_length=200, required=rule.receiving_body
    )
    outcome_date = (
        v.check_day(
            outcome_date,
            field="outcome_date",
            not_before=timezone.localdate(record.recorded_at),
            not_before_what="the crime was recorded",
        )
        or timezone.localdate()
    )
    result = CrimeOutcome.objects.create(
        crime=record,
        outcome=outcome,
        suspect=suspect,
        victim_decision=victim_decision,
        victim_views=victim_views,
        rationale=rationale,
        receiving_body=receiving_body,
        outcome_date=outcome_date,
        authorised_by=actor,
        recorded_at=timezone.now(),
    )
    event.status = EventStatus.CLOSED
    event.save(update_fields=["status"])
    written(
        result,
        actor=actor,
        action="change",
        before={},
        summary=f"Outcome {outcome}: {rule.title}",
        subject=event,
        detail={"outcome": outcome},
        event="crime.outcome_recorded",
        payload={"outcome": outcome},
    )
    return result
