"""Taking a call, as a call handler does it: the one use case that the take-a-call page and
``POST /api/calls`` both call (issue 15), so both find or add the caller the same way
(match-on-entry, ``people.entry``, as ``crime/intake.py`` does for a crime's people) and refuse
the same things in the same words.

The order is the handler's: who is calling (a known record, or details typed in and checked
against the records already held), then where, then the call itself (``services.record_call``,
which opens the incident). Nothing is written until the caller is settled, so a question ("is
this the Ann Lee we already know?") leaves nothing behind."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bluelamp.accounts.models import Unit, User
from bluelamp.accounts.permissions import require
from bluelamp.core.models import Location
from bluelamp.core.transactions import service
from bluelamp.people.entry import Entry, resolve_people

from . import services
from .models import Call


@dataclass
class CallDetails:
    channel: str
    account: str
    owning_unit: Unit
    may_be_crime: bool = False
    caller_phone: str = ""
    summary: str = ""
    received_at: dt.datetime | None = None
    location: Location | None = None  # a known place; or the place described below
    line1: str = ""
    postcode: str = ""
    place: str = ""


@service
def take_call(*, actor: User, details: CallDetails, caller: Entry | None = None) -> Call:
    """Records a call with its caller (None: not given). Raises ``people.entry.ChooseFirst``
    (nothing saved) while a typed caller has likely existing records and no choice yet;
    ``ValidationError`` naming the field for bad input (``caller.<detail>`` for the caller)."""
    require(actor, "call.record")
    person = None
    if caller is not None:
        (person,) = resolve_people(actor=actor, context="call", entries=[caller])
    location = details.location or services.place_of_call(
        actor=actor, line1=details.line1, postcode=details.postcode, description=details.place
    )
    return services.record_call(
        actor=actor,
        channel=details.channel,
        account=details.account,
        owning_unit=details.owning_unit,
        may_be_crime=details.may_be_crime,
        caller=person,
        caller_phone=details.caller_phone,
        location=location,
        summary=details.summary,
        received_at=details.received_at,
    )
