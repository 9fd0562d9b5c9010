"""The record-a-crime page, the crime panel on the event page and the QA queue page."""

import pytest

from bluelamp.accounts.roles import Role
from bluelamp.core import persons
from bluelamp.core.models import Event, ObjectEventLink, Person
from bluelamp.crime import incidents, recording
from bluelamp.crime.classification import grant_authority
from bluelamp.crime.models import Crime

from ..conftest import sign_in
from .helpers import person

pytestmark = pytest.mark.django_db


def _people(*rows: dict) -> dict:
    """The people rows of the form as a browser without scripts sends them."""
    data = {"party-TOTAL_FORMS": str(len(rows)), "party-INITIAL_FORMS": "0"}
    for n, row in enumerate(rows):
        data.update({f"party-{n}-{key}": value for key, value in row.items()})
    return data


ANN = {
    "role": "victim",
    "given_names": "Ann",
    "family_name": "Lee",
    "dob_day": "6",
    "dob_month": "5",
    "dob_year": "1980",
}


def _form(units, *rows, **extra):
    return {
        "summary": "Bike taken from the garden",
        "offence_code": "44",
        "owning_unit": units["west-response"].pk,
        "line1": "1 Fishergate",
        "postcode": "PR1 2AB",
        "modus_operandi": "Cut the lock with bolt croppers",
        "property_description": "Red Raleigh mountain bike",
        "property_role": "stolen",
        **_people(*(rows or (ANN,))),
        **extra,
    }


def test_recording_a_crime_on_the_page_with_people_place_and_property(client, officer, units):
    suspect = person(officer, "Sam", "Known")
    sign_in(client, officer)
    form = client.get("/crimes/new/").content.decode()
    assert "Record a crime" in form
    assert '<optgroup label="Theft offences">' in form  # offences grouped by Home Office group
    assert "(required)" in form  # required fields are marked
    made = client.post(
        "/crimes/new/", _form(units, ANN, {"role": "suspect", "person_id": str(suspect.pk)})
    )
    assert made.status_code == 302, made.content.decode()[:2000]
    recorded = Crime.objects.get()
    event = recorded.event
    assert made.url == f"/events/{event.pk}/"
    assert recorded.modus_operandi == "Cut the lock with bolt croppers"
    assert event.location.postcode == "PR1 2AB"
    roles = sorted(event.person_links.values_list("role", flat=True))
    assert roles == ["suspect", "victim"]
    assert ObjectEventLink.objects.get(event=event).role == "stolen"
    page = client.get(made.url).content.decode()
    assert "44 Theft or unauthorised taking of a pedal cycle" in page
    assert 'data-testid="qa-status">Waiting for a check' in page


def test_several_victims_suspects_and_witnesses_on_one_page(client, officer, units):
    sign_in(client, officer)
    rows = (
        ANN,
        {
            "role": "victim",
            "given_names": "Bo",
            "family_name": "Hart",
            "phone": "07700 900123",
            "preferred": "sms",
        },
        {"role": "suspect", "family_name": "Unknown male"},
        {"role": "witness", "given_names": "Cy", "family_name": "Moss"},
        {"role": "victim"},  # a row left blank
    )
    made = client.post("/crimes/new/", _form(units, *rows))
    assert made.status_code == 302, made.content.decode()[:3000]
    event = Crime.objects.get().event
    roles = sorted(event.person_links.values_list("role", flat=True))
    assert roles == ["suspect", "victim", "victim", "witness"]
    bo = event.victim_records.get(person__names__given_names="Bo")
    assert (bo.channel, bo.phone) == ("sms", "07700 900123")


def test_adding_a_person_without_scripts_keeps_what_was_typed(client, officer, units):
    sign_in(client, officer)
    more = client.post("/crimes/new/", _form(units, ANN, add_person="1"))
    page = more.content.decode()
    assert more.status_code == 200
    assert 'id="party-1"' in page
    assert 'name="party-TOTAL_FORMS" value="2"' in page
    assert 'value="Lee"' in page
    assert "Cut the lock with bolt croppers" in page
    assert "There is a problem" not in page
    assert not Crime.objects.exists()


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"offence_code": ""}, "id_offence_code"),
        ({"party-0-person_id": "12x"}, "id_party-0-person_id"),
        ({"party-0-person_id": "999999"}, "id_party-0-person_id"),
        ({"party-0-given_names": "", "party-0-family_name": ""}, None),
        ({"party-0-preferred": "email"}, "id_party-0-email"),
        ({"party-0-dob_month": "13"}, "id_party-0-dob_month"),
        ({"postcode": "NOT A POSTCODE"}, None),
    ],
)
def test_bad_input_is_named_keeps_what_was_typed_and_saves_nothing(
    client, officer, units, extra, field
):
    sign_in(client, officer)
    refused = client.post("/crimes/new/", _form(units, **extra))
    page = refused.content.decode()
    assert refused.status_code == 400, page[:2000]
    assert 'data-testid="error-summary"' in page
    assert "There is a problem" in page
    if field:
        assert f'href="#{field}"' in page
    assert "Cut the lock with bolt croppers" in page  # what the user typed is kept
    assert not Crime.objects.exists()
    assert not Person.objects.exists()


def test_recording_from_an_incident_prefills_it_and_makes_the_decision(client, officer, units):
    incident = incidents.report_incident(
        actor=officer, summary="Shed broken into", owning_unit=units["west"], may_be_crime=True
    )
    sign_in(client, officer)
    assert (
        "Record a crime from this incident"
        in client.get(f"/events/{incident.pk}/").content.decode()
    )
    form = client.get(f"/crimes/new/?incident={incident.pk}").content.decode()
    assert "Shed broken into" in form
    made = client.post(
        f"/crimes/new/?incident={incident.pk}",
        _form(units, incident=incident.pk, offence_code="28E"),
    )
    assert made.status_code == 302
    assert Crime.objects.get().incident == incident
    assert incident.recording_decision.decision == "crimed"


def test_the_panel_reclassifies_and_gives_an_outcome_with_errors_named(
    client, officer, units, make_user
):
    sergeant = make_user(Role.SUPERVISOR)
    recorded = recording.record_crime(
        actor=officer,
        summary="Purse taken",
        owning_unit=units["west-response"],
        offence_code="49",
        suspects=[person(officer, "Sam", "Suspect")],
    )
    url = f"/events/{recorded.event_id}/"
    sign_in(client, sergeant)
    page = client.get(url).content.decode()
    assert "Reclassify" in page
    assert "Record the outcome" in page
    assert "Cancel this crime" not in page  # no DDM authority
    client.post(
        f"/crimes/{recorded.event_id}/reclassify/", {"offence_code": "39", "reason": "From a bag"}
    )
    page = client.get(url).content.decode()
    assert "49 → 39" in page
    bad = client.post(f"/crimes/{recorded.event_id}/outcome/", {"outcome": "1"}, follow=True)
    assert "Suspect: Outcome 1 needs a named suspect." in bad.content.decode()
    recorded.event.refresh_from_db()
    assert recorded.event.status == "open"


def test_cancel_form_only_for_a_decision_maker(client, officer, units, make_user):
    checker = make_user(Role.QUALITY_ASSURANCE)
    grant_authority(actor=make_user(Role.SENIOR_LEADER), user=checker, kind="fcr")
    recorded = recording.record_crime(
        actor=officer, summary="Twice", owning_unit=units["west-response"], offence_code="49"
    )
    sign_in(client, checker)
    assert "Cancel this crime" in client.get(f"/events/{recorded.event_id}/").content.decode()
    done = client.post(
        f"/crimes/{recorded.event_id}/cancel/",
        {"reason": "C3", "rationale": "Duplicate of the first report"},
        follow=True,
    )
    assert "Cancelled (C3" in done.content.decode()


def test_the_qa_queue_page_shows_backlog_and_accepting_works(client, officer, units, make_user):
    checker = make_user(Role.QUALITY_ASSURANCE)
    recorded = recording.record_crime(
        actor=officer, summary="Shoplifting", owning_unit=units["west-response"], offence_code="46"
    )
    sign_in(client, checker)
    page = client.get("/crimes/qa/").content.decode()
    assert "Backlog: <strong>1</strong>" in page
    assert recorded.event.reference in page
    client.post(f"/crimes/{recorded.event_id}/qa/accept/")
    assert "Backlog: <strong>0</strong>" in client.get("/crimes/qa/").content.decode()
    client.logout()
    sign_in(client, officer)
    assert client.get("/crimes/qa/").status_code == 403
    assert Event.objects.get(pk=recorded.event_id).status == "open"


def test_the_incident_page_shows_an_action_fraud_referral(client, units, make_user):
    handler = make_user(Role.CALL_HANDLER)
    incident = incidents.report_incident(
        actor=handler, summary="Online scam", owning_unit=units["west"], may_be_crime=True
    )
    sign_in(client, handler)
    refused = client.post(
        f"/incidents/{incident.pk}/decision/",
        {"decision": "crimed", "reason": "Lost £400", "offence_code": "53C"},
        follow=True,
    )
    # The form offers only current codes: the fraud codes are kept for outcomes only
    # (domain.md 4.2), and a fraud referral needs no code (Action Fraud classifies it).
    assert "53C is not one of the available choices" in refused.content.decode()
    client.post(
        f"/incidents/{incident.pk}/decision/",
        {
            "decision": "fraud",
            "reason": "Lost £400",
            "action_fraud_reference": "NFRC261125001",
        },
    )
    page = client.get(f"/events/{incident.pk}/").content.decode()
    assert "reference <strong>NFRC261125001</strong>" in page


def test_each_panel_form_names_the_bad_field_and_changes_nothing(client, officer, units, make_user):
    checker = make_user(Role.QUALITY_ASSURANCE)
    grant_authority(actor=make_user(Role.SENIOR_LEADER), user=checker, kind="ddm")
    recorded = recording.record_crime(
        actor=officer, summary="Purse taken", owning_unit=units["west-response"], offence_code="49"
    )
    base = f"/crimes/{recorded.event_id}"
    sign_in(client, checker)
    cases = [
        ("reclassify/", {"offence_code": "39", "reason": " "}, "Reason:"),
        ("reclassify/", {"offence_code": "53C", "reason": "Fraud"}, "not one of the available"),
        ("cancel/", {"reason": "C1", "rationale": "Elsewhere"}, "Receiving force:"),
        ("cancel/", {"reason": "C9", "rationale": "x"}, "Reason:"),
        ("qa/return/", {"field_1": "", "text_1": ""}, "Problems: Name at least one problem"),
    ]
    for url, data, words in cases:
        page = client.post(base + "/" + url, data, follow=True).content.decode()
        assert words in page, (url, data)
    recorded.refresh_from_db()
    recorded.qa_check.refresh_from_db()
    assert recorded.offence_code == "49"
    assert recorded.event.status == "open"
    assert recorded.qa_check.status == "waiting"
    assert recorded.classifications.count() == 1


def test_a_new_victim_like_someone_known_is_offered_first_and_the_choice_kept(
    client, officer, units
):
    """Match-on-entry on the crime form (issue 4): typing a victim the force already knows offers
    that record, at the top of the page and beside the person, before anything is saved;
    choosing it links them, and the choice is kept."""
    from bluelamp.people.models import EntryChoice

    known = persons.create_person(
        actor=officer, given_names="Ann", family_name="Lee", dob_year=1980, dob_month=5, dob_day=6
    )
    sign_in(client, officer)
    asked = client.post("/crimes/new/", _form(units))
    assert asked.status_code == 200
    page = asked.content.decode()
    assert 'href="#party-0-offered"' in page  # said at the top, linked to the offer
    assert 'data-testid="offered-party-0"' in page
    assert f'name="party-0-chosen" value="{known.pk}"' in page
    assert "Red Raleigh mountain bike" in page  # what was typed is kept
    assert not Crime.objects.exists()
    assert Person.objects.count() == 1

    made = client.post("/crimes/new/", _form(units, **{"party-0-chosen": str(known.pk)}))
    assert made.status_code == 302, made.content.decode()[:2000]
    event = Crime.objects.get().event
    assert list(event.person_links.values_list("person_id", flat=True)) == [known.pk]
    assert Person.objects.count() == 1
    choice = EntryChoice.objects.get()
    assert choice.context == "crime"
    assert choice.chosen_id == known.pk


def test_none_of_these_records_a_new_victim_and_a_made_up_choice_is_refused(client, officer, units):
    from bluelamp.people.models import EntryChoice

    persons.create_person(
        actor=officer, given_names="Ann", family_name="Lee", dob_year=1980, dob_month=5, dob_day=6
    )
    sign_in(client, officer)
    refused = client.post("/crimes/new/", _form(units, **{"party-0-chosen": "999999"}))
    assert refused.status_code == 400
    assert "Choose one of the records offered" in refused.content.decode()
    assert not Crime.objects.exists()
    made = client.post("/crimes/new/", _form(units, **{"party-0-chosen": "new"}))
    assert made.status_code == 302
    assert Person.objects.count() == 2
    assert EntryChoice.objects.get().chosen_id is None


def test_a_person_chosen_while_typing_is_linked_and_the_choice_kept(client, officer, units):
    from bluelamp.people.models import EntryChoice

    known = persons.create_person(actor=officer, given_names="Ann", family_name="Lee")
    sign_in(client, officer)
    made = client.post("/crimes/new/", _form(units, {**ANN, "person_id": str(known.pk)}))
    assert made.status_code == 302, made.content.decode()[:2000]
    assert Person.objects.count() == 1
    choice = EntryChoice.objects.get()
    assert (choice.chosen_id, choice.entered["family_name"]) == (known.pk, "Lee")


def test_flags_on_the_form_reach_the_crime_and_its_panel(client, officer, units):
    sign_in(client, officer)
    form = client.get("/crimes/new/").content.decode()
    assert 'value="domestic_abuse"' in form
    assert 'value="28A"' not in form  # outcomes-only codes are not offered (domain.md 4.2)
    made = client.post("/crimes/new/", _form(units, offence_code="8N", flags=["domestic_abuse"]))
    assert made.status_code == 302, made.content.decode()[:2000]
    recorded = Crime.objects.get()
    assert recorded.flags == ["domestic_abuse"]
    page = client.get(made["Location"]).content.decode()
    assert "Flags: Domestic abuse" in page


def test_a_victims_statement_is_recorded_on_the_crime_panel(client, officer, units):
    victim = person(officer, "Vera", "Vale")
    recorded = recording.record_crime(
        actor=officer,
        summary="Assault",
        owning_unit=units["west-response"],
        offence_code="8N",
        victims=[victim],
    )
    sign_in(client, officer)
    page = client.post(
        f"/crimes/{recorded.event_id}/victim-statement/", {"person": victim.pk}, follow=True
    ).content.decode()
    assert "offer the victim a VPS" in page
    assert 'data-testid="victim-statements"' in page
    from bluelamp.duties.models import Duty

    assert Duty.objects.filter(policy="victim-vps-offer").count() == 1


def test_the_decision_form_asks_about_rape_and_an_unmarked_incident_can_be_marked(
    client, units, make_user
):
    handler = make_user(Role.CALL_HANDLER)
    incident = incidents.report_incident(
        actor=handler, summary="Bike missing", owning_unit=units["west"], may_be_crime=False
    )
    sign_in(client, handler)
    page = client.get(f"/events/{incident.pk}/").content.decode()
    assert "<summary>Found to involve a possible crime</summary>" in page
    assert "Was a rape or attempted rape reported?" in page
    refused = client.post(
        f"/incidents/{incident.pk}/decision/",
        {"decision": "no_crime", "reason": "Lent to a friend"},
        follow=True,
    ).content.decode()
    assert "Say whether the report was of a rape" in refused
    marked = client.post(
        f"/incidents/{incident.pk}/crime-identified/",
        {"reason": "The friend denies it", "may_be_rape": ""},
        follow=True,
    ).content.decode()
    assert "Marked as a possible crime" in marked
    assert "<summary>Found to involve a possible crime</summary>" not in marked
    assert "Found to involve a possible crime: The friend denies it" in marked  # history
