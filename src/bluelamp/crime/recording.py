"""The crime-recording decision on an incident (a crime, not a crime, an N100 record for a
reported rape, a fraud referred to Action Fraud), recording a crime and adding its parties. Each
service writes its record, its history, its audit event and its domain event in one transaction,
so the duties these open or discharge (crime/policies.py) are never out of step."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import get_visible, require, require_unit
from bluelamp.audit import services as audit
from bluelamp.core import events, links
from bluelamp.core import validation as v
from bluelamp.core.choices import EventKind, EventRole
from bluelamp.core.models import Event, Location, Person, PoleObject
from bluelamp.core.transactions import service
from bluelamp.core.writes import written
from bluelamp.db import insert_rows, save_new
from bluelamp.duties.services import emit
from bluelamp.reference import offences

from .classification import check_offence_code
from .models import (
    ActionFraudReferral,
    Classification,
    Crime,
    Decision,
    IncidentReport,
    N100Record,
    QACheck,
    RecordingDecision,
)
from .rules import CRIME_FLAGS


def _may_be_rape(incident: Event) -> bool:
    return IncidentReport.objects.filter(incident=incident, may_be_rape=True).exists()


RAPE_MESSAGE = (
    "This report may be of a rape or attempted rape: it leaves recording only as a crime under "
    "a rape code ({codes}) or as an N100 record (Home Office Counting Rules, N100)."
)


def _rape_message() -> str:
    codes = sorted(offences.rape_codes())
    return RAPE_MESSAGE.format(codes=f"{codes[0]}-{codes[-1]}" if codes else "none")


@transaction.atomic
def record_recording_decision(
    *,
    actor: User,
    incident: Event,
    decision: str,
    reason: str,
    crime_summary: str = "",
    offence_code: str = "",
    action_fraud_reference: str = "",
    referred_on: dt.date | None = None,
    rape_reported: bool | None = None,
    flags: list[str] | tuple = (),
) -> RecordingDecision:
    """Records whether the incident is a crime (and if so records the crime through
    ``record_crime``), an N100 for a reported rape not recorded as a confirmed rape, or a fraud
    referred to Action Fraud. Discharges the NCRS duty; a second decision is refused."""
    require(actor, "crime.record_decision")
    incident = get_visible(Event.objects.select_for_update(), actor, incident.pk)
    require_unit(actor, incident.owning_unit)
    if incident.kind != EventKind.INCIDENT:
        raise ValidationError({"incident": "A recording decision is made on an incident."})
    if RecordingDecision.objects.filter(incident=incident).exists():
        raise ValidationError({"decision": "This incident already has a recording decision."})
    if decision not in Decision.values:
        raise ValidationError({"decision": f"Choose one of: {', '.join(Decision.values)}."})
    reason = v.clean_text(reason, field="reason", max_length=1000, required=True)
    offence = None
    if offence_code or decision in (Decision.CRIMED, Decision.N100):
        # A fraud referral is not a crime: its code (optional, as Action Fraud classifies it) may
        # be one kept for outcomes only (domain.md 4.1-4.2).
        offence = check_offence_code(
            offence_code,
            fraud_ok=decision != Decision.CRIMED,
            outcomes_only_ok=decision == Decision.FRAUD,
        )
    # domain.md 4.3 N100: whether the report may be of a rape is always asked, never inferred
    # from a missing offence code: marked when reported or found later, stated with a "not a
    # crime" decision, or implied by a rape code.
    if decision == Decision.NO_CRIME and offence is None and rape_reported is None:
        raise ValidationError(
            {
                "rape_reported": "Say whether the report was of a rape or attempted rape "
                "(Home Office Counting Rules, N100)."
            }
        )
    may_be_rape = bool(rape_reported) or _may_be_rape(incident) or bool(offence and offence.is_rape)
    if may_be_rape and decision == Decision.NO_CRIME:
        raise ValidationError(
            {
                "decision": "A reported rape or attempted rape not recorded as a confirmed rape is "
                "recorded as an N100 (Home Office Counting Rules), not as 'not a crime'."
            }
        )
    if may_be_rape and decision == Decision.CRIMED and not offence.is_rape:
        raise ValidationError({"offence_code": _rape_message()})
    if may_be_rape and decision == Decision.FRAUD:
        raise ValidationError({"decision": _rape_message()})
    if decision == Decision.N100 and not offence.is_rape:
        raise ValidationError(
            {"offence_code": "N100 is for a reported rape or attempted rape: " + _rape_message()}
        )
    if decision == Decision.FRAUD and offence is not None and not offence.is_fraud:
        raise ValidationError(
            {"offence_code": f"{offence} is not a fraud offence: record it as a crime."}
        )
    if decision == Decision.CRIMED:
        # Recording the crime is the decision: record_crime writes it (and emits the event that
        # discharges the NCRS duty) in this same transaction.
        record_crime(
            actor=actor,
            summary=v.clean_text(
                crime_summary or incident.summary,
                field="crime_summary",
                max_length=300,
                required=True,
            ),
            owning_unit=incident.owning_unit,
            offence_code=offence.code,
            incident=incident,
            occurred_from=incident.occurred_from,
            occurred_to=incident.occurred_to,
            location=incident.location,
            decision_reason=reason,
            flags=flags,
        )
        return RecordingDecision.objects.get(incident=incident)
    now = timezone.now()
    if decision == Decision.FRAUD:
        reference = v.clean_text(
            action_fraud_reference, field="action_fraud_reference", max_length=40, required=True
        )
        referred_on = (
            v.check_day(
                referred_on,
                field="referred_on",
                not_before=v.record_day(incident.reported_at),
                not_before_what="the incident was reported",
            )
            or timezone.localdate()
        )
        ActionFraudReferral.objects.create(
            incident=incident,
            offence_code=offence.code if offence else "",
            reference=reference,
            referred_on=referred_on,
            referred_by=actor,
            recorded_at=now,
        )
    if decision == Decision.N100:
        N100Record.objects.create(
            incident=incident,
            offence_code=offence.code,
            reason=reason,
            recorded_by=actor,
            recorded_at=now,
        )
    return _write_decision(actor, incident, decision, offence.code if offence else "", reason)


def _write_decision(
    actor: User, incident: Event, decision: str, offence_code: str, reason: str, crime=None
) -> RecordingDecision:
    recorded = RecordingDecision.objects.create(
        incident=incident,
        decision=decision,
        offence_code=offence_code,
        reason=reason,
        crime=crime,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    written(
        recorded,
        actor=actor,
        action="change",
        before={},
        summary=f"Recording decision: {recorded.get_decision_display()}",
        subject=incident,
        detail={"decision": decision},
        event="crime.recording_decision_made",
        payload={"decision": decision, "crime": crime.pk if crime else None},
    )
    return recorded


PARTY_ROLES = (EventRole.VICTIM, EventRole.SUSPECT, EventRole.WITNESS)


def check_flags(flags) -> list[str]:
    """The crime flags as a sorted list of rules.CRIME_FLAGS codes, or an error naming them."""
    flags = list(flags or [])
    wrong = [str(f)[:40] for f in flags if f not in CRIME_FLAGS]
    if wrong:
        raise ValidationError(
            {"flags": f"Not a crime flag: {', '.join(wrong)}. Use: {', '.join(CRIME_FLAGS)}."}
        )
    return sorted(set(flags))


@service
@audit.deferred()  # the chain's lock only from the audit insert to commit (bench/crime_load.py)
def record_crime(
    *,
    actor: User,
    summary: str,
    owning_unit,
    offence_code: str = "",
    incident: Event | None = None,
    victims: tuple[Person, ...] | list[Person] = (),
    suspects: tuple[Person, ...] | list[Person] = (),
    witnesses: tuple[Person, ...] | list[Person] = (),
    reported_at: dt.datetime | None = None,
    occurred_from: dt.datetime | None = None,
    occurred_to: dt.datetime | None = None,
    location: Location | None = None,
    modus_operandi: str = "",
    objects: tuple[tuple[PoleObject, str], ...] | list[tuple[PoleObject, str]] = (),
    decision_reason: str = "",
    flags: list[str] | tuple = (),
    victim_channels: dict[int, str] | None = None,
) -> Crime:
    """Records a crime with its victims, suspects and witnesses (and property, each object with
    its role: stolen, damaged, ...), and emits ``crime.recorded`` (docs/events.md) in the same
    transaction, so every duty owed (the victim's referral, the QA check) opens with the record.
    The offence code must be a current Home Office code (domain.md 4.2) and not fraud
    (domain.md 4.1). ``flags`` are the HOCR crime flags (rules.CRIME_FLAGS: domestic abuse, hate
    crime) that give its victims enhanced rights (domain.md 1.3). ``victim_channels`` is how
    each victim (by person id) said they would like to hear from us, for their contact plan."""
    require(actor, "crime.record")
    offence = check_offence_code(offence_code)
    flags = check_flags(flags)
    modus_operandi = v.clean_text(modus_operandi, field="modus_operandi", max_length=4000)
    if incident is not None:
        incident = get_visible(Event.objects.select_for_update(), actor, incident.pk)
        require_unit(actor, incident.owning_unit)  # its recording decision is written there
        if incident.kind != EventKind.INCIDENT:
            raise ValidationError({"incident": "A crime is recorded from an incident."})
        if (
            not offence.is_rape
            and _may_be_rape(incident)
            and not RecordingDecision.objects.filter(incident=incident).exists()
        ):
            # The first crime from a possible rape report is its recording decision: it must
            # be a confirmed rape, or an N100 record comes first (domain.md 4.3).
            raise ValidationError({"offence_code": _rape_message()})
    event = events.record_event(
        actor=actor,
        kind=EventKind.CRIME,
        summary=summary,
        owning_unit=owning_unit,
        reported_at=reported_at or (incident.reported_at if incident else None),
        occurred_from=occurred_from,
        occurred_to=occurred_to,
        location=location,
    )
    now = timezone.now()
    (crime,) = save_new(
        [
            Crime(
                event=event,
                incident=incident,
                offence_code=offence.code,
                flags=flags,
                modus_operandi=modus_operandi,
                recorded_by=actor,
                recorded_at=now,
            )
        ]
    )
    # The first step of the classification history: what it was recorded as (HOCR section B).
    # New, and nothing here refers to it by id: one plain insert.
    insert_rows(
        [
            Classification(
                crime=crime,
                to_code=offence.code,
                reason="Recorded",
                classified_by=actor,
                classified_at=now,
            )
        ]
    )
    # Issue 5: every new crime enters the QA queue (crime-qa-check duty, opened by the event).
    save_new([QACheck(crime=crime, submitted_at=now)])  # crime.qa_check: with its id
    parties = {EventRole.VICTIM: victims, EventRole.SUSPECT: suspects, EventRole.WITNESS: witnesses}
    links.link_people_to_event(
        actor=actor,
        event=event,
        people=[(person, role) for role, people in parties.items() for person in people],
        event_just_recorded=True,
    )
    for obj, role in objects:
        links.link_object_to_event(actor=actor, obj=obj, event=event, role=role)
    if incident is not None and not RecordingDecision.objects.filter(incident=incident).exists():
        # NCRS: recording a crime from an incident is its recording decision (discharges the
        # 24-hour duty); later crimes from the same incident (one per victim) add none.
        _write_decision(
            actor,
            incident,
            Decision.CRIMED,
            offence.code,
            decision_reason or f"Crime {event.reference} recorded",
            crime=event,
        )
    emit(
        "crime.recorded",
        subject=event,
        actor=actor,
        payload={
            "crime": crime.pk,
            "incident": incident.pk if incident else None,
            "offence_code": crime.offence_code,
            "flags": flags,
            "victims": [p.pk for p in victims],
            "suspects": [p.pk for p in suspects],
            "witnesses": [p.pk for p in witnesses],
            **({"victim_channels": sorted(victim_channels.items())} if victim_channels else {}),
        },
        in_hand=[*victims, *suspects, *witnesses],
    )
    return crime


@transaction.atomic
def add_party(*, actor: User, crime: Event, person: Person, role: str) -> None:
    """Adds a victim, suspect or witness to a recorded crime; emits ``crime.party_added``."""
    require(actor, "crime.record")
    crime = get_visible(Event.objects.select_for_update(), actor, crime.pk)
    require_unit(actor, crime.owning_unit)
    if crime.kind != EventKind.CRIME:
        raise ValidationError({"crime": "People are added as parties to a crime."})
    if role not in PARTY_ROLES:
        raise ValidationError({"role": f"Choose one of: {', '.join(PARTY_ROLES)}."})
    links.link_person_to_event(actor=actor, person=person, event=crime, role=role)
    emit(
        "crime.party_added", subject=crime, actor=actor, payload={"person": person.pk, "role": role}
    )
