"""An incident from the page to a recorded crime, allocated and reviewed, all on the pages."""

from bluelamp.accounts.roles import Role
from bluelamp.core.models import Event
from bluelamp.duties.models import Duty, Outcome

from ..conftest import sign_in


def test_from_incident_to_reviewed_crime_on_the_pages(client, units, make_user):
    officer = make_user(Role.RESPONSE_OFFICER, unit="west-response")
    sergeant = make_user(Role.SUPERVISOR, unit="west-response")
    investigator = make_user(Role.INVESTIGATOR, unit="west-cid")
    sign_in(client, officer)
    bad = client.post("/incidents/new/", {"summary": "", "owning_unit": units["west-response"].pk})
    assert bad.status_code == 400
    assert 'href="#id_summary"' in bad.content.decode()

    made = client.post(
        "/incidents/new/",
        {
            "summary": "Shed broken into",
            "owning_unit": units["west-response"].pk,
            "may_be_crime": "on",
        },
    )
    incident = Event.objects.get(summary="Shed broken into")
    assert made.url == f"/events/{incident.pk}/"
    page = client.get(made.url).content.decode()
    assert "Make the crime-recording decision" in page
    client.post(
        f"/incidents/{incident.pk}/decision/",
        {
            "decision": "crimed",
            "reason": "Victim's account",
            "crime_summary": "Burglary",
            "offence_code": "28E",
        },
    )
    ncrs = Duty.objects.get(policy="ncrs-recording-decision", subject_id=incident.pk)
    assert ncrs.outcome == Outcome.DONE
    crime = Event.objects.get(kind="crime", summary="Burglary")
    # The decision form is gone (the duty of the same name now shows as done on the record).
    decided = client.get(made.url).content.decode()
    assert f'action="/incidents/{incident.pk}/decision/"' not in decided
    assert "<summary>Make the crime-recording decision</summary>" not in decided

    client.logout()
    sign_in(client, sergeant)
    client.post(f"/events/{crime.pk}/allocate/", {"officer": investigator.pk})
    review = Duty.objects.get(policy="first-supervisor-review", subject_id=crime.pk)
    assert review.outcome == Outcome.OPEN
    client.post(f"/events/{crime.pk}/review/", {"direction": "House-to-house by Friday"})
    review.refresh_from_db()
    assert review.outcome == Outcome.DONE
    page = client.get(f"/events/{crime.pk}/").content.decode()
    assert "House-to-house by Friday" in page
