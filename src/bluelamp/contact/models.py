"""Calls (999, 101, online, in person), THRIVE grading, the incident log and appointments.

The incident itself is a core Event of kind "incident" (made by crime.incidents.report_incident);
everything here is contact's own detail, keyed to that Event. Rows are written only by
contact.services; nothing is overwritten (a re-grade is a new assessment, a log step a new row)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from bluelamp.core.models import Event, Person

UNIT = "accounts.Unit"
USER = settings.AUTH_USER_MODEL


class Channel(models.TextChoices):
    EMERGENCY = "999", "999 (emergency)"
    NON_EMERGENCY = "101", "101 (non-emergency)"
    ONLINE = "online", "Online report"
    IN_PERSON = "in_person", "In person (front counter or officer)"


class Grade(models.TextChoices):
    # domain.md 2.2: the four response grades.
    EMERGENCY = "emergency", "Emergency (grade 1)"
    PRIORITY = "priority", "Priority (grade 2)"
    SCHEDULED = "scheduled", "Scheduled appointment (grade 3)"
    RESOLUTION = "resolution", "Resolution without deployment (grade 4)"


class Area(models.TextChoices):
    URBAN = "urban", "Urban"
    RURAL = "rural", "Rural"


class Step(models.TextChoices):
    RECEIVED = "received", "Call received"
    GRADED = "graded", "Graded"
    REGRADED = "regraded", "Re-graded"
    ALLOCATED = "allocated", "Resource allocated"
    APPOINTMENT = "appointment", "Appointment booked"
    ARRIVED = "arrived", "Arrived at scene"
    TARGET_MISSED = "target_missed", "Response target missed"
    REVIEWED = "reviewed", "Missed target reviewed"
    CLOSED = "closed", "Closed"


class VulnerabilityKind(models.TextChoices):
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    MENTAL_HEALTH = "mental_health", "Mental health"
    CHILD_AT_RISK = "child_at_risk", "Child at risk"
    ELDERLY_OR_DISABLED = "elderly_or_disabled", "Elderly or disabled"
    MISSING = "missing", "Missing person"
    SELF_HARM = "self_harm", "Self-harm or suicide risk"
    OTHER = "other", "Other"


class Call(models.Model):
    """One contact from the public. A caller may ring again about the same incident: each call
    is its own row, which is what the repeat-caller flag counts."""

    incident = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="calls")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    caller = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="calls"
    )
    caller_phone = models.CharField(max_length=30, blank=True)
    # Digits only, so "07700 900123" and "+447700900123" are the same caller.
    caller_phone_normalised = models.CharField(max_length=20, blank=True, db_index=True)
    account = models.TextField()
    may_be_crime = models.BooleanField(default=False)
    received_at = models.DateTimeField(db_index=True)
    received_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} call {self.pk}"


class Assessment(models.Model):
    """A THRIVE assessment (domain.md 2.1) and the grade it leads to. Re-grading adds a row with
    its reason; the latest row is the incident's current grade and target."""

    incident = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="assessments")
    threat = models.TextField()
    harm = models.TextField()
    risk = models.TextField()
    investigation = models.TextField()
    vulnerability = models.TextField()
    engagement = models.TextField()
    rationale = models.TextField()
    grade = models.CharField(max_length=12, choices=Grade.choices)
    area = models.CharField(max_length=6, choices=Area.choices, default=Area.URBAN)
    regraded = models.BooleanField(default=False)
    reason = models.TextField(blank=True)  # why it was re-graded (required then)
    # A control-room supervisor's re-assessment after a missed target.
    is_target_review = models.BooleanField(default=False)
    assessed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField()
    target_at = models.DateTimeField()
    target_missed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-assessed_at", "-id"]


class LogEntry(models.Model):
    """One step in the incident log, time-stamped (UTC; shown in Europe/London)."""

    incident = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="log_entries")
    step = models.CharField(max_length=15, choices=Step.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        UNIT, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["at", "id"]


class Vulnerability(models.Model):
    """Vulnerability identified at the call, structured so safeguarding can act on it."""

    incident = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="vulnerabilities")
    kinds = models.JSONField(default=list)
    people = models.ManyToManyField(Person, related_name="vulnerabilities_identified")
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name_plural = "vulnerabilities"

    def kind_labels(self) -> list[str]:
        labels = dict(VulnerabilityKind.choices)
        return [labels.get(k, k) for k in self.kinds]


class AppointmentSlot(models.Model):
    """A period in a team's diary with room for a number of scheduled attendances."""

    team = models.ForeignKey(UNIT, on_delete=models.PROTECT, related_name="appointment_slots")
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    capacity = models.PositiveSmallIntegerField()
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["starts_at", "id"]


class Appointment(models.Model):
    incident = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="appointments")
    slot = models.ForeignKey(AppointmentSlot, on_delete=models.PROTECT, related_name="bookings")
    booked_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    booked_at = models.DateTimeField()
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["slot__starts_at", "id"]
