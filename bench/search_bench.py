"""Interactive nominal search at force scale, over real HTTP: latency, planted-variant recall and
the serving process's memory.

    .venv/bin/python bench/search_bench.py --sqlite /work/benchdata/m1.sqlite3 --queries 2000
    .venv/bin/python bench/search_bench.py --postgres URL --queries 2000

Serves the bench database with ``bluelamp serve --workers 1`` (gunicorn, one sync worker), signs
an investigator in with an API bearer token and, one request at a time, searches
``GET /api/people/match`` with what was recorded on each sampled *planted variant* (a person the
generator recorded a second time with a nickname, a misspelling, a swapped day and month, a year
out, a year only or a double-barrelled name: synth.SyntheticIdentity): the given and family
names and the date of birth, as an officer would type them. A search counts as found when the
*other* record of the same person is in the first 10 results. Latency is measured at the client
(connection, request, JSON response), after 30 unmeasured warm-up searches. Memory is the peak
resident set (VmHWM) of the gunicorn worker, read from /proc at the end. The worker's CPU time per
search (user + system, from /proc) is reported too: on a shared machine it shows what a search
costs when latency is inflated by waiting for a core. With ``--runs N`` the server is started
afresh for each run and the median of each figure is printed (each run's row, with the load
averages when it started and ended, goes to stderr); each run waits until the 1-minute load
average is at most ``--max-load``."""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _force import bench_user, database_env, setup_django  # noqa: E402


def _dob(year, month, day) -> str:
    if year and month and day:
        return f"{year:04d}-{month:02d}-{day:02d}"
    if year and month:
        return f"{year:04d}-{month:02d}"
    return str(year or "")


def planted_searches(count: int, seed: int) -> list[tuple[dict, int, str]]:
    """(query, id of the record that should be found, kind of variant) for ``count`` variants."""
    from bluelamp.core.models import Person, PersonName
    from bluelamp.synth.models import SyntheticIdentity

    variants = list(
        SyntheticIdentity.objects.exclude(variant="original").values_list(
            "person_id", "identity", "variant"
        )
    )
    picked = random.Random(seed).sample(variants, min(count, len(variants)))
    originals = dict(
        SyntheticIdentity.objects.filter(
            identity__in=[identity for _, identity, _ in picked], variant="original"
        ).values_list("identity", "person_id")
    )
    ids = [pid for pid, _, _ in picked]
    names = dict(
        (pid, (given, family))
        for pid, given, family in PersonName.objects.filter(person_id__in=ids).values_list(
            "person_id", "given_names", "family_name"
        )
    )
    dobs = {
        pid: _dob(y, m, d)
        for pid, y, m, d in Person.objects.filter(pk__in=ids).values_list(
            "pk", "dob_year", "dob_month", "dob_day"
        )
    }
    searches = []
    for pid, identity, variant in picked:
        given, family = names[pid]
        query = {"given_names": given, "family_name": family, "dob": dobs[pid]}
        searches.append((query, originals[identity], variant))
    return searches


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, token: str, query: dict) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(
        "GET",
        "/api/people/match?" + urllib.parse.urlencode(query),
        headers={"Authorization": f"Bearer {token}"},
    )
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, json.loads(body) if body else {}


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.extend(int(c) for c in (task / "children").read_text().split())
    return found


def _hwm(pid: int, field: str = "VmHWM") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024
    return 0


def _cpu(pid: int) -> float:
    """User + system CPU seconds of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(share * len(ordered)), len(ordered) - 1)]


def _wait_for_quiet(max_load: float) -> float:
    """Waits (up to 10 minutes) until the 1-minute load average is at most ``max_load``, so a
    run is not measured while another bench shares the 2 cores; returns the load it started at."""
    for _ in range(40):
        load = os.getloadavg()[0]
        if load <= max_load:
            return load
        print(f"load average {load:.2f} above {max_load}: waiting", file=sys.stderr, flush=True)
        time.sleep(15)
    return os.getloadavg()[0]


def run_once(args, token: str, searches: list) -> dict:
    """One served, measured run of the searches: latencies, recall, CPU and memory."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "bluelamp.cli", "serve", "--port", str(port), "--workers", "1"],
        env=database_env(args.sqlite, args.postgres),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(120):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        for query, _, _ in searches[:30]:
            _get(port, token, query)
        workers = _children(server.pid)
        load = os.getloadavg()
        cpu_before = sum(_cpu(pid) for pid in workers)
        latencies, found, refused, misses = [], 0, 0, []
        for query, wanted, variant in searches[30:]:
            start = time.perf_counter()
            status, body = _get(port, token, query)
            latencies.append((time.perf_counter() - start) * 1000)
            if status != 200:
                refused += 1
                misses.append((variant, query, status, body, wanted))
                continue
            top = [m["person"]["id"] for m in body["matches"][:10]]
            if wanted in top:
                found += 1
            else:
                misses.append((variant, query, status, top, wanted))
        load_after = os.getloadavg()
        cpu_ms = (sum(_cpu(pid) for pid in workers) - cpu_before) * 1000 / len(latencies)
        worker_peak = max(_hwm(pid) for pid in _children(server.pid))
        # The peak counts pages of the database file mapped into the worker (SQLite's
        # mmap_size), which are the kernel's page cache rather than the worker's own memory: its
        # private (anonymous) memory is reported as well.
        worker_private = max(_hwm(pid, "RssAnon") for pid in _children(server.pid))
    finally:
        server.terminate()
        server.wait()
    return {
        "p50": percentile(latencies, 0.5),
        "p95": percentile(latencies, 0.95),
        "p99": percentile(latencies, 0.99),
        "mean": statistics.mean(latencies),
        "max": max(latencies),
        "found": found / len(latencies),
        "refused": refused,
        "cpu": cpu_ms,
        "memory": worker_peak / 2**20,
        "private": worker_private / 2**20,
        "load": load,
        "load_after": load_after,
        "searches": len(latencies),
        "misses": misses,
    }


def _at_least_as_close(vector: tuple, wanted: tuple) -> bool:
    """Whether a record's comparison with the search is at least as close as the wanted
    record's on every field both have (and has the same fields): no ranking that weighs closer
    agreement more can then put the wanted record above it."""
    return all(
        (level is None) == (goal is None) and (level is None or level <= goal)
        for level, goal in zip(vector, wanted, strict=True)
    )


def indistinguishable(misses: list, user, depth: int = 5000) -> int:
    """How many missed searches no such ranking could have found but by a lucky tie-break: ten or
    more other records (the searched record itself among them) are at least as close to the search
    as the wanted one on every field. Looked for among the ``depth`` records sharing most keys
    with the search, in this process (same code and database as the server)."""
    from django.test import override_settings

    from bluelamp.people import services
    from bluelamp.people.compare import comparison_vector

    count = 0
    for _, query, status, _, wanted in misses:
        if status != 200:
            continue
        record = services._query_nominal(services.PersonQuery(**query))
        with override_settings(BLUELAMP_MATCH_CANDIDATES=depth):
            candidates = services._candidates(record, user)
        target = next((c for c in candidates if c.id == wanted), None)
        if target is None:
            continue
        goal = comparison_vector(record, target)
        closer = sum(
            1
            for candidate in candidates
            if candidate.id != wanted
            and _at_least_as_close(comparison_vector(record, candidate), goal)
        )
        count += closer >= 10
    return count


def _row(nominals: int, database: str, run: dict) -> str:
    return (
        f"| {nominals:,} | {database} | {run['searches']:,} | {run['p50']:.1f} ms "
        f"| {run['p95']:.1f} ms | {run['p99']:.1f} ms | {run['found']:.2%} | {run['refused']} "
        f"| {run['cpu']:.1f} ms | {run['memory']:.0f} MB |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite")
    parser.add_argument("--postgres")
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=1, help="report the median of this many")
    parser.add_argument(
        "--max-load",
        type=float,
        default=1.5,
        help="wait before each run until the 1-minute load average is at most this",
    )
    parser.add_argument("--misses", type=int, default=0, help="print this many missed searches")
    args = parser.parse_args(argv)
    if not (args.sqlite or args.postgres):
        parser.error("give --sqlite PATH or --postgres URL")
    setup_django(args.sqlite, args.postgres)
    from django.db import connections

    from bluelamp.accounts.roles import Role
    from bluelamp.accounts.services import issue_api_token
    from bluelamp.core.models import Person

    user = bench_user(Role.INVESTIGATOR, "bench-search")
    token = issue_api_token(user=user, name="search bench", days=1)
    nominals = Person.objects.filter(merged_into__isnull=True).count()
    searches = planted_searches(args.queries + 30, args.seed)
    connections.close_all()

    database = "PostgreSQL" if args.postgres else "SQLite"
    runs = []
    for number in range(args.runs):
        _wait_for_quiet(args.max_load)
        run = run_once(args, token, searches)
        runs.append(run)
        loads = ", ".join(f"{x:.2f}" for x in run["load"])
        after = ", ".join(f"{x:.2f}" for x in run["load_after"])
        print(
            f"run {number + 1}: {_row(nominals, database, run)} load average {loads} "
            f"(after: {after}), worker private memory {run['private']:.0f} MB, "
            f"mean {run['mean']:.1f} ms, max {run['max']:.1f} ms",
            file=sys.stderr,
            flush=True,
        )
    # Each figure is the median over the runs (memory: the highest peak); recall is the same
    # searches each time, so it only differs if results do.
    median = {
        key: statistics.median(run[key] for run in runs)
        for key in ("p50", "p95", "p99", "mean", "max", "found", "refused", "cpu")
    }
    median.update(memory=max(run["memory"] for run in runs), searches=runs[0]["searches"])
    median["refused"] = int(median["refused"])
    print(_row(nominals, database, median))
    for miss in runs[-1]["misses"][: args.misses]:
        print("missed:", miss, file=sys.stderr)
    misses = runs[-1]["misses"]
    blind = indistinguishable(misses, user)
    searches = runs[-1]["searches"]
    print(
        f"missed {len(misses)} of {searches:,}; {blind} of them had ten or more other records at "
        f"least as close to the search on every field; found where that was not so: "
        f"{(searches - len(misses)) / (searches - blind):.2%}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
