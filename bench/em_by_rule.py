"""What each blocking rule's EM learns, set beside the truth the synthetic force keeps: for the
blocks `people train` samples, each rule's pairs, the share that are planted duplicates, the
share EM put in its matching class (λ), and EM's m against the duplicates' own m for the name,
date-of-birth, postcode and sex comparisons it estimates.

    .venv/bin/python bench/em_by_rule.py --sqlite /work/benchdata/m1.sqlite3
    .venv/bin/python bench/em_by_rule.py --sqlite /work/benchdata/m5.sqlite3 --max-block 200

Uses the code's own sampling, blocking, comparisons and EM (people/stream.py, model.py); only
the labels are extra. ``--max-block`` is the largest block EM learns from (training uses
BLUELAMP_DEDUPE_MAX_BLOCK)."""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _force import setup_django  # noqa: E402

SHOWN = ("family name", "given name", "date of birth", "postcode", "gender")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite")
    parser.add_argument("--postgres")
    parser.add_argument("--max-block", type=int)
    args = parser.parse_args(argv)
    setup_django(args.sqlite, args.postgres)
    from django.conf import settings

    from bluelamp.people import stream
    from bluelamp.people.blocking import BLOCKING_RULES, candidate_pairs
    from bluelamp.people.compare import COMPARISONS
    from bluelamp.people.dedupe import TRAINING_SAMPLE, _live_ids
    from bluelamp.people.pairs import PairVectors
    from bluelamp.people.records import load_nominals, stored_nominals
    from bluelamp.people.training import _em, _normalised, _starting_m, estimate_u
    from bluelamp.synth.models import SyntheticIdentity

    max_block = args.max_block or settings.BLUELAMP_DEDUPE_MAX_BLOCK
    ids = _live_ids()
    share = min(TRAINING_SAMPLE / len(ids), 1.0)
    u = estimate_u(
        load_nominals(random.Random(0).sample(ids, min(len(ids), TRAINING_SAMPLE))),
        pairs=30_000,
        seed=0,
    )
    truth = dict(
        SyntheticIdentity.objects.values_list("person_id", "identity").iterator(chunk_size=100_000)
    )
    print(f"{len(ids):,} people; {share:.1%} of each rule's blocks of at most {max_block}")
    for rule in BLOCKING_RULES:
        among = stored_nominals(stream.sample_blocks(rule, share=share, max_block=max_block))
        vectors = PairVectors(among)
        counts, same = Counter(), Counter()
        for a, b in candidate_pairs(among, rules=(rule,), max_block=max_block):
            vector = vectors.of(a, b)
            counts[vector] += 1
            if truth.get(a) is not None and truth.get(a) == truth.get(b):
                same[vector] += 1
        pairs, duplicates = sum(counts.values()), sum(same.values())
        if not pairs:
            print(f"\n{rule.code}: no pairs")
            continue
        active = {i for i, c in enumerate(COMPARISONS) if c.name not in rule.fixes}
        m, share_found = _em(counts, _starting_m(), u, active=active)
        print(
            f"\n{rule.code}: {pairs:,} pairs, {duplicates / pairs:.2%} duplicates, "
            f"EM's matching class {share_found:.2%}"
        )
        for i, comparison in enumerate(COMPARISONS):
            if i not in active or comparison.name not in SHOWN:
                continue
            true_m = [0.0] * len(comparison.levels)
            for vector, count in same.items():
                if vector[i] is not None:
                    true_m[vector[i]] += count
            true_m = _normalised(true_m)
            print(f"  {comparison.name:14} EM   " + " ".join(f"{x:.3f}" for x in m[i]))
            print(f"  {'':14} true " + " ".join(f"{x:.3f}" for x in true_m))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
