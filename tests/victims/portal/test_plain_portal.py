"""The victim's crime page says what the crime is in words and when it happened, not only a
reference; phone numbers are tap-to-call; a code used already gets its own message on the page,
with the way to a new code."""

import datetime as dt

from django.test import Client

from bluelamp.core import events

from .conftest import code_sent_to, portal_sign_in


def test_the_crime_is_shown_by_its_offence_and_date(victim, investigator):
    events.change_event(
        actor=investigator,
        event=victim.crime,
        occurred_from=dt.datetime(2026, 3, 2, 21, 0, tzinfo=dt.UTC),
    )
    client = Client()
    assert portal_sign_in(client, victim.crime.reference, code_sent_to(victim)).status_code == 302
    html = client.get(f"/track/crimes/{victim.crime.reference}/").content.decode()
    title = html.split('data-testid="crime-title">', 1)[1].split("<", 1)[0]
    assert title == "Burglary Residential"  # Home Office offence 28E in words
    assert "Happened 2 March 2026" in html
    assert victim.crime.reference in html
    assert '<a href="tel:08081689111">0808 16 89 111</a>' in html  # Victim Support
    assert '<a href="tel:116123">116 123</a>' in html  # Samaritans
    assert '<a href="tel:999">999</a>' in html


def test_a_used_code_gets_its_own_message_on_the_page(victim):
    code = code_sent_to(victim)
    assert portal_sign_in(Client(), victim.crime.reference, code).status_code == 302
    again = portal_sign_in(Client(), victim.crime.reference, code)
    assert again.status_code == 400
    html = again.content.decode()
    assert "That code has already been used" in html
    assert 'href="/track/new-code/"' in html
    wrong = portal_sign_in(Client(), victim.crime.reference, "ABCD-EFGH-JKMN").content.decode()
    assert "already been used" not in wrong
    assert "is not right" in wrong
