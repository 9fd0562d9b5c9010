"""A call handler on a phone takes a 999 call, grades it with THRIVE and sees the time left to
the target; the control room lists it. In Chromium against the served app."""

import re

import pytest

pytestmark = pytest.mark.e2e


def test_take_a_call_and_grade_it_on_a_phone(sign_in_as):
    page = sign_in_as("handler", width=375, height=740)
    page.get_by_text("Menu", exact=True).click()  # on a phone the navigation is a menu
    page.get_by_role("link", name="Take a call").click()
    page.get_by_role("button", name="Record the call").click()
    assert "What happened" in page.get_by_role("alert").inner_text()
    page.get_by_label("Caller's phone").fill("07700 900555")
    page.get_by_label("Where: address").fill("12 Fishergate")
    page.get_by_label("Postcode", exact=True).fill("PR1 2AB")
    page.get_by_label("What happened").fill("Neighbour shouting threats over the fence")
    page.get_by_role("button", name="Record the call").click()
    assert "Call recorded: incident" in page.get_by_role("status").first.inner_text()
    reference = page.get_by_test_id("record-title").inner_text()
    panel = page.get_by_test_id("contact-panel")
    assert "Call received" in panel.get_by_test_id("incident-log").inner_text()

    page.get_by_label("Priority (grade 2)").check()
    for label, text in (
        ("Threat", "Threats shouted, no weapon seen"),
        ("Harm", "None yet"),
        ("Risk", "Could escalate tonight"),
        ("Investigation", "Attend and speak to both"),
        ("Vulnerability", "Caller is 82 and lives alone"),
        ("Engagement", "Caller wants an officer"),
        ("Overall rationale", "Elderly caller, threats ongoing: priority"),
    ):
        page.get_by_label(re.compile(f"^{label}")).first.fill(text)
    page.get_by_role("button", name="Save grade").click()
    assert re.search(r"\d+ min left", page.get_by_test_id("grade").inner_text())
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the incident page scrolls sideways ({width} px)"

    page.get_by_text("Menu", exact=True).click()
    page.get_by_role("link", name="Control room").click()
    assert reference in page.get_by_test_id("open-incidents").inner_text()
    page.context.close()
