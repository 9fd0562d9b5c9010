"""Upgrading a database whose log was written before the chain was keyed (migration audit
0004): the old rows keep their unkeyed hashes and still verify, the keyed chain's first row
seals them, and rewriting them afterwards is named. Runs the real migrations on a database of
its own (tests/support.py), on SQLite or PostgreSQL as the suite does."""

from pathlib import Path

import pytest

from ..support import OwnDatabase

SRC = str(Path(__file__).resolve().parents[2] / "src")

OLD_ROWS = """
import datetime as dt, json
from bluelamp.audit.chain import GENESIS, unkeyed_digest
from bluelamp.audit.models import AuditEvent
prev = GENESIS
for n in range(3):  # as audit.services wrote them before the chain was keyed
    row = AuditEvent(at=dt.datetime(2026, 11, 1, 9, n, tzinfo=dt.UTC), actor_name="PC Old",
                     action="view", record_type="person", record_id=str(n),
                     detail={"channel": "web"}, prev_hash=prev)
    row.hash = prev = unkeyed_digest(prev, row)
    row.save(force_insert=True)
print(json.dumps(list(AuditEvent.objects.order_by("id").values_list("id", flat=True))))
"""

VERIFY = """
import json
from bluelamp.audit.verify import verify_chain
report = verify_chain()
print(json.dumps({"intact": report.intact, "checked": report.checked, "unkeyed": report.unkeyed,
                  "broken": report.first_broken_id, "reason": report.reason}))
"""

# The database's owner rewrites an old row and relinks the chain with the unkeyed digest, up to
# and including the keyed chain's first row (whose hash they cannot compute).
REWRITE_OLD_ROW = """
import json
from django.db import connection
from bluelamp.audit.chain import GENESIS, unkeyed_digest
from bluelamp.audit.models import AuditEvent
first = AuditEvent.objects.get(action="chain_keyed")
with connection.cursor() as cursor:
    if connection.vendor == "postgresql":
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
    else:
        cursor.execute("DROP TRIGGER audit_no_update")
AuditEvent.objects.filter(record_id="1").update(actor_name="Someone Else")
prev = GENESIS
for row in AuditEvent.objects.order_by("id"):
    row.prev_hash, row.hash = prev, unkeyed_digest(prev, row)
    AuditEvent.objects.filter(id=row.id).update(prev_hash=row.prev_hash, hash=row.hash)
    prev = row.hash
print(json.dumps([first.id, first.prev_hash, first.detail]))
"""


class BeforeTheKeyedChain(OwnDatabase):
    """A database migrated only as far as the log was before this change (audit 0003)."""

    def run(self, *args: str, **env) -> str:
        if args[:1] == ("migrate",) and not hasattr(self, "_held_back"):
            self._held_back = True
            args = ("migrate", "audit", "0003_merge_actions", "--verbosity", "0")
        return super().run(*args, **env)


@pytest.fixture
def old_database(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", SRC)  # this checkout's code, not the installed one's
    database = BeforeTheKeyedChain(tmp_path)
    yield database
    database.close()


def test_old_rows_still_verify_and_are_sealed_by_the_keyed_chain(old_database):
    old_ids = old_database.python(OLD_ROWS)
    old_database.run("migrate", "--verbosity", "0")
    old_database.run("audit", "checkpoint")
    said = old_database.run("audit", "verify")
    assert "Audit chain intact: 4 events verified (3 from before the chain was keyed)" in said
    first_keyed = old_database.python(REWRITE_OLD_ROW)
    assert first_keyed[0] > old_ids[-1]
    assert first_keyed[2]["unkeyed_events"] == 3
    assert first_keyed[1] == first_keyed[2]["unkeyed_head"]  # linked to the last old row

    report = old_database.python(VERIFY)
    assert not report["intact"]
    assert report["broken"] == first_keyed[0]  # the old rows relink; the keyed first row cannot
    assert "recomputed without the audit key" in report["reason"]
