"""The "Duties on this record" panel on an event's page: the duties about the event and about the
records that belong to it (a victim's care record), with their state; audited; a restricted
victim's duties are not shown to those who cannot see that victim; roles without duty access see
no panel."""

import re

from bluelamp.accounts.roles import Role
from bluelamp.audit.models import AuditEvent
from bluelamp.core import persons, restriction
from bluelamp.crime import incidents, recording
from bluelamp.duties.models import Duty

from ..conftest import sign_in


def _panel(html: str) -> str:
    match = re.search(
        r'<section class="panel" data-testid="record-duties">.*?</section>', html, re.S
    )
    return match.group(0) if match else ""


def _row(panel: str, policy: str) -> str:
    match = re.search(rf'<li data-testid="duty" data-policy="{policy}"[^>]*>.*?</li>', panel, re.S)
    return match.group(0) if match else ""


def _crime_with_victim(officer, units, **person):
    victim = persons.create_person(actor=officer, given_names="Ada", family_name="Okafor", **person)
    incident = incidents.report_incident(
        actor=officer,
        summary="Shed broken into",
        owning_unit=units["west-response"],
        may_be_crime=True,
    )
    recorded = recording.record_crime(
        actor=officer,
        summary="Shed broken into, tools taken",
        owning_unit=units["west-response"],
        offence_code="49",
        incident=incident,
        victims=[victim],
    )
    return incident, recorded.event, victim


def test_the_crime_page_lists_its_duties_and_its_victims_duties(client, units, make_user):
    officer = make_user(Role.RESPONSE_OFFICER)
    incident, crime_event, _victim = _crime_with_victim(officer, units)
    sign_in(client, officer)

    page = client.get(f"/events/{crime_event.pk}/").content.decode()
    panel = _panel(page)
    assert "Duties on this record" in panel
    qa = _row(panel, "crime-qa-check")
    assert 'data-state="open"' in qa
    assert "queue quality-assurance" in qa
    referral = _row(panel, "victim-referral")
    # A duty about a record belonging to the crime says which record it is about.
    assert 'data-state="open"' in referral
    assert f"{crime_event.reference} victim" in referral
    # Shown after the features' own panels.
    assert page.index("Duties on this record") > page.index('data-testid="victims-panel"')

    incident_panel = _panel(client.get(f"/events/{incident.pk}/").content.decode())
    decision = _row(incident_panel, "ncrs-recording-decision")
    assert 'data-state="done"' in decision
    assert "on time" in decision
    assert _row(incident_panel, "crime-qa-check") == ""  # the crime's duties stay on the crime

    audited = AuditEvent.objects.filter(
        actor_id=officer.pk, record_type="duty", record_label=f"duties on {crime_event.reference}"
    )
    assert audited.count() == 1
    shown = set(audited.get().detail["duties"])
    assert shown == set(
        Duty.objects.filter(subject_label__startswith=crime_event.reference).values_list(
            "pk", flat=True
        )
    )


def test_a_late_and_a_cancelled_duty_say_so(client, units, make_user):
    officer = make_user(Role.RESPONSE_OFFICER)
    _incident, crime_event, _victim = _crime_with_victim(officer, units)
    qa_check = Duty.objects.get(policy="crime-qa-check", subject_id=crime_event.pk)
    Duty.objects.filter(pk=qa_check.pk).update(
        outcome="done", done_at=qa_check.due_at.replace(year=qa_check.due_at.year + 1)
    )
    referral = Duty.objects.get(policy="victim-referral")
    Duty.objects.filter(pk=referral.pk).update(
        outcome="cancelled", done_at=referral.opened_at, note="victim.referral_declined"
    )
    sign_in(client, officer)
    panel = _panel(client.get(f"/events/{crime_event.pk}/").content.decode())
    assert "<strong>late</strong>" in _row(panel, "crime-qa-check")
    cancelled = _row(panel, "victim-referral")
    assert 'data-state="cancelled"' in cancelled
    assert "victim: referral declined" in cancelled


def test_a_restricted_victims_duties_are_hidden_from_those_without_a_grant(
    client, units, make_user
):
    officer = make_user(Role.RESPONSE_OFFICER)
    sergeant = make_user(Role.SUPERVISOR)
    _incident, crime_event, victim = _crime_with_victim(officer, units)
    restriction.restrict_record(actor=sergeant, record=victim, reason="Member of staff")

    sign_in(client, officer)
    panel = _panel(client.get(f"/events/{crime_event.pk}/").content.decode())
    assert _row(panel, "crime-qa-check")
    assert _row(panel, "victim-referral") == ""
    client.logout()

    sign_in(client, sergeant)
    panel = _panel(client.get(f"/events/{crime_event.pk}/").content.decode())
    assert _row(panel, "victim-referral")


def test_roles_without_duties_see_no_panel(client, units, make_user):
    officer = make_user(Role.RESPONSE_OFFICER)
    auditor = make_user(Role.AUDITOR)
    _incident, crime_event, _victim = _crime_with_victim(officer, units)
    sign_in(client, auditor)
    client.post("/purpose/", {"purpose": "Complaint 2026/114 about access"})
    response = client.get(f"/events/{crime_event.pk}/")
    assert response.status_code == 200
    assert "Duties on this record" not in response.content.decode()
    assert not AuditEvent.objects.filter(actor_id=auditor.pk, record_type="duty").exists()
