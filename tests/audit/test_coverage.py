"""Every page and every API operation either declares it touches no personal data, or writes an
audit event when used (Data Protection Act 2018 s62). New routes fail here until they do one or
the other - and this file gets a sample request for them."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from bluelamp.accounts.models import ApiToken
from bluelamp.accounts.roles import Role
from bluelamp.accounts.services import issue_api_token
from bluelamp.api import api
from bluelamp.audit.models import AuditEvent
from bluelamp.core import events, links, persons, places, restriction
from bluelamp.crime import incidents, recording
from bluelamp.crime.classification import grant_authority
from bluelamp.crime.investigation import services as investigation
from bluelamp.people import dedupe
from bluelamp.people.models import DuplicateCandidate
from bluelamp.safeguarding import services as safeguarding
from bluelamp.safeguarding.models import Hub
from bluelamp.ui.access import NOT_PERSONAL, PERSONAL, PUBLIC, access_of

from ..conftest import sign_in
from ..protection.contract_worlds import coverage_world
from ..safeguarding.contract_worlds import marac_world

CONTACT_THRIVE = {
    f: "Assessed" for f in ("threat", "harm", "risk", "investigation", "vulnerability")
} | {"engagement": "Caller content with an appointment", "rationale": "No immediate risk"}


def _contact_slot(world):
    from bluelamp.contact import diary

    start = timezone.now() + dt.timedelta(hours=2)
    return diary.create_slot(
        actor=world["actor"],
        team=world["event"].owning_unit,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        capacity=2,
    )


# Sample POST bodies for web forms, by URL name.
WEB_POSTS = {
    "crime:incident-create": {"summary": "Shed broken into", "may_be_crime": "on"},
    "crime:decide": {"decision": "crimed", "reason": "Victim's account", "offence_code": "58A"},
    "crime:crime-create": {
        "summary": "Bike stolen",
        "offence_code": "44",
        "property_role": "stolen",
        "party-TOTAL_FORMS": "1",
        "party-INITIAL_FORMS": "0",
        "party-0-role": "victim",
        "party-0-family_name": "Audited-Victim",
        "party-0-chosen": "new",
    },
    "crime:reclassify": {"offence_code": "46", "reason": "Taken from a shop"},
    "crime:qa-priority": {"reason": "Charging decision due"},
    "crime:qa-return": {"field_1": "summary", "text_1": "Say what was taken"},
    "crime:qa-resubmit": {},
    "crime:qa-accept": {},
    "crime:outcome": {"outcome": "1"},  # suspect filled in below
    "crime:cancel": {"reason": "C3", "rationale": "Duplicate of another crime"},
    "crime:allocate": {},
    "crime:review": {"direction": "CCTV within 48 hours"},
    "crime:crime-identified": {"reason": "CCTV shows a theft"},  # an unmarked incident
    "crime:victim-statement": {},  # person filled in below
    "people:enter": {
        "given_names": "Ada",
        "family_name": "Okafor",
        "gender": "unknown",
        "ethnicity": "NS",
        "check": "1",
    },
    "people:merge": {"reason": "Same date of birth and phone"},
    "people:not-same": {},
    "people:unmerge": {"reason": "Twins"},
    "core:person-create": {
        "family_name": "Okafor",
        "given_names": "Ada",
        "gender": "female",
        "ethnicity": "NS",
    },
    "core:person-add-name": {"kind": "alias", "family_name": "Smith", "given_names": "Bill"},
    "core:person-add-identifier": {"kind": "phone", "value": "07700 900123"},
    "core:person-add-warning": {"kind": "weapons", "source": "PNC"},
    "core:person-restrict": {"reason": "Member of staff"},
    "core:event-create": {"kind": "asb", "summary": "Noise complaint", "postcode": "PR1 2AB"},
    "core:event-link-person": {"role": "witness"},  # person filled in below
    "core:event-restrict": {"reason": "Sensitive"},
    "victim_portal:issue-code": {"how": "in_person"},
    "victim_portal:unlock": {},
    "victim_portal:add-update": {"text": "We have found CCTV", "victim_visible": "on"},
    "victim_portal:reply": {"text": "Thank you, I will call you tomorrow."},
    # contact/ (slot, unit and people filled in below)
    "contact:take-call": {
        "channel": "101",
        "account": "Shed broken into",
        "caller_given_names": "Ada",
        "caller_family_name": "Okafor",
    },
    "contact:grade": {"grade": "scheduled", **CONTACT_THRIVE},
    "contact:allocate-resource": {"note": "Car 12"},
    "contact:book": {},
    "contact:vulnerability": {"kinds": ["mental_health"]},
    "contact:arrived": {"note": "On scene"},
    "contact:close": {"note": "Advice given"},
    "victims:needs": {"channel": "letter", "referral_consent": "not_asked"},
    "victims:entitlement": {"reasons": ["vulnerable"], "rationale": "Learning disability"},
    "victims:contact": {"channel": "phone", "summary": "Update given"},
    # investigation (crime/investigation/views.py); ids filled in below
    "crime:investigation-allocate": {},
    "crime:investigation-skills": {"skill": "fraud"},
    "crime:investigation-line": {"kind": "cctv", "description": "Co-op camera"},
    "crime:investigation-line-status": {"status": "in_progress"},
    "crime:investigation-update": {"text": "Spoke to the victim"},
    "crime:investigation-wish": {"wish": "supports"},
    "crime:investigation-suspect": {"step": "arrested"},
    "crime:investigation-not-investigated": {"reason": "other", "explanation": "No leads"},
    "crime:investigation-forensic": {
        "kind": "scene_attendance",
        "decided_yes": "no",
        "rationale": "Nothing touched",
    },
    "crime:investigation-device": {"what_is_sought": "Messages", "device_description": "Phone"},
    "crime:investigation-device-status": {"status": "accepted"},
    # administration/ (units filled in below); in URL order, so disabling comes before enabling
    "administration:user-add": {
        "username": "new-officer",
        "first_name": "New",
        "last_name": "Officer",
        "role": "investigator",
    },
    "administration:user-change": {
        "first_name": "Changed",
        "last_name": "Name",
        "role": "response_officer",
    },
    "administration:user-disable": {"reason": "Left the force"},
    "administration:user-enable": {},
    "administration:user-unlock": {},
    "administration:user-new-sign-in": {},
    "administration:token-issue": {"name": "Coverage", "days": "30"},
    "administration:token-revoke": {},
    "administration:grant-revoke": {},
    # safeguarding/ (the world's draft referral, made by MASH staff; the file filled in below)
    "safeguarding:new": {
        "concern": "adult_at_risk",
        "account": "Found confused in the street",
        "officer_risk": "medium",
        "victim-given_names": "Zebedee",
        "victim-family_name": "Quorn",
        "victim-gender": "unknown",
        "victim-ethnicity": "NS",
    },
    "safeguarding:dash": {f"q{n}": "no" for n in range(1, 28)},
    "safeguarding:attach": {},
    "safeguarding:submit": {},
    "safeguarding:triage": {"outcome": "advice", "note": "Advice to the family"},
    "safeguarding:note": {"agency": "Health visitor", "text": "Known to us"},
    "safeguarding:feedback": {"rating": "4", "reason": "Clear account"},
    "safeguarding:plan": {"text": "Refuge place found"},
    "safeguarding:follow-up": {"visit-text": "Visited, safe"},
    # MARAC (ids and dates from the world's "fill": tests/safeguarding/contract_worlds.py)
    "safeguarding:marac-schedule": {},
    "safeguarding:marac-list": {},
    "safeguarding:marac-action-add": {},
    "safeguarding:marac-complete": {},
}
# protection/ and missing/: records the safeguarding user works (protection/contract_worlds.py)
WEB_POSTS |= {
    "protection:encompass-confirm": {"spoke_to": "Mrs Patel, DSL"},
    "missing:new": {
        "person-given_names": "Quentin",
        "person-family_name": "Xylophone",
        "person-gender": "unknown",
        "person-ethnicity": "NS",
        "person-chosen": "new",
        "last_seen_at": "2026-01-10T10:00",
        "last_seen_where": "Park",
        "missing_from": "home",
        "circumstances": "Not home",
        "risk_grade": "low",
        "risk_reasons": "Adult, no concerns",
    },
    "missing:review": {"grade": "medium", "reasons": "Seen on CCTV"},
    "missing:sighting": {"seen_at": "2026-01-10T11:00", "where": "Shop", "reported_by": "CCTV"},
    "missing:enquiry": {"description": "Hospitals"},
    "missing:enquiry-done": {"result": "Not there"},
    "missing:return": {"returned_at": "2026-01-10T12:00", "found_where": "Home"},
    "missing:safe-and-well": {"findings": "Well"},
    "missing:interview": {"outcome": "offered", "provider": "Barnardo's"},
    "protection:dvpn-new": {
        "perpetrator-given_names": "Quentin",
        "perpetrator-family_name": "Vexley",
        "perpetrator-gender": "unknown",
        "perpetrator-ethnicity": "NS",
        "perpetrator-chosen": "new",
        "victim-given_names": "Querida",
        "victim-family_name": "Vexley",
        "victim-gender": "unknown",
        "victim-ethnicity": "NS",
        "victim-chosen": "new",
        "authorising_officer": "Supt Dale",
        "authorising_rank": "superintendent",
        "grounds": "Assault",
        "children_welfare": "None at the address",
        "victim_opinion": "Supports",
        "perpetrator_representations": "None",
    },
    "protection:dvpn-hearing": {"made": "yes", "court": "Preston", "days": "28"},
    "protection:dvpn-breach": {"at": "2026-01-10T11:00", "account": "At the house"},
    "protection:dvpn-arrest": {"note": "Arrested at home"},
    "protection:dvds-new": {
        "at_risk-given_names": "Quilla",
        "at_risk-family_name": "Wexford",
        "at_risk-gender": "unknown",
        "at_risk-ethnicity": "NS",
        "at_risk-chosen": "new",
        "subject-given_names": "Quorn",
        "subject-family_name": "Wexford",
        "subject-gender": "unknown",
        "subject-ethnicity": "NS",
        "subject-chosen": "new",
        "route": "right_to_know",
        "reason": "Found at a domestic incident",
    },
    "protection:dvds-check": {"source": "local_records", "finding": "Two call-outs"},
    "protection:dvds-decision": {
        "necessary": "on",
        "proportionate": "on",
        "rationale": "Pattern of abuse",
        "panel": "DS Hale, IDVA",
    },
    "protection:dvds-disclosure": {"what_was_said": "He has hurt two partners"},
}
# Pages only quality assurance staff may use.
WEB_USERS = {"crime:qa-queue": "qa", "crime:qa-return": "qa", "crime:qa-accept": "qa"}
# safeguarding/'s pages are MASH staff's (the world's referral is theirs).
WEB_USERS |= {
    f"safeguarding:{name}": "mash"
    for name in (
        "referrals new referral dash attach submit triage note feedback plan follow-up mash "
        "demand quality marac attachment marac-schedule marac-meeting marac-list "
        "marac-action-add marac-action marac-complete"
    ).split()
}
WEB_USERS |= {
    name: "safeguarding" for name in WEB_POSTS if name.startswith(("missing:", "protection:"))
} | {
    "protection:encompass-notice": "safeguarding",
    "missing:report": "safeguarding",
    "protection:dvpn-notice": "safeguarding",
    "protection:dvds-application": "safeguarding",
}
WEB_QUERIES = {
    "web:search": "?q=Okafor",
    "audit:log": "?record_type=person",
    "people:find": "?given_names=Ada&family_name=Okafor",
}

# A 1x1 PNG (safeguarding attachments: the type is read from the bytes).
_PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
)

# Sample JSON bodies for API operations, by operationId.
API_BODIES = {
    "create_person": {"family_name": "Okafor", "given_names": "Ada"},
    "mark_not_same": {},
    "report_incident": {"summary": "Shed broken into", "may_be_crime": True},
    "record_recording_decision": {
        "decision": "crimed",
        "reason": "Victim's account",
        "offence_code": "58A",
    },
    "record_crime": {
        "summary": "Purse taken",
        "offence_code": "49",
        "victims": [{"given_names": "Ann", "family_name": "Lee", "dob": "1990-01-02"}],
    },  # owning unit and an existing suspect filled in below
    "reclassify_crime": {"offence_code": "39", "reason": "Taken from her bag"},
    "request_qa_priority": {"reason": "Charging decision due"},
    "return_crime_for_correction": {"problems": [{"field": "location", "text": "No address"}]},
    "resubmit_crime_for_qa": {},
    "accept_crime_record": {},
    "record_crime_outcome": {"outcome": "1"},  # suspect_id filled in below
    "cancel_crime": {"reason": "C4", "rationale": "Recorded in error"},
    "grant_decision_maker_authority": {"kind": "fcr"},  # user_id filled in below
    "allocate_work": {},
    "record_supervisor_review": {"direction": "Check CCTV within 48 hours"},
    "identify_possible_crime": {"reason": "CCTV shows a theft"},  # an unmarked incident
    "record_victim_statement": {},  # person_id filled in below
    "merge_people": {"reason": "Same person: same date of birth and phone"},
    "unmerge_people": {"reason": "Twins"},
    "add_name": {"kind": "alias", "family_name": "Smith"},
    "add_identifier": {"kind": "email", "value": "ada@example.org"},
    "add_warning_marker": {"kind": "drugs", "source": "Intelligence"},
    "relate_people": {"kind": "sibling"},  # other_id filled in below
    "link_person_to_location": {"kind": "lives_at"},  # location_id filled in below
    "create_location": {"line1": "1 Fishergate", "postcode": "PR1 2AB"},
    "create_object": {"kind": "vehicle", "vrm": "PN19 ABC"},
    "record_event": {"kind": "missing", "summary": "Concern for welfare"},
    "link_person_to_event": {"role": "witness"},  # person_id filled in below
    "record_call": {"channel": "999", "account": "Man with a knife outside the shop"},
    "grade_call": {"grade": "scheduled", **CONTACT_THRIVE},
    "log_incident_step": {"step": "arrived", "note": "On scene"},
    "book_appointment": {},  # slot_id filled in below
    "record_vulnerability": {"kinds": ["mental_health"]},  # people filled in below
    "record_needs_assessment": {"channel": "letter"},
    "change_entitlement": {"reasons": ["vulnerable"], "rationale": "Learning disability"},
    "record_victim_contact": {"channel": "phone", "summary": "Update given"},
    # investigation (crime/investigation/api.py); ids filled in below
    "add_officer_skill": {"skill": "sto"},
    "allocate_investigation": {},
    "add_line": {"kind": "cctv", "description": "Co-op camera"},
    "change_line": {"status": "in_progress"},
    "record_investigation_update": {"text": "Spoke to the victim"},
    "record_prosecution_wish": {"wish": "not_yet_known"},
    "record_arrest": {},
    "record_interview": {},
    "record_release": {"how": "rui"},
    "record_disposal": {"disposal": "charge"},
    "record_not_investigated": {"reason": "other", "explanation": "No leads"},
    "record_forensic_decision": {"kind": "submission", "decided_yes": True, "rationale": "Blood"},
    "request_device_examination": {"what_is_sought": "Messages", "device_description": "Phone"},
    "move_device_examination": {"status": "accepted"},
    # safeguarding/ (victim_id filled in below; the world's draft referral for the rest)
    "make_referral": {"concern": "child", "account": "Child left alone", "officer_risk": "high"},
    "assess_referral_risk": {"answers": {str(n): {"answer": "no"} for n in range(1, 28)}},
    "attach_to_referral": {
        "filename": "photo.png",
        "content_base64": _PNG,  # the type is read from the bytes
    },
    "submit_referral": {},
    "triage_referral": {"outcome": "nfa"},
    "add_partner_note": {"agency": "School", "text": "No concerns at school"},
    "give_referral_feedback": {"rating": 3, "reason": "Account too short"},
    "record_safeguarding_plan": {"text": "Refuge place found"},
    "record_follow_up_visit": {"text": "Visited, safe"},
    # MARAC (ids and dates from the world's "fill")
    "schedule_marac_meeting": {},
    "list_marac_case": {},
    "add_marac_action": {},
    "complete_marac_action": {},
    # protection/ and missing/ (ids filled in from the world's "fill")
    "confirm_encompass_notice": {"spoke_to": "Mrs Patel, DSL"},
    "report_missing": {
        "last_seen_at": "2026-01-10T10:00:00Z",
        "last_seen_where": "Park",
        "missing_from": "home",
        "circumstances": "Not home",
        "risk_grade": "low",
        "risk_reasons": "Adult",
    },
    "review_missing_report": {"grade": "high", "reasons": "No sightings"},
    "record_missing_sighting": {
        "seen_at": "2026-01-10T11:00:00Z",
        "where": "Shop",
        "reported_by": "CCTV",
    },
    "add_missing_enquiry": {"description": "Phone"},
    "complete_missing_enquiry": {"result": "Switched off"},
    "record_missing_return": {"returned_at": "2026-01-10T12:00:00Z", "found_where": "Home"},
    "record_safe_and_well": {"findings": "Well"},
    "record_return_interview": {"outcome": "declined", "provider": "Barnardo's"},
    "serve_dvpn": {
        "authorising_officer": "Supt Dale",
        "authorising_rank": "superintendent",
        "grounds": "Assault",
        "children_welfare": "None at the address",
        "victim_opinion": "Supports",
        "perpetrator_representations": "None",
    },
    "record_dvpo_hearing": {"made": True, "court": "Preston", "days": 14},
    "record_dvpn_breach": {"at": "2026-01-10T11:00:00Z", "account": "At the house"},
    "record_breach_arrest": {"note": "Arrested"},
    "receive_dvds": {"route": "right_to_know", "reason": "Found at a domestic incident"},
    "record_dvds_check": {"source": "pnc", "finding": "None"},
    "record_dvds_decision": {
        "necessary": True,
        "proportionate": True,
        "rationale": "Pattern of abuse",
        "panel": "DS Hale, IDVA",
    },
    "record_dvds_disclosure": {"what_was_said": "He has hurt two partners"},
}
API_USERS = {
    **{
        op: "safeguarding"
        for op in API_BODIES
        if any(word in op for word in ("missing", "encompass", "dvpn", "dvpo", "breach", "dvds"))
    },
    "view_dvpn": "safeguarding",
    "view_dvds": "safeguarding",
    "view_encompass_notice": "safeguarding",
    "view_missing_report": "safeguarding",
    "record_safe_and_well": "safeguarding",
    "record_return_interview": "safeguarding",
    "qa_queue": "qa",
    "return_crime_for_correction": "qa",
    "accept_crime_record": "qa",
    "grant_decision_maker_authority": "leader",
}
API_USERS |= {
    op: "mash"
    for op in (
        "make_referral list_referrals view_referral assess_referral_risk attach_to_referral "
        "submit_referral triage_referral add_partner_note give_referral_feedback "
        "record_safeguarding_plan record_follow_up_visit mash_queue mash_demand "
        "list_marac_cases schedule_marac_meeting view_marac_meeting list_marac_case "
        "add_marac_action complete_marac_action view_marac_action"
    ).split()
}
API_QUERIES = {
    "mash_queue": {"hub": "west"},
    "mash_demand": {"hub": "west"},
    "search": {"q": "Okafor"},
    "match_people": {"given_names": "Ada", "family_name": "Okafor"},
}


def _patterns(resolvers, prefix="", namespace=""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            entry.bluelamp_namespace = namespace  # a sub-app's namespace is not its module's
            yield prefix + str(entry.pattern), entry


def _web_routes():
    for route, pattern in _patterns(get_resolver().url_patterns):
        if route.startswith("api/"):
            continue  # covered operation by operation below
        yield route, pattern


def _portal_world(crime_event, person):
    """A victim of the crime with a message, and the crime locked in the portal (victims/portal)."""
    import datetime as dt

    from bluelamp.victims.models import VictimRecord
    from bluelamp.victims.portal import services as portal
    from bluelamp.victims.portal.access import actor_for
    from bluelamp.victims.portal.models import ReferenceLock

    record = VictimRecord.objects.create(crime=crime_event, person=person, opened_at=timezone.now())
    message = portal.send_message(actor=actor_for(record), victim=record, text="Any news?")
    ReferenceLock.objects.create(
        crime=crime_event, failures=10, locked_until=timezone.now() + dt.timedelta(hours=1)
    )
    return record, message


@pytest.fixture
def world(units, make_user):
    actor = make_user(Role.SUPERVISOR)
    person = persons.create_person(actor=actor, family_name="Okafor", given_names="Ada")
    other = persons.create_person(actor=actor, family_name="Okafor", given_names="Ben")
    location = places.create_location(actor=actor, line1="1 Fishergate", postcode="PR1 2AB")
    obj = places.create_object(actor=actor, kind="vehicle", vrm="PN19ABC")
    org = places.create_organisation(actor=actor, kind="school", name="St Mary's Primary")
    event = events.record_event(
        actor=actor,
        kind="crime",
        summary="Burglary",
        owning_unit=units["west-response"],
        location=location,
    )
    twin = persons.create_person(actor=actor, family_name="Okafor", given_names="Bea")
    candidate = DuplicateCandidate.objects.create(
        person=person, other=twin, probability=0.9, match_weight=5, found_at=timezone.now()
    )
    merge = dedupe.merge(
        actor=actor,
        survivor=persons.create_person(actor=actor, family_name="Lowe", given_names="Cy"),
        merged=persons.create_person(actor=actor, family_name="Lowe", given_names="Cyrus"),
        reason="Same person",
    )
    incident = incidents.report_incident(
        actor=actor, summary="Shed", owning_unit=units["west-response"], may_be_crime=True
    )
    unmarked = incidents.report_incident(
        actor=actor, summary="Lost bike", owning_unit=units["west-response"], may_be_crime=False
    )
    victim = recording.record_crime(
        offence_code="49",
        actor=actor,
        summary="Theft",
        owning_unit=units["west-response"],
        victims=[persons.create_person(actor=actor, family_name="Vic", given_names="Tim")],
    ).event.victim_records.get()
    victim_record, victim_message = _portal_world(event, person)
    # investigation: a suspect of the crime, a line of enquiry and a device examination request.
    links.link_person_to_event(actor=actor, person=person, event=event, role="suspect")
    line = investigation.add_enquiry_line(actor=actor, crime=event, kind="cctv", description="x")
    examination = investigation.request_device_examination(
        actor=actor, crime=event, what_is_sought="Messages", device_description="Phone"
    )
    leader = make_user(Role.SENIOR_LEADER)
    recorded = recording.record_crime(
        actor=actor,
        summary="Theft",
        owning_unit=units["west-response"],
        offence_code="49",
        victims=[person],
        suspects=[other],
    )
    to_cancel = recording.record_crime(
        actor=actor, summary="Theft again", owning_unit=units["west-response"], offence_code="49"
    )
    grant_authority(actor=leader, user=actor, kind="ddm")
    # administration/: an account to manage, a token and access to a record to withdraw.
    admin = make_user(Role.ADMINISTRATOR)
    account = make_user(Role.RESPONSE_OFFICER)
    holder = make_user(Role.INVESTIGATOR)  # not the account disabled above: its tokens go too
    issue_api_token(actor=admin, user=holder, name="To revoke")
    access_grant = restriction.grant_access(
        actor=actor, record=event, user=account, reason="Covering the case"
    )
    mash = make_user(Role.SAFEGUARDING)
    Hub.objects.create(code="west", name="West MASH", unit=units["west"])
    referral = safeguarding.make_referral(
        actor=mash, concern="domestic_abuse", account="Shouting heard", victim=person
    )
    attachment = safeguarding.add_attachment(
        actor=mash, referral=referral, filename="photo.png", content=base64.b64decode(_PNG)
    )
    made = {
        "attachment": attachment,
        "admin": admin,
        "user": account,
        "api_token": ApiToken.objects.get(user=holder),
        "access_grant": access_grant,
        "mash": mash,
        "referral": referral,
        "victim": victim,
        "victim_record": victim_record,
        "victim_message": victim_message,
        "line": line,
        "examination": examination,
        "crime": recorded.event,
        "crime_to_cancel": to_cancel.event,
        "incident_unmarked": unmarked,
        "qa": make_user(Role.QUALITY_ASSURANCE),
        "actor": actor,
        "investigator": make_user(Role.INVESTIGATOR, unit="west-cid"),
        "incident": incident,
        "candidate": candidate,
        "merged_person": merge.merged,
        "candidate_to_merge": DuplicateCandidate.objects.create(
            person=other, other=twin, probability=0.8, match_weight=4, found_at=timezone.now()
        ),
        "merge": merge,
        "mergeable": [
            persons.create_person(actor=actor, family_name="Ross", given_names=name)
            for name in ("Di", "Diane")
        ],
        "person": person,
        "other": other,
        "location": location,
        "object": obj,
        "organisation": org,
        "event": event,
        "leader": leader,
        **coverage_world(actor, units, make_user),
    }
    marac = marac_world(mash)
    made["fill"] = made["fill"] | marac.pop("fill")
    return made | marac


def test_every_page_declares_what_it_touches():
    undeclared = [route for route, p in _web_routes() if access_of(p.callback) is None]
    assert undeclared == []


def test_every_personal_data_page_writes_an_audit_event(world):
    clients = {}
    for who in ("actor", "leader", "qa", "admin", "mash", "safeguarding"):
        clients[who] = Client()
        sign_in(clients[who], world[who])
    checked = 0
    for route, pattern in _web_routes():
        access = access_of(pattern.callback)
        if access in (PUBLIC, NOT_PERSONAL):
            continue
        assert access == PERSONAL
        name = f"{pattern.bluelamp_namespace}:{pattern.name}"
        record_type = pattern.callback.bluelamp_record_type
        if name == "people:merge":
            record_type = "candidate_to_merge"
        kwargs = {"pk": world[record_type].pk} if "<int:pk>" in route else {}
        if "<slug:name>" in route:
            kwargs = {"name": "crime-recording"}
        if name == "crime:crime-identified":
            kwargs = {"pk": world["incident_unmarked"].pk}
        url = reverse(name, kwargs=kwargs) + WEB_QUERIES.get(name, "")
        who = "leader" if name.startswith("audit:") else WEB_USERS.get(name, "actor")
        if name.startswith("administration:"):  # only administrators may
            who = "admin"
        user, client = world[who], clients[who]
        before = AuditEvent.objects.count()
        if name in WEB_POSTS:
            data = dict(WEB_POSTS[name])
            if name == "core:event-link-person":
                data["person"] = world["other"].pk
            if name == "crime:incident-create":
                data["owning_unit"] = world["event"].owning_unit_id
            if name in ("crime:allocate", "crime:investigation-allocate"):
                data["officer"] = world["investigator"].pk
            if name == "contact:allocate-resource":
                data["unit"] = world["event"].owning_unit_id
            if name == "contact:book":
                data["slot"] = _contact_slot(world).pk
            if name == "contact:vulnerability":
                data["people"] = [world["person"].pk]
            if name == "crime:investigation-skills":
                data["officer"] = world["investigator"].pk
            if name == "crime:investigation-line-status":
                data["line"] = world["line"].pk
            if name == "crime:investigation-suspect":
                data["person"] = world["person"].pk
            if name == "crime:investigation-device-status":
                data["request"] = world["examination"].pk
            if name == "crime:crime-create":
                data["owning_unit"] = world["event"].owning_unit_id
            if name == "crime:outcome":
                data["suspect"] = world["other"].pk
            if name == "crime:victim-statement":
                data["person"] = world["person"].pk
            if name in ("administration:user-add", "administration:user-change"):
                data["unit"] = world["event"].owning_unit_id
            if name == "safeguarding:attach":
                data["file"] = SimpleUploadedFile("photo.png", base64.b64decode(_PNG))
            data |= world["fill"].get(name, {})
            response = client.post(url, data)
        else:
            response = client.get(url)
        assert response.status_code in (200, 302), (name, response.status_code)
        written = AuditEvent.objects.filter(id__gt=0).count() - before
        assert written >= 1, f"{name} ({route}) touched personal data without an audit event"
        assert AuditEvent.objects.order_by("-id").first().actor_id == user.pk, name
        checked += 1
    assert checked >= 12


def _operations():
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_every_api_operation_writes_an_audit_event(client, world):

    token = issue_api_token(user=world["actor"], name="coverage")
    leader_token = issue_api_token(user=world["leader"], name="coverage")
    tokens = {
        "leader": leader_token,
        "qa": issue_api_token(user=world["qa"], name="coverage"),
        "mash": issue_api_token(user=world["mash"], name="coverage"),
        "actor": token,
        "safeguarding": issue_api_token(user=world["safeguarding"], name="coverage"),
    }
    checked = []
    for path, method, operation in _operations():
        op_id = operation["operationId"]
        if operation.get("x-bluelamp-access") == NOT_PERSONAL:
            continue
        url = path
        for param, record in (
            ("person_id", "person"),
            ("event_id", "event"),
            ("location_id", "location"),
            ("object_id", "object"),
            ("candidate_id", "candidate"),
            ("merge_id", "merge"),
            ("incident_id", "incident"),
            ("victim_id", "victim"),
            ("referral_id", "referral"),
            ("crime_id", "crime_to_cancel" if op_id == "cancel_crime" else "crime"),
            ("notice_id", "encompass"),
            ("report_id", "missing"),
            ("dvpn_id", "dvpn"),
            ("application_id", "dvds"),
            ("meeting_id", "marac_meeting"),
            ("case_id", "marac_case"),
            ("action_id", "marac_action"),
        ):
            url = url.replace("{" + param + "}", str(world[record].pk))
        assert "{" not in url, f"add a sample id for {op_id} ({path})"
        bearer = (
            leader_token if op_id.startswith("audit") else tokens[API_USERS.get(op_id, "actor")]
        )
        headers = {"HTTP_AUTHORIZATION": f"Bearer {bearer}"}
        before = AuditEvent.objects.count()
        if method == "get":
            response = client.get(url, API_QUERIES.get(op_id, {}), **headers)
        else:
            assert op_id in API_BODIES, f"add a sample body for {op_id} ({method} {path})"
            body = dict(API_BODIES[op_id])
            if op_id == "relate_people":
                body["other_id"] = world["other"].pk
            if op_id == "link_person_to_location":
                body["location_id"] = world["location"].pk
            if op_id == "report_incident":
                body["owning_unit_id"] = world["event"].owning_unit_id
            if op_id == "allocate_work":
                body["officer_id"] = world["actor"].pk
            if op_id == "record_recording_decision":
                url = url.replace(f"/{world['event'].pk}/", f"/{world['incident'].pk}/")
            if op_id == "merge_people":
                body["survivor_id"], body["merged_id"] = (p.pk for p in world["mergeable"])
            if op_id == "link_person_to_event":
                body["person_id"] = world["other"].pk
            if op_id == "book_appointment":
                body["slot_id"] = _contact_slot(world).pk
            if op_id == "record_vulnerability":
                body["people"] = [world["person"].pk]
            if op_id in ("add_officer_skill", "allocate_investigation"):
                body["officer_id"] = world["investigator"].pk
            if op_id == "change_line":
                body["line_id"] = world["line"].pk
            if op_id in ("record_arrest", "record_interview", "record_release", "record_disposal"):
                body["person_id"] = world["person"].pk
            if op_id == "move_device_examination":
                body["request_id"] = world["examination"].pk
            if op_id == "record_crime":
                body["owning_unit_id"] = world["event"].owning_unit_id
                body["suspects"] = [{"id": world["other"].pk}]
            if op_id == "record_crime_outcome":
                body["suspect_id"] = world["other"].pk
            if op_id == "identify_possible_crime":
                unmarked = world["incident_unmarked"].pk
                url = url.replace(f"/{world['event'].pk}/", f"/{unmarked}/")
            if op_id == "record_victim_statement":
                body["person_id"] = world["person"].pk
            if op_id == "make_referral":
                body["victim_id"] = world["person"].pk
            if op_id == "grant_decision_maker_authority":
                body["user_id"] = world["qa"].pk
            body |= world["fill"].get(op_id, {})
            response = client.post(url, body, content_type="application/json", **headers)
        assert response.status_code in (200, 201), (
            op_id,
            response.status_code,
            response.content[:300],
        )
        assert AuditEvent.objects.count() > before, f"{op_id} wrote no audit event"
        checked.append(op_id)
    assert len(checked) >= len(API_BODIES)
