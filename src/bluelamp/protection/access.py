"""Who may see protection records: restricted by default (issue 17) to the safeguarding role and
the officers who created or hold them; for anyone else they do not exist (404, absent from every
list, count, duty queue and the audit log). The one scoping rule, registered with accounts so the
duty queues and the audit log keep to it too."""

from __future__ import annotations

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import register_restricted_by_default, require
from bluelamp.accounts.roles import Role

from .models import Breach, DisclosureApplication, EncompassNotice, ProtectionNotice

# Who holds each kind of record: the fields naming the officers who created or hold it.
HOLDERS: dict[type[Model], tuple[str, ...]] = {
    EncompassNotice: ("created_by",),
    ProtectionNotice: ("created_by",),
    Breach: ("notice__created_by",),
    DisclosureApplication: ("created_by",),
}
SEES_ALL = frozenset({Role.SAFEGUARDING})


def _held(actor: User, model: type[Model]) -> Q:
    held = Q(pk__in=[])
    for field in HOLDERS[model]:
        held |= Q(**{field: actor})
    return held


def scoped(queryset: QuerySet, actor: User, action: str = "view") -> QuerySet:
    """The records of ``queryset`` this user may see (checks ``<kind>.<action>`` first)."""
    model = queryset.model
    require(actor, f"{model.permission_name}.{action}")
    if actor.role in SEES_ALL:
        return queryset
    return queryset.filter(_held(actor, model))


def get_scoped(queryset: QuerySet, actor: User, pk: int, action: str = "view"):
    try:
        return scoped(queryset, actor, action).get(pk=pk)
    except queryset.model.DoesNotExist:
        raise Http404(f"No {queryset.model._meta.verbose_name} {pk}.") from None


def _seen_for(model: type[Model]):
    def seen(actor: User) -> QuerySet | None:
        if getattr(actor, "role", None) in SEES_ALL:
            return None
        return model.objects.filter(_held(actor, model)).values("pk")

    return seen


for _model in HOLDERS:
    register_restricted_by_default(_model, _seen_for(_model))
