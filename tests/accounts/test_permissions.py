"""Deny by default; restricted records do not exist for users without a grant - not on their
page, not in lists, search, counts or links."""

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404

from bluelamp.accounts.permissions import PERMISSIONS, can, get_visible, visible
from bluelamp.accounts.roles import Role
from bluelamp.core import events, links, persons, restriction
from bluelamp.core.models import Event, Person
from bluelamp.core.search import search_records


@pytest.fixture
def staff_crime(units, make_user):
    handler = make_user(Role.CALL_HANDLER)
    sergeant = make_user(Role.SUPERVISOR)
    investigator = make_user(Role.INVESTIGATOR)
    victim = persons.create_person(actor=handler, given_names="Pat", family_name="Quigley")
    crime = events.record_event(
        actor=handler,
        kind="crime",
        owning_unit=units["west-cid"],
        summary="Harassment of a member of staff",
    )
    links.link_person_to_event(actor=handler, person=victim, event=crime, role="victim")
    restriction.restrict_record(
        actor=sergeant, record=crime, reason="Victim is staff", grant_to=[investigator]
    )
    restriction.restrict_record(actor=sergeant, record=victim, reason="Member of staff")
    return {
        "crime": crime,
        "victim": victim,
        "sergeant": sergeant,
        "investigator": investigator,
        "handler": handler,
    }


def test_an_action_without_a_rule_fails_closed(officer):
    with pytest.raises(ImproperlyConfigured):
        can(officer, "person.teleport")


def test_every_role_appears_in_the_permission_map():
    granted = set().union(*PERMISSIONS.values())
    assert granted == set(Role)


def test_restricted_event_does_not_exist_without_a_grant(staff_crime, officer):
    crime = staff_crime["crime"]
    assert not visible(Event.objects.all(), officer).filter(pk=crime.pk).exists()
    assert visible(Event.objects.all(), officer).count() == 0
    with pytest.raises(Http404):
        get_visible(Event.objects, officer, crime.pk)
    with pytest.raises(Http404):
        events.view_event(actor=officer, event_id=crime.pk)
    results = search_records(actor=officer, query=crime.reference)
    assert results.events == []


def test_restricted_event_is_there_for_those_granted(staff_crime):
    crime = staff_crime["crime"]
    for user in (staff_crime["sergeant"], staff_crime["investigator"]):
        assert events.view_event(actor=user, event_id=crime.pk) == crime
        assert search_records(actor=user, query=crime.reference).events == [crime]


def test_restricted_person_is_left_out_of_links_and_search(staff_crime):
    investigator = staff_crime["investigator"]  # can see the crime, not the restricted victim
    crime = staff_crime["crime"]
    assert list(events.event_people(actor=investigator, event=crime)) == []
    assert search_records(actor=investigator, query="Quigley").people == []
    sergeant = staff_crime["sergeant"]
    assert [link.person for link in events.event_people(actor=sergeant, event=crime)] == [
        staff_crime["victim"]
    ]
    assert search_records(actor=sergeant, query="Pat Quigley").people == [staff_crime["victim"]]


def test_granting_access_needs_the_role_and_sight_of_the_record(staff_crime, officer, make_user):
    crime = staff_crime["crime"]
    with pytest.raises(PermissionDenied):
        restriction.grant_access(actor=officer, record=crime, user=officer, reason="curious")
    other_sergeant = make_user(Role.SUPERVISOR)
    with pytest.raises(Http404):  # cannot grant what you cannot see
        restriction.grant_access(actor=other_sergeant, record=crime, user=officer, reason="x")
    restriction.grant_access(
        actor=staff_crime["sergeant"], record=crime, user=officer, reason="Needs it for the file"
    )
    assert get_visible(Event.objects, officer, crime.pk) == crime


def test_changes_are_limited_to_your_own_district(units, make_user):
    handler = make_user(Role.CALL_HANDLER)
    east_event = events.record_event(
        actor=handler, kind="incident", summary="Noise", owning_unit=units["east-response"]
    )
    west_officer = make_user(Role.RESPONSE_OFFICER, unit="west-response")
    with pytest.raises(PermissionDenied):
        events.change_event(actor=west_officer, event=east_event, summary="Edited")
    with pytest.raises(PermissionDenied):
        events.record_event(
            actor=west_officer, kind="incident", summary="x", owning_unit=units["east-response"]
        )
    east_officer = make_user(Role.RESPONSE_OFFICER, unit="east-response")
    events.change_event(actor=east_officer, event=east_event, summary="Edited")
    assert Event.objects.get(pk=east_event.pk).summary == "Edited"


def test_auditors_and_administrators_cannot_write(make_user, units):
    for role in (Role.AUDITOR, Role.ADMINISTRATOR):
        user = make_user(role)
        with pytest.raises(PermissionDenied):
            events.record_event(actor=user, kind="incident", summary="x", owning_unit=units["hq"])
    assert not Event.objects.exists()
    admin = make_user(Role.ADMINISTRATOR)
    with pytest.raises(PermissionDenied):  # administrators manage users, not personal data
        visible(Person.objects.all(), admin)
