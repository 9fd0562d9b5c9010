"""Who may see safeguarding records (issue 17 "Everywhere": restricted by default). A referral is
the safeguarding role's, and otherwise only the officer's who made it, holds a duty on it or was
granted it, and never while its event is restricted from them; MARAC cases and meetings are the
safeguarding role's alone. ``visible_referrals`` (services.py) and MARAC's pages keep to these
rules; registered with accounts so that the audit log and the duty queues keep to them too: a
chief officer reading the log finds no row naming a referral or a MARAC case, and an auditor
finds the rows without their labels."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from bluelamp.accounts.models import AccessGrant, User
from bluelamp.accounts.permissions import can, hidden_ids, register_restricted_by_default
from bluelamp.accounts.roles import Role
from bluelamp.core.models import Event
from bluelamp.duties.models import Duty

from .models import MaracCase, MaracMeeting, Referral


def held(actor: User) -> Q:
    """The referrals an officer without the safeguarding role may see, their restricted events
    aside: those they made, hold a duty on, or were granted. One union of three index look-ups:
    as an OR of the three, every referral in the force was read to find an officer's few."""
    kind = ContentType.objects.get_for_model(Referral)
    return Q(
        pk__in=Referral.objects.filter(created_by=actor)
        .order_by()
        .values("pk")
        .union(
            Duty.objects.filter(subject_type=kind, owner=actor).order_by().values("subject_id"),
            AccessGrant.objects.filter(user=actor, content_type=kind)
            .order_by()
            .values("object_id"),
        )
    )


def _seen_referrals(actor: User) -> QuerySet | None:
    if not can(actor, "referral.view"):
        return Referral.objects.none().values("pk")
    hidden_events = hidden_ids(actor, Event)
    if getattr(actor, "role", None) == Role.SAFEGUARDING:
        # Every referral, but those on a restricted event they hold no grant for (rare).
        if not hidden_events.exists():
            return None
        return Referral.objects.exclude(event_id__in=hidden_events).values("pk")
    return Referral.objects.filter(held(actor)).exclude(event_id__in=hidden_events).values("pk")


def _marac_staff_only(model):
    def seen(actor: User) -> QuerySet | None:
        return None if can(actor, "safeguarding.marac") else model.objects.none().values("pk")

    return seen


# Their duties are kept to the safeguarding role and their holders by policies.py's readers.
for _model, _seen in (
    (Referral, _seen_referrals),
    (MaracCase, _marac_staff_only(MaracCase)),
    (MaracMeeting, _marac_staff_only(MaracMeeting)),
):
    register_restricted_by_default(_model, _seen, duties_by_readers=True)
