"""Users, the units they belong to (force > district > team), and per-record access grants."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models

from .roles import Role, UnitKind


class Unit(models.Model):
    """A node of the force's structure. ``path`` ("1/4/9/") makes subtree filters one LIKE."""

    name = models.CharField(max_length=120)
    code = models.SlugField(max_length=40, unique=True)
    kind = models.CharField(max_length=10, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")

    class Meta:
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def contains(self, other: "Unit | None") -> bool:
        return other is not None and other.path.startswith(self.path)

    def district(self) -> "Unit":
        """The district this unit sits in, or the force itself for force-level units."""
        node = self
        while node.kind == UnitKind.TEAM and node.parent_id:
            node = node.parent
        return node


class User(AbstractUser):
    role = models.CharField(max_length=30, choices=Role.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="members")
    collar_number = models.CharField(max_length=20, blank=True)

    REQUIRED_FIELDS = ["email"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        name = self.get_full_name() or self.username
        return f"{name} ({self.collar_number})" if self.collar_number else name

    @property
    def role_label(self) -> str:
        return Role(self.role).label


class AccessGrant(models.Model):
    """Lets one user see one restricted record. Without a grant a restricted record does not exist
    for that user: 404 on its page, absent from lists, search and counts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_grants"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    reason = models.CharField(max_length=500)
    granted_by_name = models.CharField(max_length=200)
    granted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "content_type", "object_id"], name="one_grant_per_user_and_record"
            ),
        ]


class ApiToken(models.Model):
    """A bearer token for API clients. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked = models.BooleanField(default=False)
