"""Checking and normalising what people type: postcodes, VRMs, phone numbers, dates of birth,
the dates and times of records.

Each check raises ``ValidationError`` naming the field, so forms and the API can say exactly
what is wrong."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

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


# --- dates and times (issue 14) ---
# The earliest date any record may carry. Non-recent offences are reported decades after they
# happened (the inquiries into non-recent child abuse reach back to the 1940s), so 1900 keeps
# every real one and refuses slips such as 1850, or 0001 - whose timezone offset overflowed
# Python's datetime and answered a 500.
EARLIEST_DATE = dt.date(1900, 1, 1)
# The latest date any record may carry: far enough for a bail end, a warning's expiry or a
# booked appointment, and short of year 9999, where a negative offset overflows as year 1 did.
LATEST_DATE = dt.date(2100, 12, 31)
EARLIEST_MOMENT = dt.datetime.combine(EARLIEST_DATE, dt.time.min, tzinfo=dt.UTC)
LATEST_MOMENT = dt.datetime.combine(LATEST_DATE, dt.time.max, tzinfo=dt.UTC)
# A handheld's clock may run a little ahead of the server's: within this much, "now" is not yet
# the future.
CLOCK_SLACK = dt.timedelta(minutes=5)


def _shown(value: dt.datetime | dt.date) -> str:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


def check_moment(
    value: dt.datetime | None,
    *,
    field: str,
    not_before: dt.datetime | None = None,
    not_before_what: str = "",
    future: bool = False,
    now: dt.datetime | None = None,
) -> dt.datetime | None:
    """A date and time within EARLIEST_MOMENT..LATEST_MOMENT, not before ``not_before`` (the
    record's own time, described by ``not_before_what``: "the crime was reported") and, unless
    ``future``, not in the future. None passes (the caller defaults it)."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValidationError({field: "Give the time with its timezone."})
    if value.date() < EARLIEST_DATE or value.date() > LATEST_DATE:
        raise ValidationError(
            {field: f"Must be between {_shown(EARLIEST_DATE)} and {_shown(LATEST_DATE)}."}
        )
    if not future:
        if value > (now or timezone.now()) + CLOCK_SLACK:
            raise ValidationError({field: "Cannot be in the future."})
    if not_before is not None and value < not_before:
        raise ValidationError(
            {field: f"Cannot be before {not_before_what} ({_shown(not_before)})."}
        )
    return value


def check_day(
    value: dt.date | None,
    *,
    field: str,
    not_before: dt.date | None = None,
    not_before_what: str = "",
    future: bool = False,
    today: dt.date | None = None,
) -> dt.date | None:
    """A date within EARLIEST_DATE..LATEST_DATE, not before ``not_before`` and, unless
    ``future``, not after today (in Europe/London). None passes."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if value < EARLIEST_DATE or value > LATEST_DATE:
        raise ValidationError(
            {field: f"Must be between {_shown(EARLIEST_DATE)} and {_shown(LATEST_DATE)}."}
        )
    if not future:
        if value > (today or timezone.localdate()):
            raise ValidationError({field: "Cannot be in the future."})
    if not_before is not None and value < not_before:
        raise ValidationError(
            {field: f"Cannot be before {not_before_what} ({_shown(not_before)})."}
        )
    return value


def check_moments(**times: dt.datetime | None) -> None:
    """An event's times are real moments: within the bounds every record keeps (1900 on, historic
    reports included) and not ahead of the server clock (but for a caller's slightly fast
    device). Every field wrong is named."""
    errors = {}
    for field, value in times.items():
        try:
            check_moment(value, field=field)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)


def check_valid_days(**days: dt.date | None) -> None:
    """The dates a link or warning holds from and to: within the bounds every record keeps (either
    may be ahead of today: a warning that runs until a date, a move already agreed)."""
    for field, value in days.items():
        check_day(value, field=field, future=True)


def check_date_order(start, end, field: str) -> None:
    """The end of a period (a date or a time) is not before its start; the error names ``field``."""
    if start and end and end < start:
        raise ValidationError({field: "The end cannot be before the start."})


def record_day(moment: dt.datetime) -> dt.date:
    """The day (Europe/London) a record's time falls on, to bound a date typed against it."""
    return timezone.localdate(moment)
