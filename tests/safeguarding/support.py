"""Shared pieces of the safeguarding tests: hubs with coverage, answers that give a chosen DASH
score, and a referral made and submitted through the services."""

from __future__ import annotations

import io

from bluelamp.core import persons
from bluelamp.safeguarding import routing, services
from bluelamp.safeguarding.models import AreaKind, Hub
from bluelamp.safeguarding.risk import DASH_TOPICS


def png_bytes() -> bytes:
    """A real 1x1 PNG (its signature and chunks), so the type check reads a true photo."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"\x00\xff\x00\x00"
    out = io.BytesIO()
    out.write(b"\x89PNG\r\n\x1a\n")
    out.write(chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)))
    out.write(chunk(b"IDAT", zlib.compress(raw)))
    out.write(chunk(b"IEND", b""))
    return out.getvalue()


def answers(yes: int, *, comment: str = "") -> dict:
    """DASH answers with the first ``yes`` questions answered yes, the rest no / not known."""
    return {
        str(n): {
            "answer": "yes" if n <= yes else ("no" if n % 2 else "not_known"),
            "comment": comment,
        }
        for n in DASH_TOPICS
    }


def make_hubs(units) -> dict[str, Hub]:
    west = Hub.objects.create(code="west", name="West MASH", unit=units["west"])
    east = Hub.objects.create(code="east", name="East MASH", unit=units["east"])
    routing.set_coverage(hub=west, kind=AreaKind.POSTCODE_DISTRICT, codes=["PR1", "PR2"])
    routing.set_coverage(hub=east, kind=AreaKind.POSTCODE_DISTRICT, codes=["BB1"])
    routing.set_coverage(hub=east, kind=AreaKind.LOCAL_AUTHORITY, codes=["E07000117"])
    return {"west": west, "east": east}


def person(actor, given: str, family: str, **dob):
    return persons.create_person(actor=actor, given_names=given, family_name=family, **dob)


def referral(actor, *, victim, perpetrator=None, yes=None, postcode="PR1 2AB", submit=True, **kw):
    """A domestic abuse referral (DASH with ``yes`` yes answers) or, with ``concern``, another."""
    kw.setdefault("concern", "domestic_abuse")
    kw.setdefault("account", "Called to a disturbance; the victim has a cut lip.")
    made = services.make_referral(
        actor=actor, victim=victim, perpetrator=perpetrator, home_postcode=postcode, **kw
    )
    if yes is not None:
        services.assess_risk(actor=actor, referral=made, answers=answers(yes))
    if submit:
        made = services.submit_referral(actor=actor, referral=made)
    return made
