"""JSON API for POLE records. Handlers parse, call a service and shape the answer."""

from __future__ import annotations

from ninja import Path, Query, Router, Status

from bluelamp.accounts.permissions import get_visible

from . import events, links, persons, places, restriction
from .models import Event, Location, Person, PoleObject
from .schemas import (
    Error,
    EventCreate,
    EventRead,
    HistoryRead,
    Id,
    IdentifierCreate,
    LocationCreate,
    LocationRead,
    NameCreate,
    ObjectCreate,
    ObjectRead,
    PersonCreate,
    PersonLinkCreate,
    PersonLinkRead,
    PersonRead,
    PlaceCreate,
    RelationshipCreate,
    SearchRead,
    WarningCreate,
)
from .search import search_records

router = Router(tags=["records"])
ERRORS = frozenset({400, 401, 403, 404, 422})
PEOPLE = Person.objects.prefetch_related("names", "identifiers", "warnings")


def _reread(request, person: Person) -> Person:
    return get_visible(PEOPLE, request.user, person.pk)


@router.post("/people", response={201: PersonRead, ERRORS: Error}, operation_id="create_person")
def create_person(request, payload: PersonCreate):
    person = persons.create_person(actor=request.user, **payload.dict())
    return Status(201, _reread(request, person))


@router.get(
    "/people/{person_id}", response={200: PersonRead, ERRORS: Error}, operation_id="view_person"
)
def view_person(request, person_id: Path[Id]):
    return persons.view_person(actor=request.user, person_id=person_id)


def _person(request, person_id: int) -> Person:
    return get_visible(Person.objects, request.user, person_id)


@router.post(
    "/people/{person_id}/names", response={201: PersonRead, ERRORS: Error}, operation_id="add_name"
)
def add_name(request, person_id: Path[Id], payload: NameCreate):
    person = _person(request, person_id)
    persons.add_name(actor=request.user, person=person, **payload.dict())
    return Status(201, _reread(request, person))


@router.post(
    "/people/{person_id}/identifiers",
    response={201: PersonRead, ERRORS: Error},
    operation_id="add_identifier",
)
def add_identifier(request, person_id: Path[Id], payload: IdentifierCreate):
    person = _person(request, person_id)
    persons.add_identifier(actor=request.user, person=person, **payload.dict())
    return Status(201, _reread(request, person))


@router.post(
    "/people/{person_id}/warnings",
    response={201: PersonRead, ERRORS: Error},
    operation_id="add_warning_marker",
)
def add_warning_marker(request, person_id: Path[Id], payload: WarningCreate):
    person = _person(request, person_id)
    persons.add_warning_marker(actor=request.user, person=person, **payload.dict())
    return Status(201, _reread(request, person))


@router.post(
    "/people/{person_id}/relationships",
    response={201: PersonRead, ERRORS: Error},
    operation_id="relate_people",
)
def relate_people(request, person_id: Path[Id], payload: RelationshipCreate):
    person = _person(request, person_id)
    other = _person(request, payload.other_id)
    data = payload.dict(exclude={"other_id"})
    links.relate_people(actor=request.user, person=person, other=other, **data)
    return Status(201, _reread(request, person))


@router.post(
    "/people/{person_id}/locations",
    response={201: PersonRead, ERRORS: Error},
    operation_id="link_person_to_location",
)
def link_person_to_location(request, person_id: Path[Id], payload: PlaceCreate):
    person = _person(request, person_id)
    location = get_visible(Location.objects, request.user, payload.location_id)
    data = payload.dict(exclude={"location_id"})
    links.link_person_to_location(actor=request.user, person=person, location=location, **data)
    return Status(201, _reread(request, person))


@router.get(
    "/people/{person_id}/history",
    response={200: list[HistoryRead], ERRORS: Error},
    operation_id="person_history",
)
def person_history(request, person_id: Path[Id]):
    return list(
        restriction.view_history(actor=request.user, record=_person(request, person_id))[:200]
    )


@router.post(
    "/locations", response={201: LocationRead, ERRORS: Error}, operation_id="create_location"
)
def create_location(request, payload: LocationCreate):
    return Status(201, places.create_location(actor=request.user, **payload.dict()))


@router.get(
    "/locations/{location_id}",
    response={200: LocationRead, ERRORS: Error},
    operation_id="view_location",
)
def view_location(request, location_id: Path[Id]):
    return restriction.view_record(actor=request.user, queryset=Location.objects, pk=location_id)


@router.post("/objects", response={201: ObjectRead, ERRORS: Error}, operation_id="create_object")
def create_object(request, payload: ObjectCreate):
    return Status(201, places.create_object(actor=request.user, **payload.dict()))


@router.get(
    "/objects/{object_id}", response={200: ObjectRead, ERRORS: Error}, operation_id="view_object"
)
def view_object(request, object_id: Path[Id]):
    return restriction.view_record(actor=request.user, queryset=PoleObject.objects, pk=object_id)


@router.post("/events", response={201: EventRead, ERRORS: Error}, operation_id="record_event")
def record_event(request, payload: EventCreate):
    """Records an event of a kind with no door of its own (anti-social behaviour, a missing
    episode, stop and search, an arrest, intelligence). A crime is recorded with POST
    /api/crimes and an incident with POST /api/incidents: here either is refused with 422
    naming `kind`."""
    data = payload.dict(exclude={"location_id"})
    location = (
        get_visible(Location.objects, request.user, payload.location_id)
        if payload.location_id
        else None
    )
    event = events.record_other_event(
        actor=request.user, owning_unit=request.user.unit, location=location, **data
    )
    return Status(201, event)


@router.get(
    "/events/{event_id}", response={200: EventRead, ERRORS: Error}, operation_id="view_event"
)
def view_event(request, event_id: Path[Id]):
    return events.view_event(actor=request.user, event_id=event_id)


@router.get(
    "/events/{event_id}/people",
    response={200: list[PersonLinkRead], ERRORS: Error},
    operation_id="event_people",
)
def event_people(request, event_id: Path[Id]):
    event = events.view_event(actor=request.user, event_id=event_id)
    return list(events.event_people(actor=request.user, event=event))


@router.post(
    "/events/{event_id}/people",
    response={201: PersonLinkRead, ERRORS: Error},
    operation_id="link_person_to_event",
)
def link_person_to_event(request, event_id: Path[Id], payload: PersonLinkCreate):
    event = get_visible(Event.objects, request.user, event_id)
    person = _person(request, payload.person_id)
    link = links.link_person_to_event(
        actor=request.user, person=person, event=event, role=payload.role
    )
    return Status(201, link)


@router.get(
    "/events/{event_id}/history",
    response={200: list[HistoryRead], ERRORS: Error},
    operation_id="event_history",
)
def event_history(request, event_id: Path[Id]):
    event = get_visible(Event.objects, request.user, event_id)
    return list(restriction.view_history(actor=request.user, record=event)[:200])


@router.get("/search", response={200: SearchRead, ERRORS: Error}, operation_id="search")
def search(request, q: Query[str]):
    return search_records(actor=request.user, query=q)
