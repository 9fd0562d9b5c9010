"""persons.just_created: what is known of people create_people just made holds inside the block
only (their one name, no other records), and is forgotten on leaving."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bluelamp.core import persons

pytestmark = pytest.mark.django_db


def test_inside_names_come_from_hand_and_outside_from_the_database(officer):
    (ann,) = persons.create_people(
        actor=officer, people=[persons.NewPerson(given_names="Ann", family_name="Lee")]
    )
    with persons.just_created([ann]):
        with CaptureQueriesContext(connection) as queries:
            assert ann.display_name == "Ann LEE"
        assert len(queries) == 0
        assert ann.just_created
    assert not hasattr(ann, "just_created")
    persons.add_name(
        actor=officer, person=ann, kind="alias", given_names="Annie", family_name="Brown"
    )
    assert {str(n) for n in ann.names.all()} == {"Ann LEE", "Annie BROWN"}  # not a stale list


def test_people_loaded_from_the_database_are_left_alone(officer):
    created = persons.create_person(actor=officer, given_names="Sam", family_name="Cole")
    loaded = type(created).objects.get(pk=created.pk)
    with persons.just_created([loaded]):
        assert not hasattr(loaded, "just_created")  # not made by create_people
