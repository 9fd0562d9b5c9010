"""Duties (every obligation with a deadline) and the outbox of domain events that opens,
discharges and escalates them."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from .registry import SUBJECT_PAGES

UNIT = "accounts.Unit"


class Outcome(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class Duty(models.Model):
    """Someone must do something about a record by a deadline. Opened and discharged in the same
    transaction as the change that causes it (see duties.services.emit)."""

    policy = models.CharField(max_length=80, db_index=True)
    rule = models.CharField(max_length=200)  # the rule it comes from, cited by name
    # The record the duty is about.
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    subject_id = models.PositiveBigIntegerField()
    subject_label = models.CharField(max_length=200)
    # The event and the person the subject belongs to (a victim record: its crime and victim), so
    # queues, counts and figures leave out duties on records the reader may not see.
    about_event_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    about_person_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    # Who must act: a person, a team, or a named queue (e.g. "control-room-supervisors").
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_unit = models.ForeignKey(
        UNIT, null=True, blank=True, on_delete=models.PROTECT, related_name="duties"
    )
    queue = models.CharField(max_length=60, blank=True, db_index=True)
    opened_at = models.DateTimeField()
    due_at = models.DateTimeField(db_index=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OPEN)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    # Escalation: raised once per level, to the owner's supervisors (or a named queue).
    escalation_level = models.PositiveSmallIntegerField(default=0)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["outcome", "due_at"], name="duty_open_due"),
            models.Index(fields=["subject_type", "subject_id"], name="duty_subject"),
        ]
        verbose_name_plural = "duties"

    def __str__(self) -> str:
        return f"{self.policy} for {self.subject_label}"

    @property
    def subject_url(self) -> str:
        label = f"{self.subject_type.app_label}.{self.subject_type.model}"
        url_name = SUBJECT_PAGES.get(label, f"core:{self.subject_type.model}")
        try:
            return reverse(url_name, args=[self.subject_id])
        except NoReverseMatch:
            return ""

    @property
    def overdue(self) -> bool:
        return self.outcome == Outcome.OPEN and self.due_at < timezone.now()

    @property
    def on_time(self) -> bool | None:
        if self.outcome != Outcome.DONE or self.done_at is None:
            return None
        return self.done_at <= self.due_at


class DomainEvent(models.Model):
    """Something that happened, written in the same transaction as the change (the outbox). The
    worker hands each event to its registered handlers exactly once each."""

    type = models.CharField(max_length=80, db_index=True)
    subject_type = models.ForeignKey(ContentType, null=True, on_delete=models.PROTECT)
    subject_id = models.PositiveBigIntegerField(null=True)
    payload = models.JSONField(default=dict)
    actor_id = models.BigIntegerField(null=True)
    occurred_at = models.DateTimeField()
    # Worker bookkeeping: a claim is a lease that expires, so a killed worker's rows are retaken.
    claimed_by = models.CharField(max_length=80, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    processed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["processed_at", "id"], name="outbox_pending")]

    def __str__(self) -> str:
        return f"{self.type} #{self.pk}"


class HandledEvent(models.Model):
    """One row per (event, handler) that has run to completion, committed with the handler's own
    writes: a retaken event skips the handlers that already ran."""

    event = models.ForeignKey(DomainEvent, on_delete=models.PROTECT, related_name="handled")
    handler = models.CharField(max_length=120)
    handled_at = models.DateTimeField()
    worker = models.CharField(max_length=80)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "handler"], name="handle_each_event_once")
        ]
