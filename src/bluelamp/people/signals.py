"""Keeps each person's blocking keys in step with their record, in the same transaction as the
change. Bulk writes (``bulk_create``, ``update()``) send no signals: their callers reindex
(``people.records.reindex``), as merge and the synthetic force generator do."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from bluelamp.core.models import Identifier, Location, Person, PersonLocationLink, PersonName
from bluelamp.core.signals import people_created

from .records import index_new_people, reindex


@receiver(people_created)
def _people_created(sender, names, **kwargs):
    # core.create_people: each new person's only detail is this name; index from the values in
    # hand, one insert for all of them (bench/crime_load.py).
    index_new_people(names)


@receiver(post_save, sender=Person)
def _person_saved(sender, instance, raw=False, created=False, **kwargs):
    # A person just created has no names, identifiers or addresses yet: each of those rows
    # reindexes them when it is saved (bench/crime_load.py profile: half the reindexing).
    if not raw and not created:
        reindex([instance.pk])


@receiver(post_save, sender=PersonName)
@receiver(post_delete, sender=PersonName)
@receiver(post_save, sender=Identifier)
@receiver(post_delete, sender=Identifier)
@receiver(post_save, sender=PersonLocationLink)
@receiver(post_delete, sender=PersonLocationLink)
def _detail_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw:
        return
    reindex([instance.person_id])


@receiver(post_save, sender=Location)
def _location_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        reindex(instance.person_links.values_list("person_id", flat=True))
