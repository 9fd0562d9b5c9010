"""Candidate pairs and their comparison vectors, computed once and shared by training and
scoring (in memory: bench/matching_bench.py and de-duplication's tests; a force's de-duplication
streams its stored keys instead, people/stream.py)."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence

from .blocking import BLOCKING_RULES, MAX_BLOCK, BlockingRule, candidate_pairs
from .compare import comparison_vector
from .normalise import Nominal

Vector = tuple[int | None, ...]


class PairVectors(dict):
    """Comparison vectors of candidate pairs, computed once and shared by training and scoring,
    with each blocking rule's pairs among the records (also computed once)."""

    def __init__(self, records: Sequence[Nominal]):
        super().__init__()
        self.records = records
        self.by_id = {r.id: r for r in records}
        self._rule_pairs: dict[tuple[str, int], list] = {}
        self._filled: set[int] = set()

    def of(self, a, b) -> Vector:
        vector = self.get((a, b))
        if vector is None:
            vector = self[(a, b)] = comparison_vector(self.by_id[a], self.by_id[b])
        return vector

    def pairs(self, rules: Sequence[BlockingRule] = BLOCKING_RULES, max_block: int = MAX_BLOCK):
        """The candidate pairs of these rules among the records, as ``candidate_pairs`` gives
        them, with every vector computed (``people.shards.ShardedPairs`` does it in processes)."""
        if max_block not in self._filled:
            # Every rule's pairs first, then all their vectors at once.
            for rule in BLOCKING_RULES:
                self._rule_pairs[(rule.code, max_block)] = list(
                    candidate_pairs(self.records, rules=(rule,), max_block=max_block)
                )
            self._fill(
                list(
                    dict.fromkeys(
                        itertools.chain(
                            *(self._rule_pairs[(r.code, max_block)] for r in BLOCKING_RULES)
                        )
                    )
                )
            )
            self._filled.add(max_block)
        lists = [self._rule_pairs[(rule.code, max_block)] for rule in rules]
        if len(lists) == 1:
            return lists[0]
        return list(dict.fromkeys(itertools.chain(*lists)))

    def counts(
        self, rules: Sequence[BlockingRule] = BLOCKING_RULES, max_block: int = MAX_BLOCK
    ) -> Counter[Vector]:
        """How many of these rules' candidate pairs have each comparison vector, in the order
        the vectors are first met (training's EM sums over them in this order)."""
        return Counter(map(self.__getitem__, self.pairs(rules, max_block)))

    def _fill(self, pairs: list) -> None:
        for a, b in pairs:
            if (a, b) not in self:
                self[(a, b)] = comparison_vector(self.by_id[a], self.by_id[b])


def rule_counts(
    records: Sequence[Nominal], rule: BlockingRule, max_block: int = MAX_BLOCK
) -> Counter[Vector]:
    """``PairVectors(records).counts((rule,), max_block)``, the same counts in the same order,
    comparing only this rule's pairs: for records gathered for one rule (training on a force's
    sample, one rule's blocks at a time), where ``PairVectors`` compared every rule's pairs among
    them first, two thirds of training the million (bench/README.md)."""
    by_id = {r.id: r for r in records}
    return Counter(
        comparison_vector(by_id[a], by_id[b])
        for a, b in candidate_pairs(records, rules=(rule,), max_block=max_block)
    )
