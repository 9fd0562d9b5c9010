"""The victim's pages: their own crime only, nothing about suspects or witnesses, every view
audited, preferences and messages saved with history and audit, bad input named, idle timeout."""

import datetime as dt

import time_machine
from django.test import Client
from django.utils import timezone

from bluelamp.audit.models import Action, AuditEvent
from bluelamp.core.models import RecordChange
from bluelamp.crime import supervision
from bluelamp.duties.deadlines import working_days
from bluelamp.duties.models import DomainEvent, Duty, Outcome
from bluelamp.duties.services import emit
from bluelamp.victims.portal.models import VictimMessage

from .conftest import SUSPECT_NAME, WITNESS_NAME, code_sent_to, phone_code_sent, portal_sign_in


def signed_in_portal(victim) -> Client:
    client = Client()
    response = portal_sign_in(client, victim.crime.reference, code_sent_to(victim))
    assert response.status_code == 302, response.content[:500]
    assert response["Location"] == f"/track/crimes/{victim.crime.reference}/"
    return client


def page(victim) -> str:
    return f"/track/crimes/{victim.crime.reference}/"


def test_the_victim_sees_status_officer_updates_and_support(victim, investigator):
    supervision.record_investigation_update(
        actor=investigator, crime=victim.crime, text="We have viewed the CCTV.", victim_visible=True
    )
    supervision.record_investigation_update(
        actor=investigator, crime=victim.crime, text="Informant tasked", victim_visible=False
    )
    supervision.record_investigation_update(
        actor=investigator, crime=victim.crime, text="A fingerprint was found.", victim_visible=True
    )
    client = signed_in_portal(victim)
    html = client.get(page(victim)).content.decode()
    assert "Open: being investigated" in html
    assert investigator.display_name in html
    assert 'Call <a href="tel:101">101</a>' in html  # tap to call
    assert html.index("A fingerprint was found.") < html.index("We have viewed the CCTV.")
    assert "Informant tasked" not in html
    assert "Victim Support" in html


def test_no_suspect_witness_or_internal_summary_on_any_portal_page(victim):
    client = signed_in_portal(victim)
    pages = [page(victim), page(victim) + "preferences/"]
    for url in pages:
        html = client.get(url).content.decode()
        for name in (*SUSPECT_NAME, *WITNESS_NAME):
            assert name.lower() not in html.lower(), (url, name)
        assert "informant" not in html.lower(), url


def test_the_outcome_is_shown_in_words_once_recorded(victim, investigator):
    emit(
        "crime.outcome_recorded",
        subject=victim.crime,
        actor=investigator,
        payload={"outcome": "1"},
    )
    html = signed_in_portal(victim).get(page(victim)).content.decode()
    assert "Someone has been charged or summonsed to court" in html
    assert "Finished" in html


def test_another_victims_crime_is_not_there_for_this_victim(victim, make_crime, make_victim):
    other = make_victim(make_crime(summary="Another burglary"))
    client = signed_in_portal(victim)
    for url in (page(other), page(other) + "preferences/"):
        response = client.get(url)
        assert response.status_code == 404
        assert other.crime.reference not in response.content.decode()
        assert client.post(url, {"text": "hello", "channel": "email"}).status_code == 404
    assert not VictimMessage.objects.filter(victim_record=other).exists()
    # A second victim of the same crime is another person: their preferences stay theirs.
    assert client.get("/track/crimes/LC-20000101-00001/").status_code == 404


def test_portal_pages_need_the_victims_own_sign_in(victim, signed_in, investigator):
    assert Client().get(page(victim)).status_code == 302
    staff = signed_in(investigator)  # a staff sign-in does not open a victim's portal
    response = staff.get(page(victim))
    assert response.status_code == 302
    assert response["Location"] == "/track/"


def test_every_portal_view_is_audited_with_the_victim_as_actor(victim):
    client = signed_in_portal(victim)
    before = AuditEvent.objects.count()
    client.get(page(victim))
    client.get(page(victim) + "preferences/")
    views = AuditEvent.objects.filter(
        id__gt=0, action=Action.VIEW, actor_role="victim", record_id=str(victim.pk)
    )
    assert AuditEvent.objects.count() - before == 2
    assert sorted(e.detail["page"] for e in views) == ["crime", "preferences"]
    assert all(e.actor_id is None and victim.crime.reference in e.actor_name for e in views)
    assert AuditEvent.objects.filter(action=Action.SIGN_IN, actor_role="victim").count() == 1


def test_a_preference_change_is_saved_with_history_and_audit(victim):
    client = signed_in_portal(victim)
    response = client.post(
        page(victim) + "preferences/",
        {
            "channel": "sms",
            "email": victim.email,
            "phone": "07700 900456",
            "update_every_days": "14",
            "times_to_avoid": "Weekday mornings",
        },
    )
    assert response.status_code == 302
    victim.refresh_from_db()
    assert (victim.channel, victim.phone, victim.update_every_days) == ("sms", "07700900456", 14)
    assert victim.times_to_avoid == "Weekday mornings"
    change = RecordChange.objects.get(object_id=victim.pk, summary__contains="by the victim")
    assert change.changes["channel"] == ["email", "sms"]
    assert change.actor_id is None
    audit = AuditEvent.objects.get(action=Action.CHANGE, actor_role="victim")
    assert "phone" in audit.detail["fields"]
    event = DomainEvent.objects.get(type="victim.preferences_changed")
    assert "channel" in event.payload["fields"]


def test_bad_preferences_name_the_field_keep_the_typing_and_change_nothing(victim):
    client = signed_in_portal(victim)
    response = client.post(
        page(victim) + "preferences/",
        {"channel": "sms", "phone": "01772 123456", "times_to_avoid": "After 6pm"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Phone number:" in html
    assert "UK mobile number" in html
    assert 'value="After 6pm"' in html
    victim.refresh_from_db()
    assert victim.channel == "email"
    assert victim.times_to_avoid == ""
    response = client.post(page(victim) + "preferences/", {"channel": "pigeon"})
    assert response.status_code == 400
    assert "How should we contact you?:" in response.content.decode()


def test_a_message_to_the_officer_opens_a_reply_duty(victim, investigator):
    client = signed_in_portal(victim)
    response = client.post(page(victim), {"text": "Has the CCTV been checked?"})
    assert response.status_code == 302
    message = VictimMessage.objects.get(victim_record=victim)
    duty = Duty.objects.get(policy="reply-to-victim-message", subject_id=message.pk)
    assert duty.owner == investigator
    assert duty.due_at == working_days(2)(duty.opened_at)
    assert "Force practice" in duty.rule
    assert AuditEvent.objects.filter(action=Action.CREATE, actor_role="victim").exists()


def test_an_empty_message_is_refused_by_name(victim):
    client = signed_in_portal(victim)
    response = client.post(page(victim), {"text": "   "})
    assert response.status_code == 400
    assert "Your message to the officer:" in response.content.decode()
    assert not VictimMessage.objects.exists()


def test_sign_in_names_each_missing_or_impossible_field(db):
    client = Client()
    response = client.post("/track/", {"dob_day": "31", "dob_month": "2", "dob_year": "1980"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Crime reference:" in html
    assert "Access code:" in html
    response = portal_sign_in(client, "LC-1", "ABCD", dob=(1980, 2, 31))
    assert "That date does not exist." in response.content.decode()
    response = client.post("/track/", {"reference": "LC-1", "code": "ABCD", "dob_day": "4"})
    assert response.status_code == 400
    assert "Month: Enter the day, month and year" in response.content.decode()


def test_a_victim_with_no_date_of_birth_signs_in_with_a_texted_code(crime_event, make_victim):
    record = make_victim(crime_event, dob=None, phone="07700900321")
    client = Client()
    response = client.post(
        "/track/", {"reference": crime_event.reference, "code": code_sent_to(record)}
    )
    assert response.status_code == 302
    assert response["Location"] == "/track/text-code/"
    response = client.post("/track/text-code/", {"phone_code": ""})
    assert response.status_code == 400
    assert "Code from the text message:" in response.content.decode()
    six = phone_code_sent()
    response = client.post("/track/text-code/", {"phone_code": six})
    assert response.status_code == 302
    assert response["Location"] == f"/track/crimes/{crime_event.reference}/"
    assert client.get(response["Location"]).status_code == 200


def test_the_texted_code_page_needs_a_right_access_code_first(db):
    assert Client().get("/track/text-code/").status_code == 302


def test_the_portal_signs_the_victim_out_when_idle(victim, settings):
    client = signed_in_portal(victim)
    assert client.get(page(victim)).status_code == 200
    later = timezone.now() + dt.timedelta(minutes=settings.BLUELAMP_PORTAL_IDLE_MINUTES + 1)
    with time_machine.travel(later, tick=False):
        response = client.get(page(victim))
    assert response.status_code == 302
    assert response["Location"] == "/track/"


def test_signing_out_ends_the_portal_session(victim):
    client = signed_in_portal(victim)
    client.post("/track/sign-out/")
    assert client.get(page(victim)).status_code == 302


def test_after_too_many_wrong_tries_the_page_says_when_to_try_again(victim, settings):
    client = Client()
    for attempt in range(settings.BLUELAMP_PORTAL_FREE_FAILURES):
        response = portal_sign_in(
            client, victim.crime.reference, f"WRONG{attempt}", REMOTE_ADDR=f"10.0.0.{attempt}"
        )
        assert response.status_code == 400
        assert 'data-testid="try-again-later"' not in response.content.decode()
    response = portal_sign_in(client, victim.crime.reference, "WRONG", REMOTE_ADDR="10.0.1.1")
    assert response.status_code == 429  # this wrong try starts the wait
    assert "not right" in response.content.decode()
    response = portal_sign_in(
        client, victim.crime.reference, code_sent_to(victim), REMOTE_ADDR="10.0.1.2"
    )
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= settings.BLUELAMP_PORTAL_BACKOFF_FIRST_SECONDS
    html = response.content.decode()
    assert 'data-testid="try-again-later"' in html
    assert "too many tries" in html
    assert "not right" not in html  # nothing was checked, so nothing is said about the parts
    later = timezone.now() + dt.timedelta(seconds=settings.BLUELAMP_PORTAL_BACKOFF_FIRST_SECONDS)
    with time_machine.travel(later + dt.timedelta(seconds=1), tick=False):
        response = portal_sign_in(
            client, victim.crime.reference, code_sent_to(victim), REMOTE_ADDR="10.0.1.2"
        )
    assert response.status_code == 302


def test_the_page_uses_the_address_the_reverse_proxy_names(victim, settings):
    settings.BLUELAMP_PORTAL_CLIENT_ADDRESS_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.BLUELAMP_PORTAL_ADDRESS_FAILURES = 3
    client = Client()
    for attempt in range(3):
        portal_sign_in(
            client,
            f"LC-20000101-0000{attempt}",
            "WRONG",
            REMOTE_ADDR="10.9.9.9",  # the proxy
            HTTP_X_FORWARDED_FOR=f"6.6.6.{attempt}, 203.0.113.7",  # a forged hop, then the real
        )
    response = portal_sign_in(
        client,
        victim.crime.reference,
        code_sent_to(victim),
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert response.status_code == 429
    response = portal_sign_in(
        client,
        victim.crime.reference,
        code_sent_to(victim),
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR="203.0.113.8",  # another victim behind the same proxy
    )
    assert response.status_code == 302


def test_duty_is_discharged_when_the_officer_replies(victim, investigator, signed_in):
    signed_in_portal(victim).post(page(victim), {"text": "Any news?"})
    message = VictimMessage.objects.get()
    staff = signed_in(investigator)
    response = staff.post(f"/track/staff/messages/{message.pk}/reply/", {"text": "Yes, call me."})
    assert response.status_code == 302
    duty = Duty.objects.get(policy="reply-to-victim-message")
    assert duty.outcome == Outcome.DONE
    html = signed_in_portal_again(victim).get(page(victim)).content.decode()
    assert "Yes, call me." in html


def signed_in_portal_again(victim) -> Client:
    from bluelamp.victims.portal import access

    issued = access.issue_code(actor=None, victim_record=victim)
    client = Client()
    assert portal_sign_in(client, victim.crime.reference, issued.code).status_code == 302
    return client
