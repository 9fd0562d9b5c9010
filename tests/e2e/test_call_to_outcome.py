"""Issue 5, "Done when": one case walked in Chromium, entirely through pages, from a 999 call to
an outcome - THRIVE grading, attendance, crime recording, allocation, a line of enquiry and an
update, supervisor review, QA (checked while the officer keeps working: returned, corrected,
accepted) and the outcome - with the duties each step opens and discharges read off the record's
"Duties on this record" panel.

Each user signs in once and keeps their own browser context, so no step waits for a new TOTP
code. Every wait is on an element (Playwright's ``expect`` retries until its timeout)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


def duty(page: Page, policy: str):
    """The row of the record's duties panel for a policy (a name, or its start for the attend
    duty whose name depends on urban/rural)."""
    return page.get_by_test_id("record-duties").locator(f'[data-policy^="{policy}"]')


def expect_duty(page: Page, policy: str, state: str, *text: str) -> None:
    row = duty(page, policy)
    expect(row).to_have_count(1)
    expect(row).to_have_attribute("data-state", state)
    for part in text:
        expect(row).to_contain_text(part)


def take_and_grade_the_call(handler: Page) -> str:
    """1. A 999 call, which may be a crime, graded Emergency with THRIVE. Returns the incident's
    page path."""
    handler.get_by_role("link", name="Take a call").click()
    handler.get_by_label("Caller's given names").fill("Valerie")
    handler.get_by_label("Caller's family name").fill("Ashworth")
    handler.get_by_label("Caller's phone").fill("07700 900123")
    handler.get_by_label("Where: address").fill("4 Lune Street")
    handler.get_by_label("Postcode", exact=True).fill("PR1 2NL")
    handler.get_by_label("What happened").fill(
        "A man forced the back door, took a laptop and pushed me over; he has just left"
    )
    handler.get_by_label("This may be a crime").check()
    handler.get_by_label("Team").select_option(label="Preston Response")
    handler.get_by_role("button", name="Record the call").click()
    # A caller who may already be known is offered first; this one is new to the force.
    handler.locator("[data-testid=offered], [data-testid=record-title]").first.wait_for()
    if handler.get_by_test_id("offered").count():
        handler.get_by_label("None of these").check()
        handler.get_by_role("button", name="Record the call").click()
    expect(handler.get_by_role("status").first).to_contain_text("Call recorded: incident")

    handler.get_by_label("Emergency (grade 1)").check()
    for label, text in (
        ("Threat", "Intruder may return; caller was pushed over"),
        ("Harm", "Caller hurt, bruised hip"),
        ("Risk", "Offender nearby, caller alone"),
        ("Investigation", "Attend, scene, house-to-house"),
        ("Vulnerability", "Caller is 79 and lives alone"),
        ("Engagement", "Caller wants an officer now"),
        ("Overall rationale", "Burglary just happened, victim injured: emergency"),
    ):
        handler.get_by_label(re.compile(f"^{label}")).first.fill(text)
    handler.get_by_role("button", name="Save grade").click()
    expect(handler.get_by_test_id("grade")).to_contain_text("Emergency (grade 1)")
    expect(handler.get_by_test_id("grade")).to_contain_text(re.compile(r"\d+ min left"))
    expect_duty(handler, "attend-emergency", "open", "Attend the emergency")
    expect_duty(handler, "ncrs-recording-decision", "open", "crime-recording")
    return handler.url.removeprefix(handler.url.split("/events/")[0])


def attend(response: Page, incident: str) -> None:
    """2. The response officer logs arrival: the attendance duty is done, on time."""
    response.goto(incident)
    response.get_by_text("Arrived at scene").click()
    response.get_by_role("button", name="Log arrival").click()
    expect(response.get_by_test_id("incident-log")).to_contain_text("Arrived")
    expect_duty(response, "attend-emergency", "done", "on time")


def record_the_crime(response: Page, incident: str) -> tuple[str, str]:
    """3. The crime, from the incident, with the caller as victim, a new suspect and the offence
    code. Returns the crime's page path and reference."""
    response.goto(incident)
    caller = response.get_by_role("link", name="Valerie ASHWORTH").first.get_attribute("href")
    caller_number = re.search(r"/(\d+)/", caller).group(1)
    response.get_by_role("link", name=re.compile("Record a crime from this incident")).click()
    response.get_by_label("Offence (Home Office code)").select_option("28E")
    # The caller is the victim: known already, offered as her name is typed.
    response.locator("#id_party-0-given_names").fill("Valerie")
    response.locator("#id_party-0-family_name").fill("Ashworth")
    response.locator("#party-0").get_by_role(
        "button", name=re.compile("^Choose Valerie")
    ).first.click()
    assert response.locator("#id_party-0-person_id").input_value() == caller_number
    response.locator("#id_party-1-given_names").fill("Dominic")
    response.locator("#id_party-1-family_name").fill("Thwaite")
    response.get_by_label("Property", exact=True).fill("Silver laptop")
    response.get_by_role("button", name="Record crime").click()
    expect(response.get_by_role("status").first).to_contain_text("recorded")
    expect(response.get_by_test_id("offence")).to_contain_text("28E Burglary")
    crime = response.url.removeprefix(response.url.split("/events/")[0])
    reference = response.get_by_test_id("record-title").inner_text().strip()
    expect_duty(response, "crime-qa-check", "open", "queue quality-assurance")
    expect_duty(response, "victim-referral", "open", "victim support")
    expect(response.get_by_test_id("qa-status")).to_contain_text("Waiting for a check")

    response.goto(incident)
    expect_duty(response, "ncrs-recording-decision", "done", "on time")
    return crime, reference


def allocate(sergeant: Page, crime: str) -> None:
    """4. The sergeant allocates by skill to the investigator; the first review opens."""
    sergeant.goto(crime)
    sergeant.get_by_role("link", name="Allocate by skill").click()
    expect(sergeant.locator("main")).to_contain_text("This crime needs no particular skill")
    sergeant.get_by_label("Officer", exact=True).select_option(label="Ines Varga (4003)")
    sergeant.get_by_role("button", name="Allocate").click()
    expect(sergeant.get_by_role("status").first).to_contain_text("Allocated to Ines Varga")
    sergeant.goto(crime)
    expect_duty(sergeant, "first-supervisor-review", "open")


def work_while_qa_waits(investigator: Page, crime: str) -> None:
    """5. The investigator works the crime while its QA check is still waiting."""
    investigator.goto("/investigations/mine/")
    investigator.get_by_role("link", name=re.compile(r"^LC-")).first.wait_for()
    investigator.goto(crime)
    expect_duty(investigator, "crime-qa-check", "open")
    expect(investigator.get_by_test_id("qa-status")).to_contain_text("Waiting for a check")
    investigator.get_by_role("link", name="Open the investigation").click()
    investigator.get_by_text("Add a line of enquiry").click()
    investigator.locator("#id_line_kind").select_option("cctv")
    investigator.locator("#id_line_description").fill("Doorbell camera at number 6")
    investigator.get_by_role("button", name="Add").click()
    expect(investigator.get_by_test_id("plan")).to_contain_text("Doorbell camera at number 6")
    investigator.get_by_text("Add an update").click()
    investigator.locator("#id_update_text").fill("Victim seen; doorbell footage requested")
    investigator.get_by_role("button", name="Save update").click()
    expect(investigator.get_by_role("status").first).to_contain_text("Update recorded")
    expect(investigator.locator("main")).to_contain_text("doorbell footage requested")
    investigator.goto(crime)
    expect_duty(investigator, "crime-qa-check", "open")
    expect_duty(investigator, "no-update-since-allocation", "done", "on time")


def review(sergeant: Page, crime: str) -> None:
    """6. The supervisor review with direction: first review done, the periodic review opens."""
    sergeant.goto(crime)
    sergeant.get_by_text("Record a supervisor review").click()
    sergeant.get_by_label("Direction").fill("Get the doorbell footage by Friday; circulate Thwaite")
    sergeant.get_by_role("button", name="Save review").click()
    expect(sergeant.get_by_test_id("crime-panel")).to_contain_text("circulate Thwaite")
    expect_duty(sergeant, "first-supervisor-review", "done", "on time")
    expect_duty(sergeant, "periodic-supervisor-review", "open")


def quality_assurance(qa: Page, investigator: Page, crime: str, reference: str) -> None:
    """7. QA finds the crime in its queue, returns it naming a problem; the investigator
    corrects and resubmits; QA accepts."""
    qa.goto("/duties/queue/quality-assurance/")
    expect(qa.get_by_test_id("duties")).to_contain_text(reference)
    qa.goto(crime)
    qa.get_by_text("Return for correction").click()
    qa.get_by_label("Problem 1: part of the record").select_option("property")
    qa.get_by_label("Problem 1: what is wrong").fill("Give the laptop's make and serial number")
    qa.get_by_role("button", name="Return to the officer").click()
    expect(qa.get_by_test_id("qa-status")).to_contain_text("Returned for correction")
    expect_duty(qa, "crime-qa-check", "done")
    expect_duty(qa, "crime-qa-correction", "open")

    investigator.goto(crime)
    expect(investigator.get_by_test_id("qa-problems")).to_contain_text("serial number")
    investigator.goto(f"{crime}investigation/")
    investigator.get_by_text("Add an update").click()
    investigator.locator("#id_update_text").fill("Laptop: Dell Latitude 5420, serial 7HX2KQ3")
    investigator.get_by_role("button", name="Save update").click()
    expect(investigator.get_by_role("status").first).to_contain_text("Update recorded")
    investigator.goto(crime)
    resubmit = "I have corrected it: resubmit for a quality check"
    investigator.get_by_role("button", name=resubmit).click()
    expect(investigator.get_by_test_id("qa-status")).to_contain_text("Waiting for a check")
    expect_duty(investigator, "crime-qa-correction", "done", "on time")
    expect_duty(investigator, "crime-qa-recheck", "open")

    qa.goto(crime)
    qa.get_by_role("button", name="Accept the record").click()
    expect(qa.get_by_test_id("qa-status")).to_contain_text("Accepted")
    expect_duty(qa, "crime-qa-recheck", "done", "on time")


def outcome(sergeant: Page, crime: str) -> None:
    """8. Outcome 1 (charged) against the named suspect; the crime closes."""
    sergeant.goto(crime)
    sergeant.get_by_text("Record the outcome").click()
    sergeant.get_by_label("Outcome", exact=True).select_option("1")
    sergeant.get_by_label("Named suspect").select_option(label="Dominic THWAITE")
    sergeant.get_by_role("button", name="Authorise outcome").click()
    expect(sergeant.get_by_role("status").first).to_contain_text("the crime is closed")
    expect(sergeant.get_by_test_id("outcome")).to_contain_text("Outcome 1")
    expect(sergeant.get_by_test_id("outcome")).to_contain_text("Dominic THWAITE")
    expect(sergeant.locator("main")).to_contain_text("Closed")


def test_a_999_call_walked_to_an_outcome(sign_in_as):
    handler = sign_in_as("handler")
    incident = take_and_grade_the_call(handler)
    handler.context.close()

    response = sign_in_as("response")
    attend(response, incident)
    crime, reference = record_the_crime(response, incident)
    response.context.close()

    sergeant = sign_in_as("sergeant")
    allocate(sergeant, crime)
    investigator = sign_in_as("investigator")
    work_while_qa_waits(investigator, crime)
    review(sergeant, crime)
    qa = sign_in_as("qa")
    quality_assurance(qa, investigator, crime, reference)
    outcome(sergeant, crime)

    # 9. The duties along the way, as the record's pages show them.
    sergeant.goto(incident)
    expect_duty(sergeant, "attend-emergency", "done", "on time")
    expect_duty(sergeant, "ncrs-recording-decision", "done", "on time")
    sergeant.goto(crime)
    for policy in (
        "crime-qa-check",
        "crime-qa-correction",
        "crime-qa-recheck",
        "first-supervisor-review",
        "no-update-since-allocation",
    ):
        expect_duty(sergeant, policy, "done")
    # Closing the crime ends the supervision clocks; the victim is still owed the referral and
    # now the news of the outcome (Victims' Code).
    expect_duty(sergeant, "periodic-supervisor-review", "cancelled", "outcome recorded")
    expect_duty(sergeant, "victim-referral", "open")
    expect_duty(sergeant, "victim-outcome", "open")
    # The whole record, duties panel included, still reads on a phone.
    sergeant.set_viewport_size({"width": 375, "height": 740})
    sergeant.reload()
    expect(sergeant.get_by_test_id("record-duties")).to_be_visible()
    width = sergeant.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the crime's page scrolls sideways on a phone ({width} px)"
    for page in (sergeant, investigator, qa):
        page.context.close()
