"""Reads of missing person reports (each audited), and the flags on a person computed from their
own history of reports: repeat missing, and missing from care. A flag shows its reasons."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from bluelamp.accounts.models import User
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core import validation as v

from .access import get_scoped, scoped
from .models import MissingFrom, MissingReport, ReportStatus, RiskGrade


@dataclass(frozen=True)
class Flag:
    name: str
    reasons: list[str]


def list_reports(*, actor: User, status: str = "", grade: str = "") -> QuerySet[MissingReport]:
    reports = scoped(actor).select_related("person", "owning_unit")
    if status:
        v.check_choice(status, ReportStatus, "status")
        reports = reports.filter(status=status)
    if grade:
        v.check_choice(grade, RiskGrade, "grade")
        reports = reports.filter(risk_grade=grade)
    audit.record(
        actor=actor,
        action=Action.SEARCH,
        record_type="missing",
        detail={"status": status, "grade": grade},
    )
    return reports.order_by("status", "-reported_at", "-pk")


def view_report(*, actor: User, pk: int) -> MissingReport:
    report = get_scoped(
        actor, pk, queryset=MissingReport.objects.select_related("person", "owning_unit")
    )
    audit.record(actor=actor, action=Action.VIEW, obj=report)
    return report


def flags_for(report: MissingReport, actor: User) -> list[Flag]:
    """The person's flags as at this report, from every report about the same person (the matched
    record: match-on-entry links a known person rather than a new one). Repeat missing: at least
    BLUELAMP_MISSING_REPEAT_EPISODES reports, this one included, within
    BLUELAMP_MISSING_REPEAT_DAYS; missing from care: this or an earlier report in that window was
    from a care placement. Worked out from every report about the person (the flag is what an
    officer needs to know about them), but the reasons name only the reports ``actor`` may see;
    the others are mentioned, not counted or named."""
    seen = set(scoped(actor).filter(person_id=report.person_id).values_list("pk", flat=True))
    since = report.reported_at - dt.timedelta(days=settings.BLUELAMP_MISSING_REPEAT_DAYS)
    history = list(
        MissingReport.objects.filter(
            person_id=report.person_id, reported_at__gte=since, reported_at__lte=report.reported_at
        ).order_by("reported_at", "pk")
    )
    flags = []
    needed = settings.BLUELAMP_MISSING_REPEAT_EPISODES
    if len(history) >= needed:
        days = settings.BLUELAMP_MISSING_REPEAT_DAYS
        flags.append(
            Flag(
                "Repeat missing",
                [f"At least {needed} reports in {days} days", *_named(history, seen)],
            )
        )
    from_care = [r for r in history if r.missing_from == MissingFrom.CARE]
    if from_care:
        flags.append(Flag("Missing from care", _named(from_care, seen)))
    return flags


def _named(reports: list[MissingReport], seen: set[int]) -> list[str]:
    named = [
        f"{r.reference}: {timezone.localtime(r.reported_at):%d %b %Y}, missing from "
        f"{r.get_missing_from_display().lower()}"
        for r in reports
        if r.pk in seen
    ]
    if len(named) < len(reports):
        named.append("Other reports are held by the safeguarding hub.")
    return named
