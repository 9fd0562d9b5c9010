"""Home panels that point each role at its waiting work: QA's backlog, missed response targets
awaiting a control-room supervisor's review, and an investigator's live investigations."""

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone

from bluelamp.accounts.roles import Role
from bluelamp.audit.models import AuditEvent
from bluelamp.contact import services as contact
from bluelamp.core import restriction
from bluelamp.crime import recording, supervision

from ..conftest import sign_in
from ..contact.helpers import THRIVE, grade, take_call


def _home(client, user) -> str:
    sign_in(client, user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def _panel(page: str, title: str) -> str:
    """The HTML of the home panel with this title ("" when the page has no such panel)."""
    for section in page.split('<section class="panel"')[1:]:
        if f"<h2>{title}</h2>" in section:
            return section.split("</section>")[0]
    return ""


def _theft(actor, unit, summary="Bicycle stolen from a shed"):
    return recording.record_crime(
        actor=actor, summary=summary, owning_unit=unit, offence_code="44"
    ).event


@pytest.fixture
def missed(units, make_user):
    """A priority call graded three hours ago whose officer arrived two hours late."""
    handler = make_user(Role.CALL_HANDLER)
    officer = make_user(Role.RESPONSE_OFFICER)
    graded_at = timezone.now() - dt.timedelta(hours=3)
    with time_machine.travel(graded_at, tick=False):
        call = take_call(handler, units["west-response"], summary="Shoplifter detained")
        grade(handler, call.incident, "priority")
    with time_machine.travel(graded_at + dt.timedelta(hours=2), tick=False):
        contact.record_arrival(actor=officer, incident=call.incident)
    return call.incident


def test_qa_sees_the_backlog_count_its_oldest_age_and_the_way_to_the_queue(
    client, units, make_user
):
    recorder = make_user(Role.RESPONSE_OFFICER)
    with time_machine.travel(timezone.now() - dt.timedelta(days=2, hours=3), tick=False):
        _theft(recorder, units["west-response"])
    _theft(recorder, units["west-response"], "Purse stolen at the market")
    panel = _panel(_home(client, make_user(Role.QUALITY_ASSURANCE)), "Quality assurance backlog")
    assert re.search(r"Crimes waiting for a QA check</th><td>2<", panel)
    assert re.search(r"Oldest waiting</th><td>2 days 3 hours<", panel)
    assert 'href="/crimes/qa/"' in panel


def test_qa_with_nothing_waiting_is_told_so(client, make_user):
    panel = _panel(_home(client, make_user(Role.QUALITY_ASSURANCE)), "Quality assurance backlog")
    assert "Nothing waiting for a QA check." in panel


@pytest.mark.parametrize("role", [Role.CALL_HANDLER, Role.SUPERVISOR])
def test_missed_targets_awaiting_review_on_the_control_room_home(client, make_user, missed, role):
    panel = _panel(_home(client, make_user(role)), "Missed response targets awaiting review")
    assert missed.reference in panel
    assert 'href="/control-room/"' in panel


def test_a_reviewed_missed_target_leaves_the_panel(client, make_user, missed):
    supervisor = make_user(Role.SUPERVISOR)
    contact.review_missed_target(
        actor=supervisor, incident=missed, grade="priority", reason="Units tied up", **THRIVE
    )
    panel = _panel(_home(client, supervisor), "Missed response targets awaiting review")
    assert missed.reference not in panel
    assert "No missed target is waiting for review." in panel


def test_roles_without_the_duty_do_not_get_these_panels(client, make_user, missed):
    page = _home(client, make_user(Role.RESPONSE_OFFICER))
    assert _panel(page, "Missed response targets awaiting review") == ""
    assert _panel(page, "Quality assurance backlog") == ""


def test_investigator_sees_live_investigations_but_not_a_restricted_one_without_a_grant(
    client, units, make_user
):
    investigator = make_user(Role.INVESTIGATOR)
    sergeant = make_user(Role.SUPERVISOR)
    mine = _theft(sergeant, units["west-response"])
    supervision.allocate(actor=sergeant, event=mine, officer=investigator)
    secret = _theft(sergeant, units["west-response"], "Theft by a member of staff")
    supervision.allocate(actor=sergeant, event=secret, officer=investigator)
    restriction.restrict_record(actor=sergeant, record=secret, reason="Staff suspect", grant_to=[])
    someone_elses = _theft(sergeant, units["west-response"], "Theft of a moped")
    panel = _panel(_home(client, investigator), "My live investigations")
    assert mine.reference in panel
    assert secret.reference not in panel
    assert someone_elses.reference not in panel
    assert 'href="/investigations/mine/"' in panel
    # Listing live investigations is a read of records: audited.
    assert AuditEvent.objects.filter(
        actor_id=investigator.pk, record_label="my live investigations"
    ).exists()
