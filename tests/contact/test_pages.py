"""A call on the pages: taken with the caller matched, flagged, graded (THRIVE), resourced,
attended and closed; the control room's list; bad input, 403 and 404."""

import datetime as dt

import time_machine

from bluelamp.accounts.roles import Role
from bluelamp.audit.models import AuditEvent
from bluelamp.contact.models import Assessment, Call, LogEntry, Step
from bluelamp.core import persons, restriction
from bluelamp.core.models import Event, PersonEventLink
from bluelamp.people.models import EntryChoice

from ..conftest import sign_in
from .helpers import THRIVE, grade, take_call

CALL = {
    "channel": "999",
    "caller_given_names": "Ada",
    "caller_family_name": "Okafor",
    "caller_phone": "07700 900123",
    "line1": "2 Mill Lane",
    "postcode": "PR1 2AB",
    "account": "My ex is at the door shouting",
    "may_be_crime": "on",
}


def test_take_a_call_matches_the_caller_then_grades_and_logs_it(client, units, make_user):
    handler = make_user(Role.CALL_HANDLER)
    officer = make_user(Role.RESPONSE_OFFICER)
    known = persons.create_person(actor=handler, given_names="Ada", family_name="Okafor")
    sign_in(client, handler)
    call_form = {**CALL, "owning_unit": units["west-response"].pk}

    bad = client.post("/calls/new/", {**call_form, "account": ""})
    assert bad.status_code == 400
    body = bad.content.decode()
    assert 'href="#id_account"' in body
    assert 'value="07700 900123"' in body  # what was typed is kept
    assert not Call.objects.exists()

    offered = client.post("/calls/new/", call_form)
    assert offered.status_code == 200
    assert f'value="{known.pk}"' in offered.content.decode()
    assert not Call.objects.exists()

    made = client.post("/calls/new/", {**call_form, "chosen": str(known.pk)})
    call = Call.objects.get()
    assert made.url == f"/events/{call.incident_id}/"
    assert call.caller == known
    assert PersonEventLink.objects.filter(person=known, role="caller").exists()
    assert EntryChoice.objects.get(context="call").chosen == known

    page = client.get(made.url).content.decode()
    assert 'data-testid="contact-panel"' in page
    assert "THRIVE and grade" in page

    bad_grade = client.post(f"/incidents/{call.incident_id}/grade/", {**THRIVE, "grade": "x"})
    assert bad_grade.status_code == 400
    assert "Grade: Select a valid choice." in bad_grade.content.decode()
    assert THRIVE["threat"] in bad_grade.content.decode()
    graded = client.post(f"/incidents/{call.incident_id}/grade/", {**THRIVE, "grade": "emergency"})
    assert graded.status_code == 302
    regrade_without_reason = client.post(
        f"/incidents/{call.incident_id}/grade/", {**THRIVE, "grade": "priority"}
    )
    assert regrade_without_reason.status_code == 400
    assert "Say why the incident is being re-graded." in regrade_without_reason.content.decode()
    assert Assessment.objects.count() == 1

    no_one = client.post(f"/incidents/{call.incident_id}/resource/", {"note": "Car 12"})
    assert no_one.status_code == 400
    assert 'href="#id_officer"' in no_one.content.decode()
    client.post(f"/incidents/{call.incident_id}/resource/", {"officer": officer.pk})

    client.logout()
    sign_in(client, officer)
    assert client.post(f"/incidents/{call.incident_id}/grade/", {**THRIVE}).status_code == 403
    client.post(f"/incidents/{call.incident_id}/arrived/", {"note": "On scene"})
    no_result = client.post(f"/incidents/{call.incident_id}/close/", {"note": ""})
    assert no_result.status_code == 400
    closed = client.post(f"/incidents/{call.incident_id}/close/", {"note": "Words of advice"})
    assert closed.status_code == 302
    steps = list(LogEntry.objects.filter(incident=call.incident).values_list("step", flat=True))
    assert steps == [Step.RECEIVED, Step.GRADED, Step.ALLOCATED, Step.ARRIVED, Step.CLOSED]
    page = client.get(made.url).content.decode()
    assert "Arrived at scene" in page
    assert Event.objects.get(pk=call.incident_id).status == "closed"


def test_the_control_room_shows_time_to_target_and_missed_targets(
    client, units, make_user, supervisor
):
    handler = make_user(Role.CALL_HANDLER)
    noon = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
    with time_machine.travel(noon, tick=False):
        late = take_call(handler, units["west-response"], account="Fight in the street").incident
        grade(handler, late, "emergency")
        fresh = take_call(handler, units["west-response"], account="Noise next door").incident
    with time_machine.travel(noon + dt.timedelta(minutes=20), tick=False):
        grade(handler, fresh, "priority")
        services_arrival = make_user(Role.RESPONSE_OFFICER)
        from bluelamp.contact import services

        services.record_arrival(actor=services_arrival, incident=late)
        sign_in(client, supervisor)
        page = client.get("/control-room/").content.decode()
        assert "60 min" in page
        assert "attended" in page
        assert "target missed" in page
        assert late.reference in page.split('data-testid="reviews"')[1]
        review = client.post(
            f"/incidents/{late.pk}/grade/",
            {**THRIVE, "grade": "emergency", "review": "True", "reason": "Crew diverted; fine"},
        )
        assert review.status_code == 302
        page = client.get("/control-room/").content.decode()
    assert "No missed targets awaiting review." in page
    assert AuditEvent.objects.filter(record_label="control room: open incidents").exists()


def test_a_restricted_incident_is_not_found(client, units, make_user):
    handler = make_user(Role.CALL_HANDLER)
    leader = make_user(Role.SENIOR_LEADER)
    incident = take_call(handler, units["west-response"]).incident
    restriction.restrict_record(actor=leader, record=incident, reason="Staff member involved")
    other = make_user(Role.CALL_HANDLER)
    sign_in(client, other)
    response = client.post(f"/incidents/{incident.pk}/grade/", {**THRIVE, "grade": "priority"})
    assert response.status_code == 404
    assert incident.reference not in client.get("/control-room/").content.decode()


def test_take_a_call_link_for_call_handlers_only(client, make_user):
    sign_in(client, make_user(Role.CALL_HANDLER))
    assert 'href="/calls/new/"' in client.get("/").content.decode()
    client.logout()
    sign_in(client, make_user(Role.INVESTIGATOR))
    assert 'href="/calls/new/"' not in client.get("/").content.decode()
    assert client.get("/calls/new/").status_code == 403
