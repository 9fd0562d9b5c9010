"""The synthetic force's missing person episodes (almost all returned, with the safe-and-well
check and, for children, the return interview), written in bulk after the events (generate.py),
from the generator's own records: each missing report is about the subject of a missing-person
event. (Its Operation Encompass notices come with the referrals: safeguarding_history.py.)"""

from __future__ import annotations

import datetime as dt
import random

from bluelamp.core.choices import EventKind, EventRole
from bluelamp.core.models import PersonEventLink
from bluelamp.missing.models import InterviewOutcome, MissingReport, ReportStatus

BATCH = 2000
GRADES = (("high", 0.15), ("medium", 0.55), ("low", 0.30))
MISSING_FROM = (("home", 0.78), ("care", 0.17), ("hospital", 0.05))
STILL_MISSING_HOURS = 48  # episodes reported within this of "now" may still be open


def _age(dob_year: int | None, on: dt.date) -> int | None:
    return on.year - dob_year if dob_year else None


def missing_episodes(*, rng: random.Random, now: dt.datetime) -> int:
    subjects = PersonEventLink.objects.filter(
        role=EventRole.SUBJECT, event__kind=EventKind.MISSING
    ).values_list("person_id", "person__dob_year", "event__owning_unit_id", "event__reported_at")
    rows = []
    for person_id, dob_year, unit_id, reported in subjects.iterator():
        age = _age(dob_year, reported.date())
        child = age is not None and age < 18
        grade = rng.choices([g for g, _ in GRADES], [w for _, w in GRADES])[0]
        where = rng.choices([m for m, _ in MISSING_FROM], [w for _, w in MISSING_FROM])[0]
        report = MissingReport(
            person_id=person_id,
            owning_unit_id=unit_id,
            reported_at=reported,
            last_seen_at=reported - dt.timedelta(hours=rng.uniform(1, 12)),
            last_seen_where="Home address" if where == "home" else "Placement",
            missing_from=where,
            circumstances="Did not return when expected (synthetic)",
            risk_grade=grade,
            risk_reasons="Graded by the synthetic force",
            is_child=child,
            created_at=now,
        )
        back = reported + dt.timedelta(hours=rng.expovariate(1 / 14))
        if back < now and (now - reported).total_seconds() > STILL_MISSING_HOURS * 3600:
            report.status = ReportStatus.RETURNED
            report.returned_at = back
            report.found_where = rng.choice(["Home", "A friend's address", "Town centre"])
            report.safe_and_well_at = back + dt.timedelta(hours=rng.uniform(0.5, 20))
            report.safe_and_well_by_name = "synthetic force"
            report.safe_and_well_findings = "Safe and well (synthetic)"
            if child:
                report.interview_outcome = rng.choice(InterviewOutcome.values)
                report.interview_offered_at = back + dt.timedelta(hours=rng.uniform(2, 80))
                report.interview_by = "Independent return interview service"
        rows.append(report)
    MissingReport.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)
