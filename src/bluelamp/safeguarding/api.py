"""JSON API for safeguarding/: referrals from the scene (people by id: match them first with
/api/people/match), the DASH, attachments (base64 in JSON), submitting; the MASH's triage,
notes, feedback, queue and demand (MARAC's: marac_api.py). Same services as the pages."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Literal

from django.core.exceptions import ValidationError
from ninja import Query, Router, Schema, Status
from pydantic import Field

from bluelamp.accounts.permissions import get_visible, require
from bluelamp.core.api import ERRORS
from bluelamp.core.models import Event, Person
from bluelamp.core.schemas import Error
from bluelamp.ui.access import NOT_PERSONAL

from . import mash, queries, rules, services
from .marac_api import router as marac_router
from .models import Concern, Hub, Outcome, RiskLevel

router = Router(tags=["safeguarding"])

ConcernCode = Literal[tuple(Concern.values)]  # type: ignore[valid-type]
Level = Literal[tuple(RiskLevel.values)]  # type: ignore[valid-type]
Factor = Literal[tuple(rules.RISK_FACTORS)]  # type: ignore[valid-type]


class ChildIn(Schema):
    person_id: int = Field(..., ge=1)
    school: str = Field("", max_length=120)
    home_educated: bool = False


class ReferralCreate(Schema):
    concern: ConcernCode
    account: str = Field(..., min_length=1, max_length=8000)
    victim_id: int = Field(..., ge=1)
    perpetrator_id: int | None = Field(None, ge=1)
    children: list[ChildIn] = Field([], max_length=20)
    risk_factors: list[Factor] = Field([], max_length=20)
    home_postcode: str = Field("", max_length=10)
    home_area_code: str = Field("", max_length=12)
    officer_risk: Level | Literal[""] = ""
    police_attended: bool = True
    event_id: int | None = Field(None, ge=1)


class AnswerIn(Schema):
    answer: Literal["yes", "no", "not_known"]
    comment: str = Field("", max_length=1000)


class AssessmentCreate(Schema):
    answers: dict[str, AnswerIn]
    judgement: Level | Literal[""] = ""
    rationale: str = Field("", max_length=2000)


class AttachmentCreate(Schema):
    filename: str = Field(..., min_length=1, max_length=200)
    content_base64: str = Field(..., max_length=20_000_000)


class TriageCreate(Schema):
    outcome: Literal[tuple(Outcome.values)]  # type: ignore[valid-type]
    note: str = Field("", max_length=2000)


class NoteCreate(Schema):
    agency: str = Field(..., min_length=1, max_length=120)
    text: str = Field(..., min_length=1, max_length=4000)


class FeedbackCreate(Schema):
    rating: int = Field(..., ge=1, le=5)
    reason: str = Field(..., min_length=1, max_length=2000)


class StepCreate(Schema):
    text: str = Field(..., min_length=1, max_length=4000)


class AssessmentRead(Schema):
    tool: str
    score: int
    scored_level: str
    level: str
    judgement_rationale: str


class ReferralRead(Schema):
    id: int
    reference: str
    concern: str
    status: str
    risk_level: str
    hub: str | None
    routed_by: str
    event_id: int | None
    victim_ids: list[int]
    perpetrator_ids: list[int]
    children: list[int]
    attachments: list[dict]
    assessment: AssessmentRead | None
    submitted_at: dt.datetime | None
    triage_due_at: dt.datetime | None
    outcome: str
    marac_case: int | None

    @staticmethod
    def resolve_hub(referral) -> str | None:
        return referral.hub.code if referral.hub_id else None

    @staticmethod
    def resolve_victim_ids(referral) -> list[int]:
        return [s.person_id for s in referral.subjects.all() if s.role == "victim"]

    @staticmethod
    def resolve_perpetrator_ids(referral) -> list[int]:
        return [s.person_id for s in referral.subjects.all() if s.role == "perpetrator"]

    @staticmethod
    def resolve_children(referral) -> list[int]:
        return [c.person_id for c in referral.children.all()]

    @staticmethod
    def resolve_attachments(referral) -> list[dict]:
        return [
            {
                "filename": a.filename,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
            }
            for a in referral.attachments.defer("content")
        ]

    @staticmethod
    def resolve_assessment(referral):
        return getattr(referral, "assessment", None)

    @staticmethod
    def resolve_marac_case(referral) -> int | None:
        case = getattr(referral, "marac", None)
        return case.pk if case is not None else None


class QueueRow(Schema):
    id: int
    reference: str
    concern: str
    risk_level: str
    submitted_at: dt.datetime
    triage_due_at: dt.datetime | None
    late: bool


class HubRead(Schema):
    code: str
    name: str


class DemandRead(Schema):
    hub: str
    days: list[dict]
    backlog: dict
    backlog_total: int
    late: dict
    on_shift: int
    out_per_day: float
    days_to_clear: float | None
    run_over: int
    warning: bool


def _person(actor, pk: int | None, field: str) -> Person | None:
    if pk is None:
        return None
    try:
        return get_visible(Person.objects.all(), actor, pk)
    except Exception:  # noqa: BLE001 - restricted or missing: the same answer, naming the field
        raise ValidationError({field: f"No person {pk}."}) from None


def _hub(code: str) -> Hub:
    hub = Hub.objects.filter(code=code).first()
    if hub is None:
        raise ValidationError({"hub": f"No MASH hub {code!r}."})
    return hub


@router.post(
    "/safeguarding/referrals",
    response={201: ReferralRead, ERRORS: Error},
    operation_id="make_referral",
)
def make_referral(request, payload: ReferralCreate):
    actor = request.user
    event = None
    if payload.event_id is not None:
        try:
            event = get_visible(Event.objects.all(), actor, payload.event_id)
        except Exception:  # noqa: BLE001 - as for people
            raise ValidationError({"event_id": f"No event {payload.event_id}."}) from None
    children = [
        {
            "person": _person(actor, c.person_id, f"children[{n}].person_id"),
            "school": c.school,
            "home_educated": c.home_educated,
        }
        for n, c in enumerate(payload.children)
    ]
    referral = services.make_referral(
        actor=actor,
        concern=payload.concern,
        account=payload.account,
        victim=_person(actor, payload.victim_id, "victim_id"),
        perpetrator=_person(actor, payload.perpetrator_id, "perpetrator_id"),
        children=children,
        risk_factors=payload.risk_factors,
        home_postcode=payload.home_postcode,
        home_area_code=payload.home_area_code,
        officer_risk=payload.officer_risk,
        police_attended=payload.police_attended,
        event=event,
    )
    return Status(201, referral)


@router.get(
    "/safeguarding/referrals",
    response={200: list[ReferralRead], ERRORS: Error},
    operation_id="list_referrals",
)
def list_referrals(request):
    """The referrals the user may see (their own, unless MASH staff), newest first."""
    return queries.listing(request.user)


@router.get(
    "/safeguarding/referrals/{referral_id}",
    response={200: ReferralRead, ERRORS: Error},
    operation_id="view_referral",
)
def view_referral(request, referral_id: int):
    return services.view_referral(actor=request.user, pk=referral_id)


def _referral(request, referral_id: int):
    return services.get_referral(request.user, referral_id)


@router.post(
    "/safeguarding/referrals/{referral_id}/assessment",
    response={200: ReferralRead, ERRORS: Error},
    operation_id="assess_referral_risk",
)
def assess_referral_risk(request, referral_id: int, payload: AssessmentCreate):
    referral = _referral(request, referral_id)
    services.assess_risk(
        actor=request.user,
        referral=referral,
        answers={k: v.dict() for k, v in payload.answers.items()},
        judgement=payload.judgement,
        rationale=payload.rationale,
    )
    return services.get_referral(request.user, referral_id)


@router.post(
    "/safeguarding/referrals/{referral_id}/attachments",
    response={201: ReferralRead, ERRORS: Error},
    operation_id="attach_to_referral",
)
def attach_to_referral(request, referral_id: int, payload: AttachmentCreate):
    referral = _referral(request, referral_id)
    try:
        content = base64.b64decode(payload.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({"content_base64": "Not base64."}) from None
    services.add_attachment(
        actor=request.user, referral=referral, filename=payload.filename, content=content
    )
    return Status(201, services.get_referral(request.user, referral_id))


@router.post(
    "/safeguarding/referrals/{referral_id}/submit",
    response={200: ReferralRead, ERRORS: Error},
    operation_id="submit_referral",
)
def submit_referral(request, referral_id: int):
    return services.submit_referral(actor=request.user, referral=_referral(request, referral_id))


@router.post(
    "/safeguarding/referrals/{referral_id}/triage",
    response={200: ReferralRead, ERRORS: Error},
    operation_id="triage_referral",
)
def triage_referral(request, referral_id: int, payload: TriageCreate):
    referral = _referral(request, referral_id)
    return mash.triage_referral(actor=request.user, referral=referral, **payload.dict())


@router.post(
    "/safeguarding/referrals/{referral_id}/notes",
    response={201: ReferralRead, ERRORS: Error},
    operation_id="add_partner_note",
)
def add_partner_note(request, referral_id: int, payload: NoteCreate):
    referral = _referral(request, referral_id)
    mash.add_partner_note(actor=request.user, referral=referral, **payload.dict())
    return Status(201, services.get_referral(request.user, referral_id))


@router.post(
    "/safeguarding/referrals/{referral_id}/feedback",
    response={201: ReferralRead, ERRORS: Error},
    operation_id="give_referral_feedback",
)
def give_referral_feedback(request, referral_id: int, payload: FeedbackCreate):
    referral = _referral(request, referral_id)
    mash.give_feedback(actor=request.user, referral=referral, **payload.dict())
    return Status(201, services.get_referral(request.user, referral_id))


@router.post(
    "/safeguarding/referrals/{referral_id}/plan",
    response={201: ReferralRead, ERRORS: Error},
    operation_id="record_safeguarding_plan",
)
def record_safeguarding_plan(request, referral_id: int, payload: StepCreate):
    referral = _referral(request, referral_id)
    mash.record_safeguarding_plan(actor=request.user, referral=referral, plan=payload.text)
    return Status(201, services.get_referral(request.user, referral_id))


@router.post(
    "/safeguarding/referrals/{referral_id}/follow-up",
    response={201: ReferralRead, ERRORS: Error},
    operation_id="record_follow_up_visit",
)
def record_follow_up_visit(request, referral_id: int, payload: StepCreate):
    referral = _referral(request, referral_id)
    mash.record_follow_up_visit(actor=request.user, referral=referral, note=payload.text)
    return Status(201, services.get_referral(request.user, referral_id))


@router.get(
    "/safeguarding/hubs",
    response={200: list[HubRead], ERRORS: Error},
    operation_id="list_mash_hubs",
    openapi_extra={"x-bluelamp-access": NOT_PERSONAL},
)
def list_mash_hubs(request):
    """The hubs (units and names only)."""
    require(request.user, "safeguarding.mash")
    return list(Hub.objects.all())


class HubQuery(Schema):
    hub: str = Field(..., min_length=1, max_length=40)


@router.get(
    "/safeguarding/queue",
    response={200: list[QueueRow], ERRORS: Error},
    operation_id="mash_queue",
)
def mash_queue(request, filters: Query[HubQuery]):
    return queries.queue(request.user, _hub(filters.hub))


@router.get(
    "/safeguarding/demand",
    response={200: DemandRead, ERRORS: Error},
    operation_id="mash_demand",
)
def mash_demand(request, filters: Query[HubQuery]):
    found = queries.demand(request.user, _hub(filters.hub))
    return {
        **{k: getattr(found, k) for k in DemandRead.model_fields if k not in ("hub", "days")},
        "hub": found.hub.code,
        "days": [{**row, "day": row["day"].isoformat()} for row in found.days],
    }


# MARAC's operations live in their own module (this one is near 400 lines), under this router.
router.add_router("/", marac_router)
