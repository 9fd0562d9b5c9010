"""The match probability means what it says, on a generated set nobody tuned the model to.

bench/british_people.py draws people with British name frequencies and records each of them
several times the way records get made (nicknames, partial and placeholder dates, postcode
slips, moves, households of relatives and twins). The model is trained on it without labels,
as a force trains on its own records, and its probabilities are checked against the truth.

Tolerances: at 2,000 records about 3,500 pairs are offered (probability 0.5 or more). On seeds
7, 8 and 9 the true pairs among them were 98.1-99.3% of the number expected (the sum of their
probabilities), pairs at 0.9 or more were 98.5-99.1% true, and the few pairs at 0.5-0.9 (about
200) were 56-69% true against a mean probability of 73-75%: over-confident there, by up to 0.18.
The bounds leave room for that spread and still fail the model before issue 18, whose pairs
scored 0.95-0.99 were 29-57% true on this kind of data (bench/README.md)."""

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_probabilities_are_calibrated_on_a_generated_set_with_households_and_moves(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    import matching_bench

    task = matching_bench.load_british(2000, 7)
    scored = matching_bench.run_bluelamp(task)
    offered = [(pair in task.truth, p) for pair, p in scored.items() if p >= 0.5]
    expected = sum(p for _, p in offered)
    observed = sum(true for true, _ in offered)
    assert len(offered) > 1000
    assert abs(observed - expected) <= 0.05 * expected

    sure = [true for true, p in offered if p >= 0.9]
    assert sum(sure) / len(sure) >= 0.95

    middling = [(true, p) for true, p in offered if p < 0.9]
    share_true = sum(true for true, _ in middling) / len(middling)
    mean = sum(p for _, p in middling) / len(middling)
    assert mean - 0.25 <= share_true <= mean + 0.25
    sys.modules.pop("matching_bench", None)
    sys.modules.pop("british_people", None)
