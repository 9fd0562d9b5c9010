"""Load benchmark: recording a crime with one victim and one suspect through POST /api/crimes.

Target (issue 5, "Done when"): p95 under 100 ms and at least 100 crimes/s sustained, on SQLite
and on PostgreSQL, on 2 cores, measured with an HTTP load generator against the served app.

What it does, per database: a fresh database (SQLite in a temporary directory, or a throwaway
PostgreSQL from scripts/postgres.sh), ``bluelamp migrate``, one team and one response officer,
``bluelamp token``, then gunicorn serving bluelamp.wsgi. wrk (Debian's package: C, so the load
generator takes little of the two cores from the server; ``scripts/system-packages.sh bench``
installs it) posts crimes over CONCURRENCY connections in a closed loop (bench/crime_load.lua),
first for a warm-up, then for DURATION seconds measured, and reports latency percentiles and
crimes/s. Repeated RUNS times; the median run (by crimes/s) is reported. Every 201 is checked
against the database afterwards, so a crime lost or half-written would show.

    .venv/bin/python bench/crime_load.py --db both --duration 60 --runs 3
    .venv/bin/python bench/crime_load.py --profile      # pyinstrument over in-process requests
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SETUP = """
from bluelamp.accounts.roles import Role, UnitKind
from bluelamp.accounts.services import create_unit, create_user
force = create_unit(name="Bench Constabulary", code="force", kind=UnitKind.FORCE)
west = create_unit(name="West", code="west", kind=UnitKind.DISTRICT, parent=force)
team = create_unit(name="West Response", code="west-response", kind=UnitKind.TEAM, parent=west)
create_user(actor=None, username="bench", password="correct-horse-battery-staple",
            role=Role.RESPONSE_OFFICER, unit=team, first_name="Bench", last_name="Officer",
            collar_number="9999")
print(team.pk)
"""
COUNT = """
from bluelamp.crime.models import Crime
from bluelamp.core.models import PersonEventLink
print(Crime.objects.count(), PersonEventLink.objects.count())
"""
# After each run: the audit chain written by concurrent workers must still verify.
CHAIN = """
from bluelamp.audit.services import verify_chain
report = verify_chain()
print(report.checked, int(report.intact))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _django(env: dict, code: str) -> str:
    run = subprocess.run(
        [PYTHON, "-c", "import django; django.setup()\n" + code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout.strip()


def _bluelamp(env: dict, *args: str) -> str:
    run = subprocess.run(
        [PYTHON, "-m", "bluelamp.cli", *args], env=env, capture_output=True, text=True, check=True
    )
    return run.stdout.strip()


class Postgres:
    """A throwaway PostgreSQL started and stopped with scripts/postgres.sh."""

    def __enter__(self) -> str:
        out = subprocess.run(
            ["bash", "-c", "source scripts/postgres.sh && pg_start >&2 && echo $PG_URL $PG_DIR"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        self.url, self.dir = out[-2], out[-1]
        return self.url

    def cpu_seconds(self) -> float:
        """User + system CPU of this server's processes so far (the postmaster and its
        children, as _cpu_seconds does for gunicorn)."""
        pid = int(Path(self.dir, "data", "postmaster.pid").read_text().split()[0])
        return _cpu_seconds(pid)

    def __exit__(self, *exc) -> None:
        subprocess.run(
            ["bash", "-c", f"source scripts/postgres.sh && PG_DIR={self.dir} pg_stop"],
            cwd=ROOT,
            check=False,
        )


def _cpu_seconds(master: int) -> float:
    """User + system CPU of gunicorn's workers so far (Linux /proc): the server's cost per crime
    does not depend on what else the machine is running, unlike its wall-clock rate."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    for pid in [master, *children]:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:  # exited since the listing: counted below once reaped
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
        if pid == master:  # children that exited and were reaped
            total += (int(fields[13]) + int(fields[14])) / tick
    return total


def _serve(env: dict, port: int, workers: int, threads: int) -> subprocess.Popen:
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(PYTHON)) or "gunicorn"
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            gunicorn,
            "bluelamp.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def _new(given: str, family: str, dob: str) -> dict:
    # "new": the caller has seen what is offered and none is them; the app still searches.
    return {"given_names": given, "family_name": family, "dob": dob, "chosen": "new"}


def _body(unit: int, n: int) -> dict:
    """The request wrk sends (bench/crime_load.lua), for the in-process profile."""
    tag = uuid.uuid4().hex[:8]
    return {
        "summary": f"Bench theft {n}",
        "offence_code": "49",
        "owning_unit_id": unit,
        "modus_operandi": "Bag taken from a table in a cafe",
        "victims": [
            {"given_names": f"Ann{tag}", "family_name": "Lee", "dob": "1985-03-04", "chosen": "new"}
        ],
        "suspects": [
            {
                "given_names": f"Sam{tag}",
                "family_name": "Cole",
                "dob": "1999-07-08",
                "chosen": "new",
            }
        ],
    }


def _wrk(url: str, token: str, unit: int, seconds: float, connections: int) -> dict:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed: scripts/system-packages.sh bench")
    out = subprocess.run(  # noqa: S603 - wrk with our own arguments
        [
            wrk,
            f"--threads={min(2, connections)}",
            f"--connections={connections}",
            f"--duration={max(1, round(seconds))}s",
            "--timeout=10s",
            f"--script={ROOT / 'bench' / 'crime_load.lua'}",
            f"{url}/api/crimes",
            "--",
            token,
            str(unit),
            uuid.uuid4().hex[:6],
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result["statuses"] = {int(k): v for k, v in result["statuses"].items()}
    return result


def drive(url: str, token: str, unit: int, args) -> dict:
    """A warm-up run, then the measured one; crimes/s counts the 201s of the measured run."""
    if args.warmup > 0:
        _wrk(url, token, unit, args.warmup, args.concurrency)
    result = _wrk(url, token, unit, args.duration, args.concurrency)
    ok = result["statuses"].get(201, 0)
    result["created"] = ok
    result["crimes_per_s"] = ok / result["seconds"]
    return result


def run_database(kind: str, args) -> list[dict]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bluelamp.settings", "BLUELAMP_DEBUG": "0"}
    env.setdefault("BLUELAMP_ENVIRONMENT", "development")  # a throwaway bench database
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    var = tempfile.mkdtemp(prefix="bluelamp-bench-")
    (Path(var) / "static").mkdir()
    env["BLUELAMP_VAR_DIR"] = var
    env["BLUELAMP_SQLITE_PATH"] = str(Path(var) / "bench.sqlite3")
    env.pop("DATABASE_URL", None)
    postgres = Postgres() if kind == "postgres" else None
    try:
        if postgres:
            env["DATABASE_URL"] = postgres.__enter__()
        _bluelamp(env, "migrate", "--verbosity", "0")
        unit = int(_django(env, SETUP).splitlines()[-1])
        token = _bluelamp(env, "token", "bench", "--name", "bench").splitlines()[-1]
        port = _free_port()
        server = _serve(env, port, args.workers, args.threads)
        results = []
        try:
            for run in range(args.runs):
                before = int(_django(env, COUNT).split()[0])
                load_before = os.getloadavg()  # `uptime` before the run: is the machine shared?
                cpu_before = _cpu_seconds(server.pid)
                db_cpu_before = postgres.cpu_seconds() if postgres else 0.0
                result = drive(f"http://127.0.0.1:{port}", token, unit, args)
                cpu = _cpu_seconds(server.pid) - cpu_before
                db_cpu = (postgres.cpu_seconds() - db_cpu_before) if postgres else None
                crimes, links = (int(x) for x in _django(env, COUNT).split())
                result["db_crimes_added"] = crimes - before
                # Server CPU per crime over the whole run (warm-up included, so divide by every
                # crime the run added), and the rate two idle cores could sustain at that cost.
                result["server_cpu_ms_per_crime"] = 1000 * cpu / max(crimes - before, 1)
                result["capacity_2_cores_per_s"] = 2000 / max(
                    result["server_cpu_ms_per_crime"], 1e-9
                )
                if db_cpu is not None:  # PostgreSQL's own processes, the same way
                    result["postgres_cpu_ms_per_crime"] = 1000 * db_cpu / max(crimes - before, 1)
                result["load_average_before"] = [round(x, 2) for x in load_before]
                result["load_average"] = os.getloadavg()[0]
                result["links_per_crime"] = round(links / max(crimes, 1), 2)
                checked, intact = (int(x) for x in _django(env, CHAIN).split())
                result["audit_rows_verified"], result["audit_chain_intact"] = checked, bool(intact)
                print(kind, f"run {run + 1}:", json.dumps(result), flush=True)
                results.append(result)
        finally:
            server.terminate()
            server.wait(timeout=30)
        return results
    finally:
        if postgres:
            postgres.__exit__(None, None, None)
        shutil.rmtree(var, ignore_errors=True)


def profile_main(args) -> None:
    """pyinstrument over N in-process POSTs through Django's test client (SQLite in a temporary
    directory): where the time of one request goes, without the network."""
    var = tempfile.mkdtemp(prefix="bluelamp-profile-")
    (Path(var) / "static").mkdir()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bluelamp.settings",
        BLUELAMP_ENVIRONMENT=os.environ.get("BLUELAMP_ENVIRONMENT", "development"),
        BLUELAMP_VAR_DIR=var,
        BLUELAMP_SQLITE_PATH=str(Path(var) / "p.sqlite3"),
    )
    if args.profile_db == "sqlite":
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from pyinstrument import Profiler

    call_command("migrate", verbosity=0)
    namespace: dict = {}
    exec(SETUP.replace("print(team.pk)", "unit = team.pk"), namespace)  # noqa: S102
    from bluelamp.accounts.models import User
    from bluelamp.accounts.services import issue_api_token

    token = issue_api_token(user=User.objects.get(username="bench"), name="profile")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    for n in range(20):  # warm up
        client.post("/api/crimes", _body(namespace["unit"], n), content_type="application/json")
    profiler = Profiler()
    started, cpu = time.perf_counter(), time.process_time()
    with profiler:
        for n in range(args.profile_requests):
            response = client.post(
                "/api/crimes", _body(namespace["unit"], n), content_type="application/json"
            )
            assert response.status_code == 201, response.content
    took = time.perf_counter() - started
    cpu = 1000 * (time.process_time() - cpu) / args.profile_requests
    each = 1000 * took / args.profile_requests
    print(f"{args.profile_requests} requests: {each:.1f} ms each, {cpu:.1f} ms CPU (profiled)")
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    shutil.rmtree(var, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--profile-db", choices=["sqlite", "env"], default="sqlite")
    parser.add_argument("--profile-requests", type=int, default=300)
    args = parser.parse_args()
    if args.profile:
        profile_main(args)
        return
    print(
        f"{os.cpu_count()} CPUs, python {sys.version.split()[0]}, gunicorn {args.workers} workers"
        f" x {args.threads} threads, {args.concurrency} connections, {args.duration:.0f} s x "
        f"{args.runs} runs",
        flush=True,
    )
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    summary = {}
    for kind in kinds:
        results = run_database(kind, args)
        median = sorted(results, key=lambda r: r["crimes_per_s"])[len(results) // 2]
        summary[kind] = {
            "median_run": median,
            "p95_ms_runs": [round(r["p95_ms"], 1) for r in results],
            "crimes_per_s_runs": [round(r["crimes_per_s"], 1) for r in results],
            "p95_median_ms": round(statistics.median(r["p95_ms"] for r in results), 1),
            "server_cpu_ms_per_crime_runs": [
                round(r["server_cpu_ms_per_crime"], 1) for r in results
            ],
        }
        summary[kind]["audit_chain_intact"] = all(r["audit_chain_intact"] for r in results)
        ok = median["crimes_per_s"] >= 100 and summary[kind]["p95_median_ms"] < 100
        ok = ok and summary[kind]["audit_chain_intact"]
        summary[kind]["target_met"] = ok
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
