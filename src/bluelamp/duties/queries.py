"""The questions supervisors, quality assurance and leaders ask of duties: what is mine, my
team's, a queue's, what is overdue, and how often is it done on time. Dashboards build on these.

Scope: a user sees their own duties; those with ``duty.view_team`` see their unit and the units
below it (force-wide roles see everything)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from bluelamp.accounts.models import Unit, User
from bluelamp.accounts.permissions import FORCE_WIDE_ROLES, can, hidden_ids, require, unseen
from bluelamp.core.models import Event, Person

from .deadlines import LONDON
from .models import Duty, Outcome
from .registry import POLICIES


def may_see(actor: User) -> Q:
    """Duties on a restricted event or person are left out of every queue, count and figure for
    those without a grant, and so are the duties of a policy whose ``readers`` leave this user
    out, and those on records a feature keeps restricted by default that this user may not see;
    a duty stays visible to the person who holds it (DESIGN.md: restricted means invisible
    everywhere)."""
    unreadable = [p.name for p in POLICIES.values() if p.readers and not p.readers(actor)]
    hidden = (
        Q(about_event_id__in=hidden_ids(actor, Event))
        | Q(about_person_id__in=hidden_ids(actor, Person))
        | Q(policy__in=unreadable)
    )
    # Duties on records a feature keeps restricted by default (safeguarding, missing people).
    hidden |= unseen(
        actor,
        lambda model: Q(subject_type=ContentType.objects.get_for_model(model)),
        "subject_id",
        duties=True,
    )
    return Q(owner=actor) | ~hidden


def _scope(actor: User) -> QuerySet[Duty]:
    duties = Duty.objects.select_related("owner", "owner_unit").filter(may_see(actor))
    if can(actor, "duty.view_team"):
        if actor.role in FORCE_WIDE_ROLES:
            return duties
        units = Unit.objects.filter(path__startswith=actor.unit.district().path)
        return duties.filter(Q(owner_unit__in=units) | Q(owner__unit__in=units))
    require(actor, "duty.view_own")
    return duties.filter(Q(owner=actor) | Q(owner__isnull=True, owner_unit=actor.unit))


def mine(actor: User) -> QuerySet[Duty]:
    require(actor, "duty.view_own")
    return (
        Duty.objects.filter(
            Q(owner=actor) | Q(owner__isnull=True, owner_unit=actor.unit), outcome=Outcome.OPEN
        )
        .filter(may_see(actor))
        .order_by("due_at")
    )


def team(actor: User) -> QuerySet[Duty]:
    require(actor, "duty.view_team")
    return _scope(actor).filter(outcome=Outcome.OPEN).order_by("due_at")


def queue(actor: User, name: str) -> QuerySet[Duty]:
    return _scope(actor).filter(queue=name, outcome=Outcome.OPEN).order_by("due_at")


def overdue(actor: User) -> QuerySet[Duty]:
    return _scope(actor).filter(outcome=Outcome.OPEN, due_at__lt=timezone.now()).order_by("due_at")


_GROUPS = {
    "policy": F("policy"),
    "unit": F("owner_unit__name"),
    "officer": F("done_by__username"),
    "month": TruncMonth("due_at", tzinfo=LONDON),
}


def compliance(actor: User, *, by: str = "policy", since=None) -> list[dict]:
    """Share of duties done on time, grouped by policy, unit, officer (who did it) or month
    (of the deadline). ``rate`` is on time / everything that has fallen due (done, late or still
    overdue); open duties not yet due are counted apart."""
    require(actor, "duty.view_team")
    if by not in _GROUPS:
        raise ValueError(f"group by one of {sorted(_GROUPS)}")
    now = timezone.now()
    duties = _scope(actor).exclude(outcome=Outcome.CANCELLED)
    if since is not None:
        duties = duties.filter(due_at__gte=since)
    done = Q(outcome=Outcome.DONE)
    rows = (
        duties.annotate(key=_GROUPS[by])
        .values("key")
        .annotate(
            due=Count("id"),
            on_time=Count("id", filter=done & Q(done_at__lte=F("due_at"))),
            late=Count("id", filter=done & Q(done_at__gt=F("due_at"))),
            overdue=Count("id", filter=Q(outcome=Outcome.OPEN, due_at__lt=now)),
            open=Count("id", filter=Q(outcome=Outcome.OPEN, due_at__gte=now)),
        )
        .order_by("key")
    )
    result = []
    for row in rows:
        fallen_due = row["on_time"] + row["late"] + row["overdue"]
        row["rate"] = row["on_time"] / fallen_due if fallen_due else None
        result.append(row)
    return result
