"""How long the synthetic force generator takes, and how much memory it needs.

    .venv/bin/python bench/synth_bench.py --population 50000 --repeat 3 [--postgres URL]

Each run is `bluelamp synth --population N --years 1 --seed S` as its own process on an empty
database of its own (a temporary SQLite file, or a fresh database on the PostgreSQL server at
URL, dropped afterwards). Reports the wall time (median of --repeat runs) and the peak resident
memory of the process, with the machine it ran on."""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    memory = f"{memory_kb / 1024**2:.0f} GB"
    return f"{os.cpu_count()} cores ({cpu}), {memory}, Python {platform.python_version()}"


def run_once(population: int, seed: int, postgres: str | None) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "BLUELAMP_VAR_DIR": tmp}
        drop = None
        if postgres:
            import psycopg

            name = f"bench_{uuid.uuid4().hex[:10]}"
            with psycopg.connect(postgres, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            env["DATABASE_URL"] = postgres.rsplit("/", 1)[0] + f"/{name}"

            def drop():
                with psycopg.connect(postgres, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            env.pop("DATABASE_URL", None)
            env["BLUELAMP_SQLITE_PATH"] = str(Path(tmp) / "bench.sqlite3")
        bluelamp = [sys.executable, "-m", "bluelamp.cli"]
        subprocess.run([*bluelamp, "migrate", "-v0"], env=env, check=True)
        log = Path(tmp) / "synth.log"
        start = time.perf_counter()
        with log.open("w") as out:
            process = subprocess.Popen(
                [
                    *bluelamp,
                    "synth",
                    "--population",
                    str(population),
                    "--years",
                    "1",
                    "--seed",
                    str(seed),
                ],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
            # wait4 gives this child's own peak memory (ru_maxrss, in KB on Linux).
            _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        output = log.read_text()
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(output[-3000:])
        peak_mb = usage.ru_maxrss / 1024
        print(output.strip().splitlines()[-1] if output.strip() else "", file=sys.stderr)
        if drop:
            drop()
        return elapsed, peak_mb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--population", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--postgres", help="a PostgreSQL URL; default SQLite")
    args = parser.parse_args(argv)
    times, peaks = [], []
    for n in range(args.repeat):
        elapsed, peak = run_once(args.population, args.seed + n, args.postgres)
        times.append(elapsed)
        peaks.append(peak)
    database = "PostgreSQL" if args.postgres else "SQLite"
    print(
        f"| {args.population:,} | {database} | {statistics.median(times):.1f} s "
        f"| {', '.join(f'{t:.1f}' for t in times)} | {max(peaks):.0f} MB |"
    )
    print(f"machine: {machine()}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
