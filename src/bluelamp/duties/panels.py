"""The "Duties on this record" panel on an event's page: every duty about the event itself, or
about a record that belongs to it (e.g. a victim's care record on a crime), with its state, due
time, when it was done and whether on time. How a supervisor, QA or a court sees what was owed on
one case and whether it was met, without a report."""

from __future__ import annotations

from functools import cache

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from bluelamp.accounts.permissions import can, visible_q
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core.models import Event, Person
from bluelamp.ui.extensions import RecordPanel, register_event_panel
from bluelamp.ui.navigation import register_nav_link, register_page_link

from .models import Duty
from .queries import may_see
from .registry import POLICIES

LIMIT = 100

register_nav_link("Duties", "duties:mine", permission="duty.view_own", order=80)
register_page_link(
    "supervision", "Open duties in my area", "duties:team", permission="duty.view_team", order=60
)
register_page_link(
    "supervision",
    "Duties done on time",
    "duties:compliance",
    permission="duty.view_team",
    order=70,
)


@cache
def _records_of_an_event() -> tuple[tuple[type, str, tuple[str, ...]], ...]:
    """(model, field naming its event, fields naming restrictable records) for every model that
    belongs to an event by a foreign key. Found from the models, so a new feature's records are
    included without duties/ importing it."""
    found = []
    for model in apps.get_models():
        if model is Event:
            continue
        to_event, restrictable = [], []
        for field in model._meta.concrete_fields:
            if not field.is_relation or field.related_model is None:
                continue
            if field.related_model is Event:
                to_event.append(field.name)
            if field.related_model in (Event, Person):
                restrictable.append(field.name)
        found.extend((model, name, tuple(restrictable)) for name in to_event)
    return tuple(found)


def duties_on_record(actor, event: Event):
    """The duties about ``event`` and about the visible records that belong to it: a record
    whose person (or other event) is restricted from this user adds nothing, since for them it
    does not exist."""
    on_record = Q(subject_type=ContentType.objects.get_for_model(Event), subject_id=event.pk)
    for model, field, restrictable in _records_of_an_event():
        belonging = model.objects.filter(**{field: event})
        # The event itself is visible (its page is showing); other people and events each
        # record names must be visible too.
        for name in (r for r in restrictable if r != field):
            related = model._meta.get_field(name).related_model
            belonging = belonging.filter(visible_q(actor, related, name))
        on_record |= Q(
            subject_type=ContentType.objects.get_for_model(model),
            subject_id__in=belonging.values("pk"),
        )
    return (
        Duty.objects.filter(on_record)
        .filter(may_see(actor))
        .select_related("owner", "owner_unit", "done_by", "subject_type")
        .order_by("opened_at", "id")
    )


@register_event_panel(last=True)
def duties_panel(request, event: Event) -> RecordPanel | None:
    if not can(request.user, "duty.view_own"):
        return None
    rows = list(duties_on_record(request.user, event)[:LIMIT])
    if not rows:
        return None
    for duty in rows:
        policy = POLICIES.get(duty.policy)
        duty.title = policy.title if policy else duty.policy
        duty.about_this = duty.subject_type.model_class() is Event and duty.subject_id == event.pk
        # A cancelled duty's note is the event type that cancelled it: say it in words.
        duty.because = duty.note.replace(".", ": ").replace("_", " ") if duty.note else ""
    audit.record(
        actor=request.user,
        action=Action.VIEW,
        record_type="duty",
        label=f"duties on {event.reference}",
        detail={"event": event.pk, "duties": [duty.pk for duty in rows]},
    )
    return RecordPanel("duties/record_panel.html", {"rows": rows})
