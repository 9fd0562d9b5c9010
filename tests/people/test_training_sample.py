"""Training on a sample of a large force (dedupe.train_model): each rule's m is estimated from
whole blocks, so the sample keeps the duplicates EM learns from. A uniform sample of an eighth of
the records keeps a sixty-fourth of the duplicate pairs: here training refused it (too few
duplicates); on the million-record bench force a uniform fifth gave a model that queued about as
many false pairs as true ones (bench/README.md)."""

import itertools

import pytest

from bluelamp.accounts.roles import Role
from bluelamp.audit.context import acting
from bluelamp.core.models import Person
from bluelamp.people import dedupe, stream
from bluelamp.people.blocking import BLOCKING_RULES
from bluelamp.people.model import MatchModel, scored_pairs
from bluelamp.people.models import PersonKey
from bluelamp.people.records import stored_nominals
from bluelamp.synth.generate import generate_people
from bluelamp.synth.models import SyntheticIdentity

pytestmark = pytest.mark.django_db


@pytest.fixture
def force(units):
    generate_people(people=1500, seed=5)  # about 120 people recorded twice
    return list(Person.objects.values_list("pk", flat=True))


def _planted_pairs() -> set[tuple[int, int]]:
    people = {}
    for pid, identity in SyntheticIdentity.objects.values_list("person_id", "identity"):
        people.setdefault(identity, []).append(pid)
    return {pair for ids in people.values() for pair in itertools.combinations(sorted(ids), 2)}


def test_a_sample_of_whole_blocks_keeps_every_pair_of_each_block(force):
    rule = BLOCKING_RULES[0]
    chosen = stream.sample_blocks(rule, share=0.3, seed=2)
    keys = {}
    for key, pid in PersonKey.objects.filter(key__startswith=f"{rule.code}:").values_list(
        "key", "person_id"
    ):
        keys.setdefault(key, set()).add(pid)
    taken = [ids for ids in keys.values() if ids & chosen and 2 <= len(ids) <= rule.max_block]
    assert taken, "some blocks sampled"
    assert all(ids <= chosen for ids in taken)  # whole blocks, never part of one
    assert len(chosen) < len(force) * 0.6  # a sample, not the force
    assert stream.sample_blocks(rule, share=0.3, seed=2) == chosen  # the seed decides


def test_a_model_trained_on_an_eighth_of_the_force_finds_its_duplicates(force, make_user):
    analyst = make_user(Role.ANALYST)
    with acting(purpose="Annual de-duplication of the nominal index"):
        trained = dedupe.train_model(actor=analyst, sample=len(force) // 8)
    assert trained.records == len(force) // 8
    model = MatchModel.from_json(trained.parameters)
    found = {(min(a, b), max(a, b)) for a, b, _, _ in scored_pairs(stored_nominals(force), model)}
    planted = _planted_pairs()
    true = len(found & planted)
    assert true / len(found) >= 0.9  # precision
    assert true / len(planted) >= 0.9  # recall


def test_training_pauses_the_cycle_collector_and_leaves_it_as_found(force, make_user, monkeypatch):
    # Training holds hundreds of thousands of people and pairs, none in a cycle; the collector
    # walking them was a sixth of training the million (bench/README.md).
    import gc

    seen = []
    training = dedupe.train

    def noting(*args, **kwargs):
        seen.append(gc.isenabled())
        return training(*args, **kwargs)

    monkeypatch.setattr(dedupe, "train", noting)
    analyst = make_user(Role.ANALYST)
    assert gc.isenabled()
    with acting(purpose="Annual de-duplication of the nominal index"):
        dedupe.train_model(actor=analyst, sample=len(force) // 8)
    assert seen == [False]
    assert gc.isenabled()


def test_one_rules_counts_are_those_of_every_rules_pairs_in_the_same_order(force):
    # Training counts each rule's pairs among that rule's sampled blocks without comparing the
    # other rules' pairs among them: the counts, and the order EM sums them in, must not change.
    from bluelamp.people.pairs import PairVectors, rule_counts

    pairs = 0
    for rule in BLOCKING_RULES:
        among = stored_nominals(stream.sample_blocks(rule, share=0.5, seed=3, max_block=30))
        expected = PairVectors(among).counts((rule,), 30)
        found = rule_counts(among, rule, 30)
        assert list(found.items()) == list(expected.items()), rule.code
        pairs += sum(found.values())
    assert pairs > 1000  # the check means something
