"""Candidate pairs and their comparison vectors, computed once and shared by training and
scoring (in memory: bench/matching_bench.py and de-duplication's tests; a force's de-duplication
streams its stored keys instead, people/stream.py)."""

from __future__ import annotations

import itertools
import multiprocessing
from collections import Counter
from collections.abc import Sequence

from .blocking import BLOCKING_RULES, MAX_BLOCK, BlockingRule, candidate_pairs
from .compare import comparison_vector
from .normalise import Nominal

Vector = tuple[int | None, ...]


class PairVectors(dict):
    """Comparison vectors of candidate pairs, computed once and shared by training and scoring,
    with each blocking rule's pairs among the records (also computed once)."""

    def __init__(self, records: Sequence[Nominal], *, workers: int = 1):
        super().__init__()
        self.records = records
        self.by_id = {r.id: r for r in records}
        self.workers = workers
        self._rule_pairs: dict[tuple[str, int], list] = {}
        self._filled: set[int] = set()

    def of(self, a, b) -> Vector:
        vector = self.get((a, b))
        if vector is None:
            vector = self[(a, b)] = comparison_vector(self.by_id[a], self.by_id[b])
        return vector

    def pairs(self, rules: Sequence[BlockingRule] = BLOCKING_RULES, max_block: int = MAX_BLOCK):
        """The candidate pairs of these rules among the records, as ``candidate_pairs`` gives
        them, with every vector computed (by ``workers`` processes where there are many)."""
        if max_block not in self._filled:
            # Every rule's pairs first, then all their vectors at once (one pool of workers).
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
        missing = [pair for pair in pairs if pair not in self]
        if self.workers < 2 or len(missing) < 20_000:
            for a, b in missing:
                self[(a, b)] = comparison_vector(self.by_id[a], self.by_id[b])
            return
        global _FORKED  # noqa: PLW0603 - handed to forked workers, never pickled
        _FORKED = self.by_id
        chunks = [missing[i :: self.workers] for i in range(self.workers)]
        with multiprocessing.get_context("fork").Pool(self.workers) as pool:
            for chunk, vectors in zip(chunks, pool.map(_vectors, chunks), strict=True):
                self.update(zip(chunk, vectors, strict=True))
        _FORKED = {}


_FORKED: dict = {}


def _vectors(pairs: list) -> list[Vector]:
    return [comparison_vector(_FORKED[a], _FORKED[b]) for a, b in pairs]
