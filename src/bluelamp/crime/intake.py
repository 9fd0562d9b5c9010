"""Recording a crime with its people, as an officer does it: the one use case that the
record-a-crime page and the API both call (issue 15), so that both find or add each person the
same way (match-on-entry, ``people.entry``) and both refuse the same things in the same words.

The order is the officer's: who (every victim, suspect and witness: a known record, or details
typed in and checked against the records already held), then where and what, then the crime
itself (``recording.record_crime``, which opens every duty owed). Nothing is written until every
person is settled, so a question ("is this the Ann Lee we already know?") or a refusal leaves
nothing behind. Errors name the entry and its detail: ``victims[1].email``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import get_visible, require
from bluelamp.core import links, persons, places
from bluelamp.core import validation as v
from bluelamp.core.choices import (
    ContactChannel,
    IdentifierKind,
    ObjectKind,
    ObjectRole,
    PlaceRole,
)
from bluelamp.core.models import Event, Person
from bluelamp.core.transactions import service
from bluelamp.people.entry import Entry, resolve_people

from . import recording
from .models import Crime

ROLES = ("victim", "suspect", "witness")


@dataclass
class Party:
    """One person on the crime: who they are (``entry``) and, for a victim, how to reach them
    and how they would like to hear from us (domain.md 1.4, the contact plan)."""

    role: str
    entry: Entry
    phone: str = ""
    email: str = ""
    line1: str = ""  # where they live, if not where it happened
    postcode: str = ""
    preferred: str = ""  # a ContactChannel code; "" leaves the victims' default

    @property
    def field(self) -> str:
        return self.entry.field


@dataclass
class CrimeDetails:
    summary: str
    owning_unit: object
    offence_code: str
    incident_id: int | None = None
    occurred_from: dt.datetime | None = None
    occurred_to: dt.datetime | None = None
    modus_operandi: str = ""
    flags: list[str] = field(default_factory=list)
    line1: str = ""  # where it happened
    postcode: str = ""
    property_description: str = ""
    property_role: str = ObjectRole.STOLEN


def check_parties(parties: list[Party]) -> None:
    """Every problem with the parties' roles and contact details at once, by field."""
    errors: dict[str, str] = {}
    for party in parties:
        name = party.field
        if party.role not in ROLES:
            errors[f"{name}.role"] = "Choose victim, suspect or witness."
            continue
        if party.role != "victim" and (party.phone or party.email or party.preferred):
            errors[f"{name}.preferred"] = "Contact details are taken for victims."
            continue
        for kind, value in (
            (IdentifierKind.PHONE, party.phone),
            (IdentifierKind.EMAIL, party.email),
        ):
            if value:
                try:
                    v.normalise_identifier(kind, value, field=f"{name}.{kind}")
                except ValidationError as error:
                    errors.update(error.message_dict)
        if party.postcode:
            try:
                v.normalise_postcode(party.postcode, field=f"{name}.postcode")
            except ValidationError as error:
                errors.update(error.message_dict)
        if party.preferred:
            if party.preferred not in ContactChannel.values:
                errors[f"{name}.preferred"] = "Choose how they would like to hear from us."
            elif party.preferred == ContactChannel.EMAIL and not party.email:
                errors[f"{name}.email"] = "Give the email address they would like us to use."
            elif party.preferred in (ContactChannel.SMS, ContactChannel.PHONE) and not party.phone:
                errors[f"{name}.phone"] = "Give the number they would like us to use."
    if errors:
        raise ValidationError(errors)


@service
def record_crime_with_people(*, actor: User, details: CrimeDetails, parties: list[Party]) -> Crime:
    """Records a crime with its victims, suspects and witnesses as one piece of work.
    Raises ``people.entry.ChooseFirst`` (nothing saved) while any typed person has likely
    existing records and no choice yet; ``ValidationError`` naming the field for bad input."""
    require(actor, "crime.record")
    check_parties(parties)
    people = resolve_people(actor=actor, context="crime", entries=[p.entry for p in parties])
    incident = None
    if details.incident_id:
        incident = get_visible(Event.objects.all(), actor, details.incident_id)
    location = None
    if details.line1 or details.postcode:
        location = places.create_location(
            actor=actor, line1=details.line1, postcode=details.postcode
        )
    objects = []
    if details.property_description:
        obj = places.create_object(
            actor=actor, kind=ObjectKind.PROPERTY, description=details.property_description
        )
        objects.append((obj, details.property_role))
    channels = {}
    for party, person in zip(parties, people, strict=True):
        if party.role == "victim":
            _keep_contact(actor, party, person)
            if party.preferred:
                channels[person.pk] = party.preferred
    by_role = {role: _unique(people, parties, role) for role in ROLES}
    with persons.just_created(people):
        return recording.record_crime(
            actor=actor,
            summary=details.summary,
            owning_unit=details.owning_unit,
            offence_code=details.offence_code,
            incident=incident,
            occurred_from=details.occurred_from,
            occurred_to=details.occurred_to,
            location=location or (incident.location if incident else None),
            modus_operandi=details.modus_operandi,
            objects=objects,
            flags=details.flags,
            victims=by_role["victim"],
            suspects=by_role["suspect"],
            witnesses=by_role["witness"],
            victim_channels=channels,
        )


def _unique(people: list[Person], parties: list[Party], role: str) -> list[Person]:
    """The people in ``role``, each once (the same record chosen twice is one party)."""
    chosen = [person for person, party in zip(people, parties, strict=True) if party.role == role]
    return list({person.pk: person for person in chosen}.values())


def _keep_contact(actor: User, party: Party, person: Person) -> None:
    """A victim's number, email and home address, kept on their record (POLE), where the
    victims' contact plan reads them."""
    for kind, value in _contact(party):
        if value:
            persons.add_identifier(actor=actor, person=person, kind=kind, value=value)
    if party.line1 or party.postcode:
        home = places.create_location(actor=actor, line1=party.line1, postcode=party.postcode)
        links.link_person_to_location(
            actor=actor, person=person, location=home, kind=PlaceRole.LIVES_AT
        )


def _contact(party: Party) -> tuple[tuple[str, str], ...]:
    return ((IdentifierKind.PHONE, party.phone), (IdentifierKind.EMAIL, party.email))
