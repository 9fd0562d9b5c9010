"""Shared set-up for victims/ tests: people, crimes and crime events as docs/events.md says."""

from __future__ import annotations

from bluelamp.core import persons
from bluelamp.crime import recording
from bluelamp.duties.services import emit


def person(actor, family="Okafor", given="Ada", **dob):
    return persons.create_person(actor=actor, family_name=family, given_names=given, **dob)


def crime_with_victims(actor, unit, *victims, offence_code="49", reported_at=None, **kw):
    return recording.record_crime(
        actor=actor,
        summary="Theft",
        owning_unit=unit,
        offence_code=offence_code,
        victims=list(victims),
        reported_at=reported_at,
        **kw,
    ).event


def crime_event(actor, crime_event_, type_, at=None, **payload):
    """Emits a crime/ event exactly as the contract in docs/events.md describes it."""
    return emit(type_, subject=crime_event_, actor=actor, payload=payload, at=at)
