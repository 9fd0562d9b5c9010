"""Streaming batch de-duplication (people/stream.py) finds exactly the pairs the in-memory engine
finds over every record, whatever the batch size and however the work is split."""

import pytest

from bluelamp.accounts.roles import Role
from bluelamp.audit.models import AuditEvent
from bluelamp.core.models import Person
from bluelamp.people import dedupe, stream, term_counts
from bluelamp.people.blocking import candidate_pairs
from bluelamp.people.compare import comparison_vector
from bluelamp.people.frequencies import MIN_RECORDS
from bluelamp.people.model import scored_pairs
from bluelamp.people.models import DuplicateCandidate, PersonKey
from bluelamp.people.records import load_nominals
from bluelamp.people.services import current_model
from bluelamp.synth.generate import generate_people
from bluelamp.synth.models import SyntheticIdentity


@pytest.fixture
def force(units):
    # 600 synthetic people, about 50 of them recorded twice with a planted variant.
    generate_people(people=600, seed=11)
    return list(Person.objects.values_list("pk", flat=True))


def _in_memory(model):
    records = load_nominals(Person.objects.values_list("pk", flat=True))
    return {(min(a, b), max(a, b)): round(p, 9) for a, b, p, _ in scored_pairs(records, model)}


def _streamed(model, **options):
    found = {}
    for a, b, p, _ in stream.scan(model, threshold=0.5, **options):
        assert a < b, "smaller id first"
        assert (a, b) not in found, "each pair once"
        found[(a, b)] = round(p, 9)
    return found


@pytest.mark.parametrize("batch_people", [stream.BATCH_PEOPLE, 37])
def test_streaming_finds_the_same_pairs_as_the_in_memory_engine(force, monkeypatch, batch_people):
    monkeypatch.setattr(stream, "BATCH_PEOPLE", batch_people)
    model = current_model()
    expected = _in_memory(model)
    assert len(expected) >= 30  # the planted duplicates, so the comparison means something
    assert _streamed(model) == expected


def test_with_term_frequencies_each_pairs_own_probability(units):
    # With term counts a pair's probability is its own, not its vector's: the stream must find
    # every pair at or above the threshold with the probability worked out in full, as the
    # in-memory engine (model.score, which skips pairs no adjustment could lift) finds them.
    # Term counts are used from MIN_RECORDS records up: a thousand people and their duplicates.
    generate_people(people=MIN_RECORDS, seed=11)
    term_counts.store_count()
    model = current_model()
    assert model.adjusted_comparisons
    records = load_nominals(Person.objects.values_list("pk", flat=True))
    by_id = {r.id: r for r in records}
    expected, unadjusted = {}, {}
    for a, b in candidate_pairs(records):
        pair = (by_id[a], by_id[b])
        vector = comparison_vector(*pair)
        if (p := model.probability(vector, pair)) >= 0.5:
            expected[(min(a, b), max(a, b))] = round(p, 9)
        if (p := model.probability(vector)) >= 0.5:
            unadjusted[(min(a, b), max(a, b))] = round(p, 9)
    assert expected != unadjusted  # the adjustments move some pairs: the check means something
    assert _streamed(model) == expected
    assert _in_memory(model) == expected


def test_split_between_workers_loses_and_repeats_nothing(force):
    model = current_model()
    parts = [_streamed(model, part=i, parts=3) for i in range(3)]
    assert sum(len(p) for p in parts) == len(_in_memory(model))
    assert {k: v for p in parts for k, v in p.items()} == _in_memory(model)


def test_oversized_blocks_are_skipped_as_in_memory(force):
    # With a limit of 3 most blocks are oversized, so many pairs are met first at a later key:
    # the earlier-usable-key rule must still agree with the in-memory set of seen pairs.
    model = current_model()
    records = load_nominals(Person.objects.values_list("pk", flat=True))
    by_id = {r.id: r for r in records}
    expected = {}
    for a, b in candidate_pairs(records, max_block=3):
        p = model.probability(comparison_vector(by_id[a], by_id[b]))
        if p >= 0.5:
            expected[(min(a, b), max(a, b))] = round(p, 9)
    assert len(expected) >= 10
    assert _streamed(model, max_block=3) == expected


def test_find_duplicates_queues_the_streamed_pairs_once_and_audits(force, make_user):
    qa = make_user(Role.QUALITY_ASSURANCE)
    queued = dedupe.find_duplicates(actor=qa)
    assert queued == len(_in_memory(current_model())) > 0
    assert dedupe.find_duplicates(actor=qa) == 0
    assert DuplicateCandidate.objects.count() == queued
    events = AuditEvent.objects.filter(record_label="batch de-duplication")
    assert [e.detail["queued"] for e in events.order_by("pk")] == [queued, 0]


def test_merged_records_are_left_out_as_in_memory(force, make_user):
    qa = make_user(Role.QUALITY_ASSURANCE)
    model = current_model()
    a, b = sorted(_in_memory(model))[0]
    dedupe.merge(actor=qa, survivor=Person(pk=a), merged=Person(pk=b), reason="same person")
    live = load_nominals(
        Person.objects.filter(merged_into__isnull=True).values_list("pk", flat=True)
    )
    expected = {(min(x, y), max(x, y)): round(p, 9) for x, y, p, _ in scored_pairs(live, model)}
    streamed = _streamed(model)
    assert all(b not in pair for pair in streamed)
    assert streamed == expected


def test_people_only_generation_plants_duplicates_with_their_keys(units):
    result = generate_people(people=300, seed=4)
    records = Person.objects.count()
    assert result.people == 300
    assert records == 300 + result.duplicates
    assert 10 <= result.duplicates <= 45  # about 8%
    assert SyntheticIdentity.objects.exclude(variant="original").count() == result.duplicates
    # Every record has the match keys search and de-duplication read.
    assert PersonKey.objects.values("person").distinct().count() == records


def test_a_person_without_a_match_record_is_read_from_their_tables(force):
    """The stream reads people from their match records; one missing (not yet built) is loaded
    from the tables, so the pairs are still the in-memory engine's."""
    from bluelamp.people.models import PersonMatchRecord

    model = current_model()
    expected = _in_memory(model)
    (a, b) = next(iter(expected))
    PersonMatchRecord.objects.filter(person_id__in=[a, b]).delete()
    assert _streamed(model) == expected


@pytest.mark.parametrize("enabled", [True, False])
def test_cycle_collector_is_paused_while_a_batch_is_scored_and_left_as_found(
    force, monkeypatch, enabled
):
    # A batch makes millions of small objects and no cycles; the collector walking them was a
    # quarter of de-duplication's time (bench/README.md). It must be back as it was afterwards,
    # in the command's own process (one worker) as in a forked one.
    import gc

    seen = []
    reading = stream.stored_nominals

    def noting(ids):
        seen.append(gc.isenabled())
        return reading(ids)

    monkeypatch.setattr(stream, "stored_nominals", noting)
    monkeypatch.setattr(stream, "BATCH_PEOPLE", 37)
    (gc.enable if enabled else gc.disable)()
    try:
        found = _streamed(current_model())
        assert gc.isenabled() is enabled
    finally:
        gc.enable()
    assert found == _in_memory(current_model())
    assert len(seen) > 1
    assert not any(seen)
