"""The MASH queue and demand pages with 20,000 open referrals across three hubs (issue 17: p95
under 150 ms on SQLite and PostgreSQL, median of several runs).

    .venv/bin/python bench/mash_bench.py --sqlite /tmp/mash.sqlite3 --runs 5
    .venv/bin/python bench/mash_bench.py --postgres URL --runs 5

Builds (once per database) a force with three hubs and 20,000 submitted referrals awaiting
triage, skewed 70/15/15 to the busiest hub, spread over 28 days and the three risk levels, plus
8,000 already triaged (so the demand page has throughput to count); the rows are bulk-inserted
(the services are measured elsewhere: this is about reading them), then on PostgreSQL vacuumed
and analysed as autovacuum would. Then, signed in as MASH staff
through Django's test client (sessions, middleware, audit and template rendering included),
requests each page of the busiest hub ``--requests`` times per run after 5 unmeasured warm-ups,
and prints each run's median and p95 and the median over runs of each."""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _force import setup_django  # noqa: E402

OPEN, TRIAGED = 20_000, 8_000
PAGES = {
    "queue": "/safeguarding/mash/?hub=central",
    "demand": "/safeguarding/mash/demand/?hub=central",
    "queue API": "/api/safeguarding/queue?hub=central",
    "demand API": "/api/safeguarding/demand?hub=central",
}


def build(seed: int = 17) -> None:
    from django.db import transaction
    from django.utils import timezone

    from bluelamp.accounts.roles import Role, UnitKind
    from bluelamp.accounts.services import create_unit, create_user
    from bluelamp.safeguarding import rules
    from bluelamp.safeguarding.models import RISK_RANK, Hub, Referral

    if Referral.objects.count() >= OPEN:
        return
    rng = random.Random(seed)
    with transaction.atomic():
        force = create_unit(name="Bench Constabulary", code="force", kind=UnitKind.FORCE)
        hubs = []
        for code in ("central", "east", "north"):
            district = create_unit(
                name=code.title(), code=code, kind=UnitKind.DISTRICT, parent=force
            )
            hubs.append(Hub.objects.create(code=code, name=f"{code.title()} MASH", unit=district))
        officer, _ = create_user(
            actor=None,
            username="bench-officer",
            password="bench-password-not-for-use",
            role=Role.RESPONSE_OFFICER,
            unit=force,
            first_name="Bench",
            last_name="Officer",
        )
        create_user(
            actor=None,
            username="bench-mash",
            password="bench-password-not-for-use",
            role=Role.SAFEGUARDING,
            unit=hubs[0].unit,
            first_name="Bench",
            last_name="Mash",
        )
    now = timezone.now()
    rows = []
    for n in range(OPEN + TRIAGED):
        hub = rng.choices(hubs, weights=[70, 15, 15])[0]
        level = rng.choices(["standard", "medium", "high"], weights=[60, 28, 12])[0]
        submitted = now - dt.timedelta(minutes=rng.randint(5, 28 * 24 * 60))
        triaged = n >= OPEN
        rows.append(
            Referral(
                reference=f"PVP-BENCH-{n:06d}",
                concern=rng.choice(["domestic_abuse", "child", "adult_at_risk"]),
                account="Bench referral",
                risk_level=level,
                risk_rank=RISK_RANK[level],
                status="triaged" if triaged else "submitted",
                hub=hub,
                routed_by="postcode_district",
                created_by=officer,
                created_by_name="Bench Officer",
                created_unit=force,
                created_at=submitted,
                submitted_at=submitted,
                triage_due_at=rules.triage_due(submitted, level),
                outcome="advice" if triaged else "",
                triaged_at=min(now, submitted + dt.timedelta(hours=rng.randint(1, 96)))
                if triaged
                else None,
            )
        )
    for start in range(0, len(rows), 2000):
        with transaction.atomic():
            Referral.objects.bulk_create(rows[start : start + 2000])


def client_for_mash():
    from django.test import Client

    from bluelamp.accounts.models import User
    from bluelamp.accounts.services import issue_api_token, totp_device

    user = User.objects.get(username="bench-mash")
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = totp_device(user).persistent_id
    session.save()
    return client, {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=user, name='bench')}"}


def measure(client, headers, url: str, requests: int) -> list[float]:
    for _ in range(5):
        assert client.get(url, **headers).status_code == 200, url
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url, **headers)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return times


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--sqlite")
    where.add_argument("--postgres")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    setup_django(args.sqlite, args.postgres)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    build()
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load: statistics, and the visibility map that
        # lets the demand page's counts be index-only scans.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE safeguarding_referral")
    client, headers = client_for_mash()
    from bluelamp.safeguarding.models import Referral

    open_count = Referral.objects.filter(status="submitted").count()
    print(f"{connection.vendor}: {open_count} open referrals, {args.runs} runs x {args.requests}")
    results = {name: [] for name in PAGES}
    for run in range(args.runs):
        for name, url in PAGES.items():
            times = measure(client, headers, url, args.requests)
            results[name].append((statistics.median(times), p95(times)))
            print(
                f"  run {run + 1} {name:<11} median {statistics.median(times):6.1f} ms  "
                f"p95 {p95(times):6.1f} ms",
                file=sys.stderr,
            )
    print(f"{'page':<11} {'median (ms)':>12} {'p95 (ms)':>10}   (median over runs)")
    for name, rows in results.items():
        median = statistics.median(r[0] for r in rows)
        worst = statistics.median(r[1] for r in rows)
        print(f"{name:<11} {median:12.1f} {worst:10.1f}")


if __name__ == "__main__":
    main()
