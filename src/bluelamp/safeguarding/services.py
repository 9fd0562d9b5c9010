"""Writing PVP referrals from the scene: the draft with its subjects, children and attachments,
the risk assessment, and submitting (routing to the hub and the domain event every duty and
reaction follows). The MASH's own writes are in mash.py, MARAC's in marac.py.

Restricted by default (issue 17): ``visible_referrals`` is the one scope for pages, lists, counts
and the API - the safeguarding role, and otherwise only the officer who made the referral or
holds a duty on it. Anyone else gets a 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import can, check_visible, hidden_ids, require, require_unit
from bluelamp.accounts.roles import Role
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core import validation as v
from bluelamp.core.models import Event, Person
from bluelamp.core.transactions import service
from bluelamp.core.writes import written
from bluelamp.db import save_new
from bluelamp.duties.deadlines import LONDON

from . import access, risk, routing, rules
from .attachments import check_file
from .models import (
    RISK_RANK,
    Attachment,
    ChildPresent,
    Concern,
    Referral,
    ReferralSubject,
    RiskAssessment,
    RiskLevel,
    Status,
    SubjectRole,
)

ACCOUNT_MAX = 8000
SCHOOL_MAX = 120


def visible_referrals(actor: User) -> QuerySet[Referral]:
    """The referrals this user may see (access.py). A referral on a restricted event is hidden
    with it."""
    require(actor, "referral.view")
    # One subquery of the (few) restricted events this user holds no grant for, rather than a
    # join to every referral's event: the MASH's counts then read only indexes.
    referrals = Referral.objects.exclude(event_id__in=hidden_ids(actor, Event))
    if actor.role == Role.SAFEGUARDING:
        return referrals
    return referrals.filter(access.held(actor))


def get_referral(actor: User, pk: int) -> Referral:
    """One referral, or 404 - also for a role that may see none: for them it does not exist."""
    if not can(actor, "referral.view"):
        raise Http404(f"No referral {pk}.")
    try:
        return visible_referrals(actor).select_related("hub", "event", "created_by").get(pk=pk)
    except (Referral.DoesNotExist, ValueError, OverflowError):
        raise Http404(f"No referral {pk}.") from None


def view_referral(*, actor: User, pk: int) -> Referral:
    """One referral, audited as a consultation of the people it names."""
    referral = get_referral(actor, pk)
    audit.record(
        actor=actor,
        action=Action.VIEW,
        obj=referral,
        label=referral.reference,
        detail={"people": sorted(subject_people(referral))},
    )
    return referral


def subject_people(referral: Referral) -> set[int]:
    people = set(referral.subjects.values_list("person_id", flat=True))
    return people | set(referral.children.values_list("person_id", flat=True))


def _check_event(actor: User, event: Event | None) -> None:
    if event is not None:
        check_visible(actor, event)
        require_unit(actor, event.owning_unit)


def _check_writer(actor: User, referral: Referral) -> Referral:
    """The referral about to change: visible, and the officer's own unless MASH staff."""
    referral = get_referral(actor, referral.pk)
    if actor.role != Role.SAFEGUARDING and referral.created_by_id != actor.pk:
        raise PermissionDenied("Only the referring officer or the MASH may change a referral.")
    return referral


def _clean_children(children) -> list[dict]:
    cleaned, errors = [], {}
    for n, child in enumerate(children or []):
        person = child.get("person")
        if not isinstance(person, Person):
            errors[f"children[{n}].person"] = "Choose the child."
            continue
        school = v.clean_text(
            child.get("school"), field=f"children[{n}].school", max_length=SCHOOL_MAX
        )
        home_educated = bool(child.get("home_educated"))
        if school and home_educated:
            errors[f"children[{n}].school"] = "Give a school or mark home educated, not both."
        cleaned.append({"person": person, "school": school, "home_educated": home_educated})
    if len({c["person"].pk for c in cleaned}) != len(cleaned):
        errors["children"] = "The same child is named twice."
    if errors:
        raise ValidationError(errors)
    return cleaned


@service
def make_referral(
    *,
    actor: User,
    concern: str,
    account: str,
    victim: Person,
    perpetrator: Person | None = None,
    children=(),
    risk_factors=(),
    home_postcode: str = "",
    home_area_code: str = "",
    officer_risk: str = "",
    police_attended: bool = True,
    event: Event | None = None,
    files=(),
) -> Referral:
    """A draft referral from the scene. ``children``: dicts of person, school, home_educated;
    ``files``: (filename, bytes) pairs, each checked (attachments.py)."""
    require(actor, "safeguarding.refer")
    _check_event(actor, event)
    errors = {}
    if concern not in Concern.values:
        errors["concern"] = "Choose the type of concern."
    if officer_risk and officer_risk not in RiskLevel.values:
        errors["officer_risk"] = "Choose standard, medium or high."
    unknown = sorted(set(risk_factors or []) - set(rules.RISK_FACTORS))
    if unknown:
        errors["risk_factors"] = f"Unknown risk factor: {', '.join(map(str, unknown))}."
    if not isinstance(victim, Person):
        errors["victim"] = "Name the person at risk."
    if perpetrator is not None and perpetrator == victim:
        errors["perpetrator"] = "The perpetrator cannot be the person at risk."
    if errors:
        raise ValidationError(errors)
    account = v.clean_text(account, field="account", max_length=ACCOUNT_MAX, required=True)
    postcode = v.normalise_postcode(home_postcode, field="home_postcode")
    area_code = routing.clean_area_code(home_area_code)
    children = _clean_children(children)
    for person in [victim, perpetrator, *(c["person"] for c in children)]:
        if person is not None:
            check_visible(actor, person)
    checked = [check_file(name, content) for name, content in files or []]
    now = timezone.now()
    (referral,) = save_new(
        [
            Referral(
                reference=f"PVP-new-{now.timestamp()}-{actor.pk}",
                event=event,
                concern=concern,
                risk_factors=sorted(set(risk_factors or [])),
                account=account,
                home_postcode=postcode,
                home_area_code=area_code,
                police_attended=bool(police_attended),
                officer_risk=officer_risk,
                created_by=actor,
                created_by_name=actor.display_name,
                created_unit=actor.unit,
                created_at=now,
            )
        ]
    )
    referral.reference = f"PVP-{now.astimezone(LONDON):%Y%m%d}-{referral.pk:06d}"
    Referral.objects.filter(pk=referral.pk).update(reference=referral.reference)
    ReferralSubject.objects.bulk_create(
        ReferralSubject(referral=referral, person=p, role=r)
        for p, r in ((victim, SubjectRole.VICTIM), (perpetrator, SubjectRole.PERPETRATOR))
        if p is not None
    )
    ChildPresent.objects.bulk_create(ChildPresent(referral=referral, **c) for c in children)
    for file in checked:
        _keep(actor, referral, file)
    written(
        referral,
        actor=actor,
        action="create",
        summary="Referral drafted",
        label=referral.reference,
        detail={"people": sorted(subject_people(referral))},
    )
    return referral


def _keep(actor: User, referral: Referral, file) -> Attachment:
    return Attachment.objects.create(
        referral=referral,
        filename=file.filename,
        content_type=file.content_type,
        size=file.size,
        sha256=file.sha256,
        content=file.content,
        uploaded_by_name=actor.display_name,
        uploaded_at=timezone.now(),
    )


@service
def add_attachment(*, actor: User, referral: Referral, filename: str, content: bytes) -> Attachment:
    require(actor, "safeguarding.refer")
    referral = _check_writer(actor, referral)
    attachment = _keep(actor, referral, check_file(filename, content, field="file"))
    written(
        referral,
        actor=actor,
        action="change",
        summary=f"Attached {attachment.filename}",
        audit_action=Action.CREATE,  # the attachment is a new record kept with the referral
        label=referral.reference,
        detail={"attachment": attachment.pk, "sha256": attachment.sha256},
    )
    return attachment


def open_attachment(*, actor: User, pk: int) -> Attachment:
    """A photo or document kept with a referral, for someone who may see the referral (anyone
    else gets a 404, as for the referral itself); each opening is audited."""
    try:
        attachment = Attachment.objects.only("referral_id").get(pk=pk)
    except (Attachment.DoesNotExist, ValueError, OverflowError):
        raise Http404(f"No attachment {pk}.") from None
    referral = get_referral(actor, attachment.referral_id)
    attachment = Attachment.objects.get(pk=pk)
    audit.record(
        actor=actor,
        action=Action.VIEW,
        obj=referral,
        label=referral.reference,
        detail={"attachment": attachment.pk, "sha256": attachment.sha256},
    )
    return attachment


@service
def assess_risk(
    *,
    actor: User,
    referral: Referral,
    answers: dict,
    judgement: str = "",
    rationale: str = "",
) -> RiskAssessment:
    """The risk tool's answers (DASH), score and level; professional judgement may raise the
    level with a rationale, never lower it (domain.md 3.3, risk.py)."""
    require(actor, "safeguarding.refer")
    referral = _check_writer(actor, referral)
    if referral.status != Status.DRAFT:
        raise ValidationError({"answers": "The referral has been submitted; its DASH is final."})
    tool = risk.tool()
    rationale = v.clean_text(rationale, field="rationale", max_length=2000)
    cleaned, result = tool.assess(answers, judgement=judgement, rationale=rationale)
    assessment, _ = RiskAssessment.objects.update_or_create(
        referral=referral,
        defaults={
            "tool": tool.code,
            "answers": cleaned,
            "score": result.score,
            "scored_level": result.scored_level,
            "level": result.level,
            "judgement_rationale": rationale if result.level != result.scored_level else "",
            "assessed_by_name": actor.display_name,
            "assessed_at": timezone.now(),
        },
    )
    written(
        referral,
        actor=actor,
        action="change",
        summary=f"{tool.code.upper()} score {result.score}: {result.level}",
        label=referral.reference,
        detail={"score": result.score, "level": result.level},
    )
    return assessment


@service
def submit_referral(*, actor: User, referral: Referral) -> Referral:
    """Routes the referral to its hub and emits ``safeguarding.referral_submitted`` (payload: ids
    and codes only; docs/events.md), which opens the MASH's triage duty and the risk's duties
    (policies.py) and MARAC (reactions.py), in this transaction."""
    require(actor, "safeguarding.refer")
    referral = _check_writer(actor, referral)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != Status.DRAFT:
        raise ValidationError({"status": "This referral has already been submitted."})
    assessment = RiskAssessment.objects.filter(referral=referral).first()
    if referral.concern == Concern.DOMESTIC_ABUSE:
        if assessment is None:
            raise ValidationError({"assessment": "Complete the DASH before submitting."})
        level = assessment.level
    elif assessment is not None:
        level = assessment.level
    elif referral.officer_risk:
        level = referral.officer_risk
    else:
        raise ValidationError({"officer_risk": "Grade the risk: standard, medium or high."})
    hub, how = routing.route(postcode=referral.home_postcode, area_code=referral.home_area_code)
    now = timezone.now()
    referral.risk_level, referral.risk_rank = level, RISK_RANK[level]
    referral.hub, referral.routed_by = hub, how
    referral.status, referral.submitted_at = Status.SUBMITTED, now
    referral.triage_due_at = rules.triage_due(now, level)
    children = list(referral.children.all())
    written(
        referral,
        actor=actor,
        action="change",
        save=[
            "risk_level",
            "risk_rank",
            "hub",
            "routed_by",
            "status",
            "submitted_at",
            "triage_due_at",
        ],
        summary=f"Submitted: {level} risk, to {hub} ({how.replace('_', ' ')})",
        label=referral.reference,
        detail={"submitted": True, "hub": hub.code, "risk": level},
        event="safeguarding.referral_submitted",
        at=now,
        payload={
            "referral": referral.pk,
            "event": referral.event_id,
            "concern": referral.concern,
            "children": [c.person_id for c in children],
            "home_educated": [c.person_id for c in children if c.home_educated],
            "schools": {str(c.person_id): c.school for c in children if c.school},
            "police_attended": referral.police_attended,
            "risk": level,
        },
    )
    return referral
