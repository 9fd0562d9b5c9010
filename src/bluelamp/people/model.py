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
import random
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from . import frequencies as term_frequencies
from .blocking import BLOCKING_RULES, MAX_BLOCK, BlockingRule
from .compare import COMPARISONS, comparison_vector
from .frequencies import ADJUSTED, COMMON_COUNT, MIN_COUNT, MIN_RECORDS, Adjusted
from .households import ADDRESS_INDEX, FAMILY_INDEX, estimate_u_same_family
from .normalise import Nominal
from .pairs import PairVectors

Vector = tuple[int | None, ...]
# A floor on every probability so that an unseen level is strong evidence, never infinite.
_FLOOR = 1e-5


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
        given-name agreement count against)."""
        table = []
        for m_row, u_row in zip(self.m, self.u, strict=True):
            row: list[float] = []
            bound = math.inf
            for m, u in zip(m_row, u_row, strict=True):
                weight = min(math.log2(m / u), bound)
                row.append(weight)
                if m >= _BOUNDING_M or not math.isfinite(bound):
                    bound = min(bound, weight)
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


def _normalised(counts: Sequence[float]) -> list[float]:
    total = sum(counts)
    if total <= 0:
        return [1 / len(counts)] * len(counts)
    return [max(c / total, _FLOOR) for c in counts]


def estimate_u(records: Sequence[Nominal], *, pairs: int, seed: int) -> list[list[float]]:
    """How often two different people agree at each level: random pairs of records are almost
    all different people, so their level frequencies estimate u."""
    rng = random.Random(seed)
    counts = [[0.0] * len(c.levels) for c in COMPARISONS]
    n = len(records)
    total_pairs = n * (n - 1) // 2
    if total_pairs <= pairs:
        sample = ((records[i], records[j]) for i in range(n) for j in range(i + 1, n))
    else:
        sample = (tuple(rng.sample(records, 2)) for _ in range(pairs))
    for a, b in sample:
        for i, level in enumerate(comparison_vector(a, b)):
            if level is not None:
                counts[i][level] += 1
    return [_normalised(row) for row in counts]


def _starting_m() -> list[list[float]]:
    """EM's starting point only (it moves away from it): matches mostly agree strongly."""
    start = []
    for c in COMPARISONS:
        k = len(c.levels)
        start.append(_normalised([0.5**i for i in range(k - 1)] + [0.05]))
    return start


def _em(
    vectors: Counter[Vector],
    m: list[list[float]],
    u: list[list[float]],
    *,
    active: set[int],
    update_m: bool = True,
    prior: float = 0.3,
    iterations: int = 40,
) -> tuple[list[list[float]], float]:
    """Expectation-maximisation over distinct comparison vectors (weighted by count), using and
    updating only the comparisons in ``active``. Returns (m, prior)."""
    m = [row[:] for row in m]
    for _ in range(iterations):
        expected = [[0.0] * len(row) for row in m]
        matched = total = 0.0
        for vector, count in vectors.items():
            log_m = math.log(prior)
            log_u = math.log(1 - prior)
            for i in active:
                level = vector[i]
                if level is not None:
                    log_m += math.log(m[i][level])
                    log_u += math.log(u[i][level])
            p = 1 / (1 + math.exp(min(log_u - log_m, 700)))
            matched += p * count
            total += count
            if update_m:
                for i in active:
                    level = vector[i]
                    if level is not None:
                        expected[i][level] += p * count
        new_prior = min(max(matched / total, 1e-6), 1 - 1e-6) if total else prior
        if update_m:
            for i in active:
                if sum(expected[i]) > 0:
                    m[i] = _normalised(expected[i])
        converged = abs(new_prior - prior) < 1e-7
        prior = new_prior
        if converged:
            break
    return m, prior


def _random_pair_prior(
    candidates: Counter[Vector], m: list[list[float]], u: list[list[float]], *, total_pairs: int
) -> float:
    """The chance that two records picked at random are the same person, found as a fixed point:
    the expected number of matches among the candidate pairs (pairs outside them are taken as
    non-matches) divided by all pairs."""
    ratios = []
    for vector, count in candidates.items():
        log_ratio = sum(
            math.log(m[i][level] / u[i][level])
            for i, level in enumerate(vector)
            if level is not None
        )
        ratios.append((math.exp(min(log_ratio, 700)), count))
    prior = max(sum(c for _, c in ratios) / max(total_pairs, 1), 1e-9) / 2
    for _ in range(200):
        odds = prior / (1 - prior)
        expected = sum(count * (r * odds) / (1 + r * odds) for r, count in ratios)
        new_prior = min(max(expected / max(total_pairs, 1), 1e-12), 0.5)
        if abs(new_prior - prior) < prior * 1e-6:
            break
        prior = new_prior
    return new_prior


def train(
    records: Sequence[Nominal],
    *,
    seed: int = 0,
    u_pairs: int = 30_000,
    vectors: PairVectors | None = None,
    blocks: Callable[[BlockingRule], Sequence[Nominal]] | None = None,
    block_share: float = 1.0,
    force: int | None = None,
    max_block: int = MAX_BLOCK,
    frequencies: dict | None = None,
) -> MatchModel:
    """Estimates a model from unlabelled records, as a force would from its own nominals.

    ``records`` give u (random pairs) and the prior. Each blocking rule's m is estimated by EM
    over the pairs that rule makes among ``blocks(rule)`` if given, else among ``records``. A
    force samples its records: a uniform sample of a fifth keeps only a twenty-fifth of its
    duplicate pairs, too few for EM to find (it settled on people who share a home instead), so
    dedupe.train_model passes the people of whole blocks, sampled block by block: ``block_share``
    of each rule's blocks, from a force of ``force`` records.

    EM runs over the pairs of blocks of at most ``max_block`` records, the limit scoring uses. It
    must: at five million nominals, blocks of up to 200 held one duplicate pair in a thousand, and
    EM took the pairs living in one postcode sector for its matching class (0.46% of the pairs,
    where 0.09% were duplicates); in blocks of up to 30 every rule's estimate came out within a
    few hundredths of the truth (bench/README.md)."""
    pair_vectors = vectors if vectors is not None else PairVectors(records)
    u = estimate_u(records, pairs=u_pairs, seed=seed)
    # Counted before the pairs' vectors are asked for: ShardedPairs' processes compare meanwhile.
    counted = term_frequencies.count(records) if frequencies is None else frequencies
    # Each rule's m, weighted by the matches its EM found (its share of matches times its
    # pairs): the level counts of all the runs' matching classes, pooled. A rule whose pairs
    # hold next to no duplicates (a family name alone, at a million nominals) then says next to
    # nothing, where an even average let its guess stand beside the rest.
    pooled = [[0.0] * len(c.levels) for c in COMPARISONS]
    most_found = 0.0
    for rule in BLOCKING_RULES:
        if blocks is None:
            among, among_vectors = records, pair_vectors
        else:
            among = blocks(rule)
            among_vectors = PairVectors(among)
        rule_vectors = among_vectors.counts((rule,), max_block)
        if not rule_vectors:
            continue
        active = {i for i in range(len(COMPARISONS)) if COMPARISONS[i].name not in rule.fixes}
        m, share = _em(rule_vectors, _starting_m(), u, active=active)
        found = share * sum(rule_vectors.values())
        most_found = max(most_found, found)
        for i in active:
            pooled[i] = [
                total + found * level for total, level in zip(pooled[i], m[i], strict=True)
            ]
    # One pseudo-match, spread as EM's starting point, is added to the pooled counts: where the
    # runs found a few dozen matches (a small force or sample), a level none of them happened to
    # show would otherwise get m at the floor, a weight of about -16 that no other agreement
    # outweighs. At a force's scale (thousands of matches) it changes nothing.
    start = _starting_m()
    m = [
        _normalised([count + level for count, level in zip(pooled[i], start[i], strict=True)])
        for i in range(len(COMPARISONS))
    ]
    candidates = pair_vectors.counts(max_block=max_block)
    for i in range(len(COMPARISONS)):
        if not any(vector[i] is not None for vector in candidates):
            m[i] = u[i][:]  # never observed: no evidence either way, weight 0 at every level
    prior = _random_pair_prior(candidates, m, u, total_pairs=len(records) * (len(records) - 1) // 2)
    if blocks is not None and force:
        # A uniform sample keeps few duplicate pairs (a fifth keeps a twenty-fifth of them), and
        # the estimate above counts only those. The rule whose EM found the most matches, scaled
        # up from its share of blocks, counts the force's matching pairs from below too: the
        # larger of the two lower bounds is the prior.
        prior = max(prior, most_found / block_share / (force * (force - 1) / 2))
    return MatchModel(
        m=m,
        u=u,
        prior=prior,
        frequencies=counted,
        u_address_same_family=estimate_u_same_family(records, m=m, prior=prior, seed=seed),
        trained_on={
            "records": len(records),
            "candidate_pairs": sum(candidates.values()),
            # The most matching pairs one rule's EM found: what m was learnt from.
            "matches_found": round(most_found, 1),
        },
    )


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


def score(
    pairs: Iterable[tuple[int | str, int | str, Vector]],
    by_id: Mapping,
    model: MatchModel,
    threshold: float,
) -> Iterator[tuple[int | str, int | str, float, Vector]]:
    """``scored_pairs`` for these pairs (with their vectors) of these records."""
    cache: dict[Vector, float] = {}
    # No adjustment adds more than this (the rarest value's share is MIN_COUNT records), so a
    # vector whose weight stays below the threshold with it is skipped without looking further.
    most = max(
        (
            math.log2(model.u[i][adjusted.level] / floor)
            for i, adjusted, _, floor in model.adjusted_comparisons
        ),
        default=0.0,
    )
    needed = math.log2(threshold / (1 - threshold)) if 0 < threshold < 1 else -math.inf
    adjusted = len(model.adjusted_comparisons)
    values: dict = {}  # record id -> its term values, looked up once
    for a, b, vector in pairs:
        weight = cache.get(vector)
        if weight is None:
            weight = cache[vector] = model.match_weight(vector)
        if adjusted:
            if weight + most * adjusted < needed:
                continue
            if a not in values:
                values[a] = model.term_values(by_id[a])
            if b not in values:
                values[b] = model.term_values(by_id[b])
            weight += model.adjustment_bits(vector, values[a], values[b])
        p = _probability(weight)
        if p >= threshold:
            yield a, b, p, vector
