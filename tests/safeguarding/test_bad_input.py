"""Bad input on every safeguarding form and API operation: a 422 (API) or the form again (400)
naming the field, and nothing already saved lost."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from bluelamp.accounts.roles import Role
from bluelamp.accounts.services import issue_api_token
from bluelamp.safeguarding.models import Attachment, Referral, RiskAssessment

from ..conftest import sign_in
from .support import answers, make_hubs, person, png_bytes, referral


@pytest.fixture
def scene(units, make_user):
    mash = make_user(Role.SAFEGUARDING)
    make_hubs(units)
    victim = person(mash, "Orla", "Brennock", dob_year=1980, dob_month=3, dob_day=3)
    draft = referral(mash, victim=victim, submit=False)
    submitted = referral(mash, victim=victim, yes=4)
    client = Client()
    sign_in(client, mash)
    token = issue_api_token(user=mash, name="t")
    return {
        "mash": mash,
        "victim": victim,
        "draft": draft,
        "submitted": submitted,
        "client": client,
        "auth": {"HTTP_AUTHORIZATION": f"Bearer {token}"},
    }


def _fields(response) -> set[str]:
    return {str(d["loc"][-1]) for d in response.json()["detail"]}


def _api(scene, path, body):
    return scene["client"].post(
        f"/api/safeguarding{path}", body, content_type="application/json", **scene["auth"]
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"concern": "burglary"}, "concern"),
        ({"account": ""}, "account"),
        ({"victim_id": 987654}, "victim_id"),
        ({"perpetrator_id": 987654}, "perpetrator_id"),
        ({"home_postcode": "ZZZ"}, "home_postcode"),
        ({"home_area_code": "Lancs"}, "home_area_code"),
        ({"risk_factors": ["bad_luck"]}, "risk_factors"),
        ({"event_id": 987654}, "event_id"),
        ({"children": [{"person_id": 987654}]}, "children[0].person_id"),
        ({"officer_risk": "extreme"}, "officer_risk"),
    ],
)
def test_make_referral_names_the_bad_field(scene, body, field):
    good = {"concern": "child", "account": "Child alone", "victim_id": scene["victim"].pk}
    before = Referral.objects.count()
    response = _api(scene, "/referrals", good | body)
    assert response.status_code == 422, response.content
    assert field in _fields(response) or any(field in str(d) for d in response.json()["detail"])
    assert Referral.objects.count() == before


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("assessment", {"answers": {"1": {"answer": "yes"}}}, "q2"),
        ("assessment", {"answers": {"1": {"answer": "perhaps"}}}, "answer"),
        (
            "assessment",
            {"answers": answers(15), "judgement": "medium", "rationale": "x"},
            "judgement",
        ),
        ("assessment", {"answers": answers(3), "judgement": "high"}, "rationale"),
        ("attachments", {"filename": "a.png", "content_base64": "!!!"}, "content_base64"),
        ("attachments", {"filename": "a.png", "content_base64": ""}, "file"),
        ("attachments", {"filename": "notes.png", "content_base64": "aGVsbG8="}, "file"),
        ("submit", {}, "assessment"),
    ],
)
def test_draft_operations_name_the_bad_field(scene, path, body, field):
    response = _api(scene, f"/referrals/{scene['draft'].pk}/{path}", body)
    assert response.status_code == 422, response.content
    assert field in _fields(response)
    assert not RiskAssessment.objects.filter(referral=scene["draft"]).exists()
    assert not Attachment.objects.filter(referral=scene["draft"]).exists()
    assert Referral.objects.get(pk=scene["draft"].pk).status == "draft"


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("triage", {"outcome": "shrug"}, "outcome"),
        ("triage", {"outcome": "other_agency"}, "note"),
        ("notes", {"agency": "", "text": "x"}, "agency"),
        ("notes", {"agency": "School", "text": ""}, "text"),
        ("feedback", {"rating": 7, "reason": "x"}, "rating"),
        ("feedback", {"rating": 3, "reason": ""}, "reason"),
        ("plan", {"text": ""}, "text"),
        ("follow-up", {"text": ""}, "text"),
        ("submit", {}, "status"),
    ],
)
def test_submitted_operations_name_the_bad_field(scene, path, body, field):
    response = _api(scene, f"/referrals/{scene['submitted'].pk}/{path}", body)
    assert response.status_code == 422, response.content
    assert field in _fields(response)
    assert Referral.objects.get(pk=scene["submitted"].pk).status == "submitted"


@pytest.mark.parametrize("path", ["/api/safeguarding/queue", "/api/safeguarding/demand"])
def test_an_unknown_hub_is_named(scene, path):
    response = scene["client"].get(path, {"hub": "nowhere"}, **scene["auth"])
    assert response.status_code == 422
    assert "hub" in _fields(response)


def test_the_referral_form_shows_the_fields_again_and_keeps_what_was_typed(scene):
    client = scene["client"]
    response = client.post(
        "/safeguarding/referrals/new/",
        {
            "concern": "adult_at_risk",
            "account": "Found wandering at night",
            "home_postcode": "NOPE",
            "victim-given_names": "Quentin",
            "victim-family_name": "Larkspur",
            "victim-gender": "unknown",
            "victim-ethnicity": "NS",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Home postcode" in page
    assert "is not a valid UK postcode" in page
    assert "Found wandering at night" in page
    assert not Referral.objects.filter(account="Found wandering at night").exists()


def test_the_dash_form_names_the_unanswered_question(scene):
    data = {f"q{n}": "no" for n in range(1, 27)}  # 27 left out
    response = scene["client"].post(f"/safeguarding/referrals/{scene['draft'].pk}/dash/", data)
    assert response.status_code == 400
    assert "Abuser has a criminal history" in response.content.decode()
    assert not RiskAssessment.objects.filter(referral=scene["draft"]).exists()


def test_the_dash_form_refuses_lowering_a_high_score(scene):
    data = {f"q{n}": "yes" for n in range(1, 28)} | {"judgement": "standard", "rationale": "x"}
    response = scene["client"].post(f"/safeguarding/referrals/{scene['draft'].pk}/dash/", data)
    assert response.status_code == 400
    assert "can never lower it" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [("empty.png", b"", "empty"), ("fake.png", b"plain text", "the wrong type")],
)
def test_the_attach_form_names_the_refused_file(scene, name, content, says):
    upload = SimpleUploadedFile(name, content or b"")
    response = scene["client"].post(
        f"/safeguarding/referrals/{scene['draft'].pk}/attach/", {"file": upload}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert f"{name} is {says}" in page
    assert not Attachment.objects.exists()


def test_the_attach_form_takes_a_photo(scene):
    upload = SimpleUploadedFile("scene.png", png_bytes())
    response = scene["client"].post(
        f"/safeguarding/referrals/{scene['draft'].pk}/attach/", {"file": upload}
    )
    assert response.status_code == 302
    assert Attachment.objects.get().filename == "scene.png"


@pytest.mark.parametrize(
    ("path", "data", "says"),
    [
        ("triage", {"outcome": ""}, "This field is required"),
        ("note", {"agency": "School", "text": ""}, "This field is required"),
        ("feedback", {"rating": "9", "reason": "x"}, "Select a valid choice"),
        ("plan", {"text": ""}, "This field is required"),
    ],
)
def test_the_mash_forms_name_the_field(scene, path, data, says):
    response = scene["client"].post(
        f"/safeguarding/referrals/{scene['submitted'].pk}/{path}/", data
    )
    assert response.status_code == 400
    assert says in response.content.decode()


def test_submitting_domestic_abuse_without_dash_says_so(scene):
    response = scene["client"].post(f"/safeguarding/referrals/{scene['draft'].pk}/submit/")
    assert response.status_code == 400
    assert "Complete the DASH before submitting" in response.content.decode()
