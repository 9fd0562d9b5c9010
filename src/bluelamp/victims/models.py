"""The Victims' Code for each victim of each crime: entitlement, contact plan, updates and
referrals (domain.md section 1)."""

from django.db import models

from bluelamp.core.models import Event, Person


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"
    PHONE = "phone", "Phone call"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"


class EnhancedReason(models.TextChoices):
    """Who is entitled to enhanced rights (domain.md 1.3); a non-empty set means enhanced."""

    MOST_SERIOUS_CRIME = "most_serious_crime", "Victim of the most serious crime"
    PERSISTENTLY_TARGETED = "persistently_targeted", "Persistently targeted"
    VULNERABLE = "vulnerable", "Vulnerable"
    INTIMIDATED = "intimidated", "Intimidated"


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
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    update_every_days = models.PositiveSmallIntegerField(null=True, blank=True)
    times_to_avoid = models.CharField(max_length=200, blank=True)
    contact_instead = models.CharField(max_length=300, blank=True)
    do_not_contact = models.BooleanField(default=False)
    # domain.md 1.4: written confirmation must not put the victim at risk.
    safe_to_write = models.BooleanField(default=True)

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
