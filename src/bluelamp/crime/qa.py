"""Quality assurance of crime records by the investigations management unit (issue 5).

A check never blocks the officer: nothing here is consulted by recording, investigating or the
victim's duties, so a crime waiting for QA is as visible and workable as any other (the 2018
report found a four-week backlog hiding crimes and delaying victim referrals). The queue is a
query over the open ``crime-qa-check``/``crime-qa-recheck`` duties."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import require, require_unit
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core import validation as v
from bluelamp.core.history import snapshot
from bluelamp.core.models import Event
from bluelamp.core.writes import written
from bluelamp.duties import queries
from bluelamp.duties.services import emit

from .classification import crime_of
from .models import QACheck, QAProblem, QAStatus

QUEUE = "quality-assurance"
# The parts of a crime record QA can name when returning it.
QA_FIELDS = {
    "summary": "Summary",
    "offence_code": "Offence code (classification)",
    "victims": "Victims",
    "suspects": "Suspects",
    "witnesses": "Witnesses",
    "location": "Location",
    "occurred": "When it happened",
    "property": "Property",
    "modus_operandi": "Modus operandi",
    "other": "Other",
}


def _check(actor: User, crime: Event) -> QACheck:
    record = crime_of(actor, crime)
    require_unit(actor, record.event.owning_unit)  # every QA write goes through here
    return QACheck.objects.select_for_update().select_related("crime__event").get(crime=record)


def _write(actor: User, check: QACheck, before: dict, summary: str, detail: dict) -> None:
    event = check.crime.event
    written(
        check,
        actor=actor,
        action="change",
        before=before,
        summary=summary,
        subject=event,
        detail={"qa": check.pk, **detail},
    )


@transaction.atomic
def accept(*, actor: User, crime: Event) -> QACheck:
    require(actor, "crime.qa_check")
    check = _check(actor, crime)
    if check.status != QAStatus.WAITING:
        raise ValidationError({"status": f"This record is {check.get_status_display().lower()}."})
    before = snapshot(check)
    check.status, check.checked_by, check.checked_at = QAStatus.ACCEPTED, actor, timezone.now()
    check.save()
    _write(actor, check, before, "QA: accepted", {"accepted": True})
    emit("crime.qa_accepted", subject=check.crime.event, actor=actor, payload={"check": check.pk})
    return check


@transaction.atomic
def return_for_correction(*, actor: User, crime: Event, problems: list[dict]) -> QACheck:
    """Returns the record naming each problem (one row each: the field and what is wrong);
    opens the officer's ``crime-qa-correction`` duty."""
    require(actor, "crime.qa_check")
    check = _check(actor, crime)
    if check.status != QAStatus.WAITING:
        raise ValidationError({"status": f"This record is {check.get_status_display().lower()}."})
    cleaned = []
    for problem in problems or []:
        field = (problem.get("field") or "").strip()
        text = v.clean_text(problem.get("text"), field="problems", max_length=1000)
        if not field and not text:
            continue
        if field not in QA_FIELDS:
            raise ValidationError(
                {"problems": f"Choose which part is wrong from: {', '.join(QA_FIELDS)}."}
            )
        if not text:
            raise ValidationError(
                {"problems": f"Say what is wrong with {QA_FIELDS[field].lower()}."}
            )
        cleaned.append((field, text))
    if not cleaned:
        raise ValidationError({"problems": "Name at least one problem to return the record."})
    before = snapshot(check)
    check.rounds += 1
    check.status, check.checked_by, check.checked_at = QAStatus.RETURNED, actor, timezone.now()
    check.save()
    QAProblem.objects.bulk_create(
        QAProblem(qa_check=check, round=check.rounds, field=f, text=t) for f, t in cleaned
    )
    _write(actor, check, before, f"QA: returned with {len(cleaned)} problem(s)", {"returned": 1})
    emit("crime.qa_returned", subject=check.crime.event, actor=actor, payload={"check": check.pk})
    return check


@transaction.atomic
def resubmit(*, actor: User, crime: Event) -> QACheck:
    """The officer has corrected a returned record: back to the QA queue (a recheck duty)."""
    require(actor, "crime.qa_resubmit")
    check = _check(actor, crime)
    if check.status != QAStatus.RETURNED:
        raise ValidationError({"status": "Only a record QA returned can be resubmitted."})
    before = snapshot(check)
    check.status, check.submitted_at = QAStatus.WAITING, timezone.now()
    check.save()
    _write(actor, check, before, "QA: corrected and resubmitted", {"resubmitted": True})
    emit(
        "crime.qa_resubmitted", subject=check.crime.event, actor=actor, payload={"check": check.pk}
    )
    return check


@transaction.atomic
def request_priority(*, actor: User, crime: Event, reason: str) -> QACheck:
    """An officer asks for the record to be checked first (e.g. a charging decision is near)."""
    require(actor, "crime.qa_resubmit")
    check = _check(actor, crime)
    if check.status != QAStatus.WAITING:
        raise ValidationError({"status": "Only a record waiting for QA can be prioritised."})
    before = snapshot(check)
    check.priority = True
    check.priority_reason = v.clean_text(reason, field="reason", max_length=500, required=True)
    check.save()
    _write(actor, check, before, "QA: priority checking asked for", {"priority": True})
    return check


@dataclass
class QueueEntry:
    duty: object
    check: QACheck | None
    age_days: float


@dataclass
class Backlog:
    count: int
    oldest_days: float | None
    median_days: float | None


def queue(*, actor: User) -> tuple[list[QueueEntry], Backlog]:
    """The open QA duties, priority requests first then oldest first, with the backlog's size,
    oldest and median age in days (the figures the 2018 report asked for)."""
    require(actor, "crime.qa_check")
    duties = list(queries.queue(actor, QUEUE))
    checks = {
        c.crime.event_id: c
        for c in QACheck.objects.filter(
            crime__event_id__in=[d.subject_id for d in duties]
        ).select_related("crime__event")
    }
    now = timezone.now()
    entries = [
        QueueEntry(d, checks.get(d.subject_id), (now - d.opened_at).total_seconds() / 86400)
        for d in duties
    ]
    entries.sort(key=lambda e: (not (e.check and e.check.priority), e.duty.opened_at))
    ages = [e.age_days for e in entries]
    backlog = Backlog(
        count=len(entries),
        oldest_days=max(ages) if ages else None,
        median_days=statistics.median(ages) if ages else None,
    )
    audit.record(
        actor=actor,
        action=Action.VIEW,
        record_type="event",
        label="QA queue",
        detail={"events": [e.duty.subject_id for e in entries][:200]},
    )
    return entries, backlog
