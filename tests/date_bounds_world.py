"""A crime reported on 10 March that happened the night before, shared by the date-bound tests of
the API (tests/api/test_date_bounds.py) and of the forms (tests/web/test_date_bounds_forms.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from bluelamp.accounts.roles import Role
from bluelamp.core import persons
from bluelamp.crime import incidents, recording
from bluelamp.victims.models import VictimRecord

REPORTED = dt.datetime(2026, 3, 10, 14, 0, tzinfo=dt.UTC)
HAPPENED = dt.datetime(2026, 3, 9, 22, 0, tzinfo=dt.UTC)


@pytest.fixture
def sergeant(make_user):
    return make_user(Role.SUPERVISOR)


@pytest.fixture
def records(units, sergeant):
    """A crime reported on 10 March that happened the night before, with a victim and a suspect;
    an incident reported at the same time."""
    victim = persons.create_person(actor=sergeant, family_name="Okafor", given_names="Ada")
    suspect = persons.create_person(actor=sergeant, family_name="Sharples", given_names="Dean")
    recorded = recording.record_crime(
        actor=sergeant,
        summary="Burglary",
        owning_unit=units["west-response"],
        offence_code="28E",
        victims=[victim],
        suspects=[suspect],
        reported_at=REPORTED,
        occurred_from=HAPPENED,
    )
    incident = incidents.report_incident(
        actor=sergeant,
        summary="Caller reports a fraud",
        owning_unit=units["west-response"],
        may_be_crime=True,
        reported_at=REPORTED,
    )
    return {
        "crime": recorded.event,
        "victim": VictimRecord.objects.get(crime=recorded.event),
        "suspect": suspect,
        "person": victim,
        "incident": incident,
    }
