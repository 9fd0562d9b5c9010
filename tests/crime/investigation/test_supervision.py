"""Supervision clocks: reviews every 28 days after the first, the 28-day no-update rule raised to
the supervisor, the oversight list and the supervisory footprint, and "my live investigations"
as a filter that holds whatever state a crime is in."""

import datetime as dt

import time_machine
from django.test import override_settings

from bluelamp.crime import supervision
from bluelamp.crime.investigation import queries as investigation_queries
from bluelamp.crime.investigation import services as investigation
from bluelamp.duties import queries as duty_queries
from bluelamp.duties.models import Duty, Outcome
from bluelamp.duties.services import duties_for, emit

from .conftest import TUESDAY_10

DAY = dt.timedelta(days=1)


def _open(crime, policy):
    return list(duties_for(crime).filter(policy=policy, outcome=Outcome.OPEN))


def test_each_review_opens_the_next_one_28_days_on(make_crime, sergeant, constable):
    crime = make_crime()
    with time_machine.travel(TUESDAY_10, tick=False):
        investigation.allocate_investigation(actor=sergeant, crime=crime, officer=constable)
    with time_machine.travel(TUESDAY_10 + DAY, tick=False):
        supervision.record_supervisor_review(actor=sergeant, event=crime, direction="CCTV")
    first = duties_for(crime).get(policy="first-supervisor-review")
    assert first.outcome == Outcome.DONE
    [periodic] = _open(crime, "periodic-supervisor-review")
    assert periodic.due_at == TUESDAY_10 + 29 * DAY
    assert periodic.owner_unit == constable.unit
    assert periodic.queue == "supervisors"
    assert "28 days" in periodic.rule

    with time_machine.travel(TUESDAY_10 + 40 * DAY, tick=False):
        assert periodic in duty_queries.overdue(sergeant)
        supervision.record_supervisor_review(actor=sergeant, event=crime, direction="Charge?")
    periodic.refresh_from_db()
    assert periodic.outcome == Outcome.DONE
    assert periodic.on_time is False  # done, but late: the compliance figures will say so
    [following] = _open(crime, "periodic-supervisor-review")
    assert following.due_at == TUESDAY_10 + 68 * DAY


def test_no_update_for_28_days_raises_a_duty_to_the_supervisor(make_crime, sergeant, constable):
    crime = make_crime()
    with time_machine.travel(TUESDAY_10, tick=False):
        investigation.allocate_investigation(actor=sergeant, crime=crime, officer=constable)
    [since_allocation] = _open(crime, "no-update-since-allocation")
    assert since_allocation.due_at == TUESDAY_10 + 28 * DAY
    assert (since_allocation.owner_unit, since_allocation.queue) == (constable.unit, "supervisors")

    with time_machine.travel(TUESDAY_10 + 27 * DAY, tick=False):
        assert since_allocation not in duty_queries.overdue(sergeant)
    with time_machine.travel(TUESDAY_10 + 29 * DAY, tick=False):
        assert since_allocation in duty_queries.overdue(sergeant)
        supervision.record_investigation_update(
            actor=constable, crime=crime, text="Statement taken from the neighbour"
        )
    since_allocation.refresh_from_db()
    assert since_allocation.outcome == Outcome.DONE
    [since_update] = _open(crime, "no-update-since-last-update")
    assert since_update.due_at == TUESDAY_10 + 57 * DAY

    # Each update discharges the running clock and starts the next: only one is ever open.
    with time_machine.travel(TUESDAY_10 + 40 * DAY, tick=False):
        supervision.record_investigation_update(actor=constable, crime=crime, text="CCTV seen")
    since_update.refresh_from_db()
    assert since_update.outcome == Outcome.DONE
    assert [d.due_at for d in _open(crime, "no-update-since-last-update")] == [
        TUESDAY_10 + 68 * DAY
    ]

    # Reallocation restarts the clock for the new officer; closing the crime stops it.
    with time_machine.travel(TUESDAY_10 + 41 * DAY, tick=False):
        investigation.allocate_investigation(actor=sergeant, crime=crime, officer=sergeant)
    assert _open(crime, "no-update-since-last-update") == []
    assert [d.due_at for d in _open(crime, "no-update-since-allocation")] == [TUESDAY_10 + 69 * DAY]
    emit("crime.outcome_recorded", subject=crime, actor=sergeant, payload={"outcome": "1"})
    assert (
        duties_for(crime).filter(outcome=Outcome.OPEN, policy__startswith="no-update").count() == 0
    )


def test_the_oversight_list_puts_the_longest_quiet_first(make_crime, sergeant, constable):
    with time_machine.travel(TUESDAY_10, tick=False):
        quiet = make_crime(summary="Quiet")
    with time_machine.travel(TUESDAY_10 + 5 * DAY, tick=False):
        busy = make_crime(summary="Busy")
    with time_machine.travel(TUESDAY_10 + 30 * DAY, tick=False):
        fresh = make_crime(summary="Fresh")
    with time_machine.travel(TUESDAY_10 + 31 * DAY, tick=False):
        supervision.record_investigation_update(actor=constable, crime=busy, text="Arrest")
        supervision.record_supervisor_review(actor=sergeant, event=busy, direction="Interview")
    with time_machine.travel(TUESDAY_10 + 32 * DAY, tick=False):
        report = investigation_queries.oversight(sergeant)
    assert [c.summary for c in report.rows] == ["Quiet", "Fresh", "Busy"]
    assert report.rows[2].last_update_at == TUESDAY_10 + 31 * DAY
    assert report.rows[2].last_review_at == TUESDAY_10 + 31 * DAY
    assert report.rows[0].last_update_at is None
    # One of three live crimes has had a supervisor review in the last 28 days.
    assert (report.live, report.reviewed_recently, report.with_plan) == (3, 1, 0)
    assert abs(report.footprint - 1 / 3) < 1e-9
    investigation.add_enquiry_line(actor=constable, crime=quiet, kind="cctv", description="x")
    with time_machine.travel(TUESDAY_10 + 70 * DAY, tick=False):
        later = investigation_queries.oversight(sergeant)
    assert later.reviewed_recently == 0
    assert later.with_plan == 1
    assert later.footprint == 0
    assert {quiet, fresh} <= set(later.rows)


@override_settings(BLUELAMP_SUPERVISOR_REVIEW_DAYS=100)
def test_the_footprint_window_is_the_review_interval_setting(make_crime, sergeant, constable):
    crime = make_crime()
    with time_machine.travel(TUESDAY_10, tick=False):
        supervision.record_supervisor_review(actor=sergeant, event=crime, direction="Go")
    with time_machine.travel(TUESDAY_10 + 70 * DAY, tick=False):
        report = investigation_queries.oversight(sergeant)
    assert (report.window_days, report.reviewed_recently) == (100, 1)


def test_my_live_investigations_hold_whatever_state_the_crime_is_in(
    make_crime, sergeant, constable, detective
):
    awaiting_qa = make_crime(summary="Awaiting QA")
    returned = make_crime(summary="Returned by QA")
    reallocated_away = make_crime(summary="Given to the detective")
    dropped = make_crime(summary="Not to be investigated further")
    closed = make_crime(summary="Closed")
    for crime in (awaiting_qa, returned, reallocated_away, dropped, closed):
        investigation.allocate_investigation(actor=sergeant, crime=crime, officer=constable)
    # Internal steps of other features do not hide a crime from its officer.
    Duty.objects.create(
        policy="qa-check",
        rule="QA",
        subject_type=duties_for(awaiting_qa).first().subject_type,
        subject_id=awaiting_qa.pk,
        subject_label=awaiting_qa.reference,
        queue="qa",
        opened_at=TUESDAY_10,
        due_at=TUESDAY_10 + DAY,
    )
    emit("crime.qa_returned", subject=returned, actor=sergeant, payload={"check": 1})
    investigation.allocate_investigation(actor=sergeant, crime=reallocated_away, officer=detective)
    investigation.record_not_investigated(
        actor=sergeant, crime=dropped, reason="enquiries_complete", explanation="All done"
    )
    closed.status = "closed"
    closed.save(update_fields=["status"])

    mine = {c.summary for c in investigation_queries.my_live_investigations(constable)}
    assert mine == {"Awaiting QA", "Returned by QA"}
    theirs = {c.summary for c in investigation_queries.my_live_investigations(detective)}
    assert theirs == {"Given to the detective"}
