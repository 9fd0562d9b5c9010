"""The victim portal sign-in that `bluelamp demo` prints works in a real browser on a phone: the
demo victim sees her crime and the update the investigator shared with her."""

import re

from .axe import violations

SCREEN = {"width": 375, "height": 740}


def test_the_printed_victim_portal_sign_in_works_on_a_phone(browser, served_app, demo_printout):
    printed = " ".join(demo_printout.split())  # the console wraps long lines
    found = re.search(
        r"crime reference (LC-\d{8}-\d{5}), code ([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}) "
        r"\(one use\) and date of birth (\d{1,2}) (\w+) (\d{4})",
        printed,
    )
    assert found, printed[-1500:]
    reference, code, day, month, year = found.groups()
    assert (day, month, year) == ("14", "March", "1990")
    page = browser.new_context(base_url=served_app, viewport=SCREEN).new_page()
    page.goto("/track/")
    page.get_by_label("Crime reference").fill(reference)
    page.get_by_label("Access code").fill(code)
    page.get_by_label("Day").fill(day)
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill(year)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    body = page.locator("body").inner_text()
    assert reference in body
    assert "The man you named has been arrested and interviewed" in body
    # The update kept for the investigation log only is not shown to the victim.
    assert "samples sent for analysis" not in body
    assert page.evaluate("document.documentElement.scrollWidth") <= SCREEN["width"]
    assert violations(page) == []  # axe-core: the signed-in crime page (issue 16)
    page.context.close()
