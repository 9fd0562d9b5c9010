import pytest

from bluelamp.accounts.roles import Role

from ..conftest import sign_in


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMINISTRATOR)


@pytest.fixture
def as_admin(client, admin):
    sign_in(client, admin)
    return client
