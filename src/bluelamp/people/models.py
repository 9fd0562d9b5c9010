"""What matching keeps: each person's blocking keys, the trained model, the de-duplication review
queue, merges (kept so that they can be undone exactly) and the choices officers make when a
person is entered and likely existing records are offered."""

from django.conf import settings
from django.db import models

from bluelamp.core.models import Person


class PersonKey(models.Model):
    """One blocking key of one person (see people/blocking.py). Search is an index lookup here."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="match_keys")
    key = models.CharField(max_length=80)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "person"], name="one_key_per_person")]


class PersonMatchRecord(models.Model):
    """One person as matching compares them (``normalise.Nominal``: names, date of birth,
    addresses, identifiers), already normalised and serialised in one row, written wherever their
    keys are (people/records.py). A search fetches its candidates here in one query instead of
    reading four tables and normalising each record (bench/search_bench.py profile)."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, primary_key=True, related_name="match_record"
    )
    record = models.TextField()  # normalise.dump_nominal()


class TrainedModel(models.Model):
    """A match model estimated from the force's own records by ``bluelamp people train``."""

    trained_at = models.DateTimeField()
    records = models.PositiveIntegerField()
    parameters = models.TextField()  # MatchModel.to_json()

    class Meta:
        ordering = ["-trained_at", "-id"]


class TermFrequencies(models.Model):
    """How common each family name, given name, date of birth and town is among the force's
    live records (people/frequencies.py), counted by training and by every batch
    de-duplication run; search and de-duplication use the newest count."""

    counted_at = models.DateTimeField()
    records = models.PositiveIntegerField()
    shares = models.JSONField()  # {comparison: {value: share of records}}

    class Meta:
        ordering = ["-counted_at", "-id"]


class CandidateStatus(models.TextChoices):
    OPEN = "open", "Waiting for review"
    MERGED = "merged", "Merged"
    NOT_SAME = "not_same", "Not the same person"


class DuplicateCandidate(models.Model):
    """A pair of records batch de-duplication thinks may be one person, for a reviewer."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField()
    match_weight = models.FloatField()
    reasons = models.JSONField(default=list)
    status = models.CharField(
        max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.OPEN
    )
    found_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-probability", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "other"], name="one_candidate_per_pair")
        ]
        indexes = [models.Index(fields=["status", "-probability"], name="candidate_queue")]


class Merge(models.Model):
    """One person's record merged into another's. ``moved`` lists exactly which rows were moved
    (and any flag changed), so that unmerging restores both records and all their links."""

    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    moved = models.JSONField()
    reason = models.CharField(max_length=500)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField()
    unmerged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unmerged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at", "-id"]


class EntryChoice(models.Model):
    """Match-on-entry: what was offered when an officer entered a person, and what they chose
    (an existing record, or a new one)."""

    context = models.CharField(max_length=40)  # "call", "crime", "referral", "asb", "person"
    entered = models.JSONField()  # the details typed in
    offered = models.JSONField()  # [{"person": id, "probability": p}, ...]
    chosen = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_new = models.BooleanField(default=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
