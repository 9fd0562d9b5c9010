"""``core.writes.written``, the write tail every service ends with: the save, the history row,
the audit row and the domain event, together in the caller's transaction; a change that alters
nothing leaves no trace."""

import pytest
from django.db import transaction
from django.utils import timezone

from bluelamp.audit.models import Action, AuditEvent
from bluelamp.core import persons
from bluelamp.core.history import snapshot
from bluelamp.core.models import Person, PersonName, RecordChange
from bluelamp.core.writes import written
from bluelamp.duties.models import DomainEvent


@pytest.fixture
def person(officer):
    return persons.create_person(actor=officer, given_names="Ann", family_name="Lee")


def _counts():
    return RecordChange.objects.count(), AuditEvent.objects.count(), DomainEvent.objects.count()


def test_a_change_is_saved_kept_audited_and_announced_in_one_call(officer, person):
    before = snapshot(person)
    person.nationality = "British"
    person.gender = "female"
    row = written(
        person,
        actor=officer,
        action="change",
        before=before,
        save=["nationality"],  # only this field is saved
        summary="Nationality",
        detail={"fields": ["nationality"]},
        event="person.changed",
        payload={"why": "test"},
    )
    stored = Person.objects.get(pk=person.pk)
    assert stored.nationality == "British"
    assert stored.gender != "female"  # not in save=[...]
    assert row.changes["nationality"] == [before["nationality"], "British"]
    audit = AuditEvent.objects.latest("id")
    assert (audit.action, audit.record_type, audit.record_id) == (
        "change",
        "person",
        str(person.pk),
    )
    assert audit.detail["fields"] == ["nationality"]
    event = DomainEvent.objects.get(type="person.changed")
    assert (event.subject_id, event.payload, event.actor_id) == (
        person.pk,
        {"why": "test"},
        officer.pk,
    )


def test_a_change_that_alters_nothing_writes_nothing(officer, person):
    before = snapshot(person)
    counts = _counts()
    row = written(
        person, actor=officer, action="change", before=before, save=True, event="person.changed"
    )
    assert row is None
    assert _counts() == counts


def test_a_part_created_is_a_change_of_its_subject_in_its_history(officer, person):
    name = PersonName.objects.create(
        person=person, kind="alias", family_name="Leigh", recorded_at=timezone.now()
    )
    written(name, actor=officer, action="create", subject=person, summary="Alias added")
    change = RecordChange.objects.latest("id")
    assert (change.object_id, change.action, change.summary) == (person.pk, "create", "Alias added")
    audit = AuditEvent.objects.latest("id")
    assert (audit.action, audit.record_id) == (Action.CHANGE, str(person.pk))


def test_the_audit_row_may_name_another_record_and_action(officer, person):
    other = persons.create_person(actor=officer, given_names="Bo", family_name="Lee")
    written(
        person,
        actor=officer,
        action="create",
        audited=other,
        audit_action=Action.LINK,
        label="a label",
    )
    audit = AuditEvent.objects.latest("id")
    assert (audit.action, audit.record_id, audit.record_label) == ("link", str(other.pk), "a label")


def _change_then_fail(officer, person):
    with transaction.atomic():
        before = snapshot(person)
        person.nationality = "Irish"
        written(person, actor=officer, action="change", before=before, save=True, event="x.y")
        raise RuntimeError


def test_everything_rolls_back_with_the_callers_transaction(officer, person):
    counts = _counts()
    with pytest.raises(RuntimeError):
        _change_then_fail(officer, person)
    assert _counts() == counts
    assert Person.objects.get(pk=person.pk).nationality != "Irish"
