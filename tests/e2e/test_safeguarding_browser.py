"""Issue 17 "Done when", on a phone: an officer at a domestic abuse incident with a child present
matches the victim and the suspect (known to the force), completes the DASH, attaches a photo and
submits; the MASH sees it at the top of its hub's queue, and the high score has opened MARAC.

Operation Encompass (the school told before the next school day) is built in protection/ by
another helper, reacting to ``safeguarding.referral_submitted``: its checks belong where
``encompass_hook`` is called below, with the referral reference and the child's name."""

import re

import pytest

from tests.safeguarding.support import png_bytes

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 740}


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways ({width} px)"


def _person(page, prefix: str, given: str, family: str, day: int, month: int, year: int):
    entry = page.get_by_test_id(f"person-entry-{prefix}")
    entry.get_by_label("Given names").fill(given)
    entry.get_by_label("Family name").fill(family)
    entry.get_by_label("Day of birth").fill(str(day))
    entry.get_by_label("Month of birth").fill(str(month))
    entry.get_by_label("Year of birth").fill(str(year))


def encompass_hook(page, *, reference: str, child: str) -> None:
    """Operation Encompass's part of this test (protection/, another helper): assert here that
    the school notification for ``child`` on ``reference`` is queued before the next school day."""


def test_referral_from_the_scene_reaches_the_mash_and_opens_marac(sign_in_as):
    page = sign_in_as("response", **PHONE)
    page.locator("tr", has_text="screaming heard, a child in the house").get_by_role(
        "link"
    ).first.click()
    page.get_by_test_id("refer-from-event").click()
    _fits(page)

    _person(page, "victim", "Jodie", "Fairclough", 21, 6, 1994)
    _person(page, "perpetrator", "Wayne", "Fairclough", 2, 11, 1991)
    _person(page, "child1", "Tyler", "Fairclough", 9, 9, 2018)
    page.get_by_test_id("child-child1").get_by_label("School (name or URN)").fill(
        "Ryelands Primary"
    )
    page.get_by_label("Type of concern").select_option("domestic_abuse")
    page.get_by_label("Home postcode of the person at risk").fill("LA1 4XQ")
    page.get_by_label("Strangulation or choking").check()
    page.get_by_label("Your account").fill(
        "Jodie says Wayne grabbed her throat in the kitchen. Tyler (8) saw it."
    )
    page.get_by_role("button", name="Save referral").click()

    # Match-on-entry: both adults are known, so their records are offered, not re-typed.
    page.get_by_test_id("offered-victim").get_by_label(re.compile("Jodie")).check()
    page.get_by_test_id("offered-perpetrator").get_by_label(re.compile("Wayne")).check()
    page.get_by_role("button", name="Save referral").click()
    assert "saved as a draft" in page.get_by_role("status").first.inner_text()
    reference = page.locator("h1").inner_text().removeprefix("Referral ").strip()
    _fits(page)

    page.get_by_test_id("do-dash").click()
    for n in range(1, 28):
        page.locator(f"input[name=q{n}][value={'yes' if n <= 16 else 'no'}]").check()
    page.get_by_role("button", name="Save the DASH").click()
    assert "score 16: High" in page.get_by_test_id("dash-score").inner_text()

    page.get_by_label("Photo or document").set_input_files(
        {"name": "injury.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    page.get_by_role("button", name="Attach").click()
    assert "injury.png" in page.get_by_test_id("attachments").inner_text()

    page.get_by_test_id("submit").click()
    assert page.get_by_test_id("status").inner_text() == "Awaiting MASH triage"
    assert "North and West MASH" in page.get_by_test_id("hub").inner_text()
    assert "Visible high risk" in page.get_by_test_id("marac").inner_text()
    _fits(page)
    encompass_hook(page, reference=reference, child="Tyler Fairclough")
    page.context.close()

    mash = sign_in_as("mash", **PHONE)
    mash.get_by_text("Menu", exact=True).click()  # on a phone the navigation is a menu
    nav = mash.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="MASH", exact=True).click()
    mash.get_by_role("link", name="North and West MASH").click()
    first = mash.get_by_test_id("mash-queue").locator("tbody tr").first
    assert reference in first.inner_text()
    assert "High" in first.inner_text()
    _fits(mash)
    first.get_by_role("link", name=reference).click()
    assert "Visible high risk" in mash.get_by_test_id("marac").inner_text()
    assert "Jodie" in mash.content()
    mash.get_by_text("Menu", exact=True).click()
    nav.get_by_role("link", name="MARAC", exact=True).click()
    assert reference in mash.get_by_test_id("marac-north").inner_text()
    mash.context.close()
