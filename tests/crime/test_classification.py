"""Offence codes on record_crime, reclassification history, cancellation rules and authority,
N100 and fraud referrals from the recording decision."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from bluelamp.accounts.roles import Role
from bluelamp.audit.models import AuditEvent
from bluelamp.core import restriction
from bluelamp.core.models import Event
from bluelamp.crime import classification, incidents, recording
from bluelamp.crime.models import (
    ActionFraudReferral,
    Cancellation,
    Classification,
    Crime,
    N100Record,
    RecordingDecision,
)
from bluelamp.duties.models import DomainEvent, Duty, Outcome

from .helpers import crime

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "words"),
    [("", "Choose the Home Office offence code"), ("ZZ9", "not a Home Office offence code")],
)
def test_record_crime_needs_a_valid_offence_code(officer, units, code, words):
    with pytest.raises(ValidationError) as error:
        crime(officer, units, code=code)
    assert words in error.value.message_dict["offence_code"][0]
    assert not Event.objects.filter(kind="crime").exists()


def test_fraud_cannot_be_recorded_as_a_local_crime(officer, units):
    with pytest.raises(ValidationError) as error:
        crime(officer, units, code="53C")
    assert "Action Fraud" in error.value.message_dict["offence_code"][0]
    assert not Crime.objects.exists()


def test_the_recorded_code_starts_the_classification_history(officer, units):
    recorded = crime(officer, units, code="49")
    step = recorded.classifications.get()
    assert (step.from_code, step.to_code, step.classified_by) == ("", "49", officer)


def test_reclassification_keeps_history_and_emits_its_event(officer, units, make_user):
    investigator = make_user(Role.INVESTIGATOR)
    recorded = crime(officer, units, code="49")
    classification.reclassify(
        actor=investigator, crime=recorded.event, offence_code="39", reason="From her bag"
    )
    classification.reclassify(
        actor=investigator, crime=recorded.event, offence_code="34b", reason="Force was used"
    )
    recorded.refresh_from_db()
    assert recorded.offence_code == "34B"
    steps = list(Classification.objects.filter(crime=recorded).values_list("from_code", "to_code"))
    assert steps == [("", "49"), ("49", "39"), ("39", "34B")]
    event = DomainEvent.objects.filter(type="crime.reclassified").last()
    assert event.payload == {"from": "39", "to": "34B", "reason": "Force was used"}
    assert AuditEvent.objects.filter(record_id=str(recorded.event.pk), action="change").exists()


@pytest.mark.parametrize(
    ("code", "reason", "field"),
    [("49", "Same", "offence_code"), ("ZZ9", "Bad", "offence_code"), ("39", " ", "reason")],
)
def test_a_bad_reclassification_names_the_field_and_changes_nothing(
    officer, units, make_user, code, reason, field
):
    recorded = crime(officer, units, code="49")
    with pytest.raises(ValidationError) as error:
        classification.reclassify(
            actor=make_user(Role.SUPERVISOR), crime=recorded.event, offence_code=code, reason=reason
        )
    assert field in error.value.message_dict
    recorded.refresh_from_db()
    assert recorded.offence_code == "49"
    assert recorded.classifications.count() == 1


def test_a_response_officer_may_not_reclassify(officer, units):
    recorded = crime(officer, units)
    with pytest.raises(PermissionDenied):
        classification.reclassify(
            actor=officer, crime=recorded.event, offence_code="39", reason="x"
        )


def test_a_restricted_crime_does_not_exist_for_those_without_a_grant(officer, units, make_user):
    sergeant = make_user(Role.SUPERVISOR)
    recorded = crime(officer, units)
    restriction.restrict_record(
        actor=sergeant, record=recorded.event, reason="Staff member involved"
    )
    with pytest.raises(Http404):
        classification.reclassify(
            actor=make_user(Role.INVESTIGATOR),
            crime=recorded.event,
            offence_code="39",
            reason="x",
        )


@pytest.fixture
def ddm(make_user):
    leader = make_user(Role.SENIOR_LEADER)
    user = make_user(Role.QUALITY_ASSURANCE)
    classification.grant_authority(actor=leader, user=user, kind="ddm")
    return user


@pytest.mark.parametrize("reason", ["C2", "C3", "C4"])
def test_a_decision_maker_cancels_for_c2_to_c4(officer, units, ddm, reason):
    recorded = crime(officer, units)
    classification.cancel(actor=ddm, crime=recorded.event, reason=reason, rationale="Checked CCTV")
    recorded.event.refresh_from_db()
    assert recorded.event.status == "closed"
    cancellation = Cancellation.objects.get(crime=recorded)
    assert (cancellation.reason, cancellation.authority) == (reason, "ddm")
    assert DomainEvent.objects.get(type="crime.cancelled").payload == {"reason": reason}
    audit = AuditEvent.objects.filter(record_id=str(recorded.event.pk)).last()
    assert audit.detail["cancelled"] == reason
    assert audit.actor_id == ddm.pk
    # The QA check is no longer owed for a cancelled crime.
    assert Duty.objects.get(policy="crime-qa-check").outcome == Outcome.CANCELLED


def test_c1_transfer_records_the_receiving_force(officer, units, ddm):
    recorded = crime(officer, units)
    with pytest.raises(ValidationError) as error:
        classification.cancel(actor=ddm, crime=recorded.event, reason="C1", rationale="Manchester")
    assert "receiving_force" in error.value.message_dict
    assert not Cancellation.objects.exists()
    classification.cancel(
        actor=ddm,
        crime=recorded.event,
        reason="C1",
        rationale="Happened in Manchester",
        receiving_force="Greater Manchester Police",
    )
    assert Cancellation.objects.get().receiving_force == "Greater Manchester Police"


@pytest.mark.parametrize(
    ("reason", "rationale", "field"),
    [("C5", "x", "reason"), ("", "x", "reason"), ("C2", " ", "rationale")],
)
def test_only_the_hocr_reasons_with_a_rationale(officer, units, ddm, reason, rationale, field):
    recorded = crime(officer, units)
    with pytest.raises(ValidationError) as error:
        classification.cancel(actor=ddm, crime=recorded.event, reason=reason, rationale=rationale)
    assert field in error.value.message_dict
    recorded.event.refresh_from_db()
    assert recorded.event.status == "open"


def test_cancelling_without_the_authority_is_refused_whatever_the_role(officer, units, make_user):
    recorded = crime(officer, units)
    for role in (Role.QUALITY_ASSURANCE, Role.SUPERVISOR, Role.SENIOR_LEADER):
        with pytest.raises(PermissionDenied) as error:
            classification.cancel(
                actor=make_user(role), crime=recorded.event, reason="C4", rationale="x"
            )
        assert "Designated Decision Maker" in str(error.value)
    assert not Cancellation.objects.exists()


def test_a_withdrawn_authority_no_longer_cancels(officer, units, make_user, ddm):
    leader = make_user(Role.SENIOR_LEADER)
    classification.withdraw_authority(actor=leader, authority=ddm.crime_authorities.get())
    with pytest.raises(PermissionDenied):
        classification.cancel(
            actor=ddm, crime=crime(officer, units).event, reason="C4", rationale="x"
        )


def test_only_senior_leaders_give_the_authority(make_user):
    with pytest.raises(PermissionDenied):
        classification.grant_authority(
            actor=make_user(Role.SUPERVISOR), user=make_user(Role.SUPERVISOR), kind="fcr"
        )
    leader = make_user(Role.SENIOR_LEADER)
    user = make_user(Role.QUALITY_ASSURANCE)
    classification.grant_authority(actor=leader, user=user, kind="fcr")
    with pytest.raises(ValidationError) as error:
        classification.grant_authority(actor=leader, user=user, kind="fcr")
    assert "kind" in error.value.message_dict
    assert AuditEvent.objects.filter(action="grant", record_id=str(user.pk)).count() == 1


def test_a_cancelled_crime_cannot_be_cancelled_or_reclassified_again(officer, units, ddm):
    recorded = crime(officer, units)
    classification.cancel(actor=ddm, crime=recorded.event, reason="C4", rationale="Error")
    with pytest.raises(ValidationError):
        classification.cancel(actor=ddm, crime=recorded.event, reason="C4", rationale="Error")
    with pytest.raises(ValidationError):
        classification.reclassify(actor=ddm, crime=recorded.event, offence_code="39", reason="x")


@pytest.fixture
def handler(make_user):
    return make_user(Role.CALL_HANDLER)


def _incident(handler, units):
    return incidents.report_incident(
        actor=handler, summary="Report", owning_unit=units["west-response"], may_be_crime=True
    )


def test_a_reported_rape_not_confirmed_is_an_n100_and_discharges_the_ncrs_duty(handler, units):
    incident = _incident(handler, units)
    recording.record_recording_decision(
        actor=handler,
        incident=incident,
        decision="n100",
        offence_code="19C",
        reason="Credible evidence it did not occur",
    )
    n100 = N100Record.objects.get(incident=incident)
    assert (n100.offence_code, n100.reason) == ("19C", "Credible evidence it did not occur")
    assert Duty.objects.get(policy="ncrs-recording-decision").outcome == Outcome.DONE
    assert not Crime.objects.exists()


def test_a_reported_rape_cannot_be_marked_not_a_crime(handler, units):
    incident = _incident(handler, units)
    with pytest.raises(ValidationError) as error:
        recording.record_recording_decision(
            actor=handler, incident=incident, decision="no_crime", offence_code="19F", reason="x"
        )
    assert "N100" in error.value.message_dict["decision"][0]


def test_n100_is_only_for_rape_codes(handler, units):
    with pytest.raises(ValidationError) as error:
        recording.record_recording_decision(
            actor=handler,
            incident=_incident(handler, units),
            decision="n100",
            offence_code="49",
            reason="x",
        )
    assert "offence_code" in error.value.message_dict
    assert not N100Record.objects.exists()


def test_fraud_gets_an_action_fraud_referral_not_a_crime(handler, units):
    incident = _incident(handler, units)
    with pytest.raises(ValidationError) as error:
        recording.record_recording_decision(
            actor=handler, incident=incident, decision="crimed", offence_code="53C", reason="x"
        )
    assert "Action Fraud" in error.value.message_dict["offence_code"][0]
    with pytest.raises(ValidationError) as error:
        recording.record_recording_decision(
            actor=handler, incident=incident, decision="fraud", offence_code="53C", reason="x"
        )
    assert "action_fraud_reference" in error.value.message_dict
    assert not RecordingDecision.objects.exists()
    recording.record_recording_decision(
        actor=handler,
        incident=incident,
        decision="fraud",
        offence_code="53C",
        reason="Online shopping fraud",
        action_fraud_reference="NFRC2611250001",
    )
    referral = ActionFraudReferral.objects.get(incident=incident)
    assert (referral.reference, referral.referred_by) == ("NFRC2611250001", handler)
    assert not Crime.objects.exists()
    assert Duty.objects.get(policy="ncrs-recording-decision").outcome == Outcome.DONE


def test_a_crimed_decision_records_the_crime_through_record_crime(handler, units):
    incident = _incident(handler, units)
    decision = recording.record_recording_decision(
        actor=handler, incident=incident, decision="crimed", offence_code="58a", reason="Seen"
    )
    recorded = Crime.objects.get(incident=incident)
    assert decision.crime == recorded.event
    assert recorded.offence_code == "58A"
    assert DomainEvent.objects.filter(type="crime.recorded").count() == 1
    assert Duty.objects.get(policy="crime-qa-check").subject_id == recorded.event_id


def test_recording_a_crime_from_an_incident_is_its_recording_decision(handler, units):
    incident = _incident(handler, units)
    recording.record_crime(
        actor=handler,
        summary="Shed",
        owning_unit=units["west-response"],
        offence_code="28E",
        incident=incident,
    )
    assert RecordingDecision.objects.get(incident=incident).decision == "crimed"
    assert Duty.objects.get(policy="ncrs-recording-decision").outcome == Outcome.DONE
    # A second crime from the same incident (one per victim) adds no second decision.
    recording.record_crime(
        actor=handler,
        summary="Shed next door",
        owning_unit=units["west-response"],
        offence_code="28E",
        incident=incident,
    )
    assert RecordingDecision.objects.filter(incident=incident).count() == 1
