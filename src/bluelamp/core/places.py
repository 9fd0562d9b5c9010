"""The only writers of locations, objects and organisations: force-wide records with no owning
unit. Each function takes the acting user, checks permission, validates (errors name the field),
writes, keeps history and audits - in one transaction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import require

from . import validation as v
from .choices import ObjectKind, OrganisationKind
from .history import snapshot
from .models import Location, Organisation, PoleObject
from .writes import written

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
    written(location, actor=actor, action="create")
    return location


@transaction.atomic
def change_location(*, actor: User, location: Location, **values) -> Location:
    require(actor, "location.change")
    location = Location.objects.select_for_update().get(pk=location.pk)
    before = snapshot(location)
    for field, value in _location_values(values).items():
        setattr(location, field, value)
    written(location, actor=actor, action="change", before=before, save=True)
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
    written(obj, actor=actor, action="create")
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
    written(org, actor=actor, action="create")
    return org
