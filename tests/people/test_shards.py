"""Candidate pairs compared and scored in several processes (people/shards.py) give exactly what
the single-process path (people/pairs.py) gives: the same model to the last bit, and the same
scored pairs, probabilities and vectors in the same order."""

import sys
from pathlib import Path

import pytest

from bluelamp.people.model import scored_pairs
from bluelamp.people.pairs import PairVectors
from bluelamp.people.shards import ShardedPairs
from bluelamp.people.training import train

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def records():
    # Generated British records: several per person, households, moves, and enough records
    # (over frequencies.MIN_RECORDS) for term-frequency adjustments to apply.
    sys.path.insert(0, str(BENCH))
    try:
        import matching_bench

        yield matching_bench.load_british(1500, 3).records
    finally:
        sys.path.remove(str(BENCH))
        sys.modules.pop("matching_bench", None)
        sys.modules.pop("british_people", None)


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_sharded_pairs_train_and_score_exactly_as_one_process(records, workers):
    plain = PairVectors(records)
    model = train(records, seed=1, vectors=plain, max_block=30)
    expected = list(scored_pairs(records, model, threshold=0.01, vectors=plain, max_block=30))
    assert model.frequencies["records"] >= 1000  # adjustments applied
    assert 500 < len(expected) < len(plain)  # some pairs below the threshold left out

    with ShardedPairs(records, workers=workers, max_block=30) as sharded:
        sharded_model = train(records, seed=1, vectors=sharded, max_block=30)
        found = scored_pairs(records, sharded_model, threshold=0.01, vectors=sharded, max_block=30)

    assert sharded_model.to_json() == model.to_json()
    assert found == expected


def test_sharded_pairs_refuse_another_block_size(records):
    with ShardedPairs(records[:100], workers=2, max_block=30) as sharded:
        with pytest.raises(ValueError, match="at most 30 records"):
            sharded.counts(max_block=200)
