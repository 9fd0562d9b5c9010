"""Every Home Office outcome's requirements (domain.md 5), table-driven from crime/rules.py."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bluelamp.accounts.roles import Role
from bluelamp.audit.models import AuditEvent
from bluelamp.crime.models import CrimeOutcome
from bluelamp.crime.outcomes import record_outcome
from bluelamp.crime.rules import NAMED, NONE, OUTCOMES
from bluelamp.duties.models import DomainEvent

from .helpers import crime, person

pytestmark = pytest.mark.django_db

EXTRA = {
    "victim_decision": "Victim does not want further action",
    "victim_views": "Happy with an apology and the fence repaired",
    "rationale": "Suspect is 12 and has been referred to the youth offending team",
    "receiving_body": "British Transport Police",
}


def _needs(rule) -> dict:
    wanted = {}
    if rule.victim_decision:
        wanted["victim_decision"] = EXTRA["victim_decision"]
    if rule.victim_views:
        wanted["victim_views"] = EXTRA["victim_views"]
    if rule.rationale:
        wanted["rationale"] = EXTRA["rationale"]
    if rule.receiving_body:
        wanted["receiving_body"] = EXTRA["receiving_body"]
    return wanted


@pytest.fixture
def sergeant(make_user):
    return make_user(Role.SUPERVISOR)


def test_the_table_follows_domain_md_5():
    assert sorted(OUTCOMES, key=int) == [str(n) for n in range(1, 23)]
    named = {n for n, r in OUTCOMES.items() if r.suspect == NAMED}
    assert named == {str(n) for n in [*range(1, 14), 15, 16, 17, 21, 22]}
    assert {n for n, r in OUTCOMES.items() if r.suspect == NONE} == {"14", "18"}
    assert {n for n, r in OUTCOMES.items() if r.victim_decision} == {"14", "16"}
    assert {n for n, r in OUTCOMES.items() if r.rationale} == {"21"}
    # Community resolution records the victim's views (crime/rules.py, force guidance).
    assert {n for n, r in OUTCOMES.items() if r.victim_views} == {"8"}


ALLOWED = [n for n, r in OUTCOMES.items() if r.allowed]


@pytest.mark.parametrize("number", ALLOWED)
def test_each_outcome_is_recorded_with_what_it_needs(officer, units, sergeant, number):
    rule = OUTCOMES[number]
    suspect = person(officer, "Sam", "Suspect")
    recorded = crime(officer, units, suspects=[suspect] if rule.suspect != NONE else [])
    result = record_outcome(
        actor=sergeant,
        crime=recorded.event,
        outcome=number,
        suspect=suspect if rule.suspect == NAMED else None,
        **_needs(rule),
    )
    assert (result.outcome, result.authorised_by, result.outcome_date) == (
        number,
        sergeant,
        timezone.localdate(),
    )
    recorded.event.refresh_from_db()
    assert recorded.event.status == "closed"
    assert DomainEvent.objects.get(type="crime.outcome_recorded").payload == {"outcome": number}
    assert AuditEvent.objects.filter(record_id=str(recorded.event.pk), action="change").exists()


@pytest.mark.parametrize("number", [n for n, r in OUTCOMES.items() if r.suspect == NAMED])
def test_a_named_suspect_is_required(officer, units, sergeant, number):
    recorded = crime(officer, units, suspects=[person(officer, "Sam", "Suspect")])
    with pytest.raises(ValidationError) as error:
        record_outcome(
            actor=sergeant, crime=recorded.event, outcome=number, **_needs(OUTCOMES[number])
        )
    assert "suspect" in error.value.message_dict
    assert not CrimeOutcome.objects.exists()


def test_the_named_suspect_must_be_a_suspect_on_this_crime(officer, units, sergeant):
    recorded = crime(officer, units, suspects=[person(officer, "Sam", "Suspect")])
    with pytest.raises(ValidationError) as error:
        record_outcome(
            actor=sergeant, crime=recorded.event, outcome="1", suspect=person(officer, "Other")
        )
    assert "suspect" in error.value.message_dict


@pytest.mark.parametrize("number", ["14", "18"])
def test_no_identified_suspect_is_allowed_for_14_and_18(officer, units, sergeant, number):
    suspect = person(officer, "Sam", "Suspect")
    recorded = crime(officer, units, suspects=[suspect])
    with pytest.raises(ValidationError) as error:
        record_outcome(
            actor=sergeant, crime=recorded.event, outcome=number, **_needs(OUTCOMES[number])
        )
    assert "no identified suspect" in error.value.message_dict["suspect"][0]


@pytest.mark.parametrize(
    ("number", "field"),
    [
        ("14", "victim_decision"),
        ("16", "victim_decision"),
        ("8", "victim_views"),
        ("21", "rationale"),
        ("20", "receiving_body"),
    ],
)
def test_the_information_each_outcome_needs_is_named(officer, units, sergeant, number, field):
    suspect = person(officer, "Sam", "Suspect")
    named = OUTCOMES[number].suspect == NAMED
    recorded = crime(officer, units, suspects=[suspect] if named else [])
    values = {k: v for k, v in _needs(OUTCOMES[number]).items() if k != field}
    with pytest.raises(ValidationError) as error:
        record_outcome(
            actor=sergeant,
            crime=recorded.event,
            outcome=number,
            suspect=suspect if named else None,
            **values,
        )
    assert field in error.value.message_dict


@pytest.mark.parametrize(
    ("number", "words"), [("0", "never counts"), ("19", "NFIB"), ("23", "1 to 22"), ("", "1 to 22")]
)
def test_outcomes_a_force_may_not_give(officer, units, sergeant, number, words):
    recorded = crime(officer, units)
    with pytest.raises(ValidationError) as error:
        record_outcome(actor=sergeant, crime=recorded.event, outcome=number)
    assert words in error.value.message_dict["outcome"][0]


def test_the_outcome_date_cannot_be_in_the_future(officer, units, sergeant):
    recorded = crime(officer, units)
    with pytest.raises(ValidationError) as error:
        record_outcome(
            actor=sergeant,
            crime=recorded.event,
            outcome="18",
            outcome_date=timezone.localdate() + dt.timedelta(days=1),
        )
    assert "outcome_date" in error.value.message_dict


def test_only_supervisors_authorise_outcomes_and_only_once(officer, units, sergeant):
    recorded = crime(officer, units)
    with pytest.raises(PermissionDenied):
        record_outcome(actor=officer, crime=recorded.event, outcome="18")
    record_outcome(actor=sergeant, crime=recorded.event, outcome="18")
    with pytest.raises(ValidationError):
        record_outcome(actor=sergeant, crime=recorded.event, outcome="18")
    assert CrimeOutcome.objects.count() == 1


def test_a_community_resolution_keeps_the_victims_views(officer, units, sergeant):
    suspect = person(officer, "Sam", "Suspect")
    recorded = crime(officer, units, suspects=[suspect])
    result = record_outcome(
        actor=sergeant,
        crime=recorded.event,
        outcome="8",
        suspect=suspect,
        victim_views="  Wants an apology, not a prosecution ",
    )
    result.refresh_from_db()
    assert result.victim_views == "Wants an apology, not a prosecution"
