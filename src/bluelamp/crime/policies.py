"""The duties crime recording and investigation open (see duties/registry.py)."""

import datetime as dt

from django.conf import settings

from bluelamp.accounts.models import Unit, User
from bluelamp.duties.deadlines import LONDON, hours, working_days
from bluelamp.duties.registry import Owner, Policy, register

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
# involve one (crime.services.identify_possible_crime): 24 hours from that finding.
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


# --- investigation: periodic supervision, the 28-day no-update rule, pre-charge bail ---

from bluelamp.core.choices import EventKind  # noqa: E402
from bluelamp.duties.deadlines import Deadline  # noqa: E402

# Events after which an investigation needs no more supervision clocks.
INVESTIGATION_CLOSED = ("crime.outcome_recorded", "crime.cancelled", "crime.not_investigated")


def days(n: int) -> Deadline:
    """N whole days (real time) after the moment."""
    due = hours(24 * n)
    due.describe = f"within {n} days"
    return due


def _is_crime(event, subject) -> bool:
    return getattr(subject, "kind", None) == EventKind.CRIME


def _officer_in_case_team(event, subject) -> Owner:
    """The supervisors of the officer in the case, or of the crime's own unit before allocation."""
    officer = subject.officer_in_case
    return Owner(unit=officer.unit if officer else subject.owning_unit, queue="supervisors")


def _bailed_suspects_officer(event, subject) -> Owner:
    """The officer in the case of the crime the suspect is bailed on (its team's queue if none)."""
    crime = subject.crime
    officer = crime.officer_in_case
    if officer is None:
        return Owner(unit=crime.owning_unit, queue="supervisors")
    return Owner(user=officer, unit=officer.unit)


PERIODIC_SUPERVISOR_REVIEW = register(
    Policy(
        name="periodic-supervisor-review",
        title="Review the investigation again and give direction",
        # Issue 5: after the first review, reviews at set intervals (force setting, default every
        # 28 days); domain.md §10: effective supervision found in only 31 of 60 files (2018).
        rule="Supervision: review a live investigation every "
        f"{settings.BLUELAMP_SUPERVISOR_REVIEW_DAYS} days",
        opened_by="work.supervisor_reviewed",
        applies=_is_crime,
        owner=_officer_in_case_team,
        deadline=days(settings.BLUELAMP_SUPERVISOR_REVIEW_DAYS),
        discharged_by=("work.supervisor_reviewed",),
        cancelled_by=INVESTIGATION_CLOSED,
    )
)

_NO_UPDATE_RULE = (
    "Supervision: an investigation with no update for "
    f"{settings.BLUELAMP_NO_UPDATE_DAYS} days is raised to the supervisor (nothing sits unseen)"
)

# Two policies make one clock: allocation starts it, and each update discharges the running one
# and starts the next. A new allocation restarts it for the new officer.
NO_UPDATE_SINCE_ALLOCATION = register(
    Policy(
        name="no-update-since-allocation",
        title="Investigation not updated since it was allocated: see it is progressed",
        rule=_NO_UPDATE_RULE,
        opened_by="work.allocated",
        applies=_is_crime,
        owner=_officer_in_case_team,
        deadline=days(settings.BLUELAMP_NO_UPDATE_DAYS),
        discharged_by=("crime.investigation_updated",),
        cancelled_by=("work.allocated", *INVESTIGATION_CLOSED),
    )
)

NO_UPDATE_SINCE_LAST_UPDATE = register(
    Policy(
        name="no-update-since-last-update",
        title="Investigation not updated recently: see it is progressed",
        rule=_NO_UPDATE_RULE,
        opened_by="crime.investigation_updated",
        applies=_is_crime,
        owner=_officer_in_case_team,
        deadline=days(settings.BLUELAMP_NO_UPDATE_DAYS),
        discharged_by=("crime.investigation_updated",),
        cancelled_by=("work.allocated", *INVESTIGATION_CLOSED),
    )
)


def _before_bail_ends(opened: dt.datetime, event, bail) -> dt.datetime:
    """BLUELAMP_BAIL_REVIEW_DAYS_BEFORE days before the suspect's bail end date (midnight,
    London), and never before the release itself; the statutory 3 months when no end date was
    set."""
    if bail.bail_end is None:
        return days(30 * settings.BLUELAMP_PRE_CHARGE_BAIL_MONTHS)(opened)
    review = dt.datetime.combine(
        bail.bail_end - dt.timedelta(days=settings.BLUELAMP_BAIL_REVIEW_DAYS_BEFORE),
        dt.time(0),
        tzinfo=LONDON,
    ).astimezone(dt.UTC)
    return max(review, bail.occurred_at)


PRE_CHARGE_BAIL_REVIEW = register(
    Policy(
        name="pre-charge-bail-review",
        title="Review the suspect's pre-charge bail before it ends",
        # domain.md §7: pre-charge bail, initial 3 months (PCSC 2022); extend, charge or release
        # before it runs out. One duty per suspect's bail (subject: the release on bail), due a
        # set number of days before that suspect's own bail end date (the officer's); ended by
        # the suspect's next release decision or disposal.
        rule="Pre-charge bail: act before the bail end date "
        f"({settings.BLUELAMP_BAIL_REVIEW_DAYS_BEFORE} days' notice)",
        opened_by="crime.suspect_bailed",
        owner=_bailed_suspects_officer,
        due=_before_bail_ends,
        discharged_by=("crime.suspect_bail_ended",),
    )
)
