"""Track my crime: the victim's access codes, the waits after too many wrong tries (per crime
reference and per client address), and the victim's messages to the officer in case (domain.md
1.1 rights 3 and 6)."""

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
    # A keyed, shortened digest of the code (limits.code_tags): it finds the one code to check,
    # so every sign-in does the same hashing work, yet matches some 2**27 other codes too, so
    # it never identifies a code. Blank for codes issued before it was kept.
    code_tag = models.CharField(max_length=16, blank=True, db_index=True)
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
    """Wrong tries for one crime reference, whoever sends them and from wherever. After a few,
    each further one makes the next wait longer (limits.py); ``locked_until`` is the end of the
    current wait. Forgotten after a quiet day, a sign-in, or an officer's unlock."""

    crime = models.OneToOneField(Event, on_delete=models.PROTECT, related_name="portal_lock")
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Portal lock for {self.crime.reference}"


class AddressFailure(models.Model):
    """One wrong try at the portal from one client address, kept only for the counting window
    (BLUELAMP_PORTAL_ADDRESS_WINDOW_MINUTES). The address is kept as a keyed digest, and an IPv6
    address by its /64 network (one subscriber's), so the table holds no address itself."""

    address_key = models.CharField(max_length=64)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["address_key", "at"], name="portal_address_failures")]

    def __str__(self) -> str:
        return f"Wrong portal try at {self.at:%Y-%m-%d %H:%M}"


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
