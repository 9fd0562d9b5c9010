"""Shared fixtures: a small force (units), users in every role, and a signed-in client.

Tests run on whichever database DATABASE_URL names (SQLite in memory by default, PostgreSQL in the
second half of ``make test``). Each test runs in a transaction that is rolled back."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django_otp.oath import totp

from bluelamp.accounts.models import User
from bluelamp.accounts.roles import Role, UnitKind
from bluelamp.accounts.services import create_unit, create_user, totp_device

PASSWORD = "correct-horse-battery-staple"

# Fixtures shared by test modules in different folders (the date-bound tests of API and forms).
pytest_plugins = ["tests.date_bounds_world"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(request, settings):
    """Argon2 is the configured hasher (tests/accounts/test_sign_in.py checks it and signs in with
    it); fixtures that only need users, not their passwords, hash with MD5 to save time."""
    if "argon2" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: what was cached (the force's head count that search
    weighs keys by, the newest term counts) belongs to another test's rolled-back database."""
    cache.clear()


@pytest.fixture
def units(db):
    force = create_unit(name="Test Constabulary", code="force", kind=UnitKind.FORCE)
    west = create_unit(name="West", code="west", kind=UnitKind.DISTRICT, parent=force)
    east = create_unit(name="East", code="east", kind=UnitKind.DISTRICT, parent=force)
    return {
        "force": force,
        "west": west,
        "east": east,
        "west-response": create_unit(
            name="West Response", code="west-response", kind=UnitKind.TEAM, parent=west
        ),
        "west-cid": create_unit(name="West CID", code="west-cid", kind=UnitKind.TEAM, parent=west),
        "east-response": create_unit(
            name="East Response", code="east-response", kind=UnitKind.TEAM, parent=east
        ),
        "hq": create_unit(name="Headquarters", code="hq", kind=UnitKind.TEAM, parent=force),
    }


# Where each role sits in the test force.
HOME_UNIT = {
    Role.CALL_HANDLER: "hq",
    Role.RESPONSE_OFFICER: "west-response",
    Role.INVESTIGATOR: "west-cid",
    Role.SUPERVISOR: "west-response",
    Role.QUALITY_ASSURANCE: "hq",
    Role.SAFEGUARDING: "hq",
    Role.NEIGHBOURHOOD: "west-response",
    Role.OFFENDER_MANAGER: "hq",
    Role.ANALYST: "hq",
    Role.SENIOR_LEADER: "hq",
    Role.AUDITOR: "hq",
    Role.ADMINISTRATOR: "hq",
}


@pytest.fixture
def make_user(units):
    counter = {"n": 0}

    def make(role: str, unit: str | None = None, username: str | None = None) -> User:
        counter["n"] += 1
        user, _ = create_user(
            actor=None,
            username=username or f"{role}-{counter['n']}",
            password=PASSWORD,
            role=role,
            unit=units[unit or HOME_UNIT[Role(role)]],
            first_name=role.title(),
            last_name=f"Tester{counter['n']}",
            collar_number=str(1000 + counter["n"]),
        )
        return user

    return make


@pytest.fixture
def officer(make_user):
    return make_user(Role.RESPONSE_OFFICER)


@pytest.fixture
def supervisor(make_user):
    return make_user(Role.SUPERVISOR)


def current_code(user: User) -> str:
    device = totp_device(user)
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def sign_in(client: Client, user: User, password: str = PASSWORD, *, purpose: str = "") -> None:
    """Signs in through the real two-step pages (password, then the current TOTP code), then
    states ``purpose`` if given: a walk of what a role sees must state one, or the auditor's
    and the analyst's every page is the purpose page."""
    response = client.post("/sign-in/", {"username": user.username, "password": password})
    assert response.status_code == 302, response.content[:500]
    response = client.post("/sign-in/code/", {"code": current_code(user)})
    assert response.status_code == 302, response.content[:500]
    if purpose:
        response = client.post("/purpose/", {"purpose": purpose})
        assert response.status_code == 302, response.content[:500]


@pytest.fixture
def signed_in(client):
    def as_user(user: User) -> Client:
        sign_in(client, user)
        return client

    return as_user


def pytest_report_header(config):
    return f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"
