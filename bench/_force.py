"""Shared by the matching-at-scale benches: point Django at a bench database (a SQLite file or a
PostgreSQL URL), make a bench user, and read the planted truth (synth.SyntheticIdentity)."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path


def database_env(sqlite: str | None, postgres: str | None) -> dict[str, str]:
    env = dict(os.environ)
    if postgres:
        env["DATABASE_URL"] = postgres
    else:
        env.pop("DATABASE_URL", None)
        env["BLUELAMP_SQLITE_PATH"] = str(Path(sqlite).resolve())
    env.setdefault("BLUELAMP_VAR_DIR", str(Path(sqlite or "/tmp/x").resolve().parent / "var"))
    env["DJANGO_SETTINGS_MODULE"] = "bluelamp.settings"
    env.setdefault("BLUELAMP_ENVIRONMENT", "development")  # a throwaway bench database
    return env


def setup_django(sqlite: str | None, postgres: str | None) -> None:
    os.environ.update(database_env(sqlite, postgres))
    Path(os.environ["BLUELAMP_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    import django

    django.setup()


def bench_user(role: str, username: str):
    """A user in ``role`` on the force's first unit (created once)."""
    from bluelamp.accounts.models import Unit, User
    from bluelamp.accounts.services import create_user

    user = User.objects.filter(username=username).first()
    if user is None:
        unit = Unit.objects.order_by("pk").first()
        user, _ = create_user(
            actor=None,
            username=username,
            password="bench-password-not-for-use",
            role=role,
            unit=unit,
            first_name="Bench",
            last_name="User",
        )
    return user


def planted_pairs() -> set[tuple[int, int]]:
    """Every pair of person records that are the same synthetic person (smaller id first)."""
    from collections import defaultdict

    from bluelamp.synth.models import SyntheticIdentity

    by_identity = defaultdict(list)
    for person_id, identity in SyntheticIdentity.objects.values_list(
        "person_id", "identity"
    ).iterator(chunk_size=50_000):
        by_identity[identity].append(person_id)
    pairs = set()
    for ids in by_identity.values():
        ids.sort()
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                pairs.add((a, b))
    return pairs


def tree_rss(pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants, now."""
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                children = (task / "children").read_text().split()
                todo.extend(int(c) for c in children)
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


class PeakMemory:
    """Samples the summed RSS of a process tree twice a second; ``peak`` is the largest seen."""

    def __init__(self, pid: int):
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            time.sleep(0.5)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak
