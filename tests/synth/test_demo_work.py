"""The demo's live work: each step of the journey a demo user opens is really there, made by the
services (duties, QA, outcome, survey), and the victim portal sign-in it prints works."""

import pytest
from django.utils import timezone

from bluelamp.contact.models import Appointment, Assessment
from bluelamp.core.models import Event
from bluelamp.crime.investigation.queries import my_live_investigations
from bluelamp.crime.models import CrimeOutcome, InvestigationUpdate, QACheck, SupervisorReview
from bluelamp.duties.models import Duty, Outcome
from bluelamp.duties.services import duties_for
from bluelamp.duties.worker import drain_outbox
from bluelamp.synth.demo import create_demo_users, live_work
from bluelamp.synth.demo_work import live_journey
from bluelamp.synth.generate import ForceGenerator
from bluelamp.victims.models import Contact, Survey, VictimRecord
from bluelamp.victims.portal.signing_in import sign_in


@pytest.fixture
def demo(db):
    units = ForceGenerator(population=100, years=1, seed=3).build_units()
    users = create_demo_users(units)
    live_work(users, units, seed=3)
    journey = live_journey(users, units)
    drain_outbox(worker_id="test", limit=500)
    return users, journey


def test_calls_graded_one_in_time_one_missed_awaiting_review_one_in_the_diary(demo):
    emergency = Duty.objects.get(policy="attend-emergency-urban")
    assert emergency.outcome == Outcome.DONE
    assert emergency.done_at <= emergency.due_at
    priority = Duty.objects.get(policy="attend-priority")
    assert priority.outcome == Outcome.DONE
    assert priority.done_at > priority.due_at
    review = Duty.objects.get(policy="missed-target-review")
    assert review.outcome == Outcome.OPEN
    assert Assessment.objects.filter(target_missed_at__isnull=False).count() == 1
    [appointment] = Appointment.objects.all()
    assert appointment.slot.starts_at > timezone.now()


def test_crimes_investigated_supervised_checked_and_finalised(demo):
    users, _ = demo
    codes = dict(QACheck.objects.values_list("crime__offence_code", "status"))
    assert codes["20A"] == "waiting"
    assert codes["44"] == "returned"
    sexual = Event.objects.get(crime__offence_code="20A")
    assert sexual.officer_in_case == users["investigator"]
    assert SupervisorReview.objects.filter(event=sexual).exists()
    assert InvestigationUpdate.objects.filter(crime=sexual, victim_visible=True).count() == 1
    assert CrimeOutcome.objects.get().outcome == "18"
    assert Survey.objects.get().crime_type == "49"


def test_victims_assessed_contacted_and_the_serious_one_enhanced(demo):
    victim = VictimRecord.objects.get(crime__crime__offence_code="20A")
    assert "most_serious_crime" in victim.enhanced_reasons
    assert "domestic abuse (flagged on the crime)" in victim.enhanced_rationale
    # Her witness statement was taken: the VPS offer is owed (Victims' Code right 7).
    assert duties_for(victim).filter(policy="victim-vps-offer").exists()
    assert victim.needs_assessed_at is not None
    assert Contact.objects.filter(victim=victim).exists()
    theft = VictimRecord.objects.get(crime__crime__offence_code="44")
    assert theft.enhanced_reasons == []


def test_the_printed_portal_sign_in_works(demo):
    _, journey = demo
    portal = journey.portal
    result = sign_in(
        reference=portal.reference, code=portal.code, date_of_birth=portal.date_of_birth
    )
    assert result.victim_record is not None
    assert result.victim_record.crime.reference == portal.reference


def test_the_church_street_assault_still_heads_the_investigators_list(demo):
    # tests/e2e/test_investigation_browser.py opens the first of these and expects the assault.
    users, _ = demo
    first = my_live_investigations(users["investigator"])[0]
    assert "Church Street" in first.summary
