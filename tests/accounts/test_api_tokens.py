"""Bearer tokens (``bluelamp token``): who a token belongs to, and when it stops working.
``user_for_token`` reads the user, their unit and its parent in one hand-written statement; these
tests hold it to what the ORM would load."""

import datetime as dt

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone

from bluelamp.accounts.models import ApiToken, User
from bluelamp.accounts.roles import Role
from bluelamp.accounts.services import issue_api_token, user_for_token

pytestmark = pytest.mark.django_db


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_a_token_gives_the_user_as_the_orm_loads_them(officer, django_assert_num_queries):
    at = dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC)  # the hour the clocks go forward
    User.objects.filter(pk=officer.pk).update(last_login=at)
    token = issue_api_token(user=officer, name="t")
    with django_assert_num_queries(1):
        found = user_for_token(token)
    expected = User.objects.select_related("unit__parent").get(pk=officer.pk)
    assert _fields(found) == _fields(expected)
    assert found.last_login == at  # aware, UTC
    with django_assert_num_queries(0):  # the unit and the district, in hand
        assert _fields(found.unit) == _fields(expected.unit)
        assert _fields(found.unit.parent) == _fields(expected.unit.parent)
    assert not found._state.adding
    assert found.is_authenticated


def test_a_unit_with_no_parent_is_none_in_hand(make_user, units, django_assert_num_queries):
    chief = make_user(Role.SENIOR_LEADER, unit="force")
    found = user_for_token(issue_api_token(user=chief, name="t"))
    with django_assert_num_queries(0):
        assert found.unit == units["force"]
        assert found.unit.parent is None


def test_a_wrong_revoked_or_expired_token_or_an_inactive_user_gives_no_one(officer):
    token = issue_api_token(user=officer, name="t")
    assert user_for_token(token + "x") is None
    assert user_for_token("") is None
    stored = ApiToken.objects.get(user=officer)

    ApiToken.objects.filter(pk=stored.pk).update(revoked=True)
    assert user_for_token(token) is None
    ApiToken.objects.filter(pk=stored.pk).update(revoked=False)
    assert user_for_token(token) == officer

    ApiToken.objects.filter(pk=stored.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert user_for_token(token) is None
    ApiToken.objects.filter(pk=stored.pk).update(expires_at=timezone.now() + dt.timedelta(days=1))
    assert user_for_token(token) == officer

    User.objects.filter(pk=officer.pk).update(is_active=False)
    assert user_for_token(token) is None


def test_the_api_refuses_what_user_for_token_refuses(client, officer):
    token = issue_api_token(user=officer, name="t")
    assert client.get("/api/duties", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    ApiToken.objects.filter(user=officer).update(revoked=True)
    assert client.get("/api/duties", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_the_user_read_from_a_token_is_whole(officer):
    """The user read from a token can be edited like any other (no field missing or deferred)."""
    found = user_for_token(issue_api_token(user=officer, name="t"))
    assert found.get_deferred_fields() == set()
    assert model_to_dict(found, fields=["role", "unit"]) == {
        "role": officer.role,
        "unit": officer.unit_id,
    }
