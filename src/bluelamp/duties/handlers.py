"""What the worker does when a duty is escalated: tells the owning team's supervisors by email,
once (the idempotency key is the event and recipient)."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from bluelamp.accounts.roles import Role
from bluelamp.notify import services as notify

from .deadlines import LONDON
from .models import Duty
from .registry import POLICIES, handles


@handles("duty.escalated")
def tell_supervisors(event) -> None:
    duty = Duty.objects.select_related("owner", "owner_unit").get(pk=event.subject_id)
    if duty.owner_unit is None:
        return
    supervisors = (
        get_user_model()
        .objects.filter(unit=duty.owner_unit, role=Role.SUPERVISOR, is_active=True)
        .exclude(email="")
    )
    policy = POLICIES.get(duty.policy)
    for supervisor in supervisors:
        notify.send(
            template="duty-escalated",
            to=supervisor.email,
            personalisation={
                "title": policy.title if policy else duty.policy,
                "subject": duty.subject_label,
                "due_at": f"{timezone.localtime(duty.due_at, LONDON):%d %b %Y %H:%M}",
                "rule": duty.rule,
                "owner": duty.owner.display_name if duty.owner else duty.owner_unit.name,
            },
            idempotency_key=f"duty-escalated:{event.pk}:{supervisor.pk}",
            reference=duty.subject_label,
        )
