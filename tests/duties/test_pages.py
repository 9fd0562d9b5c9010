"""Duty pages and API: what a call handler, a sergeant and a leader see."""

import datetime as dt

import time_machine

from bluelamp.accounts.roles import Role
from bluelamp.accounts.services import issue_api_token
from bluelamp.crime import incidents

from ..conftest import sign_in


def test_the_team_sees_its_overdue_recording_decisions(client, units, make_user):
    handler = make_user(Role.CALL_HANDLER)
    sergeant = make_user(Role.SUPERVISOR, unit="west-response")
    late = incidents.report_incident(
        actor=handler,
        summary="Bike stolen",
        owning_unit=units["west-response"],
        may_be_crime=True,
        reported_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=30),
    )
    fresh = incidents.report_incident(
        actor=handler, summary="Phone stolen", owning_unit=units["west-response"], may_be_crime=True
    )
    sign_in(client, sergeant)
    home = client.get("/").content.decode()
    assert "Overdue in West Response" in home  # the sergeant's own team (issue 16)
    assert late.reference in home
    overdue = client.get("/duties/overdue/").content.decode()
    assert late.reference in overdue
    assert fresh.reference not in overdue
    queue = client.get("/duties/queue/crime-recording/").content.decode()
    assert late.reference in queue
    assert fresh.reference in queue
    figures = client.get("/duties/compliance/?by=policy").content.decode()
    assert "Make the crime-recording decision" in figures
    assert client.get("/duties/compliance/?by=colour").status_code == 400


def test_officers_see_only_their_own_duties(client, units, make_user):
    officer = make_user(Role.RESPONSE_OFFICER)
    sign_in(client, officer)
    assert client.get("/duties/").status_code == 200
    assert client.get("/duties/team/").status_code == 403


def test_the_api_records_a_decision_and_reports_compliance(client, units, make_user):
    handler = make_user(Role.RESPONSE_OFFICER, unit="west-response")
    token = issue_api_token(user=handler, name="test")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    with time_machine.travel(dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC), tick=False):
        created = client.post(
            "/api/incidents",
            {
                "summary": "Window smashed",
                "owning_unit_id": units["west-response"].pk,
                "may_be_crime": True,
            },
            content_type="application/json",
            **headers,
        )
        assert created.status_code == 201
        incident = created.json()["id"]
        mine = client.get("/api/duties", {"scope": "mine"}, **headers).json()
        assert [d["subject_id"] for d in mine] == [incident]
        bad = client.post(
            f"/api/incidents/{incident}/decision",
            {"decision": "perhaps", "reason": "unsure"},
            content_type="application/json",
            **headers,
        )
        assert bad.status_code == 422
        assert bad.json()["detail"][0]["loc"] == ["body", "decision"]
        done = client.post(
            f"/api/incidents/{incident}/decision",
            {
                "decision": "crimed",
                "offence_code": "58A",
                "reason": "Victim's account",
                "crime_summary": "Criminal damage",
            },
            content_type="application/json",
            **headers,
        )
        assert done.status_code == 201
        assert done.json()["crime_id"] is not None
        assert client.get("/api/duties", {"scope": "mine"}, **headers).json() == []


def test_queue_names_are_checked_before_they_reach_the_database(client, units, make_user):
    sergeant = make_user(Role.SUPERVISOR, unit="west-response")
    token = issue_api_token(user=sergeant, name="test")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    refused = client.get("/api/duties", {"scope": "queue", "queue": "a\x00b"}, **headers)
    assert refused.status_code == 422
    nameless = client.get("/api/duties", {"scope": "queue"}, **headers)
    assert nameless.status_code == 422
    assert nameless.json()["detail"][0]["loc"] == ["query", "queue"]
