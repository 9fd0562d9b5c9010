"""One offence-code table: the published list in reference/data/ (reference/offences.py). Every
other place that names Home Office codes (the victims' "most serious crime" offences, the
investigation skill rules) must name current codes that exist there, and where the offence group
is what matters, follow the group."""

import pytest

from bluelamp.crime.investigation.models import SkillRequirement
from bluelamp.crime.investigation.queries import skills_needed
from bluelamp.reference.offences import all_codes
from bluelamp.victims import rules

CODES = all_codes()


def _names_codes(prefix: str) -> bool:
    """True when the prefix is a code in the table or begins at least one."""
    return any(code.startswith(prefix.upper()) for code in CODES)


def test_every_most_serious_offence_the_victims_rules_name_is_in_the_table():
    missing = [p for p in rules.MOST_SERIOUS_OFFENCE_PREFIXES if not _names_codes(p)]
    assert missing == []
    # Each names a current code (5A is not one: domain.md 4.2), for the offence it says.
    words = {"2": "murder", "5D": "serious harm", "36": "kidnap", "56A": "endangering life"}
    for prefix, word in words.items():
        offence = CODES[prefix]
        assert offence.current, prefix
        assert word in offence.offence.lower(), prefix
    # And each one actually matches under offence_kind's own rule (prefix then letter or end).
    for prefix, kind in rules.MOST_SERIOUS_OFFENCE_PREFIXES.items():
        assert any(rules.offence_kind(code) == kind for code in CODES if code.startswith(prefix))


def test_every_sexual_offence_in_the_table_is_most_serious_and_nothing_else_is_sexual():
    assert rules.SEXUAL_OFFENCES_GROUP in {o.group for o in CODES.values()}
    for code, offence in CODES.items():
        kind = rules.offence_kind(code)
        if offence.group == rules.SEXUAL_OFFENCES_GROUP:
            assert kind in ("rape", "sexual offence"), code
            assert (kind == "rape") == offence.is_rape, code
        else:
            assert kind not in ("rape", "sexual offence"), code


@pytest.mark.django_db
def test_every_skill_rule_names_codes_in_the_table():
    prefixes = set(SkillRequirement.objects.values_list("offence_prefix", flat=True))
    assert prefixes, "the migration seeds the default rules"
    assert sorted(p for p in prefixes if not _names_codes(p)) == []


@pytest.mark.django_db
def test_skills_follow_the_hocr_group_for_every_code():
    for code, offence in CODES.items():
        needed = skills_needed(code)
        if offence.group == "Sexual offences":
            assert needed == ["pip2", "sto"], code
        elif offence.group == "Fraud offences":
            assert needed == ["fraud"], code
        else:
            assert needed == [], code
