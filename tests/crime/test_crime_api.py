"""POST /api/crimes (the load benchmark's endpoint) and the crime endpoints: inline and existing
parties, bad input naming the field with nothing saved, 403 for the wrong role, 404 restricted."""

import pytest

from bluelamp.accounts.roles import Role
from bluelamp.accounts.services import issue_api_token
from bluelamp.audit.models import AuditEvent
from bluelamp.core import persons, restriction
from bluelamp.core.models import Event, Person
from bluelamp.crime.classification import grant_authority
from bluelamp.crime.models import Crime
from bluelamp.people.models import EntryChoice
from bluelamp.victims.models import VictimRecord

from .helpers import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    def call(user, method, url, body=None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=user, name='t')}"}
        if method == "get":
            return client.get(url, **headers)
        return client.post(url, body or {}, content_type="application/json", **headers)

    return call


def _body(units, **extra):
    return {
        "summary": "Purse taken on the bus",
        "offence_code": "39",
        "owning_unit_id": units["west-response"].pk,
        "victims": [{"given_names": "Ann", "family_name": "Lee", "dob": "1990-02-03"}],
        "suspects": [{"family_name": "Unknown male"}],
        "modus_operandi": "Distracted the victim while a second man took the purse",
        **extra,
    }


def test_a_crime_is_recorded_with_inline_and_existing_people(api, officer, units):
    known = person(officer, "Sam", "Known")
    made = api(officer, "post", "/api/crimes", _body(units, witnesses=[{"id": known.pk}]))
    assert made.status_code == 201, made.content
    answer = made.json()
    assert answer["offence_code"] == "39"
    assert answer["group"] == "Theft offences"  # the published list's group (domain.md 4.2)
    assert answer["witnesses"] == [known.pk]
    victim = Person.objects.get(pk=answer["victims"][0])
    assert (victim.dob_year, victim.dob_month, victim.dob_day) == (1990, 2, 3)
    read = api(officer, "get", f"/api/crimes/{answer['id']}").json()
    assert read["qa_status"] == "waiting"
    assert [c["to_code"] for c in read["classifications"]] == ["39"]
    assert read["suspects"] == answer["suspects"]
    assert AuditEvent.objects.filter(
        action="view", record_id=str(answer["id"]), actor_id=officer.pk
    ).exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"offence_code": "ZZ9"}, "offence_code"),
        ({"offence_code": "53C"}, "offence_code"),
        ({"offence_code": "28A"}, "offence_code"),  # outcomes only (domain.md 4.2)
        ({"flags": ["gang"]}, "flags"),
        ({"victims": [{"given_names": "", "family_name": ""}]}, "victims[0].family_name"),
        ({"suspects": [{"id": 999999}]}, "suspects[0].id"),
        ({"summary": ""}, "summary"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(api, officer, units, extra, field):
    people_before = Person.objects.count()
    refused = api(officer, "post", "/api/crimes", _body(units, **extra))
    assert refused.status_code == 422, refused.content
    named = [
        ".".join(str(p) for p in d["loc"] if p not in ("body", "payload"))
        for d in refused.json()["detail"]
    ]
    assert field in named
    assert Person.objects.count() == people_before
    assert not Event.objects.filter(kind="crime").exists()


def test_crime_flags_are_recorded_and_read_back(api, officer, units):
    made = api(officer, "post", "/api/crimes", _body(units, flags=["hate_crime"]))
    assert made.status_code == 201, made.content
    assert made.json()["flags"] == ["hate_crime"]
    read = api(officer, "get", f"/api/crimes/{made.json()['id']}").json()
    assert read["flags"] == ["hate_crime"]


def test_an_analyst_may_not_record_a_crime(api, make_user, units):
    refused = api(make_user(Role.ANALYST), "post", "/api/crimes", _body(units))
    assert refused.status_code == 403
    assert not Event.objects.filter(kind="crime").exists()


def test_a_restricted_crime_is_not_found(api, officer, units, make_user):
    made = api(officer, "post", "/api/crimes", _body(units)).json()
    sergeant = make_user(Role.SUPERVISOR)
    restriction.restrict_record(
        actor=sergeant, record=Event.objects.get(pk=made["id"]), reason="Sensitive"
    )
    other = make_user(Role.INVESTIGATOR)
    assert api(other, "get", f"/api/crimes/{made['id']}").status_code == 404
    assert (
        api(
            other,
            "post",
            f"/api/crimes/{made['id']}/classification",
            {"offence_code": "49", "reason": "x"},
        ).status_code
        == 404
    )


def test_reclassify_qa_outcome_and_cancel_over_the_api(api, officer, units, make_user):
    sergeant = make_user(Role.SUPERVISOR)
    checker = make_user(Role.QUALITY_ASSURANCE)
    made = api(officer, "post", "/api/crimes", _body(units)).json()
    url = f"/api/crimes/{made['id']}"
    bad = api(sergeant, "post", f"{url}/classification", {"offence_code": "49", "reason": " "})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "reason"]
    step = api(
        sergeant, "post", f"{url}/classification", {"offence_code": "34B", "reason": "Force"}
    )
    assert step.status_code == 201
    assert step.json()["from_code"] == "39"
    assert api(officer, "post", f"{url}/qa/accept").status_code == 403
    returned = api(
        checker, "post", f"{url}/qa/return", {"problems": [{"field": "summary", "text": "Vague"}]}
    )
    assert returned.json()["status"] == "returned"
    assert api(officer, "post", f"{url}/qa/resubmit").json()["status"] == "waiting"
    queue = api(checker, "get", "/api/qa/queue").json()
    assert [row["crime_id"] for row in queue] == [made["id"]]
    assert api(checker, "post", f"{url}/qa/accept").json()["status"] == "accepted"
    no_suspect = api(sergeant, "post", f"{url}/outcome", {"outcome": "1"})
    assert no_suspect.status_code == 422
    assert no_suspect.json()["detail"][0]["loc"] == ["body", "suspect"]
    done = api(
        sergeant, "post", f"{url}/outcome", {"outcome": "1", "suspect_id": made["suspects"][0]}
    )
    assert done.status_code == 201
    assert api(officer, "get", url).json()["outcome"] == "1"

    # The same victim again: the record already held is offered before another is made.
    asked = api(officer, "post", "/api/crimes", _body(units))
    assert asked.status_code == 409
    offered = asked.json()["offered"]["victims[0]"]
    assert offered[0]["id"] == made["victims"][0]
    body = _body(units)
    body["victims"][0]["chosen"] = str(offered[0]["id"])
    body["suspects"][0]["chosen"] = "new"
    other = api(officer, "post", "/api/crimes", body).json()
    assert other["victims"] == made["victims"]
    cancel = {"reason": "C3", "rationale": "Same as the first"}
    refused = api(sergeant, "post", f"/api/crimes/{other['id']}/cancellation", cancel)
    assert refused.status_code == 403
    grant_authority(actor=make_user(Role.SENIOR_LEADER), user=sergeant, kind="ddm")
    cancelled = api(sergeant, "post", f"/api/crimes/{other['id']}/cancellation", cancel)
    assert cancelled.status_code == 201
    assert cancelled.json()["authority"] == "ddm"


def test_a_likely_known_person_is_offered_and_nothing_is_saved_until_chosen(api, officer, units):
    known = persons.create_person(
        actor=officer, given_names="Ann", family_name="Lee", dob_year=1990, dob_month=2, dob_day=3
    )
    crimes, people = Crime.objects.count(), Person.objects.count()
    asked = api(officer, "post", "/api/crimes", _body(units))
    assert asked.status_code == 409, asked.content
    answer = asked.json()
    assert [offer["id"] for offer in answer["offered"]["victims[0]"]] == [known.pk]
    assert answer["offered"]["victims[0]"][0]["reasons"]  # why it is offered
    assert (Crime.objects.count(), Person.objects.count()) == (crimes, people)

    body = _body(units)
    body["victims"][0]["chosen"] = "999999"  # not one of those offered
    refused = api(officer, "post", "/api/crimes", body)
    assert refused.status_code == 422
    assert "victims[0].chosen" in str(refused.json()["detail"])
    assert Crime.objects.count() == crimes

    body["victims"][0]["chosen"] = str(known.pk)
    made = api(officer, "post", "/api/crimes", body)
    assert made.status_code == 201, made.content
    assert made.json()["victims"] == [known.pk]
    assert EntryChoice.objects.filter(chosen=known, context="crime").count() == 1


def test_a_victims_contact_details_start_their_contact_plan(api, officer, units):
    body = _body(units)
    body["victims"][0].update(
        phone="07700 900123", email="ann@example.org", postcode="PR1 2AB", preferred="sms"
    )
    made = api(officer, "post", "/api/crimes", body)
    assert made.status_code == 201, made.content
    victim = VictimRecord.objects.get(crime_id=made.json()["id"])
    assert (victim.channel, victim.phone, victim.email) == (
        "sms",
        "07700 900123",
        "ann@example.org",
    )
    lives = victim.person.location_links.get()
    assert (lives.kind, lives.location.postcode) == ("lives_at", "PR1 2AB")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"preferred": "email"}, "victims[0].email"),
        ({"preferred": "pigeon"}, "victims[0].preferred"),
        ({"phone": "call me"}, "victims[0].phone"),
        ({"email": "not-an-address"}, "victims[0].email"),
    ],
)
def test_bad_contact_details_are_named_and_nothing_is_saved(api, officer, units, change, field):
    body = _body(units)
    body["victims"][0].update(change)
    refused = api(officer, "post", "/api/crimes", body)
    assert refused.status_code == 422, refused.content
    assert field in str(refused.json()["detail"])
    assert not Crime.objects.exists()
    assert not Person.objects.exists()
