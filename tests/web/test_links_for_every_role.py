"""Every link a demo user is shown leads somewhere they may go: for each demo role, a walk from
their home page following every same-origin link (tests/web/crawl.py) meets no page that answers
anything but 200 ("Not allowed" behind a link is a link that should not have been shown), and
every ``aria-describedby`` on the pages it visits names an element that is on the page, and no
page shows a rule as a document section ("domain.md 1.4") rather than by its name."""

from __future__ import annotations

import pytest

from bluelamp.duties.worker import drain_outbox
from bluelamp.synth.demo import DEMO_PASSWORD, DEMO_USERS, create_demo_users, live_work
from bluelamp.synth.demo_work import live_journey
from bluelamp.synth.generate import ForceGenerator

from ..conftest import sign_in
from .crawl import walk

PURPOSE_FIRST = {"analyst", "auditor"}  # roles that state a purpose before reading personal data


@pytest.fixture
def demo_users(db):
    units = ForceGenerator(population=100, years=1, seed=5).build_units()
    users = create_demo_users(units)
    live_work(users, units, seed=5)
    live_journey(users, units)
    drain_outbox(worker_id="test", limit=500)
    return users


@pytest.mark.parametrize("username", [row[0] for row in DEMO_USERS])
def test_every_link_on_every_page_answers_200_for_the_role(client, demo_users, username):
    sign_in(client, demo_users[username], password=DEMO_PASSWORD)
    if username in PURPOSE_FIRST:
        client.post("/purpose/", {"purpose": "Monthly compliance review", "next": "/"})
    result = walk(client)
    assert len(result.visited) >= 3  # the walk really went somewhere
    refused = result.refused()
    assert not refused, "\n".join(refused)
    assert not result.missing_descriptions, "\n".join(result.missing_descriptions)
    assert result.document_references == []  # rules by name, not "domain.md 1.4"
