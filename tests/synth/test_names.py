"""The synthetic force's names are spread as in Britain: the published shares of the commonest
family names, a long tail of rarer ones, and given names weighted by their British frequency."""

import random
from collections import Counter

from faker.providers.person.en_GB import Provider as BritishNames

from bluelamp.synth.names import british_names


def test_the_commonest_family_names_keep_their_published_share():
    pool = british_names()
    published = dict(BritishNames.last_names)
    assert abs(pool.family.share("Smith") - published["Smith"] / 100) < 1e-9
    assert abs(pool.family.share("Jones") - published["Jones"] / 100) < 1e-9
    rarest_common = min(published.values()) / 100
    tail = [name for name in pool.family.names if name not in published]
    assert len(tail) > 2000
    assert all(pool.family.share(name) < rarest_common for name in tail[:: len(tail) // 50])
    assert {"O'Brien", "McDonald", "Patel"} <= set(pool.family.names)


def test_drawn_names_follow_the_weights():
    pool, rng = british_names(), random.Random(7)
    families = Counter(pool.family_name(rng) for _ in range(40_000))
    assert 0.008 < families["Smith"] / 40_000 < 0.015  # 1.15%, not the 2.9% of Faker's own draw
    assert len(families) > 3000
    men = Counter(pool.given_name(rng, male=True) for _ in range(20_000))
    women = Counter(pool.given_name(rng, male=False) for _ in range(20_000))
    assert men.most_common(1)[0][0] in {"David", "John"}
    assert women["Margaret"] > women["Ada"] > 0
    assert len(men) > 500
    assert len(women) > 500
    assert not set(men) & {"Margaret", "Susan"}
    assert not set(women) & {"David", "John"}
