"""Each person's stored match record (people.PersonMatchRecord), which search compares instead of
reading the person's names, addresses and identifiers, must stay exactly what loading the person
from those tables gives, through every change that can alter it."""

import pytest

from bluelamp.accounts.roles import Role
from bluelamp.accounts.services import issue_api_token
from bluelamp.core import links, persons, places
from bluelamp.core.models import Person
from bluelamp.people import dedupe
from bluelamp.people.blocking import record_keys
from bluelamp.people.models import PersonKey, PersonMatchRecord
from bluelamp.people.normalise import BirthDate, Nominal, dump_nominal, load_nominal, nominal
from bluelamp.people.records import add_rule_keys, build_match_records, load_nominals, reindex
from bluelamp.people.services import PersonQuery, find_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def qa(make_user):
    return make_user(Role.QUALITY_ASSURANCE)


def _text(person) -> str:
    return PersonMatchRecord.objects.get(person_id=person.pk).record


def _stored(person) -> Nominal:
    text = PersonMatchRecord.objects.get(person_id=person.pk).record
    return load_nominal(person.pk, text)


def _in_step(person) -> Nominal:
    """The stored record, checked against one loaded afresh from the person's own rows."""
    stored = _stored(person)
    (fresh,) = load_nominals([person.pk])
    assert stored == fresh
    assert PersonMatchRecord.objects.get(person_id=person.pk).record == dump_nominal(fresh)
    return stored


def test_the_stored_form_gives_back_the_same_nominal():
    record = nominal(
        7,
        names=[("Mary-Jane", "O'Neill Smith"), ("", "Jones"), ("Zoë", "MacDonald")],
        dob=BirthDate(1970, 11),
        gender="female",
        postcodes={"pr1 2ab", "BB1 1AA"},
        streets={"1 High Street"},
        towns={"Preston"},
        identifiers={"phone:07700900001", "email:a@example.org"},
    )
    assert load_nominal(7, dump_nominal(record)) == record


def test_a_new_person_has_a_record_in_step(officer):
    person = persons.create_person(
        actor=officer, given_names="Siobhán", family_name="MacDonald", dob_year=1990
    )
    record = _in_step(person)
    assert record.given == [["siobhan"]]
    assert record.family == ["mcdonald"]
    assert record.dob.year == 1990


def test_people_created_together_each_get_their_own_record(officer):
    # persons.create_people (a crime's victim and suspect) indexes them all in one insert.
    victim, suspect = persons.create_people(
        actor=officer,
        people=[
            persons.NewPerson(given_names="Ann", family_name="Lee", dob_year=1985),
            persons.NewPerson(given_names="Bill", family_name="Smyth", gender="male"),
        ],
    )
    assert _in_step(victim).family == ["lee"]
    assert _in_step(suspect).family == ["smyth"]


def test_a_new_name_and_a_changed_date_of_birth_reach_the_record(officer):
    person = persons.create_person(actor=officer, given_names="Ann", family_name="Lee")
    persons.add_name(actor=officer, person=person, given_names="Annie", family_name="Brown")
    assert _in_step(person).family == ["lee", "brown"]
    persons.change_person(actor=officer, person=person, dob_year=1985, dob_month=3, dob_day=4)
    assert _in_step(person).dob.exact


def test_an_identifier_and_an_address_reach_the_record(officer):
    person = persons.create_person(actor=officer, given_names="Keith", family_name="Brown")
    persons.add_identifier(actor=officer, person=person, kind="phone", value="07700 900001")
    assert _in_step(person).identifiers == {"phone:07700900001"}
    home = places.create_location(
        actor=officer, line1="1 High Street", town="Preston", postcode="PR1 2AB"
    )
    links.link_person_to_location(actor=officer, person=person, location=home, kind="lives_at")
    assert _in_step(person).postcodes == {"PR12AB"}
    # The address itself corrected: every person living there is brought up to date.
    places.change_location(actor=officer, location=home, postcode="PR1 2AD")
    assert _in_step(person).postcodes == {"PR12AD"}


def test_merge_and_unmerge_keep_both_records_in_step(officer, qa):
    survivor = persons.create_person(actor=officer, given_names="Alex", family_name="Hart")
    merged = persons.create_person(actor=officer, given_names="Alec", family_name="Harte")
    persons.add_identifier(actor=officer, person=merged, kind="phone", value="07700900002")
    before = {p.pk: _text(p) for p in (survivor, merged)}

    merge = dedupe.merge(actor=qa, survivor=survivor, merged=merged, reason="Same phone")
    assert "harte" in _in_step(survivor).family  # the merged record's name moved over
    assert _in_step(survivor).identifiers == {"phone:07700900002"}
    assert _in_step(merged).family == []

    dedupe.unmerge(actor=qa, merge_record=merge, reason="Twins")
    after = {p.pk: _text(p) for p in (survivor, merged)}
    assert after == before
    _in_step(survivor), _in_step(merged)


def test_reindex_and_the_backfill_rebuild_missing_or_stale_records(officer):
    person = persons.create_person(actor=officer, given_names="Wilma", family_name="Smithers")
    other = persons.create_person(actor=officer, given_names="Jane", family_name="Jones")
    PersonMatchRecord.objects.filter(person=person).update(record=dump_nominal(Nominal(id=0)))
    reindex([person.pk])
    assert _in_step(person).family == ["smithers"]

    PersonMatchRecord.objects.filter(person=person).delete()
    untouched = PersonMatchRecord.objects.get(person=other).record
    assert build_match_records() == 1  # only the person without one
    assert _in_step(person).family == ["smithers"]
    assert PersonMatchRecord.objects.get(person=other).record == untouched


def test_search_compares_the_stored_records(officer):
    """Search reads candidates from the stored records alone: a person whose record is missing
    is not found, however well their names match (so a write path that forgets the record fails
    here rather than silently)."""
    person = persons.create_person(
        actor=officer, given_names="William", family_name="Smith", dob_year=1980
    )
    query = PersonQuery(given_names="William", family_name="Smith", dob="1980")
    assert [m.person for m in find_people(actor=officer, query=query).matches] == [person]
    PersonMatchRecord.objects.filter(person=person).delete()
    assert find_people(actor=officer, query=query).matches == []


def test_results_show_each_persons_name_and_date_of_birth_as_their_record_does(client, officer):
    """A result's person is built from its match record and one query for the page's names, not
    loaded: what the API shows must still be what the person's own record shows."""
    person = persons.create_person(
        actor=officer, given_names="Margaret", family_name="Oneill", dob_year=1975
    )
    persons.add_name(actor=officer, person=person, given_names="Peggy", family_name="Jones")
    persons.add_name(
        actor=officer, person=person, given_names="Maggie", family_name="Hart", kind="current"
    )
    persons.change_person(actor=officer, person=person, dob_month=11, dob_day=2)
    token = issue_api_token(user=officer, name="test")
    response = client.get(
        "/api/people/match",
        {"given_names": "Margaret", "family_name": "O'Neill", "dob": "1975"},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200
    shown = response.json()["matches"][0]["person"]
    fresh = Person.objects.get(pk=person.pk)
    assert shown == {"id": person.pk, "display_name": fresh.display_name, "dob_text": "02/11/1975"}
    assert fresh.display_name == "Maggie HART"  # the current name, not the first or an alias


def test_a_new_rules_keys_are_added_from_the_match_records(officer):
    # Migration people 0004 stores rule fs's keys for people recorded before it.
    people = [
        persons.create_person(actor=officer, given_names="Toby", family_name=name, dob_year=year)
        for name, year in (("Clarke", 1989), ("Smith-Jones", 1975), ("O'Neill", None))
    ]
    wanted = {p.pk: {k for k in record_keys(_stored(p)) if k.startswith("fs:")} for p in people}
    PersonKey.objects.filter(key__startswith="fs:").delete()
    assert add_rule_keys("fs") == sum(len(keys) for keys in wanted.values()) == 2  # no year, no key
    for person in people:
        stored = set(PersonKey.objects.filter(person=person).values_list("key", flat=True))
        assert stored == record_keys(_stored(person))
        assert {k for k in stored if k.startswith("fs:")} == wanted[person.pk]
