"""Clare's Law: the Domestic Violence Disclosure Scheme (domain.md 7; domain-addendum.md 1.3,
which stands). Two routes, right to ask and right to know (✅ [S40]); checks; the multi-agency
panel's necessity and proportionality decision with its rationale (✅); the disclosure record
(who, when, what was said); and the decision due within 28 days of the application
(BLUELAMP_DVDS_DECISION_DAYS; ⚠️ addendum 1.3: read on the gov.uk consultation page only). No
new power: the police common-law power to disclose to prevent crime (A17 ✅)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from bluelamp.accounts.models import Unit, User
from bluelamp.accounts.permissions import require, require_unit
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core import validation as v
from bluelamp.core.history import snapshot
from bluelamp.core.models import Person
from bluelamp.core.transactions import service
from bluelamp.core.writes import written

from .access import get_scoped, scoped
from .models import (
    ApplicationState,
    CheckSource,
    Disclosure,
    DisclosureApplication,
    DisclosureCheck,
    DisclosureDecision,
    Route,
)

APPLICATIONS = DisclosureApplication.objects.select_related(
    "person_at_risk", "subject", "applicant"
)


@service
def receive_application(
    *,
    actor: User,
    route: str,
    person_at_risk: Person,
    subject: Person,
    owning_unit: Unit,
    reason: str,
    applicant: Person | None = None,
    applicant_relationship: str = "",
    received_at: dt.datetime | None = None,
) -> DisclosureApplication:
    """An application by either route. Right to ask: ``applicant`` is who asked (the person at
    risk or a third party), a person matched on entry by the caller (people.entry)."""
    require(actor, "dvds.record")
    require_unit(actor, owning_unit)
    v.check_choice(route, Route, "route")
    relationship = v.clean_text(
        applicant_relationship, field="applicant_relationship", max_length=200
    )
    if route == Route.RIGHT_TO_ASK and applicant is None:
        raise ValidationError({"applicant": "Say who asked (right to ask)."})
    if route == Route.RIGHT_TO_KNOW and (applicant is not None or relationship):
        raise ValidationError(
            {"applicant": "Right to know is raised by police or professionals: no applicant."}
        )
    if applicant is not None and applicant.pk == subject.pk:
        raise ValidationError({"applicant": "The person asked about cannot be the applicant."})
    if person_at_risk.pk == subject.pk:
        raise ValidationError({"subject": "The person asked about is not the person at risk."})
    received_at = v.check_moment(received_at, field="received_at") or timezone.now()
    application = DisclosureApplication.objects.create(
        route=route,
        person_at_risk=person_at_risk,
        subject=subject,
        applicant=applicant,
        applicant_relationship=relationship,
        reason=v.clean_text(reason, field="reason", max_length=4000, required=True),
        received_at=received_at,
        decision_due_at=received_at + dt.timedelta(days=settings.BLUELAMP_DVDS_DECISION_DAYS),
        owning_unit=owning_unit,
        created_by=actor,
        created_at=timezone.now(),
    )
    written(
        application,
        actor=actor,
        action="create",
        summary="Application received",
        event="dvds.application_received",
        at=received_at,
    )
    return application


def _writable(actor, application, action) -> DisclosureApplication:
    application = get_scoped(
        DisclosureApplication.objects.select_for_update(), actor, application.pk, action
    )
    require_unit(actor, application.owning_unit)
    return application


@service
def record_check(
    *, actor: User, application: DisclosureApplication, source: str, finding: str
) -> DisclosureCheck:
    application = _writable(actor, application, "record")
    if application.state != ApplicationState.CHECKING:
        raise ValidationError({"finding": "The panel has already decided."})
    v.check_choice(source, CheckSource, "source")
    check = DisclosureCheck.objects.create(
        application=application,
        source=source,
        finding=v.clean_text(finding, field="finding", max_length=4000, required=True),
        by_name=actor.display_name,
        at=timezone.now(),
    )
    written(
        check,
        actor=actor,
        action="create",
        subject=application,
        summary="Check",
        detail={"check": check.pk},
    )
    return check


@service
def record_decision(
    *,
    actor: User,
    application: DisclosureApplication,
    necessary: bool,
    proportionate: bool,
    rationale: str,
    panel: str,
) -> DisclosureDecision:
    """The panel's decision: disclose only when necessary and proportionate (domain.md 7)."""
    application = _writable(actor, application, "decide")
    if hasattr(application, "decision"):
        raise ValidationError({"rationale": "The panel has already decided."})
    if not application.checks.exists():
        raise ValidationError({"rationale": "Record the checks before the panel decides."})
    now = timezone.now()
    decision = DisclosureDecision.objects.create(
        application=application,
        necessary=bool(necessary),
        proportionate=bool(proportionate),
        disclose=bool(necessary and proportionate),
        rationale=v.clean_text(rationale, field="rationale", max_length=4000, required=True),
        panel=v.clean_text(panel, field="panel", max_length=500, required=True),
        by_name=actor.display_name,
        decided_at=now,
    )
    before = snapshot(application)
    application.state = (
        ApplicationState.TO_DISCLOSE if decision.disclose else ApplicationState.DECIDED
    )
    written(
        application,
        actor=actor,
        action="change",
        before=before,
        save=["state"],
        summary="Decided",
        detail={"decision": 1},
        event="dvds.decision_recorded",
        at=now,
        payload={"disclose": decision.disclose},
    )
    return decision


@service
def record_disclosure(
    *,
    actor: User,
    application: DisclosureApplication,
    what_was_said: str,
    safety_plan: str = "",
    disclosed_at: dt.datetime | None = None,
) -> Disclosure:
    """The disclosure, to the person at risk: who, when, what was said (a disclosure of personal
    data, audited as one: Data Protection Act 2018 s.62, domain.md 11)."""
    application = _writable(actor, application, "disclose")
    if application.state != ApplicationState.TO_DISCLOSE:
        raise ValidationError({"what_was_said": "Only a decision to disclose can be disclosed."})
    disclosure = Disclosure.objects.create(
        application=application,
        disclosed_to=application.person_at_risk,
        disclosed_at=v.check_moment(
            disclosed_at,
            field="disclosed_at",
            not_before=application.received_at,
            not_before_what="the application",
        )
        or timezone.now(),
        disclosed_by_name=actor.display_name,
        what_was_said=v.clean_text(
            what_was_said, field="what_was_said", max_length=4000, required=True
        ),
        safety_plan=v.clean_text(safety_plan, field="safety_plan", max_length=2000),
    )
    before = snapshot(application)
    application.state = ApplicationState.DISCLOSED
    # The disclosure of the subject's data is an audit row of its own, before the write's.
    audit.record(
        actor=actor,
        action=Action.DISCLOSE,
        obj=application.subject,
        detail={"dvds": application.pk, "to": application.person_at_risk_id},
    )
    written(
        application,
        actor=actor,
        action="change",
        before=before,
        save=["state"],
        summary="Disclosed",
        detail={"disclosed": 1},
        event="dvds.disclosed",
        at=disclosure.disclosed_at,
    )
    return disclosure


def list_applications(*, actor: User) -> QuerySet[DisclosureApplication]:
    audit.record(actor=actor, action=Action.SEARCH, record_type="dvds", detail={})
    return scoped(APPLICATIONS, actor)


def view_application(*, actor: User, pk: int) -> DisclosureApplication:
    application = get_scoped(APPLICATIONS, actor, pk)
    audit.record(actor=actor, action=Action.VIEW, obj=application)
    return application
