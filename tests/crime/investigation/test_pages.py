"""The investigation pages and API as their users meet them: errors naming the field with what was
typed kept, 403 for the wrong role, 404 for a restricted crime, audit rows written."""

import json

from bluelamp.accounts.roles import Role
from bluelamp.accounts.services import issue_api_token
from bluelamp.audit.models import AuditEvent
from bluelamp.core import events, restriction
from bluelamp.crime.investigation import services as investigation
from bluelamp.crime.investigation.models import (
    EnquiryLine,
    ForensicDecision,
    SkillOverride,
    SuspectAction,
)
from bluelamp.duties.models import DomainEvent

from ...conftest import sign_in


def test_the_investigation_page_shows_and_takes_the_plan(client, make_crime, constable):
    crime = make_crime()
    sign_in(client, constable)
    url = f"/events/{crime.pk}/investigation/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Lines of enquiry" in page.content.decode()

    done = client.post(url + "line/", {"kind": "cctv", "description": "Co-op camera on Fishergate"})
    assert done.status_code == 302
    line = EnquiryLine.objects.get(crime=crime)
    bad = client.post(url + "line-status/", {"line": line.pk, "status": "done", "result": ""})
    assert bad.status_code == 400
    body = bad.content.decode()
    assert 'href="#id_line_status_result"' in body
    assert "Say what the enquiry found." in body
    line.refresh_from_db()
    assert line.status == "open"
    assert (
        client.post(
            url + "line-status/", {"line": line.pk, "status": "done", "result": "Suspect seen"}
        ).status_code
        == 302
    )
    page = client.get(url).content.decode()
    assert "Suspect seen" in page

    # A refused form keeps what the user typed.
    typed = "A long explanation the officer must not have to type again"
    refused = client.post(
        url + "forensic/", {"kind": "scene_attendance", "decided_yes": "", "rationale": typed}
    )
    assert refused.status_code == 400
    assert typed in refused.content.decode()
    assert "id_forensic_decided_yes" in refused.content.decode()
    assert not ForensicDecision.objects.exists()


def test_suspect_steps_on_the_page_emit_their_events(client, make_crime, constable, people):
    crime = make_crime()
    sign_in(client, constable)
    url = f"/events/{crime.pk}/investigation/suspect/"
    wrong = client.post(url, {"person": people["victim"].pk, "step": "arrested"})
    assert wrong.status_code == 400  # not offered: only the crime's suspects are choices
    assert 'href="#id_suspect_person"' in wrong.content.decode()
    no_how = client.post(url, {"person": people["suspect"].pk, "step": "released"})
    assert no_how.status_code == 400
    assert "Choose one of: nfa, bail, rui" in no_how.content.decode()
    made = client.post(
        url,
        {
            "person": people["suspect"].pk,
            "step": "released",
            "how": "bail",
            "bail_conditions": "Not to contact the victim",
        },
    )
    assert made.status_code == 302
    release = DomainEvent.objects.get(type="crime.suspect_released", subject_id=crime.pk)
    assert release.payload["how"] == "bail"
    assert SuspectAction.objects.get().bail_end is not None
    page = client.get(f"/events/{crime.pk}/investigation/").content.decode()
    assert "Pre-charge bail: act before the bail end date" in page


def test_allocation_page_suggests_and_refuses_without_the_skill(
    client, make_crime, sergeant, constable, detective
):
    rape = make_crime("19C", "Rape")
    sign_in(client, sergeant)
    url = f"/events/{rape.pk}/investigation/allocate/"
    page = client.get(url).content.decode()
    assert page.index(detective.display_name) < page.index(constable.display_name)
    assert "skilled" in page
    refused = client.post(url, {"officer": constable.pk})
    assert refused.status_code == 400
    assert 'href="#id_allocation_officer"' in refused.content.decode()
    assert "Specially trained officer" in refused.content.decode()
    overridden = client.post(url, {"officer": constable.pk, "override_reason": "STO on leave"})
    assert overridden.status_code == 302
    assert SkillOverride.objects.get(crime=rape).reason == "STO on leave"

    # The event page's own allocate form is held to the rule too, and names the field.
    client.post(f"/events/{rape.pk}/allocate/", {"officer": constable.pk})
    page = client.get(f"/events/{rape.pk}/").content.decode()
    assert "Investigation" in page
    assert f"/events/{rape.pk}/investigation/" in page


def test_lists_for_officers_and_supervisors(client, make_crime, sergeant, constable):
    crime = make_crime(summary="Shed burglary")
    investigation.allocate_investigation(actor=sergeant, crime=crime, officer=constable)
    investigation.request_device_examination(
        actor=constable, crime=crime, what_is_sought="Messages", device_description="Phone"
    )
    sign_in(client, constable)
    before = AuditEvent.objects.count()
    mine = client.get("/investigations/mine/").content.decode()
    assert "Shed burglary" in mine
    assert AuditEvent.objects.count() > before
    assert client.get("/investigations/workload/").status_code == 403
    assert client.get("/investigations/oversight/").status_code == 403
    queue = client.get("/investigations/devices/").content.decode()
    assert "Phone" in queue
    assert "0 days" in queue
    client.logout()
    sign_in(client, sergeant)
    workload = client.get("/investigations/workload/").content.decode()
    assert constable.display_name in workload
    oversight = client.get("/investigations/oversight/").content.decode()
    assert "Supervisory footprint" in oversight
    assert "Shed burglary" in oversight
    skills = client.post("/investigations/skills/", {"officer": constable.pk, "skill": "fraud"})
    assert skills.status_code == 302
    again = client.post("/investigations/skills/", {"officer": constable.pk, "skill": "fraud"})
    assert again.status_code == 400
    assert "already has this skill" in again.content.decode()


def test_wrong_role_is_refused_and_restricted_crimes_do_not_exist(
    client, make_crime, make_user, sergeant, constable
):
    crime = make_crime()
    analyst = make_user(Role.ANALYST)
    sign_in(client, analyst)
    refused = client.post(
        f"/events/{crime.pk}/investigation/line/", {"kind": "cctv", "description": "x"}
    )
    assert refused.status_code == 403
    client.logout()
    admin = make_user(Role.ADMINISTRATOR)
    sign_in(client, admin)
    assert client.get("/investigations/skills/").status_code == 200
    assert client.get(f"/events/{crime.pk}/investigation/").status_code == 403
    client.logout()
    restriction.restrict_record(actor=sergeant, record=crime, reason="Staff member is the victim")
    sign_in(client, constable)
    assert client.get(f"/events/{crime.pk}/investigation/").status_code == 404
    assert (
        client.post(
            f"/events/{crime.pk}/investigation/line/", {"kind": "cctv", "description": "x"}
        ).status_code
        == 404
    )
    assert not EnquiryLine.objects.exists()
    incident = events.record_event(
        actor=sergeant, kind="incident", summary="Noise", owning_unit=crime.owning_unit
    )
    assert client.get(f"/events/{incident.pk}/investigation/").status_code == 404


def _api(client, user):
    token = issue_api_token(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_the_api_names_the_field_and_keeps_to_the_rules(
    client, make_crime, sergeant, constable, people
):
    crime = make_crime("19C", "Rape")
    as_officer = _api(client, constable)
    as_sergeant = _api(client, sergeant)

    def post(path, body, headers):
        return client.post(
            f"/api/crimes/{crime.pk}{path}",
            json.dumps(body),
            content_type="application/json",
            **headers,
        )

    made = post("/lines", {"kind": "cctv", "description": "Co-op"}, as_officer)
    assert made.status_code == 201
    line_id = made.json()["id"]
    bad = post("/lines/status", {"line_id": line_id, "status": "not_possible"}, as_officer)
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "not_possible_reason"]
    unknown = post("/lines", {"kind": "seance", "description": "x"}, as_officer)
    assert unknown.status_code == 422

    arrest = post("/suspects/arrest", {"person_id": people["suspect"].pk}, as_officer)
    assert arrest.status_code == 201
    not_suspect = post("/suspects/arrest", {"person_id": people["victim"].pk}, as_officer)
    assert not_suspect.status_code == 422
    assert not_suspect.json()["detail"][0]["loc"] == ["body", "person"]

    refused = post("/investigation/allocation", {"officer_id": constable.pk}, as_sergeant)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "officer"]
    forbidden = post("/investigation/allocation", {"officer_id": constable.pk}, as_officer)
    assert forbidden.status_code == 403
    allowed = post(
        "/investigation/allocation",
        {"officer_id": constable.pk, "override_reason": "STO on leave"},
        as_sergeant,
    )
    assert allowed.status_code == 201

    view = client.get(f"/api/crimes/{crime.pk}/investigation", **as_officer)
    assert view.status_code == 200
    assert view.json()["skills_needed"] == ["pip2", "sto"]
    assert [a["step"] for a in view.json()["suspect_actions"]] == ["arrested"]
    mine = client.get("/api/investigations/mine", **as_officer).json()
    assert [c["id"] for c in mine] == [crime.pk]
    oversight = client.get("/api/investigations/oversight", **as_sergeant).json()
    assert oversight["live"] == 1
    assert oversight["footprint"] == 0
    assert client.get("/api/investigations/oversight", **as_officer).status_code == 403

    restriction.restrict_record(actor=sergeant, record=crime, reason="Staff member is the victim")
    assert client.get(f"/api/crimes/{crime.pk}/investigation", **as_officer).status_code == 404
