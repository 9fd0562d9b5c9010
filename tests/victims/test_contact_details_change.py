"""Where a victim's messages go (their email address and phone number: portal codes, updates,
surveys) changes only inside the crime's area, and every change is kept, masked, with a notice
to the OLD address or number through the notify outbox, and shown on the victim's page
(issue 14: `POST /api/victims/V/needs` with an attacker's address once moved them silently)."""

import pytest
from django.core.exceptions import PermissionDenied

from bluelamp.accounts.roles import Role
from bluelamp.accounts.services import issue_api_token
from bluelamp.core.history import history_of
from bluelamp.notify.models import Message
from bluelamp.victims import services
from bluelamp.victims.models import ContactDetailsChange, VictimRecord

from ..conftest import sign_in
from .helpers import crime_with_victims, person

OLD = "grace.moss@example.org"
ATTACKER = "someone.else@attacker.example"


@pytest.fixture
def west_officer(make_user):
    return make_user(Role.INVESTIGATOR, "west-cid")


@pytest.fixture
def victim(units, west_officer):
    event = crime_with_victims(west_officer, units["west-cid"], person(west_officer))
    record = VictimRecord.objects.get(crime=event)
    services.record_needs_assessment(
        actor=west_officer, victim=record, channel="email", email=OLD, phone="07700 900461"
    )
    record.refresh_from_db()
    return record


def test_an_officer_from_another_district_cannot_move_the_victims_messages(
    client, make_user, victim
):
    east = make_user(Role.RESPONSE_OFFICER, "east-response")
    changes, messages = ContactDetailsChange.objects.count(), Message.objects.count()
    with pytest.raises(PermissionDenied):
        services.record_needs_assessment(actor=east, victim=victim, channel="email", email=ATTACKER)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=east, name='t')}"}
    refused = client.post(
        f"/api/victims/{victim.pk}/needs",
        {"channel": "email", "email": ATTACKER},
        content_type="application/json",
        **auth,
    )
    assert refused.status_code == 403
    sign_in(client, east)
    page = client.post(
        f"/victims/{victim.pk}/needs/",
        {"channel": "email", "email": ATTACKER, "referral_consent": "not_asked"},
    )
    assert page.status_code == 403
    victim.refresh_from_db()
    assert victim.email == OLD
    assert ContactDetailsChange.objects.count() == changes
    assert Message.objects.count() == messages


def test_a_change_is_kept_masked_and_the_victim_is_told_at_the_old_address(
    client, west_officer, victim
):
    services.record_needs_assessment(
        actor=west_officer, victim=victim, channel="email", email=ATTACKER, phone="07700 900461"
    )
    change = ContactDetailsChange.objects.get(victim=victim, field="email", old_masked__gt="")
    assert (change.old_masked, change.new_masked) == ("g***@e***.org", "s***@a***.example")
    assert change.by == west_officer
    notice = change.notice
    assert notice.to == OLD  # the old address, not the new one
    assert notice.template == "victim-contact-changed"
    assert notice.personalisation["new"] == "s***@a***.example"
    assert notice.personalisation["crime_reference"] == victim.crime.reference
    summaries = [h.summary for h in history_of(victim, actor=west_officer)]
    assert any(
        "Email address changed from g***@e***.org to s***@a***.example" in s
        and "told at the old one" in s
        for s in summaries
    )
    sign_in(client, west_officer)
    html = client.get(f"/victims/{victim.pk}/").content.decode()
    assert "g***@e***.org &rarr; s***@a***.example" in html
    assert "The victim was told at the old one (email)" in html
    assert ATTACKER not in html.split('id="contact-changes"')[1].split("</section>")[0]


def test_a_new_phone_number_is_texted_to_the_old_one(west_officer, victim):
    services.record_needs_assessment(
        actor=west_officer, victim=victim, channel="sms", email=OLD, phone="07700 900999"
    )
    change = ContactDetailsChange.objects.get(victim=victim, field="phone", old_masked__gt="")
    assert (change.old_masked, change.new_masked) == ("07*******61", "07*******99")
    assert change.notice.to == "+447700900461"
    assert change.notice.template == "victim-contact-changed-sms"
    # Nothing about the email: it did not change.
    assert not ContactDetailsChange.objects.filter(
        victim=victim, field="email", old_masked__gt=""
    ).exists()


def test_no_notice_where_the_plan_said_not_to_write_but_the_change_is_kept(
    client, west_officer, victim
):
    services.record_needs_assessment(
        actor=west_officer, victim=victim, channel="email", email=OLD, safe_to_write=False
    )
    before = Message.objects.count()
    services.record_needs_assessment(
        actor=west_officer, victim=victim, channel="email", email=ATTACKER, safe_to_write=False
    )
    change = ContactDetailsChange.objects.filter(victim=victim, field="email").first()
    assert change.new_masked == "s***@a***.example"
    assert change.notice is None
    assert change.not_told_reason == "the victim's plan said not to write to them"
    assert Message.objects.count() == before
    sign_in(client, west_officer)
    html = client.get(f"/victims/{victim.pk}/").content.decode()
    assert "Not told: the victim&#x27;s plan said not to write to them." in html


def test_the_first_address_is_recorded_with_nobody_to_tell(client, west_officer, victim):
    first = ContactDetailsChange.objects.filter(victim=victim, field="email").last()
    assert (first.old_masked, first.new_masked) == ("", "g***@e***.org")
    assert first.notice is None
    assert first.not_told_reason == "there was no earlier email address"
    sign_in(client, west_officer)
    html = client.get(f"/victims/{victim.pk}/").content.decode()
    assert "(none) &rarr; g***@e***.org. First recorded." in html
    assert "Not told" not in html


def test_a_victim_changing_their_own_email_in_the_portal_is_told_at_the_old_one(victim):
    from bluelamp.victims.portal import access
    from bluelamp.victims.portal import services as portal

    portal.change_preferences(
        actor=access.actor_for(victim), victim=victim, channel="email", email=ATTACKER
    )
    change = ContactDetailsChange.objects.filter(victim=victim, field="email").latest("id")
    assert change.by_name == "the victim (portal)"
    assert change.notice is not None
    assert change.notice.to == OLD
