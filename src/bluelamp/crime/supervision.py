"""Supervising the work on an incident or crime: allocating it to an officer, supervisors'
reviews, the investigation log (and what the victim may read of it) and victims' statements.
Each service writes its record, its history, its audit event and its domain event in one
transaction, so the duties these open or discharge (crime/policies.py) are never out of step."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import get_visible, require, require_unit
from bluelamp.core import validation as v
from bluelamp.core.choices import EventKind, EventRole
from bluelamp.core.models import Event, Person, PersonEventLink
from bluelamp.core.writes import written

from .models import Allocation, InvestigationUpdate, SupervisorReview, VictimStatement


@transaction.atomic
def allocate(*, actor: User, event: Event, officer: User) -> Allocation:
    """Gives a piece of work to an officer; opens the supervisor's first-review duty."""
    require(actor, "work.allocate")
    event = get_visible(Event.objects.select_for_update(), actor, event.pk)
    require_unit(actor, event.owning_unit)
    if not officer.is_active:
        raise ValidationError({"officer": "This officer's account is not active."})
    allocation = Allocation.objects.create(
        event=event, officer=officer, allocated_by=actor, allocated_at=timezone.now()
    )
    before = {"officer_in_case": event.officer_in_case_id}
    event.officer_in_case = officer
    written(
        event,
        actor=actor,
        action="change",
        before={**before},
        save=["officer_in_case"],
        summary=f"Allocated to {officer.display_name}",
        detail={"allocated_to": officer.pk},
        event="work.allocated",
        payload={"officer": officer.pk},
    )
    return allocation


@transaction.atomic
def record_supervisor_review(*, actor: User, event: Event, direction: str) -> SupervisorReview:
    """A supervisor's review with the direction given; discharges the review duty."""
    require(actor, "work.review")
    event = get_visible(Event.objects.select_for_update(), actor, event.pk)
    require_unit(actor, event.owning_unit)
    direction = v.clean_text(direction, field="direction", max_length=4000, required=True)
    review = SupervisorReview.objects.create(
        event=event, reviewer=actor, reviewed_at=timezone.now(), direction=direction
    )
    written(
        review,
        actor=actor,
        action="change",
        before={},
        summary="Supervisor review",
        subject=event,
        detail={"review": review.pk},
        event="work.supervisor_reviewed",
        payload={"review": review.pk},
    )
    return review


@transaction.atomic
def record_investigation_update(
    *, actor: User, crime: Event, text: str, victim_visible: bool = False
) -> InvestigationUpdate:
    """Adds to the investigation log; emits ``crime.investigation_updated``. An update marked for
    the victim reaches them through victims/ (portal and their chosen channel)."""
    require(actor, "crime.update")
    crime = get_visible(Event.objects.select_for_update(), actor, crime.pk)
    require_unit(actor, crime.owning_unit)
    if crime.kind != EventKind.CRIME:
        raise ValidationError({"crime": "Investigation updates are recorded on a crime."})
    update = InvestigationUpdate.objects.create(
        crime=crime,
        text=v.clean_text(text, field="text", max_length=4000, required=True),
        victim_visible=bool(victim_visible),
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    written(
        update,
        actor=actor,
        action="change",
        before={},
        summary="Investigation update" + (" (shared with the victim)" if victim_visible else ""),
        subject=crime,
        detail={"update": update.pk},
        event="crime.investigation_updated",
        payload={"update": update.pk, "victim_visible": update.victim_visible},
    )
    return update


def victim_visible_updates(*, crime: Event):
    """The updates a victim of this crime may see (read by the victim portal)."""
    return InvestigationUpdate.objects.filter(crime=crime, victim_visible=True)


@transaction.atomic
def record_victim_statement(
    *, actor: User, crime: Event, person: Person, taken_at: dt.datetime | None = None
) -> VictimStatement:
    """A victim's witness statement was taken. Emits ``crime.victim_statement_taken``, which
    opens the duty to offer that victim a Victim Personal Statement (Victims' Code right 7,
    domain.md 1.5 [S8]: offered usually after the witness statement; victims/reactions.py)."""
    require(actor, "crime.update")
    crime = get_visible(Event.objects.select_for_update(), actor, crime.pk)
    require_unit(actor, crime.owning_unit)
    if crime.kind != EventKind.CRIME:
        raise ValidationError({"crime": "A victim's statement is recorded on a crime."})
    if not PersonEventLink.objects.filter(
        event=crime, person_id=person.pk, role=EventRole.VICTIM
    ).exists():
        raise ValidationError({"person": "Choose a victim of this crime."})
    now = timezone.now()
    # Not bounded by when it was reported: a statement taken at the scene often comes first.
    taken_at = (
        v.check_moment(
            taken_at,
            field="taken_at",
            not_before=crime.occurred_from,
            not_before_what="the crime happened",
            now=now,
        )
        or now
    )
    statement = VictimStatement.objects.create(
        crime=crime, person=person, taken_at=taken_at, recorded_by=actor, recorded_at=now
    )
    written(
        statement,
        actor=actor,
        action="create",
        summary="Victim's witness statement taken",
        subject=crime,
        detail={"statement": person.pk},
        event="crime.victim_statement_taken",
        payload={"person": person.pk, "statement": statement.pk},
        at=taken_at,
    )
    return statement
