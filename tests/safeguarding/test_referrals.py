"""Referrals from the scene: DASH scoring and the never-lower rule, routing by area (and the
named default hub), what submitting opens (duties, MARAC, the IDVA message, the domain event),
and attachments refused with the file named."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from bluelamp.accounts.roles import Role
from bluelamp.duties.models import DomainEvent, Duty
from bluelamp.duties.services import duties_for
from bluelamp.notify.models import Message
from bluelamp.safeguarding import services
from bluelamp.safeguarding.models import Attachment, Hub, MaracCase, Referral
from bluelamp.safeguarding.risk import Dash

from .support import answers, make_hubs, person, png_bytes, referral


@pytest.fixture
def scene(units, make_user):
    officer = make_user(Role.RESPONSE_OFFICER)
    hubs = make_hubs(units)
    return {
        "officer": officer,
        "hubs": hubs,
        "victim": person(officer, "Dana", "Whitlock", dob_year=1990, dob_month=4, dob_day=2),
        "suspect": person(officer, "Carl", "Whitlock", dob_year=1988, dob_month=1, dob_day=9),
    }


# --- DASH -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yes", "level"),
    [(0, "standard"), (9, "standard"), (10, "medium"), (13, "medium"), (14, "high"), (27, "high")],
)
def test_the_dash_score_is_the_count_of_yes_answers_and_sets_the_level(yes, level):
    cleaned, result = Dash().assess(answers(yes))
    assert result.score == yes
    assert result.level == level == result.scored_level
    assert len(cleaned) == 27


def test_not_known_is_not_a_yes():
    given = answers(0)
    for n in range(1, 28):
        given[str(n)] = {"answer": "not_known", "comment": ""}
    assert Dash().assess(given)[1].score == 0


def test_judgement_raises_a_level_only_with_a_rationale():
    with pytest.raises(ValidationError) as error:
        Dash().assess(answers(5), judgement="high")
    assert "rationale" in error.value.message_dict
    _, result = Dash().assess(answers(5), judgement="high", rationale="Threats to kill by text")
    assert (result.score, result.scored_level, result.level) == (5, "standard", "high")


@pytest.mark.parametrize("judgement", ["medium", "standard"])
def test_a_score_of_14_or_more_can_never_be_lowered(judgement):
    with pytest.raises(ValidationError) as error:
        Dash().assess(answers(14), judgement=judgement, rationale="She says she is fine")
    assert "never lower" in error.value.message_dict["judgement"][0]


def test_every_question_must_be_answered_and_the_error_names_it():
    given = answers(3)
    del given["7"]
    given["12"] = {"answer": "maybe"}
    with pytest.raises(ValidationError) as error:
        Dash().assess(given)
    assert {"q7", "q12"} <= set(error.value.message_dict)


def test_a_high_dash_opens_marac_the_idva_referral_and_the_hub_duty(scene):
    made = referral(scene["officer"], victim=scene["victim"], perpetrator=scene["suspect"], yes=16)
    assert made.risk_level == "high"
    case = MaracCase.objects.get(referral=made)
    assert case.criteria == ["visible_high_risk"]
    assert Message.objects.filter(template="idva-referral", reference=made.reference).count() == 1
    policies = set(duties_for(made).values_list("policy", flat=True))
    assert policies == {"safeguarding-mash-triage", "safeguarding-high-risk-hub"}
    assert set(duties_for(case).values_list("policy", flat=True)) == {"safeguarding-marac-listing"}


def test_medium_and_standard_open_the_attending_officers_duties(scene):
    made = referral(scene["officer"], victim=scene["victim"], perpetrator=scene["suspect"], yes=11)
    assert made.risk_level == "medium"
    owned = duties_for(made).filter(owner=scene["officer"])
    assert set(owned.values_list("policy", flat=True)) == {
        "safeguarding-plan",
        "safeguarding-follow-up-visit",
    }
    assert not MaracCase.objects.filter(referral=made).exists()
    assert not Message.objects.filter(template="idva-referral").exists()


def test_domestic_abuse_cannot_be_submitted_without_its_dash(scene):
    draft = referral(scene["officer"], victim=scene["victim"], submit=False)
    with pytest.raises(ValidationError) as error:
        services.submit_referral(actor=scene["officer"], referral=draft)
    assert "assessment" in error.value.message_dict
    assert Referral.objects.get(pk=draft.pk).status == "draft"


def test_submitting_emits_the_event_encompass_reacts_to(scene):
    officer = scene["officer"]
    child = person(officer, "Ellie", "Whitlock", dob_year=2016, dob_month=3, dob_day=1)
    home = person(officer, "Finn", "Whitlock", dob_year=2014, dob_month=6, dob_day=5)
    made = referral(
        officer,
        victim=scene["victim"],
        perpetrator=scene["suspect"],
        yes=4,
        children=[
            {"person": child, "school": "URN 119876"},
            {"person": home, "home_educated": True},
        ],
    )
    event = DomainEvent.objects.get(type="safeguarding.referral_submitted")
    assert event.subject_id == made.pk
    assert event.payload == {
        "referral": made.pk,
        "event": None,
        "concern": "domestic_abuse",
        "children": [child.pk, home.pk],
        "home_educated": [home.pk],
        "schools": {str(child.pk): "URN 119876"},
        "police_attended": True,
        "risk": "standard",
    }


# --- routing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("postcode", "area", "hub", "how"),
    [
        ("PR1 2AB", "", "west", "postcode_district"),
        ("pr2 9zz", "", "west", "postcode_district"),
        ("BB1 1AA", "", "east", "postcode_district"),
        ("", "E07000117", "east", "local_authority"),
        ("LA1 1AA", "E07000117", "east", "local_authority"),
    ],
)
def test_a_referral_goes_to_the_hub_covering_the_home_area(scene, postcode, area, hub, how):
    made = referral(
        scene["officer"],
        victim=scene["victim"],
        concern="adult_at_risk",
        officer_risk="medium",
        postcode=postcode,
        home_area_code=area,
    )
    assert (made.hub.code, made.routed_by) == (hub, how)
    assert Duty.objects.get(policy="safeguarding-mash-triage").queue == f"mash-{hub}"


@pytest.mark.parametrize(("postcode", "area"), [("LA1 1AA", ""), ("", ""), ("", "W06000015")])
def test_an_unknown_area_goes_to_the_named_default_hub(scene, settings, postcode, area):
    settings.BLUELAMP_MASH_DEFAULT_HUB = "county"
    made = referral(
        scene["officer"],
        victim=scene["victim"],
        concern="mental_health",
        officer_risk="standard",
        postcode=postcode,
        home_area_code=area,
    )
    assert (made.hub.code, made.routed_by) == ("county", "default")
    assert Hub.objects.filter(code="county").count() == 1


def test_a_bad_postcode_or_area_code_is_named(scene):
    for field, kwargs in (
        ("home_postcode", {"home_postcode": "NOT A CODE"}),
        ("home_area_code", {"home_area_code": "Preston"}),
    ):
        with pytest.raises(ValidationError) as error:
            services.make_referral(
                actor=scene["officer"],
                victim=scene["victim"],
                concern="child",
                account="x",
                **kwargs,
            )
        assert field in error.value.message_dict


# --- attachments ------------------------------------------------------------------------------


def test_a_photo_is_kept_with_its_sha256(scene):
    import hashlib

    draft = referral(scene["officer"], victim=scene["victim"], submit=False)
    photo = png_bytes()
    kept = services.add_attachment(
        actor=scene["officer"], referral=draft, filename="bruise.png", content=photo
    )
    assert kept.content_type == "image/png"
    assert kept.sha256 == hashlib.sha256(photo).hexdigest()
    assert bytes(Attachment.objects.get(pk=kept.pk).content) == photo


@pytest.mark.parametrize(
    ("filename", "content", "says"),
    [
        ("empty.jpg", b"", "empty.jpg is empty"),
        ("notes.jpg", b"just some text pretending to be a photo", "notes.jpg is the wrong type"),
        ("script.pdf", b"#!/bin/sh\nrm -rf /\n", "script.pdf is the wrong type"),
        ("big.png", None, "big.png is too large"),
    ],
)
def test_an_attachment_is_refused_with_the_file_named(scene, settings, filename, content, says):
    settings.BLUELAMP_ATTACHMENT_MAX_BYTES = 50
    if content is None:
        content = png_bytes() + b"\x00" * 100
    draft = referral(scene["officer"], victim=scene["victim"], submit=False)
    with pytest.raises(ValidationError) as error:
        services.add_attachment(
            actor=scene["officer"], referral=draft, filename=filename, content=content
        )
    assert says in error.value.message_dict["file"][0]
    assert not Attachment.objects.exists()


def test_an_attachment_opens_for_those_who_may_see_the_referral_and_is_audited(
    scene, client, make_user
):
    from bluelamp.audit.models import AuditEvent

    from ..conftest import sign_in

    draft = referral(scene["officer"], victim=scene["victim"], submit=False)
    kept = services.add_attachment(
        actor=scene["officer"], referral=draft, filename="bruise.png", content=png_bytes()
    )
    sign_in(client, scene["officer"])  # the referring officer
    page = client.get(f"/safeguarding/referrals/{draft.pk}/").content.decode()
    assert f'href="/safeguarding/attachments/{kept.pk}/"' in page
    opened = client.get(f"/safeguarding/attachments/{kept.pk}/")
    assert opened.status_code == 200
    assert opened.content == png_bytes()
    assert opened["Content-Type"] == "image/png"
    assert opened["Content-Disposition"].startswith("inline")
    assert opened["X-Content-Type-Options"] == "nosniff"
    seen = AuditEvent.objects.filter(action="view", actor_id=scene["officer"].pk).last()
    assert seen.detail["attachment"] == kept.pk

    outsider = make_user(Role.RESPONSE_OFFICER)  # not the referrer, no safeguarding role
    client.logout()
    sign_in(client, outsider)
    assert client.get(f"/safeguarding/attachments/{kept.pk}/").status_code == 404
    assert client.get("/safeguarding/attachments/999999/").status_code == 404
