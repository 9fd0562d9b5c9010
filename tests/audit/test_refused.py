"""Refused reads are audited too (issue 14): a page or API operation on personal data that
answers 403 or 404 to a signed-in user writes a 'refused' event naming what was asked for. A
restricted record is a 404 to everyone else, so these rows are how an auditor sees who tried."""

import pytest

from bluelamp.accounts.roles import Role
from bluelamp.accounts.services import issue_api_token
from bluelamp.audit.models import Action, AuditEvent
from bluelamp.audit.verify import verify_chain
from bluelamp.core import persons, restriction

from ..conftest import sign_in

MISSING = 987_654


@pytest.fixture
def restricted(make_user):
    """A person restricted by a supervisor: to everyone else it does not exist."""
    supervisor = make_user(Role.SUPERVISOR)
    person = persons.create_person(actor=supervisor, family_name="Staff", given_names="Sam")
    restriction.restrict_record(actor=supervisor, record=person, reason="Member of staff")
    return person


def _refusals(user):
    return list(AuditEvent.objects.filter(action=Action.REFUSED, actor_id=user.pk).order_by("id"))


def _bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=user, name='t')}"}


@pytest.mark.parametrize("asked", ["missing", "restricted"])
def test_a_404_on_a_personal_data_page_is_audited(client, officer, restricted, asked):
    pk = MISSING if asked == "missing" else restricted.pk
    sign_in(client, officer)
    response = client.get(f"/people/{pk}/")
    assert response.status_code == 404
    (refusal,) = _refusals(officer)
    assert (refusal.record_type, refusal.record_id) == ("person", str(pk))
    assert refusal.detail == {
        "channel": "web",
        "status": 404,
        "method": "GET",
        "path": f"/people/{pk}/",
    }
    assert refusal.actor_name == officer.display_name
    assert verify_chain().intact


def test_a_403_on_a_personal_data_page_is_audited(client, officer):
    sign_in(client, officer)
    response = client.get("/audit/")  # auditors and senior leaders only
    assert response.status_code == 403
    (refusal,) = _refusals(officer)
    assert refusal.record_type == "audit"
    assert refusal.detail["status"] == 403
    assert refusal.record_label == "GET /audit/"


@pytest.mark.parametrize("asked", ["missing", "restricted"])
def test_a_404_on_a_personal_data_api_operation_is_audited(client, officer, restricted, asked):
    pk = MISSING if asked == "missing" else restricted.pk
    response = client.get(f"/api/people/{pk}", **_bearer(officer))
    assert response.status_code == 404
    (refusal,) = _refusals(officer)
    assert (refusal.record_type, refusal.record_id) == ("person", str(pk))
    assert refusal.detail["channel"] == "api"
    assert refusal.detail["status"] == 404


def test_a_403_on_a_personal_data_api_operation_is_audited(client, officer):
    response = client.get("/api/audit/events", **_bearer(officer))
    assert response.status_code == 403
    (refusal,) = _refusals(officer)
    assert refusal.detail == {
        "channel": "api",
        "status": 403,
        "method": "GET",
        "path": "/api/audit/events",
    }


def test_a_refused_write_is_audited_too(client, officer):
    response = client.post(
        f"/api/people/{MISSING}/names",
        {"kind": "alias", "family_name": "Smith"},
        content_type="application/json",
        **_bearer(officer),
    )
    assert response.status_code == 404
    (refusal,) = _refusals(officer)
    assert refusal.detail["method"] == "POST"


def test_what_is_not_personal_data_or_not_signed_in_writes_no_refusal(client, officer):
    before = AuditEvent.objects.count()
    assert client.get(f"/api/people/{MISSING}").status_code == 401  # no one to name
    assert client.get(f"/people/{MISSING}/").status_code == 302  # to the sign-in page
    sign_in(client, officer)
    assert client.get("/no-such-page/").status_code == 404  # no record behind it
    # An operation declared to touch no personal data (anonymous aggregates).
    response = client.get("/api/victims/satisfaction", **_bearer(officer))
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=Action.REFUSED).exists()
    assert AuditEvent.objects.count() > before  # the sign-in itself is audited
