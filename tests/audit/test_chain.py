"""The audit log is append-only and tamper-evident: `bluelamp audit verify` names the first
broken link."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from bluelamp.audit import services as audit
from bluelamp.audit.models import AuditEvent
from bluelamp.core import persons


@pytest.fixture
def history(officer):
    person = persons.create_person(actor=officer, family_name="Smith")
    for _ in range(4):
        persons.view_person(actor=officer, person_id=person.pk)
    return list(AuditEvent.objects.order_by("id"))


def _without_triggers(sql: str, params) -> None:
    """Tampering as an attacker with database access would: bypass the triggers, change a row.
    Everything here is rolled back with the test's transaction."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_no_update")
            cursor.execute("DROP TRIGGER audit_no_delete")
        cursor.execute(sql, params)


def test_an_untouched_chain_verifies(history, capsys):
    report = audit.verify_chain()
    assert report.intact
    assert report.checked == len(history) >= 6
    call_command("audit", "verify")
    assert f"{len(history)} events verified" in capsys.readouterr().out


def test_each_event_links_to_the_one_before(history):
    assert history[0].prev_hash == audit.GENESIS
    for before, after in zip(history, history[1:], strict=False):
        assert after.prev_hash == before.hash


def test_an_altered_row_is_named(history):
    target = history[3]
    _without_triggers(
        "UPDATE audit_auditevent SET actor_name = %s WHERE id = %s", ["Someone Else", target.id]
    )
    report = audit.verify_chain()
    assert report.first_broken_id == target.id
    assert "altered" in report.reason
    with pytest.raises(CommandError, match=f"broken at event {target.id}"):
        call_command("audit", "verify")


def test_a_removed_row_is_noticed_at_the_next_one(history):
    _without_triggers("DELETE FROM audit_auditevent WHERE id = %s", [history[2].id])
    report = audit.verify_chain()
    assert report.first_broken_id == history[3].id
    assert "removed" in report.reason


@pytest.mark.parametrize(
    "sql",
    ["UPDATE audit_auditevent SET purpose = 'x'", "DELETE FROM audit_auditevent", "TRUNCATE"],
)
def test_the_database_refuses_updates_and_deletes(history, sql):
    if sql == "TRUNCATE" and connection.vendor == "sqlite":
        # SQLite has no TRUNCATE: an unqualified DELETE (its "truncate optimisation", which a
        # DELETE trigger turns off) is the nearest, and must be refused the same way.
        sql = "DELETE FROM audit_auditevent"
    elif sql == "TRUNCATE":
        sql = "TRUNCATE audit_auditevent"
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AuditEvent.objects.count() == len(history)
    assert audit.verify_chain().intact


def test_audit_rows_and_the_actor_name_outlive_the_user(officer, make_user):
    person = persons.create_person(actor=officer, family_name="Smith")
    leaver = make_user("investigator")
    name, pk = leaver.display_name, leaver.pk
    persons.view_person(actor=leaver, person_id=person.pk)
    leaver.delete()
    event = AuditEvent.objects.get(actor_id=pk, action="view")
    assert event.actor_name == name
    assert audit.verify_chain().intact


def test_roles_that_must_give_a_purpose_are_stopped_without_one(make_user, officer):
    from bluelamp.audit.context import acting

    person = persons.create_person(actor=officer, family_name="Smith")
    analyst = make_user("analyst")
    with pytest.raises(audit.PurposeRequired):
        persons.view_person(actor=analyst, person_id=person.pk)
    with acting(purpose="Problem profile for the Avenham beat", client_address="10.0.0.5"):
        persons.view_person(actor=analyst, person_id=person.pk)
    event = AuditEvent.objects.filter(actor_id=analyst.pk).get()
    assert event.purpose == "Problem profile for the Avenham beat"
    assert event.client_address == "10.0.0.5"
