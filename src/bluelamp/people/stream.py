"""Batch de-duplication at force scale: stream the stored blocking keys block by block instead of
loading every nominal (issue 4: 1,000,000 nominals in under 10 minutes on 2 cores).

``PersonKey`` rows are read in key order, so each block (the people sharing one key) arrives
whole. Blocks are gathered until they name ``BATCH_PEOPLE`` people; only those people are loaded,
their candidate pairs scored, and the batch dropped. Memory is bounded by the batch, not by the
force.

Each pair is scored once, at the first key (in key order) that both records share and that is
not oversized, exactly as ``blocking.candidate_pairs`` does with its set of seen pairs, but
without a set that grows with the square of the force: a pair met under a later key is skipped
when the two records' keys show an earlier usable one. An oversized key (more records than its
rule allows) is always met before any later key in the stream, so the set of them seen so far is
complete for every earlier key.

Work is split between processes by a hash of the key; each process reads the whole stream (so
it knows every block's size) and scores only its own blocks. The result is the same set of pairs
as ``model.scored_pairs`` over all records (tests/people/test_stream.py)."""

from __future__ import annotations

import functools
import itertools
import multiprocessing
import operator
import time
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor

from django.db import connections
from django.db.models import Q

from bluelamp.core.models import Person

from .blocking import BLOCKING_RULES, MAX_BLOCK, SEARCH_ONLY_CODES, BlockingRule, record_keys
from .compare import comparison_vector
from .model import MatchModel, PairScorer, Vector
from .models import PersonKey
from .records import stored_nominals
from .shards import collector_paused

# People loaded at once. 20,000 nominals are about 60 MB; the stream itself is read in chunks.
BATCH_PEOPLE = 20_000
STREAM_CHUNK = 20_000


def _limits(max_block: int) -> dict[str, int]:
    return {rule.code: min(max_block, rule.max_block) for rule in BLOCKING_RULES}


Pair = tuple[int, int, float, Vector]


def _blocks(progress: Callable[[int], None] | None) -> Iterator[tuple[str, list[int]]]:
    """(key, ids of live people with it), in key order. The keys are read straight off their
    (key, person) index, with no join: a join to core_person makes SQLite sort every row first.
    Merged records (few: each is a reviewer's decision) are left out here instead."""
    merged = set(Person.objects.filter(merged_into__isnull=False).values_list("pk", flat=True))
    rows = (
        # Search's own keys are not batch blocks (blocking.SEARCH_RULES).
        PersonKey.objects.exclude(
            functools.reduce(
                operator.or_,
                (Q(key__gt=f"{code}:", key__lt=f"{code};") for code in SEARCH_ONLY_CODES),
            )
        )
        .order_by("key", "person_id")
        .values_list("key", "person_id")
        .iterator(chunk_size=STREAM_CHUNK)
    )
    current, ids, seen = None, [], 0
    for key, person_id in rows:
        seen += 1
        if progress and seen % STREAM_CHUNK == 0:
            progress(STREAM_CHUNK)
        if key != current:
            if ids:
                yield current, ids
            current, ids = key, []
        if person_id not in merged:
            ids.append(person_id)
    if ids:
        yield current, ids
    if progress:
        progress(seen % STREAM_CHUNK)


def _score_batch(
    batch: list[tuple[str, list[int]]],
    people: set[int],
    oversized: set[str],
    scorer: PairScorer,
) -> list[Pair]:
    """The batch's pairs at or above the threshold. Python's cycle collector is paused meanwhile:
    a batch makes millions of small objects and no cycles, and the collector walked the batch's
    20,000 people again and again as they were made: a quarter of the time (bench/README.md)."""
    with collector_paused():
        return list(_scored(batch, people, oversized, scorer))


def _scored(
    batch: list[tuple[str, list[int]]],
    people: set[int],
    oversized: set[str],
    scorer: PairScorer,
) -> Iterator[Pair]:
    records = {r.id: r for r in stored_nominals(people)}
    # Only keys before the batch's last key can tell that a pair was scored earlier, and every
    # key of a later rule (by code) comes after it: those rules' keys are not worked out.
    last = batch[-1][0].partition(":")[0]
    rules = [rule for rule in BLOCKING_RULES if rule.code <= last]
    keys = {pid: record_keys(r, rules) for pid, r in records.items()}
    for key, ids in batch:
        ids = [pid for pid in ids if pid in records]  # a person deleted since the stream began
        for i, a in enumerate(ids):
            keys_a, record_a = keys[a], records[a]
            for b in ids[i + 1 :]:
                if any(k < key and k not in oversized for k in keys_a & keys[b]):
                    continue  # scored at an earlier key both records share
                record_b = records[b]
                vector = comparison_vector(record_a, record_b)
                p = scorer.probability(vector, record_a, record_b)
                if p is not None:
                    yield a, b, p, vector


def scan(
    model: MatchModel,
    *,
    threshold: float,
    part: int = 0,
    parts: int = 1,
    max_block: int = MAX_BLOCK,
    progress: Callable[[int], None] | None = None,
) -> Iterator[Pair]:
    """Likely duplicate pairs (smaller id first) from this part of the key space. A block with
    more than ``max_block`` people (or its rule's own limit) is skipped, as in candidate_pairs."""
    limits = _limits(max_block)
    oversized: set[str] = set()
    scorer = PairScorer(model, threshold)
    batch: list[tuple[str, list[int]]] = []
    people: set[int] = set()
    for key, ids in _blocks(progress):
        if len(ids) > limits.get(key.partition(":")[0], max_block):
            oversized.add(key)
            continue
        if len(ids) < 2 or (parts > 1 and zlib.crc32(key.encode()) % parts != part):
            continue
        batch.append((key, ids))
        people.update(ids)
        if len(people) >= BATCH_PEOPLE:
            yield from _score_batch(batch, people, oversized, scorer)
            batch, people = [], set()
    if batch:
        yield from _score_batch(batch, people, oversized, scorer)


def sample_blocks(
    rule: BlockingRule, *, share: float, seed: int = 0, max_block: int = MAX_BLOCK
) -> set[int]:
    """The people of a random ``share`` of one rule's blocks (those of two people or more, within
    the rule's size limit), whole: for training, where the pairs a rule makes must keep the
    duplicates they hold (dedupe.train_model). Read off the key index, one rule's keys at a
    time; a block is in the sample when a hash of the seed and its key falls in the share."""
    merged = set(Person.objects.filter(merged_into__isnull=False).values_list("pk", flat=True))
    limit = min(max_block, rule.max_block)
    cut = round(share * 10_000)
    # The rule's keys, "gd:..." say, are those between "gd:" and "gd;" (";" follows ":").
    rows = (
        PersonKey.objects.filter(key__gt=f"{rule.code}:", key__lt=f"{rule.code};")
        .order_by("key", "person_id")
        .values_list("key", "person_id")
        .iterator(chunk_size=STREAM_CHUNK)
    )
    chosen: set[int] = set()
    for key, group in itertools.groupby(rows, key=lambda row: row[0]):
        if zlib.crc32(f"{seed}:{key}".encode()) % 10_000 >= cut:
            continue
        ids = [pid for _, pid in group if pid not in merged]
        if 2 <= len(ids) <= limit:
            chosen.update(ids)
    return chosen


# --- several processes ---------------------------------------------------------------------

_progress_counter = None


def _init_worker(counter) -> None:
    global _progress_counter
    _progress_counter = counter
    # The forked connection belongs to the parent: forget it without closing it.
    for conn in connections.all(initialized_only=True):
        conn.inc_thread_sharing()
        conn.connection = None
        conn.dec_thread_sharing()


def _count(n: int) -> None:
    with _progress_counter.get_lock():
        _progress_counter.value += n


def _worker(model_json: str, threshold: float, part: int, parts: int, max_block: int) -> list[Pair]:
    model = MatchModel.from_json(model_json)
    found = list(
        scan(
            model,
            threshold=threshold,
            part=part,
            parts=parts,
            max_block=max_block,
            progress=_count,
        )
    )
    connections.close_all()
    return found


def scan_parallel(
    model: MatchModel,
    *,
    threshold: float,
    workers: int,
    max_block: int = MAX_BLOCK,
    progress: Callable[[int], None] | None = None,
) -> list[Pair]:
    """``scan`` split over ``workers`` forked processes. ``progress`` gets stream rows read, summed
    over the workers (each reads the whole stream: the total is rows x workers)."""
    if workers <= 1:
        return list(scan(model, threshold=threshold, max_block=max_block, progress=progress))
    connections.close_all()
    context = multiprocessing.get_context("fork")
    counter = context.Value("q", 0)
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_init_worker, initargs=(counter,)
    ) as pool:
        futures = [
            pool.submit(_worker, model.to_json(), threshold, part, workers, max_block)
            for part in range(workers)
        ]
        reported = 0
        while not all(f.done() for f in futures):
            time.sleep(0.5)
            if progress:
                value = counter.value
                progress(value - reported)
                reported = value
        found = [pair for f in futures for pair in f.result()]
    if progress:
        progress(counter.value - reported)
    return found
