"""The only writers of links between POLE records: people to events (one or several at once),
people to people, people to locations, objects to events. Each function takes the acting user,
checks permission (and the writer's area for a link on an event), validates (errors name the
field), writes, keeps history on both records and audits - in one transaction."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import check_visible, get_visible, require, require_unit, visible
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.db import save_new

from . import validation as v
from .choices import EventRole, ObjectRole, PlaceRole, Relationship
from .history import change_row, log_change, log_changes, snapshot
from .models import (
    Event,
    Location,
    ObjectEventLink,
    Person,
    PersonEventLink,
    PersonLocationLink,
    PersonRelationship,
    PoleObject,
)
from .transactions import service
from .writes import written


@transaction.atomic
def link_person_to_event(
    *, actor: User, person: Person, event: Event, role: str
) -> PersonEventLink:
    require(actor, "link.create")
    # Names prefetched once: the history and audit rows below name the person three times.
    person = get_visible(Person.objects.prefetch_related("names"), actor, person.pk)
    event = get_visible(Event.objects, actor, event.pk)
    require_unit(actor, event.owning_unit)
    role = v.check_choice(role, EventRole, "role")
    link, created = PersonEventLink.objects.get_or_create(
        person=person, event=event, role=role, defaults={"created_at": timezone.now()}
    )
    if created:
        summary = f"Linked {person.display_name} as {link.get_role_display().lower()}"
        summary_person = f"{link.get_role_display()} in {event.reference}"
        # One link, two histories (the event's and the person's), one audited write.
        log_change(actor=actor, obj=link, action="link", subject=person, summary=summary_person)
        written(
            link,
            actor=actor,
            action="link",
            subject=event,
            summary=summary,
            detail={"person": person.pk, "role": role},
        )
    return link


@service
def link_people_to_event(
    *,
    actor: User,
    event: Event,
    people: list[tuple[Person, str]],
    event_just_recorded: bool = False,
) -> list[PersonEventLink]:
    """Links several people to one event at once (a crime recorded with its victims, suspects
    and witnesses): the same checks, history and audit as ``link_person_to_event``, with one
    look-up for the people whose names are not in hand and one insert for the links. An event
    recorded in this same transaction has no links to look for (the unique constraint still
    holds if that is ever wrong)."""
    require(actor, "link.create")
    if not people:
        return []
    # The event and people are instances the caller loaded (visibly) or created in this
    # transaction: checked in hand. People whose names are not in hand are fetched with them.
    check_visible(actor, event)
    require_unit(actor, event.owning_unit)
    wanted = list(dict.fromkeys((p.pk, v.check_choice(r, EventRole, "role")) for p, r in people))
    ids = {pk for pk, _ in wanted}
    found = {}
    for person, _role in people:
        if "names" in getattr(person, "_prefetched_objects_cache", {}):
            found[person.pk] = check_visible(actor, person)
    fetch = ids - found.keys()
    if fetch:
        found.update(
            (p.pk, p)
            for p in visible(Person.objects.prefetch_related("names"), actor).filter(pk__in=fetch)
        )
    if ids - found.keys():
        raise Http404(f"No person {min(ids - found.keys())}.")  # restricted: does not exist
    existing = (
        set()
        if event_just_recorded
        else set(
            PersonEventLink.objects.filter(event=event, person_id__in=ids).values_list(
                "person_id", "role"
            )
        )
    )
    now = timezone.now()
    links = save_new(
        [
            PersonEventLink(person=found[pk], event=event, role=role, created_at=now)
            for pk, role in wanted
            if (pk, role) not in existing
        ]
    )
    # The same history and audit rows as link_person_to_event, one insert for each kind: not
    # ``written``, which writes one row at a time (bench/crime_load.py).
    changes = []
    for link in links:
        person = link.person
        role_name = link.get_role_display()
        after = snapshot(link)  # once, for both histories
        changes.append(
            change_row(
                actor=actor,
                obj=link,
                action="link",
                subject=event,
                summary=f"Linked {person.display_name} as {role_name.lower()}",
                after=after,
            )
        )
        changes.append(
            change_row(
                actor=actor,
                obj=link,
                action="link",
                subject=person,
                summary=f"{role_name} in {event.reference}",
                after=after,
            )
        )
    log_changes(changes)
    audit.record_all(
        actor=actor,
        action=Action.LINK,
        entries=[(event, {"person": link.person.pk, "role": link.role}) for link in links],
    )
    return links


@transaction.atomic
def relate_people(
    *,
    actor: User,
    person: Person,
    other: Person,
    kind: str,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> PersonRelationship:
    require(actor, "link.create")
    if person.pk == other.pk:
        raise ValidationError({"other": "A person cannot be related to themselves."})
    person = get_visible(Person.objects, actor, person.pk)
    other = get_visible(Person.objects, actor, other.pk)
    v.check_valid_days(valid_from=valid_from, valid_to=valid_to)
    v.check_date_order(valid_from, valid_to, "valid_to")
    rel = PersonRelationship.objects.create(
        person=person,
        other=other,
        kind=v.check_choice(kind, Relationship, "kind"),
        valid_from=valid_from,
        valid_to=valid_to,
        created_at=timezone.now(),
    )
    written(
        rel,
        actor=actor,
        action="link",
        subject=person,
        summary=f"{rel.get_kind_display()} {other.display_name}",
        detail={"other": other.pk},
    )
    return rel


@transaction.atomic
def link_person_to_location(
    *,
    actor: User,
    person: Person,
    location: Location,
    kind: str,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> PersonLocationLink:
    require(actor, "link.create")
    person = get_visible(Person.objects, actor, person.pk)
    v.check_valid_days(valid_from=valid_from, valid_to=valid_to)
    v.check_date_order(valid_from, valid_to, "valid_to")
    link = PersonLocationLink.objects.create(
        person=person,
        location=location,
        kind=v.check_choice(kind, PlaceRole, "kind"),
        valid_from=valid_from,
        valid_to=valid_to,
        created_at=timezone.now(),
    )
    written(
        link,
        actor=actor,
        action="link",
        subject=person,
        summary=f"{link.get_kind_display()} {location}",
        detail={"location": location.pk},
    )
    return link


@transaction.atomic
def link_object_to_event(
    *, actor: User, obj: PoleObject, event: Event, role: str
) -> ObjectEventLink:
    require(actor, "link.create")
    event = get_visible(Event.objects, actor, event.pk)
    require_unit(actor, event.owning_unit)
    link = ObjectEventLink.objects.create(
        object=obj,
        event=event,
        role=v.check_choice(role, ObjectRole, "role"),
        created_at=timezone.now(),
    )
    written(
        link,
        actor=actor,
        action="link",
        subject=event,
        summary=f"{link.get_role_display()}: {obj}",
        detail={"object": obj.pk},
    )
    return link
