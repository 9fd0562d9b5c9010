"""The questions supervisors and leaders ask about victims: whose updates are overdue (by officer
and team), were victims updated on time and as often as they asked, who has enhanced rights,
were referrals sent on time, and how satisfied are victims (with 95% confidence intervals).
All are queries over duties, contacts, referrals and surveys; none keeps counts of its own."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import require
from bluelamp.duties.deadlines import LONDON
from bluelamp.duties.models import Duty, Outcome
from bluelamp.duties.queries import _scope as duty_scope

from . import rules
from .models import Contact, Survey, VictimRecord
from .policies import ALL as VICTIM_POLICIES
from .policies import REFERRAL
from .services import visible_victims

UPDATE_POLICIES = [name for name in VICTIM_POLICIES if name != REFERRAL.name]
UNALLOCATED = "(not allocated)"


def victim_duties(actor: User) -> QuerySet[Duty]:
    """Victims' Code duties in this user's area (the duties scope: their district, or the force
    for force-wide roles)."""
    require(actor, "victim.supervise")
    return duty_scope(actor).filter(policy__in=list(VICTIM_POLICIES))


def overdue_updates(actor: User) -> QuerySet[Duty]:
    return (
        victim_duties(actor)
        .filter(outcome=Outcome.OPEN, due_at__lt=timezone.now())
        .order_by("due_at")
    )


# The victim's crime's officer in case *now*: a duty opened before the crime was allocated
# (the referral always is) counts against the officer who has the case.
OFFICER_IN_CASE = Subquery(
    VictimRecord.objects.filter(pk=OuterRef("subject_id")).values("crime__officer_in_case")[:1]
)


def _by_officer(rows: list[dict]) -> list[dict]:
    officers = User.objects.in_bulk([r["officer"] for r in rows if r["officer"]])
    return [
        {**r, "key": officers[r["officer"]].display_name if r["officer"] else UNALLOCATED}
        for r in rows
    ]


def overdue_counts(actor: User) -> dict[str, list[dict]]:
    """How many victims' duties are overdue, by officer in case and by team."""
    overdue = overdue_updates(actor).order_by()  # no ordering columns in the GROUP BY
    by_officer = _by_officer(
        list(overdue.annotate(officer=OFFICER_IN_CASE).values("officer").annotate(n=Count("id")))
    )
    by_officer.sort(key=lambda r: -r["n"])
    by_team = overdue.values(key=F("owner_unit__name")).annotate(n=Count("id")).order_by("-n")
    return {"officer": by_officer, "team": list(by_team)}


_GROUPS = {
    "officer": OFFICER_IN_CASE,
    "team": F("owner_unit__name"),
    "policy": F("policy"),
    "month": TruncMonth("due_at", tzinfo=LONDON),
}


def updated_on_time(actor: User, *, by: str = "team", referral: bool = False) -> list[dict]:
    """Share of victims' update duties (or referrals) done on time, grouped by officer, team,
    policy or month of the deadline; ``rate`` counts everything that has fallen due."""
    if by not in _GROUPS:
        raise ValueError(f"group by one of {sorted(_GROUPS)}")
    now = timezone.now()
    names = [REFERRAL.name] if referral else UPDATE_POLICIES
    duties = victim_duties(actor).filter(policy__in=names).exclude(outcome=Outcome.CANCELLED)
    done = Q(outcome=Outcome.DONE)
    rows = (
        duties.annotate(key=_GROUPS[by])
        .values("key")
        .annotate(
            on_time=Count("id", filter=done & Q(done_at__lte=F("due_at"))),
            late=Count("id", filter=done & Q(done_at__gt=F("due_at"))),
            overdue=Count("id", filter=Q(outcome=Outcome.OPEN, due_at__lt=now)),
            open=Count("id", filter=Q(outcome=Outcome.OPEN, due_at__gte=now)),
        )
        .order_by("key")
    )
    if by == "officer":
        rows = [{**r, "officer": r["key"]} for r in rows]
        rows = _by_officer(rows)
    result = []
    for row in rows:
        fallen_due = row["on_time"] + row["late"] + row["overdue"]
        row["key"] = row["key"] if row["key"] is not None else UNALLOCATED
        row["rate"] = row["on_time"] / fallen_due if fallen_due else None
        result.append(row)
    return result


def wishes_kept(victim: VictimRecord, contacts: list[Contact], now: dt.datetime) -> dict:
    """Was the victim updated as often as they asked (right 6: "as agreed with the victim")?
    The longest gap between the needs assessment, each contact and now (or the last contact, if
    the case is closed) is compared with their ``update_every_days``."""
    if not victim.update_every_days:
        return {"asked": None, "longest_gap_days": None, "kept": None}
    start = victim.needs_assessed_at or victim.opened_at
    moments = sorted([start, *[c.at for c in contacts if c.at >= start], now])
    gaps = [b - a for a, b in zip(moments, moments[1:], strict=False)]
    longest = max(gaps, default=dt.timedelta())
    days = longest.total_seconds() / 86400
    return {
        "asked": victim.update_every_days,
        "longest_gap_days": round(days, 1),
        "kept": days <= victim.update_every_days,
    }


def wishes_by(actor: User, *, by: str = "officer", limit: int = 2000) -> list[dict]:
    """Share of victims (with an agreed frequency) updated as often as they asked, by officer in
    case or team; and the list of victims it was not kept for."""
    require(actor, "victim.supervise")
    if by not in ("officer", "team", "victim"):
        raise ValueError("group by officer, team or victim")
    victims = list(
        visible_victims(actor).filter(update_every_days__isnull=False).order_by("-id")[:limit]
    )
    contacts = defaultdict(list)
    for contact in Contact.objects.filter(victim__in=victims):
        contacts[contact.victim_id].append(contact)
    now = timezone.now()
    groups: dict[str, dict] = {}
    for victim in victims:
        kept = wishes_kept(victim, contacts[victim.pk], now)
        oic = victim.crime.officer_in_case
        key = {
            "officer": oic.display_name if oic else UNALLOCATED,
            "team": victim.crime.owning_unit.name,
            "victim": victim.reference,
        }[by]
        group = groups.setdefault(key, {"key": key, "victims": 0, "kept": 0, "not_kept": []})
        group["victims"] += 1
        if kept["kept"]:
            group["kept"] += 1
        else:
            group["not_kept"].append(victim)
    for group in groups.values():
        group["rate"] = group["kept"] / group["victims"]
    return sorted(groups.values(), key=lambda g: g["key"])


def enhanced_victims(actor: User) -> QuerySet[VictimRecord]:
    require(actor, "victim.supervise")
    return visible_victims(actor).exclude(enhanced_reasons=[]).order_by("-opened_at")


def referrals_sent(actor: User, *, limit: int = 200) -> list[dict]:
    """Recent referrals with how long they took from the victim's record opening, and whether
    the referral duty was discharged on time."""
    duties = {
        d.subject_id: d
        for d in victim_duties(actor).filter(policy=REFERRAL.name).order_by("-opened_at")[:limit]
    }
    victims = visible_victims(actor).filter(pk__in=list(duties), referral__isnull=False)
    rows = []
    for victim in victims.select_related("referral").order_by("-referral__sent_at"):
        duty = duties[victim.pk]
        taken = victim.referral.sent_at - victim.opened_at
        rows.append(
            {
                "victim": victim,
                "referral": victim.referral,
                "hours": round(taken.total_seconds() / 3600, 1),
                "on_time": victim.referral.sent_at <= duty.due_at,
                # domain.md 10: victim services fed within 24 hours (a force setting).
                "within_feed_target": taken
                <= dt.timedelta(hours=settings.BLUELAMP_VICTIM_SERVICES_FEED_HOURS),
            }
        )
    return rows


_SURVEY_GROUPS = {
    "officer": F("officer"),
    "team": F("team__name"),
    "district": F("district__name"),
    "crime_type": F("crime_type"),
    "month": TruncMonth("answered_at", tzinfo=LONDON),
}


def satisfaction(
    actor: User, *, by: str = "team", question: str = "whole_experience", since=None
) -> list[dict]:
    """Victims satisfied (completely, very or fairly) with one question, by officer, team,
    district, crime type or month, each with its 95% Wilson interval, quoted as the reports do:
    "82.3% (± 0.8)". Answers are anonymous to the groups: no victim is named here."""
    require(actor, "victim.supervise")
    if by not in _SURVEY_GROUPS:
        raise ValueError(f"group by one of {sorted(_SURVEY_GROUPS)}")
    if question not in rules.SURVEY_QUESTIONS:
        raise ValueError(f"question is one of {sorted(rules.SURVEY_QUESTIONS)}")
    # Answers about restricted crimes or victims count only for those with a grant: a figure
    # is a count too (DESIGN.md: restricted means invisible everywhere).
    answered = Survey.objects.filter(answered_at__isnull=False, victim__in=visible_victims(actor))
    if since is not None:
        answered = answered.filter(answered_at__gte=since)
    rows = (
        answered.annotate(key=_SURVEY_GROUPS[by])
        .values("key")
        .annotate(
            n=Count("id"),
            satisfied=Count("id", filter=Q(**{f"{question}__lte": rules.SATISFIED_AT_MOST})),
        )
        .order_by("key")
    )
    if by == "officer":
        rows = _by_officer([{**r, "officer": r["key"]} for r in rows])
        for row in rows:
            row.pop("officer")
    result = []
    for row in rows:
        low, high = rules.wilson_interval(row["satisfied"], row["n"])
        row.update(
            key=row["key"] if row["key"] not in (None, "") else "(not known)",
            rate=row["satisfied"] / row["n"],
            low=low,
            high=high,
            quoted=rules.quote_rate(row["satisfied"], row["n"]),
        )
        result.append(row)
    return result
