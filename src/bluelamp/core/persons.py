"""The only writers of POLE records. Each function takes the acting user, checks permission,
validates (errors name the field), writes, keeps history and audits - in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Model, Prefetch
from django.http import Http404
from django.utils import timezone

from bluelamp.accounts.models import AccessGrant, Unit, User
from bluelamp.accounts.permissions import (
    check_visible,
    get_visible,
    permission_name,
    require,
    require_unit,
    visible,
    visible_q,
)
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.db import save_new

from . import validation as v
from .choices import (
    Ethnicity,
    EventKind,
    EventRole,
    EventStatus,
    Gender,
    IdentifierKind,
    NameKind,
    ObjectKind,
    ObjectRole,
    OrganisationKind,
    PlaceRole,
    Relationship,
    WarningKind,
)
from .history import change_row, log_change, log_changes, snapshot
from .models import (
    Event,
    Identifier,
    Location,
    ObjectEventLink,
    Organisation,
    Person,
    PersonEventLink,
    PersonLocationLink,
    PersonName,
    PersonRelationship,
    PoleObject,
    ReferenceCounter,
    WarningMarker,
    shown_name,
)
from .signals import people_created
from .transactions import service

# --- people ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewPerson:
    """The details a nominal is first recorded with (``create_people``)."""

    given_names: str = ""
    family_name: str = ""
    dob_year: int | None = None
    dob_month: int | None = None
    dob_day: int | None = None
    gender: str = Gender.UNKNOWN
    ethnicity: str = Ethnicity.NS
    nationality: str = ""


def create_person(*, actor: User, **details) -> Person:
    """Records a new nominal under the name they are first known by."""
    try:
        return create_people(actor=actor, people=[NewPerson(**details)])[0]
    except ValidationError as error:
        raise ValidationError(
            {field.split(".", 1)[1]: m for field, m in error.message_dict.items()}
        ) from None


@service
def create_people(*, actor: User, people: list[NewPerson]) -> list[Person]:
    """Records several new nominals, each under the name they are first known by, with one
    insert per table whatever their number (a crime recorded with its victim and suspect:
    bench/crime_load.py). Errors name the person by position: ``{"1.family_name": ...}``.
    Emits ``people_created`` so people/ indexes them for matching in the same transaction."""
    require(actor, "person.create")
    cleaned, errors = [], {}
    for index, details in enumerate(people):
        try:
            cleaned.append(_clean_new_person(details))
        except ValidationError as error:
            errors.update({f"{index}.{f}": m for f, m in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    # save_new: bulk_create's inserts at less cost; like it, no save signals (indexed below).
    persons = save_new([Person(created_at=now, **fields) for fields, _given, _family in cleaned])
    names = save_new(
        [
            PersonName(
                person=person,
                kind=NameKind.CURRENT,
                given_names=given,
                family_name=family,
                first_known=True,
                recorded_at=now,
            )
            for person, (_fields, given, family) in zip(persons, cleaned, strict=True)
        ]
    )
    # The person has nothing else yet: people/ indexes them from these values.
    people_created.send(sender=Person, names=names)
    for person, name in zip(persons, names, strict=True):
        person.first_name_in_hand = name  # for just_created
    log_changes(
        [
            change_row(
                actor=actor,
                obj=person,
                action="create",
                summary=f"Created as {name.given_names} {name.family_name}",
            )
            for person, name in zip(persons, names, strict=True)
        ]
    )
    audit.record_all(
        actor=actor,
        action=Action.CREATE,
        entries=[(p, None, _label_with(p, n)) for p, n in zip(persons, names, strict=True)],
    )
    return persons


def _clean_new_person(details: NewPerson) -> tuple[dict, str, str]:
    given = v.clean_text(details.given_names, field="given_names", max_length=120)
    family = v.clean_text(details.family_name, field="family_name", max_length=120)
    if not (given or family):
        raise ValidationError({"family_name": "Give at least a family name or a given name."})
    v.check_date_of_birth(details.dob_year, details.dob_month, details.dob_day)
    fields = {
        "dob_year": details.dob_year,
        "dob_month": details.dob_month,
        "dob_day": details.dob_day,
        "gender": v.check_choice(details.gender, Gender, "gender"),
        "ethnicity": v.check_choice(details.ethnicity, Ethnicity, "ethnicity"),
        "nationality": v.clean_text(details.nationality, field="nationality", max_length=60),
    }
    return fields, given, family


@contextmanager
def just_created(people: list[Person]) -> Iterator[None]:
    """For one step right after ``create_people`` (a crime recorded with its new victim and
    suspect: bench/crime_load.py), what is known of the people it just made without asking the
    database: each has only the name they were created with (so history and audit name them
    without a query) and no other records (``person.just_created``: victims/ counts no earlier
    crimes for them). Forgotten on leaving, when either may stop being true; nothing inside may
    add a name, and only the one step may link them."""
    marked = []
    for person in people:
        name = getattr(person, "first_name_in_hand", None)
        if name is not None and "names" not in getattr(person, "_prefetched_objects_cache", {}):
            names = PersonName.objects.filter(person=person)
            names._result_cache, names._prefetch_done = [name], True
            person._prefetched_objects_cache = {"names": names}
            person.just_created = True
            marked.append(person)
    try:
        yield
    finally:
        for person in marked:
            del person._prefetched_objects_cache
            del person.just_created


def _label_with(person: Person, name: PersonName) -> str:
    """str(person) for a person whose only name is in hand, without a query for it."""
    return person.label_with(shown_name(person.pk, [name]))


PERSON_FIELDS = ("dob_year", "dob_month", "dob_day", "gender", "ethnicity", "nationality")


@transaction.atomic
def change_person(*, actor: User, person: Person, **changes) -> Person:
    require(actor, "person.change")
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise ValidationError({f: "This field cannot be changed here." for f in unknown})
    person = get_visible(Person.objects.select_for_update(), actor, person.pk)
    before = snapshot(person)
    for field, value in changes.items():
        if field == "gender":
            value = v.check_choice(value, Gender, field)
        elif field == "ethnicity":
            value = v.check_choice(value, Ethnicity, field)
        elif field == "nationality":
            value = v.clean_text(value, field=field, max_length=60)
        setattr(person, field, value)
    v.check_date_of_birth(person.dob_year, person.dob_month, person.dob_day)
    person.save()
    if log_change(actor=actor, obj=person, action="change", before=before):
        audit.record(
            actor=actor, action=Action.CHANGE, obj=person, detail={"fields": sorted(changes)}
        )
    return person


@transaction.atomic
def add_name(
    *,
    actor: User,
    person: Person,
    given_names: str = "",
    family_name: str = "",
    kind: str = NameKind.ALIAS,
) -> PersonName:
    """Adds an alias, nickname or new name. The first-known name is never replaced."""
    require(actor, "person.change")
    person = get_visible(Person.objects, actor, person.pk)
    given = v.clean_text(given_names, field="given_names", max_length=120)
    family = v.clean_text(family_name, field="family_name", max_length=120)
    if not (given or family):
        raise ValidationError({"family_name": "Give at least a family name or a given name."})
    kind = v.check_choice(kind, NameKind, "kind")
    if kind == NameKind.CURRENT:
        person.names.filter(kind=NameKind.CURRENT).update(kind=NameKind.PREVIOUS)
    name = PersonName.objects.create(
        person=person, kind=kind, given_names=given, family_name=family, recorded_at=timezone.now()
    )
    log_change(
        actor=actor,
        obj=name,
        action="change",
        subject=person,
        summary=f"Added {name.get_kind_display().lower()}: {name}",
    )
    audit.record(actor=actor, action=Action.CHANGE, obj=person, detail={"added": "name"})
    return name


@transaction.atomic
def add_identifier(*, actor: User, person: Person, kind: str, value: str) -> Identifier:
    require(actor, "person.change")
    person = get_visible(Person.objects, actor, person.pk)
    kind = v.check_choice(kind, IdentifierKind, "kind")
    normalised = v.normalise_identifier(kind, value)
    identifier = Identifier.objects.create(
        person=person, kind=kind, value=value.strip(), normalised=normalised
    )
    log_change(
        actor=actor, obj=identifier, action="change", subject=person, summary=f"Added {identifier}"
    )
    audit.record(actor=actor, action=Action.CHANGE, obj=person, detail={"added": "identifier"})
    return identifier


@transaction.atomic
def add_warning_marker(
    *,
    actor: User,
    person: Person,
    kind: str,
    source: str,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    detail: str = "",
) -> WarningMarker:
    require(actor, "person.change")
    person = get_visible(Person.objects, actor, person.pk)
    valid_from = valid_from or timezone.localdate()
    v.check_valid_days(valid_from=valid_from, valid_to=valid_to)
    v.check_date_order(valid_from, valid_to, "valid_to")
    marker = WarningMarker.objects.create(
        person=person,
        kind=v.check_choice(kind, WarningKind, "kind"),
        source=v.clean_text(source, field="source", max_length=200, required=True),
        detail=v.clean_text(detail, field="detail", max_length=500),
        valid_from=valid_from,
        valid_to=valid_to,
        recorded_by_name=actor.display_name,
    )
    log_change(
        actor=actor,
        obj=marker,
        action="change",
        subject=person,
        summary=f"Warning marker: {marker}",
    )
    audit.record(actor=actor, action=Action.CHANGE, obj=person, detail={"added": "warning"})
    return marker


def view_person(*, actor: User, person_id: int) -> Person:
    """One person, with names, identifiers and warnings; the read is audited."""
    person = get_visible(
        Person.objects.prefetch_related("names", "identifiers", "warnings"), actor, person_id
    )
    audit.record(actor=actor, action=Action.VIEW, obj=person)
    return person


def person_links(*, actor: User, person: Person) -> dict:
    """What a person is linked to, restricted records left out."""
    return {
        "events": PersonEventLink.objects.filter(person=person)
        .filter(visible_q(actor, Event, "event"))
        .select_related("event")
        .order_by("-event__reported_at"),
        "relationships": PersonRelationship.objects.filter(person=person)
        .filter(visible_q(actor, Person, "other"))
        .prefetch_related(Prefetch("other__names")),
        "inverse_relationships": PersonRelationship.objects.filter(other=person)
        .filter(visible_q(actor, Person, "person"))
        .prefetch_related(Prefetch("person__names")),
        "locations": PersonLocationLink.objects.filter(person=person).select_related("location"),
    }


# --- locations, objects, organisations ------------------------------------------------------

LOCATION_TEXT = {"line1": 200, "line2": 200, "town": 100, "description": 200}


def _location_values(values: dict) -> dict:
    clean = {
        k: v.clean_text(values.get(k), field=k, max_length=n)
        for k, n in LOCATION_TEXT.items()
        if k in values
    }
    if "postcode" in values:
        clean["postcode"] = v.normalise_postcode(values["postcode"])
    if "uprn" in values:
        uprn = (values["uprn"] or "").strip()
        if uprn and not (uprn.isdigit() and len(uprn) <= 12):
            raise ValidationError({"uprn": "A UPRN is up to 12 digits."})
        clean["uprn"] = uprn
    if "lsoa_code" in values:
        lsoa = (values["lsoa_code"] or "").strip().upper()
        if lsoa and not (len(lsoa) == 9 and lsoa[0] in "EW" and lsoa[1:].isdigit()):
            raise ValidationError({"lsoa_code": "An LSOA code looks like E01012345."})
        clean["lsoa_code"] = lsoa
    for field, low, high in (("latitude", 49.0, 61.0), ("longitude", -8.7, 2.0)):
        if values.get(field) is not None:
            if not low <= float(values[field]) <= high:
                raise ValidationError(
                    {field: f"{field.title()} must be in Great Britain ({low} to {high})."}
                )
            clean[field] = float(values[field])
    for field in ("district", "beat"):
        if field in values:
            clean[field] = values[field]
    return clean


@transaction.atomic
def create_location(*, actor: User, **values) -> Location:
    require(actor, "location.create")
    clean = _location_values(values)
    if not any(clean.get(k) for k in ("line1", "postcode", "description", "uprn")):
        raise ValidationError({"line1": "Give an address, a postcode or a description."})
    location = Location.objects.create(created_at=timezone.now(), **clean)
    log_change(actor=actor, obj=location, action="create")
    audit.record(actor=actor, action=Action.CREATE, obj=location)
    return location


@transaction.atomic
def change_location(*, actor: User, location: Location, **values) -> Location:
    require(actor, "location.change")
    location = Location.objects.select_for_update().get(pk=location.pk)
    before = snapshot(location)
    for field, value in _location_values(values).items():
        setattr(location, field, value)
    location.save()
    if log_change(actor=actor, obj=location, action="change", before=before):
        audit.record(actor=actor, action=Action.CHANGE, obj=location)
    return location


@transaction.atomic
def create_object(
    *,
    actor: User,
    kind: str,
    description: str = "",
    vrm: str = "",
    make: str = "",
    model: str = "",
    colour: str = "",
    serial_number: str = "",
) -> PoleObject:
    require(actor, "object.create")
    kind = v.check_choice(kind, ObjectKind, "kind")
    vrm = v.normalise_vrm(vrm)
    if kind == ObjectKind.VEHICLE and not vrm and not description:
        raise ValidationError({"vrm": "Give the registration, or describe the vehicle."})
    obj = PoleObject.objects.create(
        kind=kind,
        vrm=vrm,
        description=v.clean_text(description, field="description", max_length=300),
        make=v.clean_text(make, field="make", max_length=60),
        model=v.clean_text(model, field="model", max_length=60),
        colour=v.clean_text(colour, field="colour", max_length=40),
        serial_number=v.clean_text(serial_number, field="serial_number", max_length=80).upper(),
        created_at=timezone.now(),
    )
    if not str(obj).strip():
        raise ValidationError({"description": "Describe the object."})
    log_change(actor=actor, obj=obj, action="create")
    audit.record(actor=actor, action=Action.CREATE, obj=obj)
    return obj


@transaction.atomic
def create_organisation(
    *,
    actor: User,
    kind: str,
    name: str,
    location: Location | None = None,
    phone: str = "",
    email: str = "",
    key_adult_name: str = "",
    key_adult_phone: str = "",
    key_adult_email: str = "",
) -> Organisation:
    require(actor, "organisation.create")
    emails = {}
    for field, value in (("email", email), ("key_adult_email", key_adult_email)):
        emails[field] = v.normalise_identifier("email", value, field=field) if value else ""
    org = Organisation.objects.create(
        kind=v.check_choice(kind, OrganisationKind, "kind"),
        name=v.clean_text(name, field="name", max_length=200, required=True),
        location=location,
        phone=v.clean_text(phone, field="phone", max_length=30),
        key_adult_name=v.clean_text(key_adult_name, field="key_adult_name", max_length=120),
        key_adult_phone=v.clean_text(key_adult_phone, field="key_adult_phone", max_length=30),
        created_at=timezone.now(),
        **emails,
    )
    log_change(actor=actor, obj=org, action="create")
    audit.record(actor=actor, action=Action.CREATE, obj=org)
    return org


# --- events ---------------------------------------------------------------------------------


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
    log_change(actor=actor, obj=event, action="create")
    audit.record(actor=actor, action=Action.CREATE, obj=event)
    return event


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
    event.save()
    if log_change(actor=actor, obj=event, action="change", before=before):
        audit.record(
            actor=actor, action=Action.CHANGE, obj=event, detail={"fields": sorted(changes)}
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


# --- links ----------------------------------------------------------------------------------


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
        log_change(actor=actor, obj=link, action="link", subject=event, summary=summary)
        log_change(
            actor=actor,
            obj=link,
            action="link",
            subject=person,
            summary=f"{link.get_role_display()} in {event.reference}",
        )
        audit.record(
            actor=actor, action=Action.LINK, obj=event, detail={"person": person.pk, "role": role}
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
    # The same history and audit rows as link_person_to_event, one insert for each kind.
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
    log_change(
        actor=actor,
        obj=rel,
        action="link",
        subject=person,
        summary=f"{rel.get_kind_display()} {other.display_name}",
    )
    audit.record(actor=actor, action=Action.LINK, obj=person, detail={"other": other.pk})
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
    log_change(
        actor=actor,
        obj=link,
        action="link",
        subject=person,
        summary=f"{link.get_kind_display()} {location}",
    )
    audit.record(actor=actor, action=Action.LINK, obj=person, detail={"location": location.pk})
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
    log_change(
        actor=actor,
        obj=link,
        action="link",
        subject=event,
        summary=f"{link.get_role_display()}: {obj}",
    )
    audit.record(actor=actor, action=Action.LINK, obj=event, detail={"object": obj.pk})
    return link


# --- restriction ----------------------------------------------------------------------------


def _restrictable(model: type[Model]) -> None:
    if not hasattr(model, "is_restricted"):
        raise ValidationError({"record": "This kind of record cannot be restricted."})


@transaction.atomic
def grant_access(*, actor: User, record: Model, user: User, reason: str) -> AccessGrant:
    """Lets ``user`` see a restricted record. Only someone who can see it may grant it."""
    require(actor, "record.restrict")
    _restrictable(type(record))
    record = get_visible(type(record).objects, actor, record.pk)
    if permission_name(type(record)) == "event":
        require_unit(actor, record.owning_unit)
    reason = v.clean_text(reason, field="reason", max_length=500, required=True)
    grant, _ = AccessGrant.objects.get_or_create(
        user=user,
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        defaults={
            "reason": reason,
            "granted_by_name": actor.display_name,
            "granted_at": timezone.now(),
        },
    )
    log_change(
        actor=actor,
        obj=record,
        action="change",
        subject=record,
        before=snapshot(record),
        summary=f"Access granted to {user.display_name}: {reason}",
    )
    audit.record(
        actor=actor, action=Action.GRANT, obj=record, detail={"grantee": user.pk, "reason": reason}
    )
    return grant


@transaction.atomic
def restrict_record(
    *, actor: User, record: Model, reason: str, grant_to: list[User] | tuple = ()
) -> Model:
    """Restricts a person or event (e.g. a crime whose victim or suspect is a member of staff).
    The restricting user keeps access; others named in ``grant_to`` get it too."""
    require(actor, "record.restrict")
    _restrictable(type(record))
    reason = v.clean_text(reason, field="reason", max_length=500, required=True)
    record = get_visible(type(record).objects.select_for_update(), actor, record.pk)
    if record.is_restricted:
        raise ValidationError({"record": "This record is already restricted."})
    if permission_name(type(record)) == "event":
        require_unit(actor, record.owning_unit)
    before = snapshot(record)
    record.is_restricted = True
    record.restriction_reason = reason
    record.save(update_fields=["is_restricted", "restriction_reason"])
    log_change(actor=actor, obj=record, action="change", before=before, summary="Restricted")
    for user in {actor, *grant_to}:
        AccessGrant.objects.get_or_create(
            user=user,
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
            defaults={
                "reason": reason,
                "granted_by_name": actor.display_name,
                "granted_at": timezone.now(),
            },
        )
    audit.record(
        actor=actor,
        action=Action.GRANT,
        obj=record,
        detail={"restricted": True, "grantees": sorted(u.pk for u in {actor, *grant_to})},
    )
    return record


def visible_people(actor: User):
    return visible(Person.objects.all(), actor)


def visible_events(actor: User):
    return visible(Event.objects.all(), actor)


def view_record(*, actor: User, queryset, pk: int) -> Model:
    """Any POLE record by id, audited as a consultation; 404 when not visible."""
    record = get_visible(queryset, actor, pk)
    audit.record(actor=actor, action=Action.VIEW, obj=record)
    return record


def view_history(*, actor: User, record: Model):
    from .history import history_of

    require(actor, "history.view")
    audit.record(actor=actor, action=Action.VIEW, obj=record, detail={"part": "history"})
    return history_of(record, actor=actor)
