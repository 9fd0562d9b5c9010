"""Fixtures for the investigation tests: a West sergeant, investigators with and without skills,
and crimes with a victim and a suspect, for the tests beside this file."""

import datetime as dt

import pytest

from bluelamp.accounts.roles import Role
from bluelamp.core import persons
from bluelamp.crime import recording
from bluelamp.crime.investigation import services as investigation

TUESDAY_10 = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def sergeant(make_user):
    return make_user(Role.SUPERVISOR, unit="west-cid")


@pytest.fixture
def detective(make_user, sergeant):
    user = make_user(Role.INVESTIGATOR, unit="west-cid")
    investigation.add_officer_skill(actor=sergeant, officer=user, skill="pip2")
    return user


@pytest.fixture
def constable(make_user):
    return make_user(Role.INVESTIGATOR, unit="west-cid")


@pytest.fixture
def people(sergeant):
    return {
        "victim": persons.create_person(actor=sergeant, family_name="Okafor", given_names="Ada"),
        "suspect": persons.create_person(actor=sergeant, family_name="Lowe", given_names="Cy"),
        "bystander": persons.create_person(actor=sergeant, family_name="Ross", given_names="Di"),
    }


@pytest.fixture
def make_crime(sergeant, units, people):
    def make(offence_code: str = "28E", summary: str = "Burglary", unit: str = "west-cid"):
        return recording.record_crime(
            actor=sergeant,
            summary=summary,
            owning_unit=units[unit],
            offence_code=offence_code,
            victims=[people["victim"]],
            suspects=[people["suspect"]],
        ).event

    return make
