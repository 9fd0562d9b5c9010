"""History rows name the other record they mention, so a reader without a grant is not shown a
restricted person or event through someone else's history. Rows written before this migration
are filled in from the links they recorded."""

import datetime as dt

from django.db import migrations, models


def name_the_other_records(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    RecordChange = apps.get_model("core", "RecordChange")
    Event = apps.get_model("core", "Event")
    PersonEventLink = apps.get_model("core", "PersonEventLink")
    types = {
        ct.model: ct.pk
        for ct in ContentType.objects.filter(app_label="core", model__in=["person", "event"])
    }
    if len(types) < 2:
        return  # a new database: nothing recorded yet
    rows = RecordChange.objects.filter(action="link").only(
        "content_type_id", "object_id", "at", "summary"
    )
    close = dt.timedelta(seconds=5)
    for row in rows.iterator(chunk_size=2000):
        if row.content_type_id == types["person"]:
            # "Victim in LC-20261203-00001"
            reference = row.summary.rsplit(" in ", 1)[-1].strip()
            event_id = Event.objects.filter(reference=reference).values_list("pk", flat=True)
            if event_id:
                RecordChange.objects.filter(pk=row.pk).update(about_event_id=event_id[0])
        elif row.content_type_id == types["event"] and row.summary.startswith("Linked "):
            people = list(
                PersonEventLink.objects.filter(
                    event_id=row.object_id,
                    created_at__gte=row.at - close,
                    created_at__lte=row.at + close,
                ).values_list("person_id", flat=True)
            )
            if len(people) == 1:
                RecordChange.objects.filter(pk=row.pk).update(about_person_id=people[0])


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_person_merged_into"),
    ]

    operations = [
        migrations.AddField(
            model_name="recordchange",
            name="about_event_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="recordchange",
            name="about_person_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(name_the_other_records, migrations.RunPython.noop),
    ]
