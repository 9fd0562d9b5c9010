"""An investigator works the demo's allocated assault in a real browser, on a phone-sized screen:
finds it among their live investigations, adds a line of enquiry, is told (against the field)
that a finished line needs its result, and the sergeant sees it on the oversight page."""

import re

SCREEN = {"width": 375, "height": 740}


def _fits(page, path: str) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= SCREEN["width"], f"{path} scrolls sideways ({overflow} px)"


def test_an_investigator_works_the_plan_on_a_phone(sign_in_as):
    page = sign_in_as("investigator", **SCREEN)
    page.goto("/investigations/mine/")
    _fits(page, "/investigations/mine/")
    page.get_by_role("link", name=re.compile(r"^LC-")).first.click()
    assert "/investigation/" in page.url
    assert "Assault" in page.locator("h1").inner_text()
    _fits(page, page.url)

    page.get_by_text("Add a line of enquiry").click()
    page.locator("#id_line_kind").select_option("cctv")
    page.locator("#id_line_description").fill("Bar's door camera, 22:00-23:30")
    page.get_by_role("button", name="Add").click()
    plan = page.get_by_test_id("plan")
    assert "Bar's door camera" in plan.inner_text()

    plan.get_by_text("Change").first.click()
    plan.get_by_label("Status").first.select_option("done")
    plan.get_by_role("button", name="Save").first.click()
    summary = page.get_by_role("alert")
    assert re.search(r"Result: Say what the enquiry found", summary.inner_text())
    _fits(page, "refused form")
    page.context.close()

    sergeant = sign_in_as("sergeant", **SCREEN)
    sergeant.goto("/investigations/oversight/")
    assert "Supervisory footprint" in sergeant.get_by_test_id("footprint").inner_text()
    assert "Assault" in sergeant.get_by_test_id("live").inner_text()
    _fits(sergeant, "/investigations/oversight/")
    sergeant.context.close()
