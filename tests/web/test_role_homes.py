"""A home page per role that answers "what needs me now" from real records: the sergeant's
reviews due and their team's overdue duties, the PCSO's area's anti-social behaviour and the
places it repeats, the offender manager's people charged, on bail or under investigation, the
MASH's incidents with a vulnerability, the analyst's figures; and a panel name no feature has
registered is skipped, not an error."""

import datetime as dt

import pytest

from bluelamp.accounts.roles import Role
from bluelamp.audit.models import AuditEvent
from bluelamp.contact import services as contact
from bluelamp.core import events, links, persons, places
from bluelamp.crime import incidents, recording, supervision
from bluelamp.crime.investigation import suspects
from bluelamp.web.home import PANELS

from ..conftest import sign_in


def _home(client, user) -> str:
    sign_in(client, user)
    if user.role == Role.ANALYST:
        client.post("/purpose/", {"purpose": "Monthly performance figures", "next": "/"})
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def _panel(page: str, title_start: str) -> str:
    for section in page.split('<section class="panel"')[1:]:
        heading = section.split("<h2>", 1)[1].split("</h2>", 1)[0]
        if heading.startswith(title_start):
            return section.split("</section>")[0]
    return ""


def _crime(actor, unit, **extra):
    return recording.record_crime(
        actor=actor,
        summary="Bicycle stolen from a shed",
        owning_unit=unit,
        offence_code="44",
        **extra,
    ).event


def test_the_sergeant_sees_reviews_due_and_the_pages_to_supervise_from(client, units, make_user):
    sergeant = make_user(Role.SUPERVISOR)
    crime = _crime(sergeant, units["west-response"])
    supervision.allocate(actor=sergeant, event=crime, officer=make_user(Role.INVESTIGATOR))
    page = _home(client, sergeant)
    reviews = _panel(page, "Reviews due")
    assert crime.reference in reviews
    pages = _panel(page, "Pages for supervising")
    for url in ("/investigations/workload/", "/investigations/oversight/", "/duties/compliance/"):
        assert f'href="{url}' in pages
    assert _panel(page, "Overdue in West Response")  # the team's own overdue duties


def test_the_pcso_sees_the_areas_antisocial_behaviour_and_where_it_repeats(
    client, units, make_user
):
    pcso = make_user(Role.NEIGHBOURHOOD)
    park = places.create_location(actor=pcso, line1="Moor Park", town="Preston", postcode="PR1 6AA")
    for summary in ("Youths shouting", "Fireworks at night", "Bins set alight"):
        events.record_other_event(
            actor=pcso, kind="asb", summary=summary, owning_unit=units["west"], location=park
        )
    elsewhere = make_user(Role.NEIGHBOURHOOD, unit="east-response")
    events.record_other_event(
        actor=elsewhere, kind="asb", summary="East noise", owning_unit=units["east"]
    )
    page = _home(client, pcso)
    open_asb = _panel(page, "Anti-social behaviour open in West")
    assert "Bins set alight" in open_asb
    assert "East noise" not in open_asb  # another district's
    repeats = _panel(page, "Places with 3 or more reports")
    assert "Moor Park" in repeats
    assert f'href="/locations/{park.pk}/"' in repeats


def test_the_offender_manager_sees_people_charged_on_bail_or_under_investigation(
    client, units, make_user
):
    officer = make_user(Role.RESPONSE_OFFICER)
    bailed = persons.create_person(actor=officer, given_names="Dale", family_name="Rigby")
    released = persons.create_person(actor=officer, given_names="Kim", family_name="Nolan")
    crime = _crime(officer, units["west-response"], suspects=[bailed, released])
    suspects.record_arrest(actor=officer, crime=crime, person=bailed)
    suspects.record_release(
        actor=officer,
        crime=crime,
        person=bailed,
        how="bail",
        bail_conditions="Not to contact the victim",
        bail_end=dt.date.today() + dt.timedelta(days=20),
    )
    suspects.record_arrest(actor=officer, crime=crime, person=released)
    suspects.record_release(actor=officer, crime=crime, person=released, how="nfa")
    iom = make_user(Role.OFFENDER_MANAGER)
    page = _home(client, iom)
    panel = _panel(page, "People charged, on bail or under investigation")
    assert "RIGBY" in panel.upper()
    assert "Pre-charge bail" in panel
    assert "NOLAN" not in panel.upper()  # no further action: not theirs to manage
    seen = AuditEvent.objects.filter(actor_id=iom.pk, record_label="home page").latest("id")
    assert bailed.pk in seen.detail["people"]


def test_the_mash_sees_open_incidents_with_a_vulnerability(client, units, make_user):
    handler = make_user(Role.CALL_HANDLER)
    child = persons.create_person(actor=handler, given_names="Amy", family_name="Webb")
    incident = incidents.report_incident(
        actor=handler,
        summary="Child alone at home",
        owning_unit=units["west-response"],
        may_be_crime=False,
    )
    quiet = incidents.report_incident(
        actor=handler,
        summary="Noise complaint",
        owning_unit=units["west-response"],
        may_be_crime=False,
    )
    links.link_person_to_event(actor=handler, person=child, event=incident, role="subject")
    contact.record_vulnerability(
        actor=handler, incident=incident, kinds=["child_at_risk"], people=[child]
    )
    page = _home(client, make_user(Role.SAFEGUARDING))
    panel = _panel(page, "Open incidents with a vulnerability identified")
    assert incident.reference in panel
    assert "Child at risk" in panel
    assert quiet.reference not in panel


def test_the_analyst_sees_the_figures_they_may(client, units, make_user):
    sergeant = make_user(Role.SUPERVISOR)
    _crime(sergeant, units["west-response"])
    page = _home(client, make_user(Role.ANALYST))
    assert _panel(page, "Open records across the force")
    assert _panel(page, "Duties done on time")
    assert 'href="/duties/compliance/"' in page


def test_a_panel_no_feature_registered_is_skipped(client, make_user, monkeypatch):
    monkeypatch.setitem(PANELS, Role.SAFEGUARDING, ["not-landed-yet", "my-duties"])
    page = _home(client, make_user(Role.SAFEGUARDING))
    assert page.count('<section class="panel"') == 1


@pytest.mark.parametrize("role", list(Role))
def test_every_panel_named_for_a_role_is_registered(role):
    from bluelamp.ui.extensions import HOME_PANELS

    assert set(PANELS[role]) - set(HOME_PANELS) == set()


@pytest.mark.parametrize("role", [Role.ANALYST, Role.AUDITOR, Role.ADMINISTRATOR])
def test_roles_that_use_the_api_are_offered_its_documentation(client, make_user, role):
    user = make_user(role)
    sign_in(client, user)
    if role in (Role.ANALYST, Role.AUDITOR):
        client.post("/purpose/", {"purpose": "Monthly performance figures", "next": "/"})
    page = client.get("/").content.decode()
    assert 'href="/api/docs"' in page
    assert client.get("/api/docs").status_code == 200


def test_officers_home_pages_do_not_offer_the_api(client, make_user):
    page = _home(client, make_user(Role.RESPONSE_OFFICER))
    assert "/api/docs" not in page
