"""Recording people: names, partial dates of birth, identifiers, warnings, and their history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bluelamp.accounts.roles import Role
from bluelamp.audit.models import AuditEvent
from bluelamp.core import persons
from bluelamp.core.history import history_of
from bluelamp.core.models import Person


def test_first_known_name_is_kept_when_a_new_name_is_added(officer):
    person = persons.create_person(
        actor=officer, given_names="Margaret", family_name="Smith", dob_year=1960
    )
    persons.add_name(
        actor=officer, person=person, given_names="Peggy", family_name="Jones", kind="current"
    )
    names = {(n.given_names, n.family_name): n for n in person.names.all()}
    assert names[("Margaret", "Smith")].first_known is True
    assert names[("Margaret", "Smith")].kind == "previous"
    assert names[("Peggy", "Jones")].first_known is False
    assert Person.objects.get(pk=person.pk).display_name == "Peggy JONES"


@pytest.mark.parametrize(
    ("year", "month", "day", "text"),
    [
        (1990, 5, 17, "17/05/1990"),
        (1990, 5, None, "??/05/1990"),
        (1990, None, None, "1990 (year only)"),
        (None, None, None, "not known"),
    ],
)
def test_partial_dates_of_birth_are_accepted(officer, year, month, day, text):
    person = persons.create_person(
        actor=officer, family_name="Okoro", dob_year=year, dob_month=month, dob_day=day
    )
    assert person.dob_text == text


@pytest.mark.parametrize(
    ("year", "month", "day", "field"),
    [
        (None, 5, None, "dob_year"),
        (1990, None, 4, "dob_month"),
        (1990, 2, 30, "dob_day"),
        (1990, 13, None, "dob_month"),
        (3000, None, None, "dob_year"),
    ],
)
def test_impossible_dates_of_birth_name_the_field(officer, year, month, day, field):
    with pytest.raises(ValidationError) as caught:
        persons.create_person(
            actor=officer, family_name="Okoro", dob_year=year, dob_month=month, dob_day=day
        )
    assert field in caught.value.message_dict
    assert not Person.objects.exists()


def test_a_person_needs_a_name(officer):
    with pytest.raises(ValidationError) as caught:
        persons.create_person(actor=officer, given_names="  ", family_name="")
    assert "family_name" in caught.value.message_dict


def test_control_characters_are_refused(officer):
    with pytest.raises(ValidationError) as caught:
        persons.create_person(actor=officer, family_name="Smith\x00")
    assert "family_name" in caught.value.message_dict


@pytest.mark.parametrize(
    ("kind", "value", "stored"),
    [
        ("phone", "+44 7700 900123", "07700900123"),
        ("email", "A.Person@Example.org", "a.person@example.org"),
        ("pnc", "12/345678a", "12/345678A"),
        ("driving_licence", "smith 901017 jj9ab", "SMITH901017JJ9AB"),
    ],
)
def test_identifiers_are_normalised_for_searching(officer, kind, value, stored):
    person = persons.create_person(actor=officer, family_name="Smith")
    identifier = persons.add_identifier(actor=officer, person=person, kind=kind, value=value)
    assert identifier.normalised == stored
    assert identifier.value == value


def test_bad_identifier_names_the_field(officer):
    person = persons.create_person(actor=officer, family_name="Smith")
    with pytest.raises(ValidationError) as caught:
        persons.add_identifier(actor=officer, person=person, kind="pnc", value="not a pnc")
    assert "value" in caught.value.message_dict


def test_changes_are_kept_in_history_with_before_and_after(officer):
    person = persons.create_person(actor=officer, family_name="Smith", dob_year=1980)
    persons.change_person(actor=officer, person=person, dob_year=1981, dob_month=3)
    persons.change_person(actor=officer, person=person, dob_year=1981)  # no real change
    changes = list(history_of(person, actor=officer).order_by("at", "id"))
    assert [c.action for c in changes] == ["create", "change"]
    assert changes[1].changes["dob_year"] == [1980, 1981]
    assert changes[1].changes["dob_month"] == [None, 3]
    assert changes[1].actor_name == officer.display_name


def test_warning_markers_carry_source_and_dates(officer):
    person = persons.create_person(actor=officer, family_name="Smith")
    marker = persons.add_warning_marker(
        actor=officer, person=person, kind="weapons", source="PNC", detail="Carries a knife"
    )
    assert marker.valid_from is not None
    assert marker.recorded_by_name == officer.display_name
    with pytest.raises(ValidationError) as caught:
        persons.add_warning_marker(actor=officer, person=person, kind="weapons", source="")
    assert "source" in caught.value.message_dict


def test_roles_without_the_permission_cannot_create(make_user):
    for role in (Role.ANALYST, Role.AUDITOR, Role.ADMINISTRATOR, Role.SENIOR_LEADER):
        with pytest.raises(PermissionDenied):
            persons.create_person(actor=make_user(role), family_name="Smith")
    assert not Person.objects.exists()


def test_every_write_and_read_is_audited(officer):
    person = persons.create_person(actor=officer, family_name="Smith")
    persons.view_person(actor=officer, person_id=person.pk)
    actions = list(
        AuditEvent.objects.filter(record_type="person", record_id=str(person.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == ["create", "view"]
