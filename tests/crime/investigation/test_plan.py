"""The investigation plan (lines of enquiry, the victim's wishes), suspect events with the
docs/events.md payloads, the decision not to investigate further, forensic decisions and the
digital examination queue."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from bluelamp.accounts.roles import Role
from bluelamp.audit.models import AuditEvent
from bluelamp.core import places, restriction
from bluelamp.core.models import RecordChange
from bluelamp.crime import recording
from bluelamp.crime.investigation import queries as investigation_queries
from bluelamp.crime.investigation import services as investigation
from bluelamp.crime.investigation import suspects
from bluelamp.crime.investigation.models import (
    DeviceExamination,
    EnquiryLine,
    ForensicDecision,
    SuspectAction,
)
from bluelamp.duties.models import DomainEvent, Outcome
from bluelamp.duties.services import duties_for

from .conftest import TUESDAY_10


def _events(crime, kind):
    return list(
        DomainEvent.objects.filter(type=kind, subject_id=crime.pk).values_list("payload", flat=True)
    )


def test_a_line_of_enquiry_moves_from_open_to_done_with_its_result(make_crime, constable):
    crime = make_crime()
    line = investigation.add_enquiry_line(
        actor=constable, crime=crime, kind="cctv", description="Co-op camera on Fishergate"
    )
    assert line.status == "open"
    investigation.update_enquiry_line(
        actor=constable, crime=crime, line_id=line.pk, status="in_progress"
    )
    with pytest.raises(ValidationError) as no_result:
        investigation.update_enquiry_line(
            actor=constable, crime=crime, line_id=line.pk, status="done"
        )
    assert "result" in no_result.value.message_dict
    line.refresh_from_db()
    assert line.status == "in_progress"  # the refused change lost nothing already saved
    investigation.update_enquiry_line(
        actor=constable, crime=crime, line_id=line.pk, status="done", result="Suspect seen 02:14"
    )
    line.refresh_from_db()
    assert (line.status, line.result) == ("done", "Suspect seen 02:14")
    history = RecordChange.objects.filter(object_id=crime.pk).values_list("summary", flat=True)
    assert "Line of enquiry CCTV: Done" in list(history)


def test_a_line_not_possible_needs_the_reason(make_crime, constable):
    crime = make_crime()
    line = investigation.add_enquiry_line(
        actor=constable, crime=crime, kind="house_to_house", description="Odd numbers 1-41"
    )
    with pytest.raises(ValidationError) as refused:
        investigation.update_enquiry_line(
            actor=constable, crime=crime, line_id=line.pk, status="not_possible"
        )
    assert "not_possible_reason" in refused.value.message_dict
    investigation.update_enquiry_line(
        actor=constable,
        crime=crime,
        line_id=line.pk,
        status="not_possible",
        not_possible_reason="Street cordoned off by the fire service",
    )
    line.refresh_from_db()
    assert line.not_possible_reason.startswith("Street cordoned")


def test_plan_input_is_checked_field_by_field(make_crime, constable):
    crime = make_crime()
    for kwargs, field in (
        ({"kind": "seance", "description": "x"}, "kind"),
        ({"kind": "cctv", "description": "  "}, "description"),
    ):
        with pytest.raises(ValidationError) as refused:
            investigation.add_enquiry_line(actor=constable, crime=crime, **kwargs)
        assert field in refused.value.message_dict
    with pytest.raises(ValidationError) as missing:
        investigation.update_enquiry_line(
            actor=constable, crime=crime, line_id=999999, status="done", result="x"
        )
    assert "line" in missing.value.message_dict
    assert not EnquiryLine.objects.exists()


def test_the_victims_wishes_are_kept_as_a_history(make_crime, constable, people):
    crime = make_crime()
    investigation.record_prosecution_wish(actor=constable, crime=crime, wish="not_yet_known")
    latest = investigation.record_prosecution_wish(
        actor=constable,
        crime=crime,
        wish="supports",
        victim=people["victim"],
        note="Wants to go to court",
    )
    assert crime.prosecution_wishes.first() == latest
    with pytest.raises(ValidationError) as not_victim:
        investigation.record_prosecution_wish(
            actor=constable, crime=crime, wish="supports", victim=people["bystander"]
        )
    assert "victim" in not_victim.value.message_dict
    with pytest.raises(ValidationError) as future:
        investigation.record_prosecution_wish(
            actor=constable,
            crime=crime,
            wish="supports",
            stated_on=dt.date.today() + dt.timedelta(days=3),
        )
    assert "stated_on" in future.value.message_dict


def test_suspect_events_carry_the_contract_payloads(make_crime, constable, people):
    crime = make_crime()
    suspect = people["suspect"]
    suspects.record_arrest(actor=constable, crime=crime, person=suspect)
    suspects.record_interview(actor=constable, crime=crime, person=suspect)
    suspects.record_release(
        actor=constable, crime=crime, person=suspect, how="rui", note="Phone to be examined"
    )
    suspects.record_disposal(actor=constable, crime=crime, person=suspect, disposal="charge")
    assert _events(crime, "crime.suspect_arrested") == [{"person": suspect.pk}]
    assert _events(crime, "crime.suspect_interviewed") == [{"person": suspect.pk}]
    assert _events(crime, "crime.suspect_released") == [
        {"person": suspect.pk, "how": "rui", "bail_conditions_changed": False, "bail_end": None}
    ]
    assert _events(crime, "crime.suspect_charged") == [{"person": suspect.pk, "disposal": "charge"}]
    steps = list(SuspectAction.objects.filter(crime=crime).values_list("step", flat=True))
    assert steps == ["arrested", "interviewed", "released", "disposed"]


def test_only_a_suspect_of_this_crime_can_be_arrested_for_it(make_crime, constable, people):
    crime = make_crime()
    with pytest.raises(ValidationError) as refused:
        suspects.record_arrest(actor=constable, crime=crime, person=people["victim"])
    assert "person" in refused.value.message_dict
    for when in (
        dt.datetime(1, 1, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        dt.datetime(1850, 1, 1, tzinfo=dt.UTC),
        dt.datetime.now(dt.UTC) + dt.timedelta(days=1),
    ):
        with pytest.raises(ValidationError) as odd_time:
            suspects.record_arrest(
                actor=constable, crime=crime, person=people["suspect"], occurred_at=when
            )
        assert "occurred_at" in odd_time.value.message_dict
    assert not DomainEvent.objects.filter(type="crime.suspect_arrested").exists()
    assert not SuspectAction.objects.exists()


def test_bail_has_an_end_date_and_a_duty_before_it(make_crime, constable, people):
    crime = make_crime()
    suspect = people["suspect"]
    with time_machine.travel(TUESDAY_10, tick=False):
        with pytest.raises(ValidationError) as too_long:
            suspects.record_release(
                actor=constable,
                crime=crime,
                person=suspect,
                how="bail",
                bail_end=dt.date(2027, 3, 1),
            )
        assert "bail_end" in too_long.value.message_dict
        with pytest.raises(ValidationError) as rui_date:
            suspects.record_release(
                actor=constable,
                crime=crime,
                person=suspect,
                how="rui",
                bail_end=dt.date(2027, 1, 1),
            )
        assert "bail_end" in rui_date.value.message_dict
        action = suspects.record_release(
            actor=constable,
            crime=crime,
            person=suspect,
            how="bail",
            bail_conditions="Not to contact the victim",
            bail_conditions_changed=True,
        )
    # domain.md §7: three months from the day of release.
    assert action.bail_end == dt.date(2027, 2, 24)
    assert _events(crime, "crime.suspect_released")[-1] == {
        "person": suspect.pk,
        "how": "bail",
        "bail_conditions_changed": True,
        "bail_end": "2027-02-24",
    }
    duty = duties_for(action).get(policy="pre-charge-bail-review")
    assert duty.outcome == Outcome.OPEN
    assert duty.due_at == dt.datetime(2027, 2, 17, 0, 0, tzinfo=dt.UTC)  # 7 days before, GMT
    assert duty.subject_label == f"{crime.reference} suspect released"  # no name in a label
    suspects.record_disposal(actor=constable, crime=crime, person=suspect, disposal="charge")
    duty.refresh_from_db()
    assert duty.outcome == Outcome.DONE


def test_each_suspects_bail_has_its_own_clock(make_crime, constable, sergeant, people):
    crime = make_crime()
    first, second = people["suspect"], people["bystander"]
    recording.add_party(actor=sergeant, crime=crime, person=second, role="suspect")
    bail = suspects.record_release(actor=constable, crime=crime, person=first, how="bail")
    suspects.record_release(actor=constable, crime=crime, person=second, how="nfa")
    suspects.record_disposal(actor=constable, crime=crime, person=second, disposal="no_prosecution")
    # The second suspect's release and disposal leave the first suspect's bail clock running.
    [duty] = duties_for(bail).filter(outcome=Outcome.OPEN)
    assert duty.owner is None  # not yet allocated: the team's supervisors own it
    # Re-bailing the first suspect ends the old bail and starts a new clock.
    again = suspects.record_release(
        actor=constable, crime=crime, person=first, how="bail", bail_conditions_changed=True
    )
    duty.refresh_from_db()
    assert duty.outcome == Outcome.DONE
    assert duties_for(again).get().outcome == Outcome.OPEN
    bail.refresh_from_db()
    assert bail.bail_ended_at == again.occurred_at


def test_the_decision_not_to_investigate_further_is_emitted_once(make_crime, detective):
    crime = make_crime()
    with pytest.raises(ValidationError) as bare:
        investigation.record_not_investigated(
            actor=detective, crime=crime, reason="no_lines_of_enquiry", explanation=""
        )
    assert "explanation" in bare.value.message_dict
    decision = investigation.record_not_investigated(
        actor=detective,
        crime=crime,
        reason="no_lines_of_enquiry",
        explanation="No CCTV, no witnesses, no forensic opportunities",
    )
    assert _events(crime, "crime.not_investigated") == [
        {"reason": "no_lines_of_enquiry", "decision": decision.pk}
    ]
    with pytest.raises(ValidationError):
        investigation.record_not_investigated(
            actor=detective, crime=crime, reason="other", explanation="again"
        )


def test_forensic_decisions_need_their_rationale(make_crime, constable):
    crime = make_crime()
    for rationale in ("", "   "):
        with pytest.raises(ValidationError) as refused:
            investigation.record_forensic_decision(
                actor=constable,
                crime=crime,
                kind="scene_attendance",
                decided_yes=False,
                rationale=rationale,
            )
        assert "rationale" in refused.value.message_dict
    assert not ForensicDecision.objects.exists()
    decision = investigation.record_forensic_decision(
        actor=constable,
        crime=crime,
        kind="submission",
        decided_yes=True,
        rationale="Blood on the broken pane; offender likely cut",
    )
    assert decision.decided_yes
    assert decision.decided_by == constable


def test_the_device_queue_shows_waiting_time(make_crime, constable, detective, make_user):
    crime = make_crime()
    phone = places.create_object(actor=constable, kind="device", description="Victim's iPhone")
    car = places.create_object(actor=constable, kind="vehicle", vrm="PN19ABC")
    with pytest.raises(ValidationError) as not_device:
        investigation.request_device_examination(
            actor=constable, crime=crime, what_is_sought="Messages", device=car
        )
    assert "device" in not_device.value.message_dict
    with pytest.raises(ValidationError) as nothing:
        investigation.request_device_examination(
            actor=constable, crime=crime, what_is_sought="Messages"
        )
    assert "device_description" in nothing.value.message_dict
    with time_machine.travel(TUESDAY_10, tick=False):
        first = investigation.request_device_examination(
            actor=constable, crime=crime, what_is_sought="Messages 1-3 May", device=phone
        )
    with time_machine.travel(TUESDAY_10 + dt.timedelta(days=2), tick=False):
        second = investigation.request_device_examination(
            actor=constable, crime=crime, what_is_sought="Images", device_description="Laptop"
        )
    with time_machine.travel(TUESDAY_10 + dt.timedelta(days=10), tick=False):
        queue = investigation_queries.device_queue(detective)
        assert [(r, r.waiting.days) for r in queue] == [(first, 10), (second, 8)]
        with pytest.raises(ValidationError) as skip:
            investigation.move_device_examination(
                actor=detective, crime=crime, request_id=first.pk, status="examined", result="x"
            )
        assert "status" in skip.value.message_dict
        investigation.move_device_examination(
            actor=detective, crime=crime, request_id=first.pk, status="accepted"
        )
        with pytest.raises(ValidationError) as no_result:
            investigation.move_device_examination(
                actor=detective, crime=crime, request_id=first.pk, status="examined"
            )
        assert "result" in no_result.value.message_dict
        investigation.move_device_examination(
            actor=detective,
            crime=crime,
            request_id=first.pk,
            status="examined",
            result="Threatening messages found",
        )
        with pytest.raises(PermissionDenied):
            investigation.move_device_examination(
                actor=make_user(Role.RESPONSE_OFFICER),
                crime=crime,
                request_id=second.pk,
                status="accepted",
            )
    with time_machine.travel(TUESDAY_10 + dt.timedelta(days=20), tick=False):
        assert [r.pk for r in investigation_queries.device_queue(detective)] == [second.pk]
        done = investigation_queries.device_queue(detective, finished=True)
        assert [(r.pk, r.waiting.days) for r in done] == [(first.pk, 10)]
    assert DeviceExamination.objects.get(pk=first.pk).finished_by == detective


def test_restricted_crimes_do_not_exist_for_those_without_a_grant(make_crime, constable, sergeant):
    crime = make_crime()
    restriction.restrict_record(actor=sergeant, record=crime, reason="Staff member is the victim")
    with pytest.raises(Http404):
        investigation.add_enquiry_line(actor=constable, crime=crime, kind="cctv", description="x")
    with pytest.raises(Http404):
        investigation_queries.investigation_of(constable, crime)


def test_reading_an_investigation_is_audited(make_crime, constable):
    crime = make_crime()
    before = AuditEvent.objects.count()
    summary = investigation_queries.investigation_of(constable, crime)
    assert summary.crime == crime
    last = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == before + 1
    assert (last.action, last.record_id, last.actor_id) == ("view", str(crime.pk), constable.pk)
