"""The JSON API: errors name the field (422), restricted records are 404, nothing half-saved."""

import pytest

from bluelamp.accounts.roles import Role
from bluelamp.accounts.services import issue_api_token
from bluelamp.core import events, restriction
from bluelamp.core.models import Event, Person


@pytest.fixture
def api(client, units, make_user):
    user = make_user(Role.RESPONSE_OFFICER)
    token = issue_api_token(user=user, name="test")

    class Api:
        actor = user

        def get(self, url, **params):
            return client.get(f"/api{url}", params, HTTP_AUTHORIZATION=f"Bearer {token}")

        def post(self, url, body):
            return client.post(
                f"/api{url}",
                body,
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )

    return Api()


def test_create_and_read_a_person(api):
    response = api.post(
        "/people",
        {
            "given_names": "Siobhán",
            "family_name": "Mac an tSaoi",
            "dob_year": 1988,
            "dob_month": 11,
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["display_name"] == "Siobhán MAC AN TSAOI"
    assert body["names"][0]["first_known"] is True
    read = api.get(f"/people/{body['id']}")
    assert read.status_code == 200
    assert read.json()["dob_month"] == 11


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"family_name": "Smith", "dob_month": 2, "dob_day": 30, "dob_year": 1990}, "dob_day"),
        ({"family_name": "Smith", "dob_day": 3}, "dob_month"),
        ({"family_name": "Smith", "gender": "robot"}, "gender"),
        ({"family_name": ""}, "family_name"),
        ({"family_name": "x" * 500}, "family_name"),
    ],
)
def test_bad_input_is_422_naming_the_field(api, body, field):
    response = api.post("/people", body)
    assert response.status_code == 422
    fields = [detail["loc"][-1] for detail in response.json()["detail"]]
    assert field in fields
    assert not Person.objects.exists()


def test_bad_addition_leaves_the_person_as_they_were(api):
    person = api.post("/people", {"family_name": "Smith"}).json()
    response = api.post(
        f"/people/{person['id']}/identifiers", {"kind": "email", "value": "not-an-email"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "value"
    assert api.get(f"/people/{person['id']}").json() == person


def test_restricted_and_missing_records_are_the_same_404(api, units, make_user):
    sergeant = make_user(Role.SUPERVISOR)
    event = events.record_event(
        actor=sergeant, kind="crime", summary="Staff victim", owning_unit=units["west-response"]
    )
    restriction.restrict_record(actor=sergeant, record=event, reason="Staff")
    hidden = api.get(f"/events/{event.pk}")
    missing = api.get(f"/events/{event.pk + 1000}")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert api.get("/search", q=event.reference).json()["events"] == []


def test_events_get_a_daily_reference(api):
    first = api.post("/events", {"kind": "missing", "summary": "Concern for welfare"}).json()
    second = api.post("/events", {"kind": "asb", "summary": "Noise"}).json()
    prefix, day, number = first["reference"].split("-")
    assert prefix == "LC"
    assert len(day) == 8
    assert second["reference"] == f"{prefix}-{day}-{int(number) + 1:05d}"
    assert Event.objects.filter(reference=second["reference"]).exists()


def test_unauthenticated_calls_are_401(client, db):
    assert client.get("/api/people/1").status_code == 401
    assert client.get("/api/people/1", HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401


def test_auditors_read_the_log_and_officers_cannot(api, make_user):
    assert api.get("/audit/events").status_code == 403
    auditor = make_user(Role.AUDITOR)
    token = issue_api_token(user=auditor, name="audit")
    from django.test import Client

    auditor_client = Client()
    refused = auditor_client.get("/api/audit/events", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert refused.status_code == 403  # no purpose given
    assert "X-Purpose" in refused.json()["detail"]
    allowed = auditor_client.get(
        "/api/audit/events",
        {"actor_id": api.actor.pk},
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_X_PURPOSE="Quarterly access review",
    )
    assert allowed.status_code == 200
    assert {row["actor_id"] for row in allowed.json()} == {api.actor.pk}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        # Outside the bounds every record keeps: the schema refuses it (they are in openapi.json).
        ("occurred_from", "0001-01-01T00:00:00Z", "greater than or equal to 1900-01-01"),
        # Within them but ahead of the clock: the service refuses it.
        ("occurred_to", "2099-01-01T00:00:00Z", "Cannot be in the future."),
    ],
)
def test_implausible_event_times_are_refused_by_field(api, field, value, message):
    response = api.post("/events", {"kind": "asb", "summary": "Noise", field: value})
    assert response.status_code == 422
    [detail] = response.json()["detail"]
    assert detail["loc"][-1] == field
    assert message in detail["msg"]
    assert not Event.objects.exists()
