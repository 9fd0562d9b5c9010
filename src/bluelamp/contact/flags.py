"""Flags shown to the call handler at once, each with its reason (STYLE.md: every flag shows why):
repeat caller, repeat victim, repeat location, warning markers and known vulnerability. Periods
are settings (docs/settings.md). Only records the handler may see are counted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import visible
from bluelamp.core.choices import EventRole
from bluelamp.core.models import Event, Person, WarningMarker

from .models import Call, Vulnerability


@dataclass
class Flag:
    kind: str  # repeat_caller, repeat_victim, repeat_location, warning, vulnerability
    label: str
    reason: str


def _days(n: int, now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(days=n)


def _repeat_caller(call: Call, actor: User, now: dt.datetime) -> Flag | None:
    same = Q()
    if call.caller_id:
        same |= Q(caller_id=call.caller_id)
    if call.caller_phone_normalised:
        same |= Q(caller_phone_normalised=call.caller_phone_normalised)
    if not same:
        return None
    short = settings.BLUELAMP_REPEAT_CALLER_SHORT_DAYS
    long_ = settings.BLUELAMP_REPEAT_CALLER_LONG_DAYS
    earlier = Call.objects.filter(same, received_at__lt=call.received_at).exclude(pk=call.pk)
    earlier = earlier.filter(incident__in=visible(Event.objects.all(), actor))
    in_long = earlier.filter(received_at__gte=_days(long_, call.received_at))
    n_long = in_long.count()
    if not n_long:
        return None
    n_short = in_long.filter(received_at__gte=_days(short, call.received_at)).count()
    by = "this caller" if call.caller_id else "this phone number"
    return Flag(
        "repeat_caller",
        "Repeat caller",
        f"{n_short} earlier call{'s' if n_short != 1 else ''} from {by} in the last {short} days, "
        f"{n_long} in the last {long_} days.",
    )


def _repeat_victim(person: Person, incident: Event, actor: User, now: dt.datetime) -> Flag | None:
    days = settings.BLUELAMP_REPEAT_VICTIM_DAYS
    events = (
        visible(Event.objects.all(), actor)
        .filter(
            person_links__person=person,
            person_links__role=EventRole.VICTIM,
            reported_at__gte=_days(days, now),
        )
        .exclude(pk=incident.pk)
        .distinct()
    )
    n = events.count()
    if not n:
        return None
    refs = ", ".join(events.order_by("-reported_at").values_list("reference", flat=True)[:3])
    return Flag(
        "repeat_victim",
        "Repeat victim",
        f"{person.display_name} was a victim in {n} event{'s' if n != 1 else ''} in the last "
        f"{days} days ({refs}).",
    )


def _repeat_location(incident: Event, actor: User, now: dt.datetime) -> Flag | None:
    location = incident.location
    if location is None:
        return None
    same = Q(location=location)
    if location.postcode:
        same |= Q(location__postcode=location.postcode)
    days = settings.BLUELAMP_REPEAT_LOCATION_DAYS
    n = (
        visible(Event.objects.all(), actor)
        .filter(same, reported_at__gte=_days(days, now))
        .exclude(pk=incident.pk)
        .count()
    )
    if not n:
        return None
    where = f"postcode {location.postcode}" if location.postcode else str(location)
    return Flag(
        "repeat_location",
        "Repeat location",
        f"{n} other event{'s' if n != 1 else ''} at this place or {where} in the last {days} days.",
    )


def _warnings(person: Person, now: dt.datetime) -> list[Flag]:
    today = timezone.localdate(now)
    markers = WarningMarker.objects.filter(person=person, valid_from__lte=today).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    )
    return [
        Flag(
            "warning",
            f"Warning: {marker.get_kind_display()}",
            f"{person.display_name}: {marker.detail or marker.get_kind_display()} "
            f"(source {marker.source}, from {marker.valid_from:%d %b %Y}).",
        )
        for marker in markers
    ]


def _vulnerability(person: Person, incident: Event, actor: User) -> Flag | None:
    earlier = (
        Vulnerability.objects.filter(people=person)
        .exclude(incident=incident)
        .filter(incident__in=visible(Event.objects.all(), actor))
        .select_related("incident")
    )
    records = list(earlier[:5])
    if not records:
        return None
    kinds = sorted({label for r in records for label in r.kind_labels()})
    latest = records[0]
    return Flag(
        "vulnerability",
        "Known vulnerability",
        f"{person.display_name}: {', '.join(kinds)} recorded before "
        f"(latest {latest.incident.reference}, {timezone.localtime(latest.recorded_at):%d %b %Y}).",
    )


def flags_for(*, actor: User, incident: Event) -> list[Flag]:
    """The flags for an incident's latest call (or the incident alone, without a call)."""
    now = timezone.now()
    call = Call.objects.filter(incident=incident).select_related("caller").first()
    found: list[Flag] = []
    if call is not None:
        flag = _repeat_caller(call, actor, now)
        if flag:
            found.append(flag)
    flag = _repeat_location(incident, actor, now)
    if flag:
        found.append(flag)
    caller = call.caller if call is not None else None
    if caller is not None and not (caller.is_restricted and caller.pk not in _seen(actor, caller)):
        for flag in (
            _repeat_victim(caller, incident, actor, now),
            *_warnings(caller, now),
            _vulnerability(caller, incident, actor),
        ):
            if flag:
                found.append(flag)
    return found


def _seen(actor: User, person: Person) -> set[int]:
    return set(visible(Person.objects.filter(pk=person.pk), actor).values_list("pk", flat=True))
