"""The worker's checkpoint task: at most one checkpoint every BLUELAMP_AUDIT_CHECKPOINT_MINUTES,
only when the log has grown; a log that no longer matches is reported, not signed over, and the
worker carries on with its other tasks."""

import logging

import pytest
from django.db import connection

from bluelamp.audit import services as audit
from bluelamp.audit import worker
from bluelamp.audit.checkpoints import read_checkpoints
from bluelamp.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_worker(monkeypatch):
    monkeypatch.setattr(worker, "_last_try", {})


def _view(actor, n):
    audit.record(actor=actor, action="view", record_type="person", record_id=n)


def test_at_most_one_checkpoint_per_interval_and_only_when_the_log_grew(
    officer, settings, checkpoint_file
):
    settings.BLUELAMP_AUDIT_CHECKPOINT_MINUTES = 5
    _view(officer, 1)
    assert worker.write_checkpoint(worker_id="w") == 1
    _view(officer, 2)
    assert worker.write_checkpoint(worker_id="w") == 0  # too soon
    settings.BLUELAMP_AUDIT_CHECKPOINT_MINUTES = 0
    assert worker.write_checkpoint(worker_id="w") == 1
    assert worker.write_checkpoint(worker_id="w") == 0  # nothing new since
    written, problems = read_checkpoints(checkpoint_file)
    assert problems == []
    total = AuditEvent.objects.count()
    assert [c.count for c in written] == [total - 1, total]


def test_a_log_that_no_longer_matches_is_reported_and_the_worker_carries_on(
    officer, settings, checkpoint_file, caplog
):
    settings.BLUELAMP_AUDIT_CHECKPOINT_MINUTES = 0
    _view(officer, 1)
    assert worker.write_checkpoint(worker_id="w") == 1
    last = AuditEvent.objects.order_by("-id").first()
    with connection.cursor() as cursor:  # the database's owner cuts the last row
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_no_delete")
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [last.id])
    with caplog.at_level(logging.ERROR, logger="bluelamp.audit.checkpoint"):
        assert worker.write_checkpoint(worker_id="w") == 0
    assert f"event {last.id}" in caplog.text
    assert "no checkpoint written" in caplog.text
    assert len(checkpoint_file.read_text().splitlines()) == 1
