"""The offence-code data file: every row well formed, the verified codes are domain.md's, and
the loader refuses a bad file naming the line."""

import pytest

from bluelamp.crime import offences


def test_every_row_of_the_shipped_file_is_well_formed():
    codes = offences.read()  # raises BadRow naming the line on any bad row
    assert len(codes) >= 80
    assert {o.group for o in codes.values()} == set(offences.GROUPS)
    for offence in codes.values():
        assert offence.code == offence.code.strip().upper()
        assert offence.source
        assert offence.is_fraud == (offence.ons_category == "fraud")


def test_only_the_codes_domain_md_verified_are_marked_verified():
    verified = {o.code for o in offences.all_codes().values() if o.verified}
    # domain.md 4.2: the table's ticked rows; 30D is there but not verified.
    assert verified == {"28E", "28F", "28G", "28H", "29A", "30C", "31A"}
    assert offences.lookup("30D").verified is False
    assert "not checked" in offences.lookup("49").source


def test_rape_codes_are_in_the_sexual_offences_group():
    for code in offences.RAPE_CODES:
        assert offences.lookup(code).group == "Sexual offences"


def test_lookup_ignores_case_and_spaces():
    assert offences.lookup(" 28e ").offence == "Burglary – Residential"
    assert offences.lookup("ZZ9") is None


@pytest.mark.parametrize(
    ("row", "complaint"),
    [
        ("X1,Thing,Not a group,victim_based,no,me", "not one of the HOCR groups"),
        ("X1,,Theft,victim_based,no,me", "offence is empty"),
        ("X1,Thing,Theft,victim_based,maybe,me", "verified must be yes or no"),
        ("X1,Thing,Theft,victim_based,no,", "source is empty"),
        ("X1,Thing,Fraud,victim_based,no,me", "fraud group and fraud ONS category"),
        ("49,Thing,Theft,victim_based,no,me\n49,Thing,Theft,victim_based,no,me", "twice"),
    ],
)
def test_a_bad_file_is_refused_naming_the_line(tmp_path, row, complaint):
    path = tmp_path / "codes.csv"
    path.write_text(",".join(offences.COLUMNS) + "\n" + row + "\n", encoding="utf-8")
    with pytest.raises(offences.BadRow) as error:
        offences.read(path)
    assert complaint in str(error.value)
    assert "line " in str(error.value)
