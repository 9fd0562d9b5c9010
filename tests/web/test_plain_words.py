"""Plain words: a duty shows its rule by name, never a document section; abbreviations are
expanded the first time they appear on a page; a victim's duty links to the victim's record."""

from django.template import Context, Template
from django.test import RequestFactory

from bluelamp.duties.registry import POLICIES
from bluelamp.ui.words import without_references


def render(source: str, **context) -> str:
    request = RequestFactory().get("/")
    return Template("{% load words %}" + source).render(Context({"request": request, **context}))


def test_document_references_are_left_out_of_a_rule():
    assert (
        without_references("Victims' Code right 4: referral within 2 working days (domain.md 1.4)")
        == "Victims' Code right 4: referral within 2 working days"
    )
    assert without_references("Tell the victim (1 if enhanced; domain.md 1.4 [S6])") == (
        "Tell the victim (1 if enhanced)"
    )
    assert without_references("Attend within 15 minutes [S13]") == "Attend within 15 minutes"


def test_no_policy_names_a_document_section():
    assert [p.name for p in POLICIES.values() if "domain" in p.rule or "[S" in p.rule] == []


def test_an_abbreviation_is_expanded_the_first_time_on_the_page_only():
    html = render("{% plain a %} and {% plain b %}", a="NCRS: decide", b="NCRS again <b>")
    assert html.count("(National Crime Recording Standard)") == 1
    assert html.count('<abbr title="National Crime Recording Standard">NCRS</abbr>') == 2
    assert "&lt;b&gt;" in html  # the text is escaped


def test_a_victims_duty_links_to_the_victims_record(db):
    from django.contrib.contenttypes.models import ContentType

    from bluelamp.duties.models import Duty
    from bluelamp.victims.models import VictimRecord

    duty = Duty(subject_type=ContentType.objects.get_for_model(VictimRecord), subject_id=7)
    assert duty.subject_url == "/victims/7/"


def test_a_stored_rule_that_starts_with_a_section_or_cites_an_issue_is_shown_by_name():
    assert without_references("domain.md 3.3: a score of 14 or more is high risk") == (
        "a score of 14 or more is high risk"
    )
    assert without_references("Triage by risk level (issue 17; force practice)") == (
        "Triage by risk level"
    )
