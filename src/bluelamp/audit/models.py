"""The append-only, hash-chained access log (Data Protection Act 2018 Part 3, section 62).
Each row's hash is keyed (audit/chain.py); signed checkpoints outside the database show rows cut
from its end (audit/checkpoints.py)."""

from django.db import models


class Action(models.TextChoices):
    # DPA 2018 s62(1): collection, alteration, consultation, disclosure, combination, erasure.
    VIEW = "view", "Viewed"
    SEARCH = "search", "Searched"
    CREATE = "create", "Created"
    CHANGE = "change", "Changed"
    LINK = "link", "Linked (combination)"
    DISCLOSE = "disclose", "Disclosed"
    EXPORT = "export", "Exported"
    DELETE = "delete", "Erased"
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    SIGN_OUT = "sign_out", "Signed out"
    GRANT = "grant", "Granted access"
    MERGE = "merge", "Merged records (combination)"
    UNMERGE = "unmerge", "Unmerged records"
    # A page or API operation on personal data answered 403 or 404: asking is recorded too.
    REFUSED = "refused", "Refused access"
    # The first row of the keyed chain (audit/chain.py), appended by migration 0004.
    CHAIN_KEYED = "chain_keyed", "Audit chain keyed"


class AuditEvent(models.Model):
    """One audited act. Never updated, deleted or replaced (database triggers refuse all three;
    ``bluelamp audit verify`` shows it if they were bypassed). The actor is kept
    by id *and* a copy of their name, with no foreign key, so no cascade can remove a row."""

    at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, db_index=True)
    actor_name = models.CharField(max_length=200)
    actor_role = models.CharField(max_length=30, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    record_type = models.CharField(max_length=60, blank=True)
    record_id = models.CharField(max_length=64, blank=True)
    record_label = models.CharField(max_length=200, blank=True)
    purpose = models.CharField(max_length=500, blank=True)
    client_address = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["record_type", "record_id", "at"], name="audit_record_at_idx")
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.record_type}"
