"""Relatives share a home: the address is weaker evidence between records with one family name.

Fellegi-Sunter adds the evidence of each comparison as if they were independent among strangers.
Family name and address are not: two different people with one family name share a home far more
often than two strangers do (a father and son, a mother and daughter, siblings), so a shared
family name and home outweighed a different given name and date of birth, and a household was
offered as one person (issue 18: on a set with households, most pairs scored 0.9-0.99 were
relatives). So the address has a second ``u``, the chance that two *different* people who share a
family name agree at each address level, used whenever the family names agree exactly.

It is estimated without labels, by the method of moments: random pairs of records that share a
family name are a mixture of the same person (share ``pi``, agreeing on the address as ``m``
says) and relatives or strangers, so u = (observed - pi * m) / (1 - pi). ``pi`` is the matches
the model expects among all pairs (its prior), agreeing on the family name exactly, over the
number of pairs sharing one."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence

from .compare import ADDRESS, COMPARISONS, FAMILY
from .normalise import Nominal

_FLOOR = 1e-5
FAMILY_INDEX = COMPARISONS.index(FAMILY)
ADDRESS_INDEX = COMPARISONS.index(ADDRESS)


def estimate_u_same_family(
    records: Sequence[Nominal],
    *,
    m: list[list[float]],
    prior: float,
    pairs: int = 30_000,
    seed: int = 0,
) -> list[float]:
    """The address's u among different people sharing a family name (empty if too few share)."""
    groups: dict[str, list[Nominal]] = defaultdict(list)
    for r in records:
        if r.family and r.family[0]:
            groups[r.family[0]].append(r)
    sizes = [(family, len(rs) * (len(rs) - 1) // 2) for family, rs in groups.items() if len(rs) > 1]
    total_same = sum(n for _, n in sizes)
    if total_same < 100:
        return []
    rng = random.Random(seed)
    names = [family for family, _ in sizes]
    weights = [n for _, n in sizes]
    counts = [0.0] * len(ADDRESS.levels)
    for family in rng.choices(names, weights=weights, k=pairs):
        a, b = rng.sample(groups[family], 2)
        level = ADDRESS.compare(a, b)
        if level is not None:
            counts[level] += 1
    observed = sum(counts)
    if not observed:
        return []
    n = len(records)
    expected_matches = prior * n * (n - 1) / 2 * m[FAMILY_INDEX][0]
    pi = min(expected_matches / total_same, 0.9)
    address_m = m[ADDRESS_INDEX]
    u = [max((c / observed - pi * address_m[i]) / (1 - pi), _FLOOR) for i, c in enumerate(counts)]
    total = sum(u)
    return [max(x / total, _FLOOR) for x in u]
