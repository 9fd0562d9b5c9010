"""The staff side: the panel on the crime's page, issuing a code shown once, unlocking, adding an
update through a page; wrong roles refused (403) and restricted crimes absent (404)."""

import pytest

from bluelamp.accounts.roles import Role
from bluelamp.audit.models import Action, AuditEvent
from bluelamp.core import restriction
from bluelamp.crime.models import InvestigationUpdate
from bluelamp.victims.portal import signing_in
from bluelamp.victims.portal.models import AccessCode


def test_the_crime_page_shows_the_portal_panel(victim, investigator, signed_in):
    html = signed_in(investigator).get(f"/events/{victim.crime_id}/").content.decode()
    assert 'data-testid="portal-panel"' in html
    assert "code email" in html
    assert "Add an investigation update" in html


def test_an_in_person_code_is_shown_once_and_works(victim, investigator, signed_in):
    client = signed_in(investigator)
    response = client.post(f"/track/staff/victims/{victim.pk}/code/", {"how": "in_person"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    code = html.split('data-testid="issued-code">')[1].split("<")[0]
    assert AccessCode.objects.filter(victim_record=victim, voided_at__isnull=True).count() == 1
    assert AccessCode.objects.get(victim_record=victim, voided_at__isnull=True).sent_by == (
        "in_person"
    )
    result = signing_in.sign_in(
        reference=victim.crime.reference, code=code, date_of_birth=victim.person.date_of_birth
    )
    assert result.victim_record == victim
    assert AuditEvent.objects.filter(
        action=Action.CREATE, actor_id=investigator.pk, record_id=str(victim.pk)
    ).exists()


def test_sending_to_an_unsafe_channel_is_refused_by_name(
    crime_event, make_victim, investigator, signed_in
):
    record = make_victim(crime_event, safe_to_write=False)
    response = signed_in(investigator).post(
        f"/track/staff/victims/{record.pk}/code/", {"how": "send"}
    )
    assert response.status_code == 400
    assert "How the victim gets the code:" in response.content.decode()
    assert not AccessCode.objects.filter(victim_record=record).exists()


def test_an_officer_adds_an_update_for_the_victim_through_the_page(victim, investigator, signed_in):
    client = signed_in(investigator)
    response = client.post(
        f"/track/staff/crimes/{victim.crime_id}/update/",
        {"text": "CCTV collected", "victim_visible": "on"},
    )
    assert response.status_code == 302
    update = InvestigationUpdate.objects.get()
    assert update.victim_visible
    response = client.post(f"/track/staff/crimes/{victim.crime_id}/update/", {"text": ""})
    assert response.status_code == 400
    assert "Investigation update:" in response.content.decode()
    assert InvestigationUpdate.objects.count() == 1


def test_an_officer_unlocks_through_the_page(victim, investigator, signed_in):
    for attempt in range(10):
        signing_in.sign_in(reference=victim.crime.reference, code=f"X{attempt}", date_of_birth=None)
    client = signed_in(investigator)
    assert "locked" in client.get(f"/events/{victim.crime_id}/").content.decode()
    response = client.post(f"/track/staff/crimes/{victim.crime_id}/unlock/")
    assert response.status_code == 302
    assert signing_in.locked_until(victim.crime) is None


@pytest.mark.parametrize("role", [Role.ANALYST, Role.CALL_HANDLER])
def test_roles_without_the_permission_are_refused(victim, make_user, signed_in, role):
    client = signed_in(make_user(role))
    if role == Role.ANALYST:
        session = client.session
        session["bluelamp_purpose"] = "Checking"
        session.save()
    response = client.post(f"/track/staff/victims/{victim.pk}/code/", {"how": "in_person"})
    assert response.status_code == 403
    assert not AccessCode.objects.filter(victim_record=victim, sent_by="in_person").exists()


def test_a_restricted_crime_is_not_there_for_others(victim, make_user, signed_in):
    sergeant = make_user(Role.SUPERVISOR)
    restriction.restrict_record(actor=sergeant, record=victim.crime, reason="Victim is staff")
    outsider = signed_in(make_user(Role.RESPONSE_OFFICER))
    response = outsider.post(f"/track/staff/victims/{victim.pk}/code/", {"how": "in_person"})
    assert response.status_code == 404
    response = outsider.post(f"/track/staff/crimes/{victim.crime_id}/update/", {"text": "x"})
    assert response.status_code == 404
