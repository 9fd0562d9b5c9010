"""bluelamp.db.insert_rows writes what Model.save would: JSON, aware times, foreign keys."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType

from bluelamp.core.models import Person, RecordChange
from bluelamp.db import insert_rows

pytestmark = pytest.mark.django_db


def test_rows_read_back_as_they_were_written(officer):
    at = dt.datetime(2026, 3, 29, 0, 30, 15, 123456, tzinfo=dt.UTC)  # the night clocks go forward
    kind = ContentType.objects.get_for_model(Person)
    rows = [
        RecordChange(
            content_type=kind,
            object_id=n,
            at=at + dt.timedelta(hours=n),
            actor_id=officer.pk,
            actor_name="PC Ann O'Neill",
            action="create",
            summary=f'row {n}: Zoë, "quoted"; DROP TABLE',
            changes={"given_names": [None, "Zoë"], "dob_year": [None, 1990 + n], "n": [n]},
        )
        for n in range(3)
    ]
    insert_rows(rows)
    stored = list(RecordChange.objects.filter(content_type=kind).order_by("object_id"))
    assert [r.object_id for r in stored] == [0, 1, 2]
    for row, back in zip(rows, stored, strict=True):
        assert back.at == row.at
        assert back.changes == row.changes
        assert back.summary == row.summary
        assert back.actor_name == "PC Ann O'Neill"


def test_nothing_to_insert_is_no_statement(django_assert_num_queries):
    with django_assert_num_queries(0):
        insert_rows([])


def test_more_rows_than_one_statement_takes_go_in_several(officer, monkeypatch):
    import bluelamp.db

    monkeypatch.setattr(bluelamp.db, "_MOST_PARAMETERS", 20)  # two RecordChange rows a statement
    kind = ContentType.objects.get_for_model(Person)
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    rows = [
        RecordChange(content_type=kind, object_id=n, at=at, actor_name="x", action="create")
        for n in range(5)
    ]
    insert_rows(rows)
    assert sorted(
        RecordChange.objects.filter(content_type=kind).values_list("object_id", flat=True)
    ) == [0, 1, 2, 3, 4]


def test_tuples_name_every_column_or_are_refused():
    from bluelamp.db import insert_values
    from bluelamp.people.models import PersonKey

    with pytest.raises(ValueError, match="person_id"):
        insert_values(PersonKey, ("key", "person_id"), [("x", 1)])
    with pytest.raises(ValueError, match="person_id"):
        insert_values(PersonKey, ("person_id",), [(1,)])


def test_tuples_read_back_as_they_were_written(officer):
    from bluelamp.core.persons import create_person
    from bluelamp.db import insert_values
    from bluelamp.people.models import PersonKey

    person = create_person(actor=officer, given_names="Zoë", family_name="O'Neill")
    insert_values(PersonKey, ("person_id", "key"), [(person.pk, "zz:ZOË'1"), (person.pk, "zz:2")])
    assert set(
        PersonKey.objects.filter(person=person, key__startswith="zz:").values_list("key", flat=True)
    ) == {"zz:ZOË'1", "zz:2"}


def test_a_value_that_needs_preparing_is_prepared(officer):
    """Times and JSON still go through their fields, flags and text as they are."""
    from bluelamp.db import _preparers

    prepared = {attname: field is not None for attname, field in _preparers(RecordChange)}
    assert {name for name, needs in prepared.items() if needs} == {"at", "changes"}


def test_new_rows_get_their_own_ids(officer):
    """Each instance gets the id of the row holding its values, in one statement, and is marked
    saved (a later save() updates it rather than inserting again)."""
    from bluelamp.core.models import Person, PersonName
    from bluelamp.db import save_new

    at = dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC)
    people = save_new([Person(created_at=at, dob_year=1980 + n) for n in range(4)])
    assert len({p.pk for p in people}) == 4
    for person in people:
        assert Person.objects.get(pk=person.pk).dob_year == person.dob_year
        assert not person._state.adding
    # Names built before their people had ids still take them (as Model.save checks).
    fresh = Person(created_at=at)
    name = PersonName(person=fresh, given_names="Zoë", family_name="O'Neill", recorded_at=at)
    save_new([fresh])
    save_new([name])
    assert PersonName.objects.get(pk=name.pk).person_id == fresh.pk
    people[0].dob_year = 1900
    people[0].save()
    assert Person.objects.filter(pk=people[0].pk, dob_year=1900).count() == 1
    assert Person.objects.count() == 5


def test_new_rows_in_several_statements_keep_their_ids(officer, monkeypatch):
    import bluelamp.db
    from bluelamp.core.models import Person

    monkeypatch.setattr(bluelamp.db, "_MOST_PARAMETERS", 30)  # a few people a statement
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    people = bluelamp.db.save_new([Person(created_at=at, dob_year=1900 + n) for n in range(11)])
    assert {p.pk: p.dob_year for p in people} == dict(Person.objects.values_list("pk", "dob_year"))


def test_nothing_new_is_no_statement(django_assert_num_queries):
    from bluelamp.db import save_new

    with django_assert_num_queries(0):
        assert save_new([]) == []
