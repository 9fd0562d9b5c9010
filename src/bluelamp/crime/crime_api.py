"""JSON API for recorded crimes: record one with its parties (the load benchmark's endpoint),
read it, reclassify, cancel, give an outcome, and quality assurance. Handlers parse, call
services and shape the answer; every write happens in the services."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from ninja import Path, Router, Status

from bluelamp.accounts.models import Unit
from bluelamp.accounts.permissions import get_visible, visible_q
from bluelamp.audit import services as audit
from bluelamp.core import events, persons
from bluelamp.core.api import ERRORS
from bluelamp.core.choices import EventRole
from bluelamp.core.models import Event, Person, PersonEventLink
from bluelamp.core.schemas import Error, Id
from bluelamp.core.transactions import service_transaction
from bluelamp.people.entry import ChooseFirst, Entry
from bluelamp.people.schemas import ChooseRead, choose_read
from bluelamp.reference import offences

from . import classification, intake, outcomes, qa, supervision
from .models import Crime
from .schemas import (
    AuthorityIn,
    AuthorityRead,
    CancelIn,
    CancellationRead,
    ClassificationRead,
    CrimeCreate,
    CrimeRead,
    OutcomeIn,
    OutcomeRead,
    PartyIn,
    PriorityIn,
    QARead,
    QueueRead,
    ReclassifyIn,
    ReturnIn,
    VictimStatementIn,
    VictimStatementRead,
)

router = Router(tags=["crime"])
PLURALS = (("victim", "victims"), ("suspect", "suspects"), ("witness", "witnesses"))


def _party(field: str, role: str, entry: PartyIn) -> intake.Party:
    details = None
    if entry.id is None:
        dob = entry.dob
        details = persons.NewPerson(
            given_names=entry.given_names,
            family_name=entry.family_name,
            dob_year=dob.year if dob else None,
            dob_month=dob.month if dob else None,
            dob_day=dob.day if dob else None,
        )
    who = Entry(
        field=field,
        person_id=entry.id,
        details=details,
        chosen=entry.chosen,
        postcode=entry.postcode,
        phone=entry.phone,
        email=entry.email,
    )
    return intake.Party(
        role=role,
        entry=who,
        phone=entry.phone,
        email=entry.email,
        line1=entry.line1,
        postcode=entry.postcode,
        preferred=entry.preferred,
    )


def _read(crime: Crime, parties: dict | None = None, *, full: bool = False, actor=None) -> dict:
    event = crime.event
    if parties is None:
        # The parties the reader may see: a restricted victim or suspect is neither listed nor
        # counted (DESIGN.md: restricted means invisible everywhere).
        parties = {role: [] for role in (EventRole.VICTIM, EventRole.SUSPECT, EventRole.WITNESS)}
        for person_id, role in (
            PersonEventLink.objects.filter(event=event)
            .filter(visible_q(actor, Person, "person"))
            .values_list("person_id", "role")
        ):
            parties.setdefault(role, []).append(person_id)
    offence = offences.lookup(crime.offence_code)
    answer = {
        "id": event.pk,
        "reference": event.reference,
        "summary": event.summary,
        "status": event.status,
        "offence_code": crime.offence_code,
        "offence": offence.offence if offence else "",
        "group": offence.group if offence else "",
        "flags": list(crime.flags or []),
        "modus_operandi": crime.modus_operandi,
        "victims": parties[EventRole.VICTIM],
        "suspects": parties[EventRole.SUSPECT],
        "witnesses": parties[EventRole.WITNESS],
        "qa_status": "waiting",
    }
    if full:
        check = getattr(crime, "qa_check", None)
        cancellation = getattr(crime, "cancellation", None)
        outcome = getattr(crime, "outcome", None)
        answer.update(
            qa_status=check.status if check else "",
            cancelled=cancellation.reason if cancellation else None,
            outcome=outcome.outcome if outcome else None,
            classifications=list(crime.classifications.all()),
        )
    return answer


@router.post(
    "/crimes",
    response={201: CrimeRead, 409: ChooseRead, ERRORS: Error},
    operation_id="record_crime",
)
def record_crime(request, payload: CrimeCreate):
    actor = request.user
    # Usually the officer's own team, fetched with them at sign-in (api.TokenAuth).
    if payload.owning_unit_id == actor.unit_id:
        unit = actor.unit
    else:
        unit = get_object_or_404(Unit, pk=payload.owning_unit_id)
    parties = [
        _party(f"{plural}[{n}]", role, entry)
        for role, plural in (
            ("victim", "victims"),
            ("suspect", "suspects"),
            ("witness", "witnesses"),
        )
        for n, entry in enumerate(getattr(payload, plural))
    ]
    details = intake.CrimeDetails(
        summary=payload.summary,
        owning_unit=unit,
        offence_code=payload.offence_code,
        incident_id=payload.incident_id,
        occurred_from=payload.occurred_from,
        occurred_to=payload.occurred_to,
        modus_operandi=payload.modus_operandi,
        flags=payload.flags,
    )
    # People created inline are not kept if the crime is refused; their audit rows are appended
    # with the crime's, just before commit (audit.deferred).
    try:
        with service_transaction(), audit.deferred():
            crime = intake.record_crime_with_people(actor=actor, details=details, parties=parties)
    except ChooseFirst as ask:
        return Status(409, choose_read(ask.audited(actor)))
    return Status(201, _read(crime, actor=actor))


def _crime(request, crime_id: int) -> Crime:
    event = events.view_event(actor=request.user, event_id=crime_id)  # audited read
    return classification.crime_of(request.user, event, lock=False)


@router.get(
    "/crimes/{crime_id}", response={200: CrimeRead, ERRORS: Error}, operation_id="get_crime"
)
def get_crime(request, crime_id: Path[Id]):
    return _read(_crime(request, crime_id), full=True, actor=request.user)


def _event(request, crime_id: int) -> Event:
    return get_visible(Event.objects.all(), request.user, crime_id)


@router.post(
    "/crimes/{crime_id}/classification",
    response={201: ClassificationRead, ERRORS: Error},
    operation_id="reclassify_crime",
)
def reclassify_crime(request, crime_id: Path[Id], payload: ReclassifyIn):
    step = classification.reclassify(
        actor=request.user, crime=_event(request, crime_id), **payload.dict()
    )
    return Status(201, step)


@router.post(
    "/crimes/{crime_id}/qa/priority",
    response={200: QARead, ERRORS: Error},
    operation_id="request_qa_priority",
)
def request_qa_priority(request, crime_id: Path[Id], payload: PriorityIn):
    return qa.request_priority(
        actor=request.user, crime=_event(request, crime_id), reason=payload.reason
    )


@router.post(
    "/crimes/{crime_id}/qa/return",
    response={200: QARead, ERRORS: Error},
    operation_id="return_crime_for_correction",
)
def return_crime_for_correction(request, crime_id: Path[Id], payload: ReturnIn):
    problems = [p.dict() for p in payload.problems]
    return qa.return_for_correction(
        actor=request.user, crime=_event(request, crime_id), problems=problems
    )


@router.post(
    "/crimes/{crime_id}/qa/resubmit",
    response={200: QARead, ERRORS: Error},
    operation_id="resubmit_crime_for_qa",
)
def resubmit_crime_for_qa(request, crime_id: Path[Id]):
    return qa.resubmit(actor=request.user, crime=_event(request, crime_id))


@router.post(
    "/crimes/{crime_id}/qa/accept",
    response={200: QARead, ERRORS: Error},
    operation_id="accept_crime_record",
)
def accept_crime_record(request, crime_id: Path[Id]):
    return qa.accept(actor=request.user, crime=_event(request, crime_id))


@router.post(
    "/crimes/{crime_id}/outcome",
    response={201: OutcomeRead, ERRORS: Error},
    operation_id="record_crime_outcome",
)
def record_crime_outcome(request, crime_id: Path[Id], payload: OutcomeIn):
    values = payload.dict()
    suspect_id = values.pop("suspect_id")
    suspect = get_visible(Person.objects.all(), request.user, suspect_id) if suspect_id else None
    result = outcomes.record_outcome(
        actor=request.user, crime=_event(request, crime_id), suspect=suspect, **values
    )
    return Status(201, result)


@router.post(
    "/crimes/{crime_id}/victim-statements",
    response={201: VictimStatementRead, ERRORS: Error},
    operation_id="record_victim_statement",
)
def record_victim_statement(request, crime_id: Path[Id], payload: VictimStatementIn):
    """The victim's witness statement was taken: they are then offered a Victim Personal
    Statement (Victims' Code right 7)."""
    person = get_visible(Person.objects.all(), request.user, payload.person_id)
    statement = supervision.record_victim_statement(
        actor=request.user,
        crime=_event(request, crime_id),
        person=person,
        taken_at=payload.taken_at,
    )
    return Status(201, statement)


@router.post(
    "/crimes/{crime_id}/cancellation",
    response={201: CancellationRead, ERRORS: Error},
    operation_id="cancel_crime",
)
def cancel_crime(request, crime_id: Path[Id], payload: CancelIn):
    cancellation = classification.cancel(
        actor=request.user, crime=_event(request, crime_id), **payload.dict()
    )
    return Status(201, cancellation)


@router.get("/qa/queue", response={200: list[QueueRead], ERRORS: Error}, operation_id="qa_queue")
def qa_queue(request):
    entries, _backlog = qa.queue(actor=request.user)
    return [
        {
            "crime_id": e.duty.subject_id,
            "reference": e.duty.subject_label,
            "due_at": e.duty.due_at,
            "age_days": round(e.age_days, 2),
            "priority": bool(e.check and e.check.priority),
            "status": e.check.status if e.check else "",
        }
        for e in entries
    ]


@router.post(
    "/crime-authorities",
    response={201: AuthorityRead, ERRORS: Error},
    operation_id="grant_decision_maker_authority",
)
def grant_decision_maker_authority(request, payload: AuthorityIn):
    user = get_object_or_404(get_user_model(), pk=payload.user_id)
    authority = classification.grant_authority(actor=request.user, user=user, kind=payload.kind)
    return Status(201, authority)
