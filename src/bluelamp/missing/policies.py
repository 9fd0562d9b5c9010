"""The duties of a missing person report. Reviews by risk grade: domain.md 10 (2018 report:
missing-from-home reports checked hourly) as settings per grade, since no national frequency by
grade was found (domain-addendum.md 1.6 ❌); each review opens the next. On return: the police
safe-and-well check (domain.md 11; no limit found, a force setting) and, for a child, the
independent return interview offered within 72 hours (domain.md 11, DfE guidance ⚠️)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from bluelamp.duties.registry import Owner, Policy, register

from .models import RiskGrade

QUEUE = "missing-persons"


def _owner(event, report) -> Owner:
    return Owner(
        user=report.officer_in_case or report.created_by, unit=report.owning_unit, queue=QUEUE
    )


def _after(setting: str):
    def due(opened: dt.datetime, event, report) -> dt.datetime:
        return opened + dt.timedelta(hours=getattr(settings, setting))

    return due


def _review_policy(grade: str) -> Policy:
    setting = f"BLUELAMP_MISSING_REVIEW_HOURS_{grade.upper()}"
    return Policy(
        name=f"missing-review-{grade}",
        title=f"Review the missing person report ({grade} risk)",
        # domain.md 10: reports checked hourly (2018 report); addendum 1.6 ❌: no national
        # frequency by grade, so each grade's interval is a setting.
        rule=f"Missing person reviews, {grade} risk: as often as the force sets ({setting})",
        opened_by="missing.review_due",
        applies=lambda event, report, g=grade: event.payload.get("grade") == g,
        owner=_owner,
        due=_after(setting),
        discharged_by=("missing.reviewed",),
        cancelled_by=("missing.returned",),
    )


REVIEWS = {grade: register(_review_policy(grade)) for grade in RiskGrade.values}

SAFE_AND_WELL = register(
    Policy(
        name="missing-safe-and-well",
        title="Do the police safe-and-well check",
        # domain.md 11; within BLUELAMP_MISSING_SAFE_AND_WELL_HOURS, a force setting.
        rule="Missing people: a police safe-and-well check on return",
        opened_by="missing.returned",
        owner=_owner,
        due=_after("BLUELAMP_MISSING_SAFE_AND_WELL_HOURS"),
        discharged_by=("missing.safe_and_well_checked",),
    )
)

RETURN_INTERVIEW = register(
    Policy(
        name="missing-return-interview",
        title="Offer the child an independent return interview",
        # domain.md 11, DfE statutory guidance ⚠️.
        rule="Missing children: an independent return interview offered within 72 hours of "
        "return (Department for Education statutory guidance)",
        opened_by="missing.returned",
        applies=lambda event, report: report.is_child,
        owner=_owner,
        due=_after("BLUELAMP_MISSING_RETURN_INTERVIEW_HOURS"),
        discharged_by=("missing.return_interview_offered",),
    )
)
