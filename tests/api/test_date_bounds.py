"""Dates and times coming in through the API (issue 14): every one within the bounds records keep
(core/validation.py), none before its record's own date, none in the future where that makes no
sense - each refused with a 422 naming the field, never a 500, and nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bluelamp.accounts.services import issue_api_token
from bluelamp.api import api as ninja_api
from bluelamp.contact import services as contact
from bluelamp.core import places, validation
from bluelamp.victims.models import Contact

from ..date_bounds_world import HAPPENED, REPORTED


@pytest.fixture
def post(client, sergeant):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=sergeant, name='t')}"}

    def send(path: str, body: dict):
        return client.post(path, body, content_type="application/json", **auth)

    return send


def named(response) -> list[str]:
    assert response.status_code == 422, response.content
    return [d["loc"][-1] for d in response.json()["detail"]]


def test_the_year_one_contact_that_answered_500_is_a_422_naming_at(post, records):
    url = f"/api/victims/{records['victim'].pk}/contacts"
    body = {"channel": "phone", "summary": "Called back"}
    for at in ("0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "1850-06-01T10:00:00Z"):
        assert named(post(url, {**body, "at": at})) == ["at"], at
    assert not Contact.objects.exists()


def test_a_victim_contact_before_the_crime_was_reported_or_in_the_future_is_refused(post, records):
    url = f"/api/victims/{records['victim'].pk}/contacts"
    body = {"channel": "phone", "summary": "Called back"}
    before = (REPORTED - dt.timedelta(hours=1)).isoformat()
    refused = post(url, {**body, "at": before})
    assert named(refused) == ["at"]
    assert "before the crime was reported" in refused.json()["detail"][0]["msg"]
    later = (timezone.now() + dt.timedelta(days=1)).isoformat()
    assert named(post(url, {**body, "at": later})) == ["at"]
    assert not Contact.objects.exists()
    made = post(url, {**body, "at": (REPORTED + dt.timedelta(hours=1)).isoformat()})
    assert made.status_code == 201, made.content


@pytest.mark.parametrize("step", ["arrest", "interview", "disposal"])
def test_a_suspect_step_before_the_crime_happened_is_refused(post, records, step):
    url = f"/api/crimes/{records['crime'].pk}/suspects/{step}"
    body = {"person_id": records["suspect"].pk}
    if step == "disposal":
        body["disposal"] = "charge"
    early = (HAPPENED - dt.timedelta(days=2)).isoformat()
    refused = post(url, {**body, "occurred_at": early})
    assert named(refused) == ["occurred_at"]
    assert "before the crime happened" in refused.json()["detail"][0]["msg"]
    assert named(post(url, {**body, "occurred_at": "1850-01-01T00:00:00Z"})) == ["occurred_at"]


def test_a_victims_statement_taken_before_the_crime_happened_is_refused(post, records):
    url = f"/api/crimes/{records['crime'].pk}/victim-statements"
    body = {"person_id": records["person"].pk}
    early = (HAPPENED - dt.timedelta(days=1)).isoformat()
    refused = post(url, {**body, "taken_at": early})
    assert named(refused) == ["taken_at"]
    assert "before the crime happened" in refused.json()["detail"][0]["msg"]
    assert named(post(url, {**body, "taken_at": "0001-01-01T00:00:00+01:00"})) == ["taken_at"]
    later = (timezone.now() + dt.timedelta(hours=1)).isoformat()
    assert named(post(url, {**body, "taken_at": later})) == ["taken_at"]
    taken = post(url, {**body, "taken_at": (HAPPENED + dt.timedelta(hours=3)).isoformat()})
    assert taken.status_code == 201, taken.content


def test_a_release_before_the_crime_or_a_bail_end_out_of_bounds_is_refused(post, records):
    url = f"/api/crimes/{records['crime'].pk}/suspects/release"
    body = {"person_id": records["suspect"].pk, "how": "bail"}
    early = (HAPPENED - dt.timedelta(days=2)).isoformat()
    assert named(post(url, {**body, "occurred_at": early})) == ["occurred_at"]
    assert named(post(url, {**body, "bail_end": "0001-01-01"})) == ["bail_end"]


def test_victims_wishes_before_the_crime_was_reported_are_refused(post, records):
    url = f"/api/crimes/{records['crime'].pk}/wishes"
    refused = post(url, {"wish": "supports", "stated_on": "2026-03-01"})
    assert named(refused) == ["stated_on"]
    assert named(post(url, {"wish": "supports", "stated_on": "1850-03-01"})) == ["stated_on"]
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert named(post(url, {"wish": "supports", "stated_on": tomorrow})) == ["stated_on"]
    assert post(url, {"wish": "supports", "stated_on": "2026-03-10"}).status_code == 201


def test_an_outcome_dated_before_the_crime_was_recorded_is_refused(post, records):
    url = f"/api/crimes/{records['crime'].pk}/outcome"
    body = {"outcome": "1", "suspect_id": records["suspect"].pk}
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    refused = post(url, {**body, "outcome_date": yesterday})
    assert named(refused) == ["outcome_date"]
    assert "before the crime was recorded" in refused.json()["detail"][0]["msg"]
    assert named(post(url, {**body, "outcome_date": "0001-01-01"})) == ["outcome_date"]


def test_a_fraud_referral_dated_before_the_incident_is_refused(post, records):
    url = f"/api/incidents/{records['incident'].pk}/decision"
    body = {
        "decision": "fraud",
        "reason": "Online shopping fraud",
        "offence_code": "53C",
        "action_fraud_reference": "NFRC260300001",
    }
    refused = post(url, {**body, "referred_on": "2026-03-09"})
    assert named(refused) == ["referred_on"]
    assert "before the incident was reported" in refused.json()["detail"][0]["msg"]


@pytest.mark.parametrize(
    ("path", "field", "extra"),
    [
        ("/api/crimes", "occurred_from", {"summary": "Theft", "offence_code": "49"}),
        ("/api/crimes", "occurred_to", {"summary": "Theft", "offence_code": "49"}),
        ("/api/incidents", "reported_at", {"summary": "Noise", "may_be_crime": False}),
        ("/api/calls", "received_at", {"channel": "101", "account": "Shed broken into"}),
        ("/api/events", "occurred_from", {"kind": "asb", "summary": "Noise"}),
    ],
)
def test_when_a_record_happened_is_neither_far_past_nor_future(post, units, path, field, extra):
    body = {**extra, "owning_unit_id": units["west-response"].pk}
    for when in (
        "1850-01-01T00:00:00Z",
        "0001-01-01T00:00:00+01:00",
        (timezone.now() + dt.timedelta(days=2)).isoformat(),
    ):
        assert field in named(post(path, {**body, field: when})), when


def test_a_crime_that_ends_before_it_starts_or_starts_after_it_was_reported_is_refused(post, units):
    body = {"summary": "Theft", "offence_code": "49", "owning_unit_id": units["west-response"].pk}
    backwards = post(
        "/api/crimes",
        {**body, "occurred_from": HAPPENED.isoformat(), "occurred_to": "2026-03-01T00:00:00Z"},
    )
    assert named(backwards) == ["occurred_to"]
    incident = post(
        "/api/incidents",
        {
            "summary": "Noise",
            "may_be_crime": True,
            "owning_unit_id": units["west-response"].pk,
            "reported_at": REPORTED.isoformat(),
        },
    ).json()["id"]
    after = (REPORTED + dt.timedelta(days=1)).isoformat()
    assert named(
        post("/api/crimes", {**body, "incident_id": incident, "occurred_from": after})
    ) == ["occurred_from"]


def test_an_arrival_before_the_call_was_received_is_refused(post, units, sergeant):
    call = contact.record_call(
        actor=sergeant,
        channel="101",
        account="Shed broken into",
        owning_unit=units["west-response"],
        received_at=REPORTED,
    )
    url = f"/api/incidents/{call.incident_id}/log"
    early = (REPORTED - dt.timedelta(minutes=30)).isoformat()
    refused = post(url, {"step": "arrived", "at": early})
    assert named(refused) == ["at"]
    assert "before the incident was reported" in refused.json()["detail"][0]["msg"]
    assert named(post(url, {"step": "arrived", "at": "0001-01-01T00:00:00+01:00"})) == ["at"]


@pytest.mark.parametrize("what", ["warnings", "relationships", "locations"])
def test_the_dates_a_link_or_warning_holds_are_bounded_and_in_order(post, records, what, sergeant):
    person = records["person"]
    body = {
        "warnings": {"kind": "weapons", "source": "PNC"},
        "relationships": {"other_id": records["suspect"].pk, "kind": "partner"},
        "locations": {
            "location_id": places.create_location(actor=sergeant, postcode="PR1 2AB").pk,
            "kind": "lives_at",
        },
    }[what]
    url = f"/api/people/{person.pk}/{what}"
    assert named(post(url, {**body, "valid_from": "1850-01-01"})) == ["valid_from"]
    assert named(post(url, {**body, "valid_to": "9999-12-31"})) == ["valid_to"]
    backwards = post(url, {**body, "valid_from": "2026-03-10", "valid_to": "2026-03-01"})
    assert named(backwards) == ["valid_to"]


def _request_dates(spec: dict):
    """(operation, field, schema) for every date or date-time a request body or query takes."""
    components = spec["components"]["schemas"]

    def walk(schema, field):
        if "$ref" in schema:
            yield from walk(components[schema["$ref"].rsplit("/", 1)[-1]], field)
            return
        for key in ("anyOf", "allOf", "oneOf"):
            for part in schema.get(key, []):
                yield from walk(part, field)
        if schema.get("format") in ("date", "date-time"):
            yield field, schema
        for name, part in schema.get("properties", {}).items():
            yield from walk(part, name)
        if "items" in schema:
            yield from walk(schema["items"], field)

    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                for field, schema in walk(parameter["schema"], parameter["name"]):
                    yield f"{method.upper()} {path}", field, schema
            for content in operation.get("requestBody", {}).get("content", {}).values():
                for field, schema in walk(content["schema"], "body"):
                    yield f"{method.upper()} {path}", field, schema


def test_every_date_the_api_takes_publishes_its_bounds():
    found = list(_request_dates(ninja_api.get_openapi_schema()))
    assert len(found) >= 20  # the operations listed in issue 14, and any added since
    unbounded = [(op, field) for op, field, schema in found if "formatMinimum" not in schema]
    assert not unbounded, f"give these core.schemas.Day0/Moment (or their own bounds): {unbounded}"
    for op, field, schema in found:
        if field != "dob":
            assert schema["formatMinimum"].startswith(validation.EARLIEST_DATE.isoformat()), op
            assert schema["formatMaximum"].startswith(validation.LATEST_DATE.isoformat()), op
