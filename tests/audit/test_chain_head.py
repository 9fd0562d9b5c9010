"""Several audit rows in one transaction read the chain head once (audit.services remembers
the head it wrote). The chain must stay intact whatever happens to the rows it remembers:
a savepoint rolled back, another writer appending between transactions."""

import pytest
from django.db import transaction

from bluelamp.audit import services as audit
from bluelamp.audit.chain import keyed_digest
from bluelamp.audit.models import AuditEvent


def _append(actor, n):
    return audit.record(actor=actor, action="view", record_type="person", record_id=n, label="x")


@pytest.mark.django_db
def test_appends_in_one_transaction_link_in_order(officer):
    with transaction.atomic():
        rows = [_append(officer, n) for n in range(5)]
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.prev_hash == before.hash
    assert audit.verify_chain().intact


@transaction.atomic
def _fail_after_an_audit_row(actor):
    _append(actor, 2)
    raise RuntimeError("the caller's work failed after its audit row")


@pytest.mark.django_db
def test_a_row_rolled_back_with_its_savepoint_is_not_linked_to(officer):
    with transaction.atomic():
        kept = _append(officer, 1)
        with pytest.raises(RuntimeError):
            _fail_after_an_audit_row(officer)
        after = _append(officer, 3)
    assert after.prev_hash == kept.hash
    assert not AuditEvent.objects.filter(record_id="2").exists()
    assert audit.verify_chain().intact


@pytest.mark.django_db
def test_after_commit_the_head_is_read_again(officer, django_capture_on_commit_callbacks):
    """The test's own transaction never commits; running the commit callbacks is what a commit
    does to the remembered head."""
    with django_capture_on_commit_callbacks(execute=True):
        first = _append(officer, 1)
    # Another process's append, between our transactions, written as record() writes it.
    other = AuditEvent(
        at=first.at, actor_name="other", action="view", record_type="person", record_id="2"
    )
    other.prev_hash = first.hash
    other.hash = keyed_digest(other.prev_hash, other)
    other.save(force_insert=True)
    mine = _append(officer, 3)
    assert mine.prev_hash == other.hash
    assert audit.verify_chain().intact
