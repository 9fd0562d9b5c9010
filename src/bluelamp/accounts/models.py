"""Users, the units they belong to (force > district > team), and per-record access grants."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import connections, models, router, transaction
from django.db.models import Q, Value
from django.db.models.functions import Cast, Concat

from .roles import Role, UnitKind


def _next_unit_id(using: str) -> int:
    """The id the next unit will get, taken before the insert so that its path (which ends with
    its own id) is written with it and the CHECK below never sees an empty path. PostgreSQL takes
    it from the id's sequence; SQLite, whose writers hold the database's one write lock
    (BEGIN IMMEDIATE), from its AUTOINCREMENT counter."""
    db = connections[using]
    table = Unit._meta.db_table
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
        else:
            # Every insert into an AUTOINCREMENT table, an explicit id too, raises its counter.
            cursor.execute(
                "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0) + 1",
                [table],
            )
        return int(cursor.fetchone()[0])


class Unit(models.Model):
    """A node of the force's structure. ``path`` ("1/4/9/": the ids from the force down to this
    unit) makes subtree filters one LIKE and ``contains`` a string test. Every write scope
    (accounts/permissions.py) rests on it, so it is never left empty: ``save`` writes it with
    the unit (whichever way the unit is made: ``create_unit``, ``Unit(...).save()``,
    ``objects.create``), and a CHECK constraint refuses any row whose path does not end with its
    own id (``bulk_create`` and raw inserts included)."""

    name = models.CharField(max_length=120)
    code = models.SlugField(max_length=40, unique=True)
    kind = models.CharField(max_length=10, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")

    class Meta:
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(parent__isnull=True, path=Concat(Cast("id", models.CharField()), Value("/")))
                    | Q(
                        parent__isnull=False,
                        path__endswith=Concat(
                            Value("/"), Cast("id", models.CharField()), Value("/")
                        ),
                    )
                ),
                name="unit_path_ends_with_own_id",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if self.parent_id is not None and not self.parent.path:
            raise ValueError(f"The parent unit {self.parent} has no path.")
        using = kwargs.get("using") or router.db_for_write(Unit, instance=self)
        with transaction.atomic(using=using):  # the id taken and the row written together
            if self.pk is None:
                self.pk = _next_unit_id(using)
                kwargs["force_insert"] = True
            elif (
                Unit.objects.using(using).filter(pk=self.pk).exclude(parent=self.parent_id).exists()
                and Unit.objects.using(using).filter(parent=self.pk).exists()
            ):
                # The units under it would keep the old path and write in the wrong district.
                raise ValueError(f"{self} has units under it and cannot be moved.")
            self.path = f"{self.parent.path if self.parent_id else ''}{self.pk}/"
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "parent" in update_fields:
                kwargs["update_fields"] = {*update_fields, "path"}
            super().save(*args, **kwargs)

    def contains(self, other: "Unit | None") -> bool:
        # An empty path would contain every unit: fail closed (the CHECK makes it impossible).
        return bool(self.path) and other is not None and other.path.startswith(self.path)

    def district(self) -> "Unit":
        """The district this unit sits in, or the force itself for force-level units."""
        node = self
        while node.kind == UnitKind.TEAM and node.parent_id:
            node = node.parent
        return node


# The synthetic force's officers (synth/generate.py) carry addresses in this domain (".invalid"
# is reserved, RFC 2606, so no real officer's address is in it): they own synthetic work and
# cannot sign in, and the administration pages leave them out unless asked.
SYNTHETIC_EMAIL_DOMAIN = "synthetic.bluelamp.invalid"


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

    @property
    def is_synthetic(self) -> bool:
        return self.email.endswith(f"@{SYNTHETIC_EMAIL_DOMAIN}")


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
