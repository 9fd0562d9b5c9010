"""The area contract (issue 14, DESIGN.md: "Every write checks the writer's right to that record's
area in the service"): every service that writes on a record owned by a unit refuses a writer
from another district, at the service (PermissionDenied naming the area) and through the API
(403), and writes nothing. One table of operations, each called on an East crime, incident or
victim by a West user whose role may otherwise do it; and a walk over every service module that
fails when a public function that writes (takes ``actor``) is neither in the table nor in the
short, commented exemption list below, so a new write without an area check fails the suite.

Force-wide roles (call handler, QA, safeguarding, senior leader, offender manager) pass by design
(accounts/permissions.py FORCE_WIDE_ROLES); the last test shows one of them does."""

from __future__ import annotations

import ast
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.utils import timezone

import bluelamp
from bluelamp.accounts.roles import Role
from bluelamp.accounts.services import issue_api_token
from bluelamp.contact import diary
from bluelamp.contact import intake as contact_intake
from bluelamp.contact import services as contact
from bluelamp.core import events, links, persons, places, restriction
from bluelamp.core.choices import EventKind
from bluelamp.crime import classification, incidents, intake, outcomes, qa, recording, supervision
from bluelamp.crime.investigation import services as investigation
from bluelamp.crime.investigation import suspects
from bluelamp.missing import services as missing
from bluelamp.protection import disclosure, encompass, orders
from bluelamp.safeguarding import services as safeguarding
from bluelamp.victims import services as victims
from bluelamp.victims.models import VictimRecord
from bluelamp.victims.portal import access as portal_access
from bluelamp.victims.portal import services as portal
from bluelamp.victims.portal import signing_in as portal_signing_in

from .conftest import sign_in
from .protection.contract_worlds import area_world

R = Role
THRIVE = {
    f: "Recorded for the test"
    for f in (
        "threat",
        "harm",
        "risk",
        "investigation",
        "vulnerability",
        "engagement",
        "rationale",
    )
}


@dataclass(frozen=True)
class Write:
    """One write: the service function (module:name), the West role that may otherwise do it,
    the call on the East world, and the API request that reaches it (None: no API operation)."""

    service: str
    role: str
    call: Callable
    api: Callable | None = None
    page: Callable | None = None  # a signed-in page's form, for writes with no API operation


def _crime_api(path: str, payload: dict | None = None):
    return lambda w: (f"/api/crimes/{w.crime.pk}/{path}", payload or {})


def _crime_api_victim_statement(w):
    return (f"/api/crimes/{w.crime.pk}/victim-statements", {"person_id": w.victim.person_id})


WRITES = [
    # --- crime/incidents.py, recording.py and supervision.py: recording, allocation, supervision,
    # the investigation log ---
    Write(
        "crime.incidents:report_incident",
        R.RESPONSE_OFFICER,
        lambda w, a: incidents.report_incident(
            actor=a, summary="x", owning_unit=w.east_team, may_be_crime=True
        ),
        lambda w: (
            "/api/incidents",
            {"summary": "x", "owning_unit_id": w.east_team.pk, "may_be_crime": True},
        ),
    ),
    Write(
        "crime.recording:record_recording_decision",
        R.RESPONSE_OFFICER,
        lambda w, a: recording.record_recording_decision(
            actor=a, incident=w.incident, decision="no_crime", reason="x"
        ),
        lambda w: (
            f"/api/incidents/{w.incident.pk}/decision",
            {"decision": "no_crime", "reason": "x"},
        ),
    ),
    Write(
        "crime.incidents:identify_possible_crime",  # NCRS: a crime found after the report
        R.RESPONSE_OFFICER,
        lambda w, a: incidents.identify_possible_crime(
            actor=a, incident=w.incident, reason="x", may_be_rape=True
        ),
        lambda w: (
            f"/api/incidents/{w.incident.pk}/crime-identified",
            {"reason": "x", "may_be_rape": True},
        ),
    ),
    Write(
        "crime.supervision:record_victim_statement",  # opens the VPS offer (Victims' Code right 7)
        R.INVESTIGATOR,
        lambda w, a: supervision.record_victim_statement(
            actor=a, crime=w.crime, person=w.victim.person
        ),
        _crime_api_victim_statement,
    ),
    Write(
        "crime.recording:record_crime",  # from an East incident into a West team
        R.RESPONSE_OFFICER,
        lambda w, a: recording.record_crime(
            actor=a, summary="x", owning_unit=w.west_team, offence_code="49", incident=w.incident
        ),
        lambda w: (
            "/api/crimes",
            {
                "summary": "x",
                "offence_code": "49",
                "owning_unit_id": w.west_team.pk,
                "incident_id": w.incident.pk,
            },
        ),
    ),
    Write(
        "crime.intake:record_crime_with_people",  # the page's and the API's use case
        R.RESPONSE_OFFICER,
        lambda w, a: intake.record_crime_with_people(
            actor=a,
            details=intake.CrimeDetails(
                summary="x", owning_unit=w.west_team, offence_code="49", incident_id=w.incident.pk
            ),
            parties=[],
        ),
        lambda w: (
            "/api/crimes",
            {
                "summary": "x",
                "offence_code": "49",
                "owning_unit_id": w.west_team.pk,
                "incident_id": w.incident.pk,
            },
        ),
    ),
    Write(
        "crime.supervision:allocate",
        R.SUPERVISOR,
        lambda w, a: supervision.allocate(actor=a, event=w.crime, officer=w.west_investigator),
        lambda w: (f"/api/events/{w.crime.pk}/allocation", {"officer_id": w.west_inv_id}),
    ),
    Write(
        "crime.supervision:record_supervisor_review",
        R.SUPERVISOR,
        lambda w, a: supervision.record_supervisor_review(actor=a, event=w.crime, direction="x"),
        lambda w: (f"/api/events/{w.crime.pk}/reviews", {"direction": "x"}),
    ),
    Write(
        "crime.recording:add_party",
        R.RESPONSE_OFFICER,
        lambda w, a: recording.add_party(actor=a, crime=w.crime, person=w.other, role="witness"),
    ),
    Write(
        "crime.supervision:record_investigation_update",  # shared with the victim
        R.INVESTIGATOR,
        lambda w, a: supervision.record_investigation_update(
            actor=a, crime=w.crime, text="x", victim_visible=True
        ),
        _crime_api("updates", {"text": "x", "victim_visible": True}),
    ),
    # --- crime/investigation/services.py and suspects.py ---
    Write(
        "crime.investigation.services:allocate_investigation",
        R.SUPERVISOR,
        lambda w, a: investigation.allocate_investigation(
            actor=a, crime=w.crime, officer=w.west_investigator
        ),
        lambda w: (
            f"/api/crimes/{w.crime.pk}/investigation/allocation",
            {"officer_id": w.west_inv_id},
        ),
    ),
    Write(
        "crime.investigation.services:add_enquiry_line",
        R.INVESTIGATOR,
        lambda w, a: investigation.add_enquiry_line(
            actor=a, crime=w.crime, kind="cctv", description="x"
        ),
        _crime_api("lines", {"kind": "cctv", "description": "x"}),
    ),
    Write(
        "crime.investigation.services:update_enquiry_line",
        R.INVESTIGATOR,
        lambda w, a: investigation.update_enquiry_line(
            actor=a, crime=w.crime, line_id=w.line.pk, status="in_progress"
        ),
        lambda w: (
            f"/api/crimes/{w.crime.pk}/lines/status",
            {"line_id": w.line.pk, "status": "in_progress"},
        ),
    ),
    Write(
        "crime.investigation.services:record_prosecution_wish",
        R.INVESTIGATOR,
        lambda w, a: investigation.record_prosecution_wish(actor=a, crime=w.crime, wish="supports"),
        _crime_api("wishes", {"wish": "supports"}),
    ),
    Write(
        "crime.investigation.services:record_forensic_decision",
        R.INVESTIGATOR,
        lambda w, a: investigation.record_forensic_decision(
            actor=a, crime=w.crime, kind="submission", decided_yes=True, rationale="x"
        ),
        _crime_api(
            "forensic-decisions", {"kind": "submission", "decided_yes": True, "rationale": "x"}
        ),
    ),
    Write(
        "crime.investigation.services:request_device_examination",
        R.INVESTIGATOR,
        lambda w, a: investigation.request_device_examination(
            actor=a, crime=w.crime, what_is_sought="x", device_description="Phone"
        ),
        _crime_api("device-examinations", {"what_is_sought": "x", "device_description": "Phone"}),
    ),
    Write(
        "crime.investigation.services:move_device_examination",
        R.INVESTIGATOR,
        lambda w, a: investigation.move_device_examination(
            actor=a, crime=w.crime, request_id=w.exam.pk, status="accepted"
        ),
        lambda w: (
            f"/api/crimes/{w.crime.pk}/device-examinations/status",
            {"request_id": w.exam.pk, "status": "accepted"},
        ),
    ),
    Write(
        "crime.investigation.suspects:record_arrest",
        R.INVESTIGATOR,
        lambda w, a: suspects.record_arrest(actor=a, crime=w.crime, person=w.suspect),
        lambda w: (f"/api/crimes/{w.crime.pk}/suspects/arrest", {"person_id": w.suspect.pk}),
    ),
    Write(
        "crime.investigation.suspects:record_interview",
        R.INVESTIGATOR,
        lambda w, a: suspects.record_interview(actor=a, crime=w.crime, person=w.suspect),
        lambda w: (f"/api/crimes/{w.crime.pk}/suspects/interview", {"person_id": w.suspect.pk}),
    ),
    Write(
        "crime.investigation.suspects:record_release",
        R.INVESTIGATOR,
        lambda w, a: suspects.record_release(actor=a, crime=w.crime, person=w.suspect, how="nfa"),
        lambda w: (
            f"/api/crimes/{w.crime.pk}/suspects/release",
            {"person_id": w.suspect.pk, "how": "nfa"},
        ),
    ),
    Write(
        "crime.investigation.suspects:record_disposal",
        R.INVESTIGATOR,
        lambda w, a: suspects.record_disposal(
            actor=a, crime=w.crime, person=w.suspect, disposal="charge"
        ),
        lambda w: (
            f"/api/crimes/{w.crime.pk}/suspects/disposal",
            {"person_id": w.suspect.pk, "disposal": "charge"},
        ),
    ),
    Write(
        "crime.investigation.services:record_not_investigated",
        R.INVESTIGATOR,
        lambda w, a: investigation.record_not_investigated(
            actor=a, crime=w.crime, reason="other", explanation="x"
        ),
        _crime_api("not-investigated", {"reason": "other", "explanation": "x"}),
    ),
    # --- crime/classification.py, outcomes.py, qa.py ---
    Write(
        "crime.classification:reclassify",
        R.INVESTIGATOR,
        lambda w, a: classification.reclassify(
            actor=a, crime=w.crime, offence_code="8N", reason="x"
        ),
        _crime_api("classification", {"offence_code": "8N", "reason": "x"}),
    ),
    Write(
        "crime.classification:cancel",  # the West sergeant holds a DDM's authority
        R.SUPERVISOR,
        lambda w, a: classification.cancel(actor=a, crime=w.crime, reason="C2", rationale="x"),
        _crime_api("cancellation", {"reason": "C2", "rationale": "x"}),
    ),
    Write(
        "crime.outcomes:record_outcome",
        R.SUPERVISOR,
        lambda w, a: outcomes.record_outcome(
            actor=a, crime=w.crime, outcome="1", suspect=w.suspect
        ),
        lambda w: (
            f"/api/crimes/{w.crime.pk}/outcome",
            {"outcome": "1", "suspect_id": w.suspect.pk},
        ),
    ),
    Write(
        "crime.qa:resubmit",
        R.RESPONSE_OFFICER,
        lambda w, a: qa.resubmit(actor=a, crime=w.crime),
        _crime_api("qa/resubmit"),
    ),
    Write(
        "crime.qa:request_priority",
        R.RESPONSE_OFFICER,
        lambda w, a: qa.request_priority(actor=a, crime=w.crime, reason="x"),
        _crime_api("qa/priority", {"reason": "x"}),
    ),
    # --- victims/services.py ---
    Write(
        "victims.services:record_needs_assessment",  # the attacker's address (issue 14)
        R.RESPONSE_OFFICER,
        lambda w, a: victims.record_needs_assessment(
            actor=a, victim=w.victim, channel="email", email="someone@attacker.example"
        ),
        lambda w: (
            f"/api/victims/{w.victim.pk}/needs",
            {"channel": "email", "email": "someone@attacker.example"},
        ),
    ),
    Write(
        "victims.services:change_entitlement",
        R.RESPONSE_OFFICER,
        lambda w, a: victims.change_entitlement(
            actor=a, victim=w.victim, reasons=["vulnerable"], rationale="x"
        ),
        lambda w: (
            f"/api/victims/{w.victim.pk}/entitlement",
            {"reasons": ["vulnerable"], "rationale": "x"},
        ),
    ),
    Write(
        "victims.services:record_contact",
        R.RESPONSE_OFFICER,
        lambda w, a: victims.record_contact(actor=a, victim=w.victim, channel="phone", summary="x"),
        lambda w: (f"/api/victims/{w.victim.pk}/contacts", {"channel": "phone", "summary": "x"}),
    ),
    # --- safeguarding/services.py: a referral hangs off the incident or crime it came from ---
    Write(
        "safeguarding.services:make_referral",
        R.RESPONSE_OFFICER,
        lambda w, a: safeguarding.make_referral(
            actor=a, concern="child", account="x", victim=w.other, event=w.crime
        ),
        lambda w: (
            "/api/safeguarding/referrals",
            {"concern": "child", "account": "x", "victim_id": w.other.pk, "event_id": w.crime.pk},
        ),
    ),
    # --- victims/portal/: the staff side of Track my crime ---
    Write(
        "victims.portal.access:issue_code",
        R.RESPONSE_OFFICER,
        lambda w, a: portal_access.issue_code(actor=a, victim_record=w.victim, in_person=True),
    ),
    Write(
        "victims.portal.signing_in:unlock",
        R.RESPONSE_OFFICER,
        lambda w, a: portal_signing_in.unlock(actor=a, crime=w.crime),
    ),
    Write(
        "victims.portal.services:reply_to_message",
        R.RESPONSE_OFFICER,
        lambda w, a: portal.reply_to_message(actor=a, message=w.victim_message, text="x"),
    ),
    # --- contact/: calls, the incident log, vulnerability, the diary ---
    Write(
        "contact.intake:take_call",  # the page's and the API's use case
        R.RESPONSE_OFFICER,
        lambda w, a: contact_intake.take_call(
            actor=a,
            details=contact_intake.CallDetails(
                channel="101", account="x", summary="x", owning_unit=w.east_team
            ),
        ),
        lambda w: (
            "/api/calls",
            {"channel": "101", "account": "x", "summary": "x", "owning_unit_id": w.east_team.pk},
        ),
    ),
    Write(
        "contact.services:record_call",
        R.RESPONSE_OFFICER,
        lambda w, a: contact.record_call(
            actor=a, channel="101", account="x", summary="x", owning_unit=w.east_team
        ),
        lambda w: (
            "/api/calls",
            {"channel": "101", "account": "x", "summary": "x", "owning_unit_id": w.east_team.pk},
        ),
    ),
    Write(
        "contact.services:grade_call",
        R.SUPERVISOR,
        lambda w, a: contact.grade_call(actor=a, incident=w.incident, grade="priority", **THRIVE),
        lambda w: (f"/api/incidents/{w.incident.pk}/grade", {"grade": "priority", **THRIVE}),
    ),
    Write(
        "contact.services:review_missed_target",
        R.SUPERVISOR,
        lambda w, a: contact.review_missed_target(
            actor=a, incident=w.incident, grade="priority", reason="x", **THRIVE
        ),
        lambda w: (
            f"/api/incidents/{w.incident.pk}/grade",
            {"grade": "priority", "reason": "x", "review": True, **THRIVE},
        ),
    ),
    Write(
        "contact.services:allocate_resource",
        R.SUPERVISOR,
        lambda w, a: contact.allocate_resource(
            actor=a, incident=w.incident, officer=w.west_investigator
        ),
        lambda w: (
            f"/api/incidents/{w.incident.pk}/log",
            {"step": "allocated", "officer_id": w.west_inv_id},
        ),
    ),
    Write(
        "contact.services:record_arrival",
        R.RESPONSE_OFFICER,
        lambda w, a: contact.record_arrival(actor=a, incident=w.incident),
        lambda w: (f"/api/incidents/{w.incident.pk}/log", {"step": "arrived"}),
    ),
    Write(
        "contact.services:close_incident",
        R.RESPONSE_OFFICER,
        lambda w, a: contact.close_incident(actor=a, incident=w.incident, note="x"),
        lambda w: (f"/api/incidents/{w.incident.pk}/log", {"step": "closed", "note": "x"}),
    ),
    Write(
        "contact.services:record_vulnerability",
        R.RESPONSE_OFFICER,
        lambda w, a: contact.record_vulnerability(
            actor=a, incident=w.incident, kinds=["mental_health"], people=[w.other]
        ),
        lambda w: (
            f"/api/incidents/{w.incident.pk}/vulnerability",
            {"kinds": ["mental_health"], "people": [w.other.pk]},
        ),
    ),
    Write(
        "contact.diary:create_slot",
        R.SUPERVISOR,
        lambda w, a: diary.create_slot(
            actor=a, team=w.east_team, starts_at=w.tomorrow, ends_at=w.tomorrow_end, capacity=2
        ),
        page=lambda w: (
            "/diary/slots/",
            {
                "team": w.east_team.pk,
                "starts_at": f"{timezone.localtime(w.tomorrow):%Y-%m-%dT%H:%M}",
                "ends_at": f"{timezone.localtime(w.tomorrow_end):%Y-%m-%dT%H:%M}",
                "capacity": 2,
            },
        ),
    ),
    Write(
        "contact.diary:book_appointment",
        R.SUPERVISOR,
        lambda w, a: diary.book_appointment(actor=a, incident=w.incident, slot=w.slot),
        lambda w: (f"/api/incidents/{w.incident.pk}/appointment", {"slot_id": w.slot.pk}),
    ),
    # --- core/events.py, links.py and restriction.py: events and what is linked to them ---
    Write(
        "core.events:record_event",
        R.RESPONSE_OFFICER,
        # (POST /api/events records in the writer's own unit: no route to another's.)
        lambda w, a: events.record_event(
            actor=a, kind=EventKind.INCIDENT, summary="x", owning_unit=w.east_team
        ),
    ),
    Write(
        "core.events:record_other_event",
        R.RESPONSE_OFFICER,
        # (POST /api/events and the page record in the writer's own unit: no route to another's.)
        lambda w, a: events.record_other_event(
            actor=a, kind=EventKind.ASB, summary="x", owning_unit=w.east_team
        ),
    ),
    Write(
        "core.events:change_event",
        R.RESPONSE_OFFICER,
        lambda w, a: events.change_event(actor=a, event=w.crime, summary="Changed"),
    ),
    Write(
        "core.links:link_person_to_event",
        R.RESPONSE_OFFICER,
        lambda w, a: links.link_person_to_event(
            actor=a, person=w.other, event=w.crime, role="witness"
        ),
        lambda w: (
            f"/api/events/{w.crime.pk}/people",
            {"person_id": w.other.pk, "role": "witness"},
        ),
    ),
    Write(
        "core.links:link_people_to_event",
        R.RESPONSE_OFFICER,
        lambda w, a: links.link_people_to_event(
            actor=a, event=w.crime, people=[(w.other, "witness")]
        ),
    ),
    Write(
        "core.links:link_object_to_event",
        R.RESPONSE_OFFICER,
        lambda w, a: links.link_object_to_event(actor=a, obj=w.phone, event=w.crime, role="stolen"),
    ),
    Write(
        "core.restriction:restrict_record",
        R.SUPERVISOR,
        lambda w, a: restriction.restrict_record(actor=a, record=w.crime, reason="x"),
        page=lambda w: (f"/events/{w.crime.pk}/restrict/", {"reason": "x"}),
    ),
    Write(
        "core.restriction:grant_access",
        R.SUPERVISOR,
        lambda w, a: restriction.grant_access(
            actor=a, record=w.crime, user=w.west_investigator, reason="x"
        ),
    ),
]


def _missing_api(path: str, payload: dict, report: str = "east_missing"):
    return lambda w: (f"/api/missing/{getattr(w, report).pk}/{path}", payload)


_SEEN = dt.datetime(2026, 1, 10, 11, tzinfo=dt.UTC)  # after the East reports' last sighting
# protection/ and missing/: East records held by West officers (tests/protection/contract_worlds.py)
WRITES += [
    Write(
        "protection.encompass:record_phone_confirmation",
        R.RESPONSE_OFFICER,
        lambda w, a: encompass.record_phone_confirmation(
            actor=a, notice=w.east_notice, spoke_to="DSL"
        ),
        lambda w: (f"/api/encompass/{w.east_notice.pk}/confirmation", {"spoke_to": "DSL"}),
    ),
    Write(
        "missing.services:report_missing",
        R.RESPONSE_OFFICER,
        lambda w, a: missing.report_missing(
            actor=a,
            person=w.other,
            owning_unit=w.east_team,
            last_seen_at=_SEEN,
            last_seen_where="x",
            missing_from="home",
            circumstances="x",
            risk_grade="low",
            risk_reasons="x",
        ),
        lambda w: (
            "/api/missing",
            {
                "person_id": w.other.pk,
                "owning_unit_id": w.east_team.pk,
                "last_seen_at": _SEEN.isoformat(),
                "last_seen_where": "x",
                "missing_from": "home",
                "circumstances": "x",
                "risk_grade": "low",
                "risk_reasons": "x",
            },
        ),
    ),
    Write(
        "missing.services:record_review",
        R.SUPERVISOR,
        lambda w, a: missing.record_review(
            actor=a, report=w.east_missing_sergeant, grade="low", reasons="x"
        ),
        _missing_api("reviews", {"grade": "low", "reasons": "x"}, "east_missing_sergeant"),
    ),
    Write(
        "missing.services:record_sighting",
        R.RESPONSE_OFFICER,
        lambda w, a: missing.record_sighting(
            actor=a, report=w.east_missing, seen_at=_SEEN, where="x", reported_by="x"
        ),
        _missing_api("sightings", {"seen_at": _SEEN.isoformat(), "where": "x", "reported_by": "x"}),
    ),
    Write(
        "missing.services:add_enquiry",
        R.RESPONSE_OFFICER,
        lambda w, a: missing.add_enquiry(actor=a, report=w.east_missing, description="x"),
        _missing_api("enquiries", {"description": "x"}),
    ),
    Write(
        "missing.services:complete_enquiry",
        R.RESPONSE_OFFICER,
        lambda w, a: missing.complete_enquiry(
            actor=a, report=w.east_missing, enquiry_id=1, result="x"
        ),
        _missing_api("enquiries/done", {"enquiry_id": 1, "result": "x"}),
    ),
    Write(
        "missing.services:record_return",
        R.RESPONSE_OFFICER,
        lambda w, a: missing.record_return(
            actor=a, report=w.east_missing, returned_at=_SEEN, found_where="x"
        ),
        _missing_api("return", {"returned_at": _SEEN.isoformat(), "found_where": "x"}),
    ),
    Write(
        "missing.services:record_safe_and_well",
        R.RESPONSE_OFFICER,
        lambda w, a: missing.record_safe_and_well(actor=a, report=w.east_missing, findings="x"),
        _missing_api("safe-and-well", {"findings": "x"}),
    ),
    Write(
        "missing.services:record_return_interview",
        R.RESPONSE_OFFICER,
        lambda w, a: missing.record_return_interview(
            actor=a, report=w.east_missing, outcome="offered", provider="x"
        ),
        _missing_api("return-interview", {"outcome": "offered", "provider": "x"}),
    ),
    Write(
        "protection.orders:serve_notice",
        R.RESPONSE_OFFICER,
        lambda w, a: orders.serve_notice(
            actor=a,
            perpetrator=w.suspect,
            victim=w.other,
            owning_unit=w.east_team,
            authorising_officer="x",
            authorising_rank="superintendent",
            grounds="x",
            children_welfare="x",
            victim_opinion="x",
            perpetrator_representations="x",
        ),
        lambda w: (
            "/api/dvpn",
            {
                "perpetrator_id": w.suspect.pk,
                "victim_id": w.other.pk,
                "owning_unit_id": w.east_team.pk,
                "authorising_officer": "x",
                "authorising_rank": "superintendent",
                "grounds": "x",
                "children_welfare": "x",
                "victim_opinion": "x",
                "perpetrator_representations": "x",
            },
        ),
    ),
    Write(
        "protection.orders:record_hearing",
        R.RESPONSE_OFFICER,
        lambda w, a: orders.record_hearing(
            actor=a, notice=w.east_dvpn, made=True, court="x", days=14
        ),
        lambda w: (
            f"/api/dvpn/{w.east_dvpn.pk}/hearing",
            {"made": True, "court": "x", "days": 14},
        ),
    ),
    Write(
        "protection.orders:record_breach",
        R.RESPONSE_OFFICER,
        lambda w, a: orders.record_breach(actor=a, notice=w.east_dvpn, at=_SEEN, account="x"),
        lambda w: (
            f"/api/dvpn/{w.east_dvpn.pk}/breaches",
            {"at": _SEEN.isoformat(), "account": "x"},
        ),
    ),
    Write(
        "protection.orders:record_arrest",
        R.RESPONSE_OFFICER,
        lambda w, a: orders.record_arrest(actor=a, breach=w.east_breach, note="x"),
        lambda w: (
            f"/api/dvpn/{w.east_dvpn.pk}/breaches/arrest",
            {"breach_id": w.east_breach.pk, "note": "x"},
        ),
    ),
    Write(
        "protection.disclosure:receive_application",
        R.RESPONSE_OFFICER,
        lambda w, a: disclosure.receive_application(
            actor=a,
            route="right_to_know",
            person_at_risk=w.other,
            subject=w.suspect,
            owning_unit=w.east_team,
            reason="x",
        ),
        lambda w: (
            "/api/clares-law",
            {
                "route": "right_to_know",
                "person_at_risk_id": w.other.pk,
                "subject_id": w.suspect.pk,
                "owning_unit_id": w.east_team.pk,
                "reason": "x",
            },
        ),
    ),
    Write(
        "protection.disclosure:record_check",
        R.RESPONSE_OFFICER,
        lambda w, a: disclosure.record_check(
            actor=a, application=w.east_dvds, source="pnc", finding="x"
        ),
        lambda w: (
            f"/api/clares-law/{w.east_dvds.pk}/checks",
            {"source": "pnc", "finding": "x"},
        ),
    ),
    Write(
        "protection.disclosure:record_disclosure",
        R.RESPONSE_OFFICER,
        lambda w, a: disclosure.record_disclosure(
            actor=a, application=w.east_dvds, what_was_said="x"
        ),
        lambda w: (
            f"/api/clares-law/{w.east_dvds.pk}/disclosure",
            {"what_was_said": "x"},
        ),
    ),
]

# Public functions that write and take ``actor`` but are not area-checked, each with why. Keep
# this short: a write on a record owned by a unit belongs in WRITES.
EXEMPT = {
    # Records with no owning unit, shared by the whole force (people, places, objects,
    # organisations and the links between them): the area rule is for records a unit owns.
    "core.persons:create_people": "people are force-wide records",
    "core.persons:change_person": "people are force-wide records",
    "core.persons:add_name": "people are force-wide records",
    "core.persons:add_identifier": "people are force-wide records",
    "core.persons:add_warning_marker": "people are force-wide records",
    "core.links:relate_people": "a link between two force-wide people",
    "core.links:link_person_to_location": "a link between a person and a place",
    "core.places:create_location": "places are force-wide records",
    "core.places:change_location": "places are force-wide records",
    "core.places:create_object": "objects are force-wide records",
    "core.places:create_organisation": "organisations are force-wide records",
    "people.entry:resolve_person": "which person an entry meant: force-wide people",
    "people.entry:resolve_people": "which people the entries meant: force-wide people",
    "people.dedupe:mark_not_same": "de-duplicating force-wide people (QA, supervisors)",
    "people.dedupe:merge": "de-duplicating force-wide people (QA, supervisors)",
    "people.dedupe:unmerge": "de-duplicating force-wide people (QA, supervisors)",
    "people.dedupe:train_model": "the matching model, force-wide (QA, analysts)",
    "people.dedupe:find_duplicates": "the matching model, force-wide (QA, analysts)",
    "people.review:review_groups": "reviewing duplicates of force-wide people (QA, supervisors)",
    # Users and their authorities: administrators, senior leaders, supervisors' skills records.
    "accounts.services:create_user": "user accounts: administrators (user.manage)",
    # The administrator's writers (administration/): staff accounts, their tokens and the
    # force's units are force-wide records no unit owns; withdrawing a grant takes access away
    # and changes no record (user.manage, unit.manage, access.revoke: administrators only).
    "accounts.staff:add_user": "user accounts: administrators (user.manage)",
    "accounts.staff:change_user": "user accounts: administrators (user.manage)",
    "accounts.staff:disable_user": "user accounts: administrators (user.manage)",
    "accounts.staff:enable_user": "user accounts: administrators (user.manage)",
    "accounts.staff:unlock_user": "user accounts: administrators (user.manage)",
    "accounts.staff:reset_sign_in": "user accounts: administrators (user.manage)",
    "accounts.services:issue_api_token": "a user's API token: administrators (user.manage)",
    "accounts.services:revoke_api_token": "a user's API token: administrators (user.manage)",
    "accounts.services:create_unit": "the force's units: administrators (unit.manage)",
    "accounts.services:rename_unit": "the force's units: administrators (unit.manage)",
    "accounts.services:move_unit": "the force's units: administrators (unit.manage)",
    "core.restriction:revoke_access": "withdraws access, changes no record (access.revoke)",
    "crime.classification:grant_authority": "a user's DDM/FCR authority: senior leaders",
    "crime.classification:withdraw_authority": "a user's DDM/FCR authority: senior leaders",
    "crime.investigation.services:add_officer_skill": "an officer's skill is a user record",
    # Only a force-wide role may call these (crime.qa_check is QA's alone), so no West user can.
    "crime.qa:accept": "quality assurance only, a force-wide role",
    "crime.qa:return_for_correction": "quality assurance only, a force-wide role",
    # Steps inside a service that has already checked the area, or the worker's (actor None).
    "contact.services:mark_target_missed": "inside record_arrival/close_incident, and the worker",
    "victims.services:open_victim_record": "a reaction in the crime's own transaction",
    "victims.services:reassess_entitlement": "a reaction in the crime's own transaction",
    "victims.contact_details:record_contact_details_change": "inside the writers of email/phone",
    "core.history:log_change": "the history row of the caller's (checked) change",
    "core.writes:written": "the save, history, audit and event of the caller's (checked) change",
    "duties.services:emit": "the domain event of the caller's (checked) change",
    "notify.services:send": "queues a message for the caller's (checked) change",
    "victims.queries:satisfaction": "a read (its audit row only)",
    # safeguarding/: after the referral is made (its area checked there), only the referring
    # officer's own writes or the safeguarding role's (force-wide) reach it.
    "safeguarding.services:add_attachment": "the referring officer's own referral, or MASH",
    "safeguarding.services:assess_risk": "the referring officer's own referral, or MASH",
    "safeguarding.services:submit_referral": "the referring officer's own referral, or MASH",
    "safeguarding.mash:record_safeguarding_plan": "the referring officer's own referral, or MASH",
    "safeguarding.mash:record_follow_up_visit": "the referring officer's own referral, or MASH",
    "safeguarding.mash:triage_referral": "safeguarding role only, a force-wide role",
    "safeguarding.mash:add_partner_note": "safeguarding role only, a force-wide role",
    "safeguarding.mash:give_feedback": "safeguarding role only, a force-wide role",
    "safeguarding.mash:add_rota_shift": "safeguarding role only, a force-wide role",
    "safeguarding.marac:schedule_meeting": "safeguarding role only, a force-wide role",
    "safeguarding.marac:list_case": "safeguarding role only, a force-wide role",
    "safeguarding.marac:add_action": "safeguarding role only, a force-wide role",
    "safeguarding.marac:complete_action": "the action's named owner, or MARAC staff",
    "safeguarding.marac:consider": "a reaction in the submitting referral's own transaction",
    # Only the safeguarding role (force-wide) records the Clare's Law panel's decision.
    "protection.disclosure:record_decision": "safeguarding only, a force-wide role",
    # The victim's own writes in the portal are checked against their signed-in record.
    "victims.portal.services:change_preferences": "the victim's own record (portal sign-in)",
    "victims.portal.services:send_message": "the victim's own record (portal sign-in)",
}


@pytest.fixture
def world(units, make_user):
    """An East crime (victim, suspect, a line of enquiry, a device examination, returned by QA),
    an open East incident, a slot in East's diary; and West users in the roles that write."""
    east = units["east-response"]
    east_officer = make_user(R.RESPONSE_OFFICER, "east-response")
    east_sergeant = make_user(R.SUPERVISOR, "east-response")
    east_investigator = make_user(R.INVESTIGATOR, "east-response")
    handler = make_user(R.CALL_HANDLER)
    quality = make_user(R.QUALITY_ASSURANCE)
    chief = make_user(R.SENIOR_LEADER)
    victim = persons.create_person(actor=east_officer, given_names="Vi", family_name="Ctim")
    suspect = persons.create_person(actor=east_officer, given_names="Sus", family_name="Pect")
    other = persons.create_person(actor=east_officer, given_names="Wit", family_name="Ness")
    recorded = recording.record_crime(
        actor=east_officer,
        summary="Purse taken",
        owning_unit=east,
        offence_code="49",
        victims=[victim],
        suspects=[suspect],
    ).event
    line = investigation.add_enquiry_line(
        actor=east_investigator, crime=recorded, kind="cctv", description="Shop camera"
    )
    exam = investigation.request_device_examination(
        actor=east_investigator, crime=recorded, what_is_sought="x", device_description="Phone"
    )
    qa.return_for_correction(
        actor=quality, crime=recorded, problems=[{"field": "property", "text": "Say what"}]
    )
    incident = incidents.report_incident(
        actor=handler, summary="Shouting in the street", owning_unit=east, may_be_crime=True
    )
    tomorrow = timezone.now().replace(microsecond=0) + dt.timedelta(days=1)
    slot = diary.create_slot(
        actor=east_sergeant,
        team=east,
        starts_at=tomorrow,
        ends_at=tomorrow + dt.timedelta(hours=2),
        capacity=2,
    )
    phone = places.create_object(actor=east_officer, kind="device", description="A phone")
    west = {
        R.RESPONSE_OFFICER: make_user(R.RESPONSE_OFFICER, "west-response"),
        R.INVESTIGATOR: make_user(R.INVESTIGATOR, "west-cid"),
        R.SUPERVISOR: make_user(R.SUPERVISOR, "west-response"),
    }
    classification.grant_authority(actor=chief, user=west[R.SUPERVISOR], kind="ddm")
    victim_record = VictimRecord.objects.get(crime=recorded, person=victim)
    return SimpleNamespace(
        **area_world(units, east_officer, west),
        crime=recorded,
        victim=victim_record,
        victim_message=portal.send_message(
            actor=portal_access.actor_for(victim_record), victim=victim_record, text="Any news?"
        ),
        suspect=suspect,
        other=other,
        line=line,
        exam=exam,
        incident=incident,
        slot=slot,
        phone=phone,
        east_team=east,
        west_team=units["west-response"],
        west=west,
        west_investigator=west[R.INVESTIGATOR],
        west_inv_id=west[R.INVESTIGATOR].pk,
        tomorrow=tomorrow + dt.timedelta(hours=3),
        tomorrow_end=tomorrow + dt.timedelta(hours=5),
        quality=quality,
    )


def _written_state() -> dict:
    """Every row count of every bluelamp table but the audit log (a refusal may be audited), and
    the rows a write changes in place."""
    state = {}
    for model in apps.get_models():
        if model.__module__.startswith("bluelamp.") and model._meta.app_label != "audit":
            state[model._meta.label] = model.objects.count()
    for label in (
        "core.Event",
        "crime.Crime",
        "crime.QACheck",
        "crime.EnquiryLine",
        "crime.DeviceExamination",
        "victims.VictimRecord",
        "contact.Assessment",
    ):
        state[f"{label} rows"] = list(apps.get_model(label).objects.order_by("pk").values())
    return state


@pytest.mark.parametrize("write", WRITES, ids=[w.service for w in WRITES])
def test_a_write_from_another_district_is_refused_and_writes_nothing(client, world, write):
    actor = world.west[write.role]
    before = _written_state()
    with pytest.raises(PermissionDenied, match="outside your area"):
        write.call(world, actor)
    assert _written_state() == before
    if write.api is not None:
        path, payload = write.api(world)
        token = issue_api_token(user=actor, name="contract")
        before = _written_state()
        response = client.post(
            path, payload, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        assert response.status_code == 403, response.content[:300]
        assert "outside your area" in response.json()["detail"]
        assert _written_state() == before
    if write.page is not None:
        path, form = write.page(world)
        sign_in(client, actor)
        before = _written_state()
        response = client.post(path, form)
        assert response.status_code == 403, response.content[:300]
        assert "is outside your area" in response.content.decode()
        assert _written_state() == before


def test_the_same_writes_in_the_writers_own_district_are_not_refused(world, make_user):
    """The refusals above are the area check, not something else: East's own officers pass it
    (a representative write per module), and a force-wide role passes everywhere."""
    east_investigator = make_user(R.INVESTIGATOR, "east-response")
    investigation.add_enquiry_line(
        actor=east_investigator, crime=world.crime, kind="cctv", description="Another"
    )
    supervision.record_investigation_update(actor=east_investigator, crime=world.crime, text="x")
    victims.record_contact(
        actor=make_user(R.RESPONSE_OFFICER, "east-response"),
        victim=world.victim,
        channel="phone",
        summary="x",
    )
    contact.record_arrival(
        actor=make_user(R.RESPONSE_OFFICER, "east-response"), incident=world.incident
    )
    with pytest.raises(PermissionDenied, match="outside your area"):
        qa.resubmit(actor=world.west[R.RESPONSE_OFFICER], crime=world.crime)
    qa.resubmit(actor=make_user(R.SAFEGUARDING), crime=world.crime)  # force-wide


# --- the walk: every public write is in the table or exempt -------------------------------------

_WRITE_MARKERS = (
    ".save(",
    ".create(",
    "bulk_create(",
    "get_or_create(",
    ".update(",
    ".delete(",
    "save_new(",
    "insert_rows(",
    "emit(",
    "log_change(",
    "written(",  # core.writes: save, history, audit and event in one call
)
_NOT_SERVICES = ("api", "views", "forms", "schemas", "queries_", "panel", "admin", "urls")


def public_writes(root: Path = Path(bluelamp.__file__).parent) -> set[str]:
    """module:function for every public top-level function of a service module under ``root``
    that takes ``actor`` and writes: opens a write transaction (``transaction.atomic``,
    ``@service``) or saves, creates, updates, deletes, logs history or emits an event itself."""
    found = set()
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if {"migrations", "management", "templates"} & set(parts) or parts[-1] == "__init__":
            continue
        if parts[-1] in _NOT_SERVICES or parts[-1].endswith(
            ("_api", "_views", "_forms", "_schemas")
        ):
            continue
        source = path.read_text()
        for node in ast.parse(source).body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            arguments = node.args.args + node.args.kwonlyargs
            if "actor" not in {a.arg for a in arguments}:
                continue
            decorators = {ast.unparse(d) for d in node.decorator_list}
            body = ast.get_source_segment(source, node)
            if decorators & {"transaction.atomic", "service"} or any(
                marker in body for marker in _WRITE_MARKERS
            ):
                found.add(f"{'.'.join(parts)}:{node.name}")
    return found


def test_every_public_write_is_area_checked_or_exempt_with_a_reason():
    writes = public_writes()
    tabled = {w.service for w in WRITES}
    missing = sorted(writes - tabled - EXEMPT.keys())
    assert not missing, (
        f"These services write but are not in tests/test_area_contract.py: {missing}. Check "
        "the writer's area (require_unit) and add the operation to WRITES, or exempt it "
        "with the reason."
    )
    # The table and the exemptions name real functions (nothing stale).
    assert not (tabled | EXEMPT.keys()) - writes
    assert not tabled & EXEMPT.keys()
    assert all(reason.strip() for reason in EXEMPT.values())


def test_the_walk_finds_a_new_unchecked_write(tmp_path):
    """The walk is not vacuous: it sees the table's writes and not reads, and a new service
    module with a write in it (however it writes) is found, so the test above would fail."""
    writes = public_writes()
    assert {
        "crime.incidents:report_incident",
        "crime.recording:record_crime",
        "crime.supervision:allocate",
        "victims.services:record_needs_assessment",
    } <= writes
    assert "victims.services:view_victim" not in writes  # a read
    feature = tmp_path / "lostproperty"
    feature.mkdir()
    (feature / "services.py").write_text(
        "from django.db import transaction\n\n"
        "@transaction.atomic\n"
        "def hand_back(*, actor, item):\n    return item\n\n"
        "def mark_found(*, actor, item):\n    item.save()\n\n"
        "def view_item(*, actor, item):\n    return item\n"
    )
    (feature / "views.py").write_text("def page(*, actor, item):\n    item.save()\n")
    assert public_writes(tmp_path) == {
        "lostproperty.services:hand_back",
        "lostproperty.services:mark_found",
    }
