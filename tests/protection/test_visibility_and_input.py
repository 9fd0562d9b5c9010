"""Encompass notices are restricted by default: the safeguarding role and the officer who made
the referral see them; anyone else gets a 404 and finds them in no list, count, duty queue or
audit page. And bad input on the page and the API is refused naming the field."""

from __future__ import annotations

import pytest
from django.test import Client

from bluelamp.accounts.roles import Role
from bluelamp.accounts.services import issue_api_token
from bluelamp.audit.models import AuditEvent
from bluelamp.audit.scope import readable
from bluelamp.duties import queries
from bluelamp.duties.models import Duty
from bluelamp.protection.models import EncompassNotice

from ..conftest import sign_in
from .world import child, london, referral_event, submit_referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(units, make_user):
    officer = make_user(Role.RESPONSE_OFFICER)
    kid = child(officer, "Amy")
    event = referral_event(officer, units["west-response"])
    submit_referral(
        officer, event, children=[kid], schools={kid: "LAN-P-001"}, at=london(2026, 11, 10, 21)
    )
    return EncompassNotice.objects.get(child=kid)


def _api(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=user, name='t')}"}


@pytest.mark.parametrize(
    "role", [r for r in Role if r not in (Role.SAFEGUARDING,)], ids=lambda r: r.value
)
def test_without_the_role_a_notice_does_not_exist(notice, make_user, role):
    user = make_user(role)
    client = Client()
    sign_in(client, user, purpose="Checking what a role can see")
    assert client.get(f"/encompass/{notice.pk}/").status_code in (403, 404)
    listing = client.get("/encompass/")
    assert notice.reference not in listing.content.decode()
    assert client.get(f"/api/encompass/{notice.pk}", **_api(user)).status_code in (403, 404)
    answer = client.get("/api/encompass", **_api(user))
    assert answer.status_code in (200, 403)
    if answer.status_code == 200:
        assert answer.json() == []
    home = client.get("/")
    assert notice.reference not in home.content.decode()
    about = AuditEvent.objects.filter(record_type="encompass", record_id=str(notice.pk))
    assert about.exists()
    shown = readable(user, about)
    if role == Role.AUDITOR:
        assert {row.shown_label for row in shown} == {"restricted record"}
    else:
        assert not shown.exists()


def test_duty_queues_and_figures_leave_it_out_but_the_holder_keeps_it(notice, make_user):
    leader, quality = make_user(Role.SENIOR_LEADER), make_user(Role.QUALITY_ASSURANCE)
    supervisor = make_user(Role.SUPERVISOR)  # same team as the referring officer
    for user in (leader, quality, supervisor):
        assert not [d for d in queries.team(user) if d.policy.startswith("encompass")]
        assert not [d for d in queries.overdue(user) if d.policy.startswith("encompass")]
        assert not [r for r in queries.compliance(user) if r["key"] == "encompass-notify-school"]
    mine = [d.policy for d in queries.mine(notice.created_by) if d.policy.startswith("encompass")]
    assert mine == ["encompass-notify-school"]
    hub = make_user(Role.SAFEGUARDING)
    assert "encompass-notify-school" in {d.policy for d in queries.team(hub)}
    # The leader's figures count it once it is theirs to see: the scoping, not an empty table.
    assert Duty.objects.filter(policy="encompass-notify-school").count() == 1


def test_the_safeguarding_role_and_the_referring_officer_see_it(notice, make_user):
    for user in (make_user(Role.SAFEGUARDING), notice.created_by):
        client = Client()
        sign_in(client, user)
        page = client.get(f"/encompass/{notice.pk}/")
        assert page.status_code == 200
        assert "Fishergate Primary School" in page.content.decode()
        assert notice.reference in client.get("/encompass/").content.decode()
        assert client.get("/api/encompass", **_api(user)).json()[0]["id"] == notice.pk


def test_bad_input_names_the_field_on_the_page_and_the_api(notice, make_user):
    hub = make_user(Role.SAFEGUARDING)
    client = Client()
    sign_in(client, hub)
    page = client.post(f"/encompass/{notice.pk}/confirm/", {"spoke_to": "", "note": "x" * 1001})
    assert page.status_code == 400
    body = page.content.decode()
    assert "Who you spoke to" in body
    assert "Note" in body
    headers = _api(hub)
    for payload, field in [
        ({"spoke_to": ""}, "spoke_to"),
        ({"spoke_to": "x" * 201}, "spoke_to"),
        ({"spoke_to": "DSL", "at": "2026-11-10T20:00:00"}, "at"),  # no timezone
        ({"spoke_to": "DSL", "at": "2026-11-10T19:00:00Z"}, "at"),  # before the incident
        ({}, "spoke_to"),
    ]:
        answer = client.post(
            f"/api/encompass/{notice.pk}/confirmation",
            payload,
            content_type="application/json",
            **headers,
        )
        assert answer.status_code == 422, (payload, answer.content)
        assert field in str(answer.json()["detail"]), payload
    assert client.get("/api/encompass?status=nonsense", **headers).status_code == 422
    notice.refresh_from_db()
    assert notice.confirmed_at is None  # nothing saved by any of them
