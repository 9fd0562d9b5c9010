"""Clare's Law right to ask: who asked is a person the force may know, so the applicant goes
through match-on-entry (people.entry) on the page and in the API: likely records are offered
first (the page again, or a 409), the officer chooses one or "new", the choice is kept, and the
person is linked to the application with the relationship as text. An application received
before this kept only a typed name: it still shows, marked as not matched (migration 0005)."""

from __future__ import annotations

import pytest
from django.test import Client

from bluelamp.accounts.roles import Role
from bluelamp.accounts.services import issue_api_token
from bluelamp.core import persons, restriction
from bluelamp.core.models import Person
from bluelamp.people.models import EntryChoice
from bluelamp.protection import disclosure
from bluelamp.protection.models import DisclosureApplication

from ..conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(units, make_user):
    officer = make_user(Role.RESPONSE_OFFICER)
    her = persons.create_person(actor=officer, family_name="Pellow", given_names="Ana")
    him = persons.create_person(actor=officer, family_name="Tregear", given_names="Ray")
    known = persons.create_person(
        actor=officer,
        family_name="Pellow",
        given_names="Beatrix",
        dob_year=1961,
        dob_month=3,
        dob_day=14,
    )
    client = Client()
    sign_in(client, officer)
    token = issue_api_token(user=officer, name="t")
    return {
        "officer": officer,
        "unit": units["west-response"],
        "her": her,
        "him": him,
        "known": known,
        "client": client,
        "auth": {"HTTP_AUTHORIZATION": f"Bearer {token}"},
    }


def _page_post(scene, **extra):
    data = {
        "route": "right_to_ask",
        "owning_unit": scene["unit"].pk,
        "reason": "Her mother heard he hurt his last partner",
        "applicant_relationship": "Mother",
    }
    for prefix, person, given, family in (
        ("at_risk", scene["her"], "Ana", "Pellow"),
        ("subject", scene["him"], "Ray", "Tregear"),
    ):
        data |= {
            f"{prefix}-given_names": given,
            f"{prefix}-family_name": family,
            f"{prefix}-gender": "unknown",
            f"{prefix}-ethnicity": "NS",
            f"{prefix}-chosen": str(person.pk),
        }
    return scene["client"].post("/clares-law/new/", data | extra)


APPLICANT = {
    "applicant-given_names": "Beatrix",
    "applicant-family_name": "Pellow",
    "applicant-dob_year": "1961",
    "applicant-dob_month": "3",
    "applicant-dob_day": "14",
    "applicant-gender": "unknown",
    "applicant-ethnicity": "NS",
}


def test_the_page_offers_the_known_applicant_then_links_the_one_chosen(scene):
    known = scene["known"]
    first = _page_post(scene, **APPLICANT)
    assert first.status_code == 200, first.content.decode()[:2000]
    assert 'data-testid="offered-applicant"' in first.content.decode()
    assert f'value="{known.pk}"' in first.content.decode()
    assert not DisclosureApplication.objects.exists()
    people = Person.objects.count()
    second = _page_post(scene, **APPLICANT, **{"applicant-chosen": str(known.pk)})
    assert second.status_code == 302
    application = DisclosureApplication.objects.get()
    assert application.applicant == known
    assert application.applicant_relationship == "Mother"
    assert application.applicant_name == ""
    assert Person.objects.count() == people  # no duplicate of the known applicant
    assert EntryChoice.objects.filter(context="dvds", chosen=known).exists()
    page = scene["client"].get(f"/clares-law/{application.pk}/").content.decode()
    assert f"/people/{known.pk}/" in page or f"/person/{known.pk}/" in page
    assert "Beatrix" in page
    assert "(Mother)" in page


def test_the_page_makes_a_new_applicant_when_new_is_chosen(scene):
    response = _page_post(scene, **APPLICANT, **{"applicant-chosen": "new"})
    assert response.status_code == 302
    application = DisclosureApplication.objects.get()
    assert application.applicant != scene["known"]
    assert "Beatrix" in application.applicant.display_name


def test_right_to_ask_without_an_applicant_is_refused_on_the_page_naming_it(scene):
    response = _page_post(scene)
    assert response.status_code == 400
    assert "Say who asked" in response.content.decode()
    assert not DisclosureApplication.objects.exists()


def test_the_api_answers_409_with_the_known_applicant_then_links_the_choice(scene):
    client, auth = scene["client"], scene["auth"]
    body = {
        "route": "right_to_ask",
        "person_at_risk_id": scene["her"].pk,
        "subject_id": scene["him"].pk,
        "reason": "Her mother asked",
        "applicant_relationship": "Mother",
        "applicant": {"given_names": "Beatrix", "family_name": "Pellow", "dob": "1961-03-14"},
    }

    def post(payload):
        return client.post("/api/clares-law", payload, content_type="application/json", **auth)

    asked = post(body)
    assert asked.status_code == 409, asked.content
    assert scene["known"].pk in [o["id"] for o in asked.json()["offered"]["applicant"]]
    assert not DisclosureApplication.objects.exists()
    body["applicant"]["chosen"] = str(scene["known"].pk)
    made = post(body)
    assert made.status_code == 201, made.content
    assert made.json()["applicant_id"] == scene["known"].pk
    assert made.json()["applicant_relationship"] == "Mother"
    by_id = post(body | {"applicant": {"id": scene["her"].pk}})
    assert by_id.status_code == 201
    assert by_id.json()["applicant_id"] == scene["her"].pk


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"applicant": None}, "applicant"),
        ({"applicant": {"given_names": " "}}, "applicant.family_name"),
        ({"applicant": {"id": 987654}}, "applicant.id"),
        ({"applicant": {"family_name": "Pellow", "chosen": "12345"}}, "applicant.chosen"),
        ({"applicant": {"id": "subject"}}, "applicant"),
        ({"route": "right_to_know", "applicant": {"id": "her"}}, "applicant"),
        ({"applicant_relationship": "x" * 201}, "applicant_relationship"),
    ],
)
def test_bad_applicant_input_is_a_422_naming_the_field(scene, change, field):
    body = {
        "route": "right_to_ask",
        "person_at_risk_id": scene["her"].pk,
        "subject_id": scene["him"].pk,
        "reason": "Asked",
        "applicant": {"id": scene["her"].pk},
    } | change
    if body["applicant"] and body["applicant"].get("id") in ("subject", "her"):
        body["applicant"] = {
            "id": scene["him" if body["applicant"]["id"] == "subject" else "her"].pk
        }
    people = Person.objects.count()
    answer = scene["client"].post(
        "/api/clares-law", body, content_type="application/json", **scene["auth"]
    )
    assert answer.status_code == 422, answer.content
    assert field in {".".join(str(p) for p in d["loc"][-2:]) for d in answer.json()["detail"]} | {
        str(d["loc"][-1]) for d in answer.json()["detail"]
    }
    assert not DisclosureApplication.objects.exists()
    assert Person.objects.count() == people  # nothing made


def test_an_older_application_keeps_its_typed_name_marked_not_matched(scene):
    application = disclosure.receive_application(
        actor=scene["officer"],
        route="right_to_ask",
        person_at_risk=scene["her"],
        subject=scene["him"],
        owning_unit=scene["unit"],
        reason="Asked",
        applicant=scene["her"],
    )
    # As migration 0005 leaves a row made before match-on-entry: a name, no person.
    DisclosureApplication.objects.filter(pk=application.pk).update(
        applicant=None, applicant_name="Bea Reed (typed)"
    )
    page = scene["client"].get(f"/clares-law/{application.pk}/").content.decode()
    assert "Bea Reed (typed) (as recorded, not matched to a person)" in page


def test_a_restricted_applicant_is_not_named_without_a_grant(scene, make_user):
    application = disclosure.receive_application(
        actor=scene["officer"],
        route="right_to_ask",
        person_at_risk=scene["her"],
        subject=scene["him"],
        owning_unit=scene["unit"],
        reason="Asked",
        applicant=scene["known"],
    )
    keeper = make_user(Role.SUPERVISOR)
    restriction.restrict_record(actor=keeper, record=scene["known"], reason="Member of staff")
    hub = make_user(Role.SAFEGUARDING)
    client = Client()
    sign_in(client, hub)
    page = client.get(f"/clares-law/{application.pk}/").content.decode()
    assert "Beatrix" not in page
    token = issue_api_token(user=hub, name="t")
    answer = client.get(
        f"/api/clares-law/{application.pk}", HTTP_AUTHORIZATION=f"Bearer {token}"
    ).json()
    assert answer["applicant_id"] is None


@pytest.mark.parametrize("who", ["her", "him"])
def test_a_restricted_person_at_risk_or_asked_about_is_not_named_without_a_grant(
    scene, make_user, who
):
    application = disclosure.receive_application(
        actor=scene["officer"],
        route="right_to_ask",
        person_at_risk=scene["her"],
        subject=scene["him"],
        owning_unit=scene["unit"],
        reason="Asked",
        applicant=scene["known"],
    )
    keeper = make_user(Role.SUPERVISOR)
    restriction.restrict_record(actor=keeper, record=scene[who], reason="Member of staff")
    hub = make_user(Role.SAFEGUARDING)
    client = Client()
    sign_in(client, hub)
    page = client.get(f"/clares-law/{application.pk}/").content.decode()
    hidden, shown = ("Ana", "Ray") if who == "her" else ("Ray", "Ana")
    assert hidden not in page
    assert shown in page
