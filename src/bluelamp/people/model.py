"""The match model: Fellegi-Sunter weights estimated from the force's own records.

For each comparison level, ``m`` is the chance that two records of the *same* person agree at that
level, and ``u`` the chance that two records of *different* people do. A pair's match weight is
the sum of log2(m/u) over its comparisons plus the prior log-odds; every term is a reason an
officer can read. No weight is typed in: ``u`` comes from random pairs of the force's records,
``m`` from expectation-maximisation over blocked pairs (one run per blocking rule, leaving out
the comparisons that rule fixes, as Splink does, and pooled by the matches each run found),
and the prior from the matches expected among all candidate pairs. ``bluelamp people train``
stores the estimate in the database."""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from .blocking import MAX_BLOCK
from .compare import COMPARISONS
from .frequencies import ADJUSTED, COMMON_COUNT, MIN_COUNT, MIN_RECORDS, Adjusted
from .households import ADDRESS_INDEX, FAMILY_INDEX
from .normalise import Nominal
from .pairs import PairVectors

Vector = tuple[int | None, ...]
# A floor on every probability so that an unseen level is strong evidence, never infinite.
FLOOR = 1e-5


@dataclass
class Reason:
    comparison: str
    level: str
    weight: float  # log2(m/u): positive for, negative against
    # For an agreement on a common or rare value, what was agreed and how common it is
    # ("Smith: common"); its weight is included in ``weight``.
    note: str = ""


# A level seen in fewer than this share of one person's pairs bounds no weaker level's weight.
_BOUNDING_M = 0.01
# An agreement whose term-frequency adjustment is at least this many bits either way is called
# common or rare in its reason.
_NOTABLE_BITS = 0.5


@dataclass
class MatchModel:
    m: list[list[float]]
    u: list[list[float]]
    prior: float  # probability that two records picked at random are the same person
    trained_on: dict = field(default_factory=dict)
    # Term frequencies (frequencies.count): {"records": n, "shares": {comparison: {value: share}}}.
    # Empty: no adjustment (the shipped default model, until a force's records are counted).
    frequencies: dict = field(default_factory=dict)
    # The address's u among different people sharing a family name (households.py); empty: u.
    u_address_same_family: list[float] = field(default_factory=list)

    @functools.cached_property
    def level_weights(self) -> list[list[float]]:
        """log2(m/u) per level, kept in the levels' order: a weaker agreement is never stronger
        evidence than a closer one (an estimate can say otherwise where a level is rare in the
        training data, e.g. identifiers one character out in FEBRL). A level that records of one
        person almost never show (m below ``_BOUNDING_M``) bounds nothing after it: its estimate
        is a handful of pairs (nicknames in FEBRL 1, weighed -1.7, would have made every weaker
        given-name agreement count against). A pair of levels whose order says nothing
        (``Comparison.unordered``) bounds nothing: capped by "a year out" (0.5 bits), a year of
        birth agreeing with a full date (5.9 bits estimated at five million nominals) weighed no
        more than a year out, and a year-only search put the people born a year either side
        level with those born in the year typed."""
        table = []
        for comparison, m_row, u_row in zip(COMPARISONS, self.m, self.u, strict=True):
            row: list[float] = []
            bounding: list[tuple[int, float]] = []  # (level, weight) bounding those after
            for level, (m, u) in enumerate(zip(m_row, u_row, strict=True)):
                bound = min(
                    (w for i, w in bounding if (i, level) not in comparison.unordered),
                    default=math.inf,
                )
                weight = min(math.log2(m / u), bound)
                row.append(weight)
                if m >= _BOUNDING_M or not bounding:
                    bounding.append((level, weight))
            table.append(row)
        return table

    @functools.cached_property
    def address_weights_same_family(self) -> list[float]:
        """The address's weights where the family names agree exactly (households.py), kept in
        the levels' order and never above the weights for strangers."""
        row: list[float] = []
        plain = self.level_weights[ADDRESS_INDEX]
        for level, (m, u) in enumerate(
            zip(self.m[ADDRESS_INDEX], self.u_address_same_family, strict=True)
        ):
            weight = min(math.log2(m / u), plain[level])
            row.append(min(weight, row[-1]) if row else weight)
        return row

    def weights(self, vector: Vector) -> list[float]:
        table = self.level_weights
        found = [0.0 if level is None else table[i][level] for i, level in enumerate(vector)]
        address = vector[ADDRESS_INDEX]
        if address is not None and vector[FAMILY_INDEX] == 0 and self.u_address_same_family:
            found[ADDRESS_INDEX] = self.address_weights_same_family[address]
        return found

    @functools.cached_property
    def adjusted_comparisons(self) -> list[tuple[int, Adjusted, dict[str, float], float]]:
        """(comparison index, adjusted, shares, share of an unlisted value) for each comparison
        with term frequencies counted."""
        shares = self.frequencies.get("shares", {})
        if self.frequencies.get("records", 0) < MIN_RECORDS:
            return []
        floor = MIN_COUNT / self.frequencies["records"]
        names = [c.name for c in COMPARISONS]
        return [
            (names.index(a.comparison), a, shares[a.comparison], floor)
            for a in ADJUSTED
            if shares.get(a.comparison)
        ]

    def adjustments(self, a: Nominal, b: Nominal, vector: Vector) -> dict[int, tuple[str, float]]:
        """Term-frequency adjustments of a pair: comparison index -> (the value agreed on, bits
        added to the level's weight), log2(u / share). Where the records agree on several values,
        the commonest counts (the weaker evidence)."""
        found = {}
        for k, (i, adjusted, _, _) in enumerate(self.adjusted_comparisons):
            if vector[i] != adjusted.level:
                continue
            agreed = _values(a, k, adjusted) & _values(b, k, adjusted)
            if agreed:
                found[i] = self._agreed(k, agreed)
        return found

    def term_values(self, record: Nominal) -> tuple[frozenset[str], ...]:
        """A record's values for each adjusted comparison, in ``adjusted_comparisons`` order."""
        return tuple(
            _values(record, k, adjusted)
            for k, (_, adjusted, _, _) in enumerate(self.adjusted_comparisons)
        )

    def adjustment_bits(
        self, vector: Vector, values_a: tuple[frozenset[str], ...], values_b: tuple
    ) -> float:
        """The sum of ``adjustments``' bits, from the two records' ``term_values`` (scoring many
        pairs: each record's values are looked up once, not once per pair)."""
        bits = 0.0
        for k, (i, adjusted, _, _) in enumerate(self.adjusted_comparisons):
            if vector[i] == adjusted.level:
                agreed = values_a[k] & values_b[k]
                if agreed:
                    bits += self._agreed(k, agreed)[1]
        return bits

    def _agreed(self, k: int, agreed: frozenset[str]) -> tuple[str, float]:
        i, adjusted, shares, floor = self.adjusted_comparisons[k]
        if len(agreed) == 1:
            (value,) = agreed
        else:
            value = max(agreed, key=lambda v: (shares.get(v, floor), v))
        bits = self._bits.get((i, value))
        if bits is None:
            u = self.u[i][adjusted.level]
            share = shares.get(value, floor)
            if share < COMMON_COUNT * floor / MIN_COUNT:
                # Held by so few records that the pair itself may be most of them: a sign
                # of a rare value, never of a common one (two records of one person born on
                # an ordinary day, in a small force, are not a common date).
                share = min(share, u)
            bits = self._bits[(i, value)] = math.log2(u / share)
        return value, bits

    @functools.cached_property
    def _bits(self) -> dict[tuple[int, str], float]:
        return {}

    def match_weight(self, vector: Vector, pair: tuple[Nominal, Nominal] | None = None) -> float:
        weight = math.log2(self.prior / (1 - self.prior)) + sum(self.weights(vector))
        if pair is not None and self.adjusted_comparisons:
            weight += sum(bits for _, bits in self.adjustments(*pair, vector).values())
        return weight

    def probability(self, vector: Vector, pair: tuple[Nominal, Nominal] | None = None) -> float:
        return _probability(self.match_weight(vector, pair))

    def reasons(self, vector: Vector, pair: tuple[Nominal, Nominal] | None = None) -> list[Reason]:
        adjusted = (
            self.adjustments(*pair, vector)
            if pair is not None and self.adjusted_comparisons
            else {}
        )
        found = []
        for i, (level, weight) in enumerate(zip(vector, self.weights(vector), strict=True)):
            if level is None:
                continue
            note = ""
            if i in adjusted:
                value, bits = adjusted[i]
                weight += bits
                if abs(bits) >= _NOTABLE_BITS:
                    note = f"{value.title()}: {'common' if bits < 0 else 'rare'}"
            found.append(
                Reason(COMPARISONS[i].name, COMPARISONS[i].levels[level], round(weight, 2), note)
            )
        return found

    def to_json(self) -> str:
        return json.dumps(
            {
                "m": self.m,
                "u": self.u,
                "prior": self.prior,
                "trained_on": self.trained_on,
                "frequencies": self.frequencies,
                "u_address_same_family": self.u_address_same_family,
            },
            indent=1,
        )

    @classmethod
    def from_json(cls, text: str) -> MatchModel:
        data = json.loads(text)
        return cls(
            m=data["m"],
            u=data["u"],
            prior=data["prior"],
            trained_on=data["trained_on"],
            frequencies=data.get("frequencies", {}),
            u_address_same_family=data.get("u_address_same_family", []),
        )


def _values(record: Nominal, k: int, adjusted: Adjusted) -> frozenset[str]:
    """A record's values for the k-th adjusted comparison, worked out once per record (each
    record is in many pairs) and kept on it beside the other fields worked out once."""
    kept = record.__dict__.setdefault("_term_values", {})
    found = kept.get(adjusted.comparison)
    if found is None:
        found = kept[adjusted.comparison] = frozenset(adjusted.values(record))
    return found


def _probability(weight: float) -> float:
    return 1 / (1 + 2 ** (-weight)) if weight > -60 else 0.0


def scored_pairs(
    records: Sequence[Nominal],
    model: MatchModel,
    *,
    threshold: float = 0.5,
    vectors: PairVectors | None = None,
    max_block: int = MAX_BLOCK,
) -> Iterable[tuple[int | str, int | str, float, Vector]]:
    """Every candidate pair (from blocks of at most ``max_block`` records) whose match
    probability (term frequencies included) reaches ``threshold``, in the order the candidate
    pairs are made. ``vectors`` may be a ``shards.ShardedPairs``, which scores in its processes."""
    pair_vectors = vectors if vectors is not None else PairVectors(records)
    sharded = getattr(pair_vectors, "scored", None)
    if sharded is not None:
        return sharded(model, threshold=threshold, max_block=max_block)
    pairs = ((a, b, pair_vectors[(a, b)]) for a, b in pair_vectors.pairs(max_block=max_block))
    return score(pairs, pair_vectors.by_id, model, threshold)


class PairScorer:
    """Scores many pairs as ``match_weight(vector, pair)`` does. Each vector's weight, and the
    most its term-frequency adjustments could add (no value's share is below MIN_COUNT records,
    so none adds more than log2(u / that share)), are worked out once; a pair's own adjustment
    only where it could lift the pair to the threshold: most candidate pairs are strangers far
    below it. De-duplication worked out every pair's probability twice, once with its own
    adjustment (bench/README.md, "Batch de-duplication of the million")."""

    def __init__(self, model: MatchModel, threshold: float) -> None:
        self.model = model
        self.threshold = threshold
        self.needed = math.log2(threshold / (1 - threshold)) if 0 < threshold < 1 else -math.inf
        self._most = [
            (i, adjusted.level, math.log2(model.u[i][adjusted.level] / floor))
            for i, adjusted, _, floor in model.adjusted_comparisons
        ]
        self._vectors: dict[Vector, tuple[float, float, bool]] = {}

    def probability(self, vector: Vector, a: Nominal, b: Nominal) -> float | None:
        """The pair's match probability, or None where it is below the threshold."""
        known = self._vectors.get(vector)
        if known is None:
            agreed = [most for i, level, most in self._most if vector[i] == level]
            known = (self.model.match_weight(vector), sum(agreed), bool(agreed))
            self._vectors[vector] = known
        weight, reach, adjustable = known
        if adjustable:
            if weight + reach < self.needed:
                return None
            model = self.model
            weight += model.adjustment_bits(vector, model.term_values(a), model.term_values(b))
        p = _probability(weight)
        return p if p >= self.threshold else None


def score(
    pairs: Iterable[tuple[int | str, int | str, Vector]],
    by_id: Mapping,
    model: MatchModel,
    threshold: float,
) -> Iterator[tuple[int | str, int | str, float, Vector]]:
    """``scored_pairs`` for these pairs (with their vectors) of these records."""
    scorer = PairScorer(model, threshold)
    for a, b, vector in pairs:
        p = scorer.probability(vector, by_id[a], by_id[b])
        if p is not None:
            yield a, b, p, vector
