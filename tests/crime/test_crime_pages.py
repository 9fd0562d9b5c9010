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


def _form(units, **extra):
    return {
        "summary": "Bike taken from the garden",
        "offence_code": "44",
        "owning_unit": units["west-response"].pk,
        "line1": "1 Fishergate",
        "postcode": "PR1 2AB",
        "modus_operandi": "Cut the lock with bolt croppers",
        "property_description": "Red Raleigh mountain bike",
        "property_role": "stolen",
        "new_victim_given": "Ann",
        "new_victim_family": "Lee",
        "new_victim_dob": "1980-05-06",
        **extra,
    }


def test_recording_a_crime_on_the_page_with_people_place_and_property(client, officer, units):
    suspect = person(officer, "Sam", "Known")
    sign_in(client, officer)
    assert "Record a crime" in client.get("/crimes/new/").content.decode()
    made = client.post("/crimes/new/", _form(units, suspect_ids=str(suspect.pk)))
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


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"offence_code": ""}, "id_offence_code"),
        ({"suspect_ids": "12x"}, "id_suspect_ids"),
        ({"suspect_ids": "999999"}, "id_suspect_ids"),
        ({"new_victim_given": "", "new_victim_family": ""}, None),
        ({"postcode": "NOT A POSTCODE"}, None),
    ],
)
def test_bad_input_is_named_keeps_what_was_typed_and_saves_nothing(
    client, officer, units, extra, field
):
    sign_in(client, officer)
    data = _form(units, **extra)
    if field is None and "new_victim_given" in extra:
        data["new_victim_dob"] = "1980-05-06"  # a date of birth but no name
    refused = client.post("/crimes/new/", data)
    page = refused.content.decode()
    assert refused.status_code == 400
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
    that record before anything is saved; choosing it links them, and the choice is kept."""
    from bluelamp.people.models import EntryChoice

    known = persons.create_person(
        actor=officer, given_names="Ann", family_name="Lee", dob_year=1980, dob_month=5, dob_day=6
    )
    sign_in(client, officer)
    asked = client.post("/crimes/new/", _form(units))
    assert asked.status_code == 200
    page = asked.content.decode()
    assert 'data-testid="offered-victim"' in page
    assert f'name="new_victim_chosen" value="{known.pk}"' in page
    assert "Red Raleigh mountain bike" in page  # what was typed is kept
    assert not Crime.objects.exists()
    assert Person.objects.count() == 1

    made = client.post("/crimes/new/", _form(units, new_victim_chosen=str(known.pk)))
    assert made.status_code == 302, made.content.decode()[:2000]
    event = Crime.objects.get().event
    assert list(event.person_links.values_list("person_id", flat=True)) == [known.pk]
    assert Person.objects.count() == 1
    choice = EntryChoice.objects.get()
    assert choice.context == "crime victim"
    assert choice.chosen_id == known.pk


def test_none_of_these_records_a_new_victim_and_a_made_up_choice_is_refused(client, officer, units):
    from bluelamp.people.models import EntryChoice

    persons.create_person(
        actor=officer, given_names="Ann", family_name="Lee", dob_year=1980, dob_month=5, dob_day=6
    )
    sign_in(client, officer)
    refused = client.post("/crimes/new/", _form(units, new_victim_chosen="999999"))
    assert refused.status_code == 400
    assert "Choose one of the records offered" in refused.content.decode()
    assert not Crime.objects.exists()
    made = client.post("/crimes/new/", _form(units, new_victim_chosen="new"))
    assert made.status_code == 302
    assert Person.objects.count() == 2
    assert EntryChoice.objects.get().chosen_id is None


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
