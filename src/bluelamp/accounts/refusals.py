"""Refusals in people's words: what the user tried, and who may do it.

``permissions.require`` raises ``NotAllowed``, whose message is a sentence for the person in front
of the page or the API client ("You tried to allocate a crime to an investigator. That is for
supervisors and quality assurance staff."), never the action's code. Every action in
``permissions.PERMISSIONS`` has its words here (tests/accounts/test_refusals.py checks)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from .roles import Role

R = Role

# Each role as the people who hold it, to say who may do a thing.
ROLE_NOUNS = {
    R.CALL_HANDLER: "call handlers",
    R.RESPONSE_OFFICER: "response officers",
    R.INVESTIGATOR: "investigators",
    R.SUPERVISOR: "supervisors (sergeants and inspectors)",
    R.QUALITY_ASSURANCE: "quality assurance staff",
    R.SAFEGUARDING: "MASH and safeguarding staff",
    R.NEIGHBOURHOOD: "neighbourhood officers and PCSOs",
    R.OFFENDER_MANAGER: "offender managers",
    R.ANALYST: "analysts",
    R.SENIOR_LEADER: "senior leaders",
    R.AUDITOR: "auditors",
    R.ADMINISTRATOR: "administrators",
}

# What each action is, as the end of "You tried to ...".
WORDS = {
    "person.view": "see a person's record",
    "person.create": "record a new person",
    "person.change": "change a person's record",
    "location.view": "see a place's record",
    "location.create": "record a place",
    "location.change": "change a place's record",
    "object.view": "see an object's record",
    "object.create": "record an object",
    "object.change": "change an object's record",
    "organisation.view": "see an organisation's record",
    "organisation.create": "record an organisation",
    "organisation.change": "change an organisation's record",
    "event.view": "see an incident, crime or other event",
    "event.create": "record an event",
    "event.change": "change an event",
    "link.create": "link records together",
    "search": "search the records",
    "people.train": "train the person-matching model",
    "people.dedupe": "look for duplicate people across the force",
    "people.review": "review possible duplicate people",
    "people.merge": "merge two people's records",
    "history.view": "see a record's history",
    "record.restrict": "restrict a record or give access to it",
    "incident.report": "report an incident",
    "crime.record_decision": "make the crime recording decision",
    "work.allocate": "allocate a crime to an officer",
    "work.review": "review an investigation as its supervisor",
    "crime.record": "record a crime",
    "crime.update": "update a crime",
    "crime.reclassify": "reclassify a crime",
    "crime.cancel": "cancel a crime",
    "crime.manage_authority": "name who may cancel crimes",
    "crime.outcome": "authorise a crime's outcome",
    "crime.qa_check": "check a crime record for quality",
    "crime.qa_resubmit": "resubmit a crime returned by quality assurance",
    "investigation.view_own": "see the investigations allocated to you",
    "investigation.view_team": "see a team's investigation workload and oversight",
    "investigation.view": "see an investigation",
    "investigation.skills": "keep officers' investigation skills",
    "investigation.skill_override": "allocate a crime to an officer without the skill it needs",
    "investigation.plan": "work an investigation plan",
    "investigation.suspect": "record what happened to a suspect",
    "investigation.not_investigated": "decide a crime will not be investigated further",
    "investigation.forensic": "record a forensic decision",
    "investigation.device_examine": "work the digital device examination queue",
    "call.record": "take a call",
    "call.grade": "grade a call's risk and response",
    "incident.dispatch": "send a resource to an incident",
    "incident.attend": "record arrival at an incident",
    "incident.close": "close an incident",
    "incident.review_target": "review a missed response target",
    "vulnerability.record": "record a vulnerability",
    "appointment.book": "book an appointment",
    "appointment.slots": "set the appointment slots",
    "control_room.view": "see the control room",
    "victim.portal_view": "see what a victim sees in Track my crime",
    "victim.portal_code": "give a victim a Track my crime code",
    "victim.portal_unlock": "unlock a victim's Track my crime sign-in",
    "victim.portal_reply": "reply to a victim's message",
    "victim.view": "see a victim's record",
    "victim.assess": "assess a victim's needs",
    "victim.contact": "record contact with a victim",
    "victim.change_entitlement": "change a victim's entitlement under the Victims' Code",
    "victim.supervise": "see how victims are kept informed across the area",
    "duty.view_own": "see your duties",
    "duty.view_team": "see the duties of your area and how many are done on time",
    "referral.view": "see a safeguarding referral",
    "safeguarding.refer": "make a safeguarding referral",
    "safeguarding.triage": "triage safeguarding referrals",
    "safeguarding.mash": "work the MASH queue",
    "safeguarding.marac": "work the MARAC list",
    "notify.view": "see the messages sent out",
    "audit.view": "read the audit log",
    "user.manage": "manage staff accounts",
    "unit.manage": "manage the force's units",
    "access.revoke": "withdraw someone's access to a restricted record",
    "unit.view": "see the force's units",
    "encompass.view": "see Operation Encompass notices to schools",
    "encompass.confirm": "record that a school was told (Operation Encompass)",
    "dvpn.view": "see domestic violence protection notices and orders",
    "dvpn_breach.view": "see breaches of domestic violence protection orders",
    "dvpn.serve": "give a domestic violence protection notice",
    "dvpn.breach": "record a breach of a domestic violence protection order",
    "dvds.view": "see Clare's Law (domestic violence disclosure scheme) applications",
    "dvds.record": "record a Clare's Law application or its checks",
    "dvds.decide": "record the Clare's Law panel's decision",
    "dvds.disclose": "record a Clare's Law disclosure",
    "missing.view": "see missing person reports",
    "missing.report": "report a person missing",
    "missing.update": "add to a missing person report",
    "missing.review": "review a missing person report",
}


def who_may(roles) -> str:
    """'supervisors and quality assurance staff', in the order roles are listed."""
    names = [ROLE_NOUNS.get(role, Role(role).label) for role in Role if role in roles]
    if not names:
        return "no one"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


class NotAllowed(PermissionDenied):
    """A refusal by the permission map, worded for people; ``action`` keeps the code."""

    def __init__(self, action: str, roles):
        self.action = action
        tried = WORDS.get(action, "do that")
        super().__init__(f"You tried to {tried}. That is for {who_may(roles)}.")
