"""An Encompass notice's delivery is followed (protection/delivery.py, a worker task): delivered
discharges the duty; an email refused, or not sent in time, falls back to the local authority's
Encompass lead and opens a duty to phone the school; a phone call recorded discharges both."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from bluelamp.accounts.roles import Role
from bluelamp.duties.models import Duty, Outcome
from bluelamp.notify.channels import PermanentFailure
from bluelamp.notify.models import Message, Status
from bluelamp.notify.worker import deliver_due
from bluelamp.protection import encompass
from bluelamp.protection.delivery import follow_up_notices
from bluelamp.protection.models import EncompassNotice, NoticeStatus

from ..support import SmtpServer, free_port
from .world import child, referral_event, submit_referral

pytestmark = pytest.mark.django_db


class RefusingEmail:
    """A provider whose server refuses the school's address for good."""

    def send(self, message, subject, body):
        if "fishergate" in message.to:
            raise PermanentFailure("550 mailbox unavailable")
        return "accepted"


@pytest.fixture
def officer(make_user):
    return make_user(Role.RESPONSE_OFFICER)


@pytest.fixture
def notice(units, officer):
    kid = child(officer, "Amy")
    event = referral_event(officer, units["west-response"])
    submit_referral(officer, event, children=[kid], schools={kid: "LAN-P-001"})
    return EncompassNotice.objects.get(child=kid)


def _duties(notice):
    mine = Duty.objects.filter(subject_id=notice.pk, policy__startswith="encompass")
    return {d.policy: d.outcome for d in mine}


def test_a_delivered_email_discharges_the_duty(notice, settings):
    server = SmtpServer()
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    try:
        assert follow_up_notices() == 0  # not sent yet, not late yet: nothing to do
        assert deliver_due(worker_id="test") >= 1
    finally:
        server.stop()
    assert [m["To"] for m in server.received] == ["dsl@fishergate-primary.example"]
    assert follow_up_notices() == 1
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.DELIVERED
    assert notice.delivered_at is not None
    assert _duties(notice) == {"encompass-notify-school": Outcome.DONE}


def test_a_refused_email_falls_back_and_a_phone_call_closes_it(notice, settings, officer):
    settings.BLUELAMP_NOTIFY_PROVIDERS = {
        **settings.BLUELAMP_NOTIFY_PROVIDERS,
        "email": f"{__name__}.RefusingEmail",
    }
    deliver_due(worker_id="test")
    assert Message.objects.get(pk=notice.message_id).status == Status.PERMANENTLY_FAILED
    assert follow_up_notices() == 1
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.FALLBACK
    assert "550" in notice.fallback_reason
    fallback = notice.fallback_message
    assert fallback.to == "encompass@lancashire-la.example"
    assert fallback.template == "encompass-fallback"
    assert _duties(notice) == {
        "encompass-notify-school": Outcome.OPEN,
        "encompass-phone-school": Outcome.OPEN,
    }
    assert follow_up_notices() == 0  # a fallback is made once
    deliver_due(worker_id="test")  # the authority's copy goes (the provider takes it)
    assert Message.objects.get(pk=fallback.pk).status == Status.SENT
    encompass.record_phone_confirmation(
        actor=officer, notice=notice, spoke_to="Mrs Patel, DSL", note="Will see Amy at 08:45"
    )
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.CONFIRMED
    assert set(_duties(notice).values()) == {Outcome.DONE}
    with pytest.raises(ValidationError) as error:
        encompass.record_phone_confirmation(actor=officer, notice=notice, spoke_to="Again")
    assert "spoke_to" in error.value.message_dict


def test_an_email_not_sent_in_time_falls_back_and_a_late_delivery_still_counts(notice, settings):
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listening
    deliver_due(worker_id="test")
    assert Message.objects.get(pk=notice.message_id).status == Status.FAILED  # will retry
    assert follow_up_notices() == 0  # within BLUELAMP_ENCOMPASS_FALLBACK_MINUTES
    later = timezone.now() + dt.timedelta(minutes=settings.BLUELAMP_ENCOMPASS_FALLBACK_MINUTES + 1)
    with time_machine.travel(later, tick=False):
        assert follow_up_notices() == 1
        notice.refresh_from_db()
        assert notice.status == NoticeStatus.FALLBACK
        assert "not delivered within" in notice.fallback_reason
        server = SmtpServer()
        settings.EMAIL_PORT = server.port
        try:
            deliver_due(worker_id="test")  # the retry and the fallback both go
        finally:
            server.stop()
        assert sorted(m["To"] for m in server.received) == [
            "dsl@fishergate-primary.example",
            "encompass@lancashire-la.example",
        ]
        assert follow_up_notices() == 1
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.DELIVERED
    assert set(_duties(notice).values()) == {Outcome.DONE}
