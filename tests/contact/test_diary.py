"""The appointments diary: capacity per slot, the scheduled-grade rules, and the diary pages."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from bluelamp.accounts.roles import Role
from bluelamp.contact import diary, services
from bluelamp.contact.models import Appointment, LogEntry, Step
from bluelamp.duties.models import Duty, Outcome

from ..conftest import sign_in
from .helpers import grade, take_call

NOON = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def handler(make_user):
    return make_user(Role.CALL_HANDLER)


@pytest.fixture
def slot(units, supervisor):
    start = NOON + dt.timedelta(hours=20)
    return diary.create_slot(
        actor=supervisor,
        team=units["west-response"],
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        capacity=2,
    )


def _scheduled(handler, units):
    call = take_call(handler, units["west-response"], channel="101", may_be_crime=False)
    grade(handler, call.incident, "scheduled")
    return call.incident


def test_a_full_slot_is_refused_with_a_clear_error(units, handler, slot):
    with time_machine.travel(NOON, tick=False):
        incidents = [_scheduled(handler, units) for _ in range(3)]
        for incident in incidents[:2]:
            diary.book_appointment(actor=handler, incident=incident, slot=slot)
        with pytest.raises(ValidationError) as full:
            diary.book_appointment(actor=handler, incident=incidents[2], slot=slot)
    assert full.value.message_dict["slot"] == ["This slot is full (2 of 2 booked). Choose another."]
    assert Appointment.objects.count() == 2
    assert LogEntry.objects.filter(step=Step.APPOINTMENT).count() == 2


def test_only_scheduled_incidents_are_booked_within_the_target(units, handler, supervisor, slot):
    with time_machine.travel(NOON, tick=False):
        emergency = take_call(handler, units["west-response"]).incident
        grade(handler, emergency, "emergency")
        with pytest.raises(ValidationError) as wrong_grade:
            diary.book_appointment(actor=handler, incident=emergency, slot=slot)
        assert "incident" in wrong_grade.value.message_dict
        far = diary.create_slot(
            actor=supervisor,
            team=units["west-response"],
            starts_at=NOON + dt.timedelta(hours=49),
            ends_at=NOON + dt.timedelta(hours=50),
            capacity=5,
        )
        incident = _scheduled(handler, units)
        with pytest.raises(ValidationError) as too_late:
            diary.book_appointment(actor=handler, incident=incident, slot=far)
        assert "slot" in too_late.value.message_dict
        diary.book_appointment(actor=handler, incident=incident, slot=slot)
        with pytest.raises(ValidationError) as twice:
            diary.book_appointment(actor=handler, incident=incident, slot=slot)
        assert twice.value.message_dict["slot"] == ["This incident already has an appointment."]
    assert services.current_target(incident) == slot.ends_at


def test_arriving_after_the_appointment_is_a_missed_target(units, handler, officer, slot):
    with time_machine.travel(NOON, tick=False):
        incident = _scheduled(handler, units)
        diary.book_appointment(actor=handler, incident=incident, slot=slot)
    with time_machine.travel(slot.ends_at + dt.timedelta(minutes=30), tick=False):
        services.record_arrival(actor=officer, incident=incident)
    assert Duty.objects.get(policy="missed-target-review", subject_id=incident.pk).outcome == (
        Outcome.OPEN
    )


def test_slot_input_is_checked_field_by_field(units, supervisor, handler):
    start = NOON
    with pytest.raises(ValidationError) as backwards:
        diary.create_slot(
            actor=supervisor,
            team=units["west-response"],
            starts_at=start,
            ends_at=start,
            capacity=1,
        )
    assert "ends_at" in backwards.value.message_dict
    with pytest.raises(ValidationError) as none:
        diary.create_slot(
            actor=supervisor,
            team=units["west-response"],
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
            capacity=0,
        )
    assert "capacity" in none.value.message_dict
    with pytest.raises(PermissionDenied):
        diary.create_slot(
            actor=handler,
            team=units["west-response"],
            starts_at=start,
            ends_at=start + dt.timedelta(hours=1),
            capacity=1,
        )


def test_the_diary_page_shows_a_team_day_and_refuses_a_bad_slot(client, units, supervisor, slot):
    sign_in(client, supervisor)
    day = slot.starts_at.date()
    page = client.get(f"/diary/?team={units['west-response'].pk}&day={day}")
    assert page.status_code == 200
    assert "0 of 2" in page.content.decode()
    bad = client.post(
        "/diary/slots/",
        {
            "team": units["west-response"].pk,
            "starts_at": "2026-03-12T10:00",
            "ends_at": "2026-03-12T09:00",
            "capacity": "3",
        },
    )
    assert bad.status_code == 400
    body = bad.content.decode()
    assert 'href="#id_ends_at"' in body
    assert 'value="3"' in body  # what was typed is kept
    good = client.post(
        "/diary/slots/",
        {
            "team": units["west-response"].pk,
            "starts_at": "2026-03-12T10:00",
            "ends_at": "2026-03-12T12:00",
            "capacity": "3",
        },
    )
    assert good.status_code == 302
    assert "0 of 3" in client.get(good.url).content.decode()


def test_an_investigator_cannot_see_the_diary(client, make_user):
    sign_in(client, make_user(Role.INVESTIGATOR))
    assert client.get("/diary/").status_code == 403
