"""Ground truth for the synthetic force: which person records are the same (synthetic) person,
and how a duplicate differs, so that matching recall is measured, not assumed."""

from django.db import models

from bluelamp.core.models import Person


class SyntheticIdentity(models.Model):
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="+")
    identity = models.PositiveIntegerField(db_index=True)
    variant = models.CharField(max_length=40)  # "original", "nickname", "year only", ...
