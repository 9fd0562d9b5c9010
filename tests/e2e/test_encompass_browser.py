"""Operation Encompass in the browser at phone width: a domestic abuse referral with a child
present, emitted (as safeguarding/ emits it) late on the Friday before the May Day bank holiday,
has queued a notice to the child's school due before the start of school on Tuesday; one on the
Friday before half term is due on the Monday after it. Driven through the Encompass pages."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import SERVED_ENV

pytestmark = pytest.mark.e2e

SETUP = """
import datetime as dt
from zoneinfo import ZoneInfo
import time_machine
from bluelamp.accounts.models import Unit, User
from bluelamp.core import events, persons
from bluelamp.safeguarding import services

london = ZoneInfo("Europe/London")
officer = User.objects.get(username="response")
team = Unit.objects.get(code="preston-response")
dash = {str(n): {"answer": "no"} for n in range(1, 28)}
for given, school, when in [
    ("Maisie", "LAN-P-004", dt.datetime(2026, 5, 1, 21, 40, tzinfo=london)),
    ("Ollie", "BPL-P-001", dt.datetime(2026, 10, 23, 19, 5, tzinfo=london)),
]:
    with time_machine.travel(when, tick=False):
        child = persons.create_person(
            actor=officer, family_name="Encompass", given_names=given,
            dob_year=2017, dob_month=2, dob_day=3,
        )
        victim = persons.create_person(actor=officer, family_name="Encompass", given_names="Pat")
        event = events.record_event(
            actor=officer, kind="incident", summary="Domestic abuse, child present",
            owning_unit=team,
        )
        made = services.make_referral(
            actor=officer, concern="domestic_abuse", account="Child present", victim=victim,
            children=[{"person": child, "school": school, "home_educated": False}],
            home_postcode="PR1 2AB", event=event,
        )
        services.assess_risk(actor=officer, referral=made, answers=dash)
        services.submit_referral(actor=officer, referral=made)
"""


@pytest.fixture(scope="module")
def referrals(served_app):
    done = subprocess.run(
        [sys.executable, "-m", "bluelamp.cli", "shell", "-c", SETUP],
        env=SERVED_ENV,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]


def test_the_school_notice_is_due_before_the_next_school_day(referrals, sign_in_as):
    page = sign_in_as("mash", width=375, height=740)
    page.get_by_role("link", name="Encompass").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Operation Encompass notices"
    notices = page.get_by_test_id("notice")
    bank_holiday = notices.filter(has_text="Maisie")
    assert "Lancaster Castle View Primary" in bank_holiday.inner_text()
    assert bank_holiday.get_by_test_id("due").inner_text() == "08:30 Tue 05 May 2026"
    assert bank_holiday.get_by_test_id("status").inner_text() == "Queued to send"
    half_term = notices.filter(has_text="Ollie")
    assert "Promenade Primary School" in half_term.inner_text()
    assert half_term.get_by_test_id("due").inner_text() == "08:30 Mon 02 Nov 2026"
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 375, f"/encompass/ scrolls sideways at 375 px ({overflow} px)"
    bank_holiday.get_by_role("link").click()
    recipient = page.get_by_test_id("recipient").inner_text()
    assert "Lancaster Castle View Primary" in recipient
    assert "dsl@castleview-primary.example" in recipient
    assert page.get_by_test_id("message-status").inner_text().startswith(("Queued", "Sending"))
    assert "Make sure the school's safeguarding lead is told" in page.locator("main").inner_text()
    # The phone fallback, recorded on the page, closes the notice.
    page.get_by_label("Who you spoke to (name and role)").fill("Mrs Khan, DSL")
    page.get_by_role("button", name="Record phone call").click()
    assert page.get_by_test_id("status").inner_text().startswith("Confirmed by phone")
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 375, f"the notice scrolls sideways at 375 px ({overflow} px)"
    page.context.close()


def test_the_referring_officer_sees_it_and_the_call_handler_does_not(referrals, sign_in_as):
    officer = sign_in_as("response", width=375, height=740)
    officer.goto("/encompass/")
    listed = officer.locator("main").inner_text()
    assert "Maisie" in listed
    assert "Ollie" in listed
    officer.context.close()
    handler = sign_in_as("handler", width=375, height=740)
    handler.goto("/encompass/")
    assert handler.get_by_test_id("notice").count() == 0
    assert "Maisie" not in handler.locator("main").inner_text()
    handler.context.close()
