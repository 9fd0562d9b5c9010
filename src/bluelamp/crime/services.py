"""Reporting incidents, the crime-recording decision, allocation and supervisors' reviews. Each
service writes its record, its history, its audit event and its domain event in one transaction,
so the duties these open or discharge (crime/policies.py) are never out of step."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import get_visible, require, require_unit
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core import services as core
from bluelamp.core import validation as v
from bluelamp.core.choices import EventKind, EventRole
from bluelamp.core.history import log_change
from bluelamp.core.models import Event, Location, Person
from bluelamp.duties.services import emit

from .models import (
    Allocation,
    Crime,
    Decision,
    IncidentReport,
    InvestigationUpdate,
    RecordingDecision,
    SupervisorReview,
)


@transaction.atomic
def report_incident(
    *,
    actor: User,
    summary: str,
    owning_unit,
    may_be_crime: bool,
    reported_at: dt.datetime | None = None,
    location: Location | None = None,
) -> Event:
    """An incident is recorded for every report, crime or not (NCRS "incident first",
    domain.md §4). One that may be a crime opens the 24-hour recording-decision duty."""
    require(actor, "incident.report")
    incident = core.record_event(
        actor=actor,
        kind=EventKind.INCIDENT,
        summary=summary,
        owning_unit=owning_unit,
        reported_at=reported_at,
        location=location,
    )
    IncidentReport.objects.create(incident=incident, may_be_crime=bool(may_be_crime))
    emit(
        "incident.reported",
        subject=incident,
        actor=actor,
        payload={"may_be_crime": bool(may_be_crime)},
        at=incident.reported_at,
    )
    return incident


@transaction.atomic
def record_recording_decision(
    *,
    actor: User,
    incident: Event,
    decision: str,
    reason: str,
    crime_summary: str = "",
) -> RecordingDecision:
    """Records whether the incident is a crime (and if so records the crime). Discharges the
    NCRS duty; a second decision on the same incident is refused."""
    require(actor, "crime.record_decision")
    incident = get_visible(Event.objects.select_for_update(), actor, incident.pk)
    if incident.kind != EventKind.INCIDENT:
        raise ValidationError({"incident": "A recording decision is made on an incident."})
    if RecordingDecision.objects.filter(incident=incident).exists():
        raise ValidationError({"decision": "This incident already has a recording decision."})
    if decision not in Decision.values:
        raise ValidationError({"decision": f"Choose one of: {', '.join(Decision.values)}."})
    reason = v.clean_text(reason, field="reason", max_length=1000, required=True)
    crime = None
    if decision == Decision.CRIMED:
        crime = core.record_event(
            actor=actor,
            kind=EventKind.CRIME,
            summary=v.clean_text(
                crime_summary or incident.summary,
                field="crime_summary",
                max_length=300,
                required=True,
            ),
            owning_unit=incident.owning_unit,
            reported_at=incident.reported_at,
            occurred_from=incident.occurred_from,
            occurred_to=incident.occurred_to,
            location=incident.location,
        )
    recorded = RecordingDecision.objects.create(
        incident=incident,
        decision=decision,
        reason=reason,
        crime=crime,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    log_change(
        actor=actor,
        obj=recorded,
        action="change",
        before={},
        subject=incident,
        summary=f"Recording decision: {recorded.get_decision_display()}",
    )
    audit.record(actor=actor, action=Action.CHANGE, obj=incident, detail={"decision": decision})
    emit(
        "crime.recording_decision_made",
        subject=incident,
        actor=actor,
        payload={"decision": decision, "crime": crime.pk if crime else None},
    )
    return recorded


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
    event.save(update_fields=["officer_in_case"])
    log_change(
        actor=actor,
        obj=event,
        action="change",
        before={**before},
        summary=f"Allocated to {officer.display_name}",
    )
    audit.record(actor=actor, action=Action.CHANGE, obj=event, detail={"allocated_to": officer.pk})
    emit("work.allocated", subject=event, actor=actor, payload={"officer": officer.pk})
    return allocation


@transaction.atomic
def record_supervisor_review(*, actor: User, event: Event, direction: str) -> SupervisorReview:
    """A supervisor's review with the direction given; discharges the review duty."""
    require(actor, "work.review")
    event = get_visible(Event.objects.select_for_update(), actor, event.pk)
    direction = v.clean_text(direction, field="direction", max_length=4000, required=True)
    review = SupervisorReview.objects.create(
        event=event, reviewer=actor, reviewed_at=timezone.now(), direction=direction
    )
    log_change(
        actor=actor,
        obj=review,
        action="change",
        before={},
        subject=event,
        summary="Supervisor review",
    )
    audit.record(actor=actor, action=Action.CHANGE, obj=event, detail={"review": review.pk})
    emit("work.supervisor_reviewed", subject=event, actor=actor, payload={"review": review.pk})
    return review


PARTY_ROLES = (EventRole.VICTIM, EventRole.SUSPECT, EventRole.WITNESS)


@transaction.atomic
def record_crime(
    *,
    actor: User,
    summary: str,
    owning_unit,
    offence_code: str = "",
    incident: Event | None = None,
    victims: tuple[Person, ...] | list[Person] = (),
    suspects: tuple[Person, ...] | list[Person] = (),
    witnesses: tuple[Person, ...] | list[Person] = (),
    reported_at: dt.datetime | None = None,
    occurred_from: dt.datetime | None = None,
    occurred_to: dt.datetime | None = None,
    location: Location | None = None,
) -> Crime:
    """Records a crime with its victims, suspects and witnesses, and emits ``crime.recorded``
    (docs/events.md) in the same transaction, so every duty owed (the victim's referral among
    them) is opened with the record."""
    require(actor, "crime.record")
    event = core.record_event(
        actor=actor,
        kind=EventKind.CRIME,
        summary=summary,
        owning_unit=owning_unit,
        reported_at=reported_at or (incident.reported_at if incident else None),
        occurred_from=occurred_from,
        occurred_to=occurred_to,
        location=location,
    )
    crime = Crime.objects.create(
        event=event,
        incident=incident,
        offence_code=v.clean_text(offence_code, field="offence_code", max_length=10),
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    parties = {EventRole.VICTIM: victims, EventRole.SUSPECT: suspects, EventRole.WITNESS: witnesses}
    for role, people in parties.items():
        for person in people:
            core.link_person_to_event(actor=actor, person=person, event=event, role=role)
    emit(
        "crime.recorded",
        subject=event,
        actor=actor,
        payload={
            "crime": crime.pk,
            "incident": incident.pk if incident else None,
            "offence_code": crime.offence_code,
            "victims": [p.pk for p in victims],
            "suspects": [p.pk for p in suspects],
            "witnesses": [p.pk for p in witnesses],
        },
    )
    return crime


@transaction.atomic
def add_party(*, actor: User, crime: Event, person: Person, role: str) -> None:
    """Adds a victim, suspect or witness to a recorded crime; emits ``crime.party_added``."""
    require(actor, "crime.record")
    crime = get_visible(Event.objects.select_for_update(), actor, crime.pk)
    if crime.kind != EventKind.CRIME:
        raise ValidationError({"crime": "People are added as parties to a crime."})
    if role not in PARTY_ROLES:
        raise ValidationError({"role": f"Choose one of: {', '.join(PARTY_ROLES)}."})
    core.link_person_to_event(actor=actor, person=person, event=crime, role=role)
    emit(
        "crime.party_added", subject=crime, actor=actor, payload={"person": person.pk, "role": role}
    )


@transaction.atomic
def record_investigation_update(
    *, actor: User, crime: Event, text: str, victim_visible: bool = False
) -> InvestigationUpdate:
    """Adds to the investigation log; emits ``crime.investigation_updated``. An update marked for
    the victim reaches them through victims/ (portal and their chosen channel)."""
    require(actor, "crime.update")
    crime = get_visible(Event.objects.select_for_update(), actor, crime.pk)
    if crime.kind != EventKind.CRIME:
        raise ValidationError({"crime": "Investigation updates are recorded on a crime."})
    update = InvestigationUpdate.objects.create(
        crime=crime,
        text=v.clean_text(text, field="text", max_length=4000, required=True),
        victim_visible=bool(victim_visible),
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    log_change(
        actor=actor,
        obj=update,
        action="change",
        before={},
        subject=crime,
        summary="Investigation update" + (" (shared with the victim)" if victim_visible else ""),
    )
    audit.record(actor=actor, action=Action.CHANGE, obj=crime, detail={"update": update.pk})
    emit(
        "crime.investigation_updated",
        subject=crime,
        actor=actor,
        payload={"update": update.pk, "victim_visible": update.victim_visible},
    )
    return update


def victim_visible_updates(*, crime: Event):
    """The updates a victim of this crime may see (read by the victim portal)."""
    return InvestigationUpdate.objects.filter(crime=crime, victim_visible=True)
