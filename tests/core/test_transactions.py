"""core.transactions.service: a service called by another service runs without a savepoint of
its own; called by anything else it behaves as transaction.atomic, so its caller can catch its
error and carry on."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bluelamp.core.models import ReferenceCounter
from bluelamp.core.transactions import service

pytestmark = pytest.mark.django_db


@service
def _write(day, *, fail=False):
    ReferenceCounter.objects.create(day=day, last=1)
    if fail:
        raise ValidationError({"day": "refused after writing"})


@service
def _write_two(first, second, *, fail_second=False):
    _write(first)
    _write(second, fail=fail_second)


def _savepoints(queries):
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SAVEPOINT")]


def test_a_nested_service_takes_no_savepoint():
    with CaptureQueriesContext(connection) as queries:
        _write_two("2026-01-01", "2026-01-02")
    assert len(_savepoints(queries)) == 1  # the outer service's, inside the test's transaction
    assert ReferenceCounter.objects.count() == 2


def test_a_failing_nested_service_rolls_back_the_whole_outer_service():
    with pytest.raises(ValidationError):
        _write_two("2026-01-01", "2026-01-02", fail_second=True)
    # The outer service's savepoint undid both writes; the transaction is still usable.
    assert ReferenceCounter.objects.count() == 0
    _write("2026-01-03")
    assert ReferenceCounter.objects.count() == 1


def test_a_caller_that_is_not_a_service_can_catch_and_carry_on():
    _write("2026-01-01")
    with pytest.raises(ValidationError):
        _write("2026-01-02", fail=True)
    assert list(ReferenceCounter.objects.values_list("last", flat=True)) == [1]
    _write("2026-01-04")
    assert ReferenceCounter.objects.count() == 2
