"""The portal's secrets (issue 14): with read access to the whole database - the outbox, the codes'
hashes, the victim's date of birth - nobody can sign in as a victim. The outbox holds a code
only as a seed that needs the server's key, and not even that once the message is sent."""

import datetime as dt
import json
import re

from django.conf import settings as django_settings
from django.db import connection

from bluelamp.notify.models import Message, Status
from bluelamp.notify.secrets import REMOVED
from bluelamp.notify.worker import deliver_due
from bluelamp.victims.portal import access, signing_in
from bluelamp.victims.portal.models import AccessCode

from .conftest import code_sent_to, phone_code_sent

DOB = dt.date(1980, 5, 4)
CODE = re.compile(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}\b")


def everything_a_database_reader_sees() -> str:
    """Every row of the outbox and of the portal's codes, as text."""
    rows = [
        *Message.objects.values(),
        *AccessCode.objects.values(),
    ]
    return json.dumps(rows, default=str)


def test_the_emailed_code_is_nowhere_in_the_database_before_or_after_sending(victim, smtp):
    code = code_sent_to(victim)
    for form in (code, access.normalise_code(code)):
        assert form not in everything_a_database_reader_sees()
    assert deliver_due(worker_id="test") == 1
    (email,) = [m for m in smtp.received if "code for Track my crime" in m["Subject"]]
    assert CODE.search(email.get_payload())[0] == code
    message = Message.objects.get(template="portal-access-code")
    assert message.status == Status.SENT
    assert message.personalisation["code"] == REMOVED  # not even the seed is kept
    assert "one_time_secret" not in everything_a_database_reader_sees()
    for form in (code, access.normalise_code(code)):
        assert form not in everything_a_database_reader_sees()
    # The victim, who has the email, signs in with it.
    result = signing_in.sign_in(reference=victim.crime.reference, code=code, date_of_birth=DOB)
    assert result.victim_record == victim


def test_the_texted_sign_in_code_is_kept_the_same_way(crime_event, make_victim, settings, tmp_path):
    settings.BLUELAMP_SMS_FILE = str(tmp_path / "sms.jsonl")
    record = make_victim(crime_event, dob=None, phone="07700900321", channel="sms", email="")
    first = signing_in.sign_in(
        reference=crime_event.reference, code=code_sent_to(record), date_of_birth=None
    )
    six = phone_code_sent()
    assert not re.search(rf"\b{six}\b", everything_a_database_reader_sees())
    deliver_due(worker_id="test")
    texts = [json.loads(line) for line in (tmp_path / "sms.jsonl").read_text().splitlines()]
    assert any(six in text["body"] for text in texts)
    sent = Message.objects.get(template="portal-sign-in-code-sms")
    assert sent.personalisation == {"code": REMOVED}
    accepted = signing_in.confirm_phone_check(access_code_id=first.phone_check.pk, phone_code=six)
    assert accepted.victim_record == record


def test_the_raw_tables_hold_no_code_either(victim):
    """Read as a database user would, below the models: the personalisation column as stored."""
    code = access.normalise_code(code_sent_to(victim))
    table = Message._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT personalisation FROM {table}")  # noqa: S608 - our own table name
        stored = " ".join(str(row[0]) for row in cursor.fetchall())
    assert "crime_reference" in stored
    assert code not in stored.replace("-", "")
    assert django_settings.SECRET_KEY not in stored
