"""Every Victims' Code time limit (domain.md 1.4) through the real chain - crime recorded, crime
event emitted as docs/events.md says, duty opened per victim - against weekends and bank
holidays, standard against enhanced. Expected dates are worked out by hand from the calendar."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bluelamp.accounts.roles import Role
from bluelamp.duties.models import Duty, Outcome
from bluelamp.duties.services import duties_for
from bluelamp.victims.models import VictimRecord

from .helpers import crime_event, crime_with_victims, person

LONDON = ZoneInfo("Europe/London")
STANDARD_CODE = "49"  # theft: standard rights
ENHANCED_CODE = "19C"  # rape: most serious crime (domain.md 1.3)

# (name, when the event happens in London, working days -> the London date it is due by)
CALENDAR = [
    # Friday evening: the day itself never counts, the weekend is skipped.
    (
        "friday evening",
        dt.datetime(2026, 11, 27, 19, 30),
        {1: "2026-11-30", 2: "2026-12-01", 5: "2026-12-04"},
    ),
    # Christmas 2026: Fri 25 Dec, Boxing Day Sat 26 observed Mon 28, New Year Fri 1 Jan.
    (
        "christmas eve",
        dt.datetime(2026, 12, 24, 10, 0),
        {1: "2026-12-29", 2: "2026-12-30", 5: "2027-01-05"},
    ),
    (
        "new year's eve",
        dt.datetime(2026, 12, 31, 16, 0),
        {1: "2027-01-04", 2: "2027-01-05", 5: "2027-01-08"},
    ),
    # Easter 2027: Good Friday 26 Mar, Easter Monday 29 Mar.
    (
        "maundy thursday",
        dt.datetime(2027, 3, 25, 15, 0),
        {1: "2027-03-30", 2: "2027-03-31", 5: "2027-04-05"},
    ),
    # August bank holiday 2026: Monday 31 August (British Summer Time).
    (
        "before august bank holiday",
        dt.datetime(2026, 8, 28, 18, 0),
        {1: "2026-09-01", 2: "2026-09-02", 5: "2026-09-07"},
    ),
    # An ordinary Tuesday morning.
    (
        "tuesday",
        dt.datetime(2026, 11, 24, 9, 0),
        {1: "2026-11-25", 2: "2026-11-26", 5: "2026-12-01"},
    ),
]

EVENTS = [
    ("crime.not_investigated", {"reason": "No lines of enquiry"}, "victim-not-investigated"),
    ("crime.suspect_arrested", {}, "victim-arrest"),
    ("crime.suspect_interviewed", {}, "victim-interview"),
    (
        "crime.suspect_released",
        {"how": "nfa", "bail_conditions_changed": False},
        "victim-released-no-charge",
    ),
    ("crime.suspect_released", {"how": "rui", "bail_conditions_changed": False}, "victim-bail-rui"),
    ("crime.suspect_released", {"how": "bail", "bail_conditions_changed": True}, "victim-bail-rui"),
    ("crime.suspect_charged", {"disposal": "charge"}, "victim-charge"),
    ("crime.suspect_charged", {"disposal": "out_of_court"}, "victim-charge"),
    ("crime.outcome_recorded", {"outcome": "18"}, "victim-outcome"),
    # Right 7 (domain.md 1.5): the VPS is offered when the victim's witness statement is taken.
    ("crime.victim_statement_taken", {}, "victim-vps-offer"),
]


def end_of(day: str) -> dt.datetime:
    return dt.datetime.combine(
        dt.date.fromisoformat(day), dt.time(23, 59, 59, 999999), tzinfo=LONDON
    ).astimezone(dt.UTC)


@pytest.fixture
def officer(make_user):
    return make_user(Role.INVESTIGATOR)


def _victim_at(officer, units, when, code):
    with time_machine.travel(when.replace(tzinfo=LONDON), tick=False):
        event = crime_with_victims(officer, units["west-cid"], person(officer), offence_code=code)
    return event, VictimRecord.objects.get(crime=event)


@pytest.mark.parametrize(("name", "when", "due"), CALENDAR, ids=[c[0] for c in CALENDAR])
def test_referral_is_due_in_two_working_days_for_everyone(units, officer, name, when, due):
    for code in (STANDARD_CODE, ENHANCED_CODE):
        _, victim = _victim_at(officer, units, when, code)
        referral = duties_for(victim).get(policy="victim-referral")
        assert referral.due_at == end_of(due[2]), (name, code)


@pytest.mark.parametrize(("name", "when", "due"), CALENDAR, ids=[c[0] for c in CALENDAR])
@pytest.mark.parametrize(
    ("type_", "payload", "policy"), EVENTS, ids=[e[0] + str(e[1]) for e in EVENTS]
)
def test_update_limits_standard_five_enhanced_one(
    units, officer, name, when, due, type_, payload, policy
):
    for code, enhanced in ((STANDARD_CODE, False), (ENHANCED_CODE, True)):
        event, victim = _victim_at(officer, units, when - dt.timedelta(days=7), code)
        assert victim.enhanced is enhanced
        with time_machine.travel(when.replace(tzinfo=LONDON), tick=False):
            crime_event(officer, event, type_, person=victim.person_id, **payload)
        duty = duties_for(victim).get(policy=policy)
        assert duty.due_at == end_of(due[1 if enhanced else 5]), (name, code)
        assert duty.owner_unit == units["west-cid"]
        assert duty.outcome == Outcome.OPEN


def test_the_vps_is_offered_when_the_statement_is_taken_not_at_charge(units, officer):
    from bluelamp.crime import supervision

    when = dt.datetime(2026, 11, 27, 19, 30)
    event, victim = _victim_at(officer, units, when - dt.timedelta(days=3), STANDARD_CODE)
    with time_machine.travel(when.replace(tzinfo=LONDON), tick=False):
        crime_event(officer, event, "crime.suspect_charged", person=1, disposal="charge")
    assert not duties_for(victim).filter(policy__startswith="victim-vps-offer").exists()
    assert duties_for(victim).filter(policy="victim-charge").exists()
    with time_machine.travel(when.replace(tzinfo=LONDON), tick=False):
        supervision.record_victim_statement(actor=officer, crime=event, person=victim.person)
    vps = duties_for(victim).get(policy="victim-vps-offer")
    assert vps.due_at == end_of("2026-12-04")
    assert "right 7" in vps.rule
    # A second statement (the victim adds to it later) does not open a second offer.
    supervision.record_victim_statement(actor=officer, crime=event, person=victim.person)
    assert duties_for(victim).filter(policy__startswith="victim-vps-offer").count() == 1


def test_only_the_victim_whose_statement_was_taken_is_offered_the_vps(units, officer):
    from django.core.exceptions import ValidationError

    from bluelamp.crime import supervision

    gave, other = person(officer), person(officer, "Lowe", "Cy")
    event = crime_with_victims(officer, units["west-cid"], gave, other)
    supervision.record_victim_statement(actor=officer, crime=event, person=gave)
    offered = Duty.objects.filter(policy="victim-vps-offer")
    assert [d.subject_id for d in offered] == [VictimRecord.objects.get(person=gave).pk]
    with pytest.raises(ValidationError) as error:
        supervision.record_victim_statement(
            actor=officer, crime=event, person=person(officer, "Nox")
        )
    assert "person" in error.value.message_dict


def test_every_victim_of_the_crime_gets_a_duty_and_the_officer_in_case_owns_it(
    units, officer, make_user
):
    from bluelamp.crime import supervision

    sergeant = make_user(Role.SUPERVISOR, unit="west-cid")
    event = crime_with_victims(
        officer, units["west-cid"], person(officer), person(officer, "Lowe", "Cy")
    )
    supervision.allocate(actor=sergeant, event=event, officer=officer)
    crime_event(officer, event, "crime.suspect_arrested", person=1)
    duties = Duty.objects.filter(policy="victim-arrest")
    assert duties.count() == 2
    assert {d.owner for d in duties} == {officer}
    assert {d.queue for d in duties} == {"victim-care"}


def test_outcome_not_yet_assigned_opens_nothing(units, officer):
    event = crime_with_victims(officer, units["west-cid"], person(officer))
    crime_event(officer, event, "crime.outcome_recorded", outcome="0")
    assert not Duty.objects.filter(policy__startswith="victim-outcome").exists()


def test_a_victim_who_asked_not_to_be_contacted_gets_no_update_duty(units, officer):
    from bluelamp.victims import services

    event = crime_with_victims(officer, units["west-cid"], person(officer))
    victim = VictimRecord.objects.get(crime=event)
    services.record_needs_assessment(
        actor=officer, victim=victim, channel="phone", do_not_contact=True
    )
    crime_event(officer, event, "crime.suspect_arrested", person=1)
    assert not duties_for(victim).filter(policy="victim-arrest").exists()
