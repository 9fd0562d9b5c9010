"""The rules table, the Wilson interval against published values, and who gets enhanced rights
(domain.md 1.3), including an officer's decision by hand with its history."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bluelamp.accounts.roles import Role
from bluelamp.core.history import history_of
from bluelamp.victims import rules, services
from bluelamp.victims.entitlement import possibly_under_18
from bluelamp.victims.models import VictimRecord

from .helpers import crime_with_victims, person


# --- Wilson score interval ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        # Published values (e.g. statsmodels proportion_confint(method="wilson"), Newcombe 1998).
        (8, 10, 0.4902, 0.9433),
        (0, 10, 0.0, 0.2775),
        (10, 10, 0.7225, 1.0),
        (81, 263, 0.2553, 0.3662),
        (1, 2, 0.0945, 0.9055),
    ],
)
def test_wilson_interval_matches_published_values(successes, n, low, high):
    got_low, got_high = rules.wilson_interval(successes, n)
    assert got_low == pytest.approx(low, abs=5e-5)
    assert got_high == pytest.approx(high, abs=5e-5)


def test_rates_are_quoted_as_the_inspection_reports_do():
    # 82.3% of a large sample: the 2014 report's "82.3% (± 0.8)" is about 8,500 answers.
    assert rules.quote_rate(7000, 8506) == "82.3% (± 0.8)"
    assert rules.quote_rate(8, 10) == "80.0% (± 22.7)"
    assert rules.quote_rate(0, 0) == "no answers"


def test_wilson_refuses_impossible_counts():
    with pytest.raises(ValueError):
        rules.wilson_interval(3, 2)
    with pytest.raises(ValueError):
        rules.wilson_interval(0, 0)


# --- offence table -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("19C", "rape"),
        ("2", "attempted murder"),
        ("28E", ""),  # residential burglary: "2" must not match it
        ("5D", "wounding or GBH with intent"),  # domain.md 4.2: GBH with intent is 5D
        ("5A", ""),  # not a current code (domain.md 4.2)
        ("5E", ""),  # endangering life: not in domain.md 1.3's list
        ("56A", "arson endangering life"),
        ("56B", ""),
        ("106", "human trafficking or modern slavery"),
        ("17A", "sexual offence"),
        ("", ""),
    ],
)
def test_offence_kinds(code, kind):
    assert rules.offence_kind(code) == kind


def test_time_limits_follow_their_effective_date():
    assert rules.time_limit("arrest", dt.date(2026, 1, 1)).standard_working_days == 5
    assert rules.time_limit("arrest", dt.date(2026, 1, 1)).enhanced_working_days == 1
    assert rules.time_limit("referral", dt.date(2026, 1, 1)).enhanced_working_days == 2
    assert set(rules.REASONS) >= {"referral", "not_investigated", "charge", "vps_offer"}


# --- entitlement -------------------------------------------------------------------------------
@pytest.fixture
def officer(make_user):
    return make_user(Role.INVESTIGATOR)


def victim_of(officer, units, code="49", who=None, **kw):
    event = crime_with_victims(
        officer, units["west-cid"], who or person(officer), offence_code=code, **kw
    )
    return VictimRecord.objects.get(crime=event)


def test_sexual_offence_victims_are_most_serious_and_intimidated(units, officer):
    victim = victim_of(officer, units, "19C")
    assert victim.enhanced_reasons == ["most_serious_crime", "intimidated"]
    assert "19C" in victim.enhanced_rationale
    assert "YJCEA s17" in victim.enhanced_rationale


def test_a_gbh_with_intent_victim_is_enhanced_and_told_within_one_working_day(units, officer):
    from bluelamp.duties.services import duties_for

    from .helpers import crime_event

    victim = victim_of(officer, units, "5D")
    assert victim.enhanced_reasons == ["most_serious_crime"]
    assert "5D (wounding or GBH with intent)" in victim.enhanced_rationale
    with time_machine.travel(dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC), tick=False):
        crime_event(officer, victim.crime, "crime.suspect_arrested", person=victim.person_id)
    duty = duties_for(victim).get(policy__startswith="victim-arrest")
    assert duty.policy == "victim-arrest"
    assert timezone.localdate(duty.due_at) == dt.date(2026, 11, 25)  # 1 working day


@pytest.mark.parametrize(
    ("flag", "words"), [("domestic_abuse", "domestic abuse"), ("hate_crime", "hate crime")]
)
def test_a_flag_set_when_the_crime_is_recorded_gives_enhanced_rights(units, officer, flag, words):
    victim = victim_of(officer, units, "8N", flags=[flag])
    assert victim.enhanced_reasons == ["most_serious_crime"]
    assert f"{words} (flagged on the crime)" in victim.enhanced_rationale
    # A later needs assessment that does not repeat the flag does not take it away.
    victim = services.record_needs_assessment(
        actor=officer, victim=victim, channel="email", email="ada@example.org"
    )
    assert victim.enhanced_reasons == ["most_serious_crime"]
    unflagged = victim_of(officer, units, "8N")
    assert unflagged.enhanced_reasons == []


def test_an_unknown_crime_flag_is_refused_naming_the_field(units, officer):

    with pytest.raises(ValidationError) as error:
        victim_of(officer, units, "8N", flags=["gang"])
    assert "flags" in error.value.message_dict


def test_a_theft_victim_has_standard_rights(units, officer):
    victim = victim_of(officer, units, "49")
    assert victim.enhanced_reasons == []
    assert not victim.enhanced


def test_a_child_at_the_offence_is_vulnerable(units, officer):
    with time_machine.travel(dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC), tick=False):
        child = person(officer, dob_year=2010, dob_month=5, dob_day=1)
        adult = person(officer, "Lowe", "Cy", dob_year=2008, dob_month=11, dob_day=23)
        assert victim_of(officer, units, who=child).enhanced_reasons == ["vulnerable"]
        # 18 yesterday: an adult.
        assert victim_of(officer, units, who=adult).enhanced_reasons == []


def test_age_uses_the_offence_date_and_the_latest_possible_birthday():
    class P:
        dob_year, dob_month, dob_day = 2008, None, None

    assert possibly_under_18(P, dt.date(2026, 12, 30)) is True  # may be born 31 Dec 2008
    assert possibly_under_18(P, dt.date(2026, 12, 31)) is False
    P.dob_year = None
    assert possibly_under_18(P, dt.date(2026, 12, 31)) is None


def test_the_third_crime_in_twelve_months_makes_a_victim_persistently_targeted(
    units, officer, settings
):
    settings.BLUELAMP_PERSISTENTLY_TARGETED_CRIMES = 3
    ada = person(officer)
    start = dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC)
    first = victim_of(officer, units, who=ada, reported_at=start - dt.timedelta(days=400))
    second = victim_of(officer, units, who=ada, reported_at=start)
    third = victim_of(officer, units, who=ada, reported_at=start + dt.timedelta(days=100))
    assert first.enhanced_reasons == second.enhanced_reasons == third.enhanced_reasons == []
    fourth = victim_of(officer, units, who=ada, reported_at=start + dt.timedelta(days=200))
    assert fourth.enhanced_reasons == ["persistently_targeted"]
    assert "3 crimes in 12 months" in fourth.enhanced_rationale


def test_needs_and_flags_recorded_at_assessment_decide_entitlement(units, officer):
    victim = victim_of(officer, units)
    victim = services.record_needs_assessment(
        actor=officer,
        victim=victim,
        channel="email",
        email="ada@example.org",
        needs=["mental_disorder", "fear_of_testifying"],
        flags=["domestic_abuse"],
        update_every_days=14,
        safe_to_write=False,
    )
    assert victim.enhanced_reasons == ["most_serious_crime", "vulnerable", "intimidated"]
    assert "domestic abuse" in victim.enhanced_rationale
    assert not victim.safe_to_write
    assert victim.update_every_days == 14
    assert history_of(victim, actor=officer).filter(summary="Needs assessed").exists()


def test_an_officer_changes_entitlement_with_a_reason_and_history_is_kept(units, officer):
    victim = victim_of(officer, units, "19C")
    with pytest.raises(ValidationError) as error:
        services.change_entitlement(actor=officer, victim=victim, reasons=[], rationale="  ")
    assert "rationale" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.change_entitlement(actor=officer, victim=victim, reasons=["vip"], rationale="x")
    assert "reasons" in error.value.message_dict
    victim.refresh_from_db()
    assert victim.enhanced_reasons == ["most_serious_crime", "intimidated"]  # nothing lost

    services.change_entitlement(
        actor=officer,
        victim=victim,
        reasons=["persistently_targeted"],
        rationale="Harassed by the same neighbour for two years",
    )
    victim.refresh_from_db()
    assert victim.enhanced_reasons == ["persistently_targeted"]
    assert victim.enhanced_decided_by_name == officer.display_name
    change = history_of(victim, actor=officer).filter(summary__contains="by an officer").get()
    assert change.changes["enhanced_reasons"][0] == ["most_serious_crime", "intimidated"]
    # The rules no longer overrule the officer.
    services.reassess_entitlement(actor=None, victim=victim)
    victim.refresh_from_db()
    assert victim.enhanced_reasons == ["persistently_targeted"]


def test_only_officers_may_change_entitlement(units, officer, make_user):
    victim = victim_of(officer, units)
    with pytest.raises(PermissionDenied):
        services.change_entitlement(
            actor=make_user(Role.ANALYST), victim=victim, reasons=[], rationale="x"
        )


def test_a_reclassified_crime_is_reassessed(units, officer):
    from bluelamp.crime.models import Crime
    from bluelamp.duties.services import emit

    victim = victim_of(officer, units, "49")
    Crime.objects.filter(event=victim.crime).update(offence_code="19C")
    emit(
        "crime.reclassified",
        subject=victim.crime,
        actor=officer,
        payload={"from": "49", "to": "19C", "reason": "Further account"},
    )
    victim.refresh_from_db()
    assert "most_serious_crime" in victim.enhanced_reasons


def test_adding_a_victim_to_a_crime_opens_their_record_once(units, officer):
    from bluelamp.crime import recording

    event = crime_with_victims(officer, units["west-cid"], person(officer))
    ben = person(officer, "Okafor", "Ben")
    recording.add_party(actor=officer, crime=event, person=ben, role="victim")
    recording.add_party(actor=officer, crime=event, person=ben, role="victim")
    recording.add_party(
        actor=officer, crime=event, person=person(officer, "W", "Wit"), role="witness"
    )
    assert VictimRecord.objects.filter(crime=event).count() == 2
    assert VictimRecord.objects.filter(crime=event, person=ben).count() == 1
