"""Refusals are worded for people: what the user tried and who may do it, never the permission's
code ("Your role may not investigation view_team"), on the 403 page and in the API."""

import pytest

from bluelamp.accounts.permissions import PERMISSIONS, require
from bluelamp.accounts.refusals import WORDS, NotAllowed
from bluelamp.accounts.roles import Role

from ..conftest import sign_in


def test_every_action_has_words():
    assert sorted(set(PERMISSIONS) - set(WORDS)) == []
    assert sorted(set(WORDS) - set(PERMISSIONS)) == []


def test_a_refusal_says_what_was_tried_and_who_may(make_user):
    with pytest.raises(NotAllowed) as refused:
        require(make_user(Role.INVESTIGATOR), "investigation.view_team")
    message = str(refused.value)
    assert message == (
        "You tried to see a team's investigation workload and oversight. That is for "
        "supervisors (sergeants and inspectors), quality assurance staff, analysts and "
        "senior leaders."
    )
    assert refused.value.action == "investigation.view_team"


def test_the_403_page_words_it_for_people(client, make_user):
    sign_in(client, make_user(Role.INVESTIGATOR))
    response = client.get("/investigations/workload/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "You tried to see a team&#x27;s investigation workload and oversight." in body
    assert "view_team" not in body
    assert "may not investigation" not in body
    assert 'href="/"' in body


def test_the_api_refusal_is_worded_the_same(client, make_user):
    from bluelamp.accounts.services import issue_api_token

    token = issue_api_token(user=make_user(Role.RESPONSE_OFFICER), name="test")
    response = client.get("/api/audit/events", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "You tried to read the audit log. That is for senior leaders and auditors."
    )
