"""The MASH: its queue (risk, then age; late ones marked), triage discharging the duty, partners'
notes, feedback to the officer and their supervisor, quality by officer and team, and demand and
capacity (in/out per day, backlog by risk and age, staff on shift, days to clear, the warning)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from bluelamp.accounts.roles import Role
from bluelamp.duties.services import duties_for
from bluelamp.notify.models import Message
from bluelamp.safeguarding import mash, queries
from bluelamp.safeguarding.models import PartnerNote

from .support import make_hubs, person, referral


@pytest.fixture
def scene(units, make_user):
    officer = make_user(Role.RESPONSE_OFFICER)
    officer.email = "pc@police.example"
    officer.save()
    sergeant = make_user(Role.SUPERVISOR)
    sergeant.email = "sgt@police.example"
    sergeant.save()
    return {
        "officer": officer,
        "sergeant": sergeant,
        "mash": make_user(Role.SAFEGUARDING),
        "hubs": make_hubs(units),
        "victim": person(officer, "Nell", "Ashby", dob_year=1970, dob_month=1, dob_day=1),
    }


def _adult(scene, risk: str):
    return referral(
        scene["officer"], victim=scene["victim"], concern="adult_at_risk", officer_risk=risk
    )


def test_the_queue_is_high_risk_first_then_oldest_and_marks_the_late(scene):
    start = timezone.now() - dt.timedelta(days=5)
    with time_machine.travel(start):
        old_medium = _adult(scene, "medium")  # 72 hours: late by now
    with time_machine.travel(start + dt.timedelta(days=4)):
        standard = _adult(scene, "standard")
    with time_machine.travel(start + dt.timedelta(days=4, hours=1)):
        new_medium = _adult(scene, "medium")
    high = _adult(scene, "high")
    rows = queries.queue(scene["mash"], scene["hubs"]["west"])
    assert [r.pk for r in rows] == [high.pk, old_medium.pk, new_medium.pk, standard.pk]
    assert [r.late for r in rows] == [False, True, False, False]


def test_triage_discharges_the_duty_and_leaves_the_queue(scene):
    made = _adult(scene, "medium")
    mash.triage_referral(
        actor=scene["mash"], referral=made, outcome="adult_social_care", note="Care act"
    )
    assert duties_for(made).get(policy="safeguarding-mash-triage").outcome == "done"
    assert queries.queue(scene["mash"], scene["hubs"]["west"]) == []
    with pytest.raises(Exception, match="already been triaged"):
        mash.triage_referral(actor=scene["mash"], referral=made, outcome="nfa")


def test_partners_notes_carry_their_author(scene):
    made = _adult(scene, "standard")
    note = mash.add_partner_note(
        actor=scene["mash"], referral=made, agency="Adult social care", text="Known, open case"
    )
    assert PartnerNote.objects.get(pk=note.pk).author == scene["mash"]
    assert note.author_name == scene["mash"].display_name


def test_feedback_goes_to_the_officer_and_their_supervisor_and_builds_quality(scene):
    made = _adult(scene, "standard")
    mash.give_feedback(actor=scene["mash"], referral=made, rating=2, reason="No account of risk")
    sent = set(Message.objects.filter(template="referral-feedback").values_list("to", flat=True))
    assert sent == {"pc@police.example", "sgt@police.example"}
    second = _adult(scene, "standard")
    mash.give_feedback(actor=scene["mash"], referral=second, rating=5, reason="Excellent")
    by_officer = queries.quality(scene["mash"], by="officer")
    assert [(r["key"], r["n"], r["average"], r["poor"]) for r in by_officer] == [
        (scene["officer"].username, 2, 3.5, 1)
    ]
    assert queries.quality(scene["mash"], by="team")[0]["key"] == "West Response"


def test_demand_counts_in_and_out_backlog_staff_and_warns(scene, settings):
    settings.BLUELAMP_MASH_WARNING_RUN_DAYS = 3
    hub = scene["hubs"]["west"]
    now = timezone.now()
    for days_ago in (4, 3, 2, 1):  # two in a day, one out: intake above throughput each day
        with time_machine.travel(now - dt.timedelta(days=days_ago)):
            first = _adult(scene, "medium")
            _adult(scene, "high")
            mash.triage_referral(actor=scene["mash"], referral=first, outcome="advice")
    mash.add_rota_shift(
        actor=scene["mash"],
        hub=hub,
        staff=scene["mash"],
        starts_at=now - dt.timedelta(hours=2),
        ends_at=now + dt.timedelta(hours=6),
    )
    found = queries.demand(scene["mash"], hub, days=7)
    assert sum(r["in_total"] for r in found.days) == 8
    assert sum(r["out_total"] for r in found.days) == 4
    assert found.backlog_total == 4
    assert sum(found.backlog["high"]) == 4
    assert found.backlog["high"][0] == 0  # none younger than a day
    assert found.on_shift == 1
    assert found.out_per_day == round(4 / 7, 1)
    assert found.days_to_clear == round(4 / (4 / 7), 1)
    assert found.run_over >= 3
    assert found.warning


def test_a_shift_must_end_after_it_starts(scene):
    now = timezone.now()
    with pytest.raises(Exception) as error:
        mash.add_rota_shift(
            actor=scene["mash"],
            hub=scene["hubs"]["west"],
            staff=scene["mash"],
            starts_at=now,
            ends_at=now - dt.timedelta(hours=1),
        )
    assert "ends_at" in error.value.message_dict
