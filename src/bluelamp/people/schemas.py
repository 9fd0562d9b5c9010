"""API shapes for nominal search, the duplicate review queue and merges."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from bluelamp.core.schemas import PersonSummary

from .entry import ChooseFirst


class MatchQuery(Schema):
    given_names: str = Field("", max_length=120)
    family_name: str = Field("", max_length=120)
    dob: str = Field("", max_length=20, description="24/06/1971, 1971-06-24, 1971-06 or 1971")
    postcode: str = Field("", max_length=10)
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=120)
    identifier: str = Field("", max_length=40, description="PNC ID, licence, passport, NI number")
    gender: str = Field("", max_length=10, description="male, female or other; blank if not known")
    page: int = Field(1, ge=1, le=1000)


class ReasonRead(Schema):
    comparison: str
    level: str
    weight: float
    # For a common or rare value agreed on: "Smith: common" (its weight is in ``weight``).
    note: str = ""


class MatchRead(Schema):
    person: PersonSummary
    probability: float
    match_weight: float
    reasons: list[ReasonRead]

    @staticmethod
    def resolve_person(match) -> dict:
        # Shown from the match: its person holds only the id and date of birth.
        return {
            "id": match.person.pk,
            "display_name": match.display_name,
            "dob_text": match.dob_text,
        }


class MatchPageRead(Schema):
    matches: list[MatchRead]
    page: int
    has_next: bool
    total: int
    equally_best: int = Field(
        description="how many results match exactly as well as the best: over one, add a detail"
    )


class CandidateRead(Schema):
    id: int
    person: PersonSummary
    other: PersonSummary
    probability: float
    match_weight: float
    reasons: list[ReasonRead]
    status: str
    found_at: dt.datetime


class MergeCreate(Schema):
    survivor_id: int = Field(..., ge=1)
    merged_id: int = Field(..., ge=1)
    reason: str = Field(..., min_length=1, max_length=500)


class UnmergeCreate(Schema):
    reason: str = Field(..., min_length=1, max_length=500)


class MergeRead(Schema):
    id: int
    survivor_id: int
    merged_id: int
    reason: str
    merged_at: dt.datetime
    unmerged_at: dt.datetime | None


class OfferRead(Schema):
    id: int
    display_name: str
    dob_text: str
    probability: float
    reasons: list[str]


class ChooseRead(Schema):
    """The 409 of an API operation that takes people (match-on-entry, ``people.entry``): the
    likely records for each entry still to choose, by the entry's field."""

    detail: str
    offered: dict[str, list[OfferRead]]


ASK = (
    "Some people entered may already be known: choose one of the records offered for each, "
    'or "new".'
)


def choose_read(ask: ChooseFirst, detail: str = ASK) -> dict:
    """``ChooseFirst`` as a ``ChooseRead`` body: send each entry again with ``chosen`` set to one
    of the ids offered, or to "new"."""
    return {
        "detail": detail,
        "offered": {
            field: [
                {
                    "id": match.person.pk,
                    "display_name": match.display_name,
                    "dob_text": match.dob_text,
                    "probability": match.probability,
                    "reasons": [
                        f"{reason.comparison}: {reason.level} ({reason.weight:+.1f} bits)"
                        for reason in match.reasons
                        if reason.weight > 0
                    ],
                }
                for match in matches
            ]
            for field, matches in ask.offered.items()
        },
    }
