"""The questions asked of investigations: my live investigations, the team's workload, which
investigations have gone longest without an update or a supervisor's review, the supervisory
footprint, which skills a crime needs and the suitable officers for it, and the digital
examination queue.

"Live" is a filter, not a state machine: an open crime (core Event status open) with no decision
not to investigate further, whatever else is happening to it (awaiting QA, returned, reallocated),
so nothing drops out of sight because of an internal step."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from bluelamp.accounts.models import Unit, User
from bluelamp.accounts.permissions import FORCE_WIDE_ROLES, can, get_visible, require, visible
from bluelamp.accounts.roles import Role
from bluelamp.audit import services as audit
from bluelamp.audit.models import Action
from bluelamp.core.choices import EventKind, EventStatus
from bluelamp.core.models import Event
from bluelamp.crime.models import Crime, InvestigationUpdate, SupervisorReview
from bluelamp.duties.models import Duty, Outcome

from .models import (
    DeviceExamination,
    EnquiryLine,
    EnquiryStatus,
    ExaminationStatus,
    NoFurtherInvestigation,
    OfficerSkill,
    Skill,
    SkillRequirement,
    SuspectAction,
)

INVESTIGATING_ROLES = (Role.INVESTIGATOR, Role.RESPONSE_OFFICER, Role.SUPERVISOR)


def live_crimes(actor: User) -> QuerySet[Event]:
    """Every live crime this user may see (restricted ones only with a grant)."""
    return (
        visible(Event.objects.all(), actor)
        .filter(kind=EventKind.CRIME, status=EventStatus.OPEN)
        .exclude(pk__in=NoFurtherInvestigation.objects.values("crime"))
    )


def _area_units(actor: User) -> QuerySet[Unit] | None:
    """The units a supervisor's figures cover: their district; None (everything) force-wide."""
    if actor.role in FORCE_WIDE_ROLES:
        return None
    return Unit.objects.filter(path__startswith=actor.unit.district().path)


def _in_area(crimes: QuerySet[Event], actor: User) -> QuerySet[Event]:
    units = _area_units(actor)
    if units is None:
        return crimes
    return crimes.filter(Q(owning_unit__in=units) | Q(officer_in_case__unit__in=units))


def _with_clocks(crimes: QuerySet[Event]) -> QuerySet[Event]:
    last_update = InvestigationUpdate.objects.filter(crime=OuterRef("pk")).order_by("-recorded_at")
    last_review = SupervisorReview.objects.filter(event=OuterRef("pk")).order_by("-reviewed_at")
    return crimes.annotate(
        last_update_at=Subquery(last_update.values("recorded_at")[:1]),
        last_review_at=Subquery(last_review.values("reviewed_at")[:1]),
    ).annotate(quiet_since=Coalesce("last_update_at", "reported_at"))


def _audit_list(actor: User, label: str, count: int) -> None:
    audit.record(
        actor=actor, action=Action.VIEW, record_type="event", label=label, detail={"count": count}
    )


def my_live_investigations(actor: User) -> list[Event]:
    require(actor, "investigation.view_own")
    rows = list(
        _with_clocks(live_crimes(actor).filter(officer_in_case=actor))
        .select_related("owning_unit")
        .order_by("quiet_since", "pk")[:500]
    )
    _audit_list(actor, "my live investigations", len(rows))
    return rows


@dataclass
class Workload:
    officer: User
    live: int
    oldest_reported_at: dt.datetime | None
    overdue_duties: int
    skills: list[str]


def _overdue_by_officer(officer_ids: list[int]) -> dict[int, int]:
    """Overdue open duties on each officer's live crimes, or owned by the officer."""
    now = timezone.now()
    event_type = ContentType.objects.get_for_model(Event)
    counts = dict.fromkeys(officer_ids, 0)
    crimes = dict(
        Event.objects.filter(
            officer_in_case_id__in=officer_ids, kind=EventKind.CRIME, status=EventStatus.OPEN
        ).values_list("pk", "officer_in_case_id")
    )
    overdue = Duty.objects.filter(outcome=Outcome.OPEN, due_at__lt=now)
    for subject_id in overdue.filter(
        subject_type=event_type, subject_id__in=list(crimes)
    ).values_list("subject_id", flat=True):
        counts[crimes[subject_id]] += 1
    for owner_id in (
        overdue.filter(owner_id__in=officer_ids)
        .exclude(subject_type=event_type, subject_id__in=list(crimes))
        .values_list("owner_id", flat=True)
    ):
        counts[owner_id] += 1
    return counts


def _workloads(officers: list[User], crimes: QuerySet[Event]) -> list[Workload]:
    ids = [o.pk for o in officers]
    per_officer = {
        row["officer_in_case"]: row
        for row in crimes.filter(officer_in_case__in=ids)
        .values("officer_in_case")
        .annotate(live=Count("pk"), oldest=Min("reported_at"))
        .order_by()
    }
    skills: dict[int, list[str]] = {}
    for officer_id, skill in OfficerSkill.objects.filter(officer_id__in=ids).values_list(
        "officer_id", "skill"
    ):
        skills.setdefault(officer_id, []).append(skill)
    overdue = _overdue_by_officer(ids)
    return [
        Workload(
            officer=o,
            live=per_officer.get(o.pk, {}).get("live", 0),
            oldest_reported_at=per_officer.get(o.pk, {}).get("oldest"),
            overdue_duties=overdue.get(o.pk, 0),
            skills=sorted(skills.get(o.pk, [])),
        )
        for o in officers
    ]


def team_workload(actor: User) -> list[Workload]:
    """Per officer in the supervisor's area: live investigations, the oldest, overdue duties."""
    require(actor, "investigation.view_team")
    officers = User.objects.filter(is_active=True, role__in=INVESTIGATING_ROLES)
    units = _area_units(actor)
    if units is not None:
        officers = officers.filter(unit__in=units)
    officers = list(officers.select_related("unit").order_by("unit__path", "last_name", "pk"))
    rows = _workloads(officers, live_crimes(actor))
    rows.sort(key=lambda w: (-w.live, w.officer.last_name))
    _audit_list(actor, "team workload", sum(w.live for w in rows))
    return rows


# --- the skill rule: which skills a crime needs, and who holds them ---------------------------


def offence_code_of(crime: Event) -> str:
    return Crime.objects.filter(event=crime).values_list("offence_code", flat=True).first() or ""


def skills_needed(offence_code: str) -> list[str]:
    """The skills (any one of them) a crime with this Home Office code needs: those listed
    against the longest prefix of the code in the rule table; none if no prefix matches."""
    code = (offence_code or "").strip().upper()
    if not code:
        return []
    rows = [r for r in SkillRequirement.objects.all() if code.startswith(r.offence_prefix.upper())]
    if not rows:
        return []
    longest = max(len(r.offence_prefix) for r in rows)
    return sorted({r.skill for r in rows if len(r.offence_prefix) == longest})


def holds_any(officer_id: int, skills: list[str]) -> bool:
    return (
        not skills or OfficerSkill.objects.filter(officer_id=officer_id, skill__in=skills).exists()
    )


def skill_names(skills: list[str]) -> list[str]:
    return [Skill(s).label for s in skills]


@dataclass
class Suggestion:
    workload: Workload
    qualified: bool


def suggest_officers(actor: User, crime: Event) -> tuple[list[str], list[Suggestion]]:
    """Officers in the crime's district who could take it: those holding a needed skill first,
    then by fewest live investigations."""
    require(actor, "work.allocate")
    crime = get_visible(Event.objects.all(), actor, crime.pk)
    needed = skills_needed(offence_code_of(crime))
    district = crime.owning_unit.district()
    officers = list(
        User.objects.filter(
            is_active=True,
            role__in=(Role.INVESTIGATOR, Role.RESPONSE_OFFICER),
            unit__path__startswith=district.path,
        ).select_related("unit")
    )
    rows = [
        Suggestion(w, not needed or bool(set(needed) & set(w.skills)))
        for w in _workloads(officers, live_crimes(actor))
    ]
    rows.sort(key=lambda s: (not s.qualified, s.workload.live, s.workload.officer.last_name))
    return needed, rows


@dataclass
class Oversight:
    rows: list[Event]
    live: int
    reviewed_recently: int
    window_days: int
    with_plan: int = 0

    @property
    def footprint(self) -> float | None:
        return self.reviewed_recently / self.live if self.live else None

    @property
    def planned(self) -> float | None:
        """Share of live crimes with at least one line of enquiry (domain.md §10: all lines of
        enquiry followed in 47 of 60 files reviewed in 2018)."""
        return self.with_plan / self.live if self.live else None


def oversight(actor: User, *, limit: int = 200) -> Oversight:
    """Live investigations in the area, longest without an update first (nothing sits unseen),
    and the supervisory footprint: the share of live crimes with a supervisor review within the
    review interval (domain.md §10: "effective supervision" in only 31 of 60 files in 2018)."""
    require(actor, "investigation.view_team")
    window = settings.BLUELAMP_SUPERVISOR_REVIEW_DAYS
    since = timezone.now() - dt.timedelta(days=window)
    crimes = _in_area(live_crimes(actor), actor)
    recent = SupervisorReview.objects.filter(event=OuterRef("pk"), reviewed_at__gte=since)
    planned = EnquiryLine.objects.filter(crime=OuterRef("pk"))
    counted = crimes.aggregate(
        live=Count("pk"),
        reviewed=Count("pk", filter=Q(Exists(recent))),
        with_plan=Count("pk", filter=Q(Exists(planned))),
    )
    rows = list(
        _with_clocks(crimes)
        .select_related("officer_in_case", "owning_unit")
        .order_by("quiet_since", "pk")[:limit]
    )
    _audit_list(actor, "investigation oversight", len(rows))
    return Oversight(rows, counted["live"], counted["reviewed"], window, counted["with_plan"])


def device_queue(actor: User, *, finished: bool = False) -> list[DeviceExamination]:
    """Examination requests oldest first, each with its waiting time (to now while pending,
    to when it finished otherwise)."""
    require(actor, "investigation.view")
    pending = (ExaminationStatus.REQUESTED, ExaminationStatus.ACCEPTED)
    requests = DeviceExamination.objects.filter(
        crime__in=visible(Event.objects.all(), actor)
    ).select_related("crime", "device", "requested_by")
    requests = (
        requests.exclude(status__in=pending) if finished else requests.filter(status__in=pending)
    )
    rows = list(requests.order_by("requested_at", "pk")[:500])
    now = timezone.now()
    for row in rows:
        row.waiting = (row.finished_at or now) - row.requested_at
    audit.record(
        actor=actor,
        action=Action.VIEW,
        record_type="event",
        label="device examination queue",
        detail={"count": len(rows)},
    )
    return rows


@dataclass
class Investigation:
    crime: Event
    skills_needed: list[str]
    skill_names: list[str]
    lines: list
    updates: list
    wishes: list
    suspect_actions: list
    not_investigated: NoFurtherInvestigation | None
    forensic_decisions: list
    examinations: list
    reviews: list
    open_duties: list


def _open_duties(crime: Event) -> QuerySet[Duty]:
    """The crime's own clocks and its suspects' bail clocks."""
    bail = ContentType.objects.get_for_model(SuspectAction)
    return Duty.objects.filter(
        Q(subject_type=ContentType.objects.get_for_model(Event), subject_id=crime.pk)
        | Q(subject_type=bail, subject_id__in=crime.suspect_actions.values("pk")),
        outcome=Outcome.OPEN,
    ).order_by("due_at")


def investigation_of(actor: User, crime: Event | int) -> Investigation:
    """Everything about one crime's investigation, audited as a consultation."""
    require(actor, "investigation.view")
    pk = crime.pk if isinstance(crime, Event) else crime
    crime = get_visible(Event.objects.select_related("officer_in_case"), actor, pk)
    if crime.kind != EventKind.CRIME:
        raise Http404("Only a crime has an investigation.")
    audit.record(actor=actor, action=Action.VIEW, obj=crime, detail={"page": "investigation"})
    needed = skills_needed(offence_code_of(crime))
    return Investigation(
        crime=crime,
        skills_needed=needed,
        skill_names=skill_names(needed),
        lines=list(crime.enquiry_lines.select_related("created_by")),
        updates=list(crime.investigation_updates.select_related("recorded_by")[:100]),
        wishes=list(crime.prosecution_wishes.select_related("recorded_by")[:20]),
        suspect_actions=list(crime.suspect_actions.prefetch_related("person__names")),
        not_investigated=crime.no_further_investigation.first(),
        forensic_decisions=list(crime.forensic_decisions.select_related("decided_by")),
        examinations=list(crime.device_examinations.select_related("device")),
        reviews=list(crime.supervisor_reviews.select_related("reviewer")[:20]),
        open_duties=list(_open_duties(crime)),
    )


def officer_skills(actor: User) -> list[OfficerSkill]:
    if not can(actor, "investigation.skills"):  # administrators keep skills but see no crimes
        require(actor, "investigation.view")
    rows = list(
        OfficerSkill.objects.select_related("officer", "officer__unit").order_by(
            "officer__unit__path", "officer__last_name", "skill"
        )
    )
    audit.record(
        actor=actor,
        action=Action.VIEW,
        record_type="user",
        label="officers' skills",
        detail={"count": len(rows)},
    )
    return rows


def panel_facts(crime: Event) -> dict:
    """The few facts the crime's own page shows (that page has already audited the read)."""
    lines = crime.enquiry_lines.values_list("status", flat=True)
    return {
        "skill_names": skill_names(skills_needed(offence_code_of(crime))),
        "open_lines": sum(1 for s in lines if s in (EnquiryStatus.OPEN, EnquiryStatus.IN_PROGRESS)),
        "lines": len(lines),
        "last_update": crime.investigation_updates.first(),
        "not_investigated": crime.no_further_investigation.first(),
        "pending_examinations": crime.device_examinations.filter(
            status__in=(ExaminationStatus.REQUESTED, ExaminationStatus.ACCEPTED)
        ).count(),
    }


def not_investigated_decision(*, decision_id: int) -> NoFurtherInvestigation | None:
    """The decision named by a ``crime.not_investigated`` event, for victims/ to explain it to
    the victim (Victims' Code right 6). Called by its reaction or handler, which audits the
    disclosure it makes."""
    return NoFurtherInvestigation.objects.filter(pk=decision_id).first()
