"""Contact's in-transaction reactions: an attend duty that the duties worker escalates as
overdue is a missed response target (no arrival by the grade's target), which opens the
control-room supervisor's review."""

from bluelamp.core.models import Event
from bluelamp.duties.registry import reacts_to

from .policies import ATTEND_POLICIES
from .services import mark_target_missed


@reacts_to("duty.escalated")
def attend_duty_overdue(event, duty) -> None:
    if duty.policy not in ATTEND_POLICIES:
        return
    incident = Event.objects.filter(pk=duty.subject_id).first()
    if incident is not None:
        # The target was missed when it fell due, not when the worker noticed.
        mark_target_missed(actor=None, incident=incident, at=duty.due_at)
