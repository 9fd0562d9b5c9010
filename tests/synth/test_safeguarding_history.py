"""The bulk generator (``bluelamp synth``) makes safeguarding at the rates it states (issue 17
"Everywhere"; synth/safeguarding_history.py): a referral and a DASH for every domestic abuse
crime, a child present at the stated share, other concerns at the stated ratio, DASH levels over
all three bands, Lancashire's 70% skew to the busiest hub, MARAC from the high ones, open
referrals with their triage duty and none late, Encompass notices for the children present, and
missing episodes with returns. Each share is checked within four standard errors of the stated
rate (a binomial count), so a rate that drifts from its constant fails."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from django.conf import settings
from django.utils import timezone

from bluelamp.core.models import Event, Person
from bluelamp.duties.models import Duty, Outcome
from bluelamp.missing.models import MissingReport, ReportStatus
from bluelamp.protection.models import EncompassNotice
from bluelamp.safeguarding.models import (
    ChildPresent,
    MaracCase,
    Referral,
    ReferralSubject,
    RiskAssessment,
    Status,
)
from bluelamp.synth import mash, safeguarding_history
from bluelamp.synth.generate import generate_force

pytestmark = pytest.mark.django_db


def _close(observed: int, total: int, rate: float, what: str) -> None:
    assert total > 0, what
    error = 4 * math.sqrt(rate * (1 - rate) / total)
    share = observed / total
    assert abs(share - rate) <= error, f"{what}: {share:.3f} of {total}, stated {rate}"


@pytest.fixture
def force(db):
    return generate_force(population=20000, years=1, seed=17, districts=5)


def test_the_generator_makes_safeguarding_at_the_stated_rates(force):
    domestic = safeguarding_history.domestic_crimes()
    referrals = Referral.objects.all()
    da = referrals.filter(concern="domestic_abuse")
    assert force.safeguarding["referrals"] == referrals.count()
    # One referral with a DASH for every domestic abuse crime, about its crime.
    assert da.count() == len(domestic) > 100
    assert set(da.values_list("event_id", flat=True)) == {c for c, _, _ in domestic}
    assert RiskAssessment.objects.filter(referral__in=da).count() == da.count()
    assert RiskAssessment.objects.exclude(referral__in=da).count() == 0
    assert ReferralSubject.objects.filter(referral__in=da, role="perpetrator").count() == da.count()
    # Other concerns at the stated ratio (rounded), each graded by the officer.
    others = referrals.exclude(concern="domestic_abuse")
    assert others.count() == round(da.count() * safeguarding_history.OTHER_PER_DOMESTIC)
    assert not others.filter(officer_risk="").exists()
    assert set(others.values_list("concern", flat=True)) <= set(mash.OTHER_CONCERNS)
    # Children present at the stated share of domestic abuse incidents.
    with_child = ChildPresent.objects.values("referral").distinct().count()
    _close(with_child, da.count(), safeguarding_history.CHILD_PRESENT_SHARE, "child present")
    # DASH scores spread over the three levels, at the weights synth/mash.py states.
    for level, weight in zip(("standard", "medium", "high"), (60, 25, 15), strict=True):
        _close(da.filter(risk_level=level).count(), da.count(), weight / 100, f"DASH {level}")
    high = RiskAssessment.objects.filter(score__gte=settings.BLUELAMP_DASH_HIGH_FROM).count()
    assert high == da.filter(risk_level="high").count()
    # Lancashire's skew: about 70% of all referrals to the busiest hub, every hub some.
    total = referrals.count()
    for code, share in zip(("central", "east", "north"), mash.SKEW, strict=True):
        _close(referrals.filter(hub__code=code).count(), total, share, f"hub {code}")
    # MARAC: a case for each high-risk domestic referral whose victim is 16 or over (domain.md
    # 3.4); the generator's youngest "partners" are under 16, and get none.
    cases = MaracCase.objects.all()
    eligible = set()
    for referral in da.filter(risk_level="high"):
        victim = referral.subjects.get(role="victim").person
        age = referral.submitted_at.year - victim.dob_year if victim.dob_year else None
        if age is None or age >= 16:
            eligible.add(referral.pk)
    assert eligible
    assert set(cases.values_list("referral_id", flat=True)) == eligible
    assert cases.count() == force.safeguarding["marac"]
    assert all(c.criteria == ["visible_high_risk"] for c in cases)


def test_open_referrals_have_their_duty_and_none_is_late_and_schools_were_told(force):
    now = timezone.now()
    open_ = Referral.objects.filter(status=Status.SUBMITTED)
    triaged = Referral.objects.filter(status=Status.TRIAGED)
    assert triaged.exists()
    assert not triaged.filter(outcome="").exists()
    assert not open_.filter(triage_due_at__lte=now - dt.timedelta(minutes=5)).exists()
    duties = Duty.objects.filter(policy="safeguarding-mash-triage")
    assert duties.filter(outcome=Outcome.OPEN).count() == open_.count()
    assert duties.count() == Referral.objects.count()
    assert all(r.reference.startswith("PVP-") for r in Referral.objects.all()[:50])
    # Operation Encompass: a notice for each child present, due after the incident.
    notices = EncompassNotice.objects.all()
    assert notices.count() == ChildPresent.objects.count() == force.safeguarding["notices"]
    assert set(notices.values_list("referral_id", "child_id")) == set(
        ChildPresent.objects.values_list("referral_id", "person_id")
    )
    for notice in notices[:100]:
        assert notice.due_at > notice.incident_at
        assert notice.delivered_at <= notice.due_at
    # Missing episodes, almost all returned.
    reports = MissingReport.objects.all()
    assert reports.count() > 10
    assert reports.filter(status=ReportStatus.RETURNED).count() >= 0.9 * reports.count()


def test_partners_in_domestic_abuse_are_sixteen_or_over(force):
    """Domestic abuse is between people each aged 16 or over (Domestic Abuse Act 2021 s.1(2)):
    the generator made partners as young as 10 before it checked."""
    domestic = safeguarding_history.domestic_crimes()
    assert len(domestic) > 100
    born = dict(Person.objects.values_list("pk", "dob_year"))
    when = dict(
        Event.objects.filter(pk__in=[c for c, _, _ in domestic]).values_list("pk", "occurred_from")
    )
    for crime, victim, suspect in domestic:
        for person in (victim, suspect):
            assert born[person] is not None
            assert when[crime].year - born[person] > 16, (crime, person, born[person])


def test_what_follows_a_referral_is_written_and_nothing_open_is_late(force):
    """synth/safeguarding_work.py: each submitted referral has the duties its level opens, done
    where the service would have discharged them (an officer's step with its note); partners'
    notes and ratings on triaged referrals; MARAC cases listed at a weekly meeting of their own
    hub, with actions whose duties their owners hold; and no open duty already late."""
    from bluelamp.accounts.permissions import can
    from bluelamp.safeguarding.mash import OFFICER_STEPS
    from bluelamp.safeguarding.models import (
        MaracAction,
        MaracMeeting,
        PartnerNote,
        QualityFeedback,
    )
    from bluelamp.synth.safeguarding_work import FEEDBACK_SHARE, LEAD_DAYS

    now = timezone.now()
    referrals = Referral.objects.exclude(status=Status.DRAFT)
    expected = {
        "high": {"safeguarding-mash-triage", "safeguarding-high-risk-hub"},
        "medium": {"safeguarding-mash-triage", "safeguarding-plan", "safeguarding-follow-up-visit"},
        "standard": {
            "safeguarding-mash-triage",
            "safeguarding-plan",
            "safeguarding-follow-up-visit",
        },
    }
    policies: dict[int, list[str]] = {}
    for subject, policy in Duty.objects.filter(subject_type__model="referral").values_list(
        "subject_id", "policy"
    ):
        policies.setdefault(subject, []).append(policy)
    levels = dict(referrals.values_list("pk", "risk_level"))
    assert {level for level in levels.values()} == set(expected)
    for pk, level in levels.items():
        assert sorted(policies[pk]) == sorted(expected[level]), (pk, level)
    # Nothing open is late; what the triage discharges is done at the triage.
    safeguarding = Duty.objects.filter(policy__startswith="safeguarding-")
    assert not safeguarding.filter(outcome=Outcome.OPEN, due_at__lte=now).exists()
    for duty in Duty.objects.filter(policy="safeguarding-high-risk-hub").select_related():
        referral = Referral.objects.get(pk=duty.subject_id)
        assert (duty.outcome == Outcome.DONE) == (referral.status == Status.TRIAGED)
        assert duty.done_at == referral.triaged_at
    # An officer's step done is kept as their note, at the moment the duty was done.
    steps = safeguarding.filter(policy__in=["safeguarding-plan", "safeguarding-follow-up-visit"])
    done = steps.filter(outcome=Outcome.DONE)
    assert done.exists()
    assert steps.filter(outcome=Outcome.OPEN).exists()
    police = PartnerNote.objects.filter(agency__in=OFFICER_STEPS.values())
    assert police.count() == done.count()
    for duty in done[:50]:
        note = police.get(referral_id=duty.subject_id, agency=OFFICER_STEPS[duty.note])
        assert note.at == duty.done_at <= duty.due_at
        assert note.author_id == duty.owner_id == duty.done_by_id
    # Partners' notes and ratings on triaged referrals only, ratings at the stated share.
    triaged = referrals.filter(status=Status.TRIAGED)
    partners = PartnerNote.objects.exclude(agency__in=OFFICER_STEPS.values())
    assert partners.exists()
    assert not partners.exclude(referral__in=triaged).exists()
    rated = QualityFeedback.objects.all()
    assert not rated.exclude(referral__in=triaged).exists()
    _close(rated.count(), triaged.count(), FEEDBACK_SHARE, "ratings")
    # MARAC: weekly meetings at each hub; every case listed at one of its own hub's, at least
    # LEAD_DAYS after its referral and in time, or awaiting the next with its duty open.
    meetings = MaracMeeting.objects.all()
    assert meetings.values("hub").distinct().count() == 3
    assert {m.held_on.weekday() for m in meetings} == {3}
    listing = {d.subject_id: d for d in Duty.objects.filter(policy="safeguarding-marac-listing")}
    cases = MaracCase.objects.select_related("meeting")
    assert cases.filter(meeting__isnull=False).exists()
    for case in cases:
        duty = listing[case.pk]
        if case.meeting is None:
            assert duty.outcome == Outcome.OPEN
            continue
        assert case.meeting.hub_id == case.hub_id
        referred = timezone.localtime(case.referred_at).date()
        assert (case.meeting.held_on - referred).days >= LEAD_DAYS
        assert duty.outcome == Outcome.DONE
        assert duty.done_at <= duty.due_at
    # Actions only at meetings held, each its owner's duty, done when the duty is.
    actions = MaracAction.objects.select_related("case__meeting", "owner")
    assert actions.exists()
    held = {d.subject_id: d for d in Duty.objects.filter(policy="safeguarding-marac-action")}
    assert set(held) == {a.pk for a in actions}
    for action in actions:
        assert action.case.meeting.held_on <= timezone.localdate()
        assert can(action.owner, "referral.view")
        duty = held[action.pk]
        assert duty.owner_id == action.owner_id
        assert duty.subject_label == f"MARAC action: {action.text}"
        assert (duty.outcome == Outcome.DONE) == (action.done_at is not None)
