"""The matching engine without a database: normalisation, comparison levels, blocking and the
EM-estimated model, on the awkward cases police records are full of."""

import random

import pytest
from faker import Faker

from bluelamp.people.blocking import BLOCKING_RULES, candidate_pairs, query_keys, record_keys
from bluelamp.people.compare import COMPARISONS, DOB, FAMILY, GIVEN, comparison_vector
from bluelamp.people.model import MatchModel
from bluelamp.people.normalise import BirthDate, family_name, name_parts, nominal
from bluelamp.people.training import train


def person(given="", family="", dob="", **extra):
    return nominal(1, names=[(given, family)], dob=BirthDate.parse(dob), **extra)


def other(given="", family="", dob="", **extra):
    return nominal(2, names=[(given, family)], dob=BirthDate.parse(dob), **extra)


def level(comparison, a, b):
    result = comparison.compare(a, b)
    return None if result is None else comparison.levels[result]


@pytest.mark.parametrize(
    ("typed", "parts"),
    [
        ("O'Neill", ["oneill"]),
        ("Siobhán", ["siobhan"]),
        ("Smith-Jones", ["smith", "jones"]),
        ("  Mary   Jane ", ["mary", "jane"]),
        ("Zoë Ørsted", ["zoe", "orsted"]),
        ("", []),
        ("12345 !!", []),
    ],
)
def test_names_are_normalised_to_comparable_parts(typed, parts):
    assert name_parts(typed) == parts


@pytest.mark.parametrize(
    ("a", "b"),
    [("MacDonald", "McDonald"), ("Mac Donald", "mcdonald"), ("O'Brien", "OBrien")],
)
def test_mac_mc_and_apostrophes_are_one_family_name(a, b):
    assert family_name(a) == family_name(b)


def test_mac_alone_is_not_folded():
    assert family_name("Mac") == "mac"
    assert family_name("Macey") == "macey"


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Bill", "William", "given name is a known nickname or short form"),
        ("Peggy", "Margaret", "given name is a known nickname or short form"),
        ("J", "John", "given name initial matches"),
        ("Jon", "John", "given name is a known nickname or short form"),
        ("Jhon", "John", "given name spelt nearly the same or a middle name"),
        ("Mohammed", "Mohammad", "given name spelt nearly the same or a middle name"),
        ("Keith", "Sandra", "given name different"),
    ],
)
def test_given_name_levels(a, b, expected):
    assert level(GIVEN, person(a, "Smith"), other(b, "Smith")) == expected


def test_a_middle_name_used_as_first_name_still_agrees():
    assert (
        level(GIVEN, person("John Paul", "Smith"), other("Paul", "Smith"))
        == "given name spelt nearly the same or a middle name"
    )


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Smith", "Smith", "family name the same"),
        ("Smith", "Smyth", "family name sounds the same"),
        ("Macdonald", "McDonalds", "family name spelt nearly the same"),
        ("Thompson", "Thomson", "family name spelt nearly the same"),
        ("Smith-Jones", "Jones", "family names share a part (double-barrelled or hyphenated)"),
        ("Bowes Lyon", "Bowes-Lyon", "family name the same"),
        ("Ng", "Fitzgerald", "family name different"),
    ],
)
def test_family_name_levels(a, b, expected):
    assert level(FAMILY, person("Ann", a), other("Ann", b)) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("1971-06-24", "1971-06-24", "date of birth the same"),
        ("1971-06-04", "1971-04-06", "date of birth with day and month swapped"),
        ("1971-06-24", "1971-06-25", "date of birth differs by one digit or one part"),
        ("1971-06-24", "1972-06-20", "date of birth a year out"),
        ("1971", "1971-06-24", "date of birth partly known and consistent"),
        ("1971-06", "1971-06-24", "date of birth partly known and consistent"),
        ("1971-07", "1971-06-24", "date of birth different"),
        ("1950-01-01", "1990-12-31", "date of birth different"),
        ("", "1990-12-31", None),
    ],
)
def test_date_of_birth_levels(a, b, expected):
    assert level(DOB, person("Ann", "Lee", a), other("Ann", "Lee", b)) == expected


def test_given_and_family_names_the_wrong_way_round_agree():
    vector = comparison_vector(person("Lydia", "Brooks"), other("Brooks", "Lydia"))
    assert vector[:2] == (0, 0)


def test_unparseable_dates_of_birth_are_refused_clearly():
    with pytest.raises(ValueError, match="not a date of birth"):
        BirthDate.parse("next tuesday")


def test_empty_records_compare_as_no_evidence():
    vector = comparison_vector(person(), other())
    assert vector == (None,) * len(COMPARISONS)


def test_blocking_keys_bring_a_swapped_day_and_month_together():
    a = person("Bill", "Smith", "1980-03-07")
    b = other("William", "Smyth", "1980-07-03")
    assert record_keys(a) & record_keys(b)
    assert [(1, 2)] == list(candidate_pairs([a, b]))


def test_search_keys_reach_a_year_either_side():
    searched = person("Ann", "Lee", "1971")
    recorded = other("Anne", "Lee", "1972-02-02")
    assert query_keys(searched) & record_keys(recorded)
    assert not record_keys(person("Ann", "Lee", "1969")) & record_keys(recorded) - {
        k for k in record_keys(recorded) if k.startswith(("fn:", "nm:"))
    }


def test_oversized_blocks_are_not_paired_whole():
    records = [nominal(i, names=[("", "Smith")]) for i in range(300)]
    assert list(candidate_pairs(records)) == []


def _labelled_population(seed: int, people: int = 400):
    """People with planted duplicates at known error rates, and the true duplicate pairs."""
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    records, truth, next_id = [], set(), 0
    for _ in range(people):
        given, family = fake.first_name(), fake.last_name()
        dob = fake.date_of_birth(minimum_age=10, maximum_age=90)
        postcode = fake.postcode()
        copies = 1 + (rng.random() < 0.4) + (rng.random() < 0.2)
        ids = []
        for copy in range(copies):
            g, f, d = given, family, dob
            if copy and rng.random() < 0.3:
                f = f[:-1] + "e" if len(f) > 3 else f  # a misspelling
            if copy and rng.random() < 0.2:
                d = d.replace(day=min(d.month, 28), month=min(d.day, 12))  # day and month swapped
            records.append(
                nominal(
                    next_id,
                    names=[(g, f)],
                    dob=BirthDate(d.year, d.month, d.day),
                    postcodes={postcode},
                )
            )
            ids.append(next_id)
            next_id += 1
        truth |= {(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]}
    return records, truth


def test_em_recovers_how_often_true_matches_agree_without_labels():
    records, truth = _labelled_population(seed=7)
    model = train(records, seed=1, u_pairs=20_000)
    by_id = {r.id: r for r in records}
    family = COMPARISONS.index(FAMILY)
    exact = sum(comparison_vector(by_id[a], by_id[b])[family] == 0 for a, b in truth) / len(truth)
    assert model.m[family][0] == pytest.approx(exact, abs=0.08)
    true_prior = len(truth) / (len(records) * (len(records) - 1) / 2)
    assert model.prior == pytest.approx(true_prior, rel=0.5)


def test_a_trained_model_separates_duplicates_and_explains_itself():
    records, truth = _labelled_population(seed=11)
    model = MatchModel.from_json(train(records, seed=1, u_pairs=20_000).to_json())
    by_id = {r.id: r for r in records}
    a, b = sorted(truth)[0]
    vector = comparison_vector(by_id[a], by_id[b])
    assert model.probability(vector) > 0.9
    reasons = {r.comparison: r for r in model.reasons(vector)}
    assert reasons["given name"].level == "given name the same"
    assert reasons["given name"].weight > 0
    stranger = nominal("x", names=[("Zebedee", "Quartermaine")], dob=BirthDate(1901, 1, 1))
    assert model.probability(comparison_vector(by_id[a], stranger)) < 0.01


def test_a_double_barrelled_search_looks_up_each_part_of_the_name():
    typed = nominal("q", names=[("Jane", "Smith-Jones")], dob=BirthDate(1988))
    recorded = nominal(1, names=[("Jane", "Smith")], dob=BirthDate(1988))
    # Only the year of birth is known, so the given-name-and-year key is the only other path.
    shared_without_parts = record_keys(typed) & record_keys(recorded)
    assert {k for k in shared_without_parts if k.startswith(("fy:", "fs:", "nm:"))} == set()
    shared = query_keys(typed) & record_keys(recorded)
    assert {k.split(":")[0] for k in shared} >= {"fy", "fs", "nm"}


def _households(seed: int, homes: int = 150):
    """Three strangers to a home (a postcode, street and town each), a fifth of them recorded a
    second time at the same home, and the true duplicate pairs."""
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    records, truth = [], set()
    for _ in range(homes):
        postcode, street, town = fake.postcode(), fake.street_address(), fake.city()
        # Strangers at one address often share an initial; the postcode rule pairs them.
        initial = rng.choice("JMS")
        for _ in range(3):
            sex = rng.choice("mf")
            given = (
                initial + (fake.first_name_male() if sex == "m" else fake.first_name_female())[1:]
            )
            family, dob = fake.last_name(), fake.date_of_birth(minimum_age=10, maximum_age=90)
            copies = 1 + (rng.random() < 0.2)
            for _ in range(copies):
                records.append(
                    nominal(
                        len(records),
                        names=[(given, family)],
                        dob=BirthDate(dob.year, dob.month, dob.day),
                        gender="male" if sex == "m" else "female",
                        postcodes={postcode},
                        streets={street},
                        towns={town},
                    )
                )
            if copies == 2:
                truth.add((len(records) - 2, len(records) - 1))
    return records, truth


def test_people_sharing_a_home_are_not_taken_for_one_person():
    # Blocked on postcode, strangers at one address agree on street and town far more often than
    # random pairs do: EM took that for the sign of one person until the postcode rule fixed
    # street and town too (at a million nominals its matching class held 97% of its pairs).
    records, truth = _households(seed=3)
    model = train(records, seed=1, u_pairs=20_000)
    family, given = COMPARISONS.index(FAMILY), COMPARISONS.index(GIVEN)
    assert model.m[family][-1] < 0.1  # duplicates seldom have different family names
    assert model.m[given][-1] < 0.1
    by_id = {r.id: r for r in records}
    # Strangers at one address with different names (sharing a family name as well, the sum of
    # postcode, street and town outweighs the rest: they are three views of one fact, a known
    # limit of this kind of model).
    housemates = [
        (a.id, b.id)
        for a, b in zip(records, records[1:], strict=False)
        if a.streets == b.streets and a.family != b.family and a.given != b.given
    ]
    assert housemates
    assert all(
        model.probability(comparison_vector(by_id[a], by_id[b])) < 0.5 for a, b in housemates
    )
    assert all(model.probability(comparison_vector(by_id[a], by_id[b])) > 0.5 for a, b in truth)


def test_every_rule_code_is_two_letters():
    # Search counts a rule once by its key's first two letters (records.best_candidates).
    assert all(len(rule.code) == 2 for rule in BLOCKING_RULES)
    assert len({rule.code for rule in BLOCKING_RULES}) == len(BLOCKING_RULES)


def test_a_year_out_does_not_bound_a_partly_known_date_that_agrees():
    # Date of birth: "a year out" (level 3) is common enough among one person's records to bound
    # the levels after it, but "partly known and consistent" (4) is not a weaker year out: it
    # keeps its estimate, still bounded by the closer agreements (here "one digit out", 2), and
    # "different" (5) is still bounded by a year out.
    def weights(bits: list[float]) -> list[float]:
        m = [0.5, 0.05, 0.1, 0.05, 0.2, 0.1]
        m_rows = [[0.5, 0.5] for _ in COMPARISONS]
        u_rows = [[0.5, 0.5] for _ in COMPARISONS]
        dob = COMPARISONS.index(DOB)
        m_rows[dob] = m
        u_rows[dob] = [p / 2**b for p, b in zip(m, bits, strict=True)]
        return MatchModel(m=m_rows, u=u_rows, prior=0.001).level_weights[dob]

    found = weights([12.0, 10.0, 4.5, 0.5, 3.0, 2.0])
    assert found[3] == pytest.approx(0.5)
    assert found[4] == pytest.approx(3.0)
    assert found[5] == pytest.approx(0.5)
    assert weights([12.0, 10.0, 4.5, 0.5, 5.9, -3.0])[4] == pytest.approx(4.5)
