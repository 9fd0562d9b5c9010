"""The duties an investigation opens (see duties/registry.py): periodic supervision, the
28-day no-update rule and the review of each suspect's pre-charge bail. Registered by
crime/policies.py, which the duties app discovers."""

import datetime as dt

from django.conf import settings

from bluelamp.core.choices import EventKind
from bluelamp.duties.deadlines import LONDON, Deadline, hours
from bluelamp.duties.registry import Owner, Policy, register

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
