"""``bluelamp people reindex|train|dedupe`` on the test database."""

import pytest
from django.core.management import CommandError, call_command
from faker import Faker

from bluelamp.accounts.roles import Role
from bluelamp.audit.models import AuditEvent
from bluelamp.core import persons
from bluelamp.people.models import DuplicateCandidate, PersonKey, TrainedModel


@pytest.fixture
def population(officer):
    fake = Faker("en_GB")
    fake.seed_instance(3)
    people = []
    for _ in range(120):
        dob = fake.date_of_birth(minimum_age=18, maximum_age=80)
        people.append(
            persons.create_person(
                actor=officer,
                given_names=fake.first_name(),
                family_name=fake.last_name(),
                dob_year=dob.year,
                dob_month=dob.month,
                dob_day=dob.day,
            )
        )
    original = people[0]
    duplicate = persons.create_person(
        actor=officer,
        given_names=original.names.get().given_names,
        family_name=original.names.get().family_name + "e",
        dob_year=original.dob_year,
        dob_month=original.dob_month,
        dob_day=original.dob_day,
    )
    return original, duplicate


def test_reindex_rebuilds_every_key(population):
    PersonKey.objects.all().delete()
    call_command("people", "reindex")
    assert PersonKey.objects.filter(person=population[0]).count() >= 3


def test_dedupe_acts_as_a_named_user_and_is_audited(population, make_user):
    qa = make_user(Role.QUALITY_ASSURANCE, username="imu-analyst")
    call_command("people", "dedupe", "--as", "imu-analyst", "--purpose", "Monthly data quality")
    original, duplicate = population
    assert DuplicateCandidate.objects.filter(person=original, other=duplicate).exists()
    event = AuditEvent.objects.filter(record_label="batch de-duplication").get()
    assert (event.actor_id, event.purpose) == (qa.pk, "Monthly data quality")


def test_training_refuses_records_with_too_few_duplicates_to_learn_from(population, make_user):
    make_user(Role.QUALITY_ASSURANCE, username="imu-analyst")
    with pytest.raises(CommandError, match="Too few duplicates"):
        call_command("people", "train", "--as", "imu-analyst")
    assert not TrainedModel.objects.exists()


def test_training_on_records_with_duplicates_stores_a_model(officer, make_user):
    make_user(Role.QUALITY_ASSURANCE, username="imu-analyst")
    fake = Faker("en_GB")
    fake.seed_instance(5)
    for _ in range(150):
        given, family = fake.first_name(), fake.last_name()
        dob = fake.date_of_birth(minimum_age=18, maximum_age=80)
        for spelling in (family, family + "e")[: 1 + (fake.random_int(0, 2) == 0)]:
            persons.create_person(
                actor=officer,
                given_names=given,
                family_name=spelling,
                dob_year=dob.year,
                dob_month=dob.month,
                dob_day=dob.day,
            )
    call_command("people", "train", "--as", "imu-analyst")
    trained = TrainedModel.objects.get()
    assert trained.records > 150
    assert '"prior"' in trained.parameters


def test_train_needs_someone_to_act_and_enough_records(population, make_user):
    with pytest.raises(CommandError, match="--as"):
        call_command("people", "train")
    with pytest.raises(CommandError, match="No user"):
        call_command("people", "train", "--as", "nobody")
    make_user(Role.RESPONSE_OFFICER, username="pc")
    with pytest.raises(CommandError):
        call_command("people", "dedupe", "--as", "pc")
