"""missing/ pages and API: a report taken on the page with the person matched on entry, every
form and operation refusing bad input naming the field (nothing saved lost), and a report
invisible to everyone but the safeguarding role and its holders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from bluelamp.accounts.roles import Role
from bluelamp.accounts.services import issue_api_token
from bluelamp.audit.models import AuditEvent
from bluelamp.core import persons
from bluelamp.duties import queries as duty_queries
from bluelamp.missing import services
from bluelamp.missing.models import MissingReport
from bluelamp.people.models import EntryChoice

from ..conftest import sign_in

pytestmark = pytest.mark.django_db


def _api(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=user, name='t')}"}


@pytest.fixture
def world(units, make_user):
    officer = make_user(Role.RESPONSE_OFFICER)
    known = persons.create_person(
        actor=officer,
        family_name="Lost",
        given_names="Jo",
        dob_year=2011,
        dob_month=3,
        dob_day=4,
    )
    rep = services.report_missing(
        actor=officer,
        person=known,
        owning_unit=units["west-response"],
        last_seen_at=timezone.now() - dt.timedelta(hours=2),
        last_seen_where="Park",
        missing_from="home",
        circumstances="Left after an argument",
        risk_grade="high",
        risk_reasons="Self-harm threats",
    )
    client = Client()
    sign_in(client, officer)
    return {"officer": officer, "known": known, "report": rep, "client": client}


def _form(**changes):
    data = {
        "person-given_names": "Jo",
        "person-family_name": "Lost",
        "person-dob_day": "4",
        "person-dob_month": "3",
        "person-dob_year": "2011",
        "person-gender": "unknown",
        "person-ethnicity": "NS",
        "last_seen_at": (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "last_seen_where": "School gates",
        "missing_from": "care",
        "circumstances": "Did not return to the children's home",
        "risk_grade": "medium",
        "risk_reasons": "Known to associate with older men",
    }
    data.update(changes)
    return data


def test_the_page_offers_the_known_person_before_making_a_new_one(world, units):
    client, known = world["client"], world["known"]
    data = _form(owning_unit=units["west-response"].pk)
    first = client.post("/missing/new/", data)
    assert first.status_code == 200
    assert f'value="{known.pk}"' in first.content.decode()  # offered, not yet created
    assert MissingReport.objects.count() == 1
    second = client.post("/missing/new/", data | {"person-chosen": str(known.pk)})
    assert second.status_code == 302
    made = MissingReport.objects.exclude(pk=world["report"].pk).get()
    assert made.person == known
    assert made.is_child is True
    assert EntryChoice.objects.filter(chosen=known, context="missing").exists()
    page = client.get(second["Location"])
    assert "Missing from care" in page.content.decode()


@pytest.mark.parametrize(
    ("changes", "label"),
    [
        ({"last_seen_where": ""}, "Last seen where"),
        ({"risk_grade": "extreme"}, "Risk"),
        ({"last_seen_at": "2099-01-01T10:00"}, "Last seen"),
        ({"last_seen_at": "yesterday"}, "Last seen"),
        ({"circumstances": "x" * 4001}, "Circumstances"),
        ({"missing_from": ""}, "Missing from"),
    ],
)
def test_the_new_report_form_names_the_field_and_keeps_what_was_typed(world, units, changes, label):
    data = _form(owning_unit=units["west-response"].pk, **{"person-chosen": "new"}) | changes
    response = world["client"].post("/missing/new/", data)
    assert response.status_code == 400
    body = response.content.decode()
    assert label in body
    assert "Known to associate with older men" in body
    assert MissingReport.objects.count() == 1


@pytest.mark.parametrize(
    ("path", "data", "label"),
    [
        ("review", {"grade": "high", "reasons": ""}, "Reasons"),
        ("sighting", {"seen_at": "", "where": "Shop", "reported_by": "CCTV"}, "Seen at"),
        ("sighting", {"seen_at": "2099-01-01T10:00", "where": "Shop", "reported_by": "x"}, "Seen"),
        ("enquiry", {"description": ""}, "Line of enquiry"),
        ("enquiry-done", {"enquiry_id": "999", "result": "Found"}, "Enquiry"),
        ("return", {"returned_at": "2000-01-01T10:00", "found_where": "Home"}, "Returned"),
        ("return", {"returned_at": "", "found_where": "Home"}, "Returned"),
        ("safe-and-well", {"findings": "Fine"}, "Safe-and-well"),  # not yet returned
        ("interview", {"outcome": "maybe", "provider": "x"}, "Outcome"),
    ],
)
def test_every_form_on_the_report_names_the_field(world, make_user, path, data, label):
    sergeant = make_user(Role.SAFEGUARDING)
    client = Client()
    sign_in(client, sergeant)
    rep = world["report"]
    before = MissingReport.objects.filter(pk=rep.pk).values().get()
    response = client.post(f"/missing/{rep.pk}/{path}/", data)
    assert response.status_code == 400, path
    assert label in response.content.decode()
    assert MissingReport.objects.filter(pk=rep.pk).values().get() == before


API_CASES = [
    ("reviews", {"grade": "extreme", "reasons": "x"}, "grade"),
    ("reviews", {"grade": "high", "reasons": ""}, "reasons"),
    ("sightings", {"seen_at": "2026-11-10T10:00:00", "where": "x", "reported_by": "x"}, "seen_at"),
    ("sightings", {"seen_at": "2099-11-10T10:00:00Z", "where": "x", "reported_by": "x"}, "seen_at"),
    ("enquiries", {"description": "x" * 501}, "description"),
    ("enquiries/done", {"enquiry_id": 999999, "result": "x"}, "enquiry_id"),
    ("return", {"returned_at": "2000-01-01T00:00:00Z", "found_where": "x"}, "returned_at"),
    ("return", {"found_where": "x"}, "returned_at"),
    ("safe-and-well", {"findings": "Fine"}, "findings"),
    ("return-interview", {"outcome": "accepted", "provider": "x"}, "outcome"),
]


@pytest.mark.parametrize(("path", "body", "field"), API_CASES)
def test_every_api_operation_answers_422_naming_the_field(world, make_user, path, body, field):
    hub = make_user(Role.SAFEGUARDING)
    rep = world["report"]
    answer = Client().post(
        f"/api/missing/{rep.pk}/{path}", body, content_type="application/json", **_api(hub)
    )
    assert answer.status_code == 422, answer.content
    assert field in str(answer.json()["detail"])


def test_the_create_operation_names_the_field(world):
    headers = _api(world["officer"])
    good = {
        "person_id": world["known"].pk,
        "last_seen_at": "2026-11-10T10:00:00Z",
        "last_seen_where": "Park",
        "missing_from": "home",
        "circumstances": "x",
        "risk_grade": "low",
        "risk_reasons": "x",
    }
    for change, field in [
        ({"risk_grade": "none"}, "risk_grade"),
        ({"missing_from": "moon"}, "missing_from"),
        ({"last_seen_where": ""}, "last_seen_where"),
        ({"last_seen_at": "2099-01-01T00:00:00Z"}, "last_seen_at"),
        ({"owning_unit_id": 999999}, "owning_unit_id"),
    ]:
        answer = Client().post(
            "/api/missing", good | change, content_type="application/json", **headers
        )
        assert answer.status_code == 422, (change, answer.content)
        assert field in str(answer.json()["detail"])
    answer = Client().post("/api/missing", good, content_type="application/json", **headers)
    assert answer.status_code == 201
    assert answer.json()["risk_grade"] == "low"


@pytest.mark.parametrize("role", [r for r in Role if r != Role.SAFEGUARDING], ids=str)
def test_a_report_is_invisible_without_the_role_or_holding_it(world, make_user, role):
    user = make_user(role)
    rep = world["report"]
    client = Client()
    sign_in(client, user, purpose="Checking what a role can see")
    assert client.get(f"/missing/{rep.pk}/").status_code in (403, 404)
    assert rep.reference not in client.get("/missing/?status=").content.decode()
    assert rep.reference not in client.get("/").content.decode()
    headers = _api(user)
    assert client.get(f"/api/missing/{rep.pk}", **headers).status_code in (403, 404)
    listed = client.get("/api/missing", **headers)
    assert listed.status_code == 403 or listed.json() == []
    if role != Role.AUDITOR:
        assert not [d for d in duty_queries.mine(user) if d.policy.startswith("missing")]
    if role in (Role.SUPERVISOR, Role.QUALITY_ASSURANCE, Role.SENIOR_LEADER, Role.ANALYST):
        assert not [d for d in duty_queries.team(user) if d.policy.startswith("missing")]
    answer = client.post(
        f"/api/missing/{rep.pk}/enquiries",
        {"description": "Phone"},
        content_type="application/json",
        **headers,
    )
    assert answer.status_code in (403, 404)
    assert not rep.enquiries.exists()


def test_the_holder_and_the_hub_see_it_and_reads_are_audited(world, make_user):
    rep = world["report"]
    hub = Client()
    sign_in(hub, make_user(Role.SAFEGUARDING))
    for client in (world["client"], hub):  # (one sign-in each: a TOTP code works once)
        before = AuditEvent.objects.count()
        page = client.get(f"/missing/{rep.pk}/")
        assert page.status_code == 200
        assert "Review the missing person report (high risk)" in page.content.decode()
        assert AuditEvent.objects.count() > before
        assert rep.reference in client.get("/missing/").content.decode()
