"""Records of domestic abuse protection: Operation Encompass notices to schools (domain-addendum.md
1.4), DVPN/DVPO (1.1) and Clare's Law applications (1.3). Each is restricted by default to the
safeguarding role and the officers who created or hold it (access.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

USER = settings.AUTH_USER_MODEL


class Recipient(models.TextChoices):
    SCHOOL = "school", "The school's designated safeguarding lead"
    LOCAL_AUTHORITY = "local_authority", "The local authority (home educated)"
    UNKNOWN = "unknown", "Not known: find the school"


class NoticeStatus(models.TextChoices):
    QUEUED = "queued", "Queued to send"
    DELIVERED = "delivered", "Delivered"
    FALLBACK = "fallback", "Email failed: fallback under way"
    CONFIRMED = "confirmed", "Confirmed by phone"
    NO_RECIPIENT = "no_recipient", "No school known"


class EncompassNotice(models.Model):
    """One child's notice to their school (or local authority) after a police-attended domestic
    abuse incident, queued through the outbox in the referral's own transaction."""

    permission_name = "encompass"

    # The incident or crime the referral is about (the referral's ``event``), when it has one.
    referral_event = models.ForeignKey(
        "core.Event",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="encompass_notices",
    )
    referral_id = models.BigIntegerField(null=True, blank=True)  # safeguarding's referral
    child = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="+")
    concern = models.CharField(max_length=40)
    risk = models.CharField(max_length=20, blank=True)
    recipient_kind = models.CharField(max_length=20, choices=Recipient.choices)
    school_identifier = models.CharField(max_length=40, blank=True)
    recipient_name = models.CharField(max_length=200, blank=True)
    recipient_email = models.CharField(max_length=254, blank=True)
    local_authority = models.CharField(max_length=40, blank=True)
    incident_at = models.DateTimeField()
    due_at = models.DateTimeField(db_index=True)
    status = models.CharField(max_length=20, choices=NoticeStatus.choices)
    message = models.ForeignKey(
        "notify.Message", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    delivered_at = models.DateTimeField(null=True, blank=True)
    fallback_message = models.ForeignKey(
        "notify.Message", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    fallback_at = models.DateTimeField(null=True, blank=True)
    fallback_reason = models.CharField(max_length=300, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by_name = models.CharField(max_length=200, blank=True)
    confirmed_spoke_to = models.CharField(max_length=200, blank=True)
    confirmed_note = models.CharField(max_length=1000, blank=True)
    owning_unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["referral_id", "child"], name="encompass_referral_child")]

    def __str__(self) -> str:
        return f"Encompass notice {self.reference}"

    @property
    def reference(self) -> str:
        return f"ENC-{self.pk:06d}" if self.pk else "ENC-new"


class Rank(models.TextChoices):
    """Police ranks in order (for the DVPN authorising officer: not below superintendent,
    Crime and Security Act 2010 s.24(1), domain-addendum.md 1.1 ✅)."""

    CONSTABLE = "constable", "Constable"
    SERGEANT = "sergeant", "Sergeant"
    INSPECTOR = "inspector", "Inspector"
    CHIEF_INSPECTOR = "chief_inspector", "Chief inspector"
    SUPERINTENDENT = "superintendent", "Superintendent"
    CHIEF_SUPERINTENDENT = "chief_superintendent", "Chief superintendent"
    ASSISTANT_CHIEF_CONSTABLE = "assistant_chief_constable", "Assistant chief constable"
    DEPUTY_CHIEF_CONSTABLE = "deputy_chief_constable", "Deputy chief constable"
    CHIEF_CONSTABLE = "chief_constable", "Chief constable"


class NoticeState(models.TextChoices):
    IN_FORCE = "in_force", "In force until the hearing"
    ORDER_MADE = "order_made", "Order made"
    ORDER_REFUSED = "order_refused", "Order refused"


class ProtectionNotice(models.Model):
    """A domestic violence protection notice (CSA 2010 s.24): in force until the magistrates
    decide the DVPO application, which must be heard within 48 hours of service (addendum 1.1:
    modelled as in force until the hearing decides, not as a 48-hour timer)."""

    permission_name = "dvpn"

    perpetrator = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="+")
    victim = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="+")
    owning_unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+")
    legal_basis = models.CharField(max_length=60, default="Crime and Security Act 2010 s.24")
    authorising_officer = models.CharField(max_length=200)
    authorising_rank = models.CharField(max_length=30, choices=Rank.choices)
    grounds = models.TextField(max_length=4000)
    # s.24(3)-(4): what the authorising officer must consider before issuing.
    children_welfare = models.TextField(max_length=2000)
    victim_opinion = models.TextField(max_length=2000)
    perpetrator_representations = models.TextField(max_length=2000)
    served_at = models.DateTimeField()
    hearing_due_at = models.DateTimeField()
    state = models.CharField(
        max_length=20, choices=NoticeState.choices, default=NoticeState.IN_FORCE
    )
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-served_at", "-id"]

    def __str__(self) -> str:
        return f"DVPN {self.reference}"

    @property
    def reference(self) -> str:
        return f"DVPN-{self.pk:06d}" if self.pk else "DVPN-new"


class ProtectionOrder(models.Model):
    """The magistrates' decision on the DVPO application: made for 14 to 28 days (addendum 1.1
    ✅, CSA 2010 s.28 and Explanatory Notes para 79), or refused."""

    notice = models.OneToOneField(ProtectionNotice, on_delete=models.PROTECT, related_name="order")
    heard_at = models.DateTimeField()
    made = models.BooleanField()
    court = models.CharField(max_length=200)
    days = models.PositiveSmallIntegerField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    recorded_by_name = models.CharField(max_length=200)
    recorded_at = models.DateTimeField()


class Breach(models.Model):
    """A breach of the notice or the order: listed for the daily risk meeting, with the arrest
    enquiries a duty until the perpetrator is arrested (or the enquiries close)."""

    permission_name = "dvpn_breach"

    notice = models.ForeignKey(ProtectionNotice, on_delete=models.PROTECT, related_name="breaches")
    at = models.DateTimeField()
    account = models.TextField(max_length=2000)
    recorded_by_name = models.CharField(max_length=200)
    recorded_at = models.DateTimeField()
    arrested_at = models.DateTimeField(null=True, blank=True)
    arrest_note = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "breaches"

    def __str__(self) -> str:
        return f"Breach of {self.notice.reference}"


class Route(models.TextChoices):
    # domain.md 7 ✅ [S40]: the two routes of the Domestic Violence Disclosure Scheme.
    RIGHT_TO_ASK = "right_to_ask", "Right to ask (the person at risk or a third party asked)"
    RIGHT_TO_KNOW = "right_to_know", "Right to know (proactive: police or professionals)"


class ApplicationState(models.TextChoices):
    CHECKING = "checking", "Checks under way"
    DECIDED = "decided", "Decided: no disclosure"
    TO_DISCLOSE = "to_disclose", "Decided: disclose"
    DISCLOSED = "disclosed", "Disclosed"


class CheckSource(models.TextChoices):
    PNC = "pnc", "Police National Computer"
    LOCAL = "local_records", "Force records"
    PARTNER = "partner_agency", "Partner agency"
    OTHER = "other", "Other"


class DisclosureApplication(models.Model):
    """A Clare's Law application (Domestic Violence Disclosure Scheme, statutory guidance under
    Domestic Abuse Act 2021 s.77; domain-addendum.md 1.3): who is at risk, whose past is asked
    about, and who asked."""

    permission_name = "dvds"

    route = models.CharField(max_length=20, choices=Route.choices)
    person_at_risk = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="+")
    # Right to ask: who asked, a person matched on entry (people.entry), and their relationship
    # to the person at risk in their own words. ``applicant_name`` is the free text that
    # applications received before match-on-entry kept; it is never written now
    # (migration 0005 keeps it rather than guessing a person from a name).
    applicant = models.ForeignKey(
        "core.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    applicant_name = models.CharField(max_length=200, blank=True)
    applicant_relationship = models.CharField(max_length=200, blank=True)
    reason = models.TextField(max_length=4000)
    received_at = models.DateTimeField()
    decision_due_at = models.DateTimeField()
    state = models.CharField(
        max_length=20, choices=ApplicationState.choices, default=ApplicationState.CHECKING
    )
    owning_unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"Clare's Law {self.reference}"

    @property
    def reference(self) -> str:
        return f"DVDS-{self.pk:06d}" if self.pk else "DVDS-new"


class DisclosureCheck(models.Model):
    application = models.ForeignKey(
        DisclosureApplication, on_delete=models.PROTECT, related_name="checks"
    )
    source = models.CharField(max_length=20, choices=CheckSource.choices)
    finding = models.TextField(max_length=4000)
    by_name = models.CharField(max_length=200)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]


class DisclosureDecision(models.Model):
    """The multi-agency panel's decision: disclosure only where it is both necessary and
    proportionate (domain.md 7 ✅ [S40]), with the rationale."""

    application = models.OneToOneField(
        DisclosureApplication, on_delete=models.PROTECT, related_name="decision"
    )
    necessary = models.BooleanField()
    proportionate = models.BooleanField()
    disclose = models.BooleanField()
    rationale = models.TextField(max_length=4000)
    panel = models.CharField(max_length=500)  # who sat: names and agencies
    by_name = models.CharField(max_length=200)
    decided_at = models.DateTimeField()


class Disclosure(models.Model):
    """What was disclosed: who to, when, by whom, and what was said."""

    application = models.OneToOneField(
        DisclosureApplication, on_delete=models.PROTECT, related_name="disclosure"
    )
    disclosed_to = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="+")
    disclosed_at = models.DateTimeField()
    disclosed_by_name = models.CharField(max_length=200)
    what_was_said = models.TextField(max_length=4000)
    safety_plan = models.TextField(max_length=2000, blank=True)
