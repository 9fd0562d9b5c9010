"""Query-count ceiling for POST /api/crimes, the load benchmark's request (STYLE.md habit 6).
bench/crime_load.py measured 84 queries per crime before the cuts in bench/README.md, 56-57
after the first round and 19 after the second (docs/design.md, "Writing under load"); the
ceiling fails if an N+1 creeps back (a query per person, link or audit row)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bluelamp.accounts.services import issue_api_token
from bluelamp.audit import services as audit
from bluelamp.audit.models import AuditEvent
from bluelamp.core.models import PersonEventLink
from bluelamp.crime.models import Crime

pytestmark = pytest.mark.django_db

CEILING = 22  # 19 measured on both databases (inside the test's transaction: no BEGIN/COMMIT)


def _body(units, victims=1, suspects=1):
    return {
        "summary": "Bag taken from a table in a cafe",
        "offence_code": "49",
        "owning_unit_id": units["west-response"].pk,
        "victims": [
            {"given_names": f"Ann{n}", "family_name": "Lee", "dob": "1985-03-04", "chosen": "new"}
            for n in range(victims)
        ],
        "suspects": [
            {"given_names": f"Sam{n}", "family_name": "Cole", "dob": "1999-07-08", "chosen": "new"}
            for n in range(suspects)
        ],
    }


def _post(client, token, body):
    with CaptureQueriesContext(connection) as queries:
        made = client.post(
            "/api/crimes",
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
    assert made.status_code == 201, made.content
    return made.json(), len(queries)


def test_recording_a_crime_stays_under_the_query_ceiling(client, officer, units):
    """A new victim and suspect, each answered "new" (the caller has seen what was offered):
    the crime's own 19 queries and the insert that keeps both choices; no search again."""
    token = issue_api_token(user=officer, name="t")
    _post(client, token, _body(units))  # the day's first reference creates its counter
    answer, count = _post(client, token, _body(units))
    ceiling = CEILING + 1
    assert count <= ceiling, f"{count} queries to record one crime (ceiling {ceiling})"
    # Nothing was skipped to get there: the links, history and an intact audit chain.
    assert Crime.objects.filter(event_id=answer["id"]).exists()
    assert PersonEventLink.objects.filter(event_id=answer["id"]).count() == 2
    assert AuditEvent.objects.filter(record_id=str(answer["id"]), action="link").count() == 2
    assert audit.verify_chain().intact


def test_each_further_party_costs_a_bounded_number_of_queries(client, officer, units):
    """New people are created together (one insert per table whatever their number), so a
    further party costs only what is its own: a victim's record, its domain event and referral
    duty (3 statements), a suspect none. 1.5 measured per party, half of them victims."""
    token = issue_api_token(user=officer, name="t")
    _post(client, token, _body(units))
    _, two = _post(client, token, _body(units, victims=1, suspects=1))
    _, six = _post(client, token, _body(units, victims=3, suspects=3))
    per_party = (six - two) / 4
    assert per_party <= 2, f"{per_party} queries per extra party"
