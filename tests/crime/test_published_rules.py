"""Issue 14's crime-recording rules: outcomes-only codes refused on new crimes (domain.md 4.2),
the N100 check that no path skips (domain.md 4.3), the 24-hour recording decision for a crime
found after the report (NCRS, domain.md 4), crime flags set at recording, and the data
migration that recodes crimes recorded under withdrawn codes."""

import datetime as dt
from importlib import import_module

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.utils import timezone

from bluelamp.accounts.roles import Role
from bluelamp.crime import classification, incidents, recording
from bluelamp.crime.models import Classification, Crime, IncidentReport, N100Record
from bluelamp.duties.models import DomainEvent, Duty, Outcome

from .helpers import crime

pytestmark = pytest.mark.django_db


@pytest.fixture
def handler(make_user):
    return make_user(Role.CALL_HANDLER)


def _incident(handler, units, *, may_be_crime=True, may_be_rape=False):
    return incidents.report_incident(
        actor=handler,
        summary="Report",
        owning_unit=units["west-response"],
        may_be_crime=may_be_crime,
        may_be_rape=may_be_rape,
    )


# --- outcomes-only codes (domain.md 4.2) -------------------------------------------------------
@pytest.mark.parametrize("code", ["28A", "29", "30A", "31"])  # the old burglary codes
def test_an_outcomes_only_code_is_refused_on_a_new_crime(officer, units, code):
    with pytest.raises(ValidationError) as error:
        crime(officer, units, code=code)
    assert "outcomes" in error.value.message_dict["offence_code"][0]
    assert not Crime.objects.exists()


def test_an_outcomes_only_code_is_refused_on_reclassification(officer, units, make_user):
    recorded = crime(officer, units, code="28E")
    with pytest.raises(ValidationError) as error:
        classification.reclassify(
            actor=make_user(Role.QUALITY_ASSURANCE),
            crime=recorded.event,
            offence_code="28A",
            reason="Old code",
        )
    assert "not a current Home Office code" in error.value.message_dict["offence_code"][0]


def test_5d_is_recorded_and_5a_is_refused(officer, units):
    assert crime(officer, units, code="5d").offence_code == "5D"
    with pytest.raises(ValidationError) as error:
        crime(officer, units, code="5A")
    assert "not a Home Office offence code" in error.value.message_dict["offence_code"][0]


# --- N100 (domain.md 4.3) ----------------------------------------------------------------------
def test_not_a_crime_without_an_offence_code_must_answer_the_rape_question(handler, units):
    incident = _incident(handler, units)
    with pytest.raises(ValidationError) as error:
        recording.record_recording_decision(
            actor=handler, incident=incident, decision="no_crime", reason="Lost property"
        )
    assert "rape_reported" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        recording.record_recording_decision(
            actor=handler,
            incident=incident,
            decision="no_crime",
            reason="Not true",
            rape_reported=True,
        )
    assert "N100" in error.value.message_dict["decision"][0]
    decision = recording.record_recording_decision(
        actor=handler,
        incident=incident,
        decision="no_crime",
        reason="Lost property",
        rape_reported=False,
    )
    assert decision.decision == "no_crime"


def test_a_report_marked_as_possible_rape_leaves_recording_only_by_rape_or_n100(handler, units):
    incident = _incident(handler, units, may_be_crime=False, may_be_rape=True)
    # A possible rape is a possible crime: the 24-hour duty is open.
    assert Duty.objects.get(policy="ncrs-recording-decision").outcome == Outcome.OPEN
    refused = [
        {"decision": "no_crime", "rape_reported": False},
        {"decision": "no_crime", "offence_code": "20A"},
        {"decision": "crimed", "offence_code": "20A"},
        {"decision": "fraud", "action_fraud_reference": "NFRC1"},
    ]
    for values in refused:
        with pytest.raises(ValidationError) as error:
            recording.record_recording_decision(
                actor=handler, incident=incident, reason="x", **values
            )
        assert "rape" in str(error.value.message_dict), values
    # record_crime straight from the incident is its recording decision too: refused as well.
    with pytest.raises(ValidationError) as error:
        recording.record_crime(
            actor=handler,
            summary="Sexual assault",
            owning_unit=units["west-response"],
            offence_code="20A",
            incident=incident,
        )
    assert "N100" in error.value.message_dict["offence_code"][0]
    assert not Crime.objects.exists()
    assert not DomainEvent.objects.filter(type="crime.recording_decision_made").exists()
    recording.record_recording_decision(
        actor=handler,
        incident=incident,
        decision="n100",
        offence_code="19C",
        reason="Recorded as sexual assault after the account",
    )
    assert N100Record.objects.filter(incident=incident).exists()
    # With the N100 made, the crime that was found is recorded from the same incident.
    found = recording.record_crime(
        actor=handler,
        summary="Sexual assault",
        owning_unit=units["west-response"],
        offence_code="20A",
        incident=incident,
    )
    assert found.offence_code == "20A"
    assert Duty.objects.get(policy="ncrs-recording-decision").outcome == Outcome.DONE


def test_a_possible_rape_recorded_as_a_confirmed_rape_leaves_recording(handler, units):
    incident = _incident(handler, units, may_be_rape=True)
    decision = recording.record_recording_decision(
        actor=handler, incident=incident, decision="crimed", offence_code="19C", reason="Rape"
    )
    assert decision.crime.crime.offence_code == "19C"


# --- a crime found after the report (NCRS, domain.md 4) ----------------------------------------
def test_an_incident_later_found_to_involve_a_crime_opens_the_24_hour_decision(handler, units):
    start = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        incident = _incident(handler, units, may_be_crime=False)
    assert not Duty.objects.filter(policy__startswith="ncrs-recording-decision").exists()
    found = start + dt.timedelta(hours=30)
    with time_machine.travel(found, tick=False):
        report = incidents.identify_possible_crime(
            actor=handler, incident=incident, reason="CCTV shows the bike was taken"
        )
    assert report.may_be_crime
    assert report.crime_identified_at == found
    duty = Duty.objects.get(policy="ncrs-recording-decision-later")
    assert duty.subject_id == incident.pk
    assert duty.due_at == found + dt.timedelta(hours=24)
    assert duty.outcome == Outcome.OPEN
    with pytest.raises(ValidationError):  # found once: a second marking is refused
        incidents.identify_possible_crime(actor=handler, incident=incident, reason="again")
    with time_machine.travel(found + dt.timedelta(hours=2), tick=False):
        recording.record_recording_decision(
            actor=handler, incident=incident, decision="crimed", offence_code="44", reason="Seen"
        )
    duty.refresh_from_db()
    assert duty.outcome == Outcome.DONE
    assert duty.on_time


def test_finding_a_possible_rape_later_brings_in_the_n100_rule(handler, units):
    incident = _incident(handler, units)  # a possible crime already
    incidents.identify_possible_crime(
        actor=handler, incident=incident, reason="Disclosed at interview", may_be_rape=True
    )
    assert IncidentReport.objects.get(incident=incident).may_be_rape
    # The duty was opened by the report; no second one.
    assert not Duty.objects.filter(policy="ncrs-recording-decision-later").exists()
    with pytest.raises(ValidationError):
        recording.record_recording_decision(
            actor=handler, incident=incident, decision="crimed", offence_code="8N", reason="x"
        )


# --- crime flags (domain.md 1.3, 4.1) ----------------------------------------------------------
def test_flags_are_kept_on_the_crime_and_in_the_recorded_event(officer, units):
    recorded = recording.record_crime(
        actor=officer,
        summary="Assault at home",
        owning_unit=units["west-response"],
        offence_code="8N",
        flags=["hate_crime", "domestic_abuse", "domestic_abuse"],
    )
    recorded.refresh_from_db()
    assert recorded.flags == ["domestic_abuse", "hate_crime"]
    event = DomainEvent.objects.get(type="crime.recorded")
    assert event.payload["flags"] == ["domestic_abuse", "hate_crime"]


def test_the_crimed_decision_passes_its_flags_on(handler, units):
    incident = _incident(handler, units)
    decision = recording.record_recording_decision(
        actor=handler,
        incident=incident,
        decision="crimed",
        offence_code="8N",
        reason="Assault by her partner",
        flags=["domestic_abuse"],
    )
    assert decision.crime.crime.flags == ["domestic_abuse"]


# --- the data migration for crimes under withdrawn codes ---------------------------------------
def test_the_migration_recodes_crimes_under_withdrawn_codes_with_history(officer, units):
    migration = import_module("bluelamp.crime.migrations.0007_ho_offence_codes_2017_18")
    old = {}
    for code in ("5A", "58J", "58E", "10C", "8U", "49"):
        recorded = crime(officer, units, code="49")
        Crime.objects.filter(pk=recorded.pk).update(offence_code=code)
        old[code] = recorded.pk
    before = timezone.now()
    migration.recode_crimes(django_apps, None)
    now = {code: Crime.objects.get(pk=pk).offence_code for code, pk in old.items()}
    assert now == {
        "5A": "5D",
        "58J": "59",  # the old 58J meant threats to damage; not moved on again to 58J's new home
        "58E": "58J",
        "10C": "10B",
        "8U": "8U",  # no home in the list: left for QA to reclassify
        "49": "49",
    }
    steps = Classification.objects.filter(classified_at__gte=before).order_by("from_code")
    assert [(s.from_code, s.to_code) for s in steps] == [
        ("10C", "10B"),
        ("58E", "58J"),
        ("58J", "59"),
        ("5A", "5D"),
    ]
    assert all(s.classified_by is None and "migration" in s.reason for s in steps)


def test_the_migration_keeps_the_skill_rules_in_step_with_the_list():
    from bluelamp.crime.investigation.models import SkillRequirement

    migration = import_module("bluelamp.crime.migrations.0007_ho_offence_codes_2017_18")
    SkillRequirement.objects.create(
        offence_prefix="53A", skill="fraud", description="Fraud (HOCR group)"
    )
    SkillRequirement.objects.create(
        offence_prefix="53G", skill="fraud", description="Set by the FCR"
    )
    SkillRequirement.objects.filter(offence_prefix="72").delete()
    migration.sync_skill_rules(django_apps, None)
    prefixes = set(SkillRequirement.objects.values_list("offence_prefix", "skill"))
    assert ("53A", "fraud") not in prefixes  # a default row for a code no longer in the list
    assert ("53G", "fraud") in prefixes  # a force's own row stays
    assert {("72", "sto"), ("72", "pip2"), ("55", "fraud")} <= prefixes
