"""Restricted by default (issue 17 "Everywhere"): a referral is seen only by the safeguarding role
and the officers who made it or hold a duty on it. Everyone else gets a 404 on its page and API,
and finds it in no list, queue, count, duty queue, figure or search - for every role."""

from __future__ import annotations

import pytest
from django.test import Client

from bluelamp.accounts.roles import Role
from bluelamp.accounts.services import issue_api_token
from bluelamp.audit.models import AuditEvent
from bluelamp.duties import queries as duty_queries
from bluelamp.safeguarding import queries, services

from ..conftest import sign_in
from .support import make_hubs, person, referral

SECRET_ACCOUNT = "Quillon disclosed coercive control"


@pytest.fixture
def world(units, make_user):
    officer = make_user(Role.RESPONSE_OFFICER)
    hubs = make_hubs(units)
    victim = person(officer, "Verity", "Quillon", dob_year=1985, dob_month=5, dob_day=5)
    suspect = person(officer, "Saul", "Quillon", dob_year=1984, dob_month=2, dob_day=2)
    high = referral(officer, victim=victim, perpetrator=suspect, yes=15, account=SECRET_ACCOUNT)
    medium = referral(officer, victim=victim, perpetrator=suspect, yes=11)
    return {"officer": officer, "hubs": hubs, "high": high, "medium": medium}


OUTSIDERS = [r for r in Role if r != Role.SAFEGUARDING]


@pytest.mark.parametrize("role", OUTSIDERS, ids=lambda r: r.value)
def test_without_the_safeguarding_role_a_referral_is_a_404_and_in_no_list(world, make_user, role):
    outsider = make_user(role)
    client = Client()
    sign_in(client, outsider, purpose="Checking what a role can see")
    token = issue_api_token(user=outsider, name="t")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    for made in (world["high"], world["medium"]):
        assert client.get(f"/safeguarding/referrals/{made.pk}/").status_code == 404
        assert client.get(f"/api/safeguarding/referrals/{made.pk}", **bearer).status_code in (
            403,
            404,
        )
        response = client.post(
            f"/api/safeguarding/referrals/{made.pk}/notes",
            {"agency": "x", "text": "y"},
            content_type="application/json",
            **bearer,
        )
        assert response.status_code in (403, 404)
    pages = [
        "/safeguarding/",
        "/safeguarding/mash/?hub=west",
        "/safeguarding/mash/demand/?hub=west",
        "/safeguarding/mash/quality/",
        "/safeguarding/marac/",
        "/",
        "/duties/",
        "/duties/team/",
        "/duties/overdue/",
        "/duties/compliance/",
        "/duties/queue/mash-west/",
        "/duties/queue/marac-west/",
        "/search/?q=Quillon",
        "/api/safeguarding/referrals",
        "/api/safeguarding/queue?hub=west",
        "/api/safeguarding/demand?hub=west",
        "/api/duties?scope=team",
        "/api/duties?scope=queue&queue=mash-west",
        "/api/duties/compliance?by=policy",
    ]
    for url in pages:
        body = client.get(url, **bearer).content.decode(errors="replace")
        for text in (world["high"].reference, world["medium"].reference, SECRET_ACCOUNT):
            assert text not in body, (url, text)
        assert "safeguarding-mash-triage" not in body, url
        assert "safeguarding-high-risk-hub" not in body, url
    if outsider.role in ("supervisor", "quality_assurance", "senior_leader", "analyst"):
        counted = {row["key"] for row in duty_queries.compliance(outsider, by="policy")}
        assert not {p for p in counted if str(p).startswith("safeguarding-")}
        assert not duty_queries.team(outsider).filter(policy__startswith="safeguarding-").exists()


def test_the_mash_and_the_referring_officer_see_it_and_each_read_is_audited(world, make_user):
    mash = make_user(Role.SAFEGUARDING)
    officer = world["officer"]
    for user in (mash, officer):
        before = AuditEvent.objects.count()
        seen = services.view_referral(actor=user, pk=world["high"].pk)
        assert seen == world["high"]
        assert AuditEvent.objects.filter(actor_id=user.pk).count() > 0
        assert AuditEvent.objects.count() == before + 1
    assert {r.pk for r in queries.listing(officer)} == {world["high"].pk, world["medium"].pk}
    queue = queries.queue(mash, world["hubs"]["west"])
    assert [r.pk for r in queue] == [world["high"].pk, world["medium"].pk]


def test_another_officer_of_the_same_team_does_not_see_it(world, make_user):
    colleague = make_user(Role.RESPONSE_OFFICER)
    assert queries.listing(colleague) == []
    client = Client()
    sign_in(client, colleague)
    assert client.get(f"/safeguarding/referrals/{world['high'].pk}/").status_code == 404


@pytest.fixture
def marac_world(world, make_user):
    """The world's high-risk referral opened a MARAC case: listed at a meeting, with an action
    its officer completes, so the log holds rows about the referral, the case and the meeting."""
    import datetime as dt

    from django.utils import timezone

    from bluelamp.safeguarding import marac
    from bluelamp.safeguarding.models import MaracCase

    mash = make_user(Role.SAFEGUARDING)
    case = MaracCase.objects.get(referral=world["high"])
    meeting = marac.schedule_meeting(
        actor=mash, hub=world["hubs"]["west"], held_on=timezone.localdate() + dt.timedelta(days=2)
    )
    marac.list_case(actor=mash, case=case, meeting=meeting)
    action = marac.add_action(
        actor=mash,
        case=case,
        text="Fit a panic alarm",
        owner=world["officer"],
        due_on=timezone.localdate() + dt.timedelta(days=5),
    )
    marac.complete_action(actor=world["officer"], action=action)
    services.view_referral(actor=world["officer"], pk=world["high"].pk)
    return {**world, "case": case, "meeting": meeting}


def test_every_record_type_safeguarding_audits_is_scoped_in_the_audit_log(marac_world):
    """A record type the feature writes to the log names a record the feature keeps restricted
    by default, so the audit log's scope (accounts' register) must know it; a new safeguarding
    model audited under its own type fails here until it is registered."""
    from django.apps import apps

    from bluelamp.accounts.permissions import SEEN_BY_DEFAULT, permission_name

    types = set(AuditEvent.objects.exclude(record_id="").values_list("record_type", flat=True))
    safeguarding = {permission_name(m): m for m in apps.get_app_config("safeguarding").get_models()}
    audited = types & set(safeguarding)
    assert {"referral", "marac_case", "marac_meeting"} <= audited
    for record_type in audited:
        assert safeguarding[record_type] in SEEN_BY_DEFAULT, record_type


@pytest.mark.parametrize("role", [Role.SENIOR_LEADER, Role.AUDITOR], ids=lambda r: r.value)
def test_the_audit_log_names_no_referral_or_marac_record_to_its_readers(
    marac_world, make_user, role
):
    """The audit log's readers are a chief officer and the auditors, neither of them safeguarding
    staff: the chief sees no row about a referral, a MARAC case or meeting (nor counts them);
    the auditor sees each row, who did what and when, but not the record's label."""
    from bluelamp.audit.scope import HIDDEN_LABEL, readable

    about = AuditEvent.objects.filter(
        record_type__in=["referral", "marac_case", "marac_meeting"]
    ).exclude(record_id="")
    assert about.filter(record_type="marac_meeting").exists()
    reader = make_user(role)
    seen = readable(reader, about)
    if role == Role.AUDITOR:
        assert seen.count() == about.count()
        assert {row.shown_label for row in seen} == {HIDDEN_LABEL}
    else:
        assert not seen.exists()
    client = Client()
    sign_in(client, reader, purpose="Checking access to safeguarding records")
    token = issue_api_token(user=reader, name="t")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_X_PURPOSE": "Audit check"}
    for url in ("/audit/", "/api/audit/events", "/"):
        response = client.get(url, **bearer)
        assert response.status_code == 200, url
        body = response.content.decode()
        for text in (marac_world["high"].reference, marac_world["medium"].reference):
            assert text not in body, (url, text)


def test_safeguarding_staff_still_find_their_records_in_every_scope(marac_world, make_user):
    from bluelamp.accounts.permissions import hidden_ids
    from bluelamp.safeguarding.models import MaracCase, MaracMeeting, Referral

    mash = make_user(Role.SAFEGUARDING)
    for model in (Referral, MaracCase, MaracMeeting):
        assert not hidden_ids(mash, model).exists(), model
    officer = marac_world["officer"]
    assert set(Referral.objects.exclude(pk__in=hidden_ids(officer, Referral))) == {
        marac_world["high"],
        marac_world["medium"],
    }
    assert hidden_ids(officer, MaracCase).filter(pk=marac_world["case"].pk).exists()
    colleague = make_user(Role.RESPONSE_OFFICER)
    assert hidden_ids(colleague, Referral).count() == 2


def test_every_safeguarding_duty_is_kept_to_its_readers():
    """The duty queues leave safeguarding's records to its policies' ``readers``
    (``duties_by_readers``): a safeguarding policy without them would show its duties to all."""
    from bluelamp.accounts.permissions import DUTIES_KEPT_BY_READERS
    from bluelamp.duties.registry import POLICIES
    from bluelamp.safeguarding.models import MaracCase, Referral

    assert {Referral, MaracCase} <= DUTIES_KEPT_BY_READERS
    ours = [p for p in POLICIES.values() if p.name.startswith("safeguarding-")]
    assert len(ours) >= 7
    assert all(p.readers is not None for p in ours), [p.name for p in ours if not p.readers]
