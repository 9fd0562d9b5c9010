"""The clocks of a call: attend within the grade's target (domain.md 2.2), and a control-room
supervisor's review of every missed target (the 2018 report checks exactly this)."""

from django.conf import settings

from bluelamp.duties.deadlines import hours
from bluelamp.duties.registry import Owner, Policy, register

from .models import Area, Assessment, Grade, LogEntry, Step
from .rules import target_span

# A re-grade (call.graded again) cancels the old grade's duty and opens the new one's; arrival
# or closing (a resolution) discharges it.
DISCHARGED_BY = ("incident.arrived", "incident.closed")
CANCELLED_BY = ("call.graded",)


def _applies(grade: str, area: str | None = None):
    def applies(event, incident) -> bool:
        if event.payload.get("grade") != grade or incident.status != "open":
            return False
        # A review re-grade after the officer has already arrived owes no further attendance.
        if LogEntry.objects.filter(incident=incident, step=Step.ARRIVED).exists():
            return False
        if area is None:
            return True
        current = Assessment.objects.filter(incident=incident).first()
        return current is not None and current.area == area

    return applies


def _owner(queue: str):
    return lambda event, incident: Owner(unit=incident.owning_unit, queue=queue)


def _hours(grade: str, area: str = Area.URBAN):
    return hours(target_span(grade, area).total_seconds() / 3600)


def _attend(name, title, rule, grade, queue, area=None):
    return register(
        Policy(
            name=name,
            title=title,
            rule=rule,
            opened_by="call.graded",
            applies=_applies(grade, area),
            owner=_owner(queue),
            deadline=_hours(grade, area or Area.URBAN),
            discharged_by=DISCHARGED_BY,
            cancelled_by=CANCELLED_BY,
        )
    )


ATTEND_EMERGENCY_URBAN = _attend(
    "attend-emergency-urban",
    "Attend the emergency",
    # domain.md 2.2 grade 1 [S13]
    f"Emergency: attend within {settings.BLUELAMP_EMERGENCY_URBAN_MINUTES} min (urban)",
    Grade.EMERGENCY,
    "control-room",
    Area.URBAN,
)
ATTEND_EMERGENCY_RURAL = _attend(
    "attend-emergency-rural",
    "Attend the emergency",
    # domain.md 2.2 grade 1 [S13]
    f"Emergency: attend within {settings.BLUELAMP_EMERGENCY_RURAL_MINUTES} min (rural)",
    Grade.EMERGENCY,
    "control-room",
    Area.RURAL,
)
ATTEND_PRIORITY = _attend(
    "attend-priority",
    "Attend the priority incident",
    # domain.md 2.2 grade 2 [S13]
    f"Priority: attend within {settings.BLUELAMP_PRIORITY_MINUTES} min",
    Grade.PRIORITY,
    "control-room",
)
ATTEND_SCHEDULED = _attend(
    "attend-scheduled",
    "Attend the scheduled appointment",
    # domain.md 2.2 grade 3 [S13]: the booked appointment (its own target is checked on
    # arrival, contact/services.current_target); this duty is the outer limit.
    f"Scheduled: attend at an appointment within {settings.BLUELAMP_SCHEDULED_HOURS} h",
    Grade.SCHEDULED,
    "appointments",
)
RESOLVE_WITHOUT_DEPLOYMENT = _attend(
    "resolve-without-deployment",
    "Contact the caller and resolve without deployment",
    # domain.md 2.2 grade 4 [S14]: telephone resolution by the demand reduction unit.
    f"Resolution without deployment: contact within {settings.BLUELAMP_RESOLUTION_HOURS} h",
    Grade.RESOLUTION,
    "demand-reduction",
)
ATTEND_POLICIES = frozenset(
    p.name
    for p in (
        ATTEND_EMERGENCY_URBAN,
        ATTEND_EMERGENCY_RURAL,
        ATTEND_PRIORITY,
        ATTEND_SCHEDULED,
        RESOLVE_WITHOUT_DEPLOYMENT,
    )
)

MISSED_TARGET_REVIEW = register(
    Policy(
        name="missed-target-review",
        title="Review the missed response target and re-assess the risk",
        # 2018 inspection: delayed incidents must be reviewed by a control-room supervisor and
        # their risk re-assessed (domain.md 2.1: re-THRIVE on a change in circumstances).
        rule="Missed response target: supervisor review and re-THRIVE within "
        f"{settings.BLUELAMP_MISSED_TARGET_REVIEW_MINUTES} min",
        opened_by="incident.target_missed",
        owner=_owner("control-room-supervisors"),
        deadline=hours(settings.BLUELAMP_MISSED_TARGET_REVIEW_MINUTES / 60),
        discharged_by=("incident.target_reviewed",),
    )
)
