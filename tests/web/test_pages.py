"""The web shell: home per role, record pages with their history, search, forms that name the
field on bad input and never lose what was saved, and restricted records that 404."""

import re

import pytest
from django.test import Client

from bluelamp.accounts.roles import Role
from bluelamp.core import events, links, persons, places, restriction
from bluelamp.core.models import Event, Person

from ..conftest import sign_in


@pytest.fixture
def record(units, make_user):
    actor = make_user(Role.RESPONSE_OFFICER)
    person = persons.create_person(
        actor=actor,
        given_names="Jean",
        family_name="O'Neill",
        dob_year=1975,
        dob_month=4,
        dob_day=2,
    )
    home = places.create_location(
        actor=actor, line1="12 Church Street", town="Preston", postcode="pr1 3bq"
    )
    links.link_person_to_location(actor=actor, person=person, location=home, kind="lives_at")
    event = events.record_event(
        actor=actor,
        kind="crime",
        summary="Theft of a bicycle",
        owning_unit=units["west-response"],
        location=home,
    )
    links.link_person_to_event(actor=actor, person=person, event=event, role="victim")
    return {"actor": actor, "person": person, "home": home, "event": event}


@pytest.mark.parametrize("role", list(Role))
def test_every_role_has_a_home_page(client, make_user, role):
    user = make_user(role)
    sign_in(client, user)
    if role in (Role.AUDITOR, Role.ANALYST):  # must state a purpose first
        client.post("/purpose/", {"purpose": "Monthly compliance audit", "next": "/"})
    response = client.get("/")
    assert response.status_code == 200
    assert f"{Role(role).label}: what is waiting for you".encode() in response.content


def test_record_pages_link_to_each_other(client, record):
    sign_in(client, record["actor"])
    person_page = client.get(f"/people/{record['person'].pk}/").content.decode()
    assert "Jean O&#x27;NEILL" in person_page
    assert "02/04/1975" in person_page
    assert f"/events/{record['event'].pk}/" in person_page
    assert f"/locations/{record['home'].pk}/" in person_page
    event_page = client.get(f"/events/{record['event'].pk}/").content.decode()
    assert f"/people/{record['person'].pk}/" in event_page
    location_page = client.get(f"/locations/{record['home'].pk}/").content.decode()
    assert "PR1 3BQ" in location_page
    assert f"/people/{record['person'].pk}/" in location_page


def test_history_shows_who_changed_which_field(client, record, make_user):
    editor = make_user(Role.INVESTIGATOR)
    events.change_event(actor=editor, event=record["event"], summary="Theft of a red bicycle")
    sign_in(client, record["actor"])
    page = client.get(f"/events/{record['event'].pk}/").content.decode()
    history = page[page.index('data-testid="history"') :]
    assert editor.display_name in history
    assert "<code>summary</code>: Theft of a bicycle → Theft of a red bicycle" in history


@pytest.mark.parametrize(
    ("query", "finds"),
    [
        ("O'Neill", "person"),
        ("jean o'neill", "person"),
        ("PR1 3BQ", "person"),
        ("pr13bq", "home"),
        ("reference", "event"),
    ],
)
def test_global_search_finds_by_name_postcode_and_reference(client, record, query, finds):
    if query == "reference":
        query = record["event"].reference
    sign_in(client, record["actor"])
    page = client.get("/search/", {"q": query}).content.decode()
    target = record[finds]
    prefix = {"person": "people", "home": "locations", "event": "events"}[finds]
    assert f"/{prefix}/{target.pk}/" in page


def test_search_by_phone_and_vrm(client, record):
    persons.add_identifier(
        actor=record["actor"], person=record["person"], kind="phone", value="07700 900 461"
    )
    car = places.create_object(actor=record["actor"], kind="vehicle", vrm="pn19 xyz")
    sign_in(client, record["actor"])
    assert (
        f"/people/{record['person'].pk}/"
        in client.get("/search/", {"q": "+44 7700 900461"}).content.decode()
    )
    assert f"/objects/{car.pk}/" in client.get("/search/", {"q": "PN19XYZ"}).content.decode()


def test_bad_form_input_names_the_field_and_saves_nothing(client, record):
    sign_in(client, record["actor"])
    response = client.post(
        "/people/new/",
        {
            "family_name": "Smith",
            "dob_day": "31",
            "dob_month": "2",
            "dob_year": "1990",
            "gender": "unknown",
            "ethnicity": "NS",
        },
    )
    assert response.status_code == 400
    assert b"There is a problem" in response.content
    assert b"That day does not exist in that month" in response.content
    assert b'value="Smith"' in response.content  # what was typed is kept on the form
    assert not Person.objects.filter(names__family_name="Smith").exists()

    response = client.post(
        "/events/new/", {"kind": "asb", "summary": "Noise", "postcode": "QQ1 1QQ"}
    )
    assert response.status_code == 400
    assert b"is not a valid UK postcode" in response.content
    assert Event.objects.count() == 1


def test_a_failed_addition_keeps_what_was_already_saved(client, record):
    sign_in(client, record["actor"])
    person = record["person"]
    response = client.post(f"/people/{person.pk}/identifiers/", {"kind": "pnc", "value": "x"})
    assert response.status_code == 400
    assert b"A PNC ID looks like" in response.content
    assert Person.objects.get(pk=person.pk).names.count() == 1


def test_restricted_records_404_on_the_web_for_others(record, make_user):
    sergeant = make_user(Role.SUPERVISOR)
    restriction.restrict_record(actor=sergeant, record=record["event"], reason="Staff victim")
    outsider = Client()
    sign_in(outsider, make_user(Role.INVESTIGATOR))
    response = outsider.get(f"/events/{record['event'].pk}/")
    assert response.status_code == 404
    assert b"There is no record here" in response.content
    found = outsider.get("/search/", {"q": record["event"].reference}).content.decode()
    assert f"/events/{record['event'].pk}/" not in found
    assert "No records found" in found
    insider = Client()
    sign_in(insider, sergeant)
    assert insider.get(f"/events/{record['event'].pk}/").status_code == 200


def test_auditor_sees_who_looked_at_a_record(client, record, make_user):
    looker = make_user(Role.INVESTIGATOR)
    persons.view_person(actor=looker, person_id=record["person"].pk)
    sign_in(client, make_user(Role.AUDITOR))
    response = client.get("/audit/", {"record_type": "person", "record_id": record["person"].pk})
    assert response.status_code == 302  # a purpose first
    assert response["Location"].startswith("/purpose/")
    client.post("/purpose/", {"purpose": "Complaint 2026/114 about access"})
    page = client.get(
        "/audit/", {"record_type": "person", "record_id": record["person"].pk}
    ).content.decode()
    assert looker.display_name in page
    assert "Viewed" in page
    by_user = client.get("/audit/", {"user": looker.username}).content.decode()
    assert f"person {record['person'].pk}" in by_user


def test_anonymous_users_are_sent_to_sign_in(client, record):
    for url in ("/", f"/people/{record['person'].pk}/", "/search/?q=x", "/audit/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/")


@pytest.mark.parametrize("path", ["/", "/search/?q=Smith", "/people/new/", "/api/docs"])
def test_pages_load_nothing_from_another_origin(client, make_user, path):
    """The machines are offline: every script, style and image comes from this server."""
    sign_in(client, make_user(Role.SUPERVISOR))
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'src="/' in html or 'href="/' in html
    assert not re.findall(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
