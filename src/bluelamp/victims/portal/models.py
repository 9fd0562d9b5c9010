"""Track my crime: the victim's access codes, the lock on a crime reference after too many wrong
codes, and the victim's messages to the officer in case (domain.md 1.1 rights 3 and 6)."""

from django.db import models

from bluelamp.core.models import Event
from bluelamp.victims.models import VictimRecord


class SentBy(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"
    IN_PERSON = "in_person", "Given in person by an officer"


class AccessCode(models.Model):
    """A one-time code that opens the portal for one victim of one crime. Only a salted hash is
    kept; the code itself exists in the message that carries it or on the officer's screen once.
    A code is spent at its first successful sign-in; issuing a new one voids the old."""

    victim_record = models.ForeignKey(
        VictimRecord, on_delete=models.PROTECT, related_name="portal_codes"
    )
    code_hash = models.CharField(max_length=200)
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    sent_by = models.CharField(max_length=10, choices=SentBy.choices)
    issued_by_name = models.CharField(max_length=200, blank=True)  # blank: the system
    used_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    # The second check when no date of birth is recorded: a six-digit code texted to the
    # victim's mobile after the right access code, hashed like the code itself.
    phone_check_hash = models.CharField(max_length=200, blank=True)
    phone_check_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return f"Portal code for victim record {self.victim_record_id}"


class ReferenceLock(models.Model):
    """Wrong codes for one crime reference, whoever sends them and from wherever (many victims
    share a few addresses; an attacker has many): enough of them lock the reference."""

    crime = models.OneToOneField(Event, on_delete=models.PROTECT, related_name="portal_lock")
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Portal lock for {self.crime.reference}"


class VictimMessage(models.Model):
    """A message from the victim to the officer in case, sent through the portal. It opens the
    officer's duty to reply (portal/policies.py); the reply is shown to the victim."""

    permission_name = "victim_message"

    victim_record = models.ForeignKey(
        VictimRecord, on_delete=models.PROTECT, related_name="portal_messages"
    )
    text = models.TextField()
    sent_at = models.DateTimeField()
    reply = models.TextField(blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_by_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"Message from a victim of {self.victim_record.crime.reference}"

    @property
    def reference(self) -> str:
        return f"{self.victim_record.crime.reference} victim message {self.pk}"
