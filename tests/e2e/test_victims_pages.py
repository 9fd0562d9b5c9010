"""The Victims' Code page a sergeant uses fits a phone, and the home page links to it."""

import pytest

pytestmark = pytest.mark.e2e


def test_victims_oversight_fits_a_phone_screen(sign_in_as):
    page = sign_in_as("sergeant", width=375, height=740)
    assert "Victims owed an update" in page.locator("main").inner_text()
    page.get_by_role("link", name="Victims' Code: overdue, referrals, satisfaction").first.click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Victims' Code")
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 375, f"/victims/ scrolls sideways at 375 px ({overflow} px)"
    page.context.close()
