"""The staff account pages: who may open them, finding accounts (the synthetic force's left out
unless asked), bad input, changing an account, lockouts, a new sign-in, and API tokens."""

import pytest
from django.contrib.auth.signals import user_login_failed
from django.test import Client, RequestFactory

from bluelamp.accounts import staff
from bluelamp.accounts.models import SYNTHETIC_EMAIL_DOMAIN, ApiToken, User
from bluelamp.accounts.roles import Role
from bluelamp.accounts.services import issue_api_token, user_for_token
from bluelamp.audit.models import AuditEvent
from bluelamp.core.models import RecordChange

from ..conftest import PASSWORD, sign_in
from .test_journey import _code, _shown

pytestmark = pytest.mark.django_db

PAGES = [
    "/administration/",
    "/administration/users/",
    "/administration/users/new/",
    "/administration/units/",
    "/administration/access/",
]


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATOR])
def test_other_roles_are_refused_in_words_and_not_offered_the_link(client, make_user, role):
    user = make_user(role)
    sign_in(client, user)
    if role in (Role.AUDITOR, Role.ANALYST):  # they give a purpose first
        client.post("/purpose/", {"purpose": "Testing administration refusals"})
    home = client.get("/")
    assert b'href="/administration/"' not in home.content
    for url in [*PAGES, f"/administration/users/{user.pk}/"]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert b"Only administrators" in response.content, url
        assert b"may not user" not in response.content  # no permission text
    # A write is refused at the service too, whatever the page does.
    with pytest.raises(Exception, match="You tried to manage staff accounts"):
        staff.disable_user(actor=user, user=user, reason="x")


def test_the_administrator_has_the_link_and_every_page(as_admin):
    assert b'href="/administration/"' in as_admin.get("/").content
    for url in PAGES:
        assert as_admin.get(url).status_code == 200, url


def _synthetic(units, n: int) -> User:
    user = User(
        username=f"synth-1-{n}",
        first_name="Syn",
        last_name=f"Thetic{n}",
        role=Role.RESPONSE_OFFICER,
        unit=units["east-response"],
        email=f"synth-1-{n}@{SYNTHETIC_EMAIL_DOMAIN}",
    )
    user.set_unusable_password()
    user.save()
    return user


def test_the_synthetic_force_is_hidden_unless_asked(as_admin, units, make_user):
    real = make_user(Role.RESPONSE_OFFICER, unit="east-response")
    fake = _synthetic(units, 1)
    listed = as_admin.get("/administration/users/").content.decode()
    assert real.username in listed
    assert fake.username not in listed
    asked = as_admin.get("/administration/users/?synthetic=on").content.decode()
    assert real.username in asked
    assert fake.username in asked
    assert "synthetic" in asked
    home = as_admin.get("/").content.decode()  # the administrator's home panel of users too
    assert real.username in home
    assert fake.username not in home
    search = AuditEvent.objects.filter(action="search", record_type="user").latest("id")
    assert search.detail["synthetic"] is True


def test_finding_by_name_unit_subtree_role_and_state(as_admin, units, make_user, admin):
    west = make_user(Role.INVESTIGATOR, unit="west-cid")
    east = make_user(Role.INVESTIGATOR, unit="east-response")
    west_sergeant = make_user(Role.SUPERVISOR, unit="west-response")

    def listed(query: str) -> set[str]:
        page = as_admin.get(f"/administration/users/?{query}").content.decode()
        return {u.username for u in (west, east, west_sergeant, admin) if u.username in page}

    assert listed(f"unit={units['west'].pk}") == {west.username, west_sergeant.username}
    assert listed(f"unit={units['west'].pk}&role=investigator") == {west.username}
    assert listed(f"q={east.last_name}") == {east.username}
    assert listed(f"q={west.collar_number}") == {west.username}
    staff.disable_user(actor=admin, user=east, reason="Left")
    assert listed("status=disabled") == {east.username}
    bad = as_admin.get("/administration/users/?role=chief-constable")
    assert bad.status_code == 400
    assert b"Role" in bad.content


def test_bad_input_names_each_field_and_keeps_what_was_typed(as_admin, units, make_user):
    taken = make_user(Role.RESPONSE_OFFICER)
    response = as_admin.post(
        "/administration/users/new/",
        {
            "username": taken.username,
            "first_name": "Kit",
            "last_name": "",
            "collar_number": "77",
            "role": "constable",
            "unit": units["west-cid"].pk,
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_last_name"' in page
    assert 'href="#id_role"' in page
    assert 'value="Kit"' in page
    assert 'value="77"' in page
    assert User.objects.filter(first_name="Kit").count() == 0
    # The username is checked by the service too (taken, or characters not allowed).
    response = as_admin.post(
        "/administration/users/new/",
        {
            "username": taken.username,
            "first_name": "Kit",
            "last_name": "Lane",
            "role": Role.INVESTIGATOR,
            "unit": units["west-cid"].pk,
        },
    )
    assert response.status_code == 400
    assert b"already exists" in response.content
    response = as_admin.post(
        "/administration/users/new/",
        {
            "username": "kit lane!",
            "first_name": "Kit",
            "last_name": "Lane",
            "role": Role.INVESTIGATOR,
            "unit": units["west-cid"].pk,
        },
    )
    assert response.status_code == 400
    assert 'href="#id_username"' in response.content.decode()


def test_changing_role_and_unit_is_kept_in_history_and_the_audit(as_admin, admin, units, officer):
    response = as_admin.post(
        f"/administration/users/{officer.pk}/change/",
        {
            "first_name": officer.first_name,
            "last_name": "Renamed",
            "collar_number": officer.collar_number,
            "role": Role.INVESTIGATOR,
            "unit": units["east-response"].pk,
        },
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert (officer.role, officer.unit, officer.last_name) == (
        Role.INVESTIGATOR,
        units["east-response"],
        "Renamed",
    )
    row = RecordChange.objects.filter(object_id=officer.pk, content_type__model="user").latest("id")
    assert row.changes["role"] == [Role.RESPONSE_OFFICER, Role.INVESTIGATOR]
    assert row.changes["unit"] == ["West Response", "East Response"]
    event = AuditEvent.objects.filter(action="change", record_id=str(officer.pk)).latest("id")
    assert event.actor_id == admin.pk
    assert "role" in event.detail["changed"]
    page = as_admin.get(f"/administration/users/{officer.pk}/").content.decode()
    assert "West Response" in page
    assert "East Response" in page
    # An administrator cannot take away their own role.
    own = as_admin.post(
        f"/administration/users/{admin.pk}/change/",
        {
            "first_name": "A",
            "last_name": "B",
            "role": Role.SUPERVISOR,
            "unit": admin.unit_id,
        },
    )
    assert own.status_code == 400
    assert b"your own role" in own.content
    admin.refresh_from_db()
    assert admin.role == Role.ADMINISTRATOR


def _fail(user, times: int) -> None:
    request = RequestFactory().post("/sign-in/")
    for _ in range(times):
        user_login_failed.send(
            sender=__name__, credentials={"username": user.username}, request=request
        )


def test_a_locked_out_officer_is_unlocked_by_the_administrator(as_admin, admin, officer):
    _fail(officer, 5)
    locked = Client()
    assert (
        locked.post("/sign-in/", {"username": officer.username, "password": PASSWORD}).status_code
        == 403
    )
    page = as_admin.get(f"/administration/users/{officer.pk}/").content.decode()
    assert "Locked out" in page
    assert officer.username in as_admin.get("/administration/users/?status=locked").content.decode()
    assert as_admin.post(f"/administration/users/{officer.pk}/unlock/").status_code == 302
    sign_in(Client(), officer)  # both steps pass now
    event = AuditEvent.objects.filter(action="change", record_id=str(officer.pk)).latest("id")
    assert event.actor_id == admin.pk
    assert event.detail["unlocked"] >= 1


def test_a_new_sign_in_replaces_password_and_second_factor(as_admin, officer):
    old_key = officer.totpdevice_set.get().key
    response = as_admin.post(f"/administration/users/{officer.pk}/sign-in/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "This page is shown once" in page
    fresh = Client()
    old = fresh.post("/sign-in/", {"username": officer.username, "password": PASSWORD})
    assert old.status_code == 400  # the old password no longer works
    password, secret = _shown(page, "enrolment-password"), _shown(page, "enrolment-secret")
    assert officer.totpdevice_set.get().key != old_key  # the old app's codes no longer work
    assert (
        fresh.post("/sign-in/", {"username": officer.username, "password": password}).status_code
        == 302
    )
    assert fresh.post("/sign-in/code/", {"code": _code(secret)}).status_code == 302
    assert fresh.get("/").status_code == 200


def test_tokens_issued_listed_and_revoked_and_a_disabled_officer_keeps_none(
    as_admin, admin, officer
):
    issued = as_admin.post(f"/administration/users/{officer.pk}/tokens/", {"name": "", "days": 0})
    assert issued.status_code == 400
    assert 'href="#id_name"' in issued.content.decode()
    assert 'href="#id_days"' in issued.content.decode()
    first = issue_api_token(actor=admin, user=officer, name="Mapping")
    second = issue_api_token(actor=admin, user=officer, name="Reports")
    page = as_admin.get(f"/administration/users/{officer.pk}/").content.decode()
    assert "Mapping" in page
    assert "Reports" in page
    assert first not in page
    row = ApiToken.objects.get(user=officer, name="Mapping")
    assert as_admin.post(f"/administration/tokens/{row.pk}/revoke/").status_code == 302
    assert user_for_token(first) is None
    assert user_for_token(second) == officer
    assert AuditEvent.objects.filter(
        action="change", record_type="api_token", actor_id=admin.pk, detail__revoked=True
    ).exists()
    staff.disable_user(actor=admin, user=officer, reason="Suspended")
    staff.enable_user(actor=admin, user=officer)
    assert user_for_token(second) is None  # a leaver's tokens do not come back
    sign_in(Client(), officer)  # the account itself works again
