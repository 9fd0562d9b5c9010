"""The contact API: record a call, grade, log steps, book, record vulnerability, read the
incident's grade, flags and log. Bad input is a 422 naming the field and saves nothing; the
wrong role is 403 and a restricted incident 404; each call leaves an audit row."""

import datetime as dt

import pytest
from django.utils import timezone

from bluelamp.accounts.roles import Role
from bluelamp.accounts.services import issue_api_token
from bluelamp.audit.models import AuditEvent
from bluelamp.contact import diary
from bluelamp.contact.models import Assessment, Call, Vulnerability
from bluelamp.core import persons, restriction
from bluelamp.duties.models import DomainEvent
from bluelamp.people.models import EntryChoice

from .helpers import THRIVE


@pytest.fixture
def api(client, make_user):
    def as_role(role, unit=None):
        user = make_user(role, unit=unit)
        token = issue_api_token(user=user, name="test")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

        def post(url, body):
            return client.post(url, body, content_type="application/json", **headers)

        def get(url):
            return client.get(url, **headers)

        return user, post, get

    return as_role


def _fields(response) -> str:
    return str(response.json()["detail"])


def test_a_call_from_record_to_close(api, units):
    handler, post, get = api(Role.CALL_HANDLER)
    caller = persons.create_person(actor=handler, given_names="Ada", family_name="Okafor")
    made = post(
        "/api/calls",
        {
            "channel": "999",
            "account": "Man with a knife outside the shop",
            "owning_unit_id": units["west-response"].pk,
            "may_be_crime": True,
            "caller_id": caller.pk,
            "caller_phone": "07700 900123",
        },
    )
    assert made.status_code == 201, made.content
    incident = made.json()["incident_id"]
    assert DomainEvent.objects.get(type="call.received").payload == {
        "call": made.json()["id"],
        "channel": "999",
    }
    graded = post(f"/api/incidents/{incident}/grade", {"grade": "emergency", **THRIVE})
    assert graded.status_code == 201
    assert graded.json()["area"] == "urban"
    regrade = post(f"/api/incidents/{incident}/grade", {"grade": "priority", **THRIVE})
    assert regrade.status_code == 422
    assert "reason" in _fields(regrade)
    sent = post(
        f"/api/incidents/{incident}/log",
        {"step": "allocated", "unit_id": units["west-response"].pk, "note": "Car 12"},
    )
    assert sent.status_code == 201
    arrived = post(f"/api/incidents/{incident}/log", {"step": "arrived"})
    assert arrived.status_code == 201
    view = get(f"/api/incidents/{incident}/contact")
    assert view.status_code == 200
    assert view.json()["grade"] == "emergency"
    assert [s["step"] for s in view.json()["log"]] == ["received", "graded", "allocated", "arrived"]
    closed = post(f"/api/incidents/{incident}/log", {"step": "closed", "note": "Arrested"})
    assert closed.status_code == 201
    assert AuditEvent.objects.filter(actor_id=handler.pk, record_id=str(incident)).count() >= 5


def test_bad_input_names_the_field_and_saves_nothing(api, units):
    handler, post, _ = api(Role.CALL_HANDLER)
    for body, field in (
        ({"channel": "fax", "account": "x"}, "channel"),
        ({"channel": "101", "account": ""}, "account"),
        ({"channel": "101", "account": "x", "caller_phone": "abc"}, "caller_phone"),
        ({"channel": "101", "account": "x", "location_id": 999}, "location_id"),
        ({"channel": "101", "account": "x", "owning_unit_id": 999}, "owning_unit_id"),
    ):
        response = post("/api/calls", body)
        assert response.status_code == 422, body
        assert field in _fields(response), body
    assert not Call.objects.exists()
    incident = post("/api/calls", {"channel": "101", "account": "Shed"}).json()["incident_id"]
    missing = post(f"/api/incidents/{incident}/grade", {"grade": "priority"})
    assert missing.status_code == 422
    assert "threat" in _fields(missing)
    nobody = post(f"/api/incidents/{incident}/log", {"step": "allocated"})
    assert nobody.status_code == 422
    assert "officer" in _fields(nobody)
    person = persons.create_person(actor=handler, family_name="Okafor")
    kinds = post(
        f"/api/incidents/{incident}/vulnerability", {"kinds": ["sad"], "people": [person.pk]}
    )
    assert kinds.status_code == 422
    assert "kinds" in _fields(kinds)
    assert not Vulnerability.objects.exists()
    assert not Assessment.objects.exists()


def test_booking_a_full_slot_is_refused(api, units, supervisor):
    handler, post, _ = api(Role.CALL_HANDLER)
    start = timezone.now() + dt.timedelta(hours=3)
    slot = diary.create_slot(
        actor=supervisor,
        team=units["west-response"],
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        capacity=1,
    )
    incidents = []
    for _ in range(2):
        made = post("/api/calls", {"channel": "online", "account": "Bike stolen last week"})
        incidents.append(made.json()["incident_id"])
        post(f"/api/incidents/{incidents[-1]}/grade", {"grade": "scheduled", **THRIVE})
    first = post(f"/api/incidents/{incidents[0]}/appointment", {"slot_id": slot.pk})
    assert first.status_code == 201
    full = post(f"/api/incidents/{incidents[1]}/appointment", {"slot_id": slot.pk})
    assert full.status_code == 422
    assert "This slot is full (1 of 1 booked)" in _fields(full)
    unknown = post(f"/api/incidents/{incidents[1]}/appointment", {"slot_id": 99999})
    assert unknown.status_code == 422
    assert "slot_id" in _fields(unknown)


def test_vulnerability_at_the_call_is_structured_and_announced(api, units):
    handler, post, _ = api(Role.CALL_HANDLER)
    child = persons.create_person(actor=handler, given_names="Sam", family_name="Okafor")
    incident = post("/api/calls", {"channel": "999", "account": "Shouting"}).json()["incident_id"]
    other = post(
        f"/api/incidents/{incident}/vulnerability", {"kinds": ["other"], "people": [child.pk]}
    )
    assert other.status_code == 422
    assert "note" in _fields(other)
    made = post(
        f"/api/incidents/{incident}/vulnerability",
        {"kinds": ["domestic_abuse", "child_at_risk"], "people": [child.pk], "note": "Aged 4"},
    )
    assert made.status_code == 201
    record = Vulnerability.objects.get()
    assert list(record.people.all()) == [child]
    event = DomainEvent.objects.get(type="vulnerability.identified")
    assert event.payload == {"kinds": ["domestic_abuse", "child_at_risk"], "people": [child.pk]}


def test_wrong_role_is_403_and_restricted_is_404(api, units, make_user):
    handler, post, _ = api(Role.CALL_HANDLER)
    incident = post("/api/calls", {"channel": "101", "account": "Noise"}).json()["incident_id"]
    _, investigator_post, _ = api(Role.INVESTIGATOR)
    assert investigator_post("/api/calls", {"channel": "101", "account": "x"}).status_code == 403
    graded = investigator_post(f"/api/incidents/{incident}/grade", {"grade": "priority", **THRIVE})
    assert graded.status_code == 403
    review = post(
        f"/api/incidents/{incident}/grade",
        {"grade": "priority", "review": True, "reason": "x", **THRIVE},
    )
    assert review.status_code == 403  # only supervisors review missed targets
    leader = make_user(Role.SENIOR_LEADER)
    from bluelamp.core.models import Event

    restriction.restrict_record(actor=leader, record=Event.objects.get(pk=incident), reason="Staff")
    _, other_post, other_get = api(Role.CALL_HANDLER)
    assert other_get(f"/api/incidents/{incident}/contact").status_code == 404
    assert (
        other_post(f"/api/incidents/{incident}/grade", {"grade": "priority", **THRIVE}).status_code
        == 404
    )


def test_a_caller_given_by_name_is_matched_on_entry_as_on_the_page(api, units):
    """POST /api/calls takes the caller as the page does (contact/intake.py, people.entry): a
    likely known record is offered (409, nothing saved) until the caller chooses it or "new"."""
    handler, post, _get = api(Role.CALL_HANDLER)
    known = persons.create_person(
        actor=handler, given_names="Ada", family_name="Okafor", dob_year=1971
    )
    body = {
        "channel": "101",
        "account": "Someone is trying car doors",
        "owning_unit_id": units["west-response"].pk,
        "caller": {"given_names": "Ada", "family_name": "Okafor", "dob": "1971-06-24"},
    }
    asked = post("/api/calls", body)
    assert asked.status_code == 409, asked.content
    assert [o["id"] for o in asked.json()["offered"]["caller"]] == [known.pk]
    assert not Call.objects.exists()
    # The records offered were shown: audited, though the question rolled the work back.
    assert AuditEvent.objects.filter(
        action="search", record_type="person", record_id=str(known.pk)
    ).exists()

    wrong = post("/api/calls", {**body, "caller": {**body["caller"], "chosen": "999999"}})
    assert wrong.status_code == 422
    assert "caller.chosen" in _fields(wrong)
    assert not Call.objects.exists()

    made = post("/api/calls", {**body, "caller": {**body["caller"], "chosen": str(known.pk)}})
    assert made.status_code == 201, made.content
    assert made.json()["caller_id"] == known.pk
    assert EntryChoice.objects.get(context="call").chosen == known

    both = post("/api/calls", {**body, "caller_id": known.pk})
    assert both.status_code == 422
    assert "caller" in _fields(both)

    new = post("/api/calls", {**body, "caller": {**body["caller"], "chosen": "new"}})
    assert new.status_code == 201
    assert new.json()["caller_id"] not in (None, known.pk)
