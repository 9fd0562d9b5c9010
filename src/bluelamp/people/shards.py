"""Candidate pairs held by several processes, each comparing and scoring its own share of them
(the in-memory path: bench/matching_bench.py; a force's de-duplication streams its stored keys
instead, people/stream.py).

``PairVectors`` with workers compares pairs in forked processes and ships every comparison vector
back, and the main process then counts them for training and scores them alone. Here each forked
process keeps its share of the pairs (split by a hash of a pair's first record) and their
vectors: it sends back only what training needs (how many pairs have each distinct vector) and,
given the model, the pairs it scored at the threshold. Training itself (u from random pairs, EM,
the household estimate) stays in the main process, which starts on it while the processes still
compare.

The results are exactly those of ``PairVectors``: each vector's first place among the pairs is
sent with its count, so the counts reach EM in the same order (its sums are the same to the last
bit), and the scored pairs come back in the order ``model.scored_pairs`` gives them
(tests/people/test_shards.py)."""

from __future__ import annotations

import contextlib
import gc
import itertools
import multiprocessing
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence

from .blocking import BLOCKING_RULES, MAX_BLOCK, BlockingRule
from .compare import comparison_vector
from .model import MatchModel, Vector, score
from .normalise import Nominal

# Where a pair or vector is first met: (the rule's place in BLOCKING_RULES, the block's place
# among the rule's blocks, the two records' places in the block), the order in which
# blocking.candidate_pairs makes them.
Place = tuple[int, int, int, int]
ALL = "*"


def rule_blocks(records: Sequence[Nominal], max_block: int, *, helper: bool = False) -> list:
    """Each rule's blocks, as ``blocking.candidate_pairs`` makes them: the ids sharing each key,
    sorted, in the order the keys are first met, leaving out blocks of one record or too many.
    With ``helper``, a forked process makes every other rule's blocks meanwhile and sends them
    back: the comparing processes cannot start before all the blocks are made, so this was a
    sixth of the time at 50,000 records with one core idle (bench/matching_bench.py).
    The cyclic garbage collector is paused meanwhile: it walked the hundreds of thousands of new
    lists (none in a cycle) again and again, a third of the time at 50,000 records."""
    with collector_paused():
        if not helper:
            return _rule_blocks(records, max_block, BLOCKING_RULES)
        context = multiprocessing.get_context("fork")  # records are inherited, never pickled
        ours, theirs = context.Pipe(duplex=False)
        process = context.Process(
            target=_make_blocks,
            args=(theirs, records, max_block, BLOCKING_RULES[1::2]),
            daemon=True,
        )
        process.start()
        theirs.close()
        try:
            even = _rule_blocks(records, max_block, BLOCKING_RULES[0::2])
            try:
                status, odd = ours.recv()
            except EOFError:
                status, odd = "error", "it ended without an answer"
        finally:
            ours.close()
            process.join()
        if status != "ok":
            raise RuntimeError(f"the process making blocks failed: {odd}")
        found = [None] * len(BLOCKING_RULES)
        found[0::2], found[1::2] = even, odd
        return found


def _make_blocks(connection, records, max_block: int, rules: Sequence[BlockingRule]) -> None:
    gc.disable()
    try:
        connection.send(("ok", _rule_blocks(records, max_block, rules)))
    except BaseException as error:  # noqa: BLE001 - handed to the main process, which raises it
        connection.send(("error", repr(error)))
    finally:
        connection.close()


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off meanwhile, and back as it was afterwards: for work
    that makes many objects and no cycles (what it makes is still freed as it goes)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _rule_blocks(
    records: Sequence[Nominal], max_block: int, rules: Sequence[BlockingRule]
) -> list[list[list]]:
    found = []
    for rule in rules:
        blocks: dict[str, list] = defaultdict(list)
        for record in records:
            for key in set(rule.keys(record)):
                blocks[key].append(record.id)
        limit = min(max_block, rule.max_block)
        found.append(
            [sorted(set(ids), key=str) for ids in blocks.values() if 2 <= len(ids) <= limit]
        )
    return found


class _Share:
    """One process's share of the candidate pairs (those whose first record's id hashes to it;
    forked processes share the hash seed), compared."""

    def __init__(self, records: Sequence[Nominal], blocks: list, share: int, shares: int):
        by_id = {r.id: r for r in records}
        self.by_id = by_id
        # pair -> [its vector, its first place, the last rule that made it]
        self.held: dict[tuple, list] = {}
        held = self.held
        # Per rule, and for all rules (ALL): vector -> [first place, pairs].
        self.tables: dict[str, dict[Vector, list]] = {ALL: {}}
        every = self.tables[ALL]
        for r, (rule, rule_blocks_) in enumerate(zip(BLOCKING_RULES, blocks, strict=True)):
            table = self.tables[rule.code] = {}
            for k, ids in enumerate(rule_blocks_):
                n = len(ids)
                for i, a in enumerate(ids):
                    if hash(a) % shares != share:
                        continue
                    record = by_id[a]
                    for j in range(i + 1, n):
                        pair = (a, ids[j])
                        entry = held.get(pair)
                        if entry is None:
                            place = (r, k, i, j)
                            vector = comparison_vector(record, by_id[ids[j]])
                            held[pair] = [vector, place, r]
                            counted = every.get(vector)
                            if counted is None:
                                every[vector] = [place, 1]
                            else:
                                counted[1] += 1
                        elif entry[2] == r:
                            continue  # the pair shares another of this rule's keys: once
                        else:
                            entry[2] = r
                            vector = entry[0]
                        counted = table.get(vector)
                        if counted is None:
                            table[vector] = [(r, k, i, j), 1]
                        else:
                            counted[1] += 1

    def score(self, model_json: str, threshold: float) -> list[tuple[Place, tuple]]:
        model = MatchModel.from_json(model_json)
        held = self.held
        pairs = ((a, b, entry[0]) for (a, b), entry in held.items())
        found = score(pairs, self.by_id, model, threshold)
        return [(held[(a, b)][1], (a, b, p, vector)) for a, b, p, vector in found]


def _serve(connection, records, blocks, share: int, shares: int) -> None:
    """A forked process: compare its share, then answer the main process until told to stop.
    Its objects are many small tuples and no cycles, and it lives for one run: the cyclic
    garbage collector, which walked every one of them again and again, is off."""
    gc.disable()
    try:
        held = _Share(records, blocks, share, shares)
        connection.send(("ok", held.tables))
        while (message := connection.recv()) is not None:
            model_json, threshold = message
            connection.send(("ok", held.score(model_json, threshold)))
    except BaseException as error:  # noqa: BLE001 - handed to the main process, which raises it
        connection.send(("error", repr(error)))
    finally:
        connection.close()


class ShardedPairs:
    """Candidate pairs of ``records`` from blocks of at most ``max_block`` records, compared and
    scored by ``workers`` forked processes. Pass it as ``vectors`` to ``training.train`` and
    ``model.scored_pairs``; use it in a ``with`` block (the processes end with it)."""

    def __init__(self, records: Sequence[Nominal], *, workers: int = 2, max_block: int = MAX_BLOCK):
        self.records = records
        self.max_block = max_block
        self._tables: dict[str, dict[Vector, list]] | None = None
        blocks = rule_blocks(records, max_block, helper=workers > 1)
        context = multiprocessing.get_context("fork")  # records are inherited, never pickled
        self._connections, self._processes = [], []
        for share in range(workers):
            ours, theirs = context.Pipe()
            process = context.Process(
                target=_serve, args=(theirs, records, blocks, share, workers), daemon=True
            )
            process.start()
            theirs.close()
            self._connections.append(ours)
            self._processes.append(process)

    def __enter__(self) -> ShardedPairs:
        return self

    def __exit__(self, *_) -> None:
        self.close()

    def close(self) -> None:
        for connection in self._connections:
            try:
                connection.send(None)
            except OSError:
                pass  # the process has already ended
            connection.close()
        for process in self._processes:
            process.join()
        self._connections, self._processes = [], []

    def _answers(self) -> list:
        answers = []
        for connection in self._connections:
            status, answer = connection.recv()
            if status != "ok":
                raise RuntimeError(f"a comparing process failed: {answer}")
            answers.append(answer)
        return answers

    def _check(self, max_block: int) -> None:
        if max_block != self.max_block:
            raise ValueError(f"these pairs are of blocks of at most {self.max_block} records")

    def counts(
        self, rules: Sequence[BlockingRule] = BLOCKING_RULES, max_block: int = MAX_BLOCK
    ) -> Counter[Vector]:
        """As ``PairVectors.counts``: for one rule, or for all of them."""
        self._check(max_block)
        if self._tables is None:
            self._tables = {}
            for tables in self._answers():
                for code, table in tables.items():
                    merged = self._tables.setdefault(code, {})
                    for vector, (place, n) in table.items():
                        entry = merged.get(vector)
                        if entry is None:
                            merged[vector] = [place, n]
                        else:
                            entry[0] = min(entry[0], place)
                            entry[1] += n
        if tuple(rules) == BLOCKING_RULES:
            code = ALL
        elif len(rules) == 1:
            code = rules[0].code
        else:
            raise ValueError("counts are kept for one rule or for all of them")
        table = sorted(self._tables[code].items(), key=lambda item: item[1][0])
        return Counter({vector: n for vector, (_, n) in table})

    def scored(self, model: MatchModel, *, threshold: float, max_block: int = MAX_BLOCK) -> list:
        """As ``model.scored_pairs``, each process scoring its own pairs."""
        self._check(max_block)
        self.counts(max_block=max_block)  # the processes' first answer, if not yet read
        text = model.to_json()
        for connection in self._connections:
            connection.send((text, threshold))
        found = itertools.chain.from_iterable(self._answers())
        return [pair for _, pair in sorted(found, key=lambda item: item[0])]
