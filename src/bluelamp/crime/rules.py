"""The counting rules crime recording and outcomes follow, in one place (domain.md sections 4 and
5). Services read these tables; tests walk them row by row."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class CancellationReason(models.TextChoices):
    # domain.md 4.3 [S30]: the four reasons a recorded crime may be cancelled (labels C1-C4 are
    # HOCR's). Every cancellation needs the Designated Decision Maker's or Force Crime
    # Registrar's authority and an audit trail.
    C1 = "C1", "C1 Committed outside this force's jurisdiction: transfer"
    C2 = "C2", "C2 Additional verifiable information shows no notifiable crime occurred"
    C3 = "C3", "C3 Duplicate, or part of an existing crime"
    C4 = "C4", "C4 Recorded in error"


class AuthorityKind(models.TextChoices):
    # domain.md 4.3: who may authorise a cancellation. An authority given to a named person,
    # not a role: forces appoint a few DDMs and one Force Crime Registrar.
    DDM = "ddm", "Designated Decision Maker"
    FCR = "fcr", "Force Crime Registrar"


# Crime flags set when a crime is recorded (domain.md 4.1: HOCR covers crime flags). Each one
# makes the crime's victims victims of the most serious crime (domain.md 1.3 [S3]: domestic
# abuse, hate crime), so their enhanced rights come from the crime, not only from a later needs
# assessment (victims/entitlement.py).
CRIME_FLAGS: dict[str, str] = {
    "domestic_abuse": "Domestic abuse",
    "hate_crime": "Hate crime",
}


@dataclass(frozen=True)
class OutcomeRule:
    number: str
    title: str
    suspect: str  # "named": a named suspect required; "none": no identified suspect allowed; ""
    victim_decision: bool = False  # the victim's decision must be recorded (14, 16)
    victim_views: bool = False  # the victim's views must be recorded (8)
    rationale: bool = False  # a rationale must be recorded (21)
    receiving_body: bool = False  # the body the investigation went to (20)
    allowed: bool = True  # False: a local force may not record it (19: NFIB only)


NAMED, NONE = "named", "none"

# domain.md 5 [S32, S33, S34]: Home Office outcome types 1-22. Outcome 0 ("not yet assigned") is
# never an outcome and is not in this table. Suggested validation (domain.md 5): a named suspect
# for 1-13, 15-17, 21 and 22; no identified suspect for 14 and 18; 21 needs a rationale [S35].
OUTCOMES: dict[str, OutcomeRule] = {
    rule.number: rule
    for rule in (
        OutcomeRule("1", "Charged / summonsed", NAMED),
        OutcomeRule("2", "Caution – youths", NAMED),
        OutcomeRule("3", "Caution – adults", NAMED),
        OutcomeRule("4", "Taken into consideration (TIC)", NAMED),
        OutcomeRule("5", "Offender died", NAMED),
        OutcomeRule("6", "Penalty notice for disorder", NAMED),
        OutcomeRule("7", "Cannabis / khat warning", NAMED),
        # Outcome 8: the victim's wishes are taken into account (they need not agree), so they
        # are recorded with it. ⚠️ force guidance, not domain.md: Northumbria Police community
        # resolution FAQ (northumbria.police.uk/advice_and_information/community_resolution/faq)
        # and Kent Police SOP O32g Community Resolutions (kent.police.uk/foi-ai/kent-police/
        # Policy/operational-partnerships/community-sop-o32g): "the wishes of the victim".
        OutcomeRule("8", "Community resolution", NAMED, victim_views=True),
        OutcomeRule("9", "Not in the public interest (CPS)", NAMED),
        OutcomeRule("10", "Not in the public interest (police)", NAMED),
        OutcomeRule("11", "Prosecution prevented – suspect under age", NAMED),
        OutcomeRule("12", "Prosecution prevented – suspect too ill", NAMED),
        OutcomeRule("13", "Prosecution prevented – victim or key witness dead or too ill", NAMED),
        OutcomeRule(
            "14",
            "Evidential difficulties: suspect not identified; victim does not support action",
            NONE,
            victim_decision=True,
        ),
        OutcomeRule("15", "Evidential difficulties: named suspect; victim supports action", NAMED),
        OutcomeRule(
            "16",
            "Evidential difficulties: named suspect; victim does not support, or withdraws support",
            NAMED,
            victim_decision=True,
        ),
        OutcomeRule("17", "Prosecution time limit expired", NAMED),
        OutcomeRule("18", "Investigation complete – no suspect identified", NONE),
        OutcomeRule("19", "NFIB fraud case (NFIB only)", "", allowed=False),
        OutcomeRule("20", "Investigation transferred to another body", "", receiving_body=True),
        OutcomeRule(
            "21",
            "Further investigation not in the public interest – police decision",
            NAMED,
            rationale=True,
        ),
        OutcomeRule(
            "22",
            "Diversionary, educational or intervention activity; no further action in the "
            "public interest",
            NAMED,
        ),
    )
}


def outcome_choices() -> list[tuple[str, str]]:
    return [(n, f"{n} {r.title}") for n, r in OUTCOMES.items()]
