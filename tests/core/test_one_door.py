"""One door per kind of record (DESIGN.md, Principles): the generic "Record other event" page and
POST /api/events make neither a crime (only crime recording does, with its offence, QA check and
victims' duties) nor an incident (a call or New incident); each refusal names the field and saves
nothing. The kinds with no door of their own are still recorded there."""

import pytest
from django.core.exceptions import ValidationError

from bluelamp.accounts.roles import Role
from bluelamp.accounts.services import issue_api_token
from bluelamp.core import events
from bluelamp.core.models import Event, Location

from ..conftest import sign_in


@pytest.mark.parametrize("kind", ["crime", "incident"])
def test_the_page_refuses_a_crime_or_incident_naming_the_field(client, make_user, kind):
    sign_in(client, make_user(Role.RESPONSE_OFFICER))
    page = client.get("/events/new/").content.decode()
    assert 'value="asb"' in page
    assert f'value="{kind}"' not in page  # not offered
    response = client.post(
        "/events/new/", {"kind": kind, "summary": "Bike stolen", "postcode": "PR1 2AB"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#id_kind"' in body  # the error summary links to the field
    assert ("Record a crime" if kind == "crime" else "New incident") in body
    assert not Event.objects.exists()
    assert not Location.objects.exists()  # nothing half-saved


@pytest.mark.parametrize("kind", ["crime", "incident"])
def test_the_api_refuses_a_crime_or_incident_with_422_naming_kind(client, make_user, kind):
    token = issue_api_token(user=make_user(Role.RESPONSE_OFFICER), name="test")
    response = client.post(
        "/api/events",
        {"kind": kind, "summary": "Bike stolen"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 422
    assert "kind" in str(response.json())
    assert not Event.objects.exists()


@pytest.mark.parametrize("kind", ["crime", "incident"])
def test_the_service_refuses_them_too(units, make_user, kind):
    user = make_user(Role.RESPONSE_OFFICER)
    with pytest.raises(ValidationError) as refused:
        events.record_other_event(
            actor=user, kind=kind, summary="Bike stolen", owning_unit=units["west-response"]
        )
    assert "kind" in refused.value.message_dict
    assert not Event.objects.exists()


def test_the_other_kinds_are_still_recorded_there(client, make_user):
    sign_in(client, make_user(Role.NEIGHBOURHOOD))
    response = client.post("/events/new/", {"kind": "asb", "summary": "Youths shouting"})
    assert response.status_code == 302
    assert Event.objects.get().kind == "asb"
