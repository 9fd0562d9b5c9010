"""Batch de-duplication at force scale: time, peak memory, and precision/recall against the
duplicates the synthetic generator planted.

    # a force of about 1,000,000 nominals (920,000 people, about 8% also recorded twice)
    BLUELAMP_SQLITE_PATH=/work/benchdata/m1.sqlite3 bluelamp synth --people-only 920000 --seed 7
    .venv/bin/python bench/dedupe_bench.py --sqlite /work/benchdata/m1.sqlite3 --workers 2
    .venv/bin/python bench/dedupe_bench.py --postgres URL --workers 2

Runs ``bluelamp people dedupe --workers W`` as its own process (after clearing the review queue)
and samples the summed resident memory of it and its workers; reports wall time and CPU time
(user + system, workers included). The model is the shipped default
(or the force's trained one if ``people train`` was run). Pairwise precision and recall: queued
pairs against every pair of records of the same synthetic person."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _force import PeakMemory, bench_user, database_env, planted_pairs, setup_django  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", help="a SQLite database made by bluelamp synth")
    parser.add_argument("--postgres", help="a PostgreSQL URL instead")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--max-block", type=int, default=None, help="default: BLUELAMP_DEDUPE_MAX_BLOCK"
    )
    args = parser.parse_args(argv)
    if not (args.sqlite or args.postgres):
        parser.error("give --sqlite PATH or --postgres URL")
    setup_django(args.sqlite, args.postgres)
    from bluelamp.accounts.roles import Role
    from bluelamp.core.models import Person
    from bluelamp.people.models import DuplicateCandidate

    bench_user(Role.QUALITY_ASSURANCE, "bench-dedupe")
    DuplicateCandidate.objects.all().delete()
    nominals = Person.objects.filter(merged_into__isnull=True).count()
    from django.db import connections

    connections.close_all()
    command = [
        sys.executable,
        "-m",
        "bluelamp.cli",
        "people",
        "dedupe",
        "--as",
        "bench-dedupe",
        "--workers",
        str(args.workers),
        *(["--max-block", str(args.max_block)] if args.max_block else []),
        "--purpose",
        "benchmark",
    ]
    start = time.perf_counter()
    process = subprocess.Popen(command, env=database_env(args.sqlite, args.postgres))
    memory = PeakMemory(process.pid)
    # wait4 gives the command's CPU time including its workers (reaped by it): on a shared
    # machine CPU seconds / workers is what the wall time would be with the cores to itself.
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    peak = memory.stop()
    cpu = usage.ru_utime + usage.ru_stime
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(os.waitstatus_to_exitcode(status))
    found = set(DuplicateCandidate.objects.values_list("person_id", "other_id"))
    truth = planted_pairs()
    hits = len(found & truth)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    database = "PostgreSQL" if args.postgres else "SQLite"
    limit = args.max_block or "default"
    print(
        f"| {nominals:,} | {database} | {args.workers} | {limit} | {elapsed:.0f} s "
        f"| {cpu:.0f} s "
        f"| {peak / 2**20:.0f} MB "
        f"| {len(found):,} | {len(truth):,} | {precision:.3f} | {recall:.3f} | {f1:.3f} |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
