"""A person just created is indexed from the values in hand (people/records.index_new_people):
the keys must be exactly those a full reindex from the database gives."""

import pytest

from bluelamp.core import persons
from bluelamp.people.models import PersonKey
from bluelamp.people.records import reindex

pytestmark = pytest.mark.django_db


def _keys(person):
    return sorted(PersonKey.objects.filter(person=person).values_list("key", flat=True))


@pytest.mark.parametrize(
    ("given", "family", "dob"),
    [
        ("Ann", "Lee", (1985, 3, 4)),
        ("Mary-Jane", "O'Neill Smith", (1970, 11, None)),
        ("", "Unknown male", (None, None, None)),
        ("Zoë", "", (2001, None, None)),
    ],
)
def test_a_new_persons_keys_match_a_full_reindex(officer, given, family, dob):
    person = persons.create_person(
        actor=officer,
        given_names=given,
        family_name=family,
        dob_year=dob[0],
        dob_month=dob[1],
        dob_day=dob[2],
    )
    indexed_on_creation = _keys(person)
    assert indexed_on_creation, "a new person must be findable by their blocking keys"
    reindex([person.pk])
    assert _keys(person) == indexed_on_creation


def test_a_later_name_still_reindexes_from_the_database(officer):
    person = persons.create_person(actor=officer, given_names="Ann", family_name="Lee")
    before = set(_keys(person))
    persons.add_name(actor=officer, person=person, given_names="Annie", family_name="Brown")
    after = set(_keys(person))
    assert before < after  # the old name's keys kept, the new name's added
    reindex([person.pk])
    assert set(_keys(person)) == after


def test_people_created_together_are_each_indexed_as_a_full_reindex_would(officer):
    ann, sam = persons.create_people(
        actor=officer,
        people=[
            persons.NewPerson(given_names="Ann", family_name="Lee", dob_year=1985),
            persons.NewPerson(given_names="Sam", family_name="Cole", dob_year=1999, dob_month=7),
        ],
    )
    on_creation = {person.pk: _keys(person) for person in (ann, sam)}
    assert on_creation[ann.pk]
    assert on_creation[sam.pk]
    assert not set(on_creation[ann.pk]) & set(on_creation[sam.pk])  # nothing crossed over
    reindex([ann.pk, sam.pk])
    assert {person.pk: _keys(person) for person in (ann, sam)} == on_creation
