"""schemathesis fuzzes every operation in /api/openapi.json as a signed-in user: no 5xx, and
every response matches the schema the API publishes (status codes, content types, bodies)."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from bluelamp.accounts.roles import Role
from bluelamp.accounts.services import issue_api_token
from bluelamp.core import events, links, persons

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_schema(db, bearer):
    """The app is called in-process, inside the test's transaction. Like Django's test client, stop
    the request signals from closing that connection (PostgreSQL would lose the transaction).
    The document itself is for signed-in callers only: fetched with the supervisor's token."""
    from bluelamp.wsgi import application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/openapi.json", application, headers=bearer)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def bearer(units, make_user):
    """A supervisor with a few records to find, so that reads hit real rows as well as 404s."""
    user = make_user(Role.SUPERVISOR)
    person = persons.create_person(actor=user, family_name="Okafor", dob_year=1990)
    event = events.record_event(
        actor=user, kind="crime", summary="Theft", owning_unit=units["west-response"]
    )
    links.link_person_to_event(actor=user, person=person, event=event, role="victim")
    return {"Authorization": f"Bearer {issue_api_token(user=user, name='fuzz')}"}


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_never_errors_and_keeps_to_its_schema(case, bearer):
    case.call_and_validate(headers=bearer, checks=CHECKS)


@schema.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_refuses_anonymous_callers_cleanly(case):
    response = case.call_and_validate(checks=CHECKS)
    # 401 no credentials, 403 a forged session cookie without CSRF, 405/422 malformed requests:
    # never a success, never a server error.
    assert 400 <= response.status_code < 500
