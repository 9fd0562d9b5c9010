"""What scoping records restricted by default costs the pages everyone else reads: a response
officer's home page and duty list, and a chief officer's home page, audit log and overdue duties,
on mash_bench's force (28,000 referrals, none of them the officer's).

    .venv/bin/python bench/scope_bench.py --sqlite /tmp/mash.sqlite3 [--requests 60]
    .venv/bin/python bench/scope_bench.py --postgres URL

Builds the force as mash_bench.py does (once per database), signs each user in through Django's
test client (sessions, middleware, audit and templates included), and prints each page's median
and p95 over ``--requests`` requests after 5 unmeasured ones. Side by side with another commit:
the same command with ``PYTHONPATH`` at its checkout's ``src``, in turn."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _force import setup_django  # noqa: E402

PAGES = {
    "response_officer": ["/", "/duties/"],
    "senior_leader": ["/", "/audit/", "/duties/overdue/"],
}


def signed_in(username: str, role: str):
    from django.test import Client

    from bluelamp.accounts.models import Unit, User
    from bluelamp.accounts.services import create_user, totp_device

    user = User.objects.filter(username=username).first()
    if user is None:
        user, _ = create_user(
            actor=None,
            username=username,
            password="bench-password-not-for-use",
            role=role,
            unit=Unit.objects.get(code="force"),
            first_name="Bench",
            last_name=role.replace("_", " ").title(),
        )
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = totp_device(user).persistent_id
    session.save()
    return client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite")
    parser.add_argument("--postgres")
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    setup_django(args.sqlite, args.postgres)
    import mash_bench
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    mash_bench.build()
    rows = []
    for role, urls in PAGES.items():
        client = signed_in(f"bench-{role}", role)
        for url in urls:
            for _ in range(5):
                assert client.get(url).status_code == 200, (role, url)
            times = []
            for _ in range(args.requests):
                start = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            p95 = statistics.quantiles(times, n=20)[-1]
            rows.append(f"{role} {url}: median {statistics.median(times):.1f} ms, p95 {p95:.1f}")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
