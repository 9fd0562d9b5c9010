"""Keeping victims' records in step with crime/, inside the crime's own transaction: a victim's
record (and so the referral duty) opens the moment the crime or the victim is recorded, and each
step in the case that a victim must be told about opens a duty for every victim of that crime
(domain.md 1.4), through one ``victim.update_due`` per victim."""

from __future__ import annotations

from django.db.models import prefetch_related_objects

from bluelamp.accounts.models import User
from bluelamp.core.models import Person
from bluelamp.duties.registry import reacts_to
from bluelamp.duties.services import duties_for, emit, held

from . import policies, services
from .models import VictimRecord


def _actor(event) -> User | None:
    in_hand = getattr(event, "actor_user", None)  # set by duties.services.emit
    if in_hand is not None and in_hand.pk == event.actor_id:
        return in_hand
    return User.objects.filter(pk=event.actor_id).first() if event.actor_id else None


@reacts_to("crime.recorded")
def open_records_for_victims(event, crime) -> None:
    actor = _actor(event)
    ids = list(dict.fromkeys(event.payload.get("victims") or []))
    victims = {pk: held(event, Person, pk) for pk in ids}
    victims.update(
        (p.pk, p) for p in Person.objects.filter(pk__in=[pk for pk in ids if not victims[pk]])
    )
    people = [victims[pk] for pk in ids if victims[pk] is not None]
    # Named in history and audit: one query for the names of all who lack them in hand.
    prefetch_related_objects(people, "names")
    # How each victim said they would like to hear from us, when the officer asked.
    channels = {pk: channel for pk, channel in event.payload.get("victim_channels") or []}
    for person in people:
        services.open_victim_record(
            actor=actor,
            crime=crime,
            person=person,
            flags=event.payload.get("flags") or [],
            crime_just_recorded=True,  # in this transaction: no victim record can exist yet
            channel=channels.get(person.pk, ""),
        )


@reacts_to("crime.party_added")
def open_record_for_added_victim(event, crime) -> None:
    if event.payload.get("role") != "victim":
        return
    person = Person.objects.get(pk=event.payload["person"])
    services.open_victim_record(actor=_actor(event), crime=crime, person=person)


@reacts_to("crime.reclassified")
def reassess_after_reclassification(event, crime) -> None:
    actor = _actor(event)
    for victim in VictimRecord.objects.filter(crime=crime):
        services.reassess_entitlement(actor=actor, victim=victim)


def reasons_for(event) -> list[str]:
    """Which rules.TIME_LIMITS rows a crime event starts (docs/events.md payloads)."""
    payload = event.payload
    match event.type:
        case "crime.not_investigated":
            return ["not_investigated"]
        case "crime.suspect_arrested":
            return ["arrest"]
        case "crime.suspect_interviewed":
            return ["interview"]
        case "crime.suspect_released":
            reasons = ["released_no_charge"] if payload.get("how") == "nfa" else ["bail_rui"]
            if payload.get("how") == "nfa" and payload.get("bail_conditions_changed"):
                reasons.append("bail_rui")
            return reasons
        case "crime.suspect_charged":
            # The VPS is offered when the victim's witness statement is taken, not at charge
            # (domain.md 1.5; offer_vps_after_statement below).
            return ["charge"]
        case "crime.outcome_recorded":
            # Outcome 0 is "not yet assigned" (domain.md 5): nothing to tell.
            return [] if str(payload.get("outcome", "0")) == "0" else ["outcome"]
    return []


def _open_updates_for_each_victim(event, crime) -> None:
    actor = _actor(event)
    for reason in reasons_for(event):
        for victim in VictimRecord.objects.filter(crime=crime):
            if victim.do_not_contact:
                continue  # the victim asked not to be told (recorded at the needs assessment)
            emit(
                "victim.update_due",
                subject=victim,
                actor=actor,
                payload={"reason": reason, "enhanced": victim.enhanced, "because": event.type},
                at=event.occurred_at,
            )


@reacts_to("crime.victim_statement_taken")
def offer_vps_after_statement(event, crime) -> None:
    """Right 7 (domain.md 1.5 [S8]): the police offer a Victim Personal Statement, usually
    after the witness statement: the victim whose statement was taken is owed the offer."""
    actor = _actor(event)
    victim = VictimRecord.objects.filter(crime=crime, person_id=event.payload.get("person")).first()
    if victim is None or victim.do_not_contact:
        return
    if duties_for(victim).filter(policy=policies.policy_name("vps_offer")).exists():
        return  # offered already (a later statement adds to the VPS at any time before sentence)
    emit(
        "victim.update_due",
        subject=victim,
        actor=actor,
        payload={"reason": "vps_offer", "enhanced": victim.enhanced, "because": event.type},
        at=event.occurred_at,
    )


for _type in (
    "crime.not_investigated",
    "crime.suspect_arrested",
    "crime.suspect_interviewed",
    "crime.suspect_released",
    "crime.suspect_charged",
    "crime.outcome_recorded",
):
    reacts_to(_type)(_open_updates_for_each_victim)
