"""``{% load words %}``: plain words on every page.

``{% plain text %}`` shows a rule or label as people read it: a reference to a document section
("(domain.md 1.4 [S6])", "; domain.md 1.4") is left out, since the rule's name is what an officer
needs, and each abbreviation is expanded the first time it appears on the page
(``<abbr title="National Crime Recording Standard">NCRS</abbr> (National Crime Recording
Standard)``) and marked with its title after that. "First on the page" is kept on the request,
so panels rendered separately for the same page share it."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

ABBREVIATIONS = {
    "NCRS": "National Crime Recording Standard",
    "THRIVE": "threat, harm, risk, investigation, vulnerability and engagement",
    "VPS": "Victim Personal Statement",
    "QA": "quality assurance",
    "NFIB": "National Fraud Intelligence Bureau",
    "PNC": "Police National Computer",
    "VRM": "vehicle registration mark",
    "MASH": "multi-agency safeguarding hub",
    "PCSO": "police community support officer",
    "IOM": "integrated offender management",
    "ASB": "anti-social behaviour",
    "DDM": "designated decision maker",
    "FCR": "force crime registrar",
    "RUI": "released under investigation",
    "CPS": "Crown Prosecution Service",
}
_ABBREVIATION = re.compile(r"\b(" + "|".join(ABBREVIATIONS) + r")\b")
# A document reference in a stored rule: "(domain.md 1.4)", "; domain.md 1.4 [S6]", "[S13]".
_REFERENCE = re.compile(
    r"^\s*domain(?:-addendum)?\.md\s[\d.]+:\s*"  # "domain.md 3.3: ..."
    r"|\s*(?:\(\s*(?:domain(?:-addendum)?\.md|issue \d+)[^()]*\)|[;,]\s*domain(?:-addendum)?\.md"
    r"[^;)]*|\[S\d+\])"
)


def without_references(text: str) -> str:
    return _REFERENCE.sub("", text).strip()


def expand(text: str, seen: set[str]) -> SafeString:
    """``text`` escaped, each abbreviation marked, and expanded in words where first seen."""

    def one(match: re.Match) -> str:
        short = match.group(1)
        words = ABBREVIATIONS[short]
        marked = f'<abbr title="{words}">{short}</abbr>'
        if short in seen:
            return marked
        seen.add(short)
        return f"{marked} ({words})"

    return mark_safe(_ABBREVIATION.sub(one, str(escape(text))))  # noqa: S308 - escaped first


def _seen(context) -> set[str]:
    request = context.get("request")
    if request is not None:
        if not hasattr(request, "bluelamp_abbreviations"):
            request.bluelamp_abbreviations = set()
        return request.bluelamp_abbreviations
    if "bluelamp_abbreviations" not in context.render_context:
        context.render_context["bluelamp_abbreviations"] = set()
    return context.render_context["bluelamp_abbreviations"]


# A UK phone number in text: 999, 101, or 10-11 digits from 0 or +44, spaced as people write them.
_PHONE = re.compile(r"(?<![\w-])(999|101|111|116 ?\d{3}|(?:0|\+44\s?)\d[\d ]{7,11}\d)(?![\w-])")


@register.filter(is_safe=True)
def tel_links(text) -> SafeString:
    """``text`` escaped, each phone number in it a tap-to-call ``tel:`` link."""

    def link(match: re.Match) -> str:
        number = match.group(1)
        digits = re.sub(r"\s", "", number)
        return f'<a href="tel:{digits}">{number}</a>'

    return mark_safe(_PHONE.sub(link, str(escape(text or ""))))  # noqa: S308 - escaped first


@register.simple_tag(takes_context=True)
def plain(context, text) -> SafeString:
    return expand(without_references(str(text or "")), _seen(context))
