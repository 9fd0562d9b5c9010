"""Each person's match record beside their keys (people.PersonMatchRecord), built for the people
already recorded: search reads candidates from it and from nothing else."""

import django.db.models.deletion
from django.db import migrations, models


def build_for_existing_people(apps, schema_editor):
    # On a new database there is nobody to build for, and the current models (which the
    # normalising code reads) may be ahead of this migration's schema: check with the historical
    # model first. A force already holding people is migrated in step with this code, so the
    # current models fit; a million people take a few minutes (bench/README.md).
    if not apps.get_model("core", "Person").objects.exists():
        return
    from bluelamp.people.records import build_match_records

    build_match_records()


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_person_merged_into'),
        ('people', '0001_matching'),
    ]

    operations = [
        migrations.CreateModel(
            name='PersonMatchRecord',
            fields=[
                ('person', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='match_record', serialize=False, to='core.person')),
                ('record', models.TextField()),
            ],
        ),
        migrations.RunPython(build_for_existing_people, migrations.RunPython.noop, elidable=True),
    ]
