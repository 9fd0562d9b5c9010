"""API shapes for POLE records: ``XCreate`` for what comes in, ``XRead`` for what goes out."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AwareDatetime

from . import validation
from .choices import (
    Ethnicity,
    EventKind,
    EventRole,
    Gender,
    IdentifierKind,
    NameKind,
    ObjectKind,
    PlaceRole,
    Relationship,
    WarningKind,
)

Id = Annotated[int, Field(ge=1, le=2**53)]
# Wide: check_date_of_birth (core/validation.py) gives the exact years, which move with today.
BirthDay = Annotated[
    dt.date,
    Field(
        ge=dt.date(1800, 1, 1),
        le=dt.date(2200, 1, 1),
        json_schema_extra={"formatMinimum": "1800-01-01", "formatMaximum": "2200-01-01"},
    ),
]
Text120 = Annotated[str, Field(max_length=120)]
Text200 = Annotated[str, Field(max_length=200)]
Text500 = Annotated[str, Field(max_length=500)]
Year = Annotated[int, Field(ge=1000, le=9999)]
Month = Annotated[int, Field(ge=1, le=12)]
Day = Annotated[int, Field(ge=1, le=31)]
# Dates and times coming in carry the bounds every record keeps (core/validation.py says why);
# pydantic checks them and the OpenAPI document shows them (formatMinimum/formatMaximum, as
# JSON Schema validators such as ajv name them, and in the description). Whether a value is in
# the future, or before the record's own date, the service checks: those bounds move.
_DAY_BOUNDS = (
    f"Between {validation.EARLIEST_DATE.isoformat()} and {validation.LATEST_DATE.isoformat()}."
)
Day0 = Annotated[
    dt.date,
    Field(
        ge=validation.EARLIEST_DATE,
        le=validation.LATEST_DATE,
        description=_DAY_BOUNDS,
        examples=["2026-03-10"],  # for schemathesis's examples phase too: within the bounds
        json_schema_extra={
            "formatMinimum": validation.EARLIEST_DATE.isoformat(),
            "formatMaximum": validation.LATEST_DATE.isoformat(),
        },
    ),
]
Moment = Annotated[
    AwareDatetime,
    Field(
        ge=validation.EARLIEST_MOMENT,
        le=validation.LATEST_MOMENT,
        description=f"With its timezone. {_DAY_BOUNDS}",
        examples=["2026-03-10T14:00:00Z"],
        json_schema_extra={
            "formatMinimum": validation.EARLIEST_MOMENT.isoformat(),
            "formatMaximum": validation.LATEST_MOMENT.isoformat(),
        },
    ),
]


class Error(Schema):
    detail: str | list[Any]


class NameRead(Schema):
    id: int
    kind: NameKind
    given_names: str
    family_name: str
    first_known: bool


class IdentifierRead(Schema):
    id: int
    kind: IdentifierKind
    value: str


class WarningRead(Schema):
    id: int
    kind: WarningKind
    detail: str
    source: str
    valid_from: dt.date
    valid_to: dt.date | None


class PersonCreate(Schema):
    given_names: Text120 = ""
    family_name: Text120 = ""
    dob_year: Year | None = None
    dob_month: Month | None = None
    dob_day: Day | None = None
    gender: Gender = Gender.UNKNOWN
    ethnicity: Ethnicity = Ethnicity.NS
    nationality: Annotated[str, Field(max_length=60)] = ""


class PersonRead(Schema):
    id: int
    display_name: str
    dob_year: int | None
    dob_month: int | None
    dob_day: int | None
    gender: Gender
    ethnicity: Ethnicity
    nationality: str
    names: list[NameRead]
    identifiers: list[IdentifierRead]
    warnings: list[WarningRead]

    @staticmethod
    def resolve_names(obj):
        return list(obj.names.all())

    @staticmethod
    def resolve_identifiers(obj):
        return list(obj.identifiers.all())

    @staticmethod
    def resolve_warnings(obj):
        return list(obj.warnings.all())


class PersonSummary(Schema):
    id: int
    display_name: str
    dob_text: str


class NameCreate(Schema):
    kind: NameKind = NameKind.ALIAS
    given_names: Text120 = ""
    family_name: Text120 = ""


class IdentifierCreate(Schema):
    kind: IdentifierKind
    value: Text120


class WarningCreate(Schema):
    kind: WarningKind
    source: Text200
    detail: Text500 = ""
    valid_from: Day0 | None = None
    valid_to: Day0 | None = None


class LocationCreate(Schema):
    line1: Text200 = ""
    line2: Text200 = ""
    town: Annotated[str, Field(max_length=100)] = ""
    postcode: Annotated[str, Field(max_length=10)] = ""
    description: Text200 = ""
    uprn: Annotated[str, Field(max_length=12)] = ""
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None
    lsoa_code: Annotated[str, Field(max_length=9)] = ""


class LocationRead(Schema):
    id: int
    line1: str
    line2: str
    town: str
    postcode: str
    description: str
    uprn: str
    latitude: float | None
    longitude: float | None
    lsoa_code: str


class ObjectCreate(Schema):
    kind: ObjectKind
    description: Annotated[str, Field(max_length=300)] = ""
    vrm: Annotated[str, Field(max_length=12)] = ""
    make: Annotated[str, Field(max_length=60)] = ""
    model: Annotated[str, Field(max_length=60)] = ""
    colour: Annotated[str, Field(max_length=40)] = ""
    serial_number: Annotated[str, Field(max_length=80)] = ""


class ObjectRead(Schema):
    id: int
    kind: ObjectKind
    description: str
    vrm: str
    make: str
    model: str
    colour: str
    serial_number: str


class EventCreate(Schema):
    kind: EventKind
    summary: Annotated[str, Field(min_length=1, max_length=300)]
    occurred_from: Moment | None = None
    occurred_to: Moment | None = None
    location_id: Id | None = None


class EventRead(Schema):
    id: int
    kind: EventKind
    reference: str
    summary: str
    status: str
    reported_at: dt.datetime
    occurred_from: dt.datetime | None
    occurred_to: dt.datetime | None
    location_id: int | None
    owning_unit: str
    is_restricted: bool

    @staticmethod
    def resolve_owning_unit(obj):
        return obj.owning_unit.name


class EventSummary(Schema):
    id: int
    reference: str
    kind: EventKind
    summary: str


class PersonLinkCreate(Schema):
    person_id: Id
    role: EventRole


class PersonLinkRead(Schema):
    person: PersonSummary
    role: EventRole


class RelationshipCreate(Schema):
    other_id: Id
    kind: Relationship
    valid_from: Day0 | None = None
    valid_to: Day0 | None = None


class PlaceCreate(Schema):
    location_id: Id
    kind: PlaceRole
    valid_from: Day0 | None = None
    valid_to: Day0 | None = None


class HistoryRead(Schema):
    at: dt.datetime
    actor_name: str
    action: str
    summary: str
    changes: dict[str, Any]


class SearchRead(Schema):
    query: str
    people: list[PersonSummary]
    events: list[EventSummary]
    locations: list[LocationRead]
    objects: list[ObjectRead]
