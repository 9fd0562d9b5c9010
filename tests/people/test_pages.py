"""The find-a-person page and the duplicate review queue, through the real pages."""

from bluelamp.accounts.roles import Role
from bluelamp.core import persons
from bluelamp.core.models import Person
from bluelamp.people.models import CandidateStatus, DuplicateCandidate, EntryChoice, Merge

from ..conftest import sign_in


def test_find_shows_ranked_matches_with_reasons(client, officer):
    person = persons.create_person(
        actor=officer,
        given_names="Margaret",
        family_name="O'Neill",
        dob_year=1975,
        dob_month=11,
        dob_day=2,
    )
    sign_in(client, officer)
    response = client.get(
        "/people/find/", {"given_names": "Peggy", "family_name": "Oneil", "dob": "1975"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="/people/{person.pk}/"' in page
    assert "given name is a known nickname or short form" in page
    assert "date of birth partly known and consistent" in page


def test_find_names_the_field_that_is_wrong(client, officer):
    sign_in(client, officer)
    response = client.get("/people/find/", {"family_name": "Smith", "dob": "31/02/1980"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page
    assert 'href="#id_dob"' in page


def test_a_reviewer_merges_a_pair_and_undoes_it(client, officer, make_user):
    qa = make_user(Role.QUALITY_ASSURANCE)
    first = persons.create_person(
        actor=officer, given_names="Dean", family_name="Ross", dob_year=1990
    )
    second = persons.create_person(
        actor=officer, given_names="Dino", family_name="Ross", dob_year=1990
    )
    pair = DuplicateCandidate.objects.create(
        person=first,
        other=second,
        probability=0.93,
        match_weight=6.1,
        reasons=[{"comparison": "family name", "level": "family name the same", "weight": 4.2}],
        found_at=first.created_at,
    )
    sign_in(client, qa)
    queue = client.get("/people/duplicates/").content.decode()
    assert f'data-testid="candidate-{pair.pk}"' in queue
    assert "family name the same (+4.2)" in queue

    refused = client.post(f"/people/duplicates/{pair.pk}/merge/", {"reason": ""})
    assert refused.status_code == 400
    assert Person.objects.get(pk=second.pk).merged_into is None

    merged = client.post(f"/people/duplicates/{pair.pk}/merge/", {"reason": "Same person"})
    assert merged.status_code == 302
    assert Person.objects.get(pk=second.pk).merged_into == first
    assert DuplicateCandidate.objects.get(pk=pair.pk).status == CandidateStatus.MERGED

    assert Merge.objects.filter(survivor=first, merged=second).exists()
    page = client.get(f"/people/{second.pk}/").content.decode()
    assert f'action="/people/{second.pk}/unmerge/"' in page
    client.post(f"/people/{second.pk}/unmerge/", {"reason": "Brothers"})
    assert Person.objects.get(pk=second.pk).merged_into is None
    assert Person.objects.get(pk=second.pk).names.get().given_names == "Dino"


def test_officers_cannot_see_the_review_queue(client, officer):
    sign_in(client, officer)
    assert client.get("/people/duplicates/").status_code == 403


def test_entering_a_known_person_offers_them_and_keeps_the_choice(client, officer):
    known = persons.create_person(
        actor=officer,
        given_names="William",
        family_name="Smith",
        dob_year=1980,
        dob_month=3,
        dob_day=7,
    )
    sign_in(client, officer)
    typed = {
        "given_names": "Bill",
        "family_name": "Smith",
        "dob_day": "7",
        "dob_month": "3",
        "dob_year": "1980",
        "gender": "unknown",
        "ethnicity": "NS",
        "context": "call",
    }
    checked = client.post("/people/enter/", {**typed, "check": "1"}).content.decode()
    assert f'value="{known.pk}"' in checked
    assert "given name is a known nickname or short form" in checked
    assert Person.objects.count() == 1

    chosen = client.post("/people/enter/", {**typed, "confirm": "1", "chosen": str(known.pk)})
    assert chosen.status_code == 302
    assert Person.objects.count() == 1
    choice = EntryChoice.objects.get()
    assert (choice.context, choice.chosen, choice.created_new) == ("call", known, False)
    assert choice.offered[0]["person"] == known.pk


def test_a_new_person_is_created_only_when_the_officer_says_so(client, officer):
    persons.create_person(actor=officer, given_names="William", family_name="Smith", dob_year=1980)
    sign_in(client, officer)
    typed = {
        "given_names": "Will",
        "family_name": "Smith",
        "dob_year": "1980",
        "gender": "unknown",
        "ethnicity": "NS",
    }
    unanswered = client.post("/people/enter/", {**typed, "confirm": "1", "chosen": ""})
    assert unanswered.status_code == 200
    assert 'data-testid="offered"' in unanswered.content.decode()
    assert Person.objects.count() == 1
    created = client.post("/people/enter/", {**typed, "confirm": "1", "chosen": "new"})
    assert created.status_code == 302
    assert Person.objects.count() == 2
    choice = EntryChoice.objects.get()
    assert choice.created_new is True
    # "new" answers the records offered a moment ago, so they are not searched for again
    # (people/entry.py): de-duplication compares every new record later.
    assert choice.offered == []


def test_find_says_when_records_match_equally_well_and_a_detail_would_tell_them_apart(
    client, officer
):
    for day in (3, 17):
        persons.create_person(
            actor=officer,
            given_names="Toby",
            family_name="Williams",
            dob_year=1989,
            dob_month=4,
            dob_day=day,
        )
    sign_in(client, officer)
    page = client.get(
        "/people/find/", {"given_names": "Toby", "family_name": "Williams", "dob": "1989"}
    ).content.decode()
    assert "2 records match this search equally well" in page
    # The full date of birth tells them apart: one best match, and no such notice.
    page = client.get(
        "/people/find/", {"given_names": "Toby", "family_name": "Williams", "dob": "17/04/1989"}
    ).content.decode()
    assert 'data-testid="equally-best"' not in page
    api = client.get(
        "/api/people/match", {"given_names": "Toby", "family_name": "Williams", "dob": "1989"}
    ).json()
    assert (api["total"], api["equally_best"]) == (2, 2)
