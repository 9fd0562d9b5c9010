"""Restricted means invisible everywhere (DESIGN.md, "Principles"): a restricted person linked to an
ordinary crime, and a restricted crime with an ordinary victim, must not show - by name, reference,
summary or link - on any page or API answer to anyone without a grant, whatever their role; and
they must show to the person who holds the grant.

Inherited, not rewritten per feature: the walk below visits every registered page (GET) and every
API read operation, so a new page or panel that leaks fails here without a line added."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from bluelamp.accounts.roles import Role
from bluelamp.api import api
from bluelamp.contact import services as contact
from bluelamp.core import persons, restriction
from bluelamp.crime import recording
from bluelamp.crime.investigation import services as investigation
from bluelamp.ui.access import PUBLIC, access_of
from bluelamp.victims.models import VictimRecord

from .audit.test_coverage import _web_routes
from .conftest import sign_in

SECRET_NAME = ("Xanthippe", "Oakenshield")
SECRET_SUMMARY = "Harassment of a member of staff"


@pytest.fixture
def restricted_world(units, make_user):
    """Ordinary records with restricted ones linked to them, restricted after the links were made
    (the usual order: a member of staff is found to be involved later)."""
    keeper = make_user(Role.SUPERVISOR)  # restricts both records and so holds the grants
    unit = units["west-response"]
    ada = persons.create_person(actor=keeper, family_name="Okafor", given_names="Ada")
    secret = persons.create_person(
        actor=keeper, family_name=SECRET_NAME[1], given_names=SECRET_NAME[0]
    )
    # An ordinary crime with the secret person as a victim and a suspect.
    ordinary = recording.record_crime(
        actor=keeper,
        summary="Shed broken into",
        owning_unit=unit,
        offence_code="49",
        victims=[ada, secret],
        suspects=[secret],
    ).event
    investigation.add_enquiry_line(actor=keeper, crime=ordinary, kind="cctv", description="Co-op")
    # An incident from a call, with the secret person as the caller and vulnerable.
    incident = contact.record_call(
        actor=keeper,
        channel="101",
        account="Noise next door",
        owning_unit=unit,
        caller=secret,
    )
    incident = getattr(incident, "incident", incident)
    contact.record_vulnerability(
        actor=keeper, incident=incident, kinds=["mental_health"], people=[ada, secret]
    )
    # A restricted crime whose victim is the ordinary person.
    hidden = recording.record_crime(
        actor=keeper,
        summary=SECRET_SUMMARY,
        owning_unit=unit,
        offence_code="49",
        victims=[ada],
    ).event
    restriction.restrict_record(actor=keeper, record=secret, reason="Member of staff")
    restriction.restrict_record(actor=keeper, record=hidden, reason="Member of staff")
    return {
        "keeper": keeper,
        "ada": ada,
        "secret": secret,
        "ordinary": ordinary,
        "incident": incident,
        "hidden": hidden,
        "ada_victim": VictimRecord.objects.get(crime=ordinary, person=ada),
    }


def _forbidden(world) -> list[str]:
    hidden, secret = world["hidden"], world["secret"]
    return [
        SECRET_NAME[0],
        SECRET_NAME[1].upper(),
        SECRET_NAME[1],
        SECRET_SUMMARY,
        hidden.reference,
        reverse("core:person", args=[secret.pk]),
        reverse("core:event", args=[hidden.pk]),
    ]


def _records_for(world, record_type: str) -> list:
    """The ordinary records a page about ``record_type`` is shown for: an event page is walked
    for the crime and for the incident, whose panels differ."""
    return {
        "person": [world["ada"]],
        "event": [world["ordinary"], world["incident"]],
        "crime": [world["ordinary"]],
        "crime_to_cancel": [world["ordinary"]],
        "incident": [world["incident"]],
        "victim": [world["ada_victim"]],
        "victim_record": [world["ada_victim"]],
    }.get(record_type, [])


def _pages(world):
    """Every GET page that can be shown for the ordinary records."""
    for route, pattern in _web_routes():
        if access_of(pattern.callback) == PUBLIC:
            continue
        if re.search(r"<(?!int:pk>|slug:name>)", route):
            continue
        name = f"{pattern.bluelamp_namespace}:{pattern.name}"
        if "<slug:name>" in route:  # a duty queue: every queue the world's duties are in
            for queue in _queues():
                yield name, reverse(name, kwargs={"name": queue})
            continue
        if "<int:pk>" not in route:
            yield name, reverse(name)
            continue
        record_type = getattr(pattern.callback, "bluelamp_record_type", "")
        for record in _records_for(world, record_type):
            yield name, reverse(name, kwargs={"pk": record.pk})


def _queues() -> list[str]:
    from bluelamp.duties.models import Duty

    return sorted(set(Duty.objects.exclude(queue="").values_list("queue", flat=True)))


def _api_reads(world):
    ids = {
        "person_id": world["ada"].pk,
        "event_id": world["ordinary"].pk,
        "crime_id": world["ordinary"].pk,
        "incident_id": world["incident"].pk,
        "victim_id": world["ada_victim"].pk,
    }
    for path, methods in api.get_openapi_schema()["paths"].items():
        if "get" not in methods:
            continue
        url = path
        for param, pk in ids.items():
            url = url.replace("{" + param + "}", str(pk))
        if "{" in url:
            continue
        yield methods["get"]["operationId"], url
    # The duty lists in every scope, and every queue the world's duties are in.
    for scope in ("mine", "team", "overdue"):
        yield f"list_duties {scope}", f"/api/duties?scope={scope}"
    for queue in _queues():
        yield f"list_duties queue {queue}", f"/api/duties?scope=queue&queue={queue}"
    for by in ("policy", "unit", "officer", "month"):
        yield f"duty_compliance {by}", f"/api/duties/compliance?by={by}"


def _leaks(body: str, forbidden: list[str]) -> list[str]:
    return [text for text in forbidden if text in body]


ROLES_WITHOUT_GRANT = [r for r in Role]


def _walk(world, user, forbidden: list[str]) -> dict[str, list[str]]:
    """Every page and API read the walk reaches, as ``user``: where any of ``forbidden`` shows."""
    from bluelamp.accounts.services import issue_api_token

    client = Client()
    # The auditor and the analyst state a purpose first; without one, every page they were
    # walked to was the purpose page, and the walk saw none of theirs.
    sign_in(client, user, purpose="Checking what a role can see")
    token = issue_api_token(user=user, name="contract")
    leaks = {}
    visited = shown = 0
    for name, url in _pages(world):
        response = client.get(url)
        visited += 1
        shown += response.status_code == 200
        found = _leaks(response.content.decode(errors="replace"), forbidden)
        if found:
            leaks[name] = found
    for op_id, url in _api_reads(world):
        response = client.get(
            url, HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_X_PURPOSE="Checking what a role sees"
        )
        visited += 1
        found = _leaks(response.content.decode(errors="replace"), forbidden)
        if found:
            leaks[f"api {op_id}"] = found
    assert visited > 40
    assert shown > 3, "the walk was shown no pages: signed out, or sent to a purpose page?"
    assert len(_queues()) >= 2  # the duty queues were walked too
    return leaks


@pytest.mark.parametrize("role", ROLES_WITHOUT_GRANT, ids=lambda r: r.value)
def test_restricted_records_are_invisible_without_a_grant(restricted_world, make_user, role):
    assert _walk(restricted_world, make_user(role), _forbidden(restricted_world)) == {}


SECRET_ACCOUNT = "Ada disclosed that Quorrin controls her money"


@pytest.fixture
def by_default(restricted_world, units, make_user):
    """One record of each kind a feature keeps restricted by default (issue 17: safeguarding,
    protection and missing people are for the safeguarding role and the officers who made or
    hold them), made by an officer none of the walkers is, and naming the ordinary person and
    crime whose pages the walk visits: their panels must not show them either."""
    from bluelamp.safeguarding.models import Hub, MaracCase

    from .protection.contract_worlds import _dvds, _dvpn, _notice, _report
    from .safeguarding.support import make_hubs, referral

    officer = make_user(Role.RESPONSE_OFFICER)
    unit = units["west-response"]
    ada, ordinary = restricted_world["ada"], restricted_world["ordinary"]
    quorrin = persons.create_person(actor=officer, family_name="Quorrin", given_names="Abel")
    if not Hub.objects.exists():
        make_hubs(units)
    made = referral(
        officer, victim=ada, perpetrator=quorrin, yes=20, account=SECRET_ACCOUNT, event=ordinary
    )
    report = _report(officer, unit, person=ada, circumstances=SECRET_ACCOUNT)
    notice, _ = _dvpn(officer, unit, him=quorrin, her=ada)
    application = _dvds(officer, unit, her=ada, him=quorrin)
    encompass = _notice(officer, unit)
    assert MaracCase.objects.filter(referral=made).exists()
    return [
        SECRET_ACCOUNT,
        made.reference,
        report.reference,
        notice.reference,
        application.reference,
        encompass.reference,
    ]


@pytest.mark.parametrize("role", [r for r in Role if r != Role.SAFEGUARDING], ids=lambda r: r.value)
def test_records_restricted_by_default_are_invisible_outside_the_safeguarding_role(
    restricted_world, by_default, make_user, role
):
    assert _walk(restricted_world, make_user(role), by_default) == {}


def test_the_grant_holder_sees_them_where_they_belong(restricted_world):
    client = Client()
    sign_in(client, restricted_world["keeper"])
    event_page = client.get(reverse("core:event", args=[restricted_world["ordinary"].pk]))
    assert SECRET_NAME[0] in event_page.content.decode()
    person_page = client.get(reverse("core:person", args=[restricted_world["ada"].pk]))
    assert restricted_world["hidden"].reference in person_page.content.decode()


def _qa_backlog(user) -> int:
    from bluelamp.crime import qa

    return qa.queue(actor=user)[1].count


def test_queues_counts_and_figures_leave_restricted_records_out(restricted_world, make_user):
    from bluelamp.duties import queries
    from bluelamp.duties.models import Duty

    hidden = restricted_world["hidden"]
    qa_user, leader = make_user(Role.QUALITY_ASSURANCE), make_user(Role.SENIOR_LEADER)
    on_hidden = Duty.objects.filter(about_event_id=hidden.pk)
    assert on_hidden.exists()  # the restricted crime did open duties (QA, victim care)
    on_secret = Duty.objects.filter(about_person_id=restricted_world["secret"].pk)
    assert on_secret.exists()  # and the restricted victim of the ordinary crime (a referral)
    everyone = Duty.objects.exclude(outcome="cancelled").count()

    def total(rows):
        return sum(row["due"] for row in rows)  # every duty not cancelled, in the reader's scope

    # Every duty knows what it belongs to, or no scope could leave it out.
    assert not Duty.objects.filter(about_event_id=None, about_person_id=None).exists()
    assert _qa_backlog(qa_user) == 1  # the ordinary crime only
    assert all(d.about_event_id != hidden.pk for d in queries.team(leader))
    assert total(queries.compliance(leader)) == everyone - on_hidden.count() - on_secret.count()
    # With a grant, the same queries count it.
    restriction.grant_access(
        actor=restricted_world["keeper"], record=hidden, user=qa_user, reason="QA check"
    )
    restriction.grant_access(
        actor=restricted_world["keeper"], record=hidden, user=leader, reason="Oversight"
    )
    assert _qa_backlog(qa_user) == 2
    assert total(queries.compliance(leader)) == everyone - on_secret.count()


def test_a_qa_check_on_a_restricted_crime_can_be_closed_by_a_grant_holder(
    restricted_world, make_user
):
    from bluelamp.crime import qa

    qa_user = make_user(Role.QUALITY_ASSURANCE)
    hidden = restricted_world["hidden"]
    restriction.grant_access(
        actor=restricted_world["keeper"], record=hidden, user=qa_user, reason="QA check"
    )
    qa.accept(actor=qa_user, crime=hidden)
    assert _qa_backlog(qa_user) == 1


def test_a_duty_on_a_restricted_record_stays_with_the_officer_who_holds_it(
    restricted_world, make_user
):
    from bluelamp.duties import queries
    from bluelamp.duties.models import Duty

    officer = make_user(Role.RESPONSE_OFFICER)
    duty = Duty.objects.filter(about_event_id=restricted_world["hidden"].pk).first()
    Duty.objects.filter(pk=duty.pk).update(owner=officer)
    assert duty.pk in [d.pk for d in queries.mine(officer)]
    stranger = make_user(Role.RESPONSE_OFFICER)
    Duty.objects.filter(pk=duty.pk).update(owner=None, owner_unit=stranger.unit)
    assert duty.pk not in [d.pk for d in queries.mine(stranger)]


def test_the_audit_log_shows_an_auditor_the_row_but_not_the_restricted_label(
    restricted_world, make_user
):
    from bluelamp.audit.models import AuditEvent
    from bluelamp.audit.scope import HIDDEN_LABEL, readable

    hidden = restricted_world["hidden"]
    about = AuditEvent.objects.filter(record_type="event", record_id=str(hidden.pk))
    assert about.exists()
    auditor, leader = make_user(Role.AUDITOR), make_user(Role.SENIOR_LEADER)
    seen = readable(auditor, about)
    assert seen.count() == about.count()
    assert {row.shown_label for row in seen} == {HIDDEN_LABEL}
    assert readable(leader, about).count() == 0
    keeper_view = readable(restricted_world["keeper"], about)
    assert any(hidden.reference in row.shown_label for row in keeper_view)
    # The pages that show the log keep to it: the log itself, and the latest events on the home
    # page of each of its readers.
    for reader in (auditor, leader):
        client = Client()
        sign_in(client, reader, purpose="Checking access to restricted records")
        for url in ("/audit/", "/"):
            response = client.get(url)
            assert response.status_code == 200, (reader.role, url)
            assert hidden.reference not in response.content.decode(), (reader.role, url)


def test_a_crime_read_neither_lists_nor_counts_a_restricted_party(restricted_world, make_user):
    from bluelamp.accounts.services import issue_api_token

    user = make_user(Role.INVESTIGATOR)
    token = issue_api_token(user=user, name="contract")
    ordinary = restricted_world["ordinary"]
    answer = Client().get(f"/api/crimes/{ordinary.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert answer.status_code == 200
    assert answer.json()["victims"] == [restricted_world["ada"].pk]
    assert answer.json()["suspects"] == []


def test_no_api_operation_reaches_a_restricted_record_without_a_grant(restricted_world, make_user):
    """Every operation on a person, event, crime, incident or victim answers a restricted one as
    if it did not exist (404), or refuses the role outright (403) - never acts on it."""
    from bluelamp.accounts.services import issue_api_token
    from bluelamp.core.models import RecordChange

    from .audit.test_coverage import API_BODIES

    hidden, secret = restricted_world["hidden"], restricted_world["secret"]
    ids = {
        "person_id": secret.pk,
        "event_id": hidden.pk,
        "crime_id": hidden.pk,
        "incident_id": hidden.pk,
        "victim_id": VictimRecord.objects.get(crime=hidden).pk,
    }
    user = make_user(Role.SUPERVISOR)  # the role allowed the most, in the same team
    headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=user, name='contract')}"}
    ada = restricted_world["ada"].pk
    fill = {"other_id": ada, "person_id": ada, "people": [ada], "officer_id": user.pk}
    fill |= {"location_id": 1, "line_id": 1, "request_id": 1, "slot_id": 1}
    history_before = RecordChange.objects.count()
    client, tried = Client(), []
    for path, methods in api.get_openapi_schema()["paths"].items():
        if not any("{" + param + "}" in path for param in ids):
            continue
        url = path
        for param, pk in ids.items():
            url = url.replace("{" + param + "}", str(pk))
        for method, operation in methods.items():
            op_id = operation["operationId"]
            if method == "get":
                response = client.get(url, **headers)
            else:
                # Ordinary records wherever a body names one: the path's record is the test.
                body = dict(API_BODIES.get(op_id, {})) | fill
                response = getattr(client, method)(
                    url, body, content_type="application/json", **headers
                )
            assert response.status_code in (403, 404), (op_id, response.status_code)
            assert _leaks(response.content.decode(), _forbidden(restricted_world)) == [], op_id
            tried.append(op_id)
    assert len(tried) > 30
    assert RecordChange.objects.count() == history_before


def test_the_safeguarding_role_finds_each_of_them_on_the_same_walk(
    restricted_world, by_default, make_user
):
    """The walk above could fail: the same pages show the safeguarding role every record."""
    seen = {
        text
        for found in _walk(restricted_world, make_user(Role.SAFEGUARDING), by_default).values()
        for text in found
    }
    assert seen == set(by_default)
