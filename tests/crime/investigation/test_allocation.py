"""Allocation matched to skills: refused without the skill, allowed with a supervisor's recorded
override, and enforced on the plain allocate service too; suggestions and workload."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bluelamp.accounts.roles import Role
from bluelamp.audit.models import AuditEvent
from bluelamp.crime import supervision
from bluelamp.crime.investigation import queries as investigation_queries
from bluelamp.crime.investigation import services as investigation
from bluelamp.crime.investigation.models import OfficerSkill, SkillOverride
from bluelamp.crime.models import Allocation


def test_the_rule_table_uses_the_longest_matching_prefix(db):
    assert investigation_queries.skills_needed("19C") == ["pip2", "sto"]
    assert investigation_queries.skills_needed(" 53c ") == ["fraud"]
    assert investigation_queries.skills_needed("28E") == []
    assert investigation_queries.skills_needed("") == []


def test_a_sexual_offence_is_refused_to_an_officer_without_the_skill(
    make_crime, sergeant, constable, detective
):
    rape = make_crime("19C", "Rape")
    with pytest.raises(ValidationError) as refused:
        investigation.allocate_investigation(actor=sergeant, crime=rape, officer=constable)
    assert "officer" in refused.value.message_dict
    assert "Specially trained officer" in refused.value.message_dict["officer"][0]
    assert not Allocation.objects.filter(event=rape).exists()
    rape.refresh_from_db()
    assert rape.officer_in_case is None

    # The plain allocate service (the event page's form and the API) is held to the same rule.
    with pytest.raises(ValidationError):
        supervision.allocate(actor=sergeant, event=rape, officer=constable)
    assert not Allocation.objects.filter(event=rape).exists()

    allocation = investigation.allocate_investigation(actor=sergeant, crime=rape, officer=detective)
    assert allocation.officer == detective


def test_a_supervisor_may_override_with_a_reason_which_is_kept(make_crime, sergeant, constable):
    rape = make_crime("19C", "Rape")
    allocation = investigation.allocate_investigation(
        actor=sergeant,
        crime=rape,
        officer=constable,
        override_reason="STO on leave; DS Patel mentoring until Monday",
    )
    override = SkillOverride.objects.get(crime=rape)
    assert override.allocation == allocation
    assert override.authorised_by == sergeant
    assert override.skills_needed == ["pip2", "sto"]
    assert "DS Patel" in override.reason


def test_only_a_supervisor_may_override(make_crime, make_user, constable):
    rape = make_crime("19C", "Rape")
    qa = make_user(Role.QUALITY_ASSURANCE)
    with pytest.raises(ValidationError) as refused:
        investigation.allocate_investigation(
            actor=qa, crime=rape, officer=constable, override_reason="No one else free"
        )
    assert "override_reason" in refused.value.message_dict
    assert not SkillOverride.objects.exists()
    with pytest.raises(PermissionDenied):
        investigation.allocate_investigation(actor=constable, crime=rape, officer=constable)


def test_work_needing_no_skill_goes_to_anyone(make_crime, sergeant, constable):
    burglary = make_crime("28E")
    investigation.allocate_investigation(actor=sergeant, crime=burglary, officer=constable)
    burglary.refresh_from_db()
    assert burglary.officer_in_case == constable


def test_skills_are_kept_by_supervisors_once_each(sergeant, constable):
    investigation.add_officer_skill(actor=sergeant, officer=constable, skill="fraud")
    with pytest.raises(ValidationError) as twice:
        investigation.add_officer_skill(actor=sergeant, officer=constable, skill="fraud")
    assert "skill" in twice.value.message_dict
    with pytest.raises(ValidationError) as unknown:
        investigation.add_officer_skill(actor=sergeant, officer=constable, skill="wizard")
    assert "skill" in unknown.value.message_dict
    with pytest.raises(PermissionDenied):
        investigation.add_officer_skill(actor=constable, officer=constable, skill="sto")
    assert list(OfficerSkill.objects.filter(officer=constable).values_list("skill", flat=True)) == [
        "fraud"
    ]


def test_suggestions_put_the_skilled_first_then_the_least_busy(
    make_crime, sergeant, constable, detective
):
    for _ in range(2):
        investigation.allocate_investigation(
            actor=sergeant, crime=make_crime("28E"), officer=constable
        )
    needed, rows = investigation_queries.suggest_officers(sergeant, make_crime("19C", "Rape"))
    assert needed == ["pip2", "sto"]
    assert [(s.workload.officer, s.qualified) for s in rows[:2]] == [
        (detective, True),
        (constable, False),
    ]
    assert rows[1].workload.live == 2
    assert rows[0].workload.skills == ["pip2"]


def test_team_workload_counts_live_work_oldest_and_overdue(
    make_crime, sergeant, constable, detective
):
    first = make_crime("28E")
    investigation.allocate_investigation(actor=sergeant, crime=first, officer=constable)
    investigation.allocate_investigation(actor=sergeant, crime=make_crime("28E"), officer=constable)
    before = AuditEvent.objects.count()
    rows = {w.officer: w for w in investigation_queries.team_workload(sergeant)}
    assert rows[constable].live == 2
    assert rows[constable].oldest_reported_at == first.reported_at
    assert rows[constable].overdue_duties == 0
    assert rows[detective].live == 0
    assert AuditEvent.objects.count() == before + 1
    with pytest.raises(PermissionDenied):
        investigation_queries.team_workload(constable)
