"""Every way a unit is made gives it a valid path (the ids from the force down to it), because
every write scope rests on ``Unit.contains``: an empty path once contained every unit, so any
district could write any other's records (issue 14)."""

import importlib

import pytest
from django.db import IntegrityError, connection, transaction

from bluelamp.accounts.models import Unit
from bluelamp.accounts.permissions import write_scope
from bluelamp.accounts.roles import Role, UnitKind
from bluelamp.synth.demo import create_demo_users
from bluelamp.synth.generate import ForceGenerator

fill_migration = importlib.import_module("bluelamp.accounts.migrations.0002_fill_unit_paths")


def expected_path(unit: Unit) -> str:
    ids = []
    node = unit
    while node is not None:
        ids.append(node.pk)
        node = node.parent
    return "".join(f"{pk}/" for pk in reversed(ids))


def assert_every_unit_has_its_path():
    units = list(Unit.objects.select_related("parent"))
    assert units
    for unit in Unit.objects.all():
        assert unit.path == expected_path(unit), unit.code


def test_create_unit_gives_the_chain_of_ids(units):
    assert units["force"].path == f"{units['force'].pk}/"
    assert (
        units["west-cid"].path == f"{units['force'].pk}/{units['west'].pk}/{units['west-cid'].pk}/"
    )
    assert_every_unit_has_its_path()


def test_a_unit_saved_or_created_directly_gets_its_path_too(units):
    saved = Unit(name="East CID", code="east-cid", kind=UnitKind.TEAM, parent=units["east"])
    saved.save()
    created = Unit.objects.create(
        name="East NHT", code="east-nht", kind=UnitKind.TEAM, parent=units["east"]
    )
    assert saved.path == f"{units['east'].path}{saved.pk}/"
    assert created.path == f"{units['east'].path}{created.pk}/"
    assert units["east"].contains(saved)
    assert not units["west"].contains(created)
    assert_every_unit_has_its_path()


def test_the_generator_and_the_demo_users_get_units_with_paths(db):
    units = ForceGenerator(population=100, years=1, seed=3).build_units()
    users = create_demo_users(units)
    assert_every_unit_has_its_path()
    # The demo's response officer writes in Preston, not in another district.
    other = next(u for u in units.values() if u.kind == UnitKind.DISTRICT and u.code != "preston")
    scope = write_scope(users["response"])
    assert scope.code == "preston"
    assert not scope.contains(other)
    assert scope.contains(units["preston-cid"])
    assert write_scope(users["handler"]).kind == UnitKind.FORCE  # force-wide by design
    assert users["handler"].role == Role.CALL_HANDLER


def test_a_bulk_insert_without_a_path_is_refused_by_the_database(units):
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.bulk_create(
            [Unit(pk=9000, name="X", code="x", kind=UnitKind.TEAM, parent=units["west"])]
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.bulk_create([Unit(name="Y", code="y", kind=UnitKind.FORCE)])


def test_emptying_or_faking_a_path_is_refused_by_the_database(units):
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.filter(pk=units["west-cid"].pk).update(path="")
    # Claiming another unit's subtree: the path must end with the unit's own id.
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.filter(pk=units["west-cid"].pk).update(path=units["east"].path)
    table = connection.ops.quote_name(Unit._meta.db_table)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET path = %s WHERE id = %s", ["", units["hq"].pk])  # noqa: S608
    assert_every_unit_has_its_path()


def test_a_moved_unit_takes_its_new_path_and_one_with_units_under_it_cannot_move(units):
    team = units["west-cid"]
    team.parent = units["east"]
    team.save()
    team.refresh_from_db()
    assert team.path == f"{units['east'].path}{team.pk}/"
    district = units["west"]
    district.parent = units["hq"]
    with pytest.raises(ValueError, match="cannot be moved"):
        district.save()
    assert_every_unit_has_its_path()


def test_an_empty_path_contains_nothing():
    force = Unit(pk=1, name="F", code="f", kind=UnitKind.FORCE, path="")
    assert not force.contains(Unit(pk=2, name="T", code="t", kind=UnitKind.TEAM, path="2/"))


def test_the_migration_fills_paths_of_units_made_before(db):
    # (id, parent id) as the demo and generator left them, children listed before parents.
    rows = [(9, 4), (4, 1), (1, None), (7, 1), (12, 7)]
    assert fill_migration.unit_paths(rows) == {
        1: "1/",
        4: "1/4/",
        9: "1/4/9/",
        7: "1/7/",
        12: "1/7/12/",
    }
    # A cycle reaches no force: no path, so the constraint migration after it fails loudly.
    assert fill_migration.unit_paths([(1, 2), (2, 1), (3, None)]) == {3: "3/"}
