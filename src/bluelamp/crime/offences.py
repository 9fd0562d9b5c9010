"""The Home Office offence codes a crime is classified by, loaded once from
``crime/data/offence_codes.csv`` (code, offence, HOCR group, ONS roll-up, verified, source).

domain.md 4.2 asks for the full Home Office notifiable-offences list; this machine is offline, so
the file holds the codes domain.md verified ([S29], ``verified=yes``) and the main codes of each
group written from memory (``verified=no``, and the source column says so). A force replaces the
file with the published list; the loader and its test check every row either way."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "offence_codes.csv"

# domain.md 4.1 [S27]: the twelve HOCR 2022/23 classification groups.
GROUPS = (
    "Violence against the person",
    "Sexual offences",
    "Robbery",
    "Burglary",
    "Vehicle offences",
    "Theft",
    "Arson and criminal damage",
    "Drug offences",
    "Public order offences",
    "Possession of weapons",
    "Miscellaneous crimes against society",
    "Fraud",
)
FRAUD = "Fraud"
# domain.md 4.1 (ONS roll-up, not re-verified): victim-based crime and other crimes against
# society; fraud is counted by Action Fraud/NFIB and published apart [S28].
ONS_CATEGORIES = ("victim_based", "other_against_society", "fraud")
# domain.md 4.3 N100: reported rape or attempted rape (attempts are counted under the same codes).
RAPE_CODES = frozenset({"19C", "19D", "19E", "19F", "19G", "19H"})
COLUMNS = ["code", "offence", "group", "ons_category", "verified", "source"]


@dataclass(frozen=True)
class OffenceCode:
    code: str
    offence: str
    group: str
    ons_category: str
    verified: bool
    source: str

    @property
    def is_fraud(self) -> bool:
        return self.group == FRAUD

    @property
    def is_rape(self) -> bool:
        return self.code in RAPE_CODES

    def __str__(self) -> str:
        return f"{self.code} {self.offence}"


class BadRow(ValueError):
    pass


def parse_row(row: dict) -> OffenceCode:
    """One CSV row as an OffenceCode, or BadRow naming what is wrong."""
    code = (row.get("code") or "").strip().upper()
    if not code or len(code) > 10:
        raise BadRow(f"code {code!r}: 1 to 10 characters")
    if not (row.get("offence") or "").strip():
        raise BadRow(f"{code}: offence is empty")
    if row.get("group") not in GROUPS:
        raise BadRow(f"{code}: group {row.get('group')!r} is not one of the HOCR groups")
    if row.get("ons_category") not in ONS_CATEGORIES:
        raise BadRow(f"{code}: ons_category {row.get('ons_category')!r}")
    if (row.get("group") == FRAUD) != (row.get("ons_category") == "fraud"):
        raise BadRow(f"{code}: fraud group and fraud ONS category go together")
    if row.get("verified") not in ("yes", "no"):
        raise BadRow(f"{code}: verified must be yes or no")
    if not (row.get("source") or "").strip():
        raise BadRow(f"{code}: source is empty")
    return OffenceCode(
        code=code,
        offence=row["offence"].strip(),
        group=row["group"],
        ons_category=row["ons_category"],
        verified=row["verified"] == "yes",
        source=row["source"].strip(),
    )


def read(path: Path = DATA_FILE) -> dict[str, OffenceCode]:
    codes: dict[str, OffenceCode] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != COLUMNS:
            raise BadRow(f"columns must be {COLUMNS}, not {reader.fieldnames}")
        for line, row in enumerate(reader, start=2):
            try:
                offence = parse_row(row)
            except BadRow as error:
                raise BadRow(f"line {line}: {error}") from None
            if offence.code in codes:
                raise BadRow(f"line {line}: {offence.code} appears twice")
            codes[offence.code] = offence
    return codes


@cache
def all_codes() -> dict[str, OffenceCode]:
    return read()


def lookup(code: str | None) -> OffenceCode | None:
    return all_codes().get((code or "").strip().upper())


def choices() -> list[tuple[str, str]]:
    """Grouped (code, label) choices for forms, in HOCR group order."""
    ordered = sorted(all_codes().values(), key=lambda o: (GROUPS.index(o.group), o.code))
    return [(o.code, f"{o.code} {o.offence} ({o.group})") for o in ordered]
