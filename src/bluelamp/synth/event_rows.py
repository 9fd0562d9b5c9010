"""The synthetic force's events (generate.py's fast bulk path): incidents, crimes, ASB and missing
episodes over the years, with the crime-type mix, the monthly rhythm and the heavy tails of the
police.uk data, and the recording decisions, duties, links and history the services would write."""

from __future__ import annotations

import datetime as dt
import itertools
import random

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from bluelamp.core.choices import (
    EventKind,
    EventRole,
    EventStatus,
    Relationship,
)
from bluelamp.core.models import (
    Event,
    Person,
    PersonEventLink,
    PersonRelationship,
    RecordChange,
    ReferenceCounter,
)
from bluelamp.crime.models import Decision, IncidentReport, RecordingDecision
from bluelamp.crime.policies import NCRS_RECORDING_DECISION
from bluelamp.duties.models import Duty, Outcome

from .bulk import BATCH

# Lancashire 2023 (issue 3, from the force's published figures): about 540,000 incidents created
# for a population of about 1,500,000 in a year. Crime and ASB rates come from the police.uk data.
INCIDENTS_PER_PERSON_YEAR = 540_000 / 1_500_000
PARETO_SHAPE = 1.2
DOMESTIC_SHARE = 0.3  # of violence and sexual offences: domestic abuse
SUSPECT_SHARE = 0.45
MISSING_SHARE = 0.02  # of non-crime incidents: missing person episodes
LATE_DECISION_SHARE = 0.05  # an assumption for the demo: about one recording decision in 20


def _pareto_weights(rng: random.Random, n: int) -> list[float]:
    """Cumulative Pareto weights for n items, for ``rng.choices(..., cum_weights=...)``, which
    then picks in O(log n) (plain weights would be summed again on every pick)."""
    return list(itertools.accumulate(rng.paretovariate(PARETO_SHAPE) for _ in range(n)))


def _month_weights(profile: dict) -> list[float]:
    """Weight of each calendar month: the observed months as counted, the others at the mean of
    the observed (the public extract covers four winter months)."""
    observed = {int(k[5:7]): v for k, v in profile["months"].items()}
    mean = sum(observed.values()) / len(observed)
    return [observed.get(month, mean) for month in range(1, 13)]


def _random_moment(rng: random.Random, start: dt.date, days: int, months: list[float]):
    while True:
        day = start + dt.timedelta(days=rng.randrange(days))
        if rng.random() * max(months) <= months[day.month - 1]:
            break
    seconds = rng.randrange(24 * 3600)
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC) + dt.timedelta(seconds=seconds)


class EventRows:
    """Events for ForceGenerator (a mixin: it uses the generator's rng, people and places)."""

    def _rates(self) -> tuple[float, float, list[str], list[float]]:
        """Crimes and ASB per person per year, and the crime-type mix, from the police.uk data."""
        profile = self.profile
        months = len(profile["months"])
        types = {k: v for k, v in profile["types"].items() if k != "Anti-social behaviour"}
        per_year = 12 / months / profile["population"]
        crime_rate = sum(types.values()) * per_year
        asb_rate = profile["types"].get("Anti-social behaviour", 0) * per_year
        return crime_rate, asb_rate, list(types), list(types.values())

    def build_events(self) -> None:
        rng = self.rng
        crime_rate, asb_rate, crime_types, type_weights = self._rates()
        person_years = self.population * self.years
        crimes = round(crime_rate * person_years)
        asb = round(asb_rate * person_years)
        other = max(round(INCIDENTS_PER_PERSON_YEAR * person_years) - crimes - asb, 0)
        kinds = ["crime"] * crimes + ["asb"] * asb + ["incident"] * other
        rng.shuffle(kinds)
        total = len(kinds)
        places = self.build_locations(max(total // 3, 1))
        place_weights = _pareto_weights(rng, len(places))
        people = self.person_ids
        victim_weights = _pareto_weights(rng, len(people))
        prolific = rng.sample(people, max(len(people) // 20, 1))
        # Domestic abuse is between people each aged 16 or over and personally connected
        # (Domestic Abuse Act 2021 s.1(2); the age domain-addendum 1.2 and MARAC's rule use): only
        # people already 16 when the generated years begin are made partners.
        adults = set(
            Person.objects.filter(dob_year__lte=self.start.year - 17).values_list("pk", flat=True)
        )
        offender_weights = _pareto_weights(rng, len(prolific))
        teams = {code: [o for o in self.officers if o.unit.code == code] for code in self.units}
        days = max((self.end - self.start).days, 1)
        months = _month_weights(self.profile)
        counters = dict(ReferenceCounter.objects.values_list("day", "last"))
        outcomes = self.profile["outcomes"]
        event_type = ContentType.objects.get_for_model(Event)
        batch: list[dict] = []
        for n, kind in enumerate(kinds):
            moment = _random_moment(rng, self.start, days, months)
            place = rng.choices(places, cum_weights=place_weights)[0]
            district = place.district.code
            entry = {"kind": kind, "at": moment, "place": place, "district": district}
            entry["caller"] = rng.choices(people, cum_weights=victim_weights)[0]
            if kind == "crime":
                crime_type = rng.choices(crime_types, weights=type_weights)[0]
                mix = outcomes.get(crime_type, {"Under investigation": 1})
                entry["type"] = crime_type
                entry["outcome"] = rng.choices(list(mix), weights=list(mix.values()))[0]
                if rng.random() < SUSPECT_SHARE:
                    suspect = rng.choices(prolific, cum_weights=offender_weights)[0]
                    if suspect != entry["caller"]:
                        entry["suspect"] = suspect
                        if (
                            crime_type == "Violence and sexual offences"
                            and rng.random() < DOMESTIC_SHARE
                            and {suspect, entry["caller"]} <= adults
                        ):
                            entry["domestic"] = True
                entry["decider"] = rng.choice(teams.get(f"{district}-response") or self.officers)
                entry["oic"] = rng.choice(teams.get(f"{district}-cid") or self.officers)
                # Most recording decisions are made within the NCRS 24 hours; some are late.
                if rng.random() < LATE_DECISION_SHARE:
                    delay = dt.timedelta(hours=rng.uniform(24.5, 96))
                else:
                    delay = dt.timedelta(minutes=min(rng.expovariate(1 / 180), 23 * 60))
                entry["decided"] = min(moment + delay, self.now)
            elif kind == "incident" and rng.random() < MISSING_SHARE:
                entry["kind"] = "missing"
            batch.append(entry)
            if len(batch) >= BATCH:
                self._flush_events(batch, counters, event_type)
            self.progress("events", n + 1, total)
        self._flush_events(batch, counters, event_type)

    @staticmethod
    def _save_counters(counters: dict, days: set) -> None:
        for day in days:
            if not ReferenceCounter.objects.filter(day=day).update(last=counters[day]):
                ReferenceCounter.objects.create(day=day, last=counters[day])

    def _reference(self, counters: dict, moment: dt.datetime) -> str:
        day = timezone.localtime(moment).date()
        counters[day] = counters.get(day, 0) + 1
        self._touched_days.add(day)
        return f"{settings.BLUELAMP_FORCE_CODE}-{day:%Y%m%d}-{counters[day]:05d}"

    @transaction.atomic
    def _flush_events(self, batch: list[dict], counters: dict, event_type) -> None:
        """One batch of events with everything that hangs off them, and the reference counters
        of the days they fall on, in one transaction: a run stopped half way leaves whole
        batches and references that the services can carry on from."""
        if not batch:
            return
        batch.sort(key=lambda e: e["at"])
        events, owners = [], []
        for entry in batch:
            team = self.units[f"{entry['district']}-response"]
            kind = {
                "crime": EventKind.INCIDENT,
                "asb": EventKind.ASB,
                "missing": EventKind.MISSING,
            }.get(entry["kind"], EventKind.INCIDENT)
            street = entry["place"].line1.split(" ", 1)[-1]
            summary = {
                "crime": f"Report: {entry.get('type', '')} on or near {street}",
                "asb": f"Anti-social behaviour on or near {street}",
                "missing": "Missing person report",
                "incident": f"Call for service on or near {street}",
            }[entry["kind"]]
            events.append(
                Event(
                    kind=kind,
                    reference=self._reference(counters, entry["at"]),
                    summary=summary,
                    reported_at=entry["at"],
                    occurred_from=entry["at"],
                    location=entry["place"],
                    owning_unit=team,
                    status=EventStatus.CLOSED,
                    created_at=self.now,
                )
            )
            owners.append(entry)
            if entry["kind"] == "crime":
                closed = entry["outcome"] not in ("Under investigation", "Awaiting court outcome")
                events.append(
                    Event(
                        kind=EventKind.CRIME,
                        reference=self._reference(counters, entry["decided"]),
                        summary=f"{entry['type']} on or near {street}",
                        reported_at=entry["at"],
                        occurred_from=entry["at"],
                        location=entry["place"],
                        owning_unit=self.units[f"{entry['district']}-cid"],
                        officer_in_case=entry["oic"],
                        status=EventStatus.CLOSED if closed else EventStatus.OPEN,
                        created_at=self.now,
                    )
                )
                owners.append(None)
        created = Event.objects.bulk_create(events, batch_size=BATCH)
        links, reports, decisions, duties, history, relationships = [], [], [], [], [], []
        incident, incident_entry = None, None
        for event, entry in zip(created, owners, strict=True):
            history.append(
                RecordChange(
                    content_type=event_type,
                    object_id=event.pk,
                    at=self.now,
                    actor_name="synthetic force generator",
                    action="create",
                    summary=event.summary,
                )
            )
            if entry is None:  # the crime recorded from the incident before it
                crime_entry = incident_entry
                decisions.append(
                    RecordingDecision(
                        incident_id=incident.pk,
                        decision=Decision.CRIMED,
                        reason="Victim's account (synthetic)",
                        crime_id=event.pk,
                        decided_by=crime_entry["decider"],
                        decided_at=crime_entry["decided"],
                    )
                )
                duties.append(
                    Duty(
                        policy=NCRS_RECORDING_DECISION.name,
                        rule=NCRS_RECORDING_DECISION.rule,
                        subject_type=event_type,
                        subject_id=incident.pk,
                        subject_label=incident.reference,
                        about_event_id=incident.pk,
                        owner_unit=incident.owning_unit,
                        queue="crime-recording",
                        opened_at=incident.reported_at,
                        due_at=NCRS_RECORDING_DECISION.deadline(incident.reported_at),
                        outcome=Outcome.DONE,
                        done_at=crime_entry["decided"],
                        done_by=crime_entry["decider"],
                        note="crime.recording_decision_made",
                    )
                )
                links.append(
                    PersonEventLink(
                        person_id=crime_entry["caller"],
                        event_id=event.pk,
                        role=EventRole.VICTIM,
                        created_at=self.now,
                    )
                )
                if "suspect" in crime_entry:
                    links.append(
                        PersonEventLink(
                            person_id=crime_entry["suspect"],
                            event_id=event.pk,
                            role=EventRole.SUSPECT,
                            created_at=self.now,
                        )
                    )
                    if crime_entry.get("domestic"):
                        relationships.append(
                            PersonRelationship(
                                person_id=crime_entry["caller"],
                                other_id=crime_entry["suspect"],
                                kind=self.rng.choice(
                                    [Relationship.PARTNER, Relationship.EX_PARTNER]
                                ),
                                created_at=self.now,
                            )
                        )
                self.result.events["crime"] += 1
                continue
            incident, incident_entry = event, entry
            role = EventRole.SUBJECT if entry["kind"] == "missing" else EventRole.CALLER
            links.append(
                PersonEventLink(
                    person_id=entry["caller"], event_id=event.pk, role=role, created_at=self.now
                )
            )
            if event.kind == EventKind.INCIDENT:
                reports.append(
                    IncidentReport(incident_id=event.pk, may_be_crime=entry["kind"] == "crime")
                )
            self.result.events[entry["kind"] if entry["kind"] != "crime" else "incident"] += 1
        PersonEventLink.objects.bulk_create(links, batch_size=BATCH, ignore_conflicts=True)
        IncidentReport.objects.bulk_create(reports, batch_size=BATCH)
        RecordingDecision.objects.bulk_create(decisions, batch_size=BATCH)
        Duty.objects.bulk_create(duties, batch_size=BATCH)
        RecordChange.objects.bulk_create(history, batch_size=BATCH)
        PersonRelationship.objects.bulk_create(relationships, batch_size=BATCH)
        self._save_counters(counters, self._touched_days)
        self._touched_days.clear()
        batch.clear()
