"""The victim's page (needs, entitlement, contact), the supervisors' page, the survey link page
and the API: bad input names the field and keeps what was typed, wrong roles get 403,
restricted crimes 404, and every read of personal data is audited."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from bluelamp.accounts.roles import Role
from bluelamp.accounts.services import issue_api_token
from bluelamp.audit.models import AuditEvent
from bluelamp.core import restriction
from bluelamp.duties.models import Outcome
from bluelamp.duties.services import duties_for
from bluelamp.victims.models import Contact, Survey, VictimRecord

from ..conftest import sign_in
from .helpers import crime_event, crime_with_victims, person


@pytest.fixture
def officer(make_user):
    return make_user(Role.INVESTIGATOR)


@pytest.fixture
def victim(units, officer):
    event = crime_with_victims(officer, units["west-cid"], person(officer), offence_code="49")
    return VictimRecord.objects.get(crime=event)


def test_the_victim_page_shows_entitlement_and_duties_and_is_audited(client, officer, victim):
    sign_in(client, officer)
    before = AuditEvent.objects.count()
    page = client.get(f"/victims/{victim.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Refer the victim to victim support services" in html
    assert "Standard" in html
    assert AuditEvent.objects.count() > before
    assert AuditEvent.objects.filter(
        actor_id=officer.pk, action="view", record_id=str(victim.person_id)
    ).exists()
    # The crime's page links to the victim.
    assert f"/victims/{victim.pk}/" in client.get(f"/events/{victim.crime_id}/").content.decode()


def test_needs_form_errors_name_the_field_and_keep_what_was_typed(client, officer, victim):
    sign_in(client, officer)
    client.post(
        f"/victims/{victim.pk}/needs/",
        {"channel": "phone", "phone": "07700 900123", "referral_consent": "not_asked"},
    )
    victim.refresh_from_db()
    assert victim.phone == "07700900123"  # stored in national form
    bad = client.post(
        f"/victims/{victim.pk}/needs/",
        {
            "channel": "email",
            "email": "",
            "times_to_avoid": "School run 3-4pm",
            "referral_consent": "given",
        },
    )
    assert bad.status_code == 400
    html = bad.content.decode()
    assert 'href="#id_email"' in html
    assert "School run 3-4pm" in html
    victim.refresh_from_db()
    assert victim.channel == "phone"  # what was saved is untouched
    assert victim.times_to_avoid == ""


def test_needs_form_saves_and_enhances(client, officer, victim):
    sign_in(client, officer)
    done = client.post(
        f"/victims/{victim.pk}/needs/",
        {
            "channel": "email",
            "email": "ada@example.org",
            "update_every_days": "7",
            "needs": ["physical_disability"],
            "safe_to_write": "on",
            "referral_consent": "given",
        },
    )
    assert done.status_code == 302
    victim.refresh_from_db()
    assert victim.enhanced_reasons == ["vulnerable"]
    assert victim.update_every_days == 7


def test_contact_form_discharges_the_ticked_duty(client, officer, victim):
    crime_event(officer, victim.crime, "crime.suspect_arrested", person=1)
    sign_in(client, officer)
    bad = client.post(f"/victims/{victim.pk}/contact/", {"channel": "phone", "summary": ""})
    assert bad.status_code == 400
    assert 'href="#id_summary"' in bad.content.decode()
    done = client.post(
        f"/victims/{victim.pk}/contact/",
        {"channel": "phone", "summary": "Told of the arrest", "discharges": ["victim-arrest"]},
    )
    assert done.status_code == 302
    assert duties_for(victim).get(policy="victim-arrest").outcome == Outcome.DONE


def test_entitlement_form_needs_a_reason(client, officer, victim):
    sign_in(client, officer)
    bad = client.post(
        f"/victims/{victim.pk}/entitlement/", {"reasons": ["vulnerable"], "rationale": ""}
    )
    assert bad.status_code == 400
    assert 'href="#id_rationale"' in bad.content.decode()
    victim.refresh_from_db()
    assert victim.enhanced_reasons == []


def test_wrong_roles_get_403_and_restricted_crimes_404(client, units, officer, victim, make_user):
    manager = make_user(Role.OFFENDER_MANAGER)
    sign_in(client, manager)
    refused = client.post(
        f"/victims/{victim.pk}/contact/", {"channel": "phone", "summary": "Hello"}
    )
    assert refused.status_code == 403
    assert not Contact.objects.exists()
    assert client.get("/victims/").status_code == 403
    client.logout()

    sergeant = make_user(Role.SUPERVISOR, unit="west-cid")
    restriction.restrict_record(
        actor=sergeant, record=victim.crime, reason="Staff member is suspect"
    )
    sign_in(client, officer)
    assert client.get(f"/victims/{victim.pk}/").status_code == 404
    token = issue_api_token(user=officer, name="t")
    api = client.get(f"/api/victims/{victim.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.status_code == 404


def test_the_supervisors_page(client, units, officer, victim, make_user):
    serious = crime_with_victims(officer, units["west-cid"], person(officer), offence_code="19C")
    sergeant = make_user(Role.SUPERVISOR, unit="west-cid")
    sign_in(client, sergeant)
    page = client.get("/victims/?by=district")
    assert page.status_code == 200
    html = page.content.decode()
    assert VictimRecord.objects.get(crime=serious).reference in html  # enhanced list
    assert "By district" in html
    assert AuditEvent.objects.filter(actor_id=sergeant.pk, record_type="victim").exists()


def make_survey(victim, **kw):
    return Survey.objects.create(
        victim=victim,
        token="secret-token-1234567890",
        sent_at=timezone.now(),
        expires_at=kw.pop("expires_at", timezone.now() + dt.timedelta(days=30)),
        team=victim.crime.owning_unit,
        district=victim.crime.owning_unit.district(),
        **kw,
    )


def test_the_survey_page_works_without_sign_in(victim):
    make_survey(victim)
    anonymous = Client()
    page = anonymous.get("/survey/secret-token-1234567890/")
    assert page.status_code == 200
    assert "kept informed" in page.content.decode()
    bad = anonymous.post(
        "/survey/secret-token-1234567890/", {"ease_of_contact": "2", "actions_taken": "9"}
    )
    assert bad.status_code == 400
    html = bad.content.decode()
    assert 'href="#actions_taken-1"' in html
    assert 'id="ease_of_contact-2" name="ease_of_contact" value="2" checked' in html
    answers = {
        "ease_of_contact": "1",
        "actions_taken": "2",
        "kept_informed": "5",
        "treatment": "1",
        "whole_experience": "3",
        "comments": "Kind officer",
    }
    done = anonymous.post("/survey/secret-token-1234567890/", answers)
    assert done.status_code == 200
    assert "Thank you" in done.content.decode()
    survey = Survey.objects.get()
    assert (survey.kept_informed, survey.whole_experience) == (5, 3)
    assert survey.comments == "Kind officer"
    again = anonymous.post("/survey/secret-token-1234567890/", {**answers, "treatment": "7"})
    assert "Thank you" in again.content.decode()
    survey.refresh_from_db()
    assert survey.treatment == 1  # answered once
    assert AuditEvent.objects.filter(record_type="victim_survey").count() == 1


def test_unknown_or_expired_survey_links_are_404(victim):
    make_survey(victim, expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert Client().get("/survey/secret-token-1234567890/").status_code == 404
    assert Client().get("/survey/nope/").status_code == 404


def test_api_view_contact_and_errors(client, officer, victim, make_user):
    crime_event(officer, victim.crime, "crime.suspect_arrested", person=1)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=officer, name='t')}"}
    got = client.get(f"/api/victims/{victim.pk}", **auth)
    assert got.status_code == 200
    assert {d["policy"] for d in got.json()["open_duties"]} == {"victim-referral", "victim-arrest"}
    bad = client.post(
        f"/api/victims/{victim.pk}/contacts",
        {"channel": "phone", "summary": "x", "discharges": ["victim-charge"]},
        content_type="application/json",
        **auth,
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "discharges"]
    made = client.post(
        f"/api/victims/{victim.pk}/contacts",
        {"channel": "phone", "summary": "Told of arrest", "discharges": ["victim-arrest"]},
        content_type="application/json",
        **auth,
    )
    assert made.status_code == 201
    assert made.json()["discharges"] == ["victim-arrest"]
    needs = client.post(
        f"/api/victims/{victim.pk}/needs",
        {"channel": "email", "email": "not-an-address"},
        content_type="application/json",
        **auth,
    )
    assert needs.status_code == 422
    assert needs.json()["detail"][0]["loc"] == ["body", "email"]
    analyst = {
        "HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=make_user(Role.ANALYST), name='a')}"
    }
    refused = client.post(
        f"/api/victims/{victim.pk}/contacts",
        {"channel": "phone", "summary": "x"},
        content_type="application/json",
        **analyst,
    )
    assert refused.status_code == 403
    figures = client.get("/api/victims/satisfaction?by=officer", **analyst)
    assert figures.status_code == 200
    assert client.get("/api/victims/satisfaction?by=shoe", **analyst).status_code == 422


def test_supervisors_home_shows_victims_owed_an_update(client, units, officer, make_user):
    import time_machine

    start = dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        victim = VictimRecord.objects.get(
            crime=crime_with_victims(officer, units["west-cid"], person(officer))
        )
    sergeant = make_user(Role.SUPERVISOR, unit="west-cid")
    sign_in(client, sergeant)
    html = client.get("/").content.decode()
    assert "Victims owed an update (overdue)" in html
    assert f"/victims/{victim.pk}/" in html
