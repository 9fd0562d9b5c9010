"""Fills the path of every unit made before ``Unit.save`` wrote it (the demo's and the
generator's units had an empty path, so ``Unit.contains`` was always true and every district
could write every other district's records). Parents before children, from the force down."""

from django.db import migrations


def unit_paths(rows):
    """{id: path} for (id, parent_id) rows: "1/", "1/4/", "1/4/9/". A unit whose chain of
    parents does not reach a root (a cycle) gets none, and the next migration's CHECK fails."""
    parents = dict(rows)
    paths = {}

    def path_of(unit_id, seen=()):
        if unit_id in paths:
            return paths[unit_id]
        if unit_id in seen:
            return None
        parent = parents[unit_id]
        head = "" if parent is None else path_of(parent, (*seen, unit_id))
        if head is None:
            return None
        paths[unit_id] = f"{head}{unit_id}/"
        return paths[unit_id]

    for unit_id in parents:
        path_of(unit_id)
    return paths


def fill_paths(apps, schema_editor):
    Unit = apps.get_model("accounts", "Unit")
    paths = unit_paths(Unit.objects.values_list("id", "parent_id"))
    for unit in Unit.objects.all():
        if paths.get(unit.pk) and unit.path != paths[unit.pk]:
            unit.path = paths[unit.pk]
            unit.save(update_fields=["path"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_users_units_and_access_grants")]

    operations = [migrations.RunPython(fill_paths, migrations.RunPython.noop)]
