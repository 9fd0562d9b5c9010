"""The demo's day in a MASH (synth/mash.py): three hubs with the 70% skew to the busiest, DASH
scores over more than one level, the busiest hub's queue with a late medium-risk referral, and a
high-risk DASH that opened MARAC - what the "mash" demo user sees when they sign in."""

import pytest

from bluelamp.safeguarding import queries
from bluelamp.safeguarding.models import Hub, MaracCase, Referral, RiskAssessment
from bluelamp.synth.demo import create_demo_users
from bluelamp.synth.generate import ForceGenerator
from bluelamp.synth.mash import mash_day


@pytest.fixture
def day(db):
    units = ForceGenerator(population=100, years=1, seed=3).build_units()
    users = create_demo_users(units)
    return users, mash_day(users, units)


def test_the_mash_queue_shows_the_late_medium_and_the_high_risk_marac(day):
    users, found = day
    central = Hub.objects.get(code="central")
    rows = queries.queue(users["mash"], central)
    assert rows[0].risk_level == "high"
    late = [r for r in rows if r.late]
    assert [r.pk for r in late] == [found.late.pk]
    assert found.late.risk_level == "medium"
    case = MaracCase.objects.get(referral=found.high)
    assert "visible_high_risk" in case.criteria
    assert found.high.pk in [r.pk for r in rows]


def test_referrals_skew_to_the_busiest_hub_and_scores_spread(day):
    counts = {h.code: Referral.objects.filter(hub=h).count() for h in Hub.objects.all()}
    assert set(counts) == {"central", "east", "north"}
    assert counts["central"] > counts["east"] + counts["north"]
    levels = set(RiskAssessment.objects.values_list("scored_level", flat=True))
    assert len(levels) >= 2
