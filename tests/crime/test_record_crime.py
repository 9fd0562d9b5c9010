"""record_crime links its parties and emits crime.recorded in the same transaction; reactions
registered with duties.registry.reacts_to run inside that transaction."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bluelamp.accounts.roles import Role
from bluelamp.core import persons, restriction
from bluelamp.crime import recording, supervision
from bluelamp.duties.models import DomainEvent
from bluelamp.duties.registry import REACTIONS, reacts_to


@pytest.fixture
def people(officer):
    return [
        persons.create_person(actor=officer, given_names=g, family_name=f)
        for g, f in (("Ann", "Victim"), ("Sam", "Suspect"))
    ]


@pytest.mark.django_db
def test_a_crime_is_recorded_with_its_parties_and_its_event(officer, units, people):
    victim, suspect = people
    crime = recording.record_crime(
        actor=officer,
        summary="Purse taken",
        owning_unit=units["west-response"],
        offence_code="49",
        victims=[victim],
        suspects=[suspect],
    )
    roles = sorted(crime.event.person_links.values_list("role", flat=True))
    assert roles == ["suspect", "victim"]
    event = DomainEvent.objects.get(type="crime.recorded")
    assert event.payload["victims"] == [victim.pk]
    assert event.payload["suspects"] == [suspect.pk]


@pytest.mark.django_db
def test_a_reaction_runs_inside_the_emitting_transaction(officer, units, people, monkeypatch):
    seen = []
    monkeypatch.setitem(REACTIONS, "crime.recorded", list(REACTIONS.get("crime.recorded", [])))
    reacts_to("crime.recorded")(lambda event, subject: seen.append(subject.pk))
    crime = recording.record_crime(
        actor=officer, summary="Damage", owning_unit=units["west"], offence_code="58D"
    )
    assert seen == [crime.event.pk]


@pytest.mark.django_db
def test_a_failing_reaction_rolls_the_crime_back(officer, units, monkeypatch):
    def refuse(event, subject):
        raise ValidationError({"victim": "refused"})

    monkeypatch.setitem(REACTIONS, "crime.recorded", [("refuse", refuse)])
    with pytest.raises(ValidationError):
        recording.record_crime(
            actor=officer, summary="Damage", owning_unit=units["west"], offence_code="58D"
        )
    assert not DomainEvent.objects.filter(type="crime.recorded").exists()


@pytest.mark.django_db
def test_a_victim_visible_update_says_so_in_its_event(officer, units):
    crime = recording.record_crime(
        actor=officer, summary="Damage", owning_unit=units["west"], offence_code="58D"
    )
    update = supervision.record_investigation_update(
        actor=officer, crime=crime.event, text="CCTV requested", victim_visible=True
    )
    event = DomainEvent.objects.get(type="crime.investigation_updated")
    assert event.payload == {"update": update.pk, "victim_visible": True}
    assert list(supervision.victim_visible_updates(crime=crime.event)) == [update]


@pytest.mark.django_db
def test_an_analyst_cannot_record_a_crime(make_user, units):
    with pytest.raises(PermissionDenied):
        recording.record_crime(
            offence_code="49",
            actor=make_user(Role.ANALYST),
            summary="Damage",
            owning_unit=units["west"],
        )


@pytest.mark.django_db
def test_an_empty_update_names_the_field(officer, units):
    crime = recording.record_crime(
        actor=officer, summary="Damage", owning_unit=units["west"], offence_code="58D"
    )
    with pytest.raises(ValidationError) as error:
        supervision.record_investigation_update(actor=officer, crime=crime.event, text="  ")
    assert "text" in error.value.message_dict


@pytest.mark.django_db
def test_parties_are_linked_with_history_and_audit_and_restricted_people_refused(
    officer, units, people, make_user
):
    from django.http import Http404

    from bluelamp.audit.models import AuditEvent
    from bluelamp.core.models import RecordChange

    victim, suspect = people
    crime = recording.record_crime(
        actor=officer,
        summary="Purse taken",
        owning_unit=units["west-response"],
        offence_code="49",
        victims=[victim, victim],  # the same person twice is linked once
        suspects=[suspect],
    )
    assert crime.event.person_links.count() == 2
    assert RecordChange.objects.filter(
        object_id=victim.pk, action="link", summary__startswith="Victim in"
    ).exists()
    assert AuditEvent.objects.filter(action="link", record_id=str(crime.event.pk)).count() == 2
    restriction.restrict_record(actor=make_user(Role.SUPERVISOR), record=suspect, reason="Staff")
    with pytest.raises(Http404):
        recording.record_crime(
            actor=officer,
            summary="Again",
            owning_unit=units["west-response"],
            offence_code="49",
            suspects=[suspect],
        )
