"""The crime API's request and response bodies (crime_api.py): what a caller sends and reads."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from bluelamp.core.schemas import BirthDay, Day0, Id, Moment

from . import qa
from .rules import CRIME_FLAGS


class PartyIn(Schema):
    """An existing person by ``id``, or a new one given inline by name and date of birth.
    A new person with likely existing records is answered 409 with those records (match on
    entry): send the entry again with ``chosen`` set to one of their ids, or to "new"."""

    id: Id | None = None
    given_names: str = Field("", max_length=120)
    family_name: str = Field("", max_length=120)
    dob: BirthDay | None = None
    chosen: str = Field(
        "", max_length=20, description='"" (offer me likely records), "new" or an offered id'
    )
    # A victim's contact plan (domain.md 1.4): where to reach them and how they prefer.
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=254)
    line1: str = Field("", max_length=200, description="where the victim lives")
    postcode: str = Field("", max_length=10)
    preferred: str = Field("", max_length=10, description="email, sms, phone, letter or in_person")


class CrimeCreate(Schema):
    summary: str = Field(..., min_length=1, max_length=300)
    offence_code: str = Field(..., max_length=10, description="Home Office offence code")
    owning_unit_id: Id
    incident_id: Id | None = None
    occurred_from: Moment | None = None
    occurred_to: Moment | None = None
    modus_operandi: str = Field("", max_length=4000)
    flags: list[str] = Field(
        [],
        max_length=10,
        description="Crime flags: " + ", ".join(CRIME_FLAGS) + " (domain.md 1.3, 4.1)",
    )
    victims: list[PartyIn] = Field([], max_length=50)
    suspects: list[PartyIn] = Field([], max_length=50)
    witnesses: list[PartyIn] = Field([], max_length=50)


class ClassificationRead(Schema):
    from_code: str
    to_code: str
    reason: str
    classified_at: dt.datetime


class CrimeRead(Schema):
    id: int = Field(..., description="the crime's event id")
    reference: str
    summary: str
    status: str
    offence_code: str
    offence: str
    group: str
    flags: list[str] = []
    modus_operandi: str
    victims: list[int]
    suspects: list[int]
    witnesses: list[int]
    qa_status: str
    cancelled: str | None = None
    outcome: str | None = None
    classifications: list[ClassificationRead] = []


class ReclassifyIn(Schema):
    offence_code: str = Field(..., max_length=10)
    reason: str = Field(..., min_length=1, max_length=1000)


class CancelIn(Schema):
    reason: str = Field(..., max_length=2, description="C1, C2, C3 or C4 (domain.md 4.3)")
    rationale: str = Field(..., min_length=1, max_length=4000)
    receiving_force: str = Field("", max_length=120, description="C1: the receiving force")


class CancellationRead(Schema):
    reason: str
    rationale: str
    receiving_force: str
    authority: str
    cancelled_at: dt.datetime


class OutcomeIn(Schema):
    outcome: str = Field(..., max_length=3, description="Home Office outcome type 1-22")
    outcome_date: Day0 | None = None
    suspect_id: Id | None = None
    victim_decision: str = Field("", max_length=1000)
    victim_views: str = Field("", max_length=1000, description="outcome 8: the victim's views")
    rationale: str = Field("", max_length=4000)
    receiving_body: str = Field("", max_length=200)


class VictimStatementIn(Schema):
    person_id: Id
    taken_at: Moment | None = None


class VictimStatementRead(Schema):
    id: int
    person_id: int
    taken_at: dt.datetime


class OutcomeRead(Schema):
    outcome: str
    outcome_date: dt.date
    suspect_id: int | None
    authorised_by_id: int


class ProblemIn(Schema):
    field: str = Field(..., max_length=60, description=", ".join(qa.QA_FIELDS))
    text: str = Field(..., min_length=1, max_length=1000)


class ReturnIn(Schema):
    problems: list[ProblemIn] = Field(..., min_length=1, max_length=30)


class PriorityIn(Schema):
    reason: str = Field(..., min_length=1, max_length=500)


class QARead(Schema):
    status: str
    priority: bool
    rounds: int
    submitted_at: dt.datetime


class QueueRead(Schema):
    crime_id: int
    reference: str
    due_at: dt.datetime
    age_days: float
    priority: bool
    status: str


class AuthorityIn(Schema):
    user_id: Id
    kind: str = Field(..., max_length=3, description="ddm or fcr")


class AuthorityRead(Schema):
    id: int
    user_id: int
    kind: str
    granted_at: dt.datetime
