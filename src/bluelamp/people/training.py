"""Training the match model: ``u`` from random pairs of the force's records, ``m`` from
expectation-maximisation over blocked pairs (one run per blocking rule, leaving out the
comparisons that rule fixes, as Splink does, and pooled by the matches each run found), and the
prior from the matches expected among all candidate pairs. ``bluelamp people train`` stores the
estimate (a ``model.MatchModel``) in the database."""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Callable, Sequence

from . import frequencies as term_frequencies
from .blocking import BLOCKING_RULES, MAX_BLOCK, BlockingRule
from .compare import COMPARISONS, comparison_vector
from .households import estimate_u_same_family
from .model import FLOOR, MatchModel, Vector
from .normalise import Nominal
from .pairs import PairVectors, rule_counts


def _normalised(counts: Sequence[float]) -> list[float]:
    total = sum(counts)
    if total <= 0:
        return [1 / len(counts)] * len(counts)
    return [max(c / total, FLOOR) for c in counts]


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
            rule_vectors = pair_vectors.counts((rule,), max_block)
        else:
            rule_vectors = rule_counts(blocks(rule), rule, max_block)
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
