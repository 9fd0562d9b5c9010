"""The only writers of people (nominals): recording them (one or several at once), changing
their details, adding names, identifiers and warning markers; and the audited reads of a person
and what they are linked to. Like every core writer (places.py, events.py, links.py,
restriction.py), each function takes the acting user, checks permission, validates (errors name
the field), writes, keeps history and audits - in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import get_visible, require, visible, visible_q
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.db import save_new

from . import validation as v
from .choices import Ethnicity, Gender, IdentifierKind, NameKind, WarningKind
from .history import change_row, log_changes, snapshot
from .models import (
    Event,
    Identifier,
    Person,
    PersonEventLink,
    PersonLocationLink,
    PersonName,
    PersonRelationship,
    WarningMarker,
    shown_name,
)
from .signals import people_created
from .transactions import service
from .writes import written


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


def check_new_person(details: NewPerson) -> dict[str, list[str]]:
    """What is wrong with these details for a new nominal, by field (empty: nothing), without
    writing: a form or API body with several people reports every problem at once."""
    try:
        _clean_new_person(details)
    except ValidationError as error:
        return error.message_dict
    return {}


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
    written(
        person,
        actor=actor,
        action="change",
        before=before,
        save=True,
        detail={"fields": sorted(changes)},
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
    written(
        name,
        actor=actor,
        action="change",
        subject=person,
        summary=f"Added {name.get_kind_display().lower()}: {name}",
        detail={"added": "name"},
    )
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
    written(
        identifier,
        actor=actor,
        action="change",
        subject=person,
        summary=f"Added {identifier}",
        detail={"added": "identifier"},
    )
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
    written(
        marker,
        actor=actor,
        action="change",
        subject=person,
        summary=f"Warning marker: {marker}",
        detail={"added": "warning"},
    )
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


def visible_people(actor: User):
    return visible(Person.objects.all(), actor)
