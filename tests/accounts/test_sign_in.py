"""Sign-in: argon2 passwords, a TOTP second factor, lockout after 5 failures for 10 minutes,
and sessions that end after 30 idle minutes (CJIS-style session controls)."""

import datetime as dt

import pytest
import time_machine
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.test import RequestFactory

from bluelamp.accounts.roles import Role
from bluelamp.audit.models import AuditEvent

from ..conftest import PASSWORD, current_code, sign_in

START = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)


def _locked(user) -> bool:
    """Asks the lockout store directly, without making (and so extending) another attempt."""
    return AxesProxyHandler.is_locked(
        RequestFactory().post("/sign-in/"), {"username": user.username}
    )


def _password(client, user, password):
    return client.post("/sign-in/", {"username": user.username, "password": password})


@pytest.mark.argon2
def test_passwords_are_hashed_with_argon2_and_sign_in_needs_both_factors(client, make_user):
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    user = make_user(Role.INVESTIGATOR)
    assert identify_hasher(user.password).algorithm == "argon2"

    response = _password(client, user, PASSWORD)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/code/")
    # The password alone is not a session: the home page still sends us to sign in.
    assert client.get("/").status_code == 302

    response = client.post("/sign-in/code/", {"code": current_code(user)})
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    assert b"Investigator: what is waiting for you" in home.content
    assert AuditEvent.objects.filter(action="sign_in", actor_id=user.pk).exists()


def test_wrong_code_is_refused_and_names_the_field(client, officer):
    _password(client, officer, PASSWORD)
    wrong = f"{(int(current_code(officer)) + 1) % 1_000_000:06d}"
    response = client.post("/sign-in/code/", {"code": wrong})
    assert response.status_code == 400
    assert b"Six-digit code: That code is not right" in response.content
    assert client.get("/").status_code == 302


def test_five_failures_lock_the_account_for_ten_minutes(client, officer):
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(settings.AXES_FAILURE_LIMIT):
            response = _password(client, officer, "wrong-password-here")
        # Locked now: even the right password is refused.
        response = _password(client, officer, PASSWORD)
        assert response.status_code == 403
        assert b"Account locked" in response.content

        clock.shift(dt.timedelta(minutes=9, seconds=50))
        assert _locked(officer)

        clock.shift(dt.timedelta(seconds=20))  # 10 minutes and 10 seconds after the last failure
        assert not _locked(officer)
        assert _password(client, officer, PASSWORD).status_code == 302
        response = client.post("/sign-in/code/", {"code": current_code(officer)})
        assert response.status_code == 302
        assert client.get("/").status_code == 200


def test_wrong_codes_count_towards_the_lockout(client, officer):
    with time_machine.travel(START, tick=False):
        _password(client, officer, PASSWORD)
        wrong = f"{(int(current_code(officer)) + 7) % 1_000_000:06d}"
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert client.post("/sign-in/code/", {"code": wrong}).status_code == 400
        assert client.post("/sign-in/code/", {"code": wrong}).status_code == 403
        # The right code no longer helps, nor does starting again.
        assert client.post("/sign-in/code/", {"code": current_code(officer)}).status_code in (
            302,
            403,
        )
        assert client.get("/").status_code == 302
        assert _password(client, officer, PASSWORD).status_code == 403


def test_lockout_of_one_account_leaves_others_alone(client, officer, supervisor):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _password(client, officer, "wrong-password-here")
    assert _password(client, supervisor, PASSWORD).status_code == 302


def test_idle_session_ends_after_thirty_minutes(client, officer):
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client, officer)
        assert client.get("/").status_code == 200
        clock.shift(dt.timedelta(minutes=29))
        assert client.get("/").status_code == 200  # activity resets the idle clock
        clock.shift(dt.timedelta(minutes=29))
        assert client.get("/").status_code == 200
        clock.shift(settings.SESSION_IDLE_TIMEOUT + dt.timedelta(seconds=1))
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/")


def test_sign_out_ends_the_session(client, officer):
    sign_in(client, officer)
    client.post("/sign-out/")
    assert client.get("/").status_code == 302


def test_next_parameter_cannot_send_you_off_site(client, officer):
    client.post(
        "/sign-in/?next=https://evil.example/", {"username": officer.username, "password": PASSWORD}
    )
    response = client.post(
        "/sign-in/code/?next=https://evil.example/", {"code": current_code(officer)}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
