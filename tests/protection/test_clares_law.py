"""Clare's Law (domain.md 7, domain-addendum.md 1.3): both routes; the decision a duty due 28 days
after the application; the panel may decide to disclose only when disclosure is necessary and
proportionate; the disclosure records who, when and what was said, audited as a disclosure.
Restricted by default; bad input named on the pages and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from bluelamp.accounts.roles import Role
from bluelamp.accounts.services import issue_api_token
from bluelamp.audit.models import AuditEvent
from bluelamp.core import persons
from bluelamp.duties.models import Duty, Outcome
from bluelamp.protection import disclosure
from bluelamp.protection.models import ApplicationState

from ..conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(units, make_user):
    officer = make_user(Role.RESPONSE_OFFICER)
    her = persons.create_person(actor=officer, family_name="Reed", given_names="Ana")
    him = persons.create_person(actor=officer, family_name="Cole", given_names="Ray")
    mother = persons.create_person(actor=officer, family_name="Reed", given_names="Bea")
    received = timezone.now() - dt.timedelta(days=2)
    application = disclosure.receive_application(
        actor=officer,
        route="right_to_ask",
        person_at_risk=her,
        subject=him,
        owning_unit=units["west-response"],
        reason="New partner; friend heard he hurt his last partner",
        applicant=mother,
        applicant_relationship="Mother",
        received_at=received,
    )
    return {"officer": officer, "hub": make_user(Role.SAFEGUARDING), "app": application}


def test_the_decision_is_due_28_days_after_the_application(world):
    app = world["app"]
    duty = Duty.objects.get(policy="dvds-decision", subject_id=app.pk)
    assert duty.due_at == app.received_at + dt.timedelta(days=28) == app.decision_due_at
    assert duty.owner == world["officer"]


def test_disclosure_needs_checks_then_necessity_and_proportionality(world):
    app, hub, officer = world["app"], world["hub"], world["officer"]
    with pytest.raises(ValidationError) as error:
        disclosure.record_decision(
            actor=hub, application=app, necessary=True, proportionate=True, rationale="x", panel="x"
        )
    assert "rationale" in error.value.message_dict  # no checks yet
    disclosure.record_check(actor=hub, application=app, source="pnc", finding="Two convictions")
    with pytest.raises(PermissionDenied):
        disclosure.record_decision(
            actor=officer,
            application=app,
            necessary=True,
            proportionate=True,
            rationale="x",
            panel="x",
        )
    decision = disclosure.record_decision(
        actor=hub,
        application=app,
        necessary=True,
        proportionate=False,
        rationale="Convictions spent; other safeguarding in place",
        panel="DS Hale (police), J Moss (IDVA)",
    )
    assert decision.disclose is False  # not proportionate: no disclosure
    assert Duty.objects.get(policy="dvds-decision").outcome == Outcome.DONE
    app.refresh_from_db()
    assert app.state == ApplicationState.DECIDED
    with pytest.raises(ValidationError) as error:
        disclosure.record_disclosure(actor=officer, application=app, what_was_said="x")
    assert "what_was_said" in error.value.message_dict


def test_a_disclosure_records_who_when_and_what_was_said(world):
    app, hub, officer = world["app"], world["hub"], world["officer"]
    disclosure.record_check(actor=hub, application=app, source="local_records", finding="DA x3")
    disclosure.record_decision(
        actor=hub,
        application=app,
        necessary=True,
        proportionate=True,
        rationale="Pattern of abuse against partners; she is at risk",
        panel="DS Hale, IDVA",
    )
    made = disclosure.record_disclosure(
        actor=officer,
        application=app,
        what_was_said="He has been violent to two previous partners.",
        safety_plan="IDVA referral; panic alarm",
    )
    assert made.disclosed_to == app.person_at_risk
    assert made.disclosed_by_name == officer.display_name
    app.refresh_from_db()
    assert app.state == ApplicationState.DISCLOSED
    audited = AuditEvent.objects.filter(action="disclose", record_type="person")
    assert audited.filter(record_id=str(app.subject_id)).exists()


def test_right_to_ask_needs_the_applicant(world, units):
    officer = world["officer"]
    with pytest.raises(ValidationError) as error:
        disclosure.receive_application(
            actor=officer,
            route="right_to_ask",
            person_at_risk=world["app"].person_at_risk,
            subject=world["app"].subject,
            owning_unit=units["west-response"],
            reason="x",
        )
    assert "applicant" in error.value.message_dict
    known = disclosure.receive_application(
        actor=officer,
        route="right_to_know",
        person_at_risk=world["app"].person_at_risk,
        subject=world["app"].subject,
        owning_unit=units["west-response"],
        reason="Found at a DA incident",
    )
    assert known.route == "right_to_know"


def _api(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=user, name='t')}"}


def test_pages_and_api_name_the_field_and_hide_the_application(world, make_user):
    app, hub = world["app"], world["hub"]
    client = Client()
    sign_in(client, hub)
    page = client.post(f"/clares-law/{app.pk}/check/", {"source": "pnc", "finding": ""})
    assert page.status_code == 400
    assert "Finding" in page.content.decode()
    page = client.post(f"/clares-law/{app.pk}/decision/", {"rationale": "x", "panel": "x"})
    assert page.status_code == 400  # no checks yet
    assert "Record the checks" in page.content.decode()
    headers = _api(hub)
    for path, body, field in [
        ("checks", {"source": "gossip", "finding": "x"}, "source"),
        ("checks", {"source": "pnc", "finding": ""}, "finding"),
        (
            "decision",
            {"necessary": True, "proportionate": True, "rationale": "", "panel": "x"},
            "rationale",
        ),
        ("disclosure", {"what_was_said": "x"}, "what_was_said"),
    ]:
        answer = client.post(
            f"/api/clares-law/{app.pk}/{path}", body, content_type="application/json", **headers
        )
        assert answer.status_code == 422, (path, answer.content)
        assert field in str(answer.json()["detail"])
    answer = client.post(
        "/api/clares-law",
        {"route": "ask", "person_at_risk_id": 1, "subject_id": 2, "reason": "x"},
        content_type="application/json",
        **headers,
    )
    assert answer.status_code == 422
    assert "route" in str(answer.json()["detail"])
    stranger = make_user(Role.SUPERVISOR)
    other = Client()
    sign_in(other, stranger)
    assert other.get(f"/clares-law/{app.pk}/").status_code == 404
    assert app.reference not in other.get("/clares-law/").content.decode()
    assert other.get(f"/api/clares-law/{app.pk}", **_api(stranger)).status_code == 404
    assert other.get("/api/clares-law", **_api(stranger)).json() == []
