"""The global search box: names, references, addresses and postcodes, VRMs, phone numbers,
emails and other identifiers. Restricted records are never among the results; every search is
audited with what was asked and how much came back."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import require, visible
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action

from . import validation as v
from .models import Event, Location, Person, PoleObject

_REFERENCE = re.compile(r"^[A-Z]{2,4}-\d{8}(-\d{1,6})?$")
_LIMIT = 25


@dataclass
class SearchResults:
    query: str
    people: list = field(default_factory=list)
    events: list = field(default_factory=list)
    locations: list = field(default_factory=list)
    objects: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.people) + len(self.events) + len(self.locations) + len(self.objects)


def _as_postcode(text: str) -> str:
    try:
        return v.normalise_postcode(text)
    except ValidationError:
        return ""


def search_records(*, actor: User, query: str) -> SearchResults:
    require(actor, "search")
    text = v.clean_text(query, field="q", max_length=200, required=True)
    upper = text.upper()
    results = SearchResults(query=text)
    people = visible(Person.objects.all(), actor).prefetch_related("names")
    events = visible(Event.objects.all(), actor).select_related("location")

    if _REFERENCE.match(upper):
        results.events = list(events.filter(reference__startswith=upper)[:_LIMIT])
    postcode = _as_postcode(text)
    if postcode:
        results.locations = list(Location.objects.filter(postcode=postcode)[:_LIMIT])
        results.people = list(
            people.filter(location_links__location__postcode=postcode).distinct()[:_LIMIT]
        )
        results.events = list(events.filter(location__postcode=postcode)[:_LIMIT])
    compact = re.sub(r"[\s-]+", "", upper)
    if 2 <= len(compact) <= 8 and compact.isalnum() and not postcode:
        results.objects = list(
            PoleObject.objects.filter(Q(vrm__startswith=compact) | Q(serial_number=compact))[
                :_LIMIT
            ]
        )
    digits = re.sub(r"[\s().+-]+", "", text)
    if digits.isdigit() and len(digits) >= 6:
        phone = v.normalise_phone(text) if len(digits) <= 15 else digits
        results.people += list(people.filter(identifiers__normalised=phone).distinct()[:_LIMIT])
    if "@" in text or "/" in text:
        wanted = {text.lower(), upper.replace(" ", "")}
        results.people += list(
            people.filter(identifiers__normalised__in=wanted).distinct()[:_LIMIT]
        )
    words = [w for w in re.split(r"[\s,]+", text) if w and not any(c.isdigit() for c in w)]
    if words and not results.events and not postcode:
        name_q = Q(names__family_name__istartswith=words[-1])
        if len(words) > 1:
            name_q &= Q(names__given_names__istartswith=words[0])
        else:
            name_q |= Q(names__given_names__istartswith=words[0])
        results.people += list(people.filter(name_q).distinct().order_by("id")[:_LIMIT])
        results.locations += list(
            Location.objects.filter(Q(line1__icontains=text) | Q(description__icontains=text))[
                :_LIMIT
            ]
        )
    results.people = list({p.pk: p for p in results.people}.values())[:_LIMIT]
    audit.record(
        actor=actor,
        action=Action.SEARCH,
        record_type="search",
        label=text[:200],
        detail={
            "people": [p.pk for p in results.people],
            "events": [e.pk for e in results.events],
            "total": results.total,
        },
    )
    return results
