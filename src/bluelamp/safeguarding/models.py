"""Protecting vulnerable people (issue 17): the public protection (PVP) referral made at the
scene, its risk assessment (DASH), the MASH hubs that triage referrals, and MARAC cases.

Restricted by default (issue 17 "Everywhere"): a referral and everything hanging off it is seen
only by the safeguarding role and the officers who made it or hold a duty on it
(services.visible_referrals is the one scope)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from bluelamp.accounts.models import Unit
from bluelamp.core.models import Event, Person

USER = settings.AUTH_USER_MODEL


class Concern(models.TextChoices):
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    CHILD = "child", "Child at risk"
    ADULT_AT_RISK = "adult_at_risk", "Adult at risk"
    MENTAL_HEALTH = "mental_health", "Mental health"
    EXPLOITATION = "exploitation", "Exploitation"
    HATE = "hate", "Hate"
    OTHER = "other", "Other"


class RiskLevel(models.TextChoices):
    """domain.md 3.3 (definitions ✅ S20)."""

    STANDARD = "standard", "Standard"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


# Queue order: high first (domain.md 3.3 levels, issue 17 "ordered by risk, then by age").
RISK_RANK = {RiskLevel.STANDARD: 1, RiskLevel.MEDIUM: 2, RiskLevel.HIGH: 3}


class Status(models.TextChoices):
    DRAFT = "draft", "Draft (not yet submitted)"
    SUBMITTED = "submitted", "Awaiting MASH triage"
    TRIAGED = "triaged", "Triaged"


class Outcome(models.TextChoices):
    """MASH triage outcomes (issue 17)."""

    NFA = "nfa", "No further action"
    ADVICE = "advice", "Advice"
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
    STRATEGY_MEETING = "strategy_meeting", "Strategy meeting"
    OTHER_AGENCY = "other_agency", "Other agency"


class SubjectRole(models.TextChoices):
    VICTIM = "victim", "Person at risk (victim)"
    PERPETRATOR = "perpetrator", "Perpetrator or suspect"


class AreaKind(models.TextChoices):
    POSTCODE_DISTRICT = "postcode_district", "Postcode district (e.g. PR1)"
    LOCAL_AUTHORITY = "local_authority", "ONS local authority code (e.g. E07000123)"


class Hub(models.Model):
    """A MASH hub: the unit whose staff triage referrals for its coverage areas."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def queue(self) -> str:
        return f"mash-{self.code}"


class HubArea(models.Model):
    """One area a hub covers: coverage is data, not code (issue 17)."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="areas")
    kind = models.CharField(max_length=20, choices=AreaKind.choices)
    code = models.CharField(max_length=12)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="one_hub_per_area"),
        ]


class RotaShift(models.Model):
    """A member of staff on shift at a hub: the simple rota behind "staff on shift"."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="shifts")
    staff = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["hub", "starts_at", "ends_at"], name="rota_hub_time")]


class Referral(models.Model):
    """A public protection (PVP) referral, made at the scene and triaged by the MASH."""

    permission_name = "referral"

    reference = models.CharField(max_length=30, unique=True)
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    concern = models.CharField(max_length=20, choices=Concern.choices)
    risk_factors = models.JSONField(default=list)
    account = models.TextField(max_length=8000)
    home_postcode = models.CharField(max_length=8, blank=True)
    home_area_code = models.CharField(max_length=12, blank=True)  # ONS local authority code
    police_attended = models.BooleanField(default=True)
    # The officer's grading where no risk tool applies; a DASH decides for domestic abuse.
    officer_risk = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    risk_rank = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    hub = models.ForeignKey(Hub, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    routed_by = models.CharField(max_length=20, blank=True)  # postcode_district, ..., default
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_by_name = models.CharField(max_length=200)
    created_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    triage_due_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    outcome_note = models.CharField(max_length=2000, blank=True)
    triaged_at = models.DateTimeField(null=True, blank=True)
    triaged_by_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["hub", "status", "risk_rank", "submitted_at"], name="referral_queue"
            ),
            # Covering indexes for the demand page: its counts (and the restricted-event check,
            # services.visible_referrals) read no table rows.
            models.Index(
                fields=["hub", "triaged_at", "status", "risk_level", "event"],
                name="referral_hub_triaged",
            ),
            models.Index(
                fields=["hub", "submitted_at", "status", "risk_level", "event"],
                name="referral_hub_submitted",
            ),
            models.Index(
                fields=["hub", "status", "risk_level", "submitted_at", "triage_due_at", "event"],
                name="referral_backlog",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def routed_by_label(self) -> str:
        return {"default": "no hub covers the area: the default hub"}.get(
            self.routed_by, f"by {self.routed_by.replace('_', ' ')}"
        )


class ReferralSubject(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="subjects")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=SubjectRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "person", "role"], name="one_subject_role_per_referral"
            )
        ]


class ChildPresent(models.Model):
    """A child present at the incident: their school (an identifier such as a URN or name), or
    home educated (then their local authority is told: Operation Encompass, protection/)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="children")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    school = models.CharField(max_length=120, blank=True)
    home_educated = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["referral", "person"], name="one_child_per_referral")
        ]


class Attachment(models.Model):
    """A photo or document; kept with its SHA-256 so a copy can be shown to be the original."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    uploaded_by_name = models.CharField(max_length=200)
    uploaded_at = models.DateTimeField()


class RiskAssessment(models.Model):
    """One risk tool's answers on a referral (DASH today, DARA later: safeguarding/risk.py)."""

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="assessment")
    tool = models.CharField(max_length=20)
    answers = models.JSONField(default=dict)  # {"1": {"answer": "yes", "comment": ""}, ...}
    score = models.PositiveSmallIntegerField()
    scored_level = models.CharField(max_length=10, choices=RiskLevel.choices)
    level = models.CharField(max_length=10, choices=RiskLevel.choices)
    judgement_rationale = models.CharField(max_length=2000, blank=True)
    assessed_by_name = models.CharField(max_length=200)
    assessed_at = models.DateTimeField()


class PartnerNote(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="notes")
    agency = models.CharField(max_length=120)
    text = models.CharField(max_length=4000)
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    author_name = models.CharField(max_length=200)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]


class QualityFeedback(models.Model):
    """The MASH's rating of a referral's quality, for the referring officer and their supervisor."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField()  # 1 (poor) to 5 (excellent)
    reason = models.CharField(max_length=2000)
    officer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    by_name = models.CharField(max_length=200)
    at = models.DateTimeField()


class MaracCriterion(models.TextChoices):
    """domain.md 3.4 (any one is enough ✅ S21)."""

    VISIBLE_HIGH_RISK = "visible_high_risk", "Visible high risk (DASH 14 or more)"
    PROFESSIONAL_JUDGEMENT = "professional_judgement", "Professional judgement"
    POTENTIAL_ESCALATION = "potential_escalation", "Potential escalation"
    REPEAT = "repeat", "Repeat (within 12 months of the last MARAC referral)"


class MaracCase(models.Model):
    # The record type its audit rows carry (audit.services.record_type_of), which the audit log's
    # scope matches (access.py). MARAC's own pages and API check "safeguarding.marac".
    permission_name = "marac_case"

    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="marac")
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="+")
    victim = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    perpetrator = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    criteria = models.JSONField(default=list)
    rationale = models.CharField(max_length=2000, blank=True)
    referred_at = models.DateTimeField(db_index=True)
    meeting = models.ForeignKey(
        "MaracMeeting", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )

    class Meta:
        ordering = ["-referred_at"]

    def __str__(self) -> str:  # how its duties are listed (duties.services.subject_label)
        return f"MARAC case {self.referral.reference}"

    @property
    def criteria_labels(self) -> list[str]:
        return [MaracCriterion(c).label for c in self.criteria]


class MaracMeeting(models.Model):
    permission_name = "marac_meeting"  # as MaracCase's

    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField()

    class Meta:
        ordering = ["held_on"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "held_on"], name="one_marac_per_hub_day")
        ]

    def __str__(self) -> str:
        return f"MARAC {self.hub} {self.held_on:%d %b %Y}"


class MaracAction(models.Model):
    case = models.ForeignKey(MaracCase, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(max_length=1000)
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:  # its owner's duty is listed by it
        return f"MARAC action: {self.text}"
