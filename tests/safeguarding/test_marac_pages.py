"""MARAC pages and API (issue 17): a coordinator schedules a meeting for an area, sees meetings
per area (upcoming and past) and the referral trend, lists a case (once: a second listing is
refused in words), sets an action with an owner and a deadline (a duty due at the end of that
day), and the owner completes it (the duty closes); overdue actions show on the meeting. Bad
input names the field; anyone without the safeguarding role gets a 404 on every MARAC record
and finds none of it in any list."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from bluelamp.accounts.roles import Role
from bluelamp.accounts.services import issue_api_token
from bluelamp.core import restriction
from bluelamp.duties.deadlines import LONDON
from bluelamp.duties.models import Duty
from bluelamp.duties.services import duties_for
from bluelamp.safeguarding import marac
from bluelamp.safeguarding.models import MaracAction, MaracCase, MaracMeeting

from ..conftest import sign_in
from .support import make_hubs, person, referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(units, make_user):
    officer = make_user(Role.RESPONSE_OFFICER)
    mash = make_user(Role.SAFEGUARDING)
    hubs = make_hubs(units)
    victim = person(officer, "Marla", "Quennell", dob_year=1990, dob_month=4, dob_day=4)
    abuser = person(officer, "Jago", "Quennell", dob_year=1988, dob_month=6, dob_day=6)
    made = referral(officer, victim=victim, perpetrator=abuser, yes=16)
    client = Client()
    sign_in(client, mash)
    return {
        "officer": officer,
        "mash": mash,
        "hubs": hubs,
        "victim": victim,
        "abuser": abuser,
        "case": MaracCase.objects.get(referral=made),
        "client": client,
        "auth": {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=mash, name='t')}"},
    }


def _day(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def _end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59, 999999), tzinfo=LONDON)


def test_the_coordinator_schedules_lists_sets_an_action_and_the_owner_completes_it(scene):
    client, case, officer = scene["client"], scene["case"], scene["officer"]
    held_on = _day(3)
    response = client.post(
        "/safeguarding/marac/meetings/new/", {"hub": "west", "held_on": held_on.isoformat()}
    )
    assert response.status_code == 302
    meeting = MaracMeeting.objects.get(hub=scene["hubs"]["west"], held_on=held_on)
    assert response["Location"] == f"/safeguarding/marac/meetings/{meeting.pk}/"
    overview = client.get("/safeguarding/marac/").content.decode()
    assert f"/safeguarding/marac/meetings/{meeting.pk}/" in overview
    assert 'data-testid="upcoming-west"' in overview
    assert 'data-testid="marac-trend"' in overview
    assert "West MASH" in overview

    listing = duties_for(case).get(policy="safeguarding-marac-listing")
    response = client.post(f"/safeguarding/marac/meetings/{meeting.pk}/list/", {"case": case.pk})
    assert response.status_code == 302
    assert Duty.objects.get(pk=listing.pk).outcome == "done"
    page = client.get(f"/safeguarding/marac/meetings/{meeting.pk}/").content.decode()
    assert case.referral.reference in page
    assert "Marla" in page
    assert "Jago" in page

    referral_page = client.get(f"/safeguarding/referrals/{case.referral.pk}/").content.decode()
    assert f"/safeguarding/marac/meetings/{meeting.pk}/" in referral_page
    again = client.post(f"/safeguarding/marac/meetings/{meeting.pk}/list/", {"case": case.pk})
    assert again.status_code == 400
    assert "already listed at the MARAC on" in again.content.decode()

    due = _day(6)
    response = client.post(
        f"/safeguarding/marac/cases/{case.pk}/actions/",
        {
            f"case{case.pk}-text": "Fit a panic alarm",
            f"case{case.pk}-owner": officer.pk,
            f"case{case.pk}-due_on": due.isoformat(),
        },
    )
    assert response.status_code == 302
    action = MaracAction.objects.get(case=case)
    duty = duties_for(action).get()
    assert duty.policy == "safeguarding-marac-action"
    assert duty.owner == officer
    assert duty.outcome == "open"
    assert duty.due_at == _end_of(due)
    assert duty.subject_url == f"/safeguarding/marac/actions/{action.pk}/"

    owner = Client()
    sign_in(owner, officer)
    page = owner.get(f"/safeguarding/marac/actions/{action.pk}/")
    assert page.status_code == 200
    assert "Fit a panic alarm" in page.content.decode()
    assert owner.get(f"/safeguarding/marac/meetings/{meeting.pk}/").status_code == 404
    own_referral = owner.get(f"/safeguarding/referrals/{case.referral.pk}/").content.decode()
    assert f"/safeguarding/marac/meetings/{meeting.pk}/" not in own_referral
    done = owner.post(f"/safeguarding/marac/actions/{action.pk}/complete/")
    assert done.status_code == 302
    assert Duty.objects.get(pk=duty.pk).outcome == "done"
    twice = owner.post(f"/safeguarding/marac/actions/{action.pk}/complete/")
    assert twice.status_code == 400
    assert "already done" in twice.content.decode()


def test_past_meetings_and_overdue_actions_show(scene):
    mash, case = scene["mash"], scene["case"]
    meeting = marac.schedule_meeting(actor=mash, hub=scene["hubs"]["west"], held_on=_day(0))
    marac.list_case(actor=mash, case=case, meeting=meeting)
    late = marac.add_action(
        actor=mash, case=case, text="Share the safety plan", owner=scene["officer"], due_on=_day(1)
    )
    on_time = marac.add_action(
        actor=mash, case=case, text="Visit the school", owner=mash, due_on=_day(10)
    )
    with time_machine.travel(timezone.now() + dt.timedelta(days=3)):
        client = Client()
        sign_in(client, mash)  # three days on: a new session
        page = client.get(f"/safeguarding/marac/meetings/{meeting.pk}/").content.decode()
        overview = client.get("/safeguarding/marac/").content.decode()
        answer = client.get(f"/api/safeguarding/marac/meetings/{meeting.pk}", **scene["auth"])
        assert Duty.objects.get(subject_id=late.pk, policy="safeguarding-marac-action").overdue
    assert page.count('data-testid="overdue-action"') == 1
    assert "1 action overdue" in page
    assert 'data-testid="past-west"' in overview
    overdue = {a["id"]: a["overdue"] for a in answer.json()["listed"][0]["actions"]}
    assert overdue == {late.pk: True, on_time.pk: False}


def test_the_api_does_the_same_work(scene):
    client, auth, case = scene["client"], scene["auth"], scene["case"]

    def post(path, body=None):
        return client.post(
            f"/api/safeguarding/marac{path}", body or {}, content_type="application/json", **auth
        )

    unlisted = post(
        f"/cases/{case.pk}/actions",
        {"text": "Too soon", "owner_id": scene["officer"].pk, "due_on": _day(4).isoformat()},
    )
    assert unlisted.status_code == 422
    assert "List the case at a meeting" in unlisted.content.decode()
    made = post("/meetings", {"hub": "west", "held_on": _day(2).isoformat()})
    assert made.status_code == 201, made.content
    meeting_id = made.json()["id"]
    listed = post(f"/meetings/{meeting_id}/cases", {"case_id": case.pk})
    assert listed.status_code == 200
    assert [c["id"] for c in listed.json()["listed"]] == [case.pk]
    assert listed.json()["listed"][0]["victim_id"] == scene["victim"].pk
    again = post(f"/meetings/{meeting_id}/cases", {"case_id": case.pk})
    assert again.status_code == 422
    assert "already listed" in again.content.decode()
    owners = client.get("/api/safeguarding/marac/owners", **auth).json()
    assert scene["officer"].pk in {o["id"] for o in owners}
    action = post(
        f"/cases/{case.pk}/actions",
        {"text": "Refuge place", "owner_id": scene["officer"].pk, "due_on": _day(4).isoformat()},
    )
    assert action.status_code == 201, action.content
    duty = Duty.objects.get(policy="safeguarding-marac-action", subject_id=action.json()["id"])
    assert duty.due_at == _end_of(_day(4))
    done = post(f"/actions/{action.json()['id']}/complete")
    assert done.status_code == 200
    assert done.json()["done_at"]
    assert Duty.objects.get(pk=duty.pk).outcome == "done"
    meetings = client.get("/api/safeguarding/marac/meetings?hub=west", **auth).json()
    assert [(m["id"], m["cases"], m["upcoming"]) for m in meetings] == [(meeting_id, 1, True)]
    assert client.get("/api/safeguarding/marac/meetings?hub=east", **auth).json() == []
    trend = client.get("/api/safeguarding/marac/trend", **auth).json()
    assert [(row["area"], row["n"]) for row in trend] == [("West MASH", 1)]
    cases = client.get("/api/safeguarding/marac/cases?hub=west", **auth).json()
    assert [(c["id"], c["meeting_id"]) for c in cases] == [(case.pk, meeting_id)]


def test_bad_input_names_the_field_on_the_pages(scene, make_user):
    client, case, mash = scene["client"], scene["case"], scene["mash"]
    blank = client.post("/safeguarding/marac/meetings/new/", {"hub": "west", "held_on": ""})
    assert blank.status_code == 400
    assert 'href="#id_held_on"' in blank.content.decode()
    meeting = marac.schedule_meeting(actor=mash, hub=scene["hubs"]["west"], held_on=_day(5))
    same = client.post(
        "/safeguarding/marac/meetings/new/", {"hub": "west", "held_on": _day(5).isoformat()}
    )
    assert same.status_code == 400
    assert "already has a MARAC on" in same.content.decode()
    assert MaracMeeting.objects.count() == 1
    nowhere = client.post("/safeguarding/marac/meetings/new/", {"hub": "nowhere", "held_on": ""})
    assert 'href="#id_hub"' in nowhere.content.decode()
    missing = client.post(f"/safeguarding/marac/meetings/{meeting.pk}/list/", {"case": 987654})
    assert missing.status_code == 400
    assert "no such MARAC case" in missing.content.decode()
    marac.list_case(actor=mash, case=case, meeting=meeting)
    auditor = make_user(Role.AUDITOR)
    prefix = f"case{case.pk}"
    for data, words in (
        ({"text": "x", "owner": scene["officer"].pk, "due_on": _day(-1)}, "cannot be in the past"),
        ({"text": "x", "owner": auditor.pk, "due_on": _day(2)}, f'href="#id_{prefix}-owner"'),
        ({"text": "", "owner": mash.pk, "due_on": _day(2)}, f'href="#id_{prefix}-text"'),
    ):
        response = client.post(
            f"/safeguarding/marac/cases/{case.pk}/actions/",
            {f"{prefix}-{k}": str(v) for k, v in data.items()},
        )
        assert response.status_code == 400, data
        assert words in response.content.decode(), data
    assert not MaracAction.objects.exists()


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/meetings", {"hub": "west", "held_on": "next tuesday"}, "held_on"),
        ("/meetings", {"hub": "nowhere", "held_on": "2030-01-01"}, "hub"),
        ("/meetings", {"held_on": "2030-01-01"}, "hub"),
        ("/meetings/{meeting}/cases", {"case_id": 987654}, "case_id"),
        ("/meetings/{meeting}/cases", {"case_id": "one"}, "case_id"),
        ("/cases/{case}/actions", {"text": "x", "owner_id": 987654, "due_on": "+2"}, "owner_id"),
        ("/cases/{case}/actions", {"text": "", "owner_id": "{owner}", "due_on": "+2"}, "text"),
        ("/cases/{case}/actions", {"text": "x", "owner_id": "{owner}", "due_on": "-2"}, "due_on"),
        ("/cases/{case}/actions", {"text": "x", "owner_id": "{owner}"}, "due_on"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(scene, path, body, field):
    meeting = marac.schedule_meeting(
        actor=scene["mash"], hub=scene["hubs"]["west"], held_on=_day(1)
    )
    if path.startswith("/cases"):
        marac.list_case(actor=scene["mash"], case=scene["case"], meeting=meeting)
    path = path.format(meeting=meeting.pk, case=scene["case"].pk)
    body = dict(body)
    if body.get("owner_id") == "{owner}":
        body["owner_id"] = scene["officer"].pk
    if isinstance(body.get("due_on"), str) and body["due_on"][0] in "+-":
        body["due_on"] = _day(int(body["due_on"])).isoformat()
    response = scene["client"].post(
        f"/api/safeguarding/marac{path}", body, content_type="application/json", **scene["auth"]
    )
    assert response.status_code == 422, response.content
    assert field in {str(d["loc"][-1]) for d in response.json()["detail"]}
    assert not MaracAction.objects.exists()
    assert MaracMeeting.objects.count() == 1


OUTSIDERS = [r for r in Role if r != Role.SAFEGUARDING]


@pytest.mark.parametrize("role", OUTSIDERS, ids=lambda r: r.value)
def test_without_the_safeguarding_role_marac_is_a_404_and_in_no_list(scene, make_user, role):
    mash, case = scene["mash"], scene["case"]
    meeting = marac.schedule_meeting(actor=mash, hub=scene["hubs"]["west"], held_on=_day(2))
    marac.list_case(actor=mash, case=case, meeting=meeting)
    action = marac.add_action(actor=mash, case=case, text="Alarm", owner=mash, due_on=_day(3))
    outsider = make_user(role)
    client = Client()
    sign_in(client, outsider, purpose="Checking what a role can see")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=outsider, name='t')}"}
    # The lists first: the refused attempts below are audited with the paths asked for, which an
    # auditor's home page then shows as their own.
    for url in (
        "/safeguarding/marac/",
        "/",
        "/duties/",
        "/api/safeguarding/marac/cases",
        "/api/safeguarding/marac/meetings",
        "/api/safeguarding/marac/trend",
        "/api/duties?scope=team",
        "/api/duties/compliance?by=policy",
    ):
        body = client.get(url, **auth).content.decode(errors="replace")
        assert case.referral.reference not in body, url
        assert "Quennell" not in body, url
        assert "safeguarding-marac-action" not in body, url
        assert f"/safeguarding/marac/meetings/{meeting.pk}/" not in body, url
    for url in (
        f"/safeguarding/marac/meetings/{meeting.pk}/",
        f"/safeguarding/marac/actions/{action.pk}/",
        f"/api/safeguarding/marac/meetings/{meeting.pk}",
        f"/api/safeguarding/marac/actions/{action.pk}",
    ):
        assert client.get(url, **auth).status_code == 404, url
    for url, body in (
        (f"/api/safeguarding/marac/meetings/{meeting.pk}/cases", {"case_id": case.pk}),
        (
            f"/api/safeguarding/marac/cases/{case.pk}/actions",
            {"text": "x", "owner_id": 1, "due_on": "2030-01-01"},
        ),
        (f"/api/safeguarding/marac/actions/{action.pk}/complete", {}),
    ):
        response = client.post(url, body, content_type="application/json", **auth)
        assert response.status_code == 404, url
    for url in (
        f"/safeguarding/marac/meetings/{meeting.pk}/list/",
        f"/safeguarding/marac/cases/{case.pk}/actions/",
        f"/safeguarding/marac/actions/{action.pk}/complete/",
    ):
        assert client.post(url, {}).status_code == 404, url
    assert MaracAction.objects.get(pk=action.pk).done_at is None


def test_a_restricted_perpetrator_is_not_named_on_the_meeting(scene, make_user):
    mash, case = scene["mash"], scene["case"]
    keeper = make_user(Role.SUPERVISOR)
    restriction.restrict_record(actor=keeper, record=scene["abuser"], reason="Member of staff")
    meeting = marac.schedule_meeting(actor=mash, hub=scene["hubs"]["west"], held_on=_day(2))
    marac.list_case(actor=mash, case=case, meeting=meeting)
    page = scene["client"].get(f"/safeguarding/marac/meetings/{meeting.pk}/").content.decode()
    assert "Marla" in page
    assert "Jago" not in page
    answer = scene["client"].get(f"/api/safeguarding/marac/meetings/{meeting.pk}", **scene["auth"])
    assert answer.json()["listed"][0]["perpetrator_id"] is None
