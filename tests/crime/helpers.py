"""Small builders shared by the crime tests."""

from bluelamp.core import persons
from bluelamp.crime import recording


def person(actor, given="Ann", family="Lee"):
    return persons.create_person(actor=actor, given_names=given, family_name=family)


def crime(actor, units, *, code="49", victims=(), suspects=(), unit="west-response"):
    return recording.record_crime(
        actor=actor,
        summary="Purse taken",
        owning_unit=units[unit],
        offence_code=code,
        victims=list(victims),
        suspects=list(suspects),
    )
