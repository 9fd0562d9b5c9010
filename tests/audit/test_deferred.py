"""audit.deferred: a request's audit rows (and record history) are inserted together just before
its transaction ends, in the same transaction, chained in the order they were recorded; rows
recorded inside a savepoint that rolled back are dropped with it."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from bluelamp.audit import services as audit
from bluelamp.audit.models import AuditEvent
from bluelamp.core import persons
from bluelamp.core.history import history_of
from bluelamp.core.models import RecordChange


def _view(actor, n):
    return audit.record(actor=actor, action="view", record_type="person", record_id=n, label="x")


@pytest.mark.django_db
def test_rows_wait_for_the_end_of_the_block_then_go_in_one_insert(officer):
    before = AuditEvent.objects.count()
    with transaction.atomic():
        with CaptureQueriesContext(connection) as inserts:
            with audit.deferred():
                for n in range(4):
                    _view(officer, n)
                assert AuditEvent.objects.count() == before  # nothing written yet
        assert AuditEvent.objects.count() == before + 4
    audit_inserts = [q for q in inserts.captured_queries if "INSERT INTO" in q["sql"]]
    assert len(audit_inserts) == 1
    rows = list(AuditEvent.objects.order_by("id")[before:])
    assert [r.record_id for r in rows] == ["0", "1", "2", "3"]
    for earlier, later in zip(rows, rows[1:], strict=False):
        assert later.prev_hash == earlier.hash
    assert audit.verify_chain().intact


@transaction.atomic
def _audited_then_failed(actor):
    _view(actor, "rolled back")
    raise RuntimeError("the work this row describes failed")


@pytest.mark.django_db
def test_a_row_from_a_rolled_back_savepoint_is_dropped(officer):
    with transaction.atomic(), audit.deferred():
        _view(officer, "kept before")
        with pytest.raises(RuntimeError):
            _audited_then_failed(officer)
        _view(officer, "kept after")
    ids = list(AuditEvent.objects.values_list("record_id", flat=True))
    assert "rolled back" not in ids
    assert ids[-2:] == ["kept before", "kept after"]
    assert audit.verify_chain().intact


@pytest.mark.django_db
def test_an_error_in_the_block_writes_nothing(officer):
    before = AuditEvent.objects.count()

    def refused():
        with transaction.atomic(), audit.deferred():
            _view(officer, 1)
            raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        refused()
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_nested_blocks_write_once_at_the_outermost(officer):
    before = AuditEvent.objects.count()
    with transaction.atomic(), audit.deferred():
        with audit.deferred():
            _view(officer, 1)
        assert AuditEvent.objects.count() == before
        _view(officer, 2)
    assert AuditEvent.objects.count() == before + 2


@pytest.mark.django_db
def test_record_history_is_deferred_with_the_audit_rows(officer):
    with transaction.atomic(), audit.deferred():
        person = persons.create_person(actor=officer, given_names="Ann", family_name="Lee")
        assert not history_of(person, actor=officer).exists()  # queued, not yet written
    (row,) = history_of(person, actor=officer)
    assert row.action == "create"
    assert row.summary == "Created as Ann Lee"
    assert (
        RecordChange.objects.filter(
            content_type=ContentType.objects.get_for_model(person), object_id=person.pk
        ).count()
        == 1
    )


def test_outside_a_transaction_it_refuses():
    # No database needed: it refuses before touching one (the django_db mark would wrap the
    # test in a transaction).
    with pytest.raises(TransactionManagementError), audit.deferred():
        pass  # pragma: no cover - never entered
