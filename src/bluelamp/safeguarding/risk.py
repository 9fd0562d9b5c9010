"""Risk tools behind one interface (domain.md 3.1 ⚠️: "Some forces now use the College of
Policing DARA tool. Make the risk tool pluggable."). DASH today; another tool is a class with
the same methods added to TOOLS.

DASH (ACPO DASH 2009, police, 27 questions; domain.md 3.2). Only the topics are shipped, not the
form's wording (domain.md 3.1 ⚠️ licence: "©Laura Richards (2009). Please do not reproduce
without permission"). Checked before coding: Q1-Q11 are ✅ [S15]; Q12-Q27 are ⚠️ reconstructed
(domain-addendum 1.5 ❌ "not found" for their texts) - so the topics below are domain.md's own
abbreviations, numbered as there, and no question text is claimed to be the form's."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError

from .models import RiskLevel

YES, NO, NOT_KNOWN = "yes", "no", "not_known"
ANSWERS = {YES: "Yes", NO: "No", NOT_KNOWN: "Not known"}  # domain.md 3.1 ✅
COMMENT_MAX = 1000

# domain.md 3.2: police question number -> topic (not the licensed wording).
DASH_TOPICS = {
    1: "Current incident caused injury",
    2: "Very frightened",
    3: "What is feared (injury, violence, being killed), and for whom",
    4: "Isolated from family or friends",
    5: "Depressed or having suicidal thoughts",
    6: "Separated or tried to separate in the past year",
    7: "Conflict over child contact",
    8: "Constant contact, following, stalking or harassment (ask the S-DASH questions)",
    9: "Pregnant, or had a baby in the last 18 months",
    10: "Non-abuser's children or other dependants in the household",
    11: "Abuser has hurt the children or dependants",
    12: "Abuser has threatened to hurt or kill the children or dependants",
    13: "Abuse happening more often",
    14: "Abuse getting worse",
    15: "Controlling or excessively jealous",
    16: "Used weapons or objects to hurt",
    17: "Threatened to kill, and was believed",
    18: "Strangled, choked, suffocated or drowned",
    19: "Sexual behaviour that makes the victim feel bad or hurts",
    20: "Another person threatens the victim or is feared",
    21: "Abuser has hurt anyone else",
    22: "Mistreated an animal or pet",
    23: "Financial issues",
    24: "Abuser's drug, alcohol or mental health problems in the past year",
    25: "Abuser has threatened or attempted suicide",
    26: "Abuser has breached bail, an injunction or a contact agreement",
    27: "Abuser has a criminal history",
}

LEVEL_ORDER = [RiskLevel.STANDARD, RiskLevel.MEDIUM, RiskLevel.HIGH]


@dataclass(frozen=True)
class Result:
    score: int
    scored_level: str
    level: str
    reasons: list[str]  # why, shown on screen (STYLE.md: explainable scores)


class Dash:
    code = "dash"
    name = "DASH (police, 27 questions)"
    topics = DASH_TOPICS

    def clean_answers(self, answers: dict) -> dict[str, dict]:
        """Every topic answered YES / NO / NOT KNOWN, each with an optional comment; errors name
        the question (``q7``) so a form or the API can point at it."""
        if not isinstance(answers, dict):
            raise ValidationError({"answers": "Give an answer for each DASH question."})
        errors, cleaned = {}, {}
        unknown = sorted(str(k) for k in answers if str(k) not in {str(n) for n in self.topics})
        if unknown:
            errors["answers"] = f"No DASH question numbered {', '.join(unknown)}."
        for number in self.topics:
            given = answers.get(str(number), answers.get(number))
            if isinstance(given, str):
                given = {"answer": given}
            if not isinstance(given, dict) or given.get("answer") not in ANSWERS:
                errors[f"q{number}"] = (
                    f"Question {number} ({self.topics[number]}): answer yes, no or not known."
                )
                continue
            comment = given.get("comment") or ""
            if not isinstance(comment, str) or len(comment) > COMMENT_MAX:
                errors[f"q{number}_comment"] = (
                    f"Question {number}: the comment must be text of at most {COMMENT_MAX} "
                    "characters."
                )
                continue
            cleaned[str(number)] = {"answer": given["answer"], "comment": comment.strip()}
        if errors:
            raise ValidationError(errors)
        return cleaned

    def score(self, answers: dict[str, dict]) -> int:
        """domain.md 3.3 ✅ [S19]: the score is the count of YES answers."""
        return sum(1 for a in answers.values() if a["answer"] == YES)

    def scored_level(self, score: int) -> str:
        """domain.md 3.3: 14 or more is high ✅ [S19]; the 10-13 medium band is local
        banding ⚠️ [S16], so both thresholds are settings."""
        if score >= settings.BLUELAMP_DASH_HIGH_FROM:
            return RiskLevel.HIGH
        if score >= settings.BLUELAMP_DASH_MEDIUM_FROM:
            return RiskLevel.MEDIUM
        return RiskLevel.STANDARD

    def assess(
        self, answers: dict, judgement: str = "", rationale: str = ""
    ) -> tuple[dict, Result]:
        cleaned = self.clean_answers(answers)
        score = self.score(cleaned)
        scored = self.scored_level(score)
        reasons = [f"{score} yes answer{'s' if score != 1 else ''}: {ANSWERS_LEVEL[scored]}"]
        level = scored
        judgement = judgement or ""
        rationale = (rationale or "").strip()
        if judgement and judgement not in LEVEL_ORDER:
            raise ValidationError({"judgement": "Choose standard, medium or high."})
        if judgement and LEVEL_ORDER.index(judgement) < LEVEL_ORDER.index(scored):
            if score >= settings.BLUELAMP_DASH_HIGH_FROM:
                # domain.md 3.3 ✅ [S19]: never downgrade a case that scores 14 or more.
                raise ValidationError(
                    {
                        "judgement": f"A DASH score of {score} is high risk: professional "
                        "judgement can never lower it (domain.md 3.3)."
                    }
                )
            raise ValidationError(
                {"judgement": "Professional judgement can raise the level, not lower it."}
            )
        if judgement and judgement != scored:
            if not rationale:
                # domain.md 3.3 ✅: professional judgement needs a written rationale.
                raise ValidationError(
                    {"rationale": "Write why your professional judgement raises the level."}
                )
            level = judgement
            reasons.append(f"raised to {judgement} by professional judgement: {rationale}")
        return cleaned, Result(score, scored, level, reasons)


ANSWERS_LEVEL = {RiskLevel.STANDARD: "standard", RiskLevel.MEDIUM: "medium", RiskLevel.HIGH: "high"}

TOOLS = {Dash.code: Dash()}


def tool(code: str | None = None):
    """The risk tool in use (BLUELAMP_RISK_TOOL), or a named one."""
    code = code or settings.BLUELAMP_RISK_TOOL
    try:
        return TOOLS[code]
    except KeyError:
        raise ValidationError({"tool": f"No risk tool called {code!r}."}) from None
