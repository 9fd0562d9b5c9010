"""The Victims' Code for each victim of each crime: entitlement, contact plan, updates and
referrals (domain.md section 1)."""

from django.conf import settings
from django.db import models

from bluelamp.accounts.models import Unit
from bluelamp.core.choices import ContactChannel
from bluelamp.core.models import Event, Person


class EnhancedReason(models.TextChoices):
    """Who is entitled to enhanced rights (domain.md 1.3); a non-empty set means enhanced."""

    MOST_SERIOUS_CRIME = "most_serious_crime", "Victim of the most serious crime"
    PERSISTENTLY_TARGETED = "persistently_targeted", "Persistently targeted"
    VULNERABLE = "vulnerable", "Vulnerable"
    INTIMIDATED = "intimidated", "Intimidated"


class Consent(models.TextChoices):
    """Consent to pass the victim's details to victim support services (Victims' Code right 4)."""

    NOT_ASKED = "not_asked", "Not asked yet"
    GIVEN = "given", "Given"
    DECLINED = "declined", "Declined"


class VictimRecord(models.Model):
    """One victim of one crime, and what the Victims' Code owes them. Opened (by a reaction to
    ``crime.recorded`` / ``crime.party_added``) in the same transaction as the crime, so nothing
    owed to the victim waits on any later step. Duties owed to the victim have this as subject."""

    crime = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="victim_records")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="victim_records")
    opened_at = models.DateTimeField()
    # Enhanced rights (domain.md 1.3): the reasons found, and who decided (blank: the system).
    enhanced_reasons = models.JSONField(default=list)
    enhanced_rationale = models.CharField(max_length=1000, blank=True)
    enhanced_decided_by_name = models.CharField(max_length=200, blank=True)
    # Contact preferences (domain.md 1.4: "as agreed with the victim").
    channel = models.CharField(
        max_length=10, choices=ContactChannel.choices, default=ContactChannel.EMAIL
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    update_every_days = models.PositiveSmallIntegerField(null=True, blank=True)
    times_to_avoid = models.CharField(max_length=200, blank=True)
    contact_instead = models.CharField(max_length=300, blank=True)
    do_not_contact = models.BooleanField(default=False)
    # domain.md 1.4: written confirmation must not put the victim at risk.
    safe_to_write = models.BooleanField(default=True)
    # The needs assessment (domain.md 1.4 "Also required"): at first contact, redone when needs
    # change. ``needs`` holds codes from rules.VULNERABLE_NEEDS / INTIMIDATED_NEEDS, ``flags``
    # codes from rules.MOST_SERIOUS_FLAGS (domestic abuse, hate crime, ...).
    needs = models.JSONField(default=list)
    flags = models.JSONField(default=list)
    needs_notes = models.CharField(max_length=1000, blank=True)
    needs_assessed_at = models.DateTimeField(null=True, blank=True)
    needs_assessed_by_name = models.CharField(max_length=200, blank=True)
    referral_consent = models.CharField(
        max_length=10, choices=Consent.choices, default=Consent.NOT_ASKED
    )
    # Set when an officer decides entitlement by hand: then the automatic rules stop changing it.
    enhanced_overridden = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["crime", "person"], name="one_record_per_victim_crime")
        ]

    def __str__(self) -> str:
        return f"Victim in {self.crime.reference}"

    @property
    def reference(self) -> str:
        return f"{self.crime.reference} victim {self.pk}"

    @property
    def enhanced(self) -> bool:
        return bool(self.enhanced_reasons)


class Contact(models.Model):
    """A contact with the victim (or the person they asked us to contact instead), recorded
    against the duties it discharges (Victims' Code right 6: kept informed)."""

    victim = models.ForeignKey(VictimRecord, on_delete=models.PROTECT, related_name="contacts")
    at = models.DateTimeField()
    channel = models.CharField(max_length=10, choices=ContactChannel.choices)
    summary = models.TextField()
    discharges = models.JSONField(default=list)  # policy names
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    by_name = models.CharField(max_length=200)

    class Meta:
        ordering = ["-at", "-id"]


class Referral(models.Model):
    """A referral to victim support services (Victims' Code right 4), sent through the notify
    outbox. Never waits on quality assurance (domain.md 10: victim services within 24 hours)."""

    victim = models.OneToOneField(VictimRecord, on_delete=models.PROTECT, related_name="referral")
    consent = models.CharField(max_length=10, choices=Consent.choices)
    automatic = models.BooleanField()  # sent without recorded consent (see services)
    partner = models.EmailField()
    message = models.ForeignKey(
        "notify.Message", on_delete=models.PROTECT, related_name="+", null=True
    )
    sent_at = models.DateTimeField()  # queued in the outbox (the worker delivers it)


class Survey(models.Model):
    """A satisfaction survey sent after the outcome, answered through a tokenised link. Who
    handled the case is copied at sending so results by officer, team and district stay true
    when people move."""

    victim = models.OneToOneField(VictimRecord, on_delete=models.PROTECT, related_name="survey")
    token = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    crime_type = models.CharField(max_length=10, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # 1 (completely satisfied) - 7 (completely dissatisfied); rules.SURVEY_QUESTIONS.
    ease_of_contact = models.PositiveSmallIntegerField(null=True)
    actions_taken = models.PositiveSmallIntegerField(null=True)
    kept_informed = models.PositiveSmallIntegerField(null=True)
    treatment = models.PositiveSmallIntegerField(null=True)
    whole_experience = models.PositiveSmallIntegerField(null=True)
    comments = models.TextField(blank=True)


class ContactField(models.TextChoices):
    EMAIL = "email", "Email address"
    PHONE = "phone", "Phone number"


class ContactDetailsChange(models.Model):
    """A change of where the victim's messages go (their email address or phone number: portal
    codes, updates and surveys follow them). Kept with who made it and whether the victim was
    told at the old address or number, because moving a victim's messages is how someone would
    take over their portal (issue 14). The addresses are kept masked: the record itself holds
    the current ones."""

    victim = models.ForeignKey(
        VictimRecord, on_delete=models.PROTECT, related_name="contact_changes"
    )
    at = models.DateTimeField()
    field = models.CharField(max_length=10, choices=ContactField.choices)
    old_masked = models.CharField(max_length=100, blank=True)
    new_masked = models.CharField(max_length=100, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    by_name = models.CharField(max_length=200)
    # The notice queued to the old address or number, or why none could be sent.
    notice = models.ForeignKey(
        "notify.Message", null=True, on_delete=models.PROTECT, related_name="+"
    )
    not_told_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
