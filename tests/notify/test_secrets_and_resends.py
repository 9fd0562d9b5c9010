"""One-time secrets never sit in the outbox in clear and leave it once sent; every message has one
delivery id that the channels pass on, the same when a message is sent again after a worker died
between the server's reply and the delivery record (docs/notify.md)."""

import datetime as dt
import importlib
import json
import re

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone

from bluelamp.notify import services as notify
from bluelamp.notify.channels import SmtpEmail
from bluelamp.notify.models import Message, Status
from bluelamp.notify.secrets import REMOVED, one_time_secret
from bluelamp.notify.worker import deliver_due, rendered

from ..support import SmtpServer

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE = re.compile(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}\b")


class WorkerKilled(BaseException):
    """What a kill looks like to the code that was running: nothing after it happens."""


class SmtpThenKilled(SmtpEmail):
    """The real SMTP channel, and the worker killed as soon as the server has accepted the
    message: before the delivery is recorded."""

    def send(self, message, subject, body):
        super().send(message, subject, body)
        raise WorkerKilled


@pytest.fixture
def smtp(db, settings):
    server = SmtpServer()
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    yield server
    server.stop()


def queue_code(key="code-1", to="victim@example.org"):
    secret = one_time_secret(alphabet=ALPHABET, groups=(4, 4, 4))
    message = notify.send(
        template="portal-access-code",
        to=to,
        personalisation={
            "crime_reference": "LC-20261124-00001",
            "code": secret,
            "portal_url": "http://127.0.0.1:8000/track/",
            "expires_on": "22 December 2026",
            "officer": "DC 1234 Hall",
        },
        idempotency_key=key,
    )
    return message, secret.value


def test_the_outbox_never_holds_a_code_in_clear_and_forgets_its_seed_once_sent(smtp):
    message, code = queue_code()
    message.refresh_from_db()
    assert code not in json.dumps(message.personalisation)
    assert code.replace("-", "") not in json.dumps(message.personalisation)
    assert deliver_due(worker_id="test") == 1
    (email,) = smtp.received
    assert CODE.search(email.get_payload())[0] == code  # the victim gets the code itself
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.personalisation["code"] == REMOVED
    assert message.personalisation["crime_reference"] == "LC-20261124-00001"  # the rest stays


def test_a_reader_of_the_database_without_the_servers_key_cannot_derive_the_code(
    db, settings, smtp
):
    message, code = queue_code()
    settings.SECRET_KEY = "another-servers-key"  # everything in the database, not the key
    assert deliver_due(worker_id="test") == 0
    assert not smtp.received
    message.refresh_from_db()
    assert message.status == Status.PERMANENTLY_FAILED
    assert "SECRET_KEY" in message.last_error
    assert message.personalisation["code"] == REMOVED


def test_a_key_kept_as_a_fallback_still_sends_codes_queued_before_it_changed(db, settings, smtp):
    _, code = queue_code()
    old = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "the-new-key", [old]
    assert deliver_due(worker_id="test") == 1
    assert CODE.search(smtp.received[0].get_payload())[0] == code


def test_a_secret_field_given_in_clear_is_refused(db):
    with pytest.raises(ValidationError) as error:
        notify.send(
            template="portal-sign-in-code-sms",
            to="07700 900123",
            personalisation={"code": "123456"},
            idempotency_key="k",
        )
    assert "one_time_secret" in error.value.message_dict["personalisation"][0]
    assert not Message.objects.exists()


def test_old_messages_with_codes_in_clear_lose_them_at_the_migration_or_once_sent(db, smtp):
    """Before this change the code sat in clear in messages never deleted."""
    now = timezone.now()

    def old_message(key, status):
        return Message.objects.create(
            channel="sms",
            template="portal-sign-in-code-sms",
            personalisation={"code": "482913"},
            to="+447700900123",
            idempotency_key=key,
            status=status,
            next_attempt_at=now,
            created_at=now,
        )

    sent = old_message("old-sent", Status.SENT)
    failed = old_message("old-failed", Status.PERMANENTLY_FAILED)
    waiting = old_message("old-waiting", Status.QUEUED)
    migration = importlib.import_module("bluelamp.notify.migrations.0003_remove_sent_portal_codes")
    migration.remove_codes_from_sent_messages(apps, None)
    for message in (sent, failed, waiting):
        message.refresh_from_db()
    assert sent.personalisation == failed.personalisation == {"code": REMOVED}
    assert waiting.personalisation == {"code": "482913"}  # still owed to the victim
    assert deliver_due(worker_id="test") == 1
    waiting.refresh_from_db()
    assert waiting.status == Status.SENT
    assert waiting.personalisation == {"code": REMOVED}


def test_an_email_sent_again_after_a_kill_has_the_same_message_id(smtp, settings):
    """The duplicate-send window: the SMTP server accepted the email, then the worker died before
    recording it. The lease runs out, another worker sends it again: the same Message-ID (and the
    same code), so the receiving system can drop the copy."""
    message, code = queue_code()
    other, _ = queue_code(key="code-2", to="other@example.org")
    settings.BLUELAMP_NOTIFY_PROVIDERS = {**settings.BLUELAMP_NOTIFY_PROVIDERS}
    settings.BLUELAMP_NOTIFY_PROVIDERS["email"] = f"{__name__}.SmtpThenKilled"
    start = timezone.now()
    with time_machine.travel(start, tick=False), pytest.raises(WorkerKilled):
        deliver_due(worker_id="first", limit=1)
    message.refresh_from_db()
    assert message.status == Status.SENDING  # the server has it; the database does not know
    assert not message.delivery_attempts.exists()

    settings.BLUELAMP_NOTIFY_PROVIDERS["email"] = "bluelamp.notify.channels.SmtpEmail"
    lease = dt.timedelta(seconds=settings.BLUELAMP_WORKER_LEASE_SECONDS)
    with time_machine.travel(start + lease / 2, tick=False):
        assert deliver_due(worker_id="second") == 1  # the other message; this one is leased
    with time_machine.travel(start + lease + dt.timedelta(seconds=1), tick=False):
        assert deliver_due(worker_id="second") == 1
    first, other_email, again = smtp.received
    assert first["To"] == again["To"] == "victim@example.org"
    assert first["Message-ID"] == again["Message-ID"]
    assert first["Message-ID"] != other_email["Message-ID"]
    # RFC 5322 3.6.4: a dot-atom before the @, nothing about our records in it.
    assert re.fullmatch(r"<[0-9a-f]{32}@police\.example>", first["Message-ID"])
    assert first["Message-ID"] == f"<{message.delivery_id.hex}@police.example>"
    assert CODE.search(again.get_payload())[0] == code == CODE.search(first.get_payload())[0]
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.provider_id == first["Message-ID"]
    assert [a.worker for a in message.delivery_attempts.all()] == ["second"]
    assert message.personalisation["code"] == REMOVED


def test_a_text_message_carries_the_same_reference_on_every_attempt(db, settings, tmp_path):
    settings.BLUELAMP_SMS_FILE = str(tmp_path / "sms.jsonl")
    message = notify.send(
        template="victim-update-sms",
        to="07700 900123",
        personalisation={"crime_reference": "LC-1", "update": "News.", "officer": "PC 1 Hall"},
        idempotency_key="update-1",
    )
    assert deliver_due(worker_id="test") == 1
    (line,) = (tmp_path / "sms.jsonl").read_text().splitlines()
    assert json.loads(line)["reference"] == str(message.delivery_id)
    # A resend of the same outbox message (its record lost) passes the same reference.
    Message.objects.filter(pk=message.pk).update(status=Status.QUEUED)
    assert deliver_due(worker_id="test") == 1
    lines = (tmp_path / "sms.jsonl").read_text().splitlines()
    assert [json.loads(x)["reference"] for x in lines] == [str(message.delivery_id)] * 2


def test_every_message_gets_its_own_delivery_id(db):
    first, _ = queue_code(key="a")
    second, _ = queue_code(key="b")
    assert first.delivery_id != second.delivery_id
    assert rendered(first)[0].startswith("Your crime reference LC-20261124-00001")
