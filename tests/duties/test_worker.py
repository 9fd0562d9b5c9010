"""The worker: leases, handlers run once, escalation once, and - as separate processes on their
own database - a worker killed mid-drain and two workers at once lose nothing and repeat
nothing."""

import datetime as dt
import signal
import time

import pytest
import time_machine
from django.utils import timezone

from bluelamp.accounts.roles import Role
from bluelamp.crime import incidents
from bluelamp.duties import registry
from bluelamp.duties.models import DomainEvent, Duty, HandledEvent
from bluelamp.duties.services import emit
from bluelamp.duties.worker import _claim, drain_outbox, escalate_overdue
from bluelamp.notify.models import Message

from ..support import OwnDatabase, SmtpServer


@pytest.fixture
def counted(monkeypatch):
    """A handler for a test event type that counts its calls (and can fail on demand)."""
    calls = []

    def note(event):
        if event.payload.get("fail"):
            raise RuntimeError("handler failed")
        calls.append(event.pk)

    monkeypatch.setitem(registry.HANDLERS, "test.noted", [("tests.note", note)])
    return calls


def test_a_claimed_event_is_not_claimed_again_until_its_lease_ends(db, counted, settings):
    settings.BLUELAMP_WORKER_LEASE_SECONDS = 60
    event = emit("test.noted", subject=None, actor=None)
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        assert [e.pk for e in _claim("one", 10)] == [event.pk]
        assert _claim("two", 10) == []
    with time_machine.travel(now + dt.timedelta(seconds=61), tick=False):
        assert [e.pk for e in _claim("two", 10)] == [event.pk]


def test_each_handler_runs_once_even_when_an_event_is_retaken(db, counted):
    event = emit("test.noted", subject=None, actor=None)
    assert drain_outbox(worker_id="one") == 1
    DomainEvent.objects.filter(pk=event.pk).update(processed_at=None, lease_until=None)
    assert drain_outbox(worker_id="two") == 1
    assert counted == [event.pk]
    assert HandledEvent.objects.filter(event=event).count() == 1


def test_a_failing_event_is_kept_with_its_error_and_does_not_block_others(db, counted):
    bad = emit("test.noted", subject=None, actor=None, payload={"fail": True})
    good = emit("test.noted", subject=None, actor=None)
    assert drain_outbox(worker_id="one") == 1
    bad.refresh_from_db()
    assert bad.processed_at is None
    assert "handler failed" in bad.last_error
    assert counted == [good.pk]


def test_overdue_duties_are_escalated_once_and_supervisors_told(units, make_user):
    handler = make_user(Role.CALL_HANDLER)
    sergeant = make_user(Role.SUPERVISOR, unit="west-response")
    sergeant.email = "sergeant@police.example"
    sergeant.save()
    reported = timezone.now() - dt.timedelta(hours=30)
    incident = incidents.report_incident(
        actor=handler,
        summary="Theft of bike",
        owning_unit=units["west-response"],
        may_be_crime=True,
        reported_at=reported,
    )
    assert escalate_overdue(worker_id="one") == 1
    assert escalate_overdue(worker_id="two") == 0
    duty = Duty.objects.get(subject_id=incident.pk)
    assert duty.escalation_level == 1
    drain_outbox(worker_id="one")
    message = Message.objects.get()
    assert message.to == "sergeant@police.example"
    assert message.personalisation["subject"] == incident.reference


# --- separate processes -----------------------------------------------------------------------

SEED = """
import datetime as dt, json
from django.utils import timezone
from bluelamp.accounts.roles import Role, UnitKind
from bluelamp.accounts.services import create_unit, create_user
from bluelamp.crime import incidents
force = create_unit(name="Force", code="force", kind=UnitKind.FORCE)
team = create_unit(name="Team", code="team", kind=UnitKind.TEAM, parent=force)
handler, _ = create_user(actor=None, username="handler", password="x" * 16, role=Role.CALL_HANDLER,
                         unit=force, first_name="C", last_name="H")
sergeant, _ = create_user(actor=None, username="sergeant", password="x" * 16,
                          role=Role.SUPERVISOR, unit=team, first_name="S", last_name="O")
sergeant.email = "sergeant@police.example"
sergeant.save()
reported = timezone.now() - dt.timedelta(hours=30)
for n in range(COUNT):
    incidents.report_incident(actor=handler, summary=f"Theft {n}", owning_unit=team,
                          may_be_crime=True, reported_at=reported)
print(json.dumps(COUNT))
"""

STATE = """
import json
from bluelamp.duties.models import DomainEvent, Duty, HandledEvent
from bluelamp.notify.models import Message
print(json.dumps({
    "escalated": Duty.objects.filter(escalation_level=1).count(),
    "events": DomainEvent.objects.filter(type="duty.escalated").count(),
    "unprocessed": DomainEvent.objects.filter(processed_at__isnull=True).count(),
    "handled": HandledEvent.objects.count(),
    "messages": Message.objects.count(),
    "sent": Message.objects.filter(status="sent").count(),
    "keys": sorted(Message.objects.values_list("provider_id", flat=True)),
}))
"""


@pytest.fixture
def own(tmp_path):
    database = OwnDatabase(tmp_path)
    yield database
    database.close()


def _wait_for(condition, timeout=120):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def _worker_env(smtp):
    return {
        "BLUELAMP_EMAIL_PORT": str(smtp.port),
        "BLUELAMP_WORKER_LEASE_SECONDS": "2",
    }


def test_a_worker_killed_mid_drain_loses_nothing_and_repeats_nothing(own):
    count = 120
    own.python(SEED.replace("COUNT", str(count)))
    smtp = SmtpServer(delay=0.02)  # slow enough to be killed half way through delivery
    try:
        env = _worker_env(smtp)
        first = own.start("worker", "--worker-id", "first", "--idle-sleep", "0.2", **env)
        _wait_for(lambda: len(smtp.received) >= 20)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        killed_at = len(smtp.received)
        assert killed_at < count, "the worker finished before it could be killed"

        second = own.start("worker", "--worker-id", "second", "--idle-sleep", "0.2", **env)
        _wait_for(lambda: len(set(smtp.message_ids)) >= count)
        time.sleep(1)
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=30) == 0
        state = own.python(STATE)
    finally:
        smtp.stop()
    assert state["escalated"] == count
    assert state["events"] == count  # each duty escalated once
    assert state["unprocessed"] == 0
    assert state["messages"] == count  # one message per escalation, never two
    assert state["sent"] == count
    received = smtp.message_ids
    assert set(received) == set(state["keys"])
    # A message accepted by the SMTP server in the instant before the kill is sent again after
    # the lease ends - with the same Message-ID, so it is recognisably one message (notify/worker).
    assert len(received) - len(set(received)) <= 1


def test_two_workers_at_once_handle_each_event_once(own):
    count = 60
    own.python(SEED.replace("COUNT", str(count)))
    smtp = SmtpServer(delay=0.01)
    try:
        env = _worker_env(smtp)
        workers = [
            own.start("worker", "--worker-id", name, "--idle-sleep", "0.2", **env)
            for name in ("left", "right")
        ]
        _wait_for(lambda: len(smtp.received) >= count)
        time.sleep(1)
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        assert [w.wait(timeout=30) for w in workers] == [0, 0]
        state = own.python(STATE)
    finally:
        smtp.stop()
    assert (state["escalated"], state["events"], state["messages"], state["sent"]) == (
        count,
        count,
        count,
        count,
    )
    assert sorted(smtp.message_ids) == state["keys"]  # no message sent twice
