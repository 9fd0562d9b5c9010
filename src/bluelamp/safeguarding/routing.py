"""Which MASH hub takes a referral: the hub covering the subject's home area (coverage is data:
HubArea rows of postcode districts or ONS local authority codes), else the named default hub
(BLUELAMP_MASH_DEFAULT_HUB) - never nowhere (issue 17)."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError

from bluelamp.core import validation as v

from .models import AreaKind, Hub, HubArea

_LA_CODE = re.compile(r"^[EWSN]\d{8}$")  # ONS GSS code, e.g. E07000123 (Preston)
DEFAULT = "default"


def postcode_district(postcode: str) -> str:
    """'PR1 2AB' -> 'PR1' (the outward code)."""
    return postcode.split(" ")[0] if postcode else ""


def clean_area_code(value: str, *, field: str = "home_area_code") -> str:
    code = (value or "").strip().upper()
    if code and not _LA_CODE.match(code):
        raise ValidationError({field: f"'{value}' is not an ONS local authority code (E07000123)."})
    return code


def default_hub() -> Hub:
    """The named default hub; made if a force has not set it up, so routing cannot fail."""
    hub, _ = Hub.objects.get_or_create(
        code=settings.BLUELAMP_MASH_DEFAULT_HUB,
        defaults={"name": f"{settings.BLUELAMP_MASH_DEFAULT_HUB.title()} MASH (default)"},
    )
    return hub


def route(*, postcode: str, area_code: str = "") -> tuple[Hub, str]:
    """(hub, how it was chosen): the postcode district first, then the local authority code."""
    postcode = v.normalise_postcode(postcode, field="home_postcode")
    area_code = clean_area_code(area_code)
    wanted = []
    if postcode:
        wanted.append((AreaKind.POSTCODE_DISTRICT, postcode_district(postcode)))
    if area_code:
        wanted.append((AreaKind.LOCAL_AUTHORITY, area_code))
    for kind, code in wanted:
        area = HubArea.objects.select_related("hub").filter(kind=kind, code=code).first()
        if area is not None:
            return area.hub, kind
    return default_hub(), DEFAULT


def set_coverage(*, hub: Hub, kind: str, codes: list[str]) -> list[HubArea]:
    """Replaces a hub's areas of one kind (setup and the synthetic force; not a user's write)."""
    if kind not in AreaKind.values:
        raise ValidationError({"kind": "Choose postcode_district or local_authority."})
    cleaned = []
    for code in codes:
        code = code.strip().upper()
        if kind == AreaKind.LOCAL_AUTHORITY:
            code = clean_area_code(code, field="codes")
        elif not re.fullmatch(r"[A-Z]{1,2}\d[A-Z\d]?", code):
            raise ValidationError({"codes": f"'{code}' is not a postcode district (PR1)."})
        cleaned.append(code)
    HubArea.objects.filter(hub=hub, kind=kind).delete()
    return HubArea.objects.bulk_create(HubArea(hub=hub, kind=kind, code=c) for c in cleaned)
