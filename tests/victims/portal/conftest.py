"""A recorded crime with a suspect and a witness, victims opened on it, and a portal client.

Victims are opened as the victims/ feature will open them: a VictimRecord row, then
``victim.recorded`` emitted in the same transaction (docs/events.md). The crime is recorded
without victims in ``record_crime`` so that, once victims/ opens records itself on
``crime.recorded``, these tests still make exactly one record per victim."""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from bluelamp.accounts.roles import Role
from bluelamp.core import persons
from bluelamp.crime import recording
from bluelamp.duties.services import emit
from bluelamp.notify.models import Message
from bluelamp.notify.worker import rendered
from bluelamp.victims.models import VictimRecord

from ...support import SmtpServer

SUSPECT_NAME = ("Sebastian", "Zuckerwald")
WITNESS_NAME = ("Wilhelmina", "Quorndon")
INTERNAL_SUMMARY = "Burglary; suspect Zuckerwald seen by Quorndon; informant says"


def open_victim(*, actor, crime_event, person, **preferences) -> VictimRecord:
    with transaction.atomic():
        record = VictimRecord.objects.create(
            crime=crime_event, person=person, opened_at=timezone.now(), **preferences
        )
        emit(
            "victim.recorded",
            subject=record,
            actor=actor,
            payload={"crime": crime_event.pk, "person": person.pk, "enhanced": False},
        )
    return record


def code_sent_to(record: VictimRecord) -> str:
    """The code in the newest access-code message queued for this victim, as the worker will
    send it (the outbox itself never holds the code)."""
    message = (
        Message.objects.filter(template__startswith="portal-access-code", about_id=record.pk)
        .order_by("-id")
        .first()
    )
    assert message is not None, "no access code was queued"
    return re.search(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}\b", rendered(message)[1])[0]


def phone_code_sent() -> str:
    """The six-digit code in the newest sign-in text message, as the worker will send it."""
    message = Message.objects.filter(template="portal-sign-in-code-sms").latest("id")
    return re.search(r"\b\d{6}\b", rendered(message)[1])[0]


@pytest.fixture
def investigator(make_user):
    return make_user(Role.INVESTIGATOR, unit="west-cid")


@pytest.fixture
def make_crime(units, investigator):
    def make(summary: str = INTERNAL_SUMMARY):
        suspect = persons.create_person(
            actor=investigator, given_names=SUSPECT_NAME[0], family_name=SUSPECT_NAME[1]
        )
        witness = persons.create_person(
            actor=investigator, given_names=WITNESS_NAME[0], family_name=WITNESS_NAME[1]
        )
        recorded = recording.record_crime(
            actor=investigator,
            summary=summary,
            owning_unit=units["west-cid"],
            offence_code="28E",
            suspects=[suspect],
            witnesses=[witness],
        )
        event = recorded.event
        event.officer_in_case = investigator
        event.save(update_fields=["officer_in_case"])
        return event

    return make


@pytest.fixture
def crime_event(make_crime):
    return make_crime()


@pytest.fixture
def make_victim(investigator):
    counter = {"n": 0}

    def make(crime_event, *, dob=(1980, 5, 4), **preferences):
        counter["n"] += 1
        person = persons.create_person(
            actor=investigator,
            given_names="Vera",
            family_name=f"Victim{counter['n']}",
            dob_year=dob[0] if dob else None,
            dob_month=dob[1] if dob else None,
            dob_day=dob[2] if dob else None,
        )
        preferences.setdefault("email", f"vera{counter['n']}@example.org")
        return open_victim(
            actor=investigator, crime_event=crime_event, person=person, **preferences
        )

    return make


@pytest.fixture
def victim(crime_event, make_victim):
    return make_victim(crime_event)


def portal_sign_in(client: Client, reference: str, code: str, dob=(1980, 5, 4), **extra):
    return client.post(
        "/track/",
        {
            "reference": reference,
            "code": code,
            "dob_day": dob[2],
            "dob_month": dob[1],
            "dob_year": dob[0],
        },
        **extra,
    )


@pytest.fixture
def smtp(db, settings):
    server = SmtpServer()
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    yield server
    server.stop()
