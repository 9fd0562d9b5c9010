"""Who may see missing person reports: restricted by default (issue 17) to the safeguarding role
and the officers who created or hold them (the officer in case); for anyone else they do not
exist (404, absent from every list, count, duty queue and the audit log). Registered with
accounts so the duty queues and the audit log keep to the same rule."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import register_restricted_by_default, require
from bluelamp.accounts.roles import Role

from .models import MissingReport

SEES_ALL = frozenset({Role.SAFEGUARDING})


def _held(actor: User) -> Q:
    return Q(created_by=actor) | Q(officer_in_case=actor)


def scoped(actor: User, action: str = "view") -> QuerySet[MissingReport]:
    require(actor, f"missing.{action}")
    reports = MissingReport.objects.all()
    if actor.role in SEES_ALL:
        return reports
    return reports.filter(_held(actor))


def get_scoped(actor: User, pk: int, action: str = "view", queryset=None) -> MissingReport:
    reports = scoped(actor, action)
    if queryset is not None:
        reports = queryset.filter(pk__in=reports.values("pk"))
    try:
        return reports.get(pk=pk)
    except MissingReport.DoesNotExist:
        raise Http404(f"No missing person report {pk}.") from None


def _seen(actor: User) -> QuerySet | None:
    if getattr(actor, "role", None) in SEES_ALL:
        return None
    return MissingReport.objects.filter(_held(actor)).values("pk")


register_restricted_by_default(MissingReport, _seen)
