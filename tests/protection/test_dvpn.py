"""DVPN/DVPO (domain-addendum.md 1.1): the notice authorised by an officer not below the rank in
settings (superintendent), given only to an adult; the DVPO hearing a duty due 48 hours after
service; the order 14 to 28 days; a breach listed for the daily risk meeting with arrest
enquiries a duty until the arrest is recorded. Restricted by default; bad input named."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from bluelamp.accounts.roles import Role
from bluelamp.accounts.services import issue_api_token
from bluelamp.core import persons
from bluelamp.duties import queries
from bluelamp.duties.models import Duty, Outcome
from bluelamp.protection import orders
from bluelamp.protection.models import NoticeState

from ..conftest import sign_in

pytestmark = pytest.mark.django_db

CONSIDERED = {
    "grounds": "Assaulted his partner; threatened to return",
    "children_welfare": "Two children at the address, told to the school",
    "victim_opinion": "Wants him kept away",
    "perpetrator_representations": "Says it was an argument",
}


@pytest.fixture
def people(make_user):
    officer = make_user(Role.RESPONSE_OFFICER)
    him = persons.create_person(
        actor=officer, family_name="Hart", given_names="Dan", dob_year=1985, dob_month=1, dob_day=2
    )
    her = persons.create_person(actor=officer, family_name="Hart", given_names="Kay")
    return officer, him, her


def serve(officer, him, her, units, **changes):
    return orders.serve_notice(
        **{
            "actor": officer,
            "perpetrator": him,
            "victim": her,
            "owning_unit": units["west-response"],
            "authorising_officer": "Supt Ruth Dale",
            "authorising_rank": "superintendent",
            **CONSIDERED,
            **changes,
        }
    )


def test_the_hearing_is_due_48_hours_after_service(people, units):
    officer, him, her = people
    served = timezone.now() - dt.timedelta(hours=3)
    notice = serve(officer, him, her, units, served_at=served)
    duty = Duty.objects.get(policy="dvpo-hearing", subject_id=notice.pk)
    assert duty.due_at == served + dt.timedelta(hours=48) == notice.hearing_due_at
    assert duty.owner == officer
    with time_machine.travel(served + dt.timedelta(hours=50), tick=False):
        assert duty.pk in [d.pk for d in queries.mine(officer) if d.overdue]
        orders.record_hearing(actor=officer, notice=notice, made=True, court="Preston", days=28)
    duty.refresh_from_db()
    assert duty.outcome == Outcome.DONE
    assert duty.on_time is False  # heard after the 48 hours: late, and shown as late
    notice.refresh_from_db()
    assert notice.state == NoticeState.ORDER_MADE
    assert notice.order.ends_at == notice.order.heard_at + dt.timedelta(days=28)


def test_the_hearing_hours_are_a_setting(people, units, settings):
    settings.BLUELAMP_DVPO_HEARING_HOURS = 36
    notice = serve(*people, units)
    assert notice.hearing_due_at - notice.served_at == dt.timedelta(hours=36)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"authorising_rank": "inspector"}, "authorising_rank"),
        ({"authorising_rank": "general"}, "authorising_rank"),
        ({"grounds": ""}, "grounds"),
        ({"victim_opinion": "  "}, "victim_opinion"),
        ({"served_at": timezone.now() + dt.timedelta(days=2)}, "served_at"),
    ],
)
def test_a_notice_is_refused_naming_the_field(people, units, changes, field):
    with pytest.raises(ValidationError) as error:
        serve(*people, units, **changes)
    assert field in error.value.message_dict


def test_the_authorising_rank_is_a_setting(people, units, settings):
    settings.BLUELAMP_DVPN_AUTHORISING_RANK = "chief_inspector"
    assert serve(*people, units, authorising_rank="chief_inspector").pk


def test_a_notice_is_given_only_to_an_adult(people, units):
    officer, _, her = people
    boy = persons.create_person(
        actor=officer, family_name="Hart", given_names="Lee", dob_year=2012, dob_month=5
    )
    boy.dob_day = 1
    boy.save()
    with pytest.raises(ValidationError) as error:
        serve(officer, boy, her, units)
    assert "perpetrator" in error.value.message_dict


@pytest.mark.parametrize("days", [13, 29, None])
def test_an_order_lasts_14_to_28_days(people, units, days):
    notice = serve(*people, units)
    with pytest.raises(ValidationError) as error:
        orders.record_hearing(actor=people[0], notice=notice, made=True, court="x", days=days)
    assert "days" in error.value.message_dict
    assert not hasattr(type(notice).objects.get(pk=notice.pk), "order")


def test_a_breach_is_listed_for_the_risk_meeting_and_tasks_arrest_enquiries(
    people, units, make_user
):
    officer = people[0]
    notice = serve(*people, units, served_at=timezone.now() - dt.timedelta(hours=5))
    breach = orders.record_breach(
        actor=officer,
        notice=notice,
        at=timezone.now() - dt.timedelta(hours=1),
        account="Seen at the house",
    )
    duty = Duty.objects.get(policy="dvpo-breach-arrest", subject_id=breach.pk)
    assert duty.outcome == Outcome.OPEN
    assert duty.about_person_id == people[1].pk  # the perpetrator, through the notice
    hub = make_user(Role.SAFEGUARDING)
    meeting = orders.risk_meeting(actor=hub)
    assert [b.pk for b in meeting["recent"]] == [breach.pk]
    assert [b.pk for b in meeting["outstanding"]] == [breach.pk]
    assert [n.pk for n in meeting["hearings"]] == [notice.pk]
    orders.record_arrest(actor=officer, breach=breach, note="Arrested at home by PC 123")
    duty.refresh_from_db()
    assert duty.outcome == Outcome.DONE
    assert orders.risk_meeting(actor=hub)["outstanding"] == []
    # A stranger's meeting list has none of it.
    stranger = make_user(Role.SUPERVISOR)
    assert orders.risk_meeting(actor=stranger) == {"recent": [], "outstanding": [], "hearings": []}


def test_no_breach_after_the_order_ends_or_once_refused(people, units):
    officer = people[0]
    notice = serve(*people, units, served_at=timezone.now() - dt.timedelta(days=40))
    orders.record_hearing(
        actor=officer,
        notice=notice,
        made=True,
        court="Preston",
        days=14,
        heard_at=notice.served_at + dt.timedelta(hours=20),
    )
    with pytest.raises(ValidationError) as error:
        orders.record_breach(actor=officer, notice=notice, at=timezone.now(), account="x")
    assert "at" in error.value.message_dict


def _api(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=user, name='t')}"}


def test_pages_and_api_name_the_field_and_hide_the_notice(people, units, make_user):
    officer = people[0]
    notice = serve(*people, units)
    client = Client()
    sign_in(client, officer)
    page = client.post(f"/dvpn/{notice.pk}/hearing/", {"made": "yes", "court": "x", "days": "40"})
    assert page.status_code == 400
    assert "Days the order lasts" in page.content.decode()
    page = client.post(f"/dvpn/{notice.pk}/breach/", {"at": "", "account": "x"})
    assert page.status_code == 400
    assert "Breach at" in page.content.decode()
    page = client.post(f"/dvpn/{notice.pk}/arrest/", {"breach": "999", "note": "x"})
    assert page.status_code == 400
    headers = _api(officer)
    for path, body, field in [
        ("hearing", {"made": True, "court": "x", "days": 10}, "days"),
        ("hearing", {"made": True, "court": ""}, "court"),
        ("breaches", {"at": "2026-01-01T00:00:00", "account": "x"}, "at"),
        ("breaches", {"account": "x"}, "at"),
        ("breaches/arrest", {"breach_id": 999999, "note": "x"}, "breach_id"),
    ]:
        answer = client.post(
            f"/api/dvpn/{notice.pk}/{path}", body, content_type="application/json", **headers
        )
        assert answer.status_code == 422, (path, answer.content)
        assert field in str(answer.json()["detail"])
    create = {"perpetrator_id": people[1].pk, "victim_id": people[2].pk, **CONSIDERED}
    answer = client.post(
        "/api/dvpn",
        create | {"authorising_officer": "x", "authorising_rank": "sergeant"},
        content_type="application/json",
        **headers,
    )
    assert answer.status_code == 422
    assert "authorising_rank" in str(answer.json()["detail"])
    stranger = make_user(Role.SUPERVISOR)
    other = Client()
    sign_in(other, stranger)
    assert other.get(f"/dvpn/{notice.pk}/").status_code == 404
    assert notice.reference not in other.get("/dvpn/").content.decode()
    assert notice.reference not in other.get("/dvpn/risk-meeting/").content.decode()
    assert other.get(f"/api/dvpn/{notice.pk}", **_api(stranger)).status_code == 404
    assert other.get("/api/dvpn", **_api(stranger)).json() == []
    assert not [d for d in queries.team(stranger) if d.policy.startswith("dvpo")]
