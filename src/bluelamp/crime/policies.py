"""The duties crime recording and investigation open (see duties/registry.py)."""

from django.conf import settings

from bluelamp.accounts.models import User
from bluelamp.duties.deadlines import hours, working_days
from bluelamp.duties.registry import Owner, Policy, register

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
