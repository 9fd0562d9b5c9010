"""The family name with year and month (rule "fm") and the family name's letters with year
(rule "fl") for the people already recorded: keys search looks up (blocking.SEARCH_RULES)."""

from django.db import migrations


def add_keys_for_existing_people(apps, schema_editor):
    # As in 0004: nobody to index on a new database; a force holding people is migrated in step
    # with this code, so the current models and rules fit.
    if not apps.get_model("core", "Person").objects.exists():
        return
    from bluelamp.people.records import add_rule_keys

    add_rule_keys("fm")
    add_rule_keys("fl")


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0007_given_month_initial_keys"),
    ]

    operations = [
        migrations.RunPython(add_keys_for_existing_people, migrations.RunPython.noop, elidable=True),
    ]
