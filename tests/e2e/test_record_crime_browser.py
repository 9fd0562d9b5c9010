"""Recording a crime as a new officer would (issue 16): from the home page, two victims (one
already known, found as her name is typed) and a suspect, in at most three pages, none of
which answers 403 or 404; and the same form still working with scripts off."""

import re

import pytest

from .axe import violations

pytestmark = pytest.mark.e2e


def _documents(page) -> list[tuple[str, int]]:
    """Every page (not image, script or API call) the browser loads, with its status."""
    loaded: list[tuple[str, int]] = []
    page.on(
        "response",
        lambda response: (
            loaded.append((response.url, response.status))
            if response.request.resource_type == "document"
            else None
        ),
    )
    return loaded


def test_an_officer_records_two_victims_and_a_suspect_in_three_pages(sign_in_as):
    page = sign_in_as("response")
    loaded = _documents(page)
    with page.expect_navigation():
        page.get_by_role("navigation", name="Main").get_by_role(
            "link", name="Record a crime"
        ).click()

    page.get_by_label("Summary").fill("Two neighbours assaulted outside the Fishergate shops")
    page.get_by_label("Find the offence by its words or code").fill("assault with injury")
    offence = page.get_by_label("Offence (Home Office code)")
    shown = offence.locator("option:not([hidden])").all_inner_texts()
    assert "8N Assault with injury" in shown
    assert all("assault" in text.lower() for text in shown if text != "Choose an offence")
    offence.select_option("8N")
    assert "Violence against the person" in page.locator("[data-offence-described]").inner_text()

    # Person 1: the victim the force already knows, chosen as her name is typed.
    page.locator("#id_party-0-given_names").fill("Hannah")
    page.locator("#id_party-0-family_name").fill("Whitworth")
    choose = page.locator("#party-0").get_by_role("button", name=re.compile("^Choose Hannah"))
    choose.first.click()
    assert "Chosen: Hannah" in page.locator("#party-0 [data-chosen-label]").inner_text()

    # Person 2 (the suspect row the form starts with) becomes the second victim, new.
    page.locator("#id_party-1-role").select_option("victim")
    page.locator("#id_party-1-given_names").fill("Quentin")
    page.locator("#id_party-1-family_name").fill("Oddleigh-Farquar")
    page.locator("#id_party-1-phone").fill("07700 900456")
    page.locator("#id_party-1-preferred").select_option("sms")

    # Person 3, added without leaving the page: the suspect.
    page.get_by_role("button", name="Add another person").click()
    page.locator("#id_party-2-role").select_option("suspect")
    assert page.locator("#party-2 [data-victim-only]").is_hidden()
    page.locator("#id_party-2-family_name").fill("Unknown male, tall, grey hoodie")
    with page.expect_navigation():
        page.get_by_role("button", name="Record crime").click()

    assert "recorded" in page.locator(".messages").inner_text()
    victims = page.get_by_test_id("victims-panel").inner_text()
    assert "Hannah WHITWORTH" in victims
    assert "Quentin ODDLEIGH-FARQUAR" in victims
    assert [status for _url, status in loaded if status >= 400] == []
    # The home page (where signing in lands), the form, the crime: three pages in all.
    shown = [url for url, status in loaded if status == 200]
    assert len(shown) == 2, loaded
    assert shown[0].endswith("/crimes/new/")
    page.context.close()


def test_the_form_works_and_names_every_problem_with_scripts_off(sign_in_as):
    page = sign_in_as("sergeant", scripts=False)
    page.goto("/crimes/new/")
    assert page.locator("[data-offence-search]").is_hidden()  # nothing that needs a script
    page.locator("#id_party-0-dob_day").fill("3")
    page.get_by_role("button", name="Record crime").click()
    summary = page.get_by_test_id("error-summary")
    text = summary.inner_text()
    assert "Summary" in text
    assert "Offence" in text
    assert "Person 1" in text
    summary.get_by_role("link", name=re.compile("^Person 1")).first.click()
    assert page.url.endswith("#id_party-0-family_name")
    assert page.locator("#id_party-0-dob_day").input_value() == "3"  # what was typed is kept
    page.get_by_role("button", name="Add another person").click()
    assert page.locator("#party-2").count() == 1
    page.context.close()


def test_the_form_empty_and_with_errors_has_no_axe_violations(sign_in_as):
    page = sign_in_as("response")
    page.goto("/crimes/new/")
    assert violations(page) == []
    page.locator("#id_party-0-dob_day").fill("3")
    with page.expect_navigation():
        page.get_by_role("button", name="Record crime").click()
    assert page.get_by_test_id("error-summary").count() == 1
    assert violations(page) == []
    page.get_by_role("button", name="Add another person").click()  # a row added by the script
    assert violations(page) == []
    page.context.close()
