"""Messages: templates, idempotency, delivery to a real SMTP server, the SMS file channel, and
failures that are retried with back-off and never lose the message."""

import datetime as dt
import json

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from bluelamp.notify import services as notify
from bluelamp.notify.message_templates import TEMPLATES
from bluelamp.notify.models import Message, Status
from bluelamp.notify.worker import backoff, deliver_due

from ..support import SmtpServer, free_port

PERSONALISATION = {
    "crime_reference": "LC-20261124-00001",
    "update": "We have spoken to a witness.",
    "officer": "PC 1234 Hall",
}


@pytest.fixture
def smtp(db, settings):
    server = SmtpServer()
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    yield server
    server.stop()


def queue(key="update-1", template="victim-update", to="victim@example.org"):
    return notify.send(
        template=template, to=to, personalisation=PERSONALISATION, idempotency_key=key
    )


def test_templates_refuse_missing_personalisation_by_name(db):
    with pytest.raises(ValidationError) as error:
        notify.send(
            template="victim-update",
            to="victim@example.org",
            personalisation={"crime_reference": "LC-1"},
            idempotency_key="k",
        )
    assert "officer" in error.value.message_dict["personalisation"][0]
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("template", "to", "field"),
    [
        ("victim-update", "not an address", "to"),
        ("victim-update-sms", "01772 123456", "to"),  # a landline cannot take a text
        ("no-such-template", "victim@example.org", "template"),
    ],
)
def test_bad_messages_name_the_field(db, template, to, field):
    with pytest.raises(ValidationError) as error:
        queue(template=template, to=to)
    assert field in error.value.message_dict


def test_the_same_key_never_makes_a_second_message(db):
    first = queue()
    again = queue()
    assert first.pk == again.pk
    assert Message.objects.count() == 1


def test_email_is_delivered_to_a_real_smtp_server(smtp):
    message = queue()
    assert deliver_due(worker_id="test") == 1
    (received,) = smtp.received
    assert received["To"] == "victim@example.org"
    assert received["Subject"] == "An update on your crime report LC-20261124-00001"
    assert "We have spoken to a witness." in received.get_payload()
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.provider_id == received["Message-ID"]
    assert message.delivery_attempts.get().outcome == "sent"


def test_text_messages_go_to_the_file_channel(db, settings, tmp_path):
    settings.BLUELAMP_SMS_FILE = str(tmp_path / "sms.jsonl")
    queue(template="victim-update-sms", to="07700 900123")
    assert deliver_due(worker_id="test") == 1
    (line,) = (tmp_path / "sms.jsonl").read_text().splitlines()
    sent = json.loads(line)
    assert sent["to"] == "+447700900123"
    assert sent["body"].startswith("Update on crime LC-20261124-00001")


def test_a_server_that_is_down_means_retry_with_back_off_then_delivery(db, settings):
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listening
    message = queue()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert deliver_due(worker_id="test") == 0
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert "ConnectionRefusedError" in message.last_error
    assert message.next_attempt_at == start + backoff(1)
    with time_machine.travel(start + dt.timedelta(seconds=10), tick=False):
        assert deliver_due(worker_id="test") == 0  # not due again yet
    assert message.delivery_attempts.count() == 1

    server = SmtpServer()
    try:
        settings.EMAIL_PORT = server.port
        with time_machine.travel(start + backoff(1) + dt.timedelta(seconds=1), tick=False):
            assert deliver_due(worker_id="test") == 1
        assert len(server.received) == 1
    finally:
        server.stop()
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert [a.outcome for a in message.delivery_attempts.all()] == ["temporary_failure", "sent"]


def test_after_the_last_attempt_the_message_is_kept_as_permanently_failed(db, settings):
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.BLUELAMP_NOTIFY_MAX_ATTEMPTS = 3
    message = queue()
    moment = timezone.now()
    for attempt in range(1, 4):
        with time_machine.travel(moment, tick=False):
            deliver_due(worker_id="test")
        moment += backoff(attempt) + dt.timedelta(seconds=1)
    message.refresh_from_db()
    assert message.status == Status.PERMANENTLY_FAILED
    assert message.delivery_attempts.count() == 3
    with time_machine.travel(moment + dt.timedelta(days=1), tick=False):
        assert deliver_due(worker_id="test") == 0
    assert Message.objects.filter(pk=message.pk).exists()


def test_back_off_doubles_and_is_capped():
    assert [backoff(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert backoff(30) == dt.timedelta(hours=6)


def test_templates_use_notify_style_placeholders():
    assert TEMPLATES["victim-update"].fields == {"crime_reference", "update", "officer"}
