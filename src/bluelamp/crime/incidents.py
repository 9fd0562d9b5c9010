"""Incidents: every report is recorded as one, crime or not (NCRS "incident first"), and one
found later to involve a possible crime (or a possible rape) opens the 24-hour recording decision;
the decision itself is recording.py's. Each service writes its record, its history, its audit
event and its domain event in one transaction, so the duties these open (crime/policies.py) are
never out of step."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import get_visible, require, require_unit
from bluelamp.core import events
from bluelamp.core import validation as v
from bluelamp.core.choices import EventKind
from bluelamp.core.models import Event, Location
from bluelamp.core.writes import written
from bluelamp.duties.services import emit

from .models import IncidentReport, RecordingDecision


@transaction.atomic
def report_incident(
    *,
    actor: User,
    summary: str,
    owning_unit,
    may_be_crime: bool,
    reported_at: dt.datetime | None = None,
    location: Location | None = None,
    may_be_rape: bool = False,
) -> Event:
    """An incident is recorded for every report, crime or not (NCRS "incident first",
    domain.md §4). One that may be a crime opens the 24-hour recording-decision duty. One that
    may be a rape or attempted rape is a possible crime, and leaves recording only as a
    confirmed rape or with an N100 record (domain.md 4.3)."""
    require(actor, "incident.report")
    may_be_crime = bool(may_be_crime) or bool(may_be_rape)
    incident = events.record_event(
        actor=actor,
        kind=EventKind.INCIDENT,
        summary=summary,
        owning_unit=owning_unit,
        reported_at=reported_at,
        location=location,
    )
    IncidentReport.objects.create(
        incident=incident, may_be_crime=may_be_crime, may_be_rape=bool(may_be_rape)
    )
    emit(
        "incident.reported",
        subject=incident,
        actor=actor,
        payload={"may_be_crime": bool(may_be_crime)},
        at=incident.reported_at,
    )
    return incident


@transaction.atomic
def identify_possible_crime(
    *, actor: User, incident: Event, reason: str, may_be_rape: bool = False
) -> IncidentReport:
    """An incident not first marked as a possible crime is later found to involve one: the
    24-hour recording decision opens from now (NCRS, domain.md 4 [S24]; crime/policies.py).
    Also marks a report found to be of a possible rape (domain.md 4.3). Emits
    ``incident.crime_identified``."""
    require(actor, "crime.record_decision")
    incident = get_visible(Event.objects.select_for_update(), actor, incident.pk)
    require_unit(actor, incident.owning_unit)
    if incident.kind != EventKind.INCIDENT:
        raise ValidationError({"incident": "A possible crime is identified on an incident."})
    reason = v.clean_text(reason, field="reason", max_length=1000, required=True)
    if RecordingDecision.objects.filter(incident=incident).exists():
        raise ValidationError({"incident": "This incident already has a recording decision."})
    report, _ = IncidentReport.objects.get_or_create(
        incident=incident, defaults={"may_be_crime": False}
    )
    if report.may_be_crime and (report.may_be_rape or not may_be_rape):
        raise ValidationError({"incident": "This incident is already marked as a possible crime."})
    before = {"may_be_crime": report.may_be_crime, "may_be_rape": report.may_be_rape}
    opens_duty = not report.may_be_crime
    report.may_be_crime = True
    report.may_be_rape = report.may_be_rape or bool(may_be_rape)
    if opens_duty:
        report.crime_identified_at = timezone.now()
    written(
        report,
        actor=actor,
        action="change",
        before=before,
        save=["may_be_crime", "may_be_rape", "crime_identified_at"],
        summary=f"Found to involve a possible crime: {reason}"[:300],
        subject=incident,
        detail={"crime_identified": True, "may_be_rape": report.may_be_rape},
    )
    if opens_duty:
        emit(
            "incident.crime_identified",
            subject=incident,
            actor=actor,
            payload={"reason": reason, "may_be_rape": report.may_be_rape},
        )
    return report
