"""Quality assurance: every new crime opens a QA check duty; accept, return naming each problem
(opening the officer's correction duty), resubmit, priority ordering, the backlog figures, and
the officer's work never waiting on QA."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bluelamp.accounts.roles import Role
from bluelamp.crime import qa, recording, supervision
from bluelamp.crime.models import QAProblem
from bluelamp.duties.models import DomainEvent, Duty, Outcome

from .helpers import crime, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def checker(make_user):
    return make_user(Role.QUALITY_ASSURANCE)


def _duty(policy, recorded):
    return Duty.objects.get(policy=policy, subject_id=recorded.event_id)


def test_every_new_crime_opens_a_qa_check_in_the_force_queue(officer, units):
    recorded = crime(officer, units)
    duty = _duty("crime-qa-check", recorded)
    assert duty.queue == "quality-assurance"
    assert duty.owner_unit == units["force"]
    assert duty.outcome == Outcome.OPEN
    assert recorded.qa_check.status == "waiting"


def test_accepting_discharges_the_check(officer, units, checker):
    recorded = crime(officer, units)
    qa.accept(actor=checker, crime=recorded.event)
    assert _duty("crime-qa-check", recorded).outcome == Outcome.DONE
    assert DomainEvent.objects.get(type="crime.qa_accepted").payload == {
        "check": recorded.qa_check.pk
    }
    with pytest.raises(ValidationError) as error:
        qa.accept(actor=checker, crime=recorded.event)
    assert "status" in error.value.message_dict


def test_return_names_each_problem_and_the_officer_corrects_and_resubmits(officer, units, checker):
    recorded = crime(officer, units)
    qa.return_for_correction(
        actor=checker,
        crime=recorded.event,
        problems=[
            {"field": "location", "text": "No address for the shop"},
            {"field": "offence_code", "text": "Shoplifting, not other theft"},
        ],
    )
    problems = list(QAProblem.objects.values_list("round", "field", "text"))
    assert problems == [
        (1, "location", "No address for the shop"),
        (1, "offence_code", "Shoplifting, not other theft"),
    ]
    assert _duty("crime-qa-check", recorded).outcome == Outcome.DONE
    correction = _duty("crime-qa-correction", recorded)
    assert (correction.owner, correction.outcome) == (officer, Outcome.OPEN)
    qa.resubmit(actor=officer, crime=recorded.event)
    correction.refresh_from_db()
    assert correction.outcome == Outcome.DONE
    recheck = _duty("crime-qa-recheck", recorded)
    assert recheck.outcome == Outcome.OPEN
    qa.accept(actor=checker, crime=recorded.event)
    recheck.refresh_from_db()
    assert recheck.outcome == Outcome.DONE


def test_the_correction_goes_to_the_officer_in_case_when_there_is_one(
    officer, units, checker, make_user
):
    investigator = make_user(Role.INVESTIGATOR)
    recorded = crime(officer, units)
    supervision.allocate(
        actor=make_user(Role.SUPERVISOR), event=recorded.event, officer=investigator
    )
    qa.return_for_correction(
        actor=checker, crime=recorded.event, problems=[{"field": "summary", "text": "Too short"}]
    )
    assert _duty("crime-qa-correction", recorded).owner == investigator


@pytest.mark.parametrize(
    "problems",
    [
        [],
        [{"field": "", "text": ""}],
        [{"field": "colour", "text": "x"}],
        [{"field": "summary", "text": "  "}],
    ],
)
def test_a_return_must_name_real_problems(officer, units, checker, problems):
    recorded = crime(officer, units)
    with pytest.raises(ValidationError) as error:
        qa.return_for_correction(actor=checker, crime=recorded.event, problems=problems)
    assert "problems" in error.value.message_dict
    recorded.qa_check.refresh_from_db()
    assert recorded.qa_check.status == "waiting"
    assert not QAProblem.objects.exists()


def test_only_qa_staff_check_and_a_waiting_record_cannot_be_resubmitted(officer, units):
    recorded = crime(officer, units)
    with pytest.raises(PermissionDenied):
        qa.accept(actor=officer, crime=recorded.event)
    with pytest.raises(ValidationError):
        qa.resubmit(actor=officer, crime=recorded.event)


def test_priority_requests_come_first_and_the_backlog_is_measured(officer, units, checker):
    old, middle, new = (crime(officer, units) for _ in range(3))
    now = timezone.now()
    for recorded, days in ((old, 6), (middle, 4), (new, 1)):
        Duty.objects.filter(subject_id=recorded.event_id).update(
            opened_at=now - dt.timedelta(days=days)
        )
    qa.request_priority(actor=officer, crime=new.event, reason="Charging decision tomorrow")
    entries, backlog = qa.queue(actor=checker)
    assert [e.duty.subject_id for e in entries] == [new.event_id, old.event_id, middle.event_id]
    assert backlog.count == 3
    assert round(backlog.oldest_days) == 6
    assert round(backlog.median_days) == 4
    with pytest.raises(ValidationError) as error:
        qa.request_priority(actor=officer, crime=new.event, reason=" ")
    assert "reason" in error.value.message_dict


def test_the_officer_keeps_working_while_the_crime_waits_for_qa(officer, units, make_user):
    """Nothing blocks on QA (2018 report): updates, parties, allocation and an outcome all work
    while the check is still open, and the crime is visible to its officer."""
    recorded = crime(officer, units)
    assert recorded.qa_check.status == "waiting"
    supervision.record_investigation_update(actor=officer, crime=recorded.event, text="CCTV seized")
    recording.add_party(
        actor=officer,
        crime=recorded.event,
        person=person(officer, "Wes", "Witness"),
        role="witness",
    )
    sergeant = make_user(Role.SUPERVISOR)
    supervision.allocate(actor=sergeant, event=recorded.event, officer=officer)
    assert DomainEvent.objects.filter(type="crime.investigation_updated").exists()
    assert _duty("crime-qa-check", recorded).outcome == Outcome.OPEN
