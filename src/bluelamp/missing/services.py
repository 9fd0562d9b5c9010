"""The only writers of missing person records. Each checks the role, that the writer may see the
report (restricted by default: access.py) and the report's area, audits, keeps history and
emits the events that open and close the duties (policies.py)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from bluelamp.accounts.models import Unit, User
from bluelamp.accounts.permissions import require, require_unit
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core import validation as v
from bluelamp.core.history import log_change, snapshot
from bluelamp.core.models import Person
from bluelamp.core.transactions import service
from bluelamp.core.writes import written
from bluelamp.duties.services import emit

from .access import get_scoped
from .models import (
    Enquiry,
    EnquiryStatus,
    InterviewOutcome,
    MissingFrom,
    MissingReport,
    ReportStatus,
    RiskGrade,
    RiskReview,
    Sighting,
)


def _age_on(person: Person, day: dt.date) -> int | None:
    born = person.date_of_birth
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _writable(actor: User, report: MissingReport, action: str) -> MissingReport:
    report = get_scoped(actor, report.pk, action, MissingReport.objects.select_for_update())
    require_unit(actor, report.owning_unit)
    return report


def _still_missing(report: MissingReport, field: str) -> None:
    if report.status != ReportStatus.MISSING:
        raise ValidationError({field: "The person has already returned."})


def _review_due(report: MissingReport, actor: User, at: dt.datetime) -> None:
    emit(
        "missing.review_due",
        subject=report,
        actor=actor,
        at=at,
        payload={"grade": report.risk_grade},
    )


@service
def report_missing(
    *,
    actor: User,
    person: Person,
    owning_unit: Unit,
    last_seen_at: dt.datetime,
    last_seen_where: str,
    missing_from: str,
    circumstances: str,
    risk_grade: str,
    risk_reasons: str,
    is_child: bool | None = None,
    officer_in_case: User | None = None,
) -> MissingReport:
    """A new report. Whether the person is a child comes from their date of birth when it is
    known; otherwise from ``is_child`` as the caller says."""
    require(actor, "missing.report")
    require_unit(actor, owning_unit)
    now = timezone.now()
    last_seen_at = v.check_moment(last_seen_at, field="last_seen_at")
    if last_seen_at is None:
        raise ValidationError({"last_seen_at": "Say when they were last seen."})
    last_seen_where = v.clean_text(
        last_seen_where, field="last_seen_where", max_length=300, required=True
    )
    v.check_choice(missing_from, MissingFrom, "missing_from")
    circumstances = v.clean_text(
        circumstances, field="circumstances", max_length=4000, required=True
    )
    v.check_choice(risk_grade, RiskGrade, "risk_grade")
    risk_reasons = v.clean_text(risk_reasons, field="risk_reasons", max_length=2000, required=True)
    age = _age_on(person, timezone.localdate(now))
    report = MissingReport.objects.create(
        person=person,
        owning_unit=owning_unit,
        reported_at=now,
        last_seen_at=last_seen_at,
        last_seen_where=last_seen_where,
        missing_from=missing_from,
        circumstances=circumstances,
        risk_grade=risk_grade,
        risk_reasons=risk_reasons,
        is_child=age < 18 if age is not None else bool(is_child),
        officer_in_case=officer_in_case,
        created_by=actor,
        created_at=now,
    )
    written(
        report,
        actor=actor,
        action="create",
        summary="Reported missing",
        event="missing.reported",
        at=now,
        payload={"person": person.pk, "grade": risk_grade, "is_child": report.is_child},
    )
    _review_due(report, actor, now)
    return report


@service
def record_review(
    *, actor: User, report: MissingReport, grade: str, reasons: str, actions: str = ""
) -> RiskReview:
    """A review of the risk: discharges the review due and opens the next at the (new) grade's
    interval."""
    report = _writable(actor, report, "review")
    _still_missing(report, "grade")
    v.check_choice(grade, RiskGrade, "grade")
    reasons = v.clean_text(reasons, field="reasons", max_length=2000, required=True)
    actions = v.clean_text(actions, field="actions", max_length=2000)
    now = timezone.now()
    review = RiskReview.objects.create(
        report=report,
        at=now,
        by=actor,
        by_name=actor.display_name,
        grade=grade,
        reasons=reasons,
        actions=actions,
    )
    # Not ``written``: every review is audited and emitted, the history kept only for a regrading.
    if grade != report.risk_grade:
        before = snapshot(report)
        report.risk_grade, report.risk_reasons = grade, reasons
        report.save(update_fields=["risk_grade", "risk_reasons"])
        log_change(actor=actor, obj=report, action="change", before=before, summary="Regraded")
    audit.record(actor=actor, action=Action.CHANGE, obj=report, detail={"review": review.pk})
    emit("missing.reviewed", subject=report, actor=actor, at=now, payload={"grade": grade})
    _review_due(report, actor, now)
    return review


@service
def record_sighting(
    *,
    actor: User,
    report: MissingReport,
    seen_at: dt.datetime,
    where: str,
    reported_by: str,
    note: str = "",
) -> Sighting:
    report = _writable(actor, report, "update")
    seen_at = v.check_moment(seen_at, field="seen_at")
    if seen_at is None:
        raise ValidationError({"seen_at": "Say when they were seen."})
    sighting = Sighting.objects.create(
        report=report,
        seen_at=seen_at,
        where=v.clean_text(where, field="where", max_length=300, required=True),
        reported_by=v.clean_text(reported_by, field="reported_by", max_length=200, required=True),
        note=v.clean_text(note, field="note", max_length=2000),
        recorded_by_name=actor.display_name,
        recorded_at=timezone.now(),
    )
    written(
        sighting,
        actor=actor,
        action="create",
        subject=report,
        summary="Sighting",
        detail={"sighting": sighting.pk},
        event="missing.sighting_recorded",
        payload={"at": str(seen_at)},
    )
    return sighting


@service
def add_enquiry(*, actor: User, report: MissingReport, description: str) -> Enquiry:
    report = _writable(actor, report, "update")
    enquiry = Enquiry.objects.create(
        report=report,
        description=v.clean_text(description, field="description", max_length=500, required=True),
        recorded_by_name=actor.display_name,
        recorded_at=timezone.now(),
    )
    written(
        enquiry,
        actor=actor,
        action="create",
        subject=report,
        summary="Enquiry",
        detail={"enquiry": enquiry.pk},
    )
    return enquiry


@service
def complete_enquiry(
    *, actor: User, report: MissingReport, enquiry_id: int, result: str
) -> Enquiry:
    report = _writable(actor, report, "update")
    enquiry = report.enquiries.filter(pk=enquiry_id).first()
    if enquiry is None:
        raise ValidationError({"enquiry_id": "No such line of enquiry on this report."})
    if enquiry.status == EnquiryStatus.DONE:
        raise ValidationError({"enquiry_id": "This line of enquiry is already done."})
    before = snapshot(enquiry)
    enquiry.status = EnquiryStatus.DONE
    enquiry.result = v.clean_text(result, field="result", max_length=2000, required=True)
    written(
        enquiry,
        actor=actor,
        action="change",
        before=before,
        save=["status", "result"],
        subject=report,
        detail={"enquiry": enquiry.pk},
    )
    return enquiry


def _check_safe_and_well(report, at, findings) -> tuple[dt.datetime, str]:
    at = v.check_moment(
        at, field="safe_and_well_at", not_before=report.returned_at, not_before_what="the return"
    )
    findings = v.clean_text(
        findings, field="safe_and_well_findings", max_length=2000, required=True
    )
    return at or timezone.now(), findings


@service
def record_return(
    *,
    actor: User,
    report: MissingReport,
    returned_at: dt.datetime,
    found_where: str,
    return_account: str = "",
    safe_and_well_at: dt.datetime | None = None,
    safe_and_well_findings: str = "",
) -> MissingReport:
    """The person is back: the reviews stop; the safe-and-well check (done now, if its findings
    are given) and, for a child, the return interview are owed."""
    report = _writable(actor, report, "update")
    _still_missing(report, "returned_at")
    returned_at = v.check_moment(
        returned_at,
        field="returned_at",
        not_before=report.last_seen_at,
        not_before_what="they were last seen",
    )
    if returned_at is None:
        raise ValidationError({"returned_at": "Say when they returned."})
    before = snapshot(report)
    report.status = ReportStatus.RETURNED
    report.returned_at = returned_at
    report.found_where = v.clean_text(
        found_where, field="found_where", max_length=300, required=True
    )
    report.return_account = v.clean_text(return_account, field="return_account", max_length=2000)
    checked = bool((safe_and_well_findings or "").strip())
    if checked:
        at, findings = _check_safe_and_well(report, safe_and_well_at, safe_and_well_findings)
        report.safe_and_well_at, report.safe_and_well_findings = at, findings
        report.safe_and_well_by_name = actor.display_name
    written(
        report,
        actor=actor,
        action="change",
        before=before,
        save=True,
        summary="Returned",
        detail={"returned": True},
        event="missing.returned",
        at=returned_at,
        payload={"is_child": report.is_child},
    )
    if checked:
        emit("missing.safe_and_well_checked", subject=report, actor=actor)
    return report


@service
def record_safe_and_well(
    *, actor: User, report: MissingReport, findings: str, at: dt.datetime | None = None
) -> MissingReport:
    report = _writable(actor, report, "update")
    if report.status != ReportStatus.RETURNED:
        raise ValidationError({"findings": "Record the return first."})
    if report.safe_and_well_at is not None:
        raise ValidationError({"findings": "The safe-and-well check is already recorded."})
    before = snapshot(report)
    at, findings = _check_safe_and_well(report, at, findings)
    report.safe_and_well_at, report.safe_and_well_findings = at, findings
    report.safe_and_well_by_name = actor.display_name
    written(
        report,
        actor=actor,
        action="change",
        before=before,
        save=True,
        summary="Safe and well",
        detail={"safe_and_well": True},
        event="missing.safe_and_well_checked",
    )
    return report


@service
def record_return_interview(
    *,
    actor: User,
    report: MissingReport,
    outcome: str,
    provider: str,
    offered_at: dt.datetime | None = None,
) -> MissingReport:
    """A child's independent return interview offered (domain.md 11): by whom, and the answer."""
    report = _writable(actor, report, "update")
    if report.status != ReportStatus.RETURNED or not report.is_child:
        raise ValidationError({"outcome": "A return interview is offered to a returned child."})
    v.check_choice(outcome, InterviewOutcome, "outcome")
    provider = v.clean_text(provider, field="provider", max_length=200, required=True)
    offered_at = v.check_moment(
        offered_at, field="offered_at", not_before=report.returned_at, not_before_what="the return"
    )
    before = snapshot(report)
    report.interview_outcome, report.interview_by = outcome, provider
    report.interview_offered_at = offered_at or timezone.now()
    report.save()
    # Not ``written``: an interview recorded again unchanged is still audited and emitted.
    log_change(actor=actor, obj=report, action="change", before=before, summary="Interview")
    audit.record(actor=actor, action=Action.CHANGE, obj=report, detail={"interview": outcome})
    emit(
        "missing.return_interview_offered",
        subject=report,
        actor=actor,
        at=report.interview_offered_at,
        payload={"outcome": outcome},
    )
    return report
