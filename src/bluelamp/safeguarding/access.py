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
from bluelamp.accounts.permissions import can, hidden_ids, register_hidden_by_default
from bluelamp.accounts.roles import Role
from bluelamp.core.models import Event
from bluelamp.duties.models import Duty

from .models import MaracCase, MaracMeeting, Referral


def held(actor: User) -> Q:
    """The referrals an officer without the safeguarding role may see, their restricted events
    aside: those they made, hold a duty on, or were granted."""
    kind = ContentType.objects.get_for_model(Referral)
    duties = Duty.objects.filter(subject_type=kind, owner=actor).values("subject_id")
    granted = AccessGrant.objects.filter(user=actor, content_type=kind).values("object_id")
    return Q(created_by=actor) | Q(pk__in=duties) | Q(pk__in=granted)


def _hidden_referrals(actor: User) -> QuerySet:
    on_hidden_events = Q(event_id__in=hidden_ids(actor, Event))
    if getattr(actor, "role", None) == Role.SAFEGUARDING:
        return Referral.objects.filter(on_hidden_events).values("pk")
    if not can(actor, "referral.view"):
        return Referral.objects.values("pk")
    seen = Referral.objects.filter(held(actor)).exclude(on_hidden_events)
    return Referral.objects.exclude(pk__in=seen.values("pk")).values("pk")


def _marac_staff_only(model):
    def hidden(actor: User) -> QuerySet:
        if can(actor, "safeguarding.marac"):
            return model.objects.none().values("pk")
        return model.objects.values("pk")

    return hidden


register_hidden_by_default(Referral, _hidden_referrals)
register_hidden_by_default(MaracCase, _marac_staff_only(MaracCase))
register_hidden_by_default(MaracMeeting, _marac_staff_only(MaracMeeting))
