"""The outbox of outgoing messages (email, SMS) and every attempt to deliver them."""

import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import models


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"


class Status(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed, will retry"
    PERMANENTLY_FAILED = "permanently_failed", "Failed, not retried"


class Message(models.Model):
    """One message to one recipient, in the GOV.UK Notify shape: a template id plus the
    personalisation that fills it. Written in the same transaction as the change that causes it;
    never deleted, whatever happens to its delivery."""

    channel = models.CharField(max_length=10, choices=Channel.choices)
    template = models.CharField(max_length=60)
    personalisation = models.JSONField(default=dict)
    to = models.CharField(max_length=254)
    reference = models.CharField(max_length=100, blank=True)  # e.g. a crime reference
    about_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    # The same key never makes a second message in the outbox.
    idempotency_key = models.CharField(max_length=200, unique=True)
    # The message's own id for everyone outside: every channel passes it on (the email's
    # Message-ID, the SMS gateway's reference), the same on every attempt, so a receiving system
    # can drop a second copy sent after a worker died mid-delivery (docs/notify.md). Random, so it
    # says nothing about our records and never repeats after a database is rebuilt.
    delivery_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    last_error = models.TextField(blank=True)
    provider_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=80, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="message_due")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.template} to {self.to}"


class DeliveryAttempt(models.Model):
    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="delivery_attempts")
    at = models.DateTimeField()
    worker = models.CharField(max_length=80)
    outcome = models.CharField(max_length=20)  # sent, temporary_failure, permanent_failure
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
