"""Each duty names the event and the person its subject belongs to, so queues, counts and
figures can leave out duties on restricted records. Duties opened before this are filled in."""

from django.db import migrations, models


def _points_at(record):
    ids = {"core.event": None, "core.person": None}
    for field in record._meta.concrete_fields:
        label = field.related_model._meta.label_lower if field.is_relation else None
        if label in ids and ids[label] is None:
            ids[label] = getattr(record, field.attname)
    if ids == {"core.event": None, "core.person": None}:
        for field in record._meta.concrete_fields:
            if field.is_relation and field.related_model._meta.app_label not in (
                "accounts",
                "contenttypes",
                "core",
            ):
                related = getattr(record, field.name)
                if related is not None:
                    inner = _points_at(related)
                    if inner != (None, None):
                        return inner
        return None, None
    return ids["core.event"], ids["core.person"]


def name_what_duties_belong_to(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Duty = apps.get_model("duties", "Duty")
    for content_type in ContentType.objects.filter(
        pk__in=Duty.objects.values("subject_type_id").distinct()
    ):
        duties = Duty.objects.filter(subject_type=content_type)
        label = f"{content_type.app_label}.{content_type.model}"
        if label == "core.event":
            duties.update(about_event_id=models.F("subject_id"))
            continue
        if label == "core.person":
            duties.update(about_person_id=models.F("subject_id"))
            continue
        try:
            model = apps.get_model(content_type.app_label, content_type.model)
        except LookupError:
            continue
        ids = set(duties.values_list("subject_id", flat=True))
        for subject in model.objects.filter(pk__in=ids).iterator(chunk_size=2000):
            event_id, person_id = _points_at(subject)
            if event_id is not None or person_id is not None:
                duties.filter(subject_id=subject.pk).update(
                    about_event_id=event_id, about_person_id=person_id
                )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("duties", "0001_duties_and_outbox"),
    ]

    operations = [
        migrations.AddField(
            model_name="duty",
            name="about_event_id",
            field=models.BigIntegerField(blank=True, db_index=True, null=True),
        ),
        migrations.AddField(
            model_name="duty",
            name="about_person_id",
            field=models.BigIntegerField(blank=True, db_index=True, null=True),
        ),
        migrations.RunPython(name_what_duties_belong_to, migrations.RunPython.noop),
    ]
