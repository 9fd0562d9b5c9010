"""Checking and normalising what people type: postcodes, VRMs, phone numbers, dates of birth.

Each check raises ``ValidationError`` naming the field, so forms and the API can say exactly
what is wrong."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

# UK postcode: outward code (area, district) and inward code (sector, unit); GIR 0AA is valid.
_POSTCODE = re.compile(
    r"^(GIR0AA|[A-PR-UWYZ](?:[0-9][0-9A-HJKPSTUW]?|[A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)[0-9][ABD-HJLNP-UW-Z]{2})$"
)
_VRM = re.compile(r"^[A-Z0-9]{1,8}$")
_PNC_ID = re.compile(r"^\d{2,4}/\d{1,7}[A-Z]$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str | None, *, field: str, max_length: int, required: bool = False) -> str:
    """Trims a free-text value; refuses control characters, over-long text and empty required."""
    value = unicodedata.normalize("NFC", (value or "")).strip()
    if _CONTROL.search(value):
        raise ValidationError({field: "Contains characters that cannot be stored."})
    if len(value) > max_length:
        raise ValidationError({field: f"Must be at most {max_length} characters."})
    if required and not value:
        raise ValidationError({field: "This field is required."})
    return value


def normalise_postcode(value: str | None, *, field: str = "postcode") -> str:
    """'pr1 2ab' -> 'PR1 2AB'. Empty stays empty; anything else must be a valid UK postcode."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if not compact:
        return ""
    if not _POSTCODE.match(compact):
        raise ValidationError({field: f"'{value}' is not a valid UK postcode."})
    return f"{compact[:-3]} {compact[-3:]}"


def normalise_vrm(value: str | None, *, field: str = "vrm") -> str:
    compact = re.sub(r"[\s-]+", "", value or "").upper()
    if compact and not _VRM.match(compact):
        raise ValidationError({field: "A registration has up to 8 letters and digits."})
    return compact


def normalise_phone(value: str, *, field: str = "value") -> str:
    """UK numbers to national form: '+44 7700 900123' and '07700900123' both -> '07700900123'."""
    digits = re.sub(r"[\s().-]+", "", value)
    if digits.startswith("+44"):
        digits = "0" + digits[3:]
    elif digits.startswith("0044"):
        digits = "0" + digits[4:]
    if not re.fullmatch(r"\+?\d{6,15}", digits):
        raise ValidationError({field: "A phone number has 6 to 15 digits."})
    return digits


def normalise_identifier(kind: str, value: str, *, field: str = "value") -> str:
    value = clean_text(value, field=field, max_length=120, required=True)
    if kind == "phone":
        return normalise_phone(value, field=field)
    if kind == "email":
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError({field: "Enter a valid email address."}) from None
        return value.lower()
    compact = re.sub(r"\s+", "", value).upper()
    if kind == "pnc" and not _PNC_ID.match(compact):
        raise ValidationError({field: "A PNC ID looks like 12/345678A."})
    return compact


def check_date_of_birth(
    year: int | None, month: int | None, day: int | None, *, today: dt.date | None = None
) -> None:
    """A date of birth may be exact, month and year, year only, or unknown - never a day without
    a month, a month without a year, a date that does not exist, or one in the future."""
    today = today or dt.date.today()
    if day is not None and month is None:
        raise ValidationError({"dob_month": "Give the month when the day is known."})
    if month is not None and year is None:
        raise ValidationError({"dob_year": "Give the year when the month is known."})
    if year is not None and not (today.year - 130 <= year <= today.year):
        raise ValidationError(
            {"dob_year": f"Year of birth must be between {today.year - 130} and {today.year}."}
        )
    if month is not None and not 1 <= month <= 12:
        raise ValidationError({"dob_month": "Month must be 1 to 12."})
    if day is not None:
        try:
            born = dt.date(year, month, day)
        except ValueError:
            raise ValidationError({"dob_day": "That day does not exist in that month."}) from None
        if born > today:
            raise ValidationError({"dob_day": "Date of birth cannot be in the future."})


def check_choice(value, choices, field: str) -> str:
    """A value from a TextChoices list, or a ValidationError naming the field and the choices."""
    if value not in choices.values:
        raise ValidationError({field: f"Choose one of: {', '.join(choices.values)}."})
    return value
