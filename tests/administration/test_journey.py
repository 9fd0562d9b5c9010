"""Issue 16's "done when", without a browser: an administrator adds an officer with a role and a
unit through the pages, the officer signs in with the second factor shown on the enrolment
page, the administrator disables them, and they cannot sign in (nor keep their session or use
an API token); every step is in the audit log."""

import base64
import re

import pytest
from django.test import Client
from django_otp.oath import totp

from bluelamp.accounts.models import User
from bluelamp.accounts.roles import Role
from bluelamp.accounts.services import user_for_token
from bluelamp.audit.models import AuditEvent
from bluelamp.core.models import RecordChange

from ..conftest import sign_in

pytestmark = pytest.mark.django_db


def _shown(page: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}">([^<]+)<', page)
    assert found, f"{testid} is not on the page"
    return found.group(1).strip()


def _code(secret: str) -> str:
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{totp(key):06d}"


def test_an_officer_added_signs_in_with_their_second_factor_and_once_disabled_cannot(
    client, admin, units
):
    sign_in(client, admin)
    added = client.post(
        "/administration/users/new/",
        {
            "username": "pc.riley",
            "first_name": "Riley",
            "last_name": "Stone",
            "collar_number": "4321",
            "email": "riley.stone@example.police.uk",
            "role": Role.INVESTIGATOR,
            "unit": units["west-cid"].pk,
        },
    )
    assert added.status_code == 200
    page = added.content.decode()
    assert _shown(page, "enrolment-username") == "pc.riley"
    password, secret = _shown(page, "enrolment-password"), _shown(page, "enrolment-secret")
    assert "<svg" in page
    assert 'aria-label="QR code for the authenticator app"' in page
    officer = User.objects.get(username="pc.riley")
    assert (officer.role, officer.unit, officer.get_full_name()) == (
        Role.INVESTIGATOR,
        units["west-cid"],
        "Riley Stone",
    )
    # The officer signs in with the password and a code from the secret on that page.
    theirs = Client()
    assert (
        theirs.post("/sign-in/", {"username": "pc.riley", "password": password}).status_code == 302
    )
    assert theirs.post("/sign-in/code/", {"code": _code(secret)}).status_code == 302
    home = theirs.get("/")
    assert home.status_code == 200
    assert b"Investigator: what is waiting for you" in home.content
    token = client.post(
        f"/administration/users/{officer.pk}/tokens/", {"name": "Case tool", "days": 30}
    )
    assert token.status_code == 200
    bearer = _shown(token.content.decode(), "api-token")
    assert user_for_token(bearer) == officer
    api = Client()
    assert (
        api.get("/api/duties?scope=mine", HTTP_AUTHORIZATION=f"Bearer {bearer}").status_code == 200
    )

    disabled = client.post(
        f"/administration/users/{officer.pk}/disable/", {"reason": "Left the force"}
    )
    assert disabled.status_code == 302
    # Their open session ends, a new sign-in fails at the password, the token is refused.
    assert theirs.get("/").status_code == 302
    again = Client().post("/sign-in/", {"username": "pc.riley", "password": password})
    assert again.status_code == 400
    assert b"The username or password is not right." in again.content
    assert user_for_token(bearer) is None
    assert (
        api.get("/api/duties?scope=mine", HTTP_AUTHORIZATION=f"Bearer {bearer}").status_code == 401
    )

    steps = list(
        AuditEvent.objects.filter(record_type="user", record_id=str(officer.pk))
        .order_by("id")
        .values_list("action", "actor_id")
    )
    assert ("create", admin.pk) in steps  # added
    assert ("sign_in", officer.pk) in steps  # signed in
    assert ("change", admin.pk) in steps  # disabled
    assert AuditEvent.objects.filter(
        action="change", record_id=str(officer.pk), detail__active=False
    ).exists()
    assert AuditEvent.objects.filter(action="sign_in_failed", record_label="pc.riley").exists()
    history = RecordChange.objects.filter(object_id=officer.pk, content_type__model="user")
    summaries = set(history.values_list("summary", flat=True))
    assert {"Account added", "Disabled: Left the force"} <= summaries
    assert not any("password" in row.changes for row in history)  # never the hash
