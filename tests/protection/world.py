"""A referral event as safeguarding/ emits it (``safeguarding.referral_submitted``), for the tests
of protection/: emitted here through duties.services.emit, as the contract in docs/events.md
describes, so these tests need no safeguarding/ code."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bluelamp.core import events, persons
from bluelamp.duties.services import emit

LONDON = ZoneInfo("Europe/London")


def london(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


def child(actor, given: str, born: dt.date | None = dt.date(2016, 5, 1)):
    details = {"dob_year": born.year, "dob_month": born.month, "dob_day": born.day} if born else {}
    return persons.create_person(actor=actor, family_name="Child", given_names=given, **details)


def referral_event(actor, unit, summary="Domestic abuse at home"):
    return events.record_event(actor=actor, kind="incident", summary=summary, owning_unit=unit)


def submit_referral(
    actor,
    event,
    *,
    children=(),
    schools=None,
    home_educated=(),
    at=None,
    police_attended=True,
    concern="domestic_abuse",
    risk="medium",
):
    return emit(
        "safeguarding.referral_submitted",
        subject=event,
        actor=actor,
        at=at,
        payload={
            "referral": 9001,
            "concern": concern,
            "children": [c.pk for c in children],
            "home_educated": [c.pk for c in home_educated],
            "schools": {str(c.pk): s for c, s in (schools or {}).items()},
            "police_attended": police_attended,
            "risk": risk,
        },
    )
