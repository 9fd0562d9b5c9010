"""The real thing: a referral submitted through safeguarding/'s services, with a child present
and the police attending a domestic abuse incident, has queued the Encompass notice to the
child's school (found by the name the officer typed), in the referral's own transaction."""

import pytest

from bluelamp.accounts.roles import Role
from bluelamp.protection.models import EncompassNotice, NoticeStatus, Recipient

from ..safeguarding.support import answers, make_hubs, person
from ..safeguarding.support import referral as make_referral

pytestmark = pytest.mark.django_db


def test_a_submitted_referral_with_a_child_queues_the_school_notice(units, make_user):
    make_hubs(units)
    officer = make_user(Role.RESPONSE_OFFICER)
    victim = person(officer, "Ann", "Lowe")
    kid = person(officer, "Tia", "Lowe", dob_year=2017, dob_month=4, dob_day=2)
    home = person(officer, "Max", "Lowe", dob_year=2016, dob_month=1, dob_day=9)
    made = make_referral(
        officer,
        victim=victim,
        yes=15,
        children=[
            {"person": kid, "school": "Fishergate Primary School", "home_educated": False},
            {"person": home, "school": "", "home_educated": True},
        ],
    )
    notices = {n.child_id: n for n in EncompassNotice.objects.all()}
    assert set(notices) == {kid.pk, home.pk}
    school = notices[kid.pk]
    assert school.recipient_kind == Recipient.SCHOOL
    assert school.message.to == "dsl@fishergate-primary.example"
    assert school.status == NoticeStatus.QUEUED
    assert school.referral_id == made.pk
    assert school.created_by == officer
    assert notices[home.pk].recipient_kind == Recipient.LOCAL_AUTHORITY
    assert answers(0)  # (the DASH helper is the safeguarding tests' own)
