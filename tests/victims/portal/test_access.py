"""Access codes (hashed, one-time, voided when replaced), safe contact, the second check and an
officer clearing the wrong tries on a reference. The waits themselves: test_limits.py; the codes
in the outbox: test_secrets.py."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from bluelamp.duties.models import DomainEvent
from bluelamp.notify.models import Message
from bluelamp.victims.portal import access, signing_in
from bluelamp.victims.portal.models import AccessCode, ReferenceLock

from .conftest import code_sent_to, phone_code_sent

DOB = dt.date(1980, 5, 4)


def test_opening_a_victim_record_sends_the_reference_and_a_code_stored_only_hashed(victim):
    message = Message.objects.get(template="portal-access-code")
    assert message.to == victim.email
    assert message.personalisation["crime_reference"] == victim.crime.reference
    code = code_sent_to(victim)
    stored = AccessCode.objects.get(victim_record=victim)
    assert stored.sent_by == "email"
    assert code not in stored.code_hash
    assert access.normalise_code(code) not in stored.code_hash
    assert stored.code_hash.startswith(("argon2", "md5", "pbkdf2"))  # a salted hash
    assert len(stored.code_tag) == 8  # a 32-bit tag finds the code; it cannot identify it
    assert access.normalise_code(code) not in stored.code_tag
    event = DomainEvent.objects.get(type="victim.portal_code_issued")
    assert code not in str(event.payload)


def test_a_code_opens_the_portal_once(victim):
    code = code_sent_to(victim)
    first = signing_in.sign_in(reference=victim.crime.reference, code=code, date_of_birth=DOB)
    assert first.victim_record == victim
    assert AccessCode.objects.get(victim_record=victim).used_at is not None
    again = signing_in.sign_in(reference=victim.crime.reference, code=code, date_of_birth=DOB)
    assert again.victim_record is None
    assert again.error == signing_in.ALREADY_USED  # the victim, back with the code they used


def test_a_used_code_is_named_only_to_whoever_also_knows_the_date_of_birth(victim):
    code = code_sent_to(victim)
    reference = victim.crime.reference
    assert signing_in.sign_in(reference=reference, code=code, date_of_birth=DOB).victim_record
    lock = ReferenceLock.objects.get(crime=victim.crime)
    before = lock.failures
    wrong_birthday = signing_in.sign_in(
        reference=reference, code=code, date_of_birth=dt.date(1990, 1, 1)
    )
    assert wrong_birthday.error == signing_in.NOT_RIGHT
    no_birthday = signing_in.sign_in(reference=reference, code=code, date_of_birth=None)
    assert no_birthday.error == signing_in.NOT_RIGHT
    guessed = signing_in.sign_in(reference=reference, code="ABCD-EFGH-JKMN", date_of_birth=DOB)
    assert guessed.error == signing_in.NOT_RIGHT  # a guess never hears "used"
    used = signing_in.sign_in(reference=reference, code=code, date_of_birth=DOB)
    assert used.error == signing_in.ALREADY_USED
    lock.refresh_from_db()
    assert lock.failures == before + 4  # each counts as a wrong try: the same back-off


def test_codes_are_accepted_however_the_victim_types_them(victim):
    typed = code_sent_to(victim).replace("-", " ").lower()
    result = signing_in.sign_in(
        reference=victim.crime.reference.lower(), code=typed, date_of_birth=DOB
    )
    assert result.victim_record == victim


def test_a_new_code_voids_the_old_one(victim, investigator):
    old = code_sent_to(victim)
    issued = access.issue_code(actor=investigator, victim_record=victim)
    assert issued.message.to == victim.email
    refused = signing_in.sign_in(reference=victim.crime.reference, code=old, date_of_birth=DOB)
    assert refused.victim_record is None
    accepted = signing_in.sign_in(
        reference=victim.crime.reference, code=issued.code, date_of_birth=DOB
    )
    assert accepted.victim_record == victim


def test_an_expired_code_is_refused(victim, settings):
    code = code_sent_to(victim)
    later = timezone.now() + dt.timedelta(days=settings.BLUELAMP_PORTAL_CODE_VALID_DAYS, hours=1)
    with time_machine.travel(later, tick=False):
        result = signing_in.sign_in(reference=victim.crime.reference, code=code, date_of_birth=DOB)
    assert result.victim_record is None


@pytest.mark.parametrize(
    "preferences",
    [
        {"do_not_contact": True},
        {"safe_to_write": False},  # domain.md 1.4 safe-contact
        {"channel": "phone", "phone": "01772 123456"},
        {"email": "not an address"},
    ],
)
def test_no_code_is_written_to_a_victim_it_could_endanger_or_cannot_reach(
    crime_event, make_victim, investigator, preferences
):
    record = make_victim(crime_event, **preferences)
    assert not Message.objects.exists()
    assert not AccessCode.objects.filter(victim_record=record).exists()
    with pytest.raises(access.ValidationError) as error:
        access.issue_code(actor=investigator, victim_record=record)
    assert "in person" in error.value.message_dict["how"][0]
    issued = access.issue_code(actor=investigator, victim_record=record, in_person=True)
    assert issued.message is None
    assert not Message.objects.exists()
    result = signing_in.sign_in(
        reference=crime_event.reference, code=issued.code, date_of_birth=DOB
    )
    assert result.victim_record == record


def test_a_victim_who_chose_text_messages_gets_the_code_by_sms(crime_event, make_victim):
    record = make_victim(crime_event, channel="sms", phone="07700 900123", email="")
    message = Message.objects.get(template="portal-access-code-sms")
    assert message.to == "+447700900123"
    assert (
        signing_in.sign_in(
            reference=crime_event.reference, code=code_sent_to(record), date_of_birth=DOB
        ).victim_record
        == record
    )
    assert AccessCode.objects.get(victim_record=record).sent_by == "sms"


def test_the_second_check_is_the_victims_date_of_birth(victim):
    code = code_sent_to(victim)
    wrong = signing_in.sign_in(
        reference=victim.crime.reference, code=code, date_of_birth=dt.date(1980, 4, 5)
    )
    assert wrong.victim_record is None
    missing = signing_in.sign_in(reference=victim.crime.reference, code=code, date_of_birth=None)
    assert missing.victim_record is None
    # A mistyped birthday does not spend the code, but it counts towards the lock.
    assert AccessCode.objects.get(victim_record=victim).used_at is None
    assert ReferenceLock.objects.get(crime=victim.crime).failures == 2
    right = signing_in.sign_in(reference=victim.crime.reference, code=code, date_of_birth=DOB)
    assert right.victim_record == victim
    assert ReferenceLock.objects.get(crime=victim.crime).failures == 0


def test_no_date_of_birth_and_no_safe_mobile_means_no_online_sign_in(crime_event, make_victim):
    record = make_victim(crime_event, dob=None)
    code = code_sent_to(record)
    result = signing_in.sign_in(reference=crime_event.reference, code=code, date_of_birth=DOB)
    assert result.victim_record is None
    assert result.phone_check is None
    assert result.error == signing_in.NO_SECOND_CHECK
    assert not Message.objects.filter(template="portal-sign-in-code-sms").exists()


def test_with_no_date_of_birth_the_second_check_is_a_code_texted_to_the_mobile(
    crime_event, make_victim
):
    record = make_victim(crime_event, dob=None, phone="07700 900321")
    code = code_sent_to(record)
    first = signing_in.sign_in(reference=crime_event.reference, code=code, date_of_birth=None)
    assert first.victim_record is None
    assert first.phone_check.victim_record == record
    sms = Message.objects.get(template="portal-sign-in-code-sms")
    assert sms.to == "+447700900321"
    six = phone_code_sent()
    assert len(six) == 6
    assert six not in AccessCode.objects.get(victim_record=record).phone_check_hash
    wrong = "000000" if six != "000000" else "111111"
    refused = signing_in.confirm_phone_check(access_code_id=first.phone_check.pk, phone_code=wrong)
    assert refused.victim_record is None
    assert ReferenceLock.objects.get(crime=crime_event).failures == 1
    accepted = signing_in.confirm_phone_check(access_code_id=first.phone_check.pk, phone_code=six)
    assert accepted.victim_record == record
    again = signing_in.confirm_phone_check(access_code_id=first.phone_check.pk, phone_code=six)
    assert again.victim_record is None  # the access code is spent


def test_a_texted_code_expires(crime_event, make_victim, settings):
    record = make_victim(crime_event, dob=None, phone="07700900321")
    first = signing_in.sign_in(
        reference=crime_event.reference, code=code_sent_to(record), date_of_birth=None
    )
    later = timezone.now() + dt.timedelta(minutes=settings.BLUELAMP_PORTAL_PHONE_CODE_MINUTES + 1)
    with time_machine.travel(later, tick=False):
        result = signing_in.confirm_phone_check(
            access_code_id=first.phone_check.pk, phone_code=phone_code_sent()
        )
    assert result.victim_record is None


def test_no_sign_in_code_is_texted_to_a_victim_it_could_endanger(crime_event, make_victim):
    record = make_victim(crime_event, dob=None, phone="07700900321", safe_to_write=False)
    issued = access.issue_code(actor=None, victim_record=record, in_person=True)
    result = signing_in.sign_in(
        reference=crime_event.reference, code=issued.code, date_of_birth=None
    )
    assert result.error == signing_in.NO_SECOND_CHECK
    assert not Message.objects.filter(template="portal-sign-in-code-sms").exists()


def test_an_officer_unlocks_a_locked_reference(victim, investigator):
    code = code_sent_to(victim)
    for attempt in range(10):
        signing_in.sign_in(
            reference=victim.crime.reference, code=f"BAD{attempt}", date_of_birth=DOB
        )
    assert signing_in.locked_until(victim.crime) is not None
    signing_in.unlock(actor=investigator, crime=victim.crime)
    assert signing_in.locked_until(victim.crime) is None
    assert DomainEvent.objects.filter(type="victim.portal_unlocked").count() == 1
    assert signing_in.sign_in(
        reference=victim.crime.reference, code=code, date_of_birth=DOB
    ).victim_record
    with pytest.raises(access.ValidationError) as error:
        signing_in.unlock(actor=investigator, crime=victim.crime)
    assert "crime" in error.value.message_dict


def test_an_unknown_reference_is_refused_with_the_same_words(db):
    result = signing_in.sign_in(reference="LC-20000101-99999", code="ABCD", date_of_birth=DOB)
    assert result.victim_record is None
    assert result.error == signing_in.NOT_RIGHT


def test_a_new_code_is_sent_only_to_the_victims_own_channel(victim, settings):
    first = code_sent_to(victim)
    reference = victim.crime.reference
    assert not signing_in.request_new_code(reference=reference, date_of_birth=DOB)  # too soon
    later = timezone.now() + dt.timedelta(minutes=settings.BLUELAMP_PORTAL_NEW_CODE_MINUTES + 1)
    with time_machine.travel(later, tick=False):
        assert signing_in.request_new_code(reference=reference, date_of_birth=DOB)
        assert not signing_in.request_new_code(reference=reference, date_of_birth=DOB)
    second = code_sent_to(victim)
    assert second != first
    assert Message.objects.filter(template="portal-access-code").count() == 2
    assert not signing_in.request_new_code(
        reference=victim.crime.reference, date_of_birth=dt.date(1990, 1, 1)
    )
    assert ReferenceLock.objects.get(crime=victim.crime).failures == 1
    assert Message.objects.filter(template="portal-access-code").count() == 2


def test_a_victim_recorded_before_their_email_gets_a_code_once_the_needs_assessment_has_it(
    crime_event, make_victim, investigator
):
    from bluelamp.victims import services as victims

    record = make_victim(crime_event, email="")
    assert not AccessCode.objects.filter(victim_record=record).exists()
    victims.record_needs_assessment(
        actor=investigator, victim=record, channel="email", email="late@example.org"
    )
    assert Message.objects.get(template="portal-access-code").to == "late@example.org"
    victims.record_needs_assessment(
        actor=investigator, victim=record, channel="email", email="late@example.org"
    )
    assert AccessCode.objects.filter(victim_record=record).count() == 1
