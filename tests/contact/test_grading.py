"""THRIVE grading: each grade's target (urban and rural), the attend duty it opens, re-grading
history, and the missed-target review duty opened and discharged."""

import datetime as dt

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from bluelamp.accounts.roles import Role
from bluelamp.audit.models import AuditEvent
from bluelamp.contact import services
from bluelamp.contact.models import Assessment, LogEntry, Step
from bluelamp.contact.policies import ATTEND_POLICIES
from bluelamp.core import places
from bluelamp.core.models import Event, RecordChange
from bluelamp.duties.models import DomainEvent, Duty, Outcome
from bluelamp.duties.worker import escalate_overdue

from .helpers import THRIVE, grade, take_call

NOON = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def handler(make_user):
    return make_user(Role.CALL_HANDLER)


def _duty(incident, **filters):
    """The incident's one open duty of a policy (by default its attend-within-target duty)."""
    filters = filters or {"policy__in": ATTEND_POLICIES}
    return Duty.objects.get(subject_id=incident.pk, outcome=Outcome.OPEN, **filters)


@pytest.mark.parametrize(
    ("grade_name", "policy", "minutes"),
    [
        ("emergency", "attend-emergency-urban", 15),
        ("priority", "attend-priority", 60),
        ("scheduled", "attend-scheduled", 48 * 60),
        ("resolution", "resolve-without-deployment", 24 * 60),
    ],
)
def test_each_grade_opens_its_attend_duty_with_the_target(
    units, handler, grade_name, policy, minutes
):
    with time_machine.travel(NOON, tick=False):
        call = take_call(handler, units["west-response"])
        assessment = grade(handler, call.incident, grade_name)
    duty = _duty(call.incident)
    assert duty.policy == policy
    assert duty.due_at == NOON + dt.timedelta(minutes=minutes)
    assert assessment.target_at == duty.due_at
    graded = DomainEvent.objects.get(type="call.graded", subject_id=call.incident.pk)
    assert graded.payload == {"grade": grade_name, "regraded": False}


def test_emergency_in_a_rural_district_has_the_rural_target(units, handler, settings):
    settings.BLUELAMP_RURAL_DISTRICTS = ["east"]
    with time_machine.travel(NOON, tick=False):
        rural = take_call(handler, units["east-response"])
        urban = take_call(handler, units["west-response"])
        grade(handler, rural.incident)
        grade(handler, urban.incident)
    rural_duty = _duty(rural.incident)
    assert rural_duty.policy == "attend-emergency-rural"
    assert rural_duty.due_at == NOON + dt.timedelta(minutes=20)
    assert _duty(urban.incident).due_at == NOON + dt.timedelta(minutes=15)
    assert Assessment.objects.get(incident=rural.incident).area == "rural"


def test_the_location_district_decides_urban_or_rural(units, handler, settings):
    settings.BLUELAMP_RURAL_DISTRICTS = ["east"]
    place = places.create_location(
        actor=handler, line1="Moor Farm", postcode="LA2 8AA", district=units["east"]
    )
    with time_machine.travel(NOON, tick=False):
        call = take_call(handler, units["hq"], location=place)
        grade(handler, call.incident)
    assert _duty(call.incident).due_at == NOON + dt.timedelta(minutes=20)


def test_regrading_keeps_the_history_and_replaces_the_duty(units, handler):
    with time_machine.travel(NOON, tick=False):
        call = take_call(handler, units["west-response"])
        grade(handler, call.incident, "priority")
    with pytest.raises(ValidationError) as refused:
        grade(handler, call.incident, "emergency")
    assert "reason" in refused.value.message_dict
    later = NOON + dt.timedelta(minutes=10)
    with time_machine.travel(later, tick=False):
        grade(handler, call.incident, "emergency", reason="Caller says he has a knife")
    history = list(Assessment.objects.filter(incident=call.incident).order_by("assessed_at"))
    assert [a.grade for a in history] == ["priority", "emergency"]
    assert history[1].regraded
    assert history[1].reason == "Caller says he has a knife"
    duties = Duty.objects.filter(subject_id=call.incident.pk, policy__in=ATTEND_POLICIES)
    assert {(d.policy, d.outcome) for d in duties} == {
        ("attend-priority", Outcome.CANCELLED),
        ("attend-emergency-urban", Outcome.OPEN),
    }
    assert _duty(call.incident, policy="attend-emergency-urban").due_at == later + dt.timedelta(
        minutes=15
    )
    steps = list(LogEntry.objects.filter(incident=call.incident).values_list("step", flat=True))
    assert steps == [Step.RECEIVED, Step.GRADED, Step.REGRADED]
    event = DomainEvent.objects.filter(type="call.graded").last()
    assert event.payload == {"grade": "emergency", "regraded": True}


def test_arrival_on_time_discharges_the_duty_and_opens_no_review(units, handler, officer):
    with time_machine.travel(NOON, tick=False):
        call = take_call(handler, units["west-response"])
        grade(handler, call.incident)
    with time_machine.travel(NOON + dt.timedelta(minutes=12), tick=False):
        services.record_arrival(actor=officer, incident=call.incident)
    duty = Duty.objects.get(subject_id=call.incident.pk, policy="attend-emergency-urban")
    assert duty.outcome == Outcome.DONE
    assert duty.on_time
    assert not Duty.objects.filter(policy="missed-target-review").exists()


def test_late_arrival_opens_the_supervisor_review_which_a_rethrive_discharges(
    units, handler, officer, supervisor
):
    with time_machine.travel(NOON, tick=False):
        call = take_call(handler, units["west-response"])
        grade(handler, call.incident, "priority")
    late = NOON + dt.timedelta(minutes=75)
    with time_machine.travel(late, tick=False):
        services.record_arrival(actor=officer, incident=call.incident)
    attend = Duty.objects.get(subject_id=call.incident.pk, policy="attend-priority")
    assert attend.outcome == Outcome.DONE
    assert attend.on_time is False
    review = _duty(call.incident, policy="missed-target-review")
    assert review.queue == "control-room-supervisors"
    assert review.due_at == late + dt.timedelta(minutes=60)
    missed = DomainEvent.objects.get(type="incident.target_missed")
    assert missed.payload == {"grade": "priority"}

    with pytest.raises(PermissionDenied):
        services.review_missed_target(
            actor=handler, incident=call.incident, grade="priority", reason="x", **THRIVE
        )
    with pytest.raises(ValidationError) as refused:
        services.review_missed_target(
            actor=supervisor, incident=call.incident, grade="priority", reason="", **THRIVE
        )
    assert "reason" in refused.value.message_dict
    services.review_missed_target(
        actor=supervisor,
        incident=call.incident,
        grade="priority",
        reason="Two cars were at a serious collision; risk unchanged, caller safe",
        **THRIVE,
    )
    review.refresh_from_db()
    assert review.outcome == Outcome.DONE
    # The officer had already arrived: the review opens no new attend duty.
    assert not Duty.objects.filter(
        subject_id=call.incident.pk, policy__in=ATTEND_POLICIES, outcome=Outcome.OPEN
    ).exists()
    assert Assessment.objects.filter(incident=call.incident, is_target_review=True).count() == 1
    with pytest.raises(ValidationError) as again:
        services.review_missed_target(
            actor=supervisor, incident=call.incident, grade="priority", reason="again", **THRIVE
        )
    assert "incident" in again.value.message_dict


def test_an_overdue_attend_duty_escalated_by_the_worker_is_a_missed_target(units, handler):
    with time_machine.travel(NOON, tick=False):
        call = take_call(handler, units["west-response"])
        grade(handler, call.incident)
    with time_machine.travel(NOON + dt.timedelta(minutes=16), tick=False):
        assert escalate_overdue(worker_id="test") >= 1
    review = _duty(call.incident, policy="missed-target-review")
    assert review.opened_at == NOON + dt.timedelta(minutes=15)  # when the target fell due
    assert LogEntry.objects.filter(incident=call.incident, step=Step.TARGET_MISSED).count() == 1
    # Arriving late afterwards does not report the same miss twice.
    with time_machine.travel(NOON + dt.timedelta(minutes=30), tick=False):
        services.record_arrival(actor=handler, incident=call.incident)
    assert DomainEvent.objects.filter(type="incident.target_missed").count() == 1


def test_resolution_closed_late_is_a_missed_target(units, handler):
    with time_machine.travel(NOON, tick=False):
        call = take_call(handler, units["west-response"], may_be_crime=False)
        grade(handler, call.incident, "resolution")
    with time_machine.travel(NOON + dt.timedelta(hours=25), tick=False):
        services.close_incident(actor=handler, incident=call.incident, note="Advice given by phone")
    resolve = Duty.objects.get(subject_id=call.incident.pk, policy="resolve-without-deployment")
    assert resolve.outcome == Outcome.DONE
    assert resolve.on_time is False
    assert _duty(call.incident, policy="missed-target-review")
    call.incident.refresh_from_db()
    assert call.incident.status == "closed"
    with pytest.raises(ValidationError):
        grade(handler, call.incident, "priority", reason="closed already")


def test_recording_and_grading_are_audited_and_kept_in_history(units, handler):
    call = take_call(handler, units["west-response"])
    assessment = grade(handler, call.incident)
    audited = AuditEvent.objects.filter(actor_id=handler.pk, record_id=str(call.incident.pk))
    assert audited.filter(action="create", detail__call=call.pk).exists()
    assert audited.filter(action="change", detail__assessment=assessment.pk).exists()
    # History is kept on the incident (the subject), where the log and its page read it.
    summaries = set(
        RecordChange.objects.filter(
            content_type=ContentType.objects.get_for_model(Event), object_id=call.incident.pk
        ).values_list("summary", flat=True)
    )
    assert {"999 (emergency) call received", "Graded Emergency (grade 1)"} <= summaries


def test_bad_grading_input_names_the_field_and_saves_nothing(units, handler, officer):
    call = take_call(handler, units["west-response"])
    with pytest.raises(ValidationError) as bad_grade:
        grade(handler, call.incident, "urgent")
    assert "grade" in bad_grade.value.message_dict
    with pytest.raises(ValidationError) as no_threat:
        grade(handler, call.incident, threat="  ")
    assert "threat" in no_threat.value.message_dict
    with pytest.raises(PermissionDenied):
        grade(officer, call.incident)
    assert not Assessment.objects.exists()
    assert not Duty.objects.filter(policy__in=ATTEND_POLICIES).exists()
