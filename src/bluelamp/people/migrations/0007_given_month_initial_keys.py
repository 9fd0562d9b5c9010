"""The given name, year and month of birth and family initial keys (blocking rule "gm") for the
people already recorded."""

from django.db import migrations


def add_keys_for_existing_people(apps, schema_editor):
    # As in 0004: nobody to index on a new database; a force holding people is migrated in step
    # with this code, so the current models and rules fit.
    if not apps.get_model("core", "Person").objects.exists():
        return
    from bluelamp.people.records import add_rule_keys

    add_rule_keys("gm")


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0006_term_frequencies"),
    ]

    operations = [
        migrations.RunPython(add_keys_for_existing_people, migrations.RunPython.noop, elidable=True),
    ]
