"""The synthetic force: deterministic, shaped by the real police.uk data, heavy-tailed, with its
duplicates recorded as ground truth, and consistent with what the services would have written."""

import datetime as dt
import hashlib
from collections import Counter

import pytest
from django.db import transaction
from django.db.models import Count, F
from faker.providers.person.en_GB import Provider as BritishNames

from bluelamp.core.models import (
    Event,
    Person,
    PersonEventLink,
    PersonLocationLink,
    PersonName,
    RecordChange,
)
from bluelamp.core.validation import normalise_postcode
from bluelamp.crime.models import RecordingDecision
from bluelamp.duties.models import Duty, Outcome
from bluelamp.people.blocking import record_keys
from bluelamp.people.models import PersonKey, PersonMatchRecord
from bluelamp.people.normalise import dump_nominal
from bluelamp.people.records import load_nominals
from bluelamp.synth.generate import generate_force
from bluelamp.synth.models import SyntheticIdentity
from bluelamp.synth.profile import load as profile

END = dt.date(2026, 6, 30)


@pytest.fixture
def force(db):
    return generate_force(population=4000, years=1, seed=11, districts=4, end=END)


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for row in PersonName.objects.order_by("person_id").values_list(
        "given_names", "family_name", "person__dob_year", "person__dob_month", "person__dob_day"
    ):
        digest.update(repr(row).encode())
    for row in Event.objects.order_by("reported_at", "kind", "summary").values_list(
        "kind", "summary", "reported_at", "location__lsoa_code"
    ):
        digest.update(repr(row).encode())
    return digest.hexdigest()


def test_rates_follow_the_real_data(force):
    real = profile()
    months = len(real["months"])
    asb_share = real["types"]["Anti-social behaviour"]
    crime_per_person_year = (
        (sum(real["types"].values()) - asb_share) * 12 / months / real["population"]
    )
    assert force.events["crime"] == pytest.approx(crime_per_person_year * 4000, rel=0.02)
    assert Event.objects.filter(kind="crime").count() == force.events["crime"]


def test_the_crime_type_mix_follows_the_real_data(force):
    real = profile()["types"]
    made = Counter(
        summary.split(" on or near ")[0]
        for summary in Event.objects.filter(kind="crime").values_list("summary", flat=True)
    )
    top_real = [k for k in real if k != "Anti-social behaviour"][:3]
    top_made = [k for k, _ in made.most_common(3)]
    assert top_made[0] == top_real[0] == "Violence and sexual offences"
    assert set(top_made) & set(top_real[1:])


def test_places_are_real_lsoas_with_valid_postcodes(force):
    real = set(profile()["lsoas"])
    for lsoa, postcode in Event.objects.values_list("location__lsoa_code", "location__postcode")[
        :500
    ]:
        assert lsoa in real
        assert normalise_postcode(postcode) == postcode


def test_repeat_victims_are_heavy_tailed(force):
    per_victim = Counter(
        PersonEventLink.objects.filter(role__in=["victim", "caller"]).values_list(
            "person_id", flat=True
        )
    )
    counts = sorted(per_victim.values(), reverse=True)
    top_tenth = sum(counts[: len(counts) // 10])
    assert top_tenth / sum(counts) > 0.3  # a tenth of the people make a third of the demand
    assert counts[0] >= 10


def test_duplicates_are_recorded_as_ground_truth(force):
    assert force.duplicates > 0
    twins = SyntheticIdentity.objects.values("identity").annotate(n=Count("id")).filter(n__gt=1)
    assert twins.count() == force.duplicates
    variants = set(
        SyntheticIdentity.objects.exclude(variant="original").values_list("variant", flat=True)
    )
    assert {"nickname", "misspelt family name"} & variants


def test_records_are_consistent_with_the_services(force):
    crimes = Event.objects.filter(kind="crime").count()
    assert RecordingDecision.objects.count() == crimes
    duties = Duty.objects.filter(policy="ncrs-recording-decision")
    assert duties.count() == crimes
    assert duties.filter(outcome=Outcome.DONE).count() == crimes
    assert duties.filter(done_at__gt=F("due_at")).exists()  # some decisions were late
    assert RecordChange.objects.filter(action="create").count() >= Person.objects.count()
    assert PersonKey.objects.values("person").distinct().count() == Person.objects.count()
    sample = list(Person.objects.order_by("pk").values_list("pk", flat=True)[:50])
    for record in load_nominals(sample):  # the fast path wrote what reindex would have
        stored = set(PersonKey.objects.filter(person_id=record.id).values_list("key", flat=True))
        assert stored == record_keys(record)
        assert PersonMatchRecord.objects.get(person_id=record.id).record == dump_nominal(record)
    references = list(Event.objects.values_list("reference", flat=True))
    assert len(references) == len(set(references))


def _force_fingerprint(seed: int) -> str:
    """Generates a small force, fingerprints it, and rolls it back."""
    savepoint = transaction.savepoint()
    generate_force(population=600, years=1, seed=seed, districts=2, end=END)
    fingerprint = _fingerprint()
    transaction.savepoint_rollback(savepoint)
    return fingerprint


def test_the_same_seed_makes_the_same_force_and_another_seed_does_not(db):
    first = _force_fingerprint(11)
    assert not Person.objects.exists()
    assert _force_fingerprint(11) == first
    assert _force_fingerprint(12) != first


def test_reference_counters_carry_on_where_the_generator_left_off(force):
    from bluelamp.core.models import ReferenceCounter

    for day, last in ReferenceCounter.objects.values_list("day", "last"):
        made = Event.objects.filter(reference__startswith=f"LC-{day:%Y%m%d}-").count()
        assert last == made, day


def test_every_planted_variant_has_a_date_of_birth_that_exists():
    """A leap-day birthday moved a year by a planted typo must still be a real date (an officer
    could not have entered 29 February 1985), and the variant kinds all stay valid."""
    from bluelamp.synth.generate import ForceGenerator

    generator = ForceGenerator(population=10, years=1, seed=3, end=END)
    kinds = Counter()
    for _ in range(400):
        variant, kind = generator._variant({"given": "Ann", "family": "Lee", "dob": (1984, 2, 29)})
        kinds[kind] += 1
        year, month, day = variant["dob"]
        if month and day:
            dt.date(year, month, day)  # raises for a date that does not exist
    assert kinds["year out by one"] > 20


def test_names_are_spread_as_in_britain(force):
    # Faker's own draw could give no more than its 500 family names and 182 given names a sex
    # (tests/synth/test_names.py checks the shares).
    originals = SyntheticIdentity.objects.filter(variant="original").values("person_id")
    names = list(
        PersonName.objects.filter(person_id__in=originals).values_list("given_names", "family_name")
    )
    assert len({family for _, family in names}) > 500
    fakers = {*BritishNames.first_names_male, *BritishNames.first_names_female}
    assert len({given for given, _ in names} - fakers) > 100


def test_some_second_records_were_made_after_the_person_moved_house(force):
    """A real force's people move: some planted variants live somewhere else than the original,
    so two records of one person need not share an address (issue 18)."""
    moved = SyntheticIdentity.objects.filter(variant__endswith=", moved house")
    assert moved.exists()
    for variant in moved[:20]:
        original = SyntheticIdentity.objects.get(identity=variant.identity, variant="original")
        homes = {
            pid: set(
                PersonLocationLink.objects.filter(person_id=pid).values_list(
                    "location_id", flat=True
                )
            )
            for pid in (variant.person_id, original.person_id)
        }
        assert homes[variant.person_id]
        assert homes[original.person_id]
        assert not homes[variant.person_id] & homes[original.person_id]
    # Most second records were not made after a move.
    planted = SyntheticIdentity.objects.exclude(variant="original").count()
    assert moved.count() < planted / 2


def test_ages_spread_over_the_range_without_piling_up_at_its_ends():
    """Ages outside 10 to 95 are drawn again, not clamped: clamping made every draw under 10 a
    10-year-old, and 7.5% of a five-million force was born in one year."""
    from bluelamp.synth.generate import ForceGenerator
    from bluelamp.synth.people_rows import MAX_AGE, MIN_AGE

    generator = ForceGenerator(population=10, years=1, seed=5, end=END)
    draws = 5000
    ages = Counter()
    for _ in range(draws):
        year, month, day = generator._person_values()["dob"]
        born = dt.date(year, month or 1, day or 1)
        ages[(END - born).days // 365] += 1
    assert min(ages) >= MIN_AGE - 1
    assert max(ages) <= MAX_AGE + 1
    # A normal curve's peak over 85 ages is under 3% of them; clamping put 7.5% at the youngest.
    assert max(ages.values()) < 0.04 * draws
    assert ages[MIN_AGE] < ages[25]
