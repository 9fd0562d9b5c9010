"""The duties crime recording opens (see duties/registry.py); the investigation's own are in
investigation/policies.py, registered from here."""

from django.conf import settings

from bluelamp.accounts.models import Unit, User
from bluelamp.duties.deadlines import hours, working_days
from bluelamp.duties.registry import Owner, Policy, register

from .investigation import policies as _investigation_policies  # noqa: F401
from .models import Crime

NCRS_RECORDING_DECISION = register(
    Policy(
        name="ncrs-recording-decision",
        title="Make the crime-recording decision",
        # domain.md §4: "Record the crime within 24 hours of the report" [S24].
        rule="NCRS: crime-recording decision within 24 hours of the report",
        opened_by="incident.reported",
        applies=lambda event, incident: bool(event.payload.get("may_be_crime")),
        owner=lambda event, incident: Owner(unit=incident.owning_unit, queue="crime-recording"),
        deadline=hours(24),
        discharged_by=("crime.recording_decision_made",),
    )
)

# The same NCRS decision when an incident not first marked as a possible crime is later found to
# involve one (crime.incidents.identify_possible_crime): 24 hours from that finding.
NCRS_RECORDING_DECISION_LATER = register(
    Policy(
        name="ncrs-recording-decision-later",
        title="Make the crime-recording decision (crime found after the report)",
        # domain.md §4 [S24]: the 24 hours run from when the incident is found to involve a crime.
        rule="NCRS: crime-recording decision within 24 hours of finding a possible crime",
        opened_by="incident.crime_identified",
        owner=lambda event, incident: Owner(unit=incident.owning_unit, queue="crime-recording"),
        deadline=hours(24),
        discharged_by=("crime.recording_decision_made",),
    )
)


def _allocatee_team(event, subject) -> Owner:
    officer = User.objects.select_related("unit").get(pk=event.payload["officer"])
    return Owner(unit=officer.unit, queue="supervisors")


FIRST_SUPERVISOR_REVIEW = register(
    Policy(
        name="first-supervisor-review",
        title="Review newly allocated work and give direction",
        # Issue 5 / domain.md: a first supervisor review soon after allocation (force setting,
        # default 3 working days); the 2018 report found no supervisory footprint in 29 of 60.
        rule="Supervision: first review of allocated work within "
        f"{settings.BLUELAMP_FIRST_REVIEW_WORKING_DAYS} working days",
        opened_by="work.allocated",
        owner=_allocatee_team,
        deadline=working_days(settings.BLUELAMP_FIRST_REVIEW_WORKING_DAYS),
        discharged_by=("work.supervisor_reviewed",),
    )
)


# --- quality assurance (the investigations management unit) ---------------------------------


def _qa_queue(event, subject) -> Owner:
    # The unit is force-wide: one queue for the force, whichever district recorded the crime.
    # The force is the first id of the owning unit's path ("1/4/9/"): no walk up the tree; a
    # unit whose path is not filled in (made in bulk) is walked up instead.
    unit = subject.owning_unit
    head = unit.path.split("/", 1)[0]
    if head.isdigit():
        return Owner(unit=Unit(pk=int(head)), queue="quality-assurance")
    while unit.parent_id:
        unit = unit.parent
    return Owner(unit=unit, queue="quality-assurance")


_QA_RULE = (
    "Quality assurance: check a new crime record within "
    f"{settings.BLUELAMP_QA_CHECK_WORKING_DAYS} working days (the officer keeps working)"
)
QA_CHECK = register(
    Policy(
        name="crime-qa-check",
        title="Quality-check the crime record",
        # Issue 5: every new crime enters the QA queue; nothing owed to the victim waits on it.
        rule=_QA_RULE,
        opened_by="crime.recorded",
        owner=_qa_queue,
        deadline=working_days(settings.BLUELAMP_QA_CHECK_WORKING_DAYS),
        discharged_by=("crime.qa_accepted", "crime.qa_returned"),
        cancelled_by=("crime.cancelled",),
    )
)
QA_RECHECK = register(
    Policy(
        name="crime-qa-recheck",
        title="Quality-check the corrected crime record",
        rule=_QA_RULE,
        opened_by="crime.qa_resubmitted",
        owner=_qa_queue,
        deadline=working_days(settings.BLUELAMP_QA_CHECK_WORKING_DAYS),
        discharged_by=("crime.qa_accepted", "crime.qa_returned"),
        cancelled_by=("crime.cancelled",),
    )
)


def _officer_in_case(event, subject) -> Owner:
    # No officer in case yet: the person who recorded the crime corrects it.
    officer = subject.officer_in_case or Crime.objects.get(event=subject).recorded_by
    return Owner(user=officer, unit=officer.unit)


QA_CORRECTION = register(
    Policy(
        name="crime-qa-correction",
        title="Correct the crime record QA returned",
        rule="Quality assurance: correct a returned crime record within "
        f"{settings.BLUELAMP_QA_CORRECTION_WORKING_DAYS} working days",
        opened_by="crime.qa_returned",
        owner=_officer_in_case,
        deadline=working_days(settings.BLUELAMP_QA_CORRECTION_WORKING_DAYS),
        discharged_by=("crime.qa_resubmitted",),
        cancelled_by=("crime.cancelled",),
    )
)
