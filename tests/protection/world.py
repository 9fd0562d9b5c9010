"""Referrals as the officer makes them at the scene, through safeguarding/'s own services (they
emit ``safeguarding.referral_submitted``, which protection/ reacts to), at a chosen moment: the
clock is moved to ``at`` while the referral is submitted, so the notice's deadline is worked out
from that moment, as in the force."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine

from bluelamp.core import events, persons
from bluelamp.safeguarding import services as safeguarding

from ..safeguarding.support import answers

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
):
    """Makes and submits the referral (at ``at``, if given); returns it."""
    schools = schools or {}
    victim = persons.create_person(actor=actor, family_name="Parent", given_names="Pat")
    listed = [
        {"person": c, "school": schools.get(c, ""), "home_educated": c in home_educated}
        for c in children
    ]

    def submit():
        made = safeguarding.make_referral(
            actor=actor,
            concern=concern,
            account="Called to a disturbance; a child was in the house.",
            victim=victim,
            children=listed,
            home_postcode="PR1 2AB",
            officer_risk="medium",
            police_attended=police_attended,
            event=event,
        )
        if concern == "domestic_abuse":  # DASH first (5 yes: standard risk)
            safeguarding.assess_risk(actor=actor, referral=made, answers=answers(5))
        return safeguarding.submit_referral(actor=actor, referral=made)

    if at is None:
        return submit()
    with time_machine.travel(at, tick=False):
        return submit()
