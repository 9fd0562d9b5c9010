"""Knowing who is who: nominal search, match-on-entry, training the match model on the force's own
records, batch de-duplication into a review queue, and merges that can be undone exactly.

Every function takes the acting user, checks permission, and audits what it reads or changes."""

from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import require, visible
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core import validation as v
from bluelamp.core.choices import Gender
from bluelamp.core.models import Person, PersonName, shown_name

from . import term_counts
from .blocking import neighbour_keys, query_keys
from .compare import COMPARISONS, comparison_vector
from .model import MatchModel, Reason
from .models import TrainedModel
from .normalise import BirthDate, Nominal, nominal
from .records import best_candidates, key_holders, names_of

DEFAULT_MODEL = Path(__file__).parent / "data" / "default_model.json"
# A result below this match weight has more against it than for it, and is not offered.
MIN_MATCH_WEIGHT = 0.0
PAGE_SIZE = 20
# The sexes a search can give (as the PNC asks for one); "not known" is the same as none.
SEXES = (Gender.MALE, Gender.FEMALE, Gender.OTHER)


@functools.cache
def _default_model() -> MatchModel:
    return MatchModel.from_json(DEFAULT_MODEL.read_text())


def current_model() -> MatchModel:
    """The force's own trained model, or the shipped default until one is trained, with the
    newest count of how common names, dates of birth and towns are (people/term_counts.py)."""
    # Only the newest model's and count's ids and times are read per search: neither is ever
    # changed (training or counting adds a new row), so each is read and parsed once per process.
    # The time too, because an id can be used again after a rolled-back training (SQLite).
    trained = TrainedModel.objects.values_list("pk", "trained_at").first()
    return _combined(trained, term_counts.newest_id() or None)


@functools.lru_cache(maxsize=4)
def _combined(trained: tuple | None, counted: tuple | None) -> MatchModel:
    model = _default_model() if trained is None else _parsed(*trained)
    if len(model.m) != len(COMPARISONS):
        # Trained before the comparisons changed (issue 18 made postcode, street and town one
        # address comparison): unusable until trained again, so the shipped model is used.
        model = _default_model()
    if counted is None:
        return model
    return dataclasses.replace(model, frequencies=term_counts.read_count(*counted))


@functools.lru_cache(maxsize=4)
def _parsed(pk: int, trained_at) -> MatchModel:
    return MatchModel.from_json(TrainedModel.objects.get(pk=pk).parameters)


@dataclass
class PersonQuery:
    given_names: str = ""
    family_name: str = ""
    dob: str = ""  # "1971-06-24", "24/06/1971", "1971-06", "1971"
    postcode: str = ""
    phone: str = ""
    email: str = ""
    identifier: str = ""  # PNC ID, licence, passport or NI number
    gender: str = ""  # male, female or other; "" or "unknown" when not known

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v}


@dataclass
class Match:
    person: Person  # its id and date of birth (what a result shows is below)
    probability: float
    match_weight: float
    reasons: list[Reason]
    display_name: str = ""
    dob_text: str = ""


@dataclass
class MatchPage:
    query: PersonQuery
    matches: list[Match]
    page: int
    has_next: bool
    total: int
    # How many results match the search exactly as well as the best one: more than one, and
    # only another detail can tell them apart (at five million nominals, "Jane Jones, 1990" has
    # twenty; bench/README.md).
    equally_best: int = 0


def _query_nominal(query: PersonQuery) -> Nominal:
    """Validates a search and turns it into a Nominal; errors name the field."""
    errors = {}
    for field in ("given_names", "family_name", "dob", "postcode", "phone", "email", "identifier"):
        try:
            setattr(query, field, v.clean_text(getattr(query, field), field=field, max_length=120))
        except ValidationError as error:
            errors.update(error.message_dict)
    try:
        dob = BirthDate.parse(query.dob) if "dob" not in errors else BirthDate()
        if dob.known:
            v.check_date_of_birth(dob.year, dob.month, dob.day)
    except (ValueError, ValidationError):
        errors["dob"] = "Give a date of birth as 24/06/1971, 1971-06-24, 1971-06 or 1971."
        dob = BirthDate()
    postcodes = set()
    if query.postcode and "postcode" not in errors:
        try:
            postcodes = {v.normalise_postcode(query.postcode)}
        except ValidationError:
            errors["postcode"] = "Not a UK postcode."
    identifiers = set()
    if query.phone and "phone" not in errors:
        try:
            identifiers.add(f"phone:{v.normalise_phone(query.phone, field='phone')}")
        except ValidationError:
            errors["phone"] = "Not a phone number."
    if query.email and "email" not in errors:
        if "@" not in query.email:
            errors["email"] = "Not an email address."
        else:
            identifiers.add(f"email:{query.email.strip().lower()}")
    if query.identifier and "identifier" not in errors:
        compact = query.identifier.replace(" ", "").upper()
        identifiers |= {f"{kind}:{compact}" for kind in ("pnc", "driving_licence", "passport")}
        identifiers.add(f"ni_number:{compact}")
    if query.gender == Gender.UNKNOWN:
        query.gender = ""
    if query.gender and query.gender not in SEXES:
        errors["gender"] = "Give male, female or other, or leave it out."
    if errors:
        raise ValidationError(errors)
    record = nominal(
        "query",
        names=[(query.given_names, query.family_name)],
        dob=dob,
        postcodes=postcodes,
        identifiers=identifiers,
        gender=query.gender,
    )
    named = bool(record.family) and bool(record.family[0] or record.first_given)
    if not identifiers and not (named and (dob.known or postcodes or record.first_given)):
        raise ValidationError(
            {
                "family_name": "Give a name with a date of birth, another name or a postcode, "
                "or a phone number, email or identifier."
            }
        )
    return record


def _candidates(record: Nominal, actor: User) -> list[Nominal]:
    """The people a search compares: the ``BLUELAMP_MATCH_CANDIDATES`` best-keyed sharing its
    keys and every holder of its rarest keys and neighbour keys (``_small_blocks``,
    ``blocking.neighbour_keys``), read from their stored match records (one query counting
    the keys' holders, one choosing the candidates and reading their records)."""
    require(actor, "person.view")
    keys = query_keys(record)
    keys |= {f"id:{identifier}" for identifier in record.identifiers}
    specific = {key for key in keys if not key.startswith("fn:")}
    # A family name alone ("fn:") is for batch work; a search has something more specific.
    keys = specific or keys
    if not keys:
        return []
    # Candidates are ranked by the keys they share, each counted by how rare it is (log2 of the
    # force over the people holding it): sharing "Diane, born 2010" says more than sharing
    # "family name sounds like Davis, initial D", so a badly recorded person who shares only one
    # rare key is not crowded out by hundreds sharing a common one. In thousandths of a bit, so
    # that the database adds them up exactly.
    population = _population()
    neighbours = neighbour_keys(record) - keys
    holders = key_holders(keys, few=neighbours, at_most=settings.BLUELAMP_DEDUPE_MAX_BLOCK)
    weights = {
        key: round(1000 * math.log2(population / count + 1))
        for key, count in holders.items()
        if key not in neighbours
    }
    if not weights:
        return []
    candidates = best_candidates(
        weights, limit=settings.BLUELAMP_MATCH_CANDIDATES, every_holder_of=_small_blocks(holders)
    )
    restricted = [record.id for record, is_restricted in candidates if is_restricted]
    # Restricted records only for those granted access, decided by the one scoping helper; asked
    # only when a candidate is restricted, which is rare.
    allowed = (
        set(visible(Person.objects.filter(pk__in=restricted), actor).values_list("pk", flat=True))
        if restricted
        else set()
    )
    return [
        record for record, is_restricted in candidates if not is_restricted or record.id in allowed
    ]


def _small_blocks(holders: dict[str, int]) -> list[str]:
    """The keys whose every holder a search compares besides the best-keyed candidates: those
    held by no more people than a block de-duplication compares whole
    (``BLUELAMP_DEDUPE_MAX_BLOCK``), so that search finds whoever de-duplication would pair.
    Summed, a rare key can lose to several common ones: Frank Hanafin, born August 1996 and
    searched as "Hanain", shared rule gm's key with 10 others, but the 194 Hannans born 1995-1997
    shared two family-name-and-year keys each and filled the 100 candidates (five million
    nominals, bench/README.md). Rarest first, while their holders add up to no more than
    ``BLUELAMP_MATCH_CANDIDATES``, so a search compares at most twice that many."""
    chosen, room = [], settings.BLUELAMP_MATCH_CANDIDATES
    for key, count in sorted(holders.items(), key=lambda item: (item[1], item[0])):
        if count > settings.BLUELAMP_DEDUPE_MAX_BLOCK or count > room:
            break
        chosen.append(key)
        room -= count
    return chosen


def _population() -> int:
    """How many live nominals the force holds: the prior of a search. Counting millions of rows
    on every search would cost more than the search, and the prior barely moves in 10 minutes."""
    return cache.get_or_set(
        "people:population",
        lambda: max(Person.objects.filter(merged_into__isnull=True).count(), 1),
        timeout=600,
    )


def _ranked(
    record: Nominal, candidates: list[Nominal], model: MatchModel
) -> list[tuple[float, float, tuple, int]]:
    population = _population()
    # For a search the prior is one person among the force's nominals.
    prior_log_odds = -math.log2(population)
    ranked = []
    for candidate in candidates:
        vector = comparison_vector(record, candidate)
        weight = sum(model.weights(vector)) + sum(
            bits for _, bits in model.adjustments(record, candidate, vector).values()
        )
        if weight <= MIN_MATCH_WEIGHT:
            continue
        total = prior_log_odds + weight
        probability = 1 / (1 + 2 ** (-total)) if total > -60 else 0.0
        ranked.append((weight, probability, vector, candidate.id))
    # Equal weights (levels capped to keep their order) go to the closer agreement first.
    ranked.sort(key=lambda row: (-row[0], sum(level for level in row[2] if level), row[3]))
    return ranked


def _shown_people(records: list[Nominal]) -> dict[int, tuple[Person, str]]:
    """Each result's person (its id and date of birth, from the match record in hand) and the
    name it is shown by, in one query for the page's names: loading the people with their names
    prefetched was a sixth of a search (bench/search_profile.py)."""
    names: dict[int, list[PersonName]] = {record.id: [] for record in records}
    # Read as rows and made into names by hand: deferred model instances (``.only``) cost about
    # 2 ms a page at five million nominals, and the ORM's values a further 0.3 ms
    # (bench/search_profile.py).
    for pid, kind, given, family in names_of(list(names)):
        names[pid].append(
            PersonName(person_id=pid, kind=kind, given_names=given, family_name=family)
        )
    shown = {}
    for record in records:
        dob = record.dob
        person = Person.from_db(
            DEFAULT_DB_ALIAS,
            ["id", "dob_year", "dob_month", "dob_day"],
            [record.id, dob.year, dob.month, dob.day],
        )
        shown[record.id] = (person, shown_name(record.id, names[record.id]))
    return shown


def find_people(*, actor: User, query: PersonQuery, page: int = 1) -> MatchPage:
    """Interactive nominal search, ranked by match weight with the reasons shown. Restricted
    records the actor may not see are never candidates; every search is audited."""
    require(actor, "search")
    if page < 1:
        raise ValidationError({"page": "Pages start at 1."})
    record = _query_nominal(query)
    model = current_model()
    candidates = {candidate.id: candidate for candidate in _candidates(record, actor)}
    ranked = _ranked(record, list(candidates.values()), model)
    start = (page - 1) * PAGE_SIZE
    window = ranked[start : start + PAGE_SIZE]
    shown = _shown_people([candidates[row[3]] for row in window])
    matches = [
        Match(
            person=shown[pid][0],
            probability=round(probability, 4),
            match_weight=round(weight, 2),
            reasons=model.reasons(vector, (record, candidates[pid])),
            display_name=shown[pid][1],
            dob_text=shown[pid][0].dob_text,
        )
        for weight, probability, vector, pid in window
    ]
    audit.record(
        actor=actor,
        action=Action.SEARCH,
        record_type="person",
        label="nominal search",
        detail={"query": query.as_dict(), "results": len(ranked), "page": page},
    )
    return MatchPage(
        query=query,
        matches=matches,
        page=page,
        has_next=start + PAGE_SIZE < len(ranked),
        total=len(ranked),
        equally_best=sum(1 for row in ranked if row[0] == ranked[0][0]) if ranked else 0,
    )
