"""Live demo work along the whole journey, created through the services exactly as the demo users
would create it (so every duty, event, history row and audit row is real): calls taken by the
call handler and graded, crimes recorded from incidents with victims and suspects, investigated,
supervised, checked by QA and finalised, and victims assessed, contacted and given a portal code.

One thing is not done through a service: the priority call was graded an hour and a half ago, and
a service can only grade "now", so its grading (and the attend clock it started) is moved back in
time before the officer arrives late. Everything after that is the real flow."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from bluelamp.accounts.models import Unit, User
from bluelamp.contact import diary
from bluelamp.contact import services as contact
from bluelamp.contact.models import Assessment
from bluelamp.core import events, persons
from bluelamp.core.choices import EventKind
from bluelamp.core.models import Event
from bluelamp.crime import outcomes, qa, recording, supervision
from bluelamp.crime.investigation import services as investigation
from bluelamp.duties.models import Duty, Outcome
from bluelamp.duties.services import duties_for
from bluelamp.safeguarding import services as safeguarding
from bluelamp.victims import services as victims
from bluelamp.victims.models import VictimRecord
from bluelamp.victims.portal.access import issue_code

# A THRIVE assessment's six headings and rationale (domain.md 2.1), per call.
THRIVE_EMERGENCY = {
    "threat": "Ex-partner assaulted the caller and is still in the street outside",
    "harm": "Caller hurt and frightened; sexual assault disclosed",
    "risk": "Likely to return; history of domestic abuse at the address",
    "investigation": "Attend now, secure evidence, arrest the suspect if found",
    "vulnerability": "Caller lives alone; domestic abuse",
    "engagement": "Caller wants police to attend",
    "rationale": "Immediate threat to a person: emergency",
}
THRIVE_PRIORITY = {
    "threat": "Shop security are holding a shoplifter who is becoming aggressive",
    "harm": "No injuries so far",
    "risk": "Could turn violent if held much longer",
    "investigation": "Attend, take over the detained person, view CCTV",
    "vulnerability": "None known",
    "engagement": "Store manager wants officers to attend",
    "rationale": "Urgent but no immediate danger to life: priority",
}
THRIVE_SCHEDULED = {
    "threat": "None: the theft happened overnight",
    "harm": "Loss of a bicycle used to get to work",
    "risk": "Low",
    "investigation": "Statement, serial number, check nearby doorbell cameras",
    "vulnerability": "None known",
    "engagement": "Caller happy to be seen at home tomorrow",
    "rationale": "No urgency and the caller can wait: scheduled appointment",
}


@dataclass
class PortalSignIn:
    """How to sign in to /track/ as the demo victim (the code is random, shown once)."""

    reference: str
    code: str
    date_of_birth: dt.date
    name: str


@dataclass
class DemoWork:
    made: int
    portal: PortalSignIn


def _backdate_grading(incident: Event, graded_at: dt.datetime) -> None:
    """Moves a grading made "now" back to ``graded_at``, with the attend duty it opened, so that
    the officer's (real, service-recorded) arrival can honestly be late. Demo data only."""
    assessment = contact.current_assessment(incident)
    shift = assessment.assessed_at - graded_at
    Assessment.objects.filter(pk=assessment.pk).update(
        assessed_at=graded_at, target_at=assessment.target_at - shift
    )
    for duty in duties_for(incident).filter(outcome=Outcome.OPEN):
        Duty.objects.filter(pk=duty.pk).update(
            opened_at=duty.opened_at - shift, due_at=duty.due_at - shift
        )


def calls(users: dict[str, User], team: Unit, now: dt.datetime) -> dict[str, Event]:
    """Three calls the call handler took and graded: an emergency attended in time, a priority
    whose target was missed (awaiting the control-room supervisor's review), and a scheduled one
    booked into tomorrow's diary."""
    handler, response, sergeant = users["handler"], users["response"], users["sergeant"]
    emergency = contact.record_call(
        actor=handler,
        channel="999",
        account="He pushed me down and touched me, now he's outside shouting. Please come.",
        summary="Sexual assault by ex-partner, suspect outside the address, Avenham",
        owning_unit=team,
        may_be_crime=True,
        caller_phone="07700 900461",
        received_at=now - dt.timedelta(minutes=40),
    ).incident
    contact.grade_call(actor=handler, incident=emergency, grade="emergency", **THRIVE_EMERGENCY)
    contact.allocate_resource(actor=handler, incident=emergency, officer=response)
    contact.record_arrival(actor=response, incident=emergency, note="Suspect detained at scene")

    priority = contact.record_call(
        actor=handler,
        channel="101",
        account="Security have stopped a man leaving with razor blades; he's getting angry.",
        summary="Shoplifter detained by store security, Fishergate Centre",
        owning_unit=team,
        may_be_crime=True,
        received_at=now - dt.timedelta(minutes=95),
    ).incident
    contact.grade_call(actor=handler, incident=priority, grade="priority", **THRIVE_PRIORITY)
    _backdate_grading(priority, now - dt.timedelta(minutes=90))
    contact.allocate_resource(actor=handler, incident=priority, officer=response)
    # Arrived after the grade's target (domain.md 2.2 grade 2): the missed target opens the
    # control-room supervisor's review duty (contact/policies.py), left waiting for the demo.
    contact.record_arrival(
        actor=response, incident=priority, at=now - dt.timedelta(minutes=5), note="Delayed"
    )

    scheduled = contact.record_call(
        actor=handler,
        channel="online",
        account="My bike was taken from the shed overnight. The padlock was cut.",
        summary="Pedal cycle stolen from a shed, Ashton-on-Ribble",
        owning_unit=team,
        may_be_crime=True,
        received_at=now - dt.timedelta(minutes=70),
    ).incident
    contact.grade_call(actor=handler, incident=scheduled, grade="scheduled", **THRIVE_SCHEDULED)
    tomorrow = timezone.localtime(now).replace(hour=10, minute=0, second=0, microsecond=0)
    tomorrow += dt.timedelta(days=1)
    slot = diary.create_slot(
        actor=sergeant,
        team=team,
        starts_at=tomorrow,
        ends_at=tomorrow + dt.timedelta(hours=2),
        capacity=4,
    )
    diary.book_appointment(
        actor=handler, incident=scheduled, slot=slot, note="Side gate is unlocked"
    )
    return {"emergency": emergency, "priority": priority, "scheduled": scheduled}


def _person(actor: User, given: str, family: str, born: dt.date):
    return persons.create_person(
        actor=actor,
        given_names=given,
        family_name=family,
        dob_year=born.year,
        dob_month=born.month,
        dob_day=born.day,
    )


def _victim(event: Event) -> VictimRecord:
    return VictimRecord.objects.get(crime=event)


@transaction.atomic
def live_journey(users: dict[str, User], units: dict[str, Unit]) -> DemoWork:
    now = timezone.now()
    team = units["preston-response"]
    response, investigator = users["response"], users["investigator"]
    sergeant, qa_user = users["sergeant"], users["qa"]
    incidents = calls(users, team, now)

    # A sexual offence (HOCR group: enhanced victim, domain.md 1.3) recorded from the emergency,
    # with the ex-partner as suspect; it needs a specially trained officer, which the demo
    # investigator is (skills are kept by supervisors).
    victim_born = dt.date(1990, 3, 14)
    victim = _person(response, "Hannah", "Whitworth", victim_born)
    suspect = _person(response, "Lee", "Garside", dt.date(1986, 11, 2))
    investigation.add_officer_skill(actor=sergeant, officer=investigator, skill="sto")
    assault = recording.record_crime(
        actor=response,
        summary="Sexual assault by ex-partner at the victim's home, Avenham",
        owning_unit=team,
        # 20A: sexual assault on a female aged 13 and over (reference/data/ho_offence_codes*.csv)
        offence_code="20A",
        incident=incidents["emergency"],
        victims=[victim],
        suspects=[suspect],
        modus_operandi="Ex-partner let himself in with a kept key",
        flags=["domestic_abuse"],  # by an ex-partner: flagged when recorded (domain.md 1.3)
    ).event
    investigation.allocate_investigation(actor=sergeant, crime=assault, officer=investigator)
    investigation.add_enquiry_line(
        actor=investigator,
        crime=assault,
        kind="forensic",
        description="Victim's clothing to the lab; medical examination at the SARC",
    )
    supervision.record_investigation_update(
        actor=investigator,
        crime=assault,
        text="Suspect arrested at the scene and interviewed; samples sent for analysis.",
    )
    supervision.record_investigation_update(
        actor=investigator,
        crime=assault,
        text="The man you named has been arrested and interviewed. We will tell you as soon as "
        "the forensic results are back.",
        victim_visible=True,
    )
    supervision.record_supervisor_review(
        actor=sergeant,
        event=assault,
        direction="Good start. Apply for bail conditions keeping him away from the address; "
        "refer to the IDVA; review again in 7 days.",
    )
    record = victims.record_needs_assessment(
        actor=investigator,
        victim=_victim(assault),
        channel="phone",
        phone="07700 900461",
        times_to_avoid="School run, 08:00-09:00 and 15:00-16:00",
        needs=[],
        needs_notes="Wants a female officer; has a friend staying with her",
        referral_consent="given",
    )
    # Her witness statement is taken: she is owed the offer of a Victim Personal Statement.
    supervision.record_victim_statement(actor=investigator, crime=assault, person=victim)
    victims.record_contact(
        actor=investigator,
        victim=record,
        channel="phone",
        summary="Explained the arrest and the next steps; gave the portal code at the visit.",
    )
    # Victim portal (victims/portal): a code given in person, printed by `bluelamp demo`.
    issued = issue_code(actor=investigator, victim_record=record, in_person=True)
    portal = PortalSignIn(
        reference=assault.reference,
        code=issued.code,
        date_of_birth=victim_born,
        name="Hannah Whitworth",
    )
    # The assault stays waiting in the QA queue (every new crime enters it).

    # A theft with a standard victim, from the scheduled call: QA returns it for correction.
    bike_owner = _person(response, "Tom", "Ashworth", dt.date(1978, 6, 30))
    theft = recording.record_crime(
        actor=response,
        summary="Pedal cycle stolen from a locked shed, Ashton-on-Ribble",
        owning_unit=team,
        offence_code="44",  # theft or unauthorised taking of a pedal cycle
        incident=incidents["scheduled"],
        victims=[bike_owner],
    ).event
    investigation.allocate_investigation(actor=sergeant, crime=theft, officer=investigator)
    qa.return_for_correction(
        actor=qa_user,
        crime=theft,
        problems=[
            {"field": "property", "text": "The bicycle (make, colour, frame number) is missing."},
            {"field": "modus_operandi", "text": "Say how the shed was entered."},
        ],
    )

    # A theft finalised with an outcome (18: no suspect identified); its victim, who chose
    # email, is sent the satisfaction survey by the worker (victims/handlers.py).
    handler = users["handler"]
    purse_owner = _person(handler, "Grace", "Moss", dt.date(1964, 1, 9))
    purse = recording.record_crime(
        actor=handler,
        summary="Purse taken from a shopping bag, Preston market",
        owning_unit=team,
        offence_code="49",  # other theft
        victims=[purse_owner],
        reported_at=now - dt.timedelta(hours=2),
    ).event
    victims.record_needs_assessment(
        actor=response,
        victim=_victim(purse),
        channel="email",
        email="grace.moss@demo.bluelamp.invalid",
    )
    supervision.allocate(actor=sergeant, event=purse, officer=response)
    outcomes.record_outcome(
        actor=sergeant,
        crime=purse,
        outcome="18",
        rationale="No CCTV covers the stall; no witnesses; no forensic opportunity.",
    )
    encompass_referral(users, team, now)
    return DemoWork(made=len(incidents) + 4, portal=portal)


def encompass_referral(users: dict[str, User], team: Unit, now: dt.datetime) -> None:
    """A domestic abuse referral from the scene with a child present, submitted through
    safeguarding/: protection/ queues its Operation Encompass notice to the child's school
    before the next school day."""
    response = users["response"]
    incident = events.record_event(
        actor=response,
        kind=EventKind.INCIDENT,
        summary="Domestic abuse at home, a child present, Ribbleton",
        owning_unit=team,
    )
    child = _person(response, "Lily", "Hargreaves", dt.date(2018, 9, 14))
    referral = safeguarding.make_referral(
        actor=response,
        concern="domestic_abuse",
        account="Raised voices reported by a neighbour; a child was upstairs.",
        victim=_person(response, "Jade", "Hargreaves", dt.date(1991, 2, 3)),
        children=[
            {"person": child, "school": "Ribbleton Avenue Primary School", "home_educated": False}
        ],
        home_postcode="PR1 5XX",
        event=incident,
    )
    dash = {str(n): {"answer": "yes" if n <= 6 else "no"} for n in range(1, 28)}
    safeguarding.assess_risk(actor=response, referral=referral, answers=dash)
    safeguarding.submit_referral(actor=response, referral=referral)
