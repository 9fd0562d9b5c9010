"""The synthetic force has missing episodes with returns and an Encompass history, from its own
records; and the demo's live work queues an Encompass notice for a school."""

import datetime as dt

import pytest
from django.db.models import Count

from bluelamp.core.choices import EventKind, EventRole
from bluelamp.core.models import PersonEventLink
from bluelamp.missing.models import MissingReport, ReportStatus
from bluelamp.protection.models import EncompassNotice, NoticeStatus
from bluelamp.synth.demo import create_demo_users, live_work
from bluelamp.synth.demo_work import live_journey
from bluelamp.synth.generate import ForceGenerator, generate_force

pytestmark = pytest.mark.django_db


def test_missing_episodes_have_returns_and_encompass_notices_follow_domestic_crimes():
    generate_force(population=4000, years=1, seed=11, districts=4, end=dt.date(2026, 6, 30))
    subjects = PersonEventLink.objects.filter(role=EventRole.SUBJECT, event__kind=EventKind.MISSING)
    reports = MissingReport.objects.all()
    assert reports.count() == subjects.count() > 10
    assert set(reports.values_list("person_id", flat=True)) == set(
        subjects.values_list("person_id", flat=True)
    )
    returned = reports.filter(status=ReportStatus.RETURNED)
    assert returned.count() >= 0.9 * reports.count()
    assert not returned.filter(safe_and_well_at__isnull=True).exists()
    assert not returned.filter(is_child=True, interview_outcome="").exists()
    grades = dict(reports.values_list("risk_grade").annotate(n=Count("id")))
    assert set(grades) == {"high", "medium", "low"}
    notices = EncompassNotice.objects.select_related("referral_event")
    assert notices.count() > 0
    for notice in notices[:50]:
        assert notice.referral_event.kind == EventKind.CRIME
        assert notice.due_at > notice.incident_at
        assert notice.delivered_at <= notice.due_at
        assert notice.status == NoticeStatus.DELIVERED


def test_the_demo_queues_an_encompass_notice_for_a_school():
    units = ForceGenerator(population=100, years=1, seed=3).build_units()
    users = create_demo_users(units)
    live_work(users, units, seed=3)
    live_journey(users, units)
    notice = EncompassNotice.objects.get()
    assert notice.recipient_name == "Ribbleton Avenue Primary School"
    assert notice.status == NoticeStatus.QUEUED
    assert notice.message.to == "dsl@ribbleton-primary.example"
    assert notice.created_by == users["response"]
