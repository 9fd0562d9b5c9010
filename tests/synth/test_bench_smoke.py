"""Benchmarks are not part of the suite, but a tiny run of each is, so that they do not rot."""

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_the_synth_benchmark_runs(capsys, monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    import synth_bench

    assert synth_bench.main(["--population", "300", "--repeat", "1"]) == 0
    row = capsys.readouterr().out.strip().splitlines()[-1]
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[0] == "300"
    assert cells[1] in ("SQLite", "PostgreSQL")
    assert float(cells[2].removesuffix(" s")) > 0
    assert float(cells[4].removesuffix(" MB")) > 10
    sys.modules.pop("synth_bench", None)


def test_the_matching_benchmark_scores_bluelamp_on_fake_1000(capsys, monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    import matching_bench

    task = matching_bench.load_fake_1000()
    outcome = matching_bench.post_process(task, matching_bench.run_bluelamp(task))
    precision, recall, f1 = matching_bench.scores(outcome.clustered, task.truth)
    assert precision > 0.8
    assert recall > 0.8
    assert f1 > 0.85
    sys.modules.pop("matching_bench", None)


def test_the_search_benchmark_calls_a_miss_blind_only_when_others_are_as_close_everywhere(
    monkeypatch,
):
    monkeypatch.syspath_prepend(str(BENCH))
    import search_bench

    wanted = (0, 1, 4, None)  # family the same, a nickname, year only; no postcode to compare
    assert search_bench._at_least_as_close((0, 1, 4, None), wanted)
    assert search_bench._at_least_as_close((0, 0, 0, None), wanted)
    assert not search_bench._at_least_as_close((0, 2, 0, None), wanted)  # a worse given name
    assert not search_bench._at_least_as_close((0, 1, None, None), wanted)  # no date of birth
    assert not search_bench._at_least_as_close((0, 1, 4, 0), wanted)  # compared on more
    sys.modules.pop("search_bench", None)
