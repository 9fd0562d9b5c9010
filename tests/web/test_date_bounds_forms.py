"""Dates typed into the web forms (issue 14): the same bounds as the API (core/validation.py) -
a form error naming the field, never a 500, what was typed kept and nothing written."""

from __future__ import annotations

import datetime as dt

from bluelamp.contact import services as contact
from bluelamp.contact.models import AppointmentSlot, LogEntry
from bluelamp.core.models import Event, WarningMarker
from bluelamp.crime import incidents
from bluelamp.crime.investigation.models import ProsecutionWish, SuspectAction
from bluelamp.crime.models import ActionFraudReferral, CrimeOutcome, VictimStatement

from ..conftest import sign_in
from ..date_bounds_world import REPORTED

TYPED = "Text the officer must not have to type again"


def refused(response, field_id: str, message: str = "") -> str:
    """The page again (not a redirect, not a 500), its error summary linking to the field."""
    assert response.status_code in (200, 400), response.status_code
    html = response.content.decode()
    assert f'href="#{field_id}"' in html, html[:3000]
    assert message in html
    return html


def test_an_arrival_in_year_one_or_before_the_call_is_a_form_error(client, units, sergeant):
    call = contact.record_call(
        actor=sergeant,
        channel="101",
        account="Shed broken into",
        owning_unit=units["west-response"],
        received_at=REPORTED,
    )
    sign_in(client, sergeant)
    url = f"/incidents/{call.incident_id}/arrived/"
    before = LogEntry.objects.count()
    for typed_at, message in (
        ("0001-01-01T00:00", "Must be between"),
        ("1850-06-01T10:00", "Must be between"),
        ("2026-03-10T13:00", "before the incident was reported"),
    ):
        page = refused(client.post(url, {"at": typed_at, "note": TYPED}), "id_at", message)
        assert TYPED in page
    assert LogEntry.objects.count() == before


def test_recording_a_crime_that_happened_in_1850_or_next_week_is_a_form_error(
    client, units, sergeant
):
    sign_in(client, sergeant)
    form = {
        "summary": TYPED,
        "offence_code": "49",
        "owning_unit": units["west-response"].pk,
        "line1": "1 Fishergate",
        "property_description": "Red Raleigh mountain bike",
        "property_role": "stolen",
        "party-TOTAL_FORMS": "0",
        "party-INITIAL_FORMS": "0",
    }
    crimes = Event.objects.filter(kind="crime").count()
    page = refused(
        client.post("/crimes/new/", {**form, "occurred_from": "1850-01-01T10:00"}),
        "id_occurred_from",
        "Must be between",
    )
    assert TYPED in page
    next_week = (dt.datetime.now() + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    refused(
        client.post("/crimes/new/", {**form, "occurred_from": next_week}),
        "id_occurred_from",
        "Cannot be in the future",
    )
    assert Event.objects.filter(kind="crime").count() == crimes


def test_a_suspect_arrested_before_the_crime_happened_is_a_form_error(client, records, sergeant):
    sign_in(client, sergeant)
    url = f"/events/{records['crime'].pk}/investigation/suspect/"
    page = refused(
        client.post(
            url,
            {
                "person": records["suspect"].pk,
                "step": "arrested",
                "occurred_at": "2026-03-01T09:00",
                "note": TYPED,
            },
        ),
        "id_suspect_occurred_at",
        "before the crime happened",
    )
    assert TYPED in page
    assert not SuspectAction.objects.exists()


def test_victims_wishes_dated_before_the_crime_or_an_outcome_in_year_one_are_form_errors(
    client, records, sergeant
):
    sign_in(client, sergeant)
    event = records["crime"]
    refused(
        client.post(
            f"/events/{event.pk}/investigation/wish/",
            {"wish": "supports", "stated_on": "2026-03-01", "note": TYPED},
        ),
        "id_wish_stated_on",
        "before the crime was reported",
    )
    assert not ProsecutionWish.objects.exists()
    # The outcome form sits on the event page: its errors come back there, by field.
    page = client.post(
        f"/crimes/{event.pk}/outcome/",
        {"outcome": "1", "suspect": records["suspect"].pk, "outcome_date": "0001-01-01"},
        follow=True,
    )
    assert page.status_code == 200
    assert "Outcome date: Must be between 01/01/1900" in page.content.decode()
    assert not CrimeOutcome.objects.exists()


def test_a_warning_from_1850_or_an_event_in_the_future_is_a_form_error(client, records, sergeant):
    sign_in(client, sergeant)
    person = records["person"]
    refused(
        client.post(
            f"/people/{person.pk}/warnings/",
            {"kind": "weapons", "source": TYPED, "valid_from": "1850-01-01"},
        ),
        "id_valid_from",
        "Must be between",
    )
    assert not WarningMarker.objects.exists()
    events = Event.objects.count()
    refused(
        client.post(
            "/events/new/",
            {"kind": "asb", "summary": TYPED, "occurred_from": "2999-01-01T10:00"},
        ),
        "id_occurred_from",
    )
    assert Event.objects.count() == events


def test_a_fraud_referral_dated_before_the_incident_is_a_form_error(client, units, sergeant):
    incident = incidents.report_incident(
        actor=sergeant,
        summary="Caller reports a fraud",
        owning_unit=units["west-response"],
        may_be_crime=True,
        reported_at=REPORTED,
    )
    sign_in(client, sergeant)
    # The decision form sits on the event page: its errors come back there, by field.
    page = client.post(
        f"/incidents/{incident.pk}/decision/",
        {
            "decision": "fraud",
            "reason": TYPED,
            "action_fraud_reference": "NFRC260300001",
            "referred_on": "2026-03-09",
        },
        follow=True,
    )
    assert page.status_code == 200
    assert "Referred on: Cannot be before the incident was reported" in page.content.decode()
    assert not ActionFraudReferral.objects.exists()


def test_a_diary_slot_in_year_one_is_a_form_error_not_a_500(client, units, sergeant):
    sign_in(client, sergeant)
    page = client.post(
        "/diary/slots/",
        {
            "team": units["west-response"].pk,
            "starts_at": "0001-01-01T09:00",
            "ends_at": "0001-01-01T12:00",
            "capacity": 4,
        },
    )
    refused(page, "id_starts_at", "Must be between")
    assert not AppointmentSlot.objects.exists()


def test_a_victims_statement_in_year_one_is_an_error_on_the_crime_page(client, records, sergeant):
    sign_in(client, sergeant)
    event = records["crime"]
    page = client.post(
        f"/crimes/{event.pk}/victim-statement/",
        {"person": records["person"].pk, "taken_at": "0001-01-01T09:00"},
        follow=True,
    )
    assert page.status_code == 200
    assert "Taken at: Must be between 01/01/1900" in page.content.decode()
    assert not VictimStatement.objects.exists()
