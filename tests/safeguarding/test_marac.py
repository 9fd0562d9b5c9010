"""MARAC: the four criteria (domain.md 3.4), REPEAT found from the matched victim and perpetrator
within 12 months of the last MARAC referral, POTENTIAL_ESCALATION, the 16-and-over rule, meetings,
actions as duties, and the monthly trend."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from bluelamp.accounts.roles import Role
from bluelamp.core.history import history_of
from bluelamp.duties.models import Duty
from bluelamp.duties.services import duties_for
from bluelamp.safeguarding import marac, queries, services
from bluelamp.safeguarding.models import MaracCase

from .support import answers, make_hubs, person, referral


@pytest.fixture
def scene(units, make_user):
    officer = make_user(Role.RESPONSE_OFFICER)
    return {
        "officer": officer,
        "mash": make_user(Role.SAFEGUARDING),
        "hubs": make_hubs(units),
        "victim": person(officer, "Rhea", "Tamsin", dob_year=1992, dob_month=7, dob_day=7),
        "abuser": person(officer, "Rob", "Tamsin", dob_year=1990, dob_month=8, dob_day=8),
        "other_abuser": person(officer, "Ivo", "Penhale", dob_year=1979, dob_month=1, dob_day=3),
    }


def test_a_further_incident_within_12_months_of_the_last_marac_referral_is_a_repeat(scene):
    officer, victim, abuser = scene["officer"], scene["victim"], scene["abuser"]
    first = referral(officer, victim=victim, perpetrator=abuser, yes=15)
    assert MaracCase.objects.get(referral=first).criteria == ["visible_high_risk"]
    with time_machine.travel(timezone.now() + dt.timedelta(days=200)):
        # Standard risk by DASH, but the same pair within 12 months: MARAC again (REPEAT).
        again = referral(officer, victim=victim, perpetrator=abuser, yes=3)
    case = MaracCase.objects.get(referral=again)
    assert case.criteria == ["repeat"]
    assert again.risk_level == "standard"


def test_no_repeat_after_12_months_nor_with_another_perpetrator(scene):
    officer, victim = scene["officer"], scene["victim"]
    referral(officer, victim=victim, perpetrator=scene["abuser"], yes=15)
    with time_machine.travel(timezone.now() + dt.timedelta(days=380)):
        late = referral(officer, victim=victim, perpetrator=scene["abuser"], yes=3)
    other = referral(officer, victim=victim, perpetrator=scene["other_abuser"], yes=3)
    assert not MaracCase.objects.filter(referral__in=[late, other]).exists()


def test_three_referrals_in_12_months_are_potential_escalation(scene, settings):
    officer, victim = scene["officer"], scene["victim"]
    assert settings.BLUELAMP_MARAC_ESCALATION_INCIDENTS == 3
    referral(officer, victim=victim, yes=2)
    second = referral(officer, victim=victim, yes=2)
    third = referral(officer, victim=victim, yes=2)
    assert not MaracCase.objects.filter(referral=second).exists()
    assert MaracCase.objects.get(referral=third).criteria == ["potential_escalation"]


def test_professional_judgement_to_high_refers_with_its_rationale(scene):
    officer = scene["officer"]
    draft = referral(officer, victim=scene["victim"], perpetrator=scene["abuser"], submit=False)
    services.assess_risk(
        actor=officer,
        referral=draft,
        answers=answers(6),
        judgement="high",
        rationale="He has just been released from prison for attacking her",
    )
    made = services.submit_referral(actor=officer, referral=draft)
    case = MaracCase.objects.get(referral=made)
    assert case.criteria == ["professional_judgement"]
    assert "released from prison" in case.rationale


def test_a_victim_under_16_goes_to_childrens_safeguarding_not_marac(scene, settings):
    officer = scene["officer"]
    young = person(officer, "Tilly", "Marsh", dob_year=timezone.now().year - 15, dob_month=1)
    made = referral(officer, victim=young, perpetrator=scene["abuser"], yes=18)
    assert not MaracCase.objects.filter(referral=made).exists()
    duty = duties_for(made).get(policy="safeguarding-childrens-referral")
    assert duty.queue == settings.BLUELAMP_CHILDRENS_SAFEGUARDING_QUEUE


def test_meetings_list_cases_by_area_and_actions_are_duties(scene, make_user):
    mash, officer = scene["mash"], scene["officer"]
    made = referral(officer, victim=scene["victim"], perpetrator=scene["abuser"], yes=20)
    case = MaracCase.objects.get(referral=made)
    listing = duties_for(case).get(policy="safeguarding-marac-listing")
    assert listing.queue == "marac-west"
    # Listed in the queue by what it is, not as "MaracCase object (1)".
    assert listing.subject_label == f"MARAC case {made.reference}"
    east = marac.schedule_meeting(
        actor=mash, hub=scene["hubs"]["east"], held_on=timezone.localdate()
    )
    with pytest.raises(Exception, match="own area"):
        marac.list_case(actor=mash, case=case, meeting=east)
    west = marac.schedule_meeting(
        actor=mash, hub=scene["hubs"]["west"], held_on=timezone.localdate() + dt.timedelta(days=3)
    )
    marac.list_case(actor=mash, case=case, meeting=west)
    assert Duty.objects.get(pk=listing.pk).outcome == "done"
    # The case's history, from its opening (through core.writes.written, as every record's).
    summaries = [row.summary for row in history_of(case, actor=mash).order_by("pk")]
    assert summaries == ["MARAC case opened", f"Listed at {west}"]
    listed = history_of(case, actor=mash).order_by("pk").last()
    assert set(listed.changes) == {"meeting"}
    due = timezone.localdate() + dt.timedelta(days=5)
    action = marac.add_action(
        actor=mash, case=case, text="Fit a panic alarm", owner=officer, due_on=due
    )
    duty = duties_for(action).get()
    assert duty.owner == officer
    assert duty.subject_label == "MARAC action: Fit a panic alarm"
    assert timezone.localtime(duty.due_at).date() == due
    marac.complete_action(actor=officer, action=action)
    assert Duty.objects.get(pk=duty.pk).outcome == "done"
    trend = queries.marac_trend(mash)
    assert [(row["area"], row["n"]) for row in trend] == [("West MASH", 1)]
