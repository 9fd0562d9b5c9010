"""POLE records: people (nominals), objects, locations, events, and the links between them.

Rows here are written only by ``core.persons``; every change leaves a ``RecordChange``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

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

UNIT = "accounts.Unit"


class Restrictable(models.Model):
    """A record that can be restricted: then only users with an AccessGrant can know it exists."""

    is_restricted = models.BooleanField(default=False, db_index=True)
    restriction_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        abstract = True


def preferred_name(names: list[PersonName]) -> PersonName | None:
    """The name a person is shown by, of their names in recorded order: the current one, else the
    birth name, else the first."""
    for kind in (NameKind.CURRENT, NameKind.BIRTH):
        for name in names:
            if name.kind == kind:
                return name
    return names[0] if names else None


def shown_name(person_id: int, names: list[PersonName]) -> str:
    """``Person.display_name`` from names already in hand (a page of search results)."""
    name = preferred_name(names)
    return str(name) if name else f"Person {person_id}"


class Person(Restrictable):
    permission_name = "person"

    # A date of birth may be exact, month and year, year only, or unknown.
    dob_year = models.PositiveSmallIntegerField(null=True, blank=True)
    dob_month = models.PositiveSmallIntegerField(null=True, blank=True)
    dob_day = models.PositiveSmallIntegerField(null=True, blank=True)
    gender = models.CharField(max_length=10, choices=Gender.choices, default=Gender.UNKNOWN)
    ethnicity = models.CharField(max_length=2, choices=Ethnicity.choices, default=Ethnicity.NS)
    nationality = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField()
    # Set when this record was found to be a duplicate and merged into another (people.Merge).
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_records"
    )

    class Meta:
        verbose_name_plural = "people"
        indexes = [models.Index(fields=["dob_year", "dob_month", "dob_day"], name="person_dob")]

    def __str__(self) -> str:
        return self.label_with(self.display_name)

    def label_with(self, name: str) -> str:
        """``str(person)`` for a display name already in hand."""
        return f"{name}{f' ({self.dob_text})' if self.dob_year else ''}"

    @property
    def preferred_name(self) -> PersonName | None:
        return preferred_name(list(self.names.all()))

    @property
    def display_name(self) -> str:
        return shown_name(self.pk, list(self.names.all()))

    @property
    def dob_text(self) -> str:
        if self.dob_year and self.dob_month and self.dob_day:
            return f"{self.dob_day:02d}/{self.dob_month:02d}/{self.dob_year}"
        if self.dob_year and self.dob_month:
            return f"??/{self.dob_month:02d}/{self.dob_year}"
        if self.dob_year:
            return f"{self.dob_year} (year only)"
        return "not known"

    @property
    def date_of_birth(self) -> dt.date | None:
        if self.dob_year and self.dob_month and self.dob_day:
            return dt.date(self.dob_year, self.dob_month, self.dob_day)
        return None


class PersonName(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names")
    kind = models.CharField(max_length=10, choices=NameKind.choices, default=NameKind.CURRENT)
    given_names = models.CharField(max_length=120, blank=True)
    family_name = models.CharField(max_length=120, blank=True)
    # The name the record was first known by is kept, whatever names come later.
    first_known = models.BooleanField(default=False)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-first_known", "id"]
        indexes = [models.Index(fields=["family_name", "given_names"], name="name_family_given")]

    def __str__(self) -> str:
        return " ".join(p for p in (self.given_names, self.family_name.upper()) if p)


class Identifier(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(max_length=20, choices=IdentifierKind.choices)
    value = models.CharField(max_length=120)
    normalised = models.CharField(max_length=120, db_index=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class WarningMarker(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="warnings")
    kind = models.CharField(max_length=20, choices=WarningKind.choices)
    detail = models.CharField(max_length=500, blank=True)
    source = models.CharField(max_length=200)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    recorded_by_name = models.CharField(max_length=200)

    class Meta:
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return self.get_kind_display()


class Location(models.Model):
    permission_name = "location"

    line1 = models.CharField("Address line 1", max_length=200, blank=True)
    line2 = models.CharField("Address line 2", max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True, db_index=True)
    description = models.CharField(
        max_length=200, blank=True, help_text="e.g. 'outside the Co-op' for a place with no address"
    )
    uprn = models.CharField("UPRN", max_length=12, blank=True, db_index=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    lsoa_code = models.CharField("LSOA code", max_length=9, blank=True, db_index=True)
    district = models.ForeignKey(
        UNIT, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    beat = models.ForeignKey(
        UNIT,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The neighbourhood team's beat",
    )
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        parts = [self.line1, self.line2, self.town, self.postcode]
        return ", ".join(p for p in parts if p) or self.description or f"Location {self.pk}"


class PoleObject(models.Model):
    """An Object in POLE terms: a vehicle, property, weapon or digital device."""

    permission_name = "object"

    kind = models.CharField(max_length=10, choices=ObjectKind.choices)
    description = models.CharField(max_length=300, blank=True)
    vrm = models.CharField("Registration (VRM)", max_length=10, blank=True, db_index=True)
    make = models.CharField(max_length=60, blank=True)
    model = models.CharField(max_length=60, blank=True)
    colour = models.CharField(max_length=40, blank=True)
    serial_number = models.CharField(
        max_length=80, blank=True, db_index=True, help_text="Serial number, IMEI or frame number"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "object"

    def __str__(self) -> str:
        if self.kind == ObjectKind.VEHICLE:
            return " ".join(p for p in (self.vrm, self.colour, self.make, self.model) if p)
        return self.description or f"{self.get_kind_display()} {self.pk}"


class Organisation(models.Model):
    permission_name = "organisation"

    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(max_length=200)
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="organisations"
    )
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    # Schools: the designated safeguarding lead ("key adult") told under Operation Encompass.
    key_adult_name = models.CharField(max_length=120, blank=True)
    key_adult_phone = models.CharField(max_length=30, blank=True)
    key_adult_email = models.EmailField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Event(Restrictable):
    """The common base of everything that happens; features add their own detail one-to-one."""

    permission_name = "event"

    kind = models.CharField(max_length=20, choices=EventKind.choices)
    reference = models.CharField(max_length=24, unique=True)
    summary = models.CharField(max_length=300)
    occurred_from = models.DateTimeField(null=True, blank=True)
    occurred_to = models.DateTimeField(null=True, blank=True)
    reported_at = models.DateTimeField(db_index=True)
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    status = models.CharField(max_length=20, choices=EventStatus.choices, default=EventStatus.OPEN)
    owning_unit = models.ForeignKey(UNIT, on_delete=models.PROTECT, related_name="events")
    officer_in_case = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-reported_at"]
        indexes = [models.Index(fields=["kind", "status"], name="event_kind_status")]

    def __str__(self) -> str:
        return f"{self.reference} {self.summary}"


class ReferenceCounter(models.Model):
    """The last sequence number used for event references on one day (Europe/London)."""

    day = models.DateField(primary_key=True)
    last = models.PositiveIntegerField(default=0)


class PersonEventLink(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="event_links")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="person_links")
    role = models.CharField(max_length=12, choices=EventRole.choices)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "event", "role"], name="one_link_per_person_event_role"
            )
        ]


class PersonRelationship(models.Model):
    """Stored once; ``RELATIONSHIP_INVERSE`` gives how it reads from the other person's side."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="relationships")
    other = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=15, choices=Relationship.choices)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()


class PersonLocationLink(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="location_links")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="person_links")
    kind = models.CharField(max_length=12, choices=PlaceRole.choices)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()


class ObjectEventLink(models.Model):
    object = models.ForeignKey(PoleObject, on_delete=models.PROTECT, related_name="event_links")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="object_links")
    role = models.CharField(max_length=12, choices=ObjectRole.choices)
    created_at = models.DateTimeField()


class RecordChange(models.Model):
    """Field-level history of a record: before and after values, who, when. Never cascades."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True)
    actor_name = models.CharField(max_length=200)
    action = models.CharField(max_length=10)  # create, change, delete, link
    summary = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict)
    # The other record a row names ("Victim in LC-...", "Linked Ada OKAFOR"), by id and with no
    # foreign key: history is shown without the rows whose other record the reader may not see.
    about_event_id = models.BigIntegerField(null=True, blank=True)
    about_person_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="change_record")]
