"""The only writers of events (incidents, crimes, ...): their references, recording and changes;
and the audited reads of an event and the people linked to it. Features keep their own detail
alongside. Each writer takes the acting user, checks permission and the writer's area,
validates (errors name the field), writes, keeps history and audits - in one transaction."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from bluelamp.accounts.models import Unit, User
from bluelamp.accounts.permissions import get_visible, require, require_unit, visible, visible_q
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.db import save_new

from . import validation as v
from .choices import EventKind, EventStatus
from .history import snapshot
from .models import Event, Location, Person, PersonEventLink, ReferenceCounter
from .transactions import service
from .writes import written


def next_reference(*, when: dt.datetime | None = None) -> str:
    """The next human reference, e.g. LC-20261123-00042: force code, the day in Europe/London,
    and that day's sequence number. Safe under concurrent writers on both databases."""
    day = timezone.localdate(when or timezone.now())
    number = _bump_counter(day)
    if number is None:  # the day's first reference
        try:
            with transaction.atomic():
                ReferenceCounter.objects.create(day=day, last=1)
            number = 1
        except IntegrityError:  # another writer created it first
            number = _bump_counter(day)
    return f"{settings.BLUELAMP_FORCE_CODE}-{day:%Y%m%d}-{number:05d}"


def _bump_counter(day: dt.date) -> int | None:
    """One statement (UPDATE ... RETURNING, SQLite >= 3.35 and PostgreSQL): the increment and
    the number it gave are atomic together, without a savepoint and a second read per event."""
    table = connection.ops.quote_name(ReferenceCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE {table} SET "last" = "last" + 1 WHERE "day" = %s RETURNING "last"',  # noqa: S608 - our table name
            [day.isoformat()],
        )
        row = cursor.fetchone()
    return row[0] if row else None


@service
def record_event(
    *,
    actor: User,
    kind: str,
    summary: str,
    owning_unit: Unit,
    reported_at: dt.datetime | None = None,
    occurred_from: dt.datetime | None = None,
    occurred_to: dt.datetime | None = None,
    location: Location | None = None,
    officer_in_case: User | None = None,
) -> Event:
    """Records something that happened. Features (contact, crime, ...) call this for the common
    part and keep their own detail alongside."""
    require(actor, "event.create")
    require_unit(actor, owning_unit)
    now = timezone.now()
    reported_at = reported_at or now
    v.check_moments(reported_at=reported_at, occurred_from=occurred_from, occurred_to=occurred_to)
    v.check_date_order(occurred_from, occurred_to, "occurred_to")
    if occurred_from is not None and occurred_from > reported_at + v.CLOCK_SLACK:
        raise ValidationError({"occurred_from": "Cannot be after it was reported."})
    (event,) = save_new(
        [
            Event(
                kind=v.check_choice(kind, EventKind, "kind"),
                reference=next_reference(when=now),
                summary=v.clean_text(summary, field="summary", max_length=300, required=True),
                reported_at=reported_at,
                occurred_from=occurred_from,
                occurred_to=occurred_to,
                location=location,
                owning_unit=owning_unit,
                officer_in_case=officer_in_case,
                created_at=now,
            )
        ]
    )
    written(event, actor=actor, action="create")
    return event


# One door per kind of record (DESIGN.md, Principles): a crime is made only by crime recording,
# which brings its offence code, QA check, victim record and Victims' Code duties with it; an
# incident only from a call or "New incident", which bring the grading and response targets. The
# generic form and POST /api/events go through ``record_other_event``, which refuses both kinds.
OWN_DOORS = {
    EventKind.CRIME: (
        "A crime cannot be recorded here: use Record a crime, so that its offence, quality "
        "check and the victim's duties are recorded with it."
    ),
    EventKind.INCIDENT: (
        "An incident cannot be recorded here: take a call or use New incident, so that it is "
        "graded and its response target set."
    ),
}
OTHER_KINDS = [(kind.value, kind.label) for kind in EventKind if kind not in OWN_DOORS]


@service
def record_other_event(*, actor: User, kind: str, **fields) -> Event:
    """Records an event of a kind no feature has its own door for yet (anti-social behaviour, a
    missing episode, stop and search, an arrest, intelligence): the generic form's and API's
    writer. A crime or an incident is refused, naming the field."""
    if kind in OWN_DOORS:
        raise ValidationError({"kind": OWN_DOORS[EventKind(kind)]})
    return record_event(actor=actor, kind=kind, **fields)


EVENT_FIELDS = (
    "summary",
    "status",
    "occurred_from",
    "occurred_to",
    "location",
    "owning_unit",
    "officer_in_case",
)


@transaction.atomic
def change_event(*, actor: User, event: Event, **changes) -> Event:
    require(actor, "event.change")
    unknown = set(changes) - set(EVENT_FIELDS)
    if unknown:
        raise ValidationError({f: "This field cannot be changed here." for f in unknown})
    event = get_visible(Event.objects.select_for_update(), actor, event.pk)
    require_unit(actor, event.owning_unit)
    before = snapshot(event)
    if "summary" in changes:
        changes["summary"] = v.clean_text(
            changes["summary"], field="summary", max_length=300, required=True
        )
    if "status" in changes:
        v.check_choice(changes["status"], EventStatus, "status")
    if "owning_unit" in changes:
        require_unit(actor, changes["owning_unit"])
    v.check_moments(**{f: changes[f] for f in ("occurred_from", "occurred_to") if f in changes})
    for field, value in changes.items():
        setattr(event, field, value)
    v.check_date_order(event.occurred_from, event.occurred_to, "occurred_to")
    written(
        event,
        actor=actor,
        action="change",
        before=before,
        save=True,
        detail={"fields": sorted(changes)},
    )
    return event


def view_event(*, actor: User, event_id: int) -> Event:
    event = get_visible(
        Event.objects.select_related("location", "owning_unit", "officer_in_case"), actor, event_id
    )
    audit.record(actor=actor, action=Action.VIEW, obj=event)
    return event


def event_people(*, actor: User, event: Event):
    return (
        PersonEventLink.objects.filter(event=event)
        .filter(visible_q(actor, Person, "person"))
        .prefetch_related("person__names")
        .order_by("role", "id")
    )


def visible_events(actor: User):
    return visible(Event.objects.all(), actor)
