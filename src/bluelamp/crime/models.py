"""Crime recording decisions on incidents, allocation of work, and supervisors' reviews. Issue 5
builds full recording, classification, investigation and outcomes on top of these."""

from django.conf import settings
from django.db import models

from bluelamp.core.models import Event


class Decision(models.TextChoices):
    CRIMED = "crimed", "Recorded as a crime"
    NO_CRIME = "no_crime", "Not a crime"


class IncidentReport(models.Model):
    """What the call handler recorded about an incident that matters for crime recording."""

    incident = models.OneToOneField(Event, on_delete=models.PROTECT, related_name="crime_report")
    may_be_crime = models.BooleanField()


class RecordingDecision(models.Model):
    """The National Crime Recording Standard decision on an incident (domain.md §4)."""

    incident = models.OneToOneField(
        Event, on_delete=models.PROTECT, related_name="recording_decision"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reason = models.CharField(max_length=1000)
    crime = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.PROTECT, related_name="recorded_from"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()


class Allocation(models.Model):
    """A piece of work (an event) given to an officer."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="allocations")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="allocations"
    )
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    allocated_at = models.DateTimeField()

    class Meta:
        ordering = ["-allocated_at", "-id"]


class SupervisorReview(models.Model):
    """A supervisor's review of a piece of work, with the direction given: the "supervisory
    footprint" the 2018 report found missing in 29 of 60 files."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="supervisor_reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField()
    direction = models.TextField()

    class Meta:
        ordering = ["-reviewed_at", "-id"]


class Crime(models.Model):
    """A recorded crime: the crime's own detail beside its core Event (kind "crime"). Issue 5
    adds classification history, cancellation, investigation and outcomes around it."""

    event = models.OneToOneField(Event, on_delete=models.PROTECT, related_name="crime")
    incident = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.PROTECT, related_name="crimes_recorded"
    )
    offence_code = models.CharField(max_length=10, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.event.reference


class InvestigationUpdate(models.Model):
    """An entry in a crime's investigation log. One marked for the victim is shown in their portal
    and sent to them by their chosen channel (victims/)."""

    crime = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="investigation_updates")
    text = models.TextField()
    victim_visible = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-recorded_at", "-id"]


from .investigation_models import *  # noqa: F403,E402
