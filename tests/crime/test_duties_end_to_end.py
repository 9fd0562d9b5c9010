"""The two demonstration policies, end to end through the real services: the NCRS 24-hour
recording decision, and the supervisor's first review of allocated work."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from bluelamp.accounts.roles import Role
from bluelamp.crime import incidents, recording, supervision
from bluelamp.duties import queries
from bluelamp.duties.models import DomainEvent, Duty, Outcome
from bluelamp.duties.services import duties_for

TUESDAY_10 = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def handler(make_user):
    return make_user(Role.CALL_HANDLER)


def test_an_incident_that_may_be_a_crime_needs_a_decision_within_24_hours(handler, units):
    with time_machine.travel(TUESDAY_10, tick=False):
        incident = incidents.report_incident(
            actor=handler,
            summary="Shed broken into",
            owning_unit=units["west-response"],
            may_be_crime=True,
        )
    duty = duties_for(incident).get()
    assert duty.policy == "ncrs-recording-decision"
    assert duty.rule.startswith("NCRS")
    assert duty.due_at == TUESDAY_10 + dt.timedelta(hours=24)
    assert (duty.owner_unit, duty.queue, duty.outcome) == (
        units["west-response"],
        "crime-recording",
        Outcome.OPEN,
    )
    assert DomainEvent.objects.filter(type="incident.reported", subject_id=incident.pk).exists()

    with time_machine.travel(TUESDAY_10 + dt.timedelta(hours=3), tick=False):
        decision = recording.record_recording_decision(
            actor=handler,
            incident=incident,
            decision="crimed",
            reason="Victim's account",
            offence_code="58A",
        )
    duty.refresh_from_db()
    assert duty.outcome == Outcome.DONE
    assert duty.done_by == handler
    assert duty.on_time is True
    assert decision.crime.kind == "crime"
    with pytest.raises(ValidationError):
        recording.record_recording_decision(
            actor=handler, incident=incident, decision="no_crime", reason="again"
        )


def test_an_incident_that_is_not_a_crime_opens_no_duty(handler, units):
    incident = incidents.report_incident(
        actor=handler,
        summary="Concern for welfare",
        owning_unit=units["west-response"],
        may_be_crime=False,
    )
    assert not duties_for(incident).exists()


def test_a_failed_change_leaves_no_duty_and_no_event(handler, units):
    before = (Duty.objects.count(), DomainEvent.objects.count())

    def report_then_fail():
        with transaction.atomic():
            incidents.report_incident(
                actor=handler,
                summary="Theft",
                owning_unit=units["west-response"],
                may_be_crime=True,
            )
            raise RuntimeError("the caller's transaction fails after the change")

    with pytest.raises(RuntimeError):
        report_then_fail()
    assert (Duty.objects.count(), DomainEvent.objects.count()) == before


def test_bad_decisions_name_the_field(handler, units):
    incident = incidents.report_incident(
        actor=handler, summary="Theft", owning_unit=units["west-response"], may_be_crime=True
    )
    with pytest.raises(ValidationError) as error:
        recording.record_recording_decision(
            actor=handler, incident=incident, decision="maybe", reason="x"
        )
    assert "decision" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        recording.record_recording_decision(
            actor=handler, incident=incident, decision="crimed", reason=" ", offence_code="58A"
        )
    assert "reason" in error.value.message_dict
    assert duties_for(incident).get().outcome == Outcome.OPEN


def test_allocation_opens_a_first_review_for_the_officers_supervisors(handler, units, make_user):
    sergeant = make_user(Role.SUPERVISOR, unit="west-response")
    officer = make_user(Role.INVESTIGATOR, unit="west-cid")
    incident = incidents.report_incident(
        actor=handler, summary="Assault", owning_unit=units["west-response"], may_be_crime=True
    )
    friday_evening = dt.datetime(2026, 11, 27, 18, 0, tzinfo=dt.UTC)
    with time_machine.travel(friday_evening, tick=False):
        supervision.allocate(actor=sergeant, event=incident, officer=officer)
    review = duties_for(incident).get(policy="first-supervisor-review")
    assert (review.owner_unit, review.queue) == (units["west-cid"], "supervisors")
    # Three working days from Friday evening: the end of Wednesday 2 December (London).
    assert review.due_at == dt.datetime(2026, 12, 2, 23, 59, 59, 999999, tzinfo=dt.UTC)

    supervision.record_supervisor_review(
        actor=sergeant, event=incident, direction="CCTV within 48h"
    )
    review.refresh_from_db()
    assert review.outcome == Outcome.DONE
    with pytest.raises(PermissionDenied):
        supervision.record_supervisor_review(actor=officer, event=incident, direction="self-review")


def test_queues_overdue_and_compliance(handler, units, make_user):
    sergeant = make_user(Role.SUPERVISOR, unit="west-response")
    made = []
    for hour in range(4):
        with time_machine.travel(TUESDAY_10 + dt.timedelta(hours=hour), tick=False):
            made.append(
                incidents.report_incident(
                    actor=handler,
                    summary=f"Theft {hour}",
                    owning_unit=units["west-response"],
                    may_be_crime=True,
                )
            )
    with time_machine.travel(TUESDAY_10 + dt.timedelta(hours=5), tick=False):
        recording.record_recording_decision(
            actor=handler,
            incident=made[0],
            decision="no_crime",
            reason="Lost, not stolen",
            rape_reported=False,
        )
    with time_machine.travel(TUESDAY_10 + dt.timedelta(hours=30), tick=False):
        recording.record_recording_decision(
            actor=handler,
            incident=made[1],
            decision="crimed",
            reason="Victim's account",
            offence_code="58A",
        )
        assert {d.subject_id for d in queries.queue(sergeant, "crime-recording")} == {
            made[2].pk,
            made[3].pk,
        }
        assert {d.subject_id for d in queries.overdue(sergeant)} == {made[2].pk, made[3].pk}
        rows = {row["key"]: row for row in queries.compliance(sergeant, by="policy")}
    ncrs = rows["ncrs-recording-decision"]
    assert (ncrs["due"], ncrs["on_time"], ncrs["late"], ncrs["overdue"], ncrs["open"]) == (
        4,
        1,
        1,
        2,
        0,
    )
    # On time out of everything that has fallen due: late and still-overdue both count against.
    assert ncrs["rate"] == pytest.approx(0.25)
