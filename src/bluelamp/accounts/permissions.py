"""Who may do what: one map from action to roles, and one scoping helper for every query.

Deny by default: an action missing from ``PERMISSIONS`` raises ``UnknownAction`` on purpose, so a
new operation cannot ship without a rule. ``visible()`` is used by lists, detail pages, search,
counts and related links alike, so they cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import CharField, Model, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404

from .models import AccessGrant, Unit, User
from .refusals import NotAllowed
from .roles import Role

R = Role
_READERS = frozenset(set(R) - {R.ADMINISTRATOR})
_RECORDERS = frozenset(
    {
        R.CALL_HANDLER,
        R.RESPONSE_OFFICER,
        R.INVESTIGATOR,
        R.SUPERVISOR,
        R.QUALITY_ASSURANCE,
        R.SAFEGUARDING,
        R.NEIGHBOURHOOD,
        R.OFFENDER_MANAGER,
    }
)

PERMISSIONS: dict[str, frozenset[Role]] = {
    "person.view": _READERS,
    "person.create": _RECORDERS,
    "person.change": _RECORDERS,
    "location.view": _READERS,
    "location.create": _RECORDERS,
    "location.change": _RECORDERS,
    "object.view": _READERS,
    "object.create": _RECORDERS,
    "object.change": _RECORDERS,
    "organisation.view": _READERS,
    "organisation.create": _RECORDERS | {R.ADMINISTRATOR},
    "organisation.change": _RECORDERS | {R.ADMINISTRATOR},
    "event.view": _READERS,
    "event.create": _RECORDERS,
    "event.change": _RECORDERS,
    "link.create": _RECORDERS,
    "search": _READERS,
    # Matching (people/): training the model and batch de-duplication read every nominal;
    # merging changes who a record is, so it is for data quality staff and supervisors.
    "people.train": frozenset({R.QUALITY_ASSURANCE, R.ANALYST}),
    "people.dedupe": frozenset({R.QUALITY_ASSURANCE, R.ANALYST}),
    "people.review": frozenset({R.QUALITY_ASSURANCE, R.SUPERVISOR}),
    "people.merge": frozenset({R.QUALITY_ASSURANCE, R.SUPERVISOR}),
    "history.view": _READERS,
    # Restricting a record and granting access to it is a supervisory decision.
    "record.restrict": frozenset({R.SUPERVISOR, R.SENIOR_LEADER, R.QUALITY_ASSURANCE}),
    # Incidents, crime recording and supervision (crime/).
    "incident.report": _RECORDERS,
    "crime.record_decision": frozenset(
        {R.CALL_HANDLER, R.RESPONSE_OFFICER, R.INVESTIGATOR, R.SUPERVISOR, R.QUALITY_ASSURANCE}
    ),
    "work.allocate": frozenset({R.SUPERVISOR, R.QUALITY_ASSURANCE}),
    "work.review": frozenset({R.SUPERVISOR}),
    "crime.record": frozenset(
        {R.CALL_HANDLER, R.RESPONSE_OFFICER, R.INVESTIGATOR, R.SUPERVISOR, R.QUALITY_ASSURANCE}
    ),
    "crime.update": frozenset(
        {R.RESPONSE_OFFICER, R.INVESTIGATOR, R.SUPERVISOR, R.QUALITY_ASSURANCE, R.SAFEGUARDING}
    ),
    # --- crime recording, classification, outcomes and QA (crime/) ---
    "crime.reclassify": frozenset({R.INVESTIGATOR, R.SUPERVISOR, R.QUALITY_ASSURANCE}),
    # domain.md 4.3: cancelling also needs a named DDM/FCR authority (crime.DecisionMakerAuthority)
    "crime.cancel": frozenset({R.SUPERVISOR, R.QUALITY_ASSURANCE, R.SENIOR_LEADER}),
    "crime.manage_authority": frozenset({R.SENIOR_LEADER}),
    "crime.outcome": frozenset({R.SUPERVISOR}),  # outcomes are authorised by supervisors
    "crime.qa_check": frozenset({R.QUALITY_ASSURANCE}),
    "crime.qa_resubmit": frozenset(
        {R.RESPONSE_OFFICER, R.INVESTIGATOR, R.SUPERVISOR, R.QUALITY_ASSURANCE, R.SAFEGUARDING}
    ),
    # --- investigation: plans, updates, supervision, forensics (crime/) ---
    # Officers' skills are kept by supervisors; only a supervisor may allocate past a missing
    # skill, with a reason. Investigating officers and their sergeants work the plan, the
    # suspects and forensic decisions; the decision not to investigate further is an
    # investigator's or supervisor's (QA may make it on review). Workload and oversight figures
    # are for those who supervise, assure or lead.
    "investigation.view_own": frozenset(
        {R.RESPONSE_OFFICER, R.INVESTIGATOR, R.SUPERVISOR, R.SAFEGUARDING, R.NEIGHBOURHOOD}
    ),
    "investigation.view_team": frozenset(
        {R.SUPERVISOR, R.QUALITY_ASSURANCE, R.SENIOR_LEADER, R.ANALYST}
    ),
    "investigation.view": _READERS,
    "investigation.skills": frozenset({R.SUPERVISOR, R.ADMINISTRATOR}),
    "investigation.skill_override": frozenset({R.SUPERVISOR}),
    "investigation.plan": frozenset(
        {R.RESPONSE_OFFICER, R.INVESTIGATOR, R.SUPERVISOR, R.QUALITY_ASSURANCE, R.SAFEGUARDING}
    ),
    "investigation.suspect": frozenset({R.RESPONSE_OFFICER, R.INVESTIGATOR, R.SUPERVISOR}),
    "investigation.not_investigated": frozenset(
        {R.INVESTIGATOR, R.SUPERVISOR, R.QUALITY_ASSURANCE}
    ),
    "investigation.forensic": frozenset({R.RESPONSE_OFFICER, R.INVESTIGATOR, R.SUPERVISOR}),
    # The digital forensic unit works the queue; no role of its own yet, so investigators
    # (the unit's staff) and supervisors.
    "investigation.device_examine": frozenset({R.INVESTIGATOR, R.SUPERVISOR}),
    # --- contact: calls, THRIVE, incidents, appointments (contact/) ---
    # Call handlers record and grade calls (officers too, for a report in person); dispatchers
    # allocate resources; whoever attends logs arrival; control-room supervisors review missed
    # targets and re-assess the risk.
    "call.record": frozenset({R.CALL_HANDLER, R.RESPONSE_OFFICER, R.SUPERVISOR}),
    "call.grade": frozenset({R.CALL_HANDLER, R.SUPERVISOR}),
    "incident.dispatch": frozenset({R.CALL_HANDLER, R.SUPERVISOR}),
    "incident.attend": frozenset(
        {R.CALL_HANDLER, R.RESPONSE_OFFICER, R.NEIGHBOURHOOD, R.INVESTIGATOR, R.SUPERVISOR}
    ),
    "incident.close": frozenset({R.CALL_HANDLER, R.RESPONSE_OFFICER, R.SUPERVISOR}),
    "incident.review_target": frozenset({R.SUPERVISOR}),
    "vulnerability.record": frozenset(
        {R.CALL_HANDLER, R.RESPONSE_OFFICER, R.INVESTIGATOR, R.SUPERVISOR, R.SAFEGUARDING}
    ),
    "appointment.book": frozenset({R.CALL_HANDLER, R.RESPONSE_OFFICER, R.SUPERVISOR}),
    "appointment.slots": frozenset({R.SUPERVISOR}),
    "control_room.view": frozenset(
        {R.CALL_HANDLER, R.RESPONSE_OFFICER, R.SUPERVISOR, R.QUALITY_ASSURANCE, R.SENIOR_LEADER}
    ),
    # --- victims: Victims' Code, updates, referrals, portal, satisfaction (victims/) ---
    # Track my crime (victims/portal/): officers working the crime issue a victim's portal code,
    # unlock a reference locked after wrong codes, and answer the victim's messages.
    "victim.portal_view": _READERS,
    "victim.portal_code": frozenset(
        {R.RESPONSE_OFFICER, R.INVESTIGATOR, R.SUPERVISOR, R.SAFEGUARDING, R.QUALITY_ASSURANCE}
    ),
    "victim.portal_unlock": frozenset(
        {R.RESPONSE_OFFICER, R.INVESTIGATOR, R.SUPERVISOR, R.SAFEGUARDING}
    ),
    "victim.portal_reply": frozenset(
        {R.RESPONSE_OFFICER, R.INVESTIGATOR, R.SUPERVISOR, R.SAFEGUARDING}
    ),
    # Victims' records are read by everyone who reads crimes; officers who deal with victims
    # assess needs and record contact; entitlement by hand is an officer's or supervisor's
    # decision; the compliance and satisfaction pages are for those who supervise or lead.
    "victim.view": _READERS,
    "victim.assess": frozenset(
        {R.CALL_HANDLER, R.RESPONSE_OFFICER, R.INVESTIGATOR, R.SUPERVISOR, R.SAFEGUARDING}
    ),
    "victim.contact": frozenset(
        {R.RESPONSE_OFFICER, R.INVESTIGATOR, R.SUPERVISOR, R.SAFEGUARDING, R.NEIGHBOURHOOD}
    ),
    "victim.change_entitlement": frozenset(
        {R.RESPONSE_OFFICER, R.INVESTIGATOR, R.SUPERVISOR, R.SAFEGUARDING}
    ),
    "victim.supervise": frozenset(
        {R.SUPERVISOR, R.QUALITY_ASSURANCE, R.SENIOR_LEADER, R.ANALYST, R.SAFEGUARDING}
    ),
    # --- safeguarding: PVP referrals, DASH, the MASH, MARAC (safeguarding/) ---
    # Officers who attend make referrals from the scene and see the ones they made or hold a
    # duty on (safeguarding.services.visible_referrals); everything else is the safeguarding
    # role's alone: restricted by default (issue 17 "Everywhere").
    "referral.view": frozenset(
        {R.RESPONSE_OFFICER, R.INVESTIGATOR, R.SUPERVISOR, R.SAFEGUARDING, R.NEIGHBOURHOOD}
    ),
    "safeguarding.refer": frozenset(
        {R.RESPONSE_OFFICER, R.INVESTIGATOR, R.SUPERVISOR, R.SAFEGUARDING, R.NEIGHBOURHOOD}
    ),
    "safeguarding.triage": frozenset({R.SAFEGUARDING}),
    "safeguarding.mash": frozenset({R.SAFEGUARDING}),
    "safeguarding.marac": frozenset({R.SAFEGUARDING}),
    # Duties: everyone sees their own; a team's, a queue's, the overdue and the compliance
    # figures are for those who supervise, assure or lead.
    "duty.view_own": frozenset(set(R) - {R.AUDITOR}),
    "duty.view_team": frozenset(
        {R.SUPERVISOR, R.QUALITY_ASSURANCE, R.SENIOR_LEADER, R.ANALYST, R.SAFEGUARDING}
    ),
    # --- protection and missing people (protection/, missing/): every reader may ask, but the
    # records are restricted by default to the safeguarding role and the officers who created or
    # hold them (protection/access.py, missing/access.py); everyone else sees none.
    "encompass.view": _READERS,
    "encompass.confirm": frozenset(
        {R.RESPONSE_OFFICER, R.INVESTIGATOR, R.SUPERVISOR, R.SAFEGUARDING, R.NEIGHBOURHOOD}
    ),
    # DVPN/DVPO: response officers, investigators, sergeants and the safeguarding unit serve
    # notices (the authorising superintendent is named on the notice) and record breaches.
    "dvpn.view": _READERS,
    "dvpn_breach.view": _READERS,
    "dvpn.serve": frozenset({R.RESPONSE_OFFICER, R.INVESTIGATOR, R.SUPERVISOR, R.SAFEGUARDING}),
    "dvpn.breach": frozenset(
        {R.RESPONSE_OFFICER, R.INVESTIGATOR, R.SUPERVISOR, R.SAFEGUARDING, R.NEIGHBOURHOOD}
    ),
    # Clare's Law: officers take applications and make disclosures; the safeguarding unit runs
    # the checks with partners and records the panel's decision.
    "dvds.view": _READERS,
    "dvds.record": frozenset(
        {R.RESPONSE_OFFICER, R.INVESTIGATOR, R.SUPERVISOR, R.SAFEGUARDING, R.NEIGHBOURHOOD}
    ),
    "dvds.decide": frozenset({R.SAFEGUARDING}),
    "dvds.disclose": frozenset(
        {R.RESPONSE_OFFICER, R.INVESTIGATOR, R.SUPERVISOR, R.SAFEGUARDING, R.NEIGHBOURHOOD}
    ),
    "missing.view": _READERS,
    "missing.report": frozenset(
        {R.CALL_HANDLER, R.RESPONSE_OFFICER, R.INVESTIGATOR, R.SUPERVISOR, R.SAFEGUARDING}
    ),
    "missing.update": frozenset(
        {R.RESPONSE_OFFICER, R.INVESTIGATOR, R.SUPERVISOR, R.SAFEGUARDING, R.NEIGHBOURHOOD}
    ),
    # APP (addendum 1.6 ✅): supervisors review and confirm the risk assessment.
    "missing.review": frozenset({R.SUPERVISOR, R.SAFEGUARDING, R.INVESTIGATOR}),
    "notify.view": frozenset({R.SUPERVISOR, R.SENIOR_LEADER, R.ADMINISTRATOR}),
    "audit.view": frozenset({R.AUDITOR, R.SENIOR_LEADER}),
    # Administration (administration/): accounts, the force's units, and withdrawing access to
    # restricted records (a leaver, a mover). Granting access stays with those who may restrict
    # and can see the record (record.restrict): whoever makes accounts cannot also hand a new
    # account a restricted record.
    "user.manage": frozenset({R.ADMINISTRATOR}),
    "unit.manage": frozenset({R.ADMINISTRATOR}),
    "access.revoke": frozenset({R.ADMINISTRATOR}),
    "unit.view": frozenset(set(R)),
}

# Roles whose writes reach every district; everyone else writes within their own district.
FORCE_WIDE_ROLES = frozenset(
    {R.CALL_HANDLER, R.QUALITY_ASSURANCE, R.SAFEGUARDING, R.SENIOR_LEADER, R.OFFENDER_MANAGER}
)


class UnknownAction(ImproperlyConfigured):
    """An operation asked about an action that has no permission rule."""


def can(actor: User | None, action: str) -> bool:
    try:
        allowed = PERMISSIONS[action]
    except KeyError:
        raise UnknownAction(f"No permission rule for {action!r}") from None
    return bool(actor and actor.is_authenticated and actor.is_active and actor.role in allowed)


def require(actor: User | None, action: str) -> None:
    if not can(actor, action):
        raise NotAllowed(action, PERMISSIONS[action])  # worded for people (refusals.py)


def write_scope(actor: User) -> Unit:
    """The subtree of units whose records this user may change."""
    if actor.role in FORCE_WIDE_ROLES:
        node = actor.unit
        while node.parent_id:
            node = node.parent
        return node
    return actor.unit.district()


def require_unit(actor: User, unit: Unit | None) -> None:
    """Refuses a change to a record owned outside the actor's district (force-wide roles pass)."""
    if unit is not None and not write_scope(actor).contains(unit):
        raise PermissionDenied(
            f"You tried to change a record of {unit}, which is outside your area "
            f"({write_scope(actor)}). Officers of that area may."
        )


def _granted_ids(actor: User, model: type[Model]) -> QuerySet:
    return AccessGrant.objects.filter(
        user=actor, content_type=ContentType.objects.get_for_model(model)
    ).values("object_id")


def permission_name(model: type[Model]) -> str:
    return getattr(model, "permission_name", model._meta.model_name)


def visible(queryset: QuerySet, actor: User, action: str = "view") -> QuerySet:
    """The records of ``queryset`` this user may see: none without the role's permission, and
    restricted ones only with a grant. Use for every list, detail, search, count and link."""
    model = queryset.model
    require(actor, f"{permission_name(model)}.{action}")
    if not hasattr(model, "is_restricted"):
        return queryset
    return queryset.filter(Q(is_restricted=False) | Q(pk__in=_granted_ids(actor, model)))


def visible_q(actor: User, model: type[Model], prefix: str) -> Q:
    """A Q for filtering *related* rows (e.g. links) to those whose ``prefix`` record is visible."""
    if not hasattr(model, "is_restricted"):
        return Q()
    return Q(**{f"{prefix}__is_restricted": False}) | Q(
        **{f"{prefix}_id__in": _granted_ids(actor, model)}
    )


# Records a feature keeps restricted by default (issue 17: safeguarding records are for the
# safeguarding role and the officers who created or hold them), each with the function that gives
# the ids of those a reader may see. The feature scopes its own pages with the same rule;
# ``hidden_ids`` answers with it, and the duty queues and the audit log leave the rest out
# (``unseen``). Asked for what a reader may see, not what they may not: for most readers that is
# a few records or none, where the rest is nearly the whole table (an officer's duty list read
# every referral in the force to leave them out).
SEEN_BY_DEFAULT: dict[type[Model], Callable[[User], QuerySet | None]] = {}
# Of those, the models whose duties their policies already keep to their readers
# (``Policy.readers``): the duty queues need not ask again (a subquery on every duty query).
DUTIES_KEPT_BY_READERS: set[type[Model]] = set()


def register_restricted_by_default(
    model: type[Model], seen: Callable[[User], QuerySet | None], *, duties_by_readers=False
) -> None:
    """``seen(actor)``: the ids (a ``values("pk")`` queryset) of ``model``'s records that
    ``actor`` may see, or None where they may see every one. ``duties_by_readers``: every policy
    with duties on these records has ``readers`` that keep them to the same people."""
    SEEN_BY_DEFAULT[model] = seen
    if duties_by_readers:
        DUTIES_KEPT_BY_READERS.add(model)


def ids_as_text(ids: QuerySet) -> QuerySet:
    """A ``values("pk")`` queryset as text, for a field that holds ids as text (the audit log's
    ``record_id``), matched in the database however many there are."""
    return ids.annotate(as_text=Cast("pk", CharField())).values("as_text")


def unseen(
    actor: User,
    kind: Callable[[type[Model]], Q],
    ids: str,
    *,
    as_text: bool = False,
    duties: bool = False,
) -> Q:
    """Rows about records restricted by default that ``actor`` may not see: rows matching
    ``kind(model)`` whose ``ids`` field names one outside ``seen(actor)`` (cast to text for a
    field that holds ids as text, as the audit log's does). ``kind`` maps a model to the Q that
    picks its rows (its content type, its record type). ``duties``: for the duty queues."""
    found = Q(pk__in=[])
    for model, seen_by in SEEN_BY_DEFAULT.items():
        if duties and model in DUTIES_KEPT_BY_READERS:
            continue
        seen = seen_by(actor)
        if seen is None:
            continue
        if seen.query.is_empty():  # sees none of them: no subquery to build
            found |= kind(model)
            continue
        if as_text:
            seen = ids_as_text(seen)
        found |= kind(model) & ~Q(**{f"{ids}__in": seen})
    return found


def hidden_ids(actor: User, model: type[Model]) -> QuerySet:
    """The ids of ``model``'s restricted records this user holds no grant for. Everything that
    names, links or counts a record by id (history, duty queues, panels, audit pages) leaves these
    out; for a model that cannot be restricted, none."""
    if model in SEEN_BY_DEFAULT:
        seen = SEEN_BY_DEFAULT[model](actor)
        if seen is None:
            return model.objects.none().values("pk")
        return model.objects.exclude(pk__in=seen).values("pk")
    if not hasattr(model, "is_restricted"):
        return model.objects.none().values("pk")
    return (
        model.objects.filter(is_restricted=True)
        .exclude(pk__in=_granted_ids(actor, model))
        .values("pk")
    )


def check_visible(actor: User, obj: Model, action: str = "view") -> Model:
    """``get_visible`` for a record the caller loaded or created in this transaction: the same
    answer (404 for a restricted record without a grant) from the instance in hand, with a query
    only for a restricted one."""
    model = type(obj)
    require(actor, f"{permission_name(model)}.{action}")
    if (
        getattr(obj, "is_restricted", False)
        and not _granted_ids(actor, model).filter(object_id=obj.pk).exists()
    ):
        raise Http404(f"No {model._meta.verbose_name} {obj.pk}.")
    return obj


def get_visible(queryset: QuerySet, actor: User, pk: int, action: str = "view") -> Model:
    """One record, or 404: a restricted record without a grant does not exist for this user."""
    try:
        return visible(queryset, actor, action).get(pk=pk)
    except queryset.model.DoesNotExist:
        raise Http404(f"No {queryset.model._meta.verbose_name} {pk}.") from None
