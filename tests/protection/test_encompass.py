"""Operation Encompass (domain-addendum.md 1.4): a police-attended domestic abuse incident with a
child present queues a notice to the school's safeguarding lead, due before the start of the next
school day in the school's local authority calendar (weekends, bank holidays, school holidays and
training days left out); a home-educated child's goes to the local authority."""

from __future__ import annotations

import datetime as dt

import pytest

from bluelamp.accounts.roles import Role
from bluelamp.core import events
from bluelamp.duties.models import DomainEvent, Duty, Outcome
from bluelamp.notify.models import Message
from bluelamp.protection import encompass
from bluelamp.protection.models import EncompassNotice, NoticeStatus, Recipient
from bluelamp.reference import schools as reference

from .world import child, london, referral_event, submit_referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_user):
    return make_user(Role.RESPONSE_OFFICER)


def _notice_for(officer, units, *, at, school="LAN-P-001", **kwargs):
    kid = child(officer, "Amy")
    event = referral_event(officer, units["west-response"])
    submit_referral(officer, event, children=[kid], schools={kid: school}, at=at, **kwargs)
    return EncompassNotice.objects.get(referral_event=event, child=kid)


@pytest.mark.parametrize(
    ("incident", "due", "why"),
    [
        (london(2026, 11, 10, 21, 0), london(2026, 11, 11, 8, 30), "a Tuesday evening in term"),
        (london(2026, 11, 11, 2, 0), london(2026, 11, 11, 8, 30), "small hours: that morning"),
        (london(2026, 11, 11, 9, 15), london(2026, 11, 12, 8, 30), "after school started"),
        (london(2026, 11, 13, 19, 0), london(2026, 11, 16, 8, 30), "Friday: the weekend"),
        # Bank-holiday weekend: Friday 1 May 2026, Monday 4 May is the May Day bank holiday.
        (london(2026, 5, 1, 19, 0), london(2026, 5, 5, 8, 30), "a bank-holiday weekend"),
        # School holiday: Friday 23 Oct 2026, half term 26-30 Oct in the sample calendar.
        (london(2026, 10, 23, 18, 0), london(2026, 11, 2, 8, 30), "half term"),
        # Christmas: term ends Fri 18 Dec; bank holidays 25, 28 Dec, 1 Jan; Mon 4 Jan 2027 is a
        # training day in Lancashire's sample calendar: first school day Tue 5 Jan.
        (london(2026, 12, 18, 20, 0), london(2027, 1, 5, 8, 30), "Christmas and a training day"),
    ],
)
def test_the_notice_is_due_before_the_next_school_day(units, officer, incident, due, why):
    notice = _notice_for(officer, units, at=incident)
    assert notice.due_at == due, why
    duty = Duty.objects.get(policy="encompass-notify-school", subject_id=notice.pk)
    assert duty.due_at == due
    assert duty.owner == officer
    assert duty.outcome == Outcome.OPEN


def test_the_school_calendar_is_the_schools_local_authority(units, officer):
    """Blackpool's sample calendar has a training day on Friday 27 Nov 2026; Lancashire's not."""
    thursday = london(2026, 11, 26, 20, 0)
    lancashire = _notice_for(officer, units, at=thursday, school="LAN-P-002")
    blackpool = _notice_for(officer, units, at=thursday, school="BPL-P-001")
    assert lancashire.due_at == london(2026, 11, 27, 8, 30)
    assert blackpool.due_at == london(2026, 11, 30, 8, 30)
    assert dt.date(2026, 11, 27) in reference.school_closures("blackpool")


def test_the_school_day_start_is_a_setting(units, officer, settings):
    settings.BLUELAMP_ENCOMPASS_SCHOOL_DAY_STARTS = "08:00"
    notice = _notice_for(officer, units, at=london(2026, 11, 10, 21, 0))
    assert notice.due_at == london(2026, 11, 11, 8, 0)


def test_the_email_is_queued_to_the_schools_dsl_in_the_same_transaction(units, officer):
    notice = _notice_for(officer, units, at=london(2026, 11, 10, 21, 0))
    assert notice.recipient_kind == Recipient.SCHOOL
    assert notice.status == NoticeStatus.QUEUED
    message = notice.message
    assert message.to == "dsl@fishergate-primary.example"
    assert message.template == "encompass-school"
    assert message.personalisation["school_name"] == "Fishergate Primary School"
    assert message.personalisation["incident_date"] == "Tuesday 10 November 2026"
    assert message.personalisation["child_name"] == notice.child.display_name


def test_a_home_educated_child_goes_to_the_local_authority(units, officer):
    kid = child(officer, "Ben")
    event = referral_event(officer, units["west-response"])
    # Friday before half term: the authority works weekdays, so Monday, not after half term.
    submit_referral(
        officer, event, children=[kid], home_educated=[kid], at=london(2026, 10, 23, 18)
    )
    notice = EncompassNotice.objects.get(child=kid)
    assert notice.recipient_kind == Recipient.LOCAL_AUTHORITY
    assert notice.message.to == "encompass@lancashire-la.example"
    assert notice.message.template == "encompass-local-authority"
    assert notice.due_at == london(2026, 10, 26, 8, 30)


def test_one_notice_per_child_and_none_without_police_or_domestic_abuse(units, officer):
    kids = [child(officer, "Cal"), child(officer, "Dee")]
    event = referral_event(officer, units["west-response"])
    schools = {kids[0]: "LAN-P-001", kids[1]: "BPL-S-002"}
    made = submit_referral(officer, event, children=kids, schools=schools)
    assert EncompassNotice.objects.filter(referral_id=made.pk).count() == 2
    submitted = DomainEvent.objects.get(type="safeguarding.referral_submitted")
    assert encompass.open_notices(event=submitted, subject=made) == []  # the same event again
    assert Message.objects.filter(template="encompass-school").count() == 2
    other = referral_event(officer, units["west-response"])
    submit_referral(officer, other, children=kids, schools=schools, police_attended=False)
    submit_referral(officer, other, children=kids, schools=schools, concern="mental_health")
    assert not EncompassNotice.objects.filter(referral_event=other).exists()


def test_an_adult_child_is_left_out_and_an_unknown_age_is_included(units, officer):
    adult = child(officer, "Eve", born=dt.date(2000, 1, 1))
    unknown = child(officer, "Fay", born=None)
    event = referral_event(officer, units["west-response"])
    schools = {adult: "LAN-P-001", unknown: "LAN-P-001"}
    submit_referral(officer, event, children=[adult, unknown], schools=schools)
    assert list(EncompassNotice.objects.values_list("child", flat=True)) == [unknown.pk]


def test_an_unknown_school_opens_the_duty_with_nothing_sent(units, officer):
    notice = _notice_for(officer, units, at=london(2026, 11, 10, 21, 0), school="NOT-A-SCHOOL")
    assert notice.status == NoticeStatus.NO_RECIPIENT
    assert notice.message is None
    assert notice.due_at == london(2026, 11, 11, 8, 30)  # weekdays less bank holidays
    assert (
        Duty.objects.filter(
            subject_id=notice.pk, outcome=Outcome.OPEN, policy__startswith="encompass"
        ).count()
        == 1
    )


def test_due_for_outside_the_calendar_counts_every_working_day():
    # Beyond the sample calendar (summer 2027 onward): weekdays less bank holidays only.
    assert encompass.due_for(london(2027, 8, 27, 20), "lancashire") == london(2027, 8, 31, 8, 30)


def test_the_deadline_counts_from_when_the_incident_happened(units, officer):
    """The officer recorded the incident as happening late on the Friday before the May Day
    bank holiday; the referral was submitted after school began on the Tuesday: the notice was
    due before school on Tuesday, so it is already late (not given Wednesday)."""
    kid = child(officer, "Gus")
    event = events.record_event(
        actor=officer,
        kind="incident",
        summary="Domestic abuse at home",
        owning_unit=units["west-response"],
        occurred_from=london(2026, 5, 1, 21, 40),
        reported_at=london(2026, 5, 1, 21, 55),
    )
    submit_referral(
        officer, event, children=[kid], schools={kid: "LAN-P-001"}, at=london(2026, 5, 5, 10)
    )
    notice = EncompassNotice.objects.get(child=kid)
    assert notice.incident_at == london(2026, 5, 1, 21, 40)
    assert notice.due_at == london(2026, 5, 5, 8, 30)
    # Without a recorded time, the referral's submission is the moment counted from.
    other_kid = child(officer, "Hal")
    untimed = referral_event(officer, units["west-response"])
    submit_referral(
        officer,
        untimed,
        children=[other_kid],
        schools={other_kid: "LAN-P-001"},
        at=london(2026, 5, 5, 10),
    )
    assert EncompassNotice.objects.get(child=other_kid).due_at == london(2026, 5, 6, 8, 30)
