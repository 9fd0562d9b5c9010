"""The offence table is the published Home Office/ONS 2017/18 list (domain.md 4.2): the copy
shipped in the package equals the shared reference file, the current codes are exactly the
file's, outcomes-only codes are refused on new crimes, and the loader refuses a bad file naming
the line."""

import csv
import os
from pathlib import Path

import pytest

from bluelamp.reference import offences

# CI copies shared/ beside the clone (../shared from the repository root); elsewhere
# BLUELAMP_SHARED_DATA names shared/data (as bench/matching_bench.py reads it).
SHARED = Path(
    os.environ.get(
        "BLUELAMP_SHARED_DATA", Path(__file__).resolve().parents[2].parent / "shared/data"
    )
)
REFERENCE = SHARED / "reference" / "ho_offence_codes_2017_18.csv"


def _rows(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_packaged_copy_is_the_published_reference_file():
    assert REFERENCE.exists(), f"the shared reference file is missing: {REFERENCE}"
    assert offences.DATA_FILE.read_bytes() == REFERENCE.read_bytes()


def test_the_table_equals_the_reference_files_current_codes():
    reference = _rows(REFERENCE)
    current = {r["code"]: r for r in reference if r["outcomes_only"] == "no"}
    table = offences.current_codes()
    assert set(table) == set(current)
    assert len(table) == 123  # 139 codes, 16 for outcomes only (shared/data/README.md)
    for code, row in current.items():
        offence = table[code]
        assert (offence.offence, offence.group, offence.subgroup) == (
            row["offence"],
            row["group"],
            row["subgroup"],
        )


def test_the_forms_offer_exactly_the_current_codes():
    offered = [code for code, _ in offences.choices()]
    assert len(offered) == len(set(offered)) == len(offences.current_codes())
    assert set(offered) == set(offences.current_codes())
    outcomes_only = {c for c, o in offences.all_codes().items() if o.outcomes_only}
    assert outcomes_only
    assert not outcomes_only & set(offered)


@pytest.mark.parametrize(
    ("code", "offence", "group"),
    [
        # The corrections issue 14 names (domain.md 4.2).
        ("5D", "Assault with intent to cause serious harm", "Violence against the person"),
        ("10C", "Possession of other weapons", "Possession of weapons offences"),
        ("10B", "Possession of firearms offences", "Possession of weapons offences"),
        ("58J", "Racially or religiously aggravated criminal damage", "Criminal damage and arson"),
        (
            "59",
            "Threat or possession with intent to commit criminal damage",
            "Miscellaneous crimes against society",
        ),
        ("54", "Handling stolen goods", "Miscellaneous crimes against society"),
        ("35", "Blackmail", "Theft offences"),
        ("8S", "Assault with injury on a constable", "Violence against the person"),
        ("13", "Child abduction", "Violence against the person"),
        ("33A", "Making, supplying or possessing articles for use in fraud", None),
        ("49A", "Making off without payment", "Theft offences"),
        ("70", "Sexual activity etc with a person with a mental disorder", "Sexual offences"),
        ("72", "Trafficking for sexual exploitation", "Sexual offences"),
        ("73", "Abuse of position of trust of a sexual nature", "Sexual offences"),
        ("90", "Other knives offences", "Possession of weapons offences"),
        ("4.3", "Intentional destruction of a viable unborn child", None),
        ("4.10", "Homicide", "Violence against the person"),
    ],
)
def test_the_named_codes_are_current_with_the_published_wording(code, offence, group):
    found = offences.lookup(code)
    assert found is not None
    assert found.current
    assert found.offence == offence
    if group:
        assert found.group == group
    assert offences.lookup("35").subgroup == "Other theft offences"


def test_withdrawn_and_made_up_codes_are_gone():
    for code in ("5A", "8U", "53A", "53G", "58E", "58F", "58G", "58H"):
        assert offences.lookup(code) is None, code
    # The 53 fraud codes that remain are for outcomes only.
    for code in ("53B", "53C", "53D", "53E", "53F"):
        assert offences.lookup(code).outcomes_only, code


def test_rape_and_fraud_come_from_the_files_columns():
    assert offences.rape_codes() == {"19C", "19D", "19E", "19F", "19G", "19H"}
    for code in offences.rape_codes():
        assert offences.lookup(code).group == "Sexual offences"
    fraud = {c for c, o in offences.all_codes().items() if o.is_fraud}
    assert fraud == {"51", "52", "53B", "53C", "53D", "53E", "53F", "55"}


def test_lookup_ignores_case_and_spaces():
    assert offences.lookup(" 28e ").offence == "Burglary Residential"
    assert offences.lookup("ZZ9") is None


def test_every_code_says_where_it_comes_from():
    for offence in offences.all_codes().values():
        assert "2017/18" in offence.source


@pytest.mark.parametrize(
    ("row", "complaint"),
    [
        ("X1,,Theft offences,,no", "offence is empty"),
        ("X1,Thing,,,no", "group is empty"),
        ("X1,Thing,Theft offences,,maybe", "outcomes_only must be yes or no"),
        ("49,Thing,Theft offences,,no\n49,Thing,Theft offences,,no", "twice"),
    ],
)
def test_a_bad_file_is_refused_naming_the_line(tmp_path, row, complaint):
    path = tmp_path / "codes.csv"
    path.write_text(",".join(offences.COLUMNS) + "\n" + row + "\n", encoding="utf-8")
    with pytest.raises(offences.BadRow) as error:
        offences.read(path)
    assert complaint in str(error.value)
    assert "line " in str(error.value)


def test_a_file_with_other_columns_is_refused(tmp_path):
    path = tmp_path / "codes.csv"
    path.write_text("code,offence,group\n49,Other theft,Theft offences\n", encoding="utf-8")
    with pytest.raises(offences.BadRow, match="columns must be"):
        offences.read(path)
