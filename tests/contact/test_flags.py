"""Flags shown to the call handler, each with its reason: repeat caller (counts at the 30 and
90 day boundaries), repeat victim, repeat location, warning markers, known vulnerability."""

import datetime as dt

import pytest
import time_machine

from bluelamp.accounts.roles import Role
from bluelamp.contact import services
from bluelamp.contact.flags import flags_for
from bluelamp.core import persons, restriction
from bluelamp.crime import recording

from .helpers import take_call

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def handler(make_user):
    return make_user(Role.CALL_HANDLER)


@pytest.fixture
def caller(handler):
    return persons.create_person(actor=handler, given_names="Ada", family_name="Okafor")


def _call_at(moment, handler, unit, **extra):
    with time_machine.travel(moment, tick=False):
        return take_call(handler, unit, **extra)


def _flags(handler, call):
    return {f.kind: f for f in flags_for(actor=handler, incident=call.incident)}


def test_repeat_caller_counts_calls_in_the_last_30_and_90_days(units, handler, caller):
    unit = units["west-response"]
    # 91 days before: outside both periods. 90 days before: inside 90 only. 30 days: both.
    for days in (91, 90, 45, 30, 2):
        _call_at(NOW - dt.timedelta(days=days), handler, unit, caller=caller)
    call = _call_at(NOW, handler, unit, caller=caller)
    with time_machine.travel(NOW, tick=False):
        flag = _flags(handler, call)["repeat_caller"]
    assert flag.reason == (
        "2 earlier calls from this caller in the last 30 days, 4 in the last 90 days."
    )


def test_the_same_phone_number_is_a_repeat_caller_without_a_name(units, handler):
    unit = units["west-response"]
    _call_at(NOW - dt.timedelta(days=31), handler, unit, caller_phone="07700 900123")
    call = _call_at(NOW, handler, unit, caller_phone="+44 7700 900123")
    flag = _flags(handler, call)["repeat_caller"]
    assert flag.reason == (
        "0 earlier calls from this phone number in the last 30 days, 1 in the last 90 days."
    )


def test_a_first_time_caller_has_no_flags(units, handler, caller):
    call = _call_at(NOW, handler, units["west-response"], caller=caller, caller_phone="0770090")
    assert flags_for(actor=handler, incident=call.incident) == []


def test_repeat_victim_within_twelve_months(units, handler, caller, make_user):
    recorder = make_user(Role.INVESTIGATOR)
    for days in (400, 100):
        with time_machine.travel(NOW - dt.timedelta(days=days), tick=False):
            recording.record_crime(
                offence_code="49",
                actor=recorder,
                summary=f"Assault {days}",
                owning_unit=units["west-cid"],
                victims=[caller],
            )
    call = _call_at(NOW, handler, units["west-response"], caller=caller)
    with time_machine.travel(NOW, tick=False):
        flag = _flags(handler, call)["repeat_victim"]
    assert flag.reason.startswith("Ada OKAFOR was a victim in 1 event in the last 365 days (")


def test_repeat_location_by_place_or_postcode(units, handler):
    unit = units["west-response"]
    for days in (100, 20):
        _call_at(
            NOW - dt.timedelta(days=days),
            handler,
            unit,
            location=services.place_of_call(actor=handler, line1="2 Mill Lane", postcode="pr1 2ab"),
        )
    # Same postcode, another door: still the same place for the flag.
    next_door = services.place_of_call(actor=handler, line1="4 Mill Lane", postcode="PR1 2AB")
    call = _call_at(NOW, handler, unit, location=next_door)
    with time_machine.travel(NOW, tick=False):
        flag = _flags(handler, call)["repeat_location"]
    assert flag.reason == "1 other event at this place or postcode PR1 2AB in the last 90 days."


def test_place_of_call_reuses_a_known_address(handler):
    first = services.place_of_call(actor=handler, line1="2 Mill Lane", postcode="PR1 2AB")
    again = services.place_of_call(actor=handler, line1="2 mill lane", postcode="pr12ab")
    assert first == again
    assert services.place_of_call(actor=handler) is None


def test_warning_markers_and_known_vulnerability_with_reasons(units, handler, caller):
    persons.add_warning_marker(
        actor=handler, person=caller, kind="weapons", detail="Carries a knife", source="PNC"
    )
    earlier = take_call(handler, units["west-response"], caller=caller)
    services.record_vulnerability(
        actor=handler, incident=earlier.incident, kinds=["mental_health"], people=[caller]
    )
    call = take_call(handler, units["west-response"], caller=caller)
    flags = _flags(handler, call)
    assert "Carries a knife" in flags["warning"].reason
    assert flags["warning"].label == "Warning: Weapons"
    assert "Mental health recorded before" in flags["vulnerability"].reason
    assert earlier.incident.reference in flags["vulnerability"].reason


def test_restricted_events_are_not_counted(units, handler, caller, make_user):
    leader = make_user(Role.SENIOR_LEADER)
    earlier = take_call(handler, units["west-response"], caller=caller)
    restriction.restrict_record(
        actor=leader, record=earlier.incident, reason="Staff member involved"
    )
    call = take_call(handler, units["west-response"], caller=caller)
    assert "repeat_caller" not in _flags(handler, call)
