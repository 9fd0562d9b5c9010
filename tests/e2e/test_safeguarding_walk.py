"""Issue 17's first "Done when", one continuous walk on a phone (the served demo): an officer at a
domestic abuse incident with a child present matches the victim and the suspect (known to the
force), completes the DASH with a high score, attaches a photo and submits; the MASH sees it at
the top of its hub's queue; the high score has opened MARAC (on the MARAC page); the school's
Operation Encompass notice is queued for before the start of the next school day.

Then the Encompass part across a bank-holiday weekend and a school holiday. The app has no test
clock (no setting or variable moves its time), so the input that sets the deadline is the
incident's own time, which the officer types on "Record a crime" ("Happened from"): the notice
counts from when the incident happened (protection/encompass.py ``incident_time``). Each case:
the crime recorded with that time, the referral made from the crime's page (the victim matched
to the crime's), the MASH sees the notice due on the right day, the officer who referred sees it,
a call handler does not; for the bank-holiday case the phone fallback is recorded."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from bluelamp.duties.deadlines import is_working_day
from bluelamp.reference.schools import school_closures
from tests.safeguarding.support import png_bytes

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 740}
LONDON = ZoneInfo("Europe/London")
SCHOOL_STARTS = dt.time(8, 30)  # BLUELAMP_ENCOMPASS_SCHOOL_DAY_STARTS, its documented default


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways ({width} px)"


def _go(control) -> None:
    """Clicks a link or button that loads a page and waits for that page: a check made at once
    could otherwise read the page the click is leaving."""
    with control.page.expect_navigation():
        control.click()


def _menu(page, link: str) -> None:
    """On a phone the navigation is a menu (``<details class="menu">``): open it, follow a link."""
    page.get_by_text("Menu", exact=True).click()
    _go(page.get_by_role("navigation", name="Main").get_by_role("link", name=link, exact=True))


def _person(page, prefix: str, given: str, family: str, born: dt.date | None = None) -> None:
    entry = page.get_by_test_id(f"person-entry-{prefix}")
    entry.get_by_label("Given names").fill(given)
    entry.get_by_label("Family name").fill(family)
    if born:
        entry.get_by_label("Day of birth").fill(str(born.day))
        entry.get_by_label("Month of birth").fill(str(born.month))
        entry.get_by_label("Year of birth").fill(str(born.year))


def _next_school_day_start(moment: dt.datetime, local_authority: str) -> dt.datetime:
    """Worked out here, from the calendar data: the first day, from the moment's own (if before
    school starts) on, that is a working day and not a closure of the authority's schools."""
    local = moment.astimezone(LONDON)
    day = local.date() if local.time() < SCHOOL_STARTS else local.date() + dt.timedelta(days=1)
    closures = school_closures(local_authority)
    while not is_working_day(day) or day in closures:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, SCHOOL_STARTS, tzinfo=LONDON)


def test_a_referral_from_the_scene_reaches_the_mash_marac_and_the_school(sign_in_as):
    page = sign_in_as("response", **PHONE)
    _go(
        page.locator("tr", has_text="screaming heard, a child in the house")
        .get_by_role("link")
        .first
    )
    _go(page.get_by_test_id("refer-from-event"))
    _fits(page)

    _person(page, "victim", "Jodie", "Fairclough", dt.date(1994, 6, 21))
    _person(page, "perpetrator", "Wayne", "Fairclough", dt.date(1991, 11, 2))
    _person(page, "child1", "Tyler", "Fairclough", dt.date(2018, 9, 9))
    page.get_by_test_id("child-child1").get_by_label("School (name or URN)").fill(
        "Lancaster Castle View Primary"
    )
    page.get_by_label("Type of concern").select_option("domestic_abuse")
    page.get_by_label("Home postcode of the person at risk").fill("LA1 4XQ")
    page.get_by_label("Strangulation or choking").check()
    page.get_by_label("Your account").fill(
        "Jodie says Wayne grabbed her throat in the kitchen. Tyler (8) saw it."
    )
    _go(page.get_by_role("button", name="Save referral"))

    # Match-on-entry: both adults are known, so their records are offered, not re-typed.
    page.get_by_test_id("offered-victim").get_by_label(re.compile("Jodie")).check()
    page.get_by_test_id("offered-perpetrator").get_by_label(re.compile("Wayne")).check()
    _go(page.get_by_role("button", name="Save referral"))
    assert "saved as a draft" in page.get_by_role("status").first.inner_text()
    reference = page.locator("h1").inner_text().removeprefix("Referral ").strip()
    _fits(page)

    _go(page.get_by_test_id("do-dash"))
    for n in range(1, 28):
        page.locator(f"input[name=q{n}][value={'yes' if n <= 16 else 'no'}]").check()
    _go(page.get_by_role("button", name="Save the DASH"))
    assert "score 16: High" in page.get_by_test_id("dash-score").inner_text()

    page.get_by_label("Photo or document").set_input_files(
        {"name": "injury.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    _go(page.get_by_role("button", name="Attach"))
    assert "injury.png" in page.get_by_test_id("attachments").inner_text()

    submitted_from = dt.datetime.now(dt.UTC)
    _go(page.get_by_test_id("submit"))
    assert page.get_by_test_id("status").inner_text() == "Awaiting MASH triage"
    submitted_by = dt.datetime.now(dt.UTC)
    assert "North and West MASH" in page.get_by_test_id("hub").inner_text()
    assert "Visible high risk" in page.get_by_test_id("marac").inner_text()
    _fits(page)
    page.context.close()

    mash = sign_in_as("mash", **PHONE)
    _menu(mash, "MASH")
    _go(mash.get_by_role("link", name="North and West MASH"))
    first = mash.get_by_test_id("mash-queue").locator("tbody tr").first
    assert reference in first.inner_text()
    assert "High" in first.inner_text()
    _fits(mash)
    _go(first.get_by_role("link", name=reference))
    assert "Visible high risk" in mash.get_by_test_id("marac").inner_text()
    assert "Jodie" in mash.content()
    _menu(mash, "MARAC")
    assert reference in mash.get_by_test_id("marac-north").inner_text()

    # Operation Encompass: Tyler's school told before the start of the next school day.
    _menu(mash, "Encompass")
    notice = mash.get_by_test_id("notice").filter(has_text="Tyler")
    assert notice.count() == 1
    assert "Lancaster Castle View Primary" in notice.get_by_test_id("recipient").inner_text()
    assert notice.get_by_test_id("status").inner_text() == "Queued to send"
    due = dt.datetime.fromisoformat(notice.get_by_test_id("due").get_attribute("datetime"))
    # The demo's incident has no recorded time: the deadline counts from the submission.
    assert due in {
        _next_school_day_start(submitted_from, "lancashire"),
        _next_school_day_start(submitted_by, "lancashire"),
    }
    _fits(mash)
    mash.context.close()


# (child, their school (URN), the school's name and lead's address, the incident's time as
# typed, the notice's due time as shown; the id says why)
ACROSS_HOLIDAYS = [
    pytest.param(
        ("Maisie", "Brackley-Oddie"),
        "LAN-P-004",
        ("Lancaster Castle View Primary", "dsl@castleview-primary.example"),
        "2026-05-01T21:40",
        "08:30 Tue 05 May 2026",
        id="friday-before-the-may-day-bank-holiday",
    ),
    pytest.param(
        ("Ollie", "Thwaite-Urmston"),
        "BPL-P-001",
        ("Promenade Primary School", "dsl@promenade-primary.example"),
        "2026-10-23T19:05",
        "08:30 Mon 02 Nov 2026",
        id="friday-before-half-term",
    ),
]


def _choose_offered(page, prefix: str, name: str) -> bool:
    """If the form offers known people for ``prefix``, choose the one called ``name`` (True)."""
    offered = page.get_by_test_id(f"offered-{prefix}")
    if offered.count() == 0:
        return False
    option = offered.get_by_label(re.compile(name, re.IGNORECASE))
    if option.count():
        option.first.check()
        return True
    offered.get_by_label("None of these: record a new person").check()
    return False


@pytest.mark.parametrize(("child", "school", "school_name", "happened", "due"), ACROSS_HOLIDAYS)
def test_the_school_notice_counts_from_the_incident_across_holidays(
    sign_in_as, child, school, school_name, happened, due
):
    given, family = child
    school_name, school_email = school_name
    victim = f"Dana {family}"
    page = sign_in_as("response", **PHONE)
    _menu(page, "Record a crime")
    page.get_by_label("Summary").fill(f"Domestic assault at home, {given} ({family}) present")
    page.get_by_label("Offence (Home Office code)").select_option("8N")
    page.get_by_label("Happened from").fill(happened)
    page.locator("#id_party-0-given_names").fill("Dana")
    page.locator("#id_party-0-family_name").fill(family)
    page.locator("#id_party-1-family_name").fill(f"Partner of Dana {family}")
    _go(page.get_by_role("button", name="Record crime"))
    assert "recorded" in page.locator(".messages").inner_text()

    _go(page.get_by_test_id("refer-from-event"))
    _person(page, "victim", "Dana", family)
    _person(page, "child1", given, family, dt.date(2017, 2, 3))
    page.get_by_test_id("child-child1").get_by_label("School (name or URN)").fill(school)
    page.get_by_label("Type of concern").select_option("domestic_abuse")
    page.get_by_label("Home postcode of the person at risk").fill("PR1 2AB")
    page.get_by_label("Your account").fill(f"Shouting; {given} was upstairs.")
    _go(page.get_by_role("button", name="Save referral"))
    # The victim the crime recorded is offered, not typed again.
    assert _choose_offered(page, "victim", victim)
    _choose_offered(page, "child1", f"{given} {family}")
    _go(page.get_by_role("button", name="Save referral"))
    assert "saved as a draft" in page.get_by_role("status").first.inner_text()
    _go(page.get_by_test_id("do-dash"))
    for n in range(1, 28):
        page.locator(f"input[name=q{n}][value={'yes' if n <= 3 else 'no'}]").check()
    _go(page.get_by_role("button", name="Save the DASH"))
    assert "score 3: Standard" in page.get_by_test_id("dash-score").inner_text()
    _go(page.get_by_test_id("submit"))
    assert page.get_by_test_id("status").inner_text() == "Awaiting MASH triage"
    # The referring officer sees the notice.
    _menu(page, "Encompass")
    assert f"{given}" in page.get_by_test_id("notice").filter(has_text=family).inner_text()
    page.context.close()

    mash = sign_in_as("mash", **PHONE)
    _menu(mash, "Encompass")
    assert mash.get_by_role("heading", level=1).inner_text() == "Operation Encompass notices"
    notice = mash.get_by_test_id("notice").filter(has_text=family)
    assert notice.count() == 1
    assert school_name in notice.inner_text()
    assert notice.get_by_test_id("due").inner_text() == due
    assert notice.get_by_test_id("status").inner_text() == "Queued to send"
    _fits(mash)
    _go(notice.get_by_role("link"))
    recipient = mash.get_by_test_id("recipient").inner_text()
    assert school_name in recipient
    assert school_email in recipient
    assert mash.get_by_test_id("message-status").inner_text().startswith(("Queued", "Sending"))
    assert "Make sure the school's safeguarding lead is told" in mash.locator("main").inner_text()
    # The phone fallback, recorded on the page, closes the notice.
    mash.get_by_label("Who you spoke to (name and role)").fill("Mrs Khan, DSL")
    _go(mash.get_by_role("button", name="Record phone call"))
    assert mash.get_by_test_id("status").inner_text().startswith("Confirmed by phone")
    _fits(mash)
    mash.context.close()

    handler = sign_in_as("handler", **PHONE)
    handler.goto("/encompass/")
    assert handler.get_by_test_id("notice").count() == 0
    assert given not in handler.locator("main").inner_text()
    handler.context.close()
