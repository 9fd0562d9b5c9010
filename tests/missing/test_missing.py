"""Missing people (domain.md 10-11, domain-addendum.md 1.6): reviews as duties at each grade's
interval (hourly by default, as the 2018 report found), each review opening the next; the return
stops them and opens the safe-and-well check and, for a child, the return interview within 72
hours; the repeat-missing and missing-from-care flags come from the person's own history."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bluelamp.accounts.roles import Role
from bluelamp.core import persons
from bluelamp.duties.models import Duty, Outcome
from bluelamp.missing import queries, services
from bluelamp.missing.models import ReportStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_user):
    return make_user(Role.RESPONSE_OFFICER)


@pytest.fixture
def sergeant(make_user):
    return make_user(Role.SUPERVISOR)


def person(actor, given="Jo", born=dt.date(2011, 3, 4)):
    dob = {"dob_year": born.year, "dob_month": born.month, "dob_day": born.day} if born else {}
    return persons.create_person(actor=actor, family_name="Lost", given_names=given, **dob)


def report(actor, unit, who, grade="high", missing_from="home", **kwargs):
    return services.report_missing(
        actor=actor,
        person=who,
        owning_unit=unit,
        last_seen_at=timezone.now() - dt.timedelta(hours=3),
        last_seen_where="Bus station",
        missing_from=missing_from,
        circumstances="Did not come home from school",
        risk_grade=grade,
        risk_reasons="Age and weather",
        **kwargs,
    )


def open_duties(rep):
    return list(
        Duty.objects.filter(subject_id=rep.pk, outcome=Outcome.OPEN, policy__startswith="missing")
    )


@pytest.mark.parametrize(
    ("grade", "setting", "hours"),
    [
        ("high", "BLUELAMP_MISSING_REVIEW_HOURS_HIGH", 1),
        ("medium", "BLUELAMP_MISSING_REVIEW_HOURS_MEDIUM", 4),
        ("low", "BLUELAMP_MISSING_REVIEW_HOURS_LOW", 12),
    ],
)
def test_a_review_is_due_at_the_grades_interval(units, officer, settings, grade, setting, hours):
    setattr(settings, setting, hours)
    rep = report(officer, units["west-response"], person(officer), grade=grade)
    (duty,) = open_duties(rep)
    assert duty.policy == f"missing-review-{grade}"
    assert duty.due_at - duty.opened_at == dt.timedelta(hours=hours)
    assert duty.owner == officer


def test_high_risk_is_reviewed_hourly_by_default(units, officer):
    rep = report(officer, units["west-response"], person(officer))
    (duty,) = open_duties(rep)
    assert duty.due_at - duty.opened_at == dt.timedelta(hours=1)


def test_each_review_discharges_the_last_and_opens_the_next_at_the_new_grade(
    units, officer, sergeant, settings
):
    settings.BLUELAMP_MISSING_REVIEW_HOURS_MEDIUM = 4
    # The sergeant holds the report (officer in case): restricted records are for their holders.
    rep = report(
        officer, units["west-response"], person(officer), grade="high", officer_in_case=sergeant
    )
    (first,) = open_duties(rep)
    later = timezone.now() + dt.timedelta(minutes=50)
    with time_machine.travel(later, tick=False):
        services.record_review(
            actor=sergeant, report=rep, grade="medium", reasons="Seen on CCTV, with a friend"
        )
    first.refresh_from_db()
    assert first.outcome == Outcome.DONE
    assert first.on_time is True
    (second,) = open_duties(rep)
    assert second.policy == "missing-review-medium"
    assert second.due_at == later + dt.timedelta(hours=4)
    rep.refresh_from_db()
    assert rep.risk_grade == "medium"
    assert rep.reviews.get().by_name == sergeant.display_name
    assert second.owner == sergeant


def test_a_response_officer_may_not_review_the_risk(units, officer):
    rep = report(officer, units["west-response"], person(officer))
    with pytest.raises(PermissionDenied):
        services.record_review(actor=officer, report=rep, grade="low", reasons="x")


def test_a_childs_return_stops_reviews_and_opens_the_check_and_the_interview(units, officer):
    rep = report(officer, units["west-response"], person(officer))
    back = timezone.now() - dt.timedelta(minutes=30)
    services.record_return(actor=officer, report=rep, returned_at=back, found_where="Friend's")
    assert Duty.objects.get(policy="missing-review-high").outcome == Outcome.CANCELLED
    duties = {d.policy: d for d in open_duties(rep)}
    assert set(duties) == {"missing-safe-and-well", "missing-return-interview"}
    assert duties["missing-return-interview"].due_at == back + dt.timedelta(hours=72)
    assert duties["missing-safe-and-well"].due_at == back + dt.timedelta(hours=24)
    services.record_safe_and_well(actor=officer, report=rep, findings="Unhurt, fed, home")
    services.record_return_interview(
        actor=officer, report=rep, outcome="accepted", provider="Barnardo's"
    )
    assert open_duties(rep) == []
    rep.refresh_from_db()
    assert rep.status == ReportStatus.RETURNED
    assert rep.interview_by == "Barnardo's"


def test_an_adult_is_not_offered_a_return_interview(units, officer):
    adult = person(officer, "Sam", born=dt.date(1980, 1, 1))
    rep = report(officer, units["west-response"], adult)
    assert rep.is_child is False
    services.record_return(
        actor=officer,
        report=rep,
        returned_at=timezone.now(),
        found_where="Home",
        safe_and_well_findings="Well; had been at a friend's",
    )
    assert open_duties(rep) == []  # the check was done with the return: nothing else owed
    with pytest.raises(ValidationError) as error:
        services.record_return_interview(actor=officer, report=rep, outcome="offered", provider="x")
    assert "outcome" in error.value.message_dict


def test_no_date_of_birth_takes_the_officers_word_on_age(units, officer):
    unknown = person(officer, "Kim", born=None)
    assert report(officer, units["west-response"], unknown, is_child=True).is_child is True


def test_repeat_missing_and_missing_from_care_come_from_the_persons_history(
    units, officer, make_user
):
    kid = person(officer)
    first = report(officer, units["west-response"], kid, missing_from="care")
    assert [f.name for f in queries.flags_for(first, officer)] == ["Missing from care"]
    other = make_user(Role.RESPONSE_OFFICER)  # a second officer's report on the same child
    report(other, units["west-response"], kid, grade="medium")
    third = report(officer, units["west-response"], kid, grade="low")
    flags = {f.name: f.reasons for f in queries.flags_for(third, officer)}
    assert set(flags) == {"Repeat missing", "Missing from care"}
    reasons = " ".join(flags["Repeat missing"])
    assert first.reference in reasons
    assert third.reference in reasons
    # The second officer's report is not named to this officer, only mentioned.
    assert "held by the safeguarding hub" in reasons
    hub = make_user(Role.SAFEGUARDING)
    assert "held by" not in " ".join(queries.flags_for(third, hub)[0].reasons)
    # Somebody else's history does not count.
    stranger = report(officer, units["west-response"], person(officer, "Lee"))
    assert queries.flags_for(stranger, officer) == []


def test_repeat_missing_counts_only_within_the_window(units, officer, settings):
    kid = person(officer)
    with time_machine.travel(timezone.now() - dt.timedelta(days=400), tick=False):
        report(officer, units["west-response"], kid)
    report(officer, units["west-response"], kid)
    third = report(officer, units["west-response"], kid)
    assert queries.flags_for(third, officer) == []
    settings.BLUELAMP_MISSING_REPEAT_DAYS = 500
    assert [f.name for f in queries.flags_for(third, officer)] == ["Repeat missing"]


def test_writes_from_another_district_are_refused(units, officer, make_user):
    rep = report(officer, units["west-response"], person(officer))
    east = make_user(Role.RESPONSE_OFFICER, "east-response")
    with pytest.raises(PermissionDenied, match="outside your area"):
        report(east, units["west-response"], person(east))
    rep.officer_in_case = east
    rep.save()
    with pytest.raises(PermissionDenied, match="outside your area"):
        services.add_enquiry(actor=east, report=rep, description="Phone")
