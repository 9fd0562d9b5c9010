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
    sign_in(client, outsider)
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
