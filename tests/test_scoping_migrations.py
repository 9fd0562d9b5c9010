"""The data migrations that let old records be scoped: run on rows written the old way (the new
fields emptied, or a policy's old name), with the app registry as it is now."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from bluelamp.accounts.roles import Role
from bluelamp.core import persons
from bluelamp.core.models import RecordChange
from bluelamp.crime import recording
from bluelamp.duties.models import Duty
from bluelamp.victims.models import VictimRecord


def _migration(app: str, name: str):
    return importlib.import_module(f"bluelamp.{app}.migrations.{name}")


@pytest.fixture
def recorded(units, make_user):
    officer = make_user(Role.SUPERVISOR)
    ada = persons.create_person(actor=officer, family_name="Okafor", given_names="Ada")
    event = recording.record_crime(
        actor=officer,
        summary="Shed broken into",
        owning_unit=units["west-response"],
        offence_code="49",
        victims=[ada],
    ).event
    return ada, event


def test_old_history_rows_name_the_record_they_link(recorded):
    ada, event = recorded
    links = RecordChange.objects.filter(action="link")
    assert links.filter(about_event_id=event.pk).exists()
    links.update(about_event_id=None, about_person_id=None)  # as written before core 0003
    _migration("core", "0003_history_names_its_other_record").name_the_other_records(apps, None)
    assert links.filter(object_id=ada.pk, about_event_id=event.pk).exists()
    assert links.filter(object_id=event.pk, about_person_id=ada.pk).exists()


def test_old_duties_name_their_event_and_person(recorded):
    ada, event = recorded
    victim = VictimRecord.objects.get(crime=event, person=ada)
    Duty.objects.update(about_event_id=None, about_person_id=None)  # as before duties 0002
    module = _migration("duties", "0002_duties_name_their_event_and_person")
    module.name_what_duties_belong_to(apps, None)
    on_victim = Duty.objects.filter(subject_id=victim.pk, policy="victim-referral").get()
    assert (on_victim.about_event_id, on_victim.about_person_id) == (event.pk, ada.pk)
    assert not Duty.objects.filter(about_event_id=None, about_person_id=None).exists()


def test_open_enhanced_victim_duties_take_the_one_name_per_reason(recorded):
    _, event = recorded
    duty = Duty.objects.filter(about_event_id=event.pk, policy="victim-referral").get()
    Duty.objects.filter(pk=duty.pk).update(policy="victim-arrest-enhanced")
    _migration("victims", "0004_one_update_policy_per_reason").one_name_per_reason(apps, None)
    duty.refresh_from_db()
    assert duty.policy == "victim-arrest"
