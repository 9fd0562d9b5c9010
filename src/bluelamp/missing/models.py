"""Missing people (domain.md 11, domain-addendum.md 1.6): a report with its risk grade and the
reasons, reviews, sightings, lines of enquiry, and the return with the police safe-and-well check
and, for a child, the independent return interview. Restricted by default (access.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

USER = settings.AUTH_USER_MODEL


class RiskGrade(models.TextChoices):
    # domain.md 11 (APP ⚠️): high / medium / low; one force's wording for each (addendum 1.6 ⚠️).
    HIGH = "high", "High: real and immediate danger"
    MEDIUM = "medium", "Medium: possible danger to self or others"
    LOW = "low", "Low: no apparent threat of danger"


class MissingFrom(models.TextChoices):
    HOME = "home", "Home"
    CARE = "care", "A care placement (looked-after child)"
    HOSPITAL = "hospital", "Hospital or a care home"
    OTHER = "other", "Somewhere else"


class ReportStatus(models.TextChoices):
    MISSING = "missing", "Missing"
    RETURNED = "returned", "Returned"


class InterviewOutcome(models.TextChoices):
    OFFERED = "offered", "Offered"
    ACCEPTED = "accepted", "Offered and accepted"
    DECLINED = "declined", "Offered and declined"


class MissingReport(models.Model):
    permission_name = "missing"

    person = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="+")
    owning_unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    last_seen_where = models.CharField(max_length=300)
    missing_from = models.CharField(max_length=20, choices=MissingFrom.choices)
    circumstances = models.TextField(max_length=4000)
    risk_grade = models.CharField(max_length=10, choices=RiskGrade.choices)
    risk_reasons = models.TextField(max_length=2000)
    is_child = models.BooleanField()  # under 18 when reported (date of birth, else as told)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.MISSING
    )
    officer_in_case = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    # The return.
    returned_at = models.DateTimeField(null=True, blank=True)
    found_where = models.CharField(max_length=300, blank=True)
    return_account = models.TextField(max_length=2000, blank=True)
    safe_and_well_at = models.DateTimeField(null=True, blank=True)
    safe_and_well_by_name = models.CharField(max_length=200, blank=True)
    safe_and_well_findings = models.TextField(max_length=2000, blank=True)
    interview_outcome = models.CharField(
        max_length=10, choices=InterviewOutcome.choices, blank=True
    )
    interview_offered_at = models.DateTimeField(null=True, blank=True)
    interview_by = models.CharField(max_length=200, blank=True)  # the independent provider

    class Meta:
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["person", "reported_at"], name="missing_person_history")]

    def __str__(self) -> str:
        return f"Missing person report {self.reference}"

    @property
    def reference(self) -> str:
        return f"MP-{self.pk:06d}" if self.pk else "MP-new"


class RiskReview(models.Model):
    """A review of the risk (APP, addendum 1.6 ✅: the supervisor reviews and confirms it);
    each one discharges the review duty and opens the next at the grade's interval."""

    report = models.ForeignKey(MissingReport, on_delete=models.PROTECT, related_name="reviews")
    at = models.DateTimeField()
    by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    by_name = models.CharField(max_length=200)
    grade = models.CharField(max_length=10, choices=RiskGrade.choices)
    reasons = models.TextField(max_length=2000)
    actions = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-at", "-id"]


class Sighting(models.Model):
    report = models.ForeignKey(MissingReport, on_delete=models.PROTECT, related_name="sightings")
    seen_at = models.DateTimeField()
    where = models.CharField(max_length=300)
    reported_by = models.CharField(max_length=200)  # who saw them: a name, "CCTV", "ANPR"
    note = models.TextField(max_length=2000, blank=True)
    recorded_by_name = models.CharField(max_length=200)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-seen_at", "-id"]


class EnquiryStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class Enquiry(models.Model):
    """A line of enquiry: friends, places, phone, CCTV, hospitals."""

    report = models.ForeignKey(MissingReport, on_delete=models.PROTECT, related_name="enquiries")
    description = models.CharField(max_length=500)
    status = models.CharField(
        max_length=10, choices=EnquiryStatus.choices, default=EnquiryStatus.OPEN
    )
    result = models.TextField(max_length=2000, blank=True)
    recorded_by_name = models.CharField(max_length=200)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["status", "id"]
        verbose_name_plural = "enquiries"
