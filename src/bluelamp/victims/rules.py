"""The Victims' Code numbers and tables in one place (domain.md section 1), each with the date it
took effect, plus the satisfaction survey's scale and the Wilson confidence interval.

Forces' own choices (persistently targeted threshold, partner address, survey validity) are
settings; the Code's own limits live here as reference data with ``effective_from`` so that a new
Code (Victims and Prisoners Act 2024, pending) is a new row, not an edit."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

# The offence table is reference data (no models): the one list of Home Office codes.
from bluelamp.reference import offences

CODE_2020 = dt.date(2021, 4, 1)  # domain.md 1: 2020 Code, in force 1 Apr 2021

# --- Enhanced rights: offences (domain.md 1.3) ------------------------------------------------
# MOST_SERIOUS_CRIME [S3]: domestic abuse, hate crime, terrorism, sexual offences, human
# trafficking, attempted murder, kidnap, false imprisonment, arson with intent to endanger life,
# wounding or GBH with intent. Domestic abuse and hate crime are *flags* on a crime, not offence
# codes (HOCR): they come from the flags set when the crime is recorded (crime/rules.py
# CRIME_FLAGS) or, failing that, the officer's needs assessment. Sexual offences are a whole
# offence group, so they come from the offence table's group (reference/offences.py, the published
# Home Office/ONS 2017/18 list), never a list of codes kept here; the rest are single offences,
# named by their code in that list (tests/crime/test_offence_tables_agree.py checks each one is
# a current code with the offence named here). Matched as prefixes of the code, so a force's
# list with lettered sub-codes (e.g. 36A) still matches.
SEXUAL_OFFENCES_GROUP = offences.SEXUAL_OFFENCES
MOST_SERIOUS_OFFENCE_PREFIXES: dict[str, str] = {
    "2": "attempted murder",  # 2 Attempted murder
    # domain.md 4.2: 5A is not a current code; GBH with intent is 5D, "assault with intent to
    # cause serious harm".
    "5D": "wounding or GBH with intent",
    "36": "kidnap or false imprisonment",  # 36 Kidnapping
    "56A": "arson endangering life",  # 56A Arson endangering life
    "106": "human trafficking or modern slavery",  # 106 Modern slavery
}
# INTIMIDATED counts automatically for sexual offences and human trafficking (domain.md 1.3,
# YJCEA s17).
AUTOMATICALLY_INTIMIDATED = {"sexual offence", "rape", "human trafficking or modern slavery"}
# Flags on a crime (crime/rules.py CRIME_FLAGS, set when it is recorded) or recorded by the
# officer at the needs assessment that make it one of the most serious (1.3).
MOST_SERIOUS_FLAGS = {
    "domestic_abuse": "domestic abuse",
    "hate_crime": "hate crime",
    "terrorism": "terrorism",
    "bereaved": "bereaved close relative",
}
# VULNERABLE (domain.md 1.3, YJCEA s16): under 18 at the offence, or evidence likely affected by
# one of these, recorded at the needs assessment.
VULNERABLE_NEEDS = {
    "mental_disorder": "mental disorder (Mental Health Act 1983)",
    "impaired_intelligence": "significant impairment of intelligence and social functioning",
    "physical_disability": "physical disability or disorder",
}
INTIMIDATED_NEEDS = {"fear_of_testifying": "fear or distress about testifying"}
ADULT_AGE = 18


def offence_kind(offence_code: str) -> str:
    """The most serious kind an offence code falls in, or "": "rape" or "sexual offence" for a
    code in the HOCR sexual offences group, else the longest matching prefix above (a prefix
    must be followed by a letter or the end, so "2" does not match "28E")."""
    code = (offence_code or "").strip().upper()
    offence = offences.lookup(code)
    if offence is not None and offence.group == SEXUAL_OFFENCES_GROUP:
        return "rape" if offence.is_rape else "sexual offence"
    best = ""
    for prefix in MOST_SERIOUS_OFFENCE_PREFIXES:
        rest = code[len(prefix) :]
        if code.startswith(prefix) and (not rest or rest[0].isalpha()) and len(prefix) > len(best):
            best = prefix
    return MOST_SERIOUS_OFFENCE_PREFIXES.get(best, "")


# --- Time limits (domain.md 1.4) --------------------------------------------------------------
@dataclass(frozen=True)
class TimeLimit:
    reason: str  # what happened that the victim must be told about
    right: int  # the Victims' Code right (domain.md 1.1)
    title: str
    standard_working_days: int
    enhanced_working_days: int
    source: str
    effective_from: dt.date = CODE_2020


TIME_LIMITS: tuple[TimeLimit, ...] = (
    # Right 4 [S5]: 2 working days for everyone, enhanced or not.
    TimeLimit("referral", 4, "Refer to victim support services", 2, 2, "domain.md 1.4 [S5]"),
    # Right 6 [S6]: 5 working days, 1 for enhanced.
    TimeLimit(
        "not_investigated",
        6,
        "Explain the decision not to investigate and offer a support referral",
        5,
        1,
        "domain.md 1.4 [S6]",
    ),
    TimeLimit("arrest", 6, "Tell the victim a suspect was arrested", 5, 1, "domain.md 1.4 [S6]"),
    TimeLimit(
        "interview", 6, "Tell the victim a suspect was interviewed", 5, 1, "domain.md 1.4 [S6]"
    ),
    TimeLimit(
        "released_no_charge",
        6,
        "Tell the victim a suspect was released without charge",
        5,
        1,
        "domain.md 1.4 [S6]",
    ),
    TimeLimit(
        "bail_rui",
        6,
        "Tell the victim about bail, release under investigation or bail conditions",
        5,
        1,
        "domain.md 1.4 [S6]",
    ),
    TimeLimit(
        "charge",
        6,
        "Tell the victim of the charge, out-of-court disposal or no-prosecution decision",
        5,
        1,
        "domain.md 1.4 [S7] (2015 wording, partial)",
    ),
    # Right 9: the outcome. Domain.md gives no separate limit; we apply right 6's (5 / 1), since
    # an outcome such as 14 or 18 is the decision not to investigate further.
    TimeLimit(
        "outcome", 9, "Tell the victim the outcome of the case", 5, 1, "domain.md 1.4, right 9"
    ),
    # Right 7 (domain.md 1.5 [S8]): the police offer the VPS "usually after the witness
    # statement", so the duty opens when the victim's witness statement is taken
    # (crime.victim_statement_taken), not at charge. The Code sets no number of days: our choice
    # is the right 6 limit (5 / 1 working days), long before sentence.
    TimeLimit(
        "vps_offer",
        7,
        "Offer a Victim Personal Statement",
        5,
        1,
        "domain.md 1.5 [S8], after the witness statement (limit chosen by bluelamp)",
    ),
)
REASONS = tuple(limit.reason for limit in TIME_LIMITS)


# --- Referral to victim support services: consent (domain.md 1.4, right 4) -------------------
@dataclass(frozen=True)
class ReferralConsentRule:
    """Victims for whom consent is needed before their details go to victim support services:
    never referred automatically (opt-in), whatever BLUELAMP_REFERRAL_WITHOUT_CONSENT says."""

    category: str  # "sexual_offence" (the offence group) or a MOST_SERIOUS_FLAGS code
    title: str
    source: str
    effective_from: dt.date = CODE_2020


REFERRAL_ON_CONSENT_ONLY: tuple[ReferralConsentRule, ...] = (
    # domain.md 1.4 ⚠️: under the 2015 Code victims of sexual offences and domestic violence
    # were referred only with their explicit consent; the 2020 Code's wording was not retrieved,
    # so they stay opt-in until a current source is cited here. Searched (Dec 2026): the
    # Bedfordshire PCC right 4 page [S5] (cut off before any consent wording) and gov.uk's
    # 2020 Code summaries: no current wording found that says otherwise.
    ReferralConsentRule(
        "sexual_offence",
        "Victims of sexual offences",
        "domain.md 1.4 (2015 Code; 2020 wording not retrieved) ⚠️",
    ),
    ReferralConsentRule(
        "domestic_abuse",
        "Victims of domestic abuse",
        "domain.md 1.4 (2015 Code; 2020 wording not retrieved) ⚠️",
    ),
    # ⚠️ force page, 2015 Code wording: "If you are a victim of a sexual offence or domestic
    # violence, or if you are a bereaved close relative, the police will seek your explicit
    # consent" (https://www.nottinghamshire.police.uk/faqs/what-are-victims-services, the
    # site of domain.md [S4]/[S7]).
    ReferralConsentRule(
        "bereaved",
        "Bereaved close relatives",
        "nottinghamshire.police.uk/faqs/what-are-victims-services (2015 Code wording) ⚠️",
    ),
)


def referral_consent_rules(on: dt.date) -> tuple[ReferralConsentRule, ...]:
    """The consent-only rows in force on a date."""
    return tuple(rule for rule in REFERRAL_ON_CONSENT_ONLY if rule.effective_from <= on)


def time_limit(reason: str, on: dt.date) -> TimeLimit:
    """The limit in force on a date for a reason (the latest row that had taken effect)."""
    rows = [r for r in TIME_LIMITS if r.reason == reason and r.effective_from <= on]
    if not rows:
        rows = [r for r in TIME_LIMITS if r.reason == reason]
    return max(rows, key=lambda r: r.effective_from)


# --- Satisfaction survey (domain.md 10: satisfaction with a confidence interval) -------------
# The national user-satisfaction questions, on the 7-point scale the Home Office user
# satisfaction surveys used; "satisfied" is completely, very or fairly satisfied (1-3).
SURVEY_QUESTIONS: dict[str, str] = {
    "ease_of_contact": "How satisfied are you with how easy it was to contact the police?",
    "actions_taken": "How satisfied are you with the actions the police took?",
    "kept_informed": "How satisfied are you with how well you were kept informed of progress?",
    "treatment": "How satisfied are you with the way you were treated by the officers and staff?",
    "whole_experience": "Taking the whole experience into account, how satisfied are you?",
}
SATISFACTION_SCALE: tuple[tuple[int, str], ...] = (
    (1, "Completely satisfied"),
    (2, "Very satisfied"),
    (3, "Fairly satisfied"),
    (4, "Neither satisfied nor dissatisfied"),
    (5, "Fairly dissatisfied"),
    (6, "Very dissatisfied"),
    (7, "Completely dissatisfied"),
)
SATISFIED_AT_MOST = 3
Z_95 = 1.959963984540054  # the 97.5th percentile of the standard normal


def wilson_interval(successes: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval for a proportion (95% by default). Unlike p ± z·se it stays
    inside 0-1 and behaves for small samples and rates near 0% or 100%."""
    if n <= 0:
        raise ValueError("a proportion needs at least one answer")
    if not 0 <= successes <= n:
        raise ValueError("successes must be between 0 and n")
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def quote_rate(successes: int, n: int) -> str:
    """As the inspection reports quote it: "82.3% (± 0.8)", the ± being half the interval."""
    if n <= 0:
        return "no answers"
    low, high = wilson_interval(successes, n)
    return f"{100 * successes / n:.1f}% (± {100 * (high - low) / 2:.1f})"
