"""Referrals to victim support services and satisfaction surveys go out through the real notify
outbox, the real worker and a real SMTP server - and a referral never waits on quality
assurance (domain.md 10: victim services fed within 24 hours)."""

import re

import pytest

from bluelamp.accounts.roles import Role
from bluelamp.duties.models import DomainEvent, Outcome
from bluelamp.duties.services import duties_for
from bluelamp.duties.worker import drain_outbox
from bluelamp.notify.models import Message
from bluelamp.notify.worker import deliver_due
from bluelamp.victims import services
from bluelamp.victims.models import Referral, Survey, VictimRecord

from ..support import OwnDatabase, SmtpServer
from .helpers import crime_event, crime_with_victims, person


@pytest.fixture
def smtp(db, settings):
    server = SmtpServer()
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.BLUELAMP_VICTIM_SUPPORT_EMAIL = "referrals@support.example"
    yield server
    server.stop()


@pytest.fixture
def officer(make_user):
    return make_user(Role.INVESTIGATOR)


def run_worker():
    drain_outbox(worker_id="test")
    deliver_due(worker_id="test")


def victim_of(officer, units, code, flags=()):
    event = crime_with_victims(
        officer, units["west-cid"], person(officer), offence_code=code, flags=list(flags)
    )
    return VictimRecord.objects.get(crime=event)


def test_a_most_serious_crime_victim_is_referred_automatically_and_on_time(units, officer, smtp):
    victim = victim_of(officer, units, "5D")  # GBH with intent (domain.md 4.2)
    run_worker()
    referral = Referral.objects.get(victim=victim)
    assert referral.automatic
    assert referral.partner == "referrals@support.example"
    duty = duties_for(victim).get(policy="victim-referral")
    assert duty.outcome == Outcome.DONE
    assert duty.done_at <= duty.due_at
    assert DomainEvent.objects.filter(
        type="victim.referred", subject_id=victim.pk, payload__referral=referral.pk
    ).exists()
    [received] = smtp.received
    assert received["To"] == "referrals@support.example"
    assert victim.crime.reference in received["Subject"]
    body = received.get_payload(decode=True).decode()
    assert "Enhanced rights: Victim of the most serious crime" in body
    assert "automatic referral" in body


@pytest.mark.parametrize(
    ("code", "flags", "because"),
    [
        ("19C", (), "sexual_offence"),  # rape: the sexual offences group
        ("20A", (), "sexual_offence"),  # sexual assault
        ("8N", ("domestic_abuse",), "domestic_abuse"),  # flagged when recorded
    ],
)
def test_sexual_offence_and_domestic_abuse_victims_are_referred_only_with_consent(
    units, officer, smtp, code, flags, because
):
    # domain.md 1.4: opt-in until a current source says otherwise (victims/rules.py).
    from bluelamp.victims import outreach

    victim = victim_of(officer, units, code, flags)
    assert victim.enhanced  # most serious crime: automatic referral would apply but for consent
    assert outreach.consent_only_because(victim) == [because]
    run_worker()
    assert not Referral.objects.exists()
    assert not smtp.received
    assert duties_for(victim).get(policy="victim-referral").outcome == Outcome.OPEN
    services.record_needs_assessment(
        actor=officer,
        victim=victim,
        channel="phone",
        phone="07700 900123",
        referral_consent="given",
    )
    run_worker()
    referral = Referral.objects.get(victim=victim)
    assert not referral.automatic
    assert referral.consent == "given"


def test_a_hate_crime_flagged_when_recorded_is_referred_automatically(units, officer, smtp):
    # Hate crime is a most serious crime (domain.md 1.3) with no consent-only row.
    victim = victim_of(officer, units, "8N", ("hate_crime",))
    run_worker()
    assert Referral.objects.get(victim=victim).automatic


def test_every_consent_only_row_cites_its_source():
    from bluelamp.victims import rules

    rows = rules.REFERRAL_ON_CONSENT_ONLY
    assert {"sexual_offence", "domestic_abuse"} <= {r.category for r in rows}
    for row in rows:
        assert row.source
        assert row.category == "sexual_offence" or row.category in rules.MOST_SERIOUS_FLAGS


def test_the_referral_does_not_wait_for_quality_assurance(units, officer, smtp):
    victim = victim_of(officer, units, "8N")  # assault: consent needed first
    # Recording the crime put it in the investigations management unit's queue (crime/qa.py).
    qa = duties_for(victim.crime).get(policy="crime-qa-check")
    assert qa.queue == "quality-assurance"
    assert victim.crime.crime.qa_check.status == "waiting"
    services.record_needs_assessment(
        actor=officer,
        victim=victim,
        channel="phone",
        phone="07700 900123",
        referral_consent="given",
    )
    run_worker()
    qa.refresh_from_db()
    assert qa.outcome == Outcome.OPEN  # QA still not done...
    assert victim.crime.crime.qa_check.status == "waiting"
    referral = Referral.objects.get(victim=victim)  # ...and the victim is referred anyway
    assert not referral.automatic
    assert referral.consent == "given"
    duty = duties_for(victim).get(policy="victim-referral")
    assert duty.outcome == Outcome.DONE
    assert duty.done_at <= duty.due_at
    assert "phone 07700900123" in smtp.received[0].get_payload(decode=True).decode()


def test_a_standard_victim_is_not_referred_until_they_consent(units, officer, smtp):
    victim = victim_of(officer, units, "49")
    run_worker()
    assert not Referral.objects.exists()
    assert duties_for(victim).get(policy="victim-referral").outcome == Outcome.OPEN


def test_a_declined_referral_cancels_the_duty_and_sends_nothing(units, officer, smtp):
    victim = victim_of(officer, units, "49")
    services.record_needs_assessment(
        actor=officer, victim=victim, channel="letter", referral_consent="declined"
    )
    run_worker()
    assert not Referral.objects.exists()
    assert not Message.objects.exists()
    assert duties_for(victim).get(policy="victim-referral").outcome == Outcome.CANCELLED


def test_a_referral_is_sent_once_however_often_the_worker_runs(units, officer, smtp, settings):
    victim = victim_of(officer, units, "19C")
    run_worker()
    services.record_needs_assessment(
        actor=officer,
        victim=victim,
        channel="email",
        email="ada@example.org",
        referral_consent="given",
    )
    run_worker()
    run_worker()
    assert Referral.objects.count() == 1
    assert Message.objects.filter(template="victim-support-referral").count() == 1
    to_partner = [m for m in smtp.received if m["To"] == settings.BLUELAMP_VICTIM_SUPPORT_EMAIL]
    assert len(to_partner) == 1


def test_after_the_outcome_the_victim_gets_a_survey_link(units, officer, smtp, settings):
    settings.BLUELAMP_SITE_URL = "https://bluelamp.example"
    victim = victim_of(officer, units, "49")
    services.record_needs_assessment(
        actor=officer, victim=victim, channel="email", email="ada@example.org"
    )
    crime_event(officer, victim.crime, "crime.outcome_recorded", outcome="18")
    run_worker()
    survey = Survey.objects.get(victim=victim)
    assert survey.team == units["west-cid"]
    assert survey.district == units["west"]
    assert survey.crime_type == "49"
    # The victim also gets their portal code (victims/portal) once their email is known.
    [received] = [
        m
        for m in smtp.received
        if m["To"] == "ada@example.org" and "survey" in m.get_payload(decode=True).decode()
    ]
    body = received.get_payload(decode=True).decode()
    assert re.search(rf"https://bluelamp.example/survey/{survey.token}/", body)


def test_no_survey_when_writing_is_unsafe_or_contact_unwanted(units, officer, smtp):
    unsafe = victim_of(officer, units, "49")
    services.record_needs_assessment(
        actor=officer, victim=unsafe, channel="email", email="a@example.org", safe_to_write=False
    )
    unwanted = victim_of(officer, units, "49")
    services.record_needs_assessment(
        actor=officer, victim=unwanted, channel="email", do_not_contact=True
    )
    for victim in (unsafe, unwanted):
        crime_event(officer, victim.crime, "crime.outcome_recorded", outcome="1")
    run_worker()
    assert not Survey.objects.exists()
    assert not Message.objects.filter(template__startswith="victim-survey").exists()


# --- the real `bluelamp worker` process, on a database of its own ------------------------------

SEED = """
import json
from bluelamp.accounts.roles import Role, UnitKind
from bluelamp.accounts.services import create_unit, create_user
from bluelamp.core import persons
from bluelamp.crime import recording
from bluelamp.duties.models import Duty
force = create_unit(name="Force", code="force", kind=UnitKind.FORCE)
team = create_unit(name="Team", code="team", kind=UnitKind.TEAM, parent=force)
officer, _ = create_user(actor=None, username="officer", password="x" * 16,
                         role=Role.INVESTIGATOR, unit=team, first_name="I", last_name="O")
ada = persons.create_person(actor=officer, family_name="Okafor", given_names="Ada")
# GBH with intent: referred without consent
made = recording.record_crime(actor=officer, summary="Wounding", owning_unit=team,
                              offence_code="5D", victims=[ada])
print(json.dumps(made.event.reference))
"""

STATE = """
import json
from bluelamp.duties.models import Duty
from bluelamp.victims.models import Referral
duty = Duty.objects.get(policy="victim-referral")
print(json.dumps({"referrals": Referral.objects.count(), "duty": duty.outcome,
                  "on_time": duty.done_at <= duty.due_at}))
"""


def test_the_worker_process_sends_the_referral(tmp_path):
    own = OwnDatabase(tmp_path)
    smtp = SmtpServer()
    try:
        reference = own.python(SEED)
        own.run(
            "worker",
            "--once",
            "--worker-id",
            "victims-test",
            BLUELAMP_EMAIL_PORT=str(smtp.port),
            BLUELAMP_VICTIM_SUPPORT_EMAIL="partner@support.example",
        )
        state = own.python(STATE)
    finally:
        smtp.stop()
        own.close()
    assert state == {"referrals": 1, "duty": "done", "on_time": True}
    [received] = smtp.received
    assert received["To"] == "partner@support.example"
    assert reference in received["Subject"]
