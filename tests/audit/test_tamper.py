"""Tampering as the database's owner would, and `bluelamp audit verify` naming it (issue 14):
the last rows cut, a row deleted and the chain recomputed, a row replaced. The owner can turn
the triggers off; they do not hold the audit key, and cannot rewrite the checkpoint file.
Everything done to the database here is rolled back with the test's transaction."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import override_settings
from django.utils import timezone

from bluelamp.audit import services as audit
from bluelamp.audit.chain import GENESIS, keyed_digest, unkeyed_digest
from bluelamp.audit.checkpoints import write_checkpoint
from bluelamp.audit.models import AuditEvent
from bluelamp.audit.verify import verify_chain
from bluelamp.core import persons

GUESSED_KEY = "a-key-guessed-by-someone-without-the-real-one"
COLUMNS = (
    "id, at, actor_id, actor_name, actor_role, action, record_type, record_id, record_label, "
    "purpose, client_address, detail, prev_hash, hash"
)


@pytest.fixture
def history(officer):
    person = persons.create_person(actor=officer, family_name="Smith")
    for _ in range(6):
        persons.view_person(actor=officer, person_id=person.pk)
    return list(AuditEvent.objects.order_by("id"))


def _more(officer, n=3):
    for number in range(n):
        audit.record(actor=officer, action="view", record_type="person", record_id=number)


def _as_the_owner(*statements):
    """The triggers off (the owner may), then the statements."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        else:
            for trigger in ("audit_no_update", "audit_no_delete", "audit_no_replace"):
                cursor.execute(f"DROP TRIGGER {trigger}")
        for sql, params in statements:
            cursor.execute(sql, params)


def _rehash(from_id: int, digest) -> None:
    """Relinks every row from ``from_id`` on with ``digest``, as after a deletion."""
    prev = (
        AuditEvent.objects.filter(id__lt=from_id).order_by("-id").values_list("hash", flat=True)
    ).first() or GENESIS
    for row in AuditEvent.objects.filter(id__gte=from_id).order_by("id"):
        row.prev_hash = prev
        prev = digest(prev, row)
        AuditEvent.objects.filter(id=row.id).update(prev_hash=row.prev_hash, hash=prev)


def _with_guessed_key(prev, row):
    with override_settings(BLUELAMP_AUDIT_KEY=GUESSED_KEY):
        return keyed_digest(prev, row)


def test_an_untouched_log_verifies_against_its_checkpoints(history, officer, capsys):
    write_checkpoint()
    _more(officer)
    write_checkpoint()
    report = verify_chain()
    assert report.intact, report.problems
    assert report.checkpoints == 2
    assert report.checked == AuditEvent.objects.count() == len(history) + 3
    call_command("audit", "verify")
    assert "checked against 2 checkpoints" in capsys.readouterr().out


# --- the last rows cut --------------------------------------------------------------------


def test_the_last_rows_cut_are_named(history, officer):
    _more(officer)
    checkpoint = write_checkpoint()
    cut_from = history[-1].id + 1  # the three rows after the history
    _as_the_owner(("DELETE FROM audit_auditevent WHERE id >= %s", [cut_from]))
    report = verify_chain()
    assert not report.intact
    assert report.first_broken_id is None  # what is left still links up: only the checkpoint sees
    assert report.reason.startswith("the log was cut")
    assert f"counted {checkpoint.count} events up to event {checkpoint.last_id}" in report.reason
    assert f"now ends at event {history[-1].id} with {len(history)}" in report.reason
    with pytest.raises(CommandError, match="the log was cut"):
        call_command("audit", "verify")


def test_a_cut_after_the_last_checkpoint_is_not_seen_and_no_checkpoint_is_said(
    history, officer, capsys
):
    """The limit, said out loud: rows appended since the last checkpoint can be cut unseen
    (the worker writes one every BLUELAMP_AUDIT_CHECKPOINT_MINUTES); with no checkpoint at all,
    verify warns that it cannot see a cut."""
    _as_the_owner(("DELETE FROM audit_auditevent WHERE id >= %s", [history[-2].id]))
    report = verify_chain()
    assert report.intact
    assert not report.anchored
    call_command("audit", "verify")
    assert "no checkpoint" in capsys.readouterr().err


def test_no_checkpoint_is_signed_over_a_cut_log(history, officer, checkpoint_file):
    write_checkpoint()
    _as_the_owner(("DELETE FROM audit_auditevent WHERE id = %s", [history[-1].id]))
    with pytest.raises(CommandError, match=f"event {history[-1].id}.*is gone or changed"):
        call_command("audit", "checkpoint")
    assert len(checkpoint_file.read_text().splitlines()) == 1


# --- a row deleted and the chain recomputed -----------------------------------------------


def test_a_row_deleted_and_the_chain_recomputed_unkeyed_is_named(history):
    """The attack issue 14 describes: with the app's old unkeyed digest, it used to verify."""
    _as_the_owner(("DELETE FROM audit_auditevent WHERE id = %s", [history[3].id]))
    _rehash(history[4].id, unkeyed_digest)
    report = verify_chain()
    assert report.first_broken_id == history[4].id
    assert "recomputed without the audit key" in report.reason
    with pytest.raises(CommandError, match=f"broken at event {history[4].id}"):
        call_command("audit", "verify")


def test_a_row_deleted_and_the_chain_recomputed_with_a_guessed_key_is_named(history):
    _as_the_owner(("DELETE FROM audit_auditevent WHERE id = %s", [history[3].id]))
    _rehash(history[4].id, _with_guessed_key)
    report = verify_chain()
    assert report.first_broken_id == history[4].id
    assert "does not match its keyed hash" in report.reason


def test_with_the_key_a_rewrite_is_still_named_by_the_checkpoints(history, officer):
    """Someone who has the key too can relink the chain, but not unwrite the checkpoint file."""
    _more(officer)
    write_checkpoint()
    _as_the_owner(("DELETE FROM audit_auditevent WHERE id = %s", [history[3].id]))
    _rehash(history[4].id, keyed_digest)
    report = verify_chain()
    assert report.first_broken_id is None
    assert not report.intact
    assert "the log was rewritten up to it" in report.reason


def test_a_middle_row_removed_before_a_checkpoint_is_counted(history, officer):
    write_checkpoint()
    _as_the_owner(("DELETE FROM audit_auditevent WHERE id = %s", [history[2].id]))
    report = verify_chain()
    assert report.first_broken_id == history[3].id  # the link
    assert any(
        f"counted {len(history)} events" in problem
        and f"there are now {len(history) - 1}" in problem
        for problem in report.problems
    ), report.problems


def test_the_log_rebuilt_without_its_keyed_start_is_named(history):
    """Remove the keyed chain's first row and rehash all with the old digest: a clean-looking
    unkeyed chain, which migration audit 0004 makes impossible."""
    (first_keyed,) = AuditEvent.objects.filter(action="chain_keyed").values_list("id", flat=True)
    _as_the_owner(("DELETE FROM audit_auditevent WHERE id = %s", [first_keyed]))
    _rehash(AuditEvent.objects.order_by("id").first().id, unkeyed_digest)
    report = verify_chain()
    assert report.first_broken_id is None
    assert "keyed chain's first row" in report.reason
    assert "missing" in report.reason


# --- a row replaced -----------------------------------------------------------------------


def _row_values(target: AuditEvent, **changes) -> list:
    values = {
        "id": target.id,
        "at": target.at,
        "actor_id": target.actor_id,
        "actor_name": target.actor_name,
        "actor_role": target.actor_role,
        "action": target.action,
        "record_type": target.record_type,
        "record_id": target.record_id,
        "record_label": target.record_label,
        "purpose": target.purpose,
        "client_address": target.client_address,
        "detail": '{"channel": "system"}',
        "prev_hash": target.prev_hash,
        "hash": target.hash,
    } | changes
    return list(values.values())


PLACES = ", ".join(["%s"] * 14)
SQLITE_REPLACES = [
    f"INSERT OR REPLACE INTO audit_auditevent ({COLUMNS}) VALUES ({PLACES})",
    f"REPLACE INTO audit_auditevent ({COLUMNS}) VALUES ({PLACES})",
    f"INSERT INTO audit_auditevent ({COLUMNS}) VALUES ({PLACES}) "
    "ON CONFLICT (id) DO UPDATE SET actor_name = excluded.actor_name",
    f"INSERT OR IGNORE INTO audit_auditevent ({COLUMNS}) VALUES ({PLACES})",
]
POSTGRES_REPLACES = [
    f"INSERT INTO audit_auditevent ({COLUMNS}) VALUES ({PLACES})",
    f"INSERT INTO audit_auditevent ({COLUMNS}) VALUES ({PLACES}) "
    "ON CONFLICT (id) DO UPDATE SET actor_name = excluded.actor_name",
    f"INSERT INTO audit_auditevent ({COLUMNS}) VALUES ({PLACES}) "
    "ON CONFLICT (hash) DO UPDATE SET actor_name = excluded.actor_name",
]


def _replaces():
    return POSTGRES_REPLACES if connection.vendor == "postgresql" else SQLITE_REPLACES


def test_the_database_refuses_to_replace_a_row(history):
    target = history[3]
    for sql in _replaces():
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, _row_values(target, actor_name="Someone Else"))
        assert AuditEvent.objects.get(id=target.id).actor_name == target.actor_name, sql
    assert AuditEvent.objects.count() == len(history)
    assert verify_chain().intact


def test_sqlite_refuses_a_replace_that_conflicts_only_on_the_hash(history):
    """REPLACE removes whichever row conflicts, on any unique column: a new id carrying an old
    row's hash would remove that row. On PostgreSQL the same insert fails on the unique hash."""
    target = history[3]
    fresh_id = history[-1].id + 100
    sql = (
        f"INSERT OR REPLACE INTO audit_auditevent ({COLUMNS}) VALUES ({PLACES})"
        if connection.vendor == "sqlite"
        else f"INSERT INTO audit_auditevent ({COLUMNS}) VALUES ({PLACES})"
    )
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, _row_values(target, id=fresh_id))
    assert AuditEvent.objects.filter(id=target.id).exists()
    assert verify_chain().intact


def _replace_sql() -> str:
    if connection.vendor == "postgresql":
        return (
            f"INSERT INTO audit_auditevent ({COLUMNS}) VALUES ({PLACES}) ON CONFLICT (id) DO "
            "UPDATE SET actor_name = excluded.actor_name, prev_hash = excluded.prev_hash, "
            "hash = excluded.hash"
        )
    return f"INSERT OR REPLACE INTO audit_auditevent ({COLUMNS}) VALUES ({PLACES})"


def test_a_replaced_row_is_named(history):
    target = history[3]
    _as_the_owner((_replace_sql(), _row_values(target, actor_name="Someone Else")))
    assert AuditEvent.objects.get(id=target.id).actor_name == "Someone Else"
    report = verify_chain()
    assert report.first_broken_id == target.id
    assert "altered or replaced" in report.reason
    with pytest.raises(CommandError, match=f"broken at event {target.id}"):
        call_command("audit", "verify")


def test_a_replaced_row_rehashed_without_the_key_is_named(history):
    target = history[3]
    forged = AuditEvent(**{**_fields(target), "actor_name": "Someone Else"})
    forged.hash = unkeyed_digest(target.prev_hash, forged)
    _as_the_owner((_replace_sql(), _row_values(forged)))
    _rehash(history[4].id, unkeyed_digest)
    report = verify_chain()
    assert report.first_broken_id == target.id
    assert "recomputed without the audit key" in report.reason


def _fields(row: AuditEvent) -> dict:
    return {f.attname: getattr(row, f.attname) for f in AuditEvent._meta.concrete_fields}


# --- the checkpoint file ------------------------------------------------------------------


def test_an_altered_checkpoint_line_is_named(history, checkpoint_file):
    checkpoint = write_checkpoint()
    text = checkpoint_file.read_text()
    checkpoint_file.write_text(
        text.replace(f'"count":{checkpoint.count}', f'"count":{checkpoint.count - 2}')
    )
    report = verify_chain()
    assert not report.intact
    assert "line 1 of" in report.reason
    assert "not a checkpoint signed" in report.reason


def test_a_checkpoint_signed_under_another_key_is_named(history, checkpoint_file):
    with override_settings(BLUELAMP_AUDIT_KEY=GUESSED_KEY):
        write_checkpoint()
    report = verify_chain()
    assert "not a checkpoint signed with this audit key" in report.reason


def test_a_checkpoint_counts_every_event_and_is_not_repeated(history, officer, checkpoint_file):
    first = write_checkpoint(now=timezone.now())
    assert (first.last_id, first.count, first.head) == (
        history[-1].id,
        len(history),
        history[-1].hash,
    )
    assert write_checkpoint() is None  # nothing new
    _more(officer, 4)
    second = write_checkpoint()
    assert second.count == AuditEvent.objects.count() == len(history) + 4  # counted on from first
    assert second.last_id == AuditEvent.objects.order_by("-id").first().id
    assert len(checkpoint_file.read_text().splitlines()) == 2
