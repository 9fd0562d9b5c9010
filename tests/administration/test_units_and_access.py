"""Units (add, rename, move within the force > district > team tree), access to restricted
records (listed by kind and number, withdrawn, audited), and crime's skills panel on the
administrator's page for an officer (ui.extensions.register_user_panel)."""

import pytest
from django.test import Client

from bluelamp.accounts.models import AccessGrant, Unit
from bluelamp.accounts.permissions import write_scope
from bluelamp.accounts.roles import Role, UnitKind
from bluelamp.audit.models import AuditEvent
from bluelamp.core import persons, restriction
from bluelamp.core.models import Person, RecordChange
from bluelamp.crime.investigation import services as investigation

from ..conftest import sign_in

pytestmark = pytest.mark.django_db


def test_units_are_added_renamed_and_moved_with_their_paths_kept(as_admin, admin, units):
    added = as_admin.post(
        "/administration/units/",
        {
            "name": "West Neighbourhood",
            "code": "west-nht",
            "kind": "team",
            "parent": units["west"].pk,
        },
    )
    assert added.status_code == 302
    team = Unit.objects.get(code="west-nht")
    assert team.path == f"{units['west'].path}{team.pk}/"
    assert (
        as_admin.post(f"/administration/units/{team.pk}/", {"name": "West NHT"}).status_code == 302
    )
    moved = as_admin.post(f"/administration/units/{team.pk}/move/", {"parent": units["east"].pk})
    assert moved.status_code == 302
    team.refresh_from_db()
    assert (team.name, team.parent, team.path) == (
        "West NHT",
        units["east"],
        f"{units['east'].path}{team.pk}/",
    )
    tree = as_admin.get("/administration/units/").content.decode()
    assert "West NHT" in tree
    summaries = set(
        RecordChange.objects.filter(content_type__model="unit", object_id=team.pk).values_list(
            "summary", flat=True
        )
    )
    assert summaries == {"Unit added", "Renamed from West Neighbourhood", "Moved to East"}
    assert (
        AuditEvent.objects.filter(
            record_type="unit", record_id=str(team.pk), actor_id=admin.pk
        ).count()
        == 3
    )


def test_a_moved_team_writes_in_its_new_district(as_admin, units, make_user):
    officer = make_user(Role.RESPONSE_OFFICER, unit="west-cid")
    assert write_scope(officer) == units["west"]
    as_admin.post(
        f"/administration/units/{units['west-cid'].pk}/move/", {"parent": units["east"].pk}
    )
    officer.refresh_from_db()
    assert write_scope(officer) == units["east"]


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"name": "", "code": "x", "kind": "team"}, "name", "required"),
        ({"name": "X", "code": "west", "kind": "team", "parent": "west"}, "code", "already"),
        ({"name": "X", "code": "not a slug", "kind": "team", "parent": "west"}, "code", "letters"),
        ({"name": "X", "code": "x", "kind": "team"}, "parent", "inside a force or district"),
        ({"name": "X", "code": "x", "kind": "district", "parent": "west"}, "parent", "force"),
        ({"name": "X", "code": "x", "kind": "force", "parent": "force"}, "parent", "no parent"),
    ],
)
def test_a_unit_that_does_not_fit_is_an_error_on_its_field(as_admin, units, data, field, words):
    if "parent" in data:
        data = {**data, "parent": units[data["parent"]].pk}
    before = Unit.objects.count()
    response = as_admin.post("/administration/units/", {"name": "", **data})
    assert response.status_code == 400
    page = response.content.decode()
    assert f'href="#id_{field}"' in page
    assert words in page
    assert Unit.objects.count() == before


def test_a_unit_with_units_under_it_is_not_moved(as_admin, units):
    other_force = Unit.objects.create(name="Other", code="other", kind=UnitKind.FORCE)
    response = as_admin.post(
        f"/administration/units/{units['west'].pk}/move/", {"parent": other_force.pk}
    )
    assert response.status_code == 400
    assert b"has units under it" in response.content
    units["west"].refresh_from_db()
    assert units["west"].parent == units["force"]
    inside = as_admin.post(
        f"/administration/units/{units['west-cid'].pk}/move/", {"parent": units["west-cid"].pk}
    )
    assert inside.status_code == 400  # a team is not offered as a parent


@pytest.fixture
def restricted(make_user):
    keeper = make_user(Role.SUPERVISOR)
    colleague = make_user(Role.INVESTIGATOR)
    person = persons.create_person(actor=keeper, family_name="Quillfeather", given_names="Hester")
    restriction.restrict_record(
        actor=keeper, record=person, reason="Member of staff", grant_to=[colleague]
    )
    return {"keeper": keeper, "colleague": colleague, "person": person}


def test_access_is_listed_by_kind_and_number_only_and_withdrawn_with_an_audit(
    as_admin, admin, restricted
):
    person, colleague = restricted["person"], restricted["colleague"]
    seeing = Client()
    sign_in(seeing, colleague)
    assert seeing.get(f"/people/{person.pk}/").status_code == 200
    page = as_admin.get("/administration/access/").content.decode()
    assert f"Restricted person no. {person.pk}" in page
    assert "Member of staff" in page  # why it was given
    assert "Quillfeather" not in page
    assert "Hester" not in page
    assert f"/people/{person.pk}/" not in page
    grant = AccessGrant.objects.get(user=colleague)
    response = as_admin.post(f"/administration/access/{grant.pk}/revoke/")
    assert response.status_code == 302
    assert not AccessGrant.objects.filter(pk=grant.pk).exists()
    assert seeing.get(f"/people/{person.pk}/").status_code == 404
    event = AuditEvent.objects.filter(actor_id=admin.pk, record_type="person").latest("id")
    assert (event.action, event.record_id) == ("change", str(person.pk))
    assert event.detail["access_withdrawn_from"] == colleague.pk
    # The record's history says so, to those who may read it (the keeper still may).
    history = restriction.view_history(
        actor=restricted["keeper"], record=Person.objects.get(pk=person.pk)
    )
    assert any(colleague.display_name in row.summary for row in history)
    # Withdrawing it twice is not an error page.
    again = as_admin.post(f"/administration/access/{grant.pk}/revoke/")
    assert again.status_code == 302


def test_granting_stays_with_those_who_restrict(admin, restricted, make_user):
    with pytest.raises(Exception, match="You tried to restrict a record"):
        restriction.grant_access(
            actor=admin, record=restricted["person"], user=make_user(Role.INVESTIGATOR), reason="x"
        )
    grant = AccessGrant.objects.filter(user=restricted["colleague"]).get()
    with pytest.raises(Exception, match="You tried to withdraw someone.s access"):
        restriction.revoke_access(actor=restricted["keeper"], grant=grant)


def test_an_officers_skills_are_shown_on_their_page_through_crimes_panel(
    as_admin, admin, make_user
):
    investigator = make_user(Role.INVESTIGATOR)
    investigation.add_officer_skill(actor=admin, officer=investigator, skill="fraud")
    page = as_admin.get(f"/administration/users/{investigator.pk}/").content.decode()
    assert "Investigative skills" in page
    assert "Trained fraud investigator" in page
    assert as_admin.get("/investigations/skills/").status_code == 200  # the link it gives


def test_access_given_and_withdrawn_are_both_in_the_records_history(admin, restricted, make_user):
    """Granting used to write no history row (the record's own fields do not change)."""
    keeper, person = restricted["keeper"], restricted["person"]
    newcomer = make_user(Role.INVESTIGATOR)
    restriction.grant_access(actor=keeper, record=person, user=newcomer, reason="Takes the case")
    restriction.revoke_access(actor=admin, grant=AccessGrant.objects.get(user=newcomer))
    summaries = [row.summary for row in restriction.view_history(actor=keeper, record=person)]
    assert f"Access granted to {newcomer.display_name}: Takes the case" in summaries
    assert f"Access withdrawn from {newcomer.display_name}" in summaries
