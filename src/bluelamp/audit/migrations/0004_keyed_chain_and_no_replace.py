"""The audit chain becomes keyed, and SQLite refuses INSERT OR REPLACE over an audit row.

1. From here on each row's hash is an HMAC under BLUELAMP_AUDIT_KEY (audit/chain.py). This
   migration appends the keyed chain's first row (action 'chain_keyed'), linked to the last
   row written before it. Earlier rows keep their plain SHA-256 hashes, which anyone could
   recompute; the keyed first row covers the last of them, so they can no longer change
   unseen. What was done to them before today cannot be shown: the row says how many there
   were. `bluelamp audit verify` insists on this row, so a log rebuilt with the unkeyed hash
   fails.
2. SQLite's REPLACE (INSERT OR REPLACE, REPLACE INTO, and an insert that conflicts on the
   unique hash) removes the old row without firing DELETE triggers (recursive_triggers is off),
   so audit_no_delete never sees it. A BEFORE INSERT trigger refuses any insert naming an id
   or a hash already there. PostgreSQL needs none: an existing id fails its primary key, and
   INSERT ... ON CONFLICT DO UPDATE fires the UPDATE trigger, which refuses
   (tests/audit/test_tamper.py shows both)."""

from django.db import migrations, models
from django.utils import timezone

from bluelamp.audit.chain import CHAIN_KEYED, CHAIN_LOCK, GENESIS, keyed_digest

SQLITE_NO_REPLACE = """
    CREATE TRIGGER audit_no_replace BEFORE INSERT ON audit_auditevent
    WHEN EXISTS (SELECT 1 FROM audit_auditevent WHERE id = NEW.id)
      OR EXISTS (SELECT 1 FROM audit_auditevent WHERE hash = NEW.hash)
    BEGIN SELECT RAISE(ABORT, 'audit log is append-only: an existing row cannot be replaced'); END
"""


def refuse_replace(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_NO_REPLACE)


def allow_replace(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_no_replace")


def start_keyed_chain(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    unkeyed = AuditEvent.objects.count()
    first = AuditEvent(
        at=timezone.now(),
        actor_id=None,
        actor_name="system",
        actor_role="",
        action=CHAIN_KEYED,
        record_type="audit-log",
        record_id="",
        record_label="Audit chain keyed from this event on",
        purpose="",
        client_address="",
        detail={"channel": "system", "unkeyed_events": unkeyed, "unkeyed_head": last or GENESIS},
        prev_hash=last or GENESIS,
    )
    first.hash = keyed_digest(first.prev_hash, first)
    first.save(force_insert=True)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_merge_actions")]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("view", "Viewed"),
                    ("search", "Searched"),
                    ("create", "Created"),
                    ("change", "Changed"),
                    ("link", "Linked (combination)"),
                    ("disclose", "Disclosed"),
                    ("export", "Exported"),
                    ("delete", "Erased"),
                    ("sign_in", "Signed in"),
                    ("sign_in_failed", "Sign-in failed"),
                    ("sign_out", "Signed out"),
                    ("grant", "Granted access"),
                    ("merge", "Merged records (combination)"),
                    ("unmerge", "Unmerged records"),
                    ("refused", "Refused access"),
                    ("chain_keyed", "Audit chain keyed"),
                ],
                max_length=20,
            ),
        ),
        migrations.RunPython(refuse_replace, allow_replace),
        # Not undone: an audit row is never removed. Unapplied and applied again, the chain
        # gets a second 'chain_keyed' row, which verify accepts as an ordinary keyed row.
        migrations.RunPython(start_keyed_chain, migrations.RunPython.noop),
    ]
