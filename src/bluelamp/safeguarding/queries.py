"""What the MASH asks: its queue (risk, then age), demand and capacity per hub (in and out per
day by risk, the backlog by risk and age, staff on shift, days to clear, the warning when
intake outruns throughput), referral quality by officer and team, and MARAC's monthly trend.
Everything is read through ``services.visible_referrals`` and the safeguarding role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Avg, Count, IntegerField, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncMonth
from django.utils import timezone

from bluelamp.accounts.models import User
from bluelamp.accounts.permissions import require
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.duties.deadlines import LONDON

from .models import MaracCase, QualityFeedback, Referral, RiskLevel, RotaShift, Status
from .services import visible_referrals

LEVELS = [RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.STANDARD]
# The backlog's age bands, in days since submission: under 1, 1-3, 3-7, 7 or more.
AGE_BANDS = [
    (0, 1, "under 1 day"),
    (1, 3, "1 to 3 days"),
    (3, 7, "3 to 7 days"),
    (7, None, "7 days or more"),
]
QUEUE_LIMIT = 100


def listing(actor: User, *, limit: int = 100) -> list:
    """The referrals this user may see, newest first: an officer's own, all for MASH staff."""
    rows = list(
        visible_referrals(actor)
        .select_related("hub", "assessment", "marac")
        .prefetch_related("subjects", "children")
        .order_by("-created_at", "-id")[:limit]
    )
    audit.record(
        actor=actor,
        action=Action.SEARCH,
        record_type="referral",
        label="referrals",
        detail={"referrals": [r.pk for r in rows]},
    )
    return rows


def queue(actor: User, hub, *, limit: int = QUEUE_LIMIT) -> list:
    """A hub's referrals awaiting triage: high risk first, then the oldest. Each row says
    whether it is past its triage deadline (``late``)."""
    require(actor, "safeguarding.mash")
    now = timezone.now()
    rows = list(
        visible_referrals(actor)
        .filter(hub=hub, status=Status.SUBMITTED)
        .order_by("-risk_rank", "submitted_at", "id")
        .only(
            "id",
            "reference",
            "concern",
            "risk_level",
            "submitted_at",
            "triage_due_at",
            "created_by_name",
            "routed_by",
        )[:limit]
    )
    for row in rows:
        row.late = row.triage_due_at is not None and row.triage_due_at < now
    audit.record(
        actor=actor,
        action=Action.SEARCH,
        record_type="referral",
        label=f"MASH queue {hub.code}",
        detail={"hub": hub.code, "referrals": [r.pk for r in rows]},
    )
    return rows


@dataclass
class Demand:
    hub: object
    days: list[dict]  # {"day", "in": {level: n}, "out": {level: n}, "in_total", "out_total"}
    backlog: dict  # {level: [n per age band]}
    backlog_total: int
    late: dict  # {level: n past their triage deadline}
    on_shift: int
    out_per_day: float
    days_to_clear: float | None
    run_over: int  # the latest consecutive days with intake above throughput
    warning: bool
    bands: list[str] = field(default_factory=lambda: [b[2] for b in AGE_BANDS])


def _per_day(referrals, moment: str, first: dt.date, days: int) -> dict:
    """{day: {level: n}} for the London days from ``first``. The day is found by comparing with
    each day's start in UTC (a CASE over the window), not by converting every row's time zone in
    the database: SQLite would call a Python function per row (bench/mash_bench.py)."""
    starts = [
        dt.datetime.combine(first + dt.timedelta(days=n), dt.time(0), tzinfo=LONDON)
        for n in range(days + 1)
    ]
    # Written out as SQL: Django's Case/When with a branch per day costs more to build than the
    # query takes to run. Boundaries go through the backend's own datetime adaptation.
    quote = connection.ops.quote_name
    column = f"{quote(Referral._meta.db_table)}.{quote(moment)}"  # our names, not input
    adapt = connection.ops.adapt_datetimefield_value
    day = RawSQL(  # noqa: S611 - only our column name and day numbers; the times are parameters
        "CASE "
        + " ".join(f"WHEN {column} < %s THEN {n}" for n in range(days))
        + f" ELSE {days} END",
        [adapt(start) for start in starts[1:]],
        output_field=IntegerField(),
    )
    rows = (
        referrals.filter(**{f"{moment}__gte": starts[0], f"{moment}__lt": starts[-1]})
        .annotate(day_index=day)
        .values("day_index", "risk_level")
        .annotate(n=Count("id"))
        .order_by()
    )
    found: dict = {}
    for row in rows:
        found.setdefault(first + dt.timedelta(days=row["day_index"]), {})[row["risk_level"]] = row[
            "n"
        ]
    return found


def demand(actor: User, hub, *, days: int | None = None) -> Demand:
    """Demand and capacity of one hub (issue 17: "the view the inspectors said the force could
    not produce"). Throughput is the referrals triaged per day over the period shown."""
    require(actor, "safeguarding.mash")
    days = days or settings.BLUELAMP_MASH_DEMAND_DAYS
    now = timezone.now()
    today = now.astimezone(LONDON).date()
    first = today - dt.timedelta(days=days - 1)
    referrals = visible_referrals(actor).filter(hub=hub)
    came_in = _per_day(referrals.exclude(status=Status.DRAFT), "submitted_at", first, days)
    went_out = _per_day(referrals.filter(status=Status.TRIAGED), "triaged_at", first, days)
    rows = []
    for n in range(days):
        day = first + dt.timedelta(days=n)
        ins, outs = came_in.get(day, {}), went_out.get(day, {})
        rows.append(
            {
                "day": day,
                "in": [ins.get(level, 0) for level in LEVELS],
                "out": [outs.get(level, 0) for level in LEVELS],
                "in_total": sum(ins.values()),
                "out_total": sum(outs.values()),
            }
        )
    open_ = referrals.filter(status=Status.SUBMITTED)
    bands = {}
    for n, (lower, upper, _label) in enumerate(AGE_BANDS):
        after = now - dt.timedelta(days=upper) if upper is not None else None
        q = Q(submitted_at__lte=now - dt.timedelta(days=lower))
        if after is not None:
            q &= Q(submitted_at__gt=after)
        bands[f"band{n}"] = Count("id", filter=q)
    counted = {
        row["risk_level"]: row
        for row in open_.values("risk_level").annotate(
            late=Count("id", filter=Q(triage_due_at__lt=now)), **bands
        )
    }
    backlog = {
        level: [counted.get(level, {}).get(f"band{n}", 0) for n in range(len(AGE_BANDS))]
        for level in LEVELS
    }
    late = {level: counted.get(level, {}).get("late", 0) for level in LEVELS}
    total = sum(sum(v) for v in backlog.values())
    on_shift = (
        RotaShift.objects.filter(hub=hub, starts_at__lte=now, ends_at__gt=now)
        .values("staff")
        .distinct()
        .count()
    )
    out_per_day = sum(r["out_total"] for r in rows) / days
    run = 0
    for row in reversed(rows[:-1] or rows):  # whole days: today is still filling up
        if row["in_total"] > row["out_total"]:
            run += 1
        else:
            break
    audit.record(
        actor=actor,
        action=Action.SEARCH,
        record_type="referral",
        label=f"MASH demand {hub.code}",
        detail={"hub": hub.code, "days": days},
    )
    return Demand(
        hub=hub,
        days=rows,
        backlog=backlog,
        backlog_total=total,
        late=late,
        on_shift=on_shift,
        out_per_day=round(out_per_day, 1),
        days_to_clear=round(total / out_per_day, 1) if out_per_day else None,
        run_over=run,
        warning=run >= settings.BLUELAMP_MASH_WARNING_RUN_DAYS,
    )


def quality(actor: User, *, by: str = "officer", months: int = 12) -> list[dict]:
    """Referral quality as the MASH rated it, by officer or team, month by month."""
    require(actor, "safeguarding.mash")
    if by not in ("officer", "team"):
        raise ValueError("by officer or team")
    since = timezone.now() - dt.timedelta(days=31 * months)
    key = "officer__username" if by == "officer" else "team__name"
    rows = (
        QualityFeedback.objects.filter(at__gte=since)
        .annotate(month=TruncMonth("at", tzinfo=LONDON))
        .values(key, "month")
        .annotate(n=Count("id"), average=Avg("rating"), poor=Count("id", filter=Q(rating__lte=2)))
        .order_by(key, "month")
    )
    audit.record(
        actor=actor, action=Action.SEARCH, record_type="referral", label=f"referral quality by {by}"
    )
    return [
        {
            "key": row[key],
            "month": row["month"].date() if hasattr(row["month"], "date") else row["month"],
            "n": row["n"],
            "average": round(row["average"], 2),
            "poor": row["poor"],
        }
        for row in rows
    ]


def marac_trend(actor: User, *, months: int = 24) -> list[dict]:
    """MARAC referrals by month and area (issue 17: "MARAC referrals up 34% in two years")."""
    require(actor, "safeguarding.marac")
    since = timezone.now() - dt.timedelta(days=31 * months)
    rows = (
        MaracCase.objects.filter(referred_at__gte=since)
        .annotate(month=TruncMonth("referred_at", tzinfo=LONDON))
        .values("month", "hub__name")
        .annotate(n=Count("id"))
        .order_by("month", "hub__name")
    )
    return [
        {
            "month": row["month"].date() if hasattr(row["month"], "date") else row["month"],
            "area": row["hub__name"],
            "n": row["n"],
        }
        for row in rows
    ]
