"""Victims are told of an update marked for them, by their chosen channel, by the worker; never of
an internal update, never when they asked not to be contacted or writing is unsafe."""

import json

from bluelamp.crime import supervision
from bluelamp.duties.worker import drain_outbox
from bluelamp.notify.models import Message
from bluelamp.notify.worker import deliver_due


def updates_queued():
    return Message.objects.filter(template__startswith="portal-update")


def test_a_visible_update_emails_the_victim_a_link_not_the_detail(victim, investigator, smtp):
    supervision.record_investigation_update(
        actor=investigator,
        crime=victim.crime,
        text="Suspect Zuckerwald arrested",
        victim_visible=True,
    )
    assert not updates_queued().exists()  # the worker sends it, not the officer's request
    drain_outbox(worker_id="test")
    message = updates_queued().get()
    assert message.to == victim.email
    deliver_due(worker_id="test")
    received = [m for m in smtp.received if "update" in m["Subject"]]
    (email,) = received
    assert email["To"] == victim.email
    assert victim.crime.reference in email["Subject"]
    body = email.get_payload()
    assert "/track/" in body
    assert "Zuckerwald" not in body
    # Worker runs again: nothing new is sent.
    drain_outbox(worker_id="test")
    assert updates_queued().count() == 1


def test_an_internal_update_tells_nobody(victim, investigator):
    supervision.record_investigation_update(
        actor=investigator, crime=victim.crime, text="Informant tasked", victim_visible=False
    )
    drain_outbox(worker_id="test")
    assert not updates_queued().exists()


def test_each_victim_by_their_own_channel_and_none_who_must_not_be_written_to(
    crime_event, make_victim, investigator, settings, tmp_path
):
    settings.BLUELAMP_SMS_FILE = str(tmp_path / "sms.jsonl")
    by_email = make_victim(crime_event)
    by_sms = make_victim(crime_event, channel="sms", phone="07700900123", email="")
    make_victim(crime_event, do_not_contact=True)
    make_victim(crime_event, safe_to_write=False)
    supervision.record_investigation_update(
        actor=investigator, crime=crime_event, text="Forensic result back", victim_visible=True
    )
    drain_outbox(worker_id="test")
    sent = {m.about_id: m for m in updates_queued()}
    assert set(sent) == {by_email.pk, by_sms.pk}
    assert sent[by_sms.pk].template == "portal-update-sms"
    deliver_due(worker_id="test")
    (line,) = [
        json.loads(x)
        for x in (tmp_path / "sms.jsonl").read_text().splitlines()
        if "update" in json.loads(x)["body"]
    ]
    assert line["to"] == "+447700900123"
    assert "Forensic" not in line["body"]
    assert crime_event.reference not in line["body"]  # no detail at all by text message


def test_the_victim_is_told_when_the_officer_replies_to_their_message(victim, investigator):
    from bluelamp.victims.portal import services as portal
    from bluelamp.victims.portal.access import actor_for

    message = portal.send_message(actor=actor_for(victim), victim=victim, text="Any news?")
    drain_outbox(worker_id="test")
    assert not updates_queued().exists()
    portal.reply_to_message(actor=investigator, message=message, text="Yes: please call me.")
    drain_outbox(worker_id="test")
    told = updates_queued().get()
    assert told.idempotency_key == f"portal-reply:{message.pk}"
    assert "please call me" not in str(told.personalisation)
