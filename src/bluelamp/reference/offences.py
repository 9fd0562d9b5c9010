"""The Home Office offence codes a crime is classified by, loaded once from the published list
``reference/data/ho_offence_codes_2017_18.csv`` (domain.md 4.2 ✅: the Home Office/ONS offence
hierarchy for 2017/18, 139 codes; see reference/data/README.md for its source).

The file is kept as published (tests/crime/test_offence_codes.py compares it with the shared
reference copy): code, offence, ONS offence group, subgroup, and whether the code is now for
outcomes only. Codes marked outcomes-only stay readable (crimes recorded under them before they
were withdrawn keep their history and outcomes) but are refused on new crimes and
reclassifications (domain.md 4.2; crime/classification.py). Nothing here is written from memory:
the groups, the rape codes and the fraud codes all come from the file's own columns."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "ho_offence_codes_2017_18.csv"
# Where the rows come from, said beside every code (domain.md 4.2).
SOURCE = "Home Office/ONS offence hierarchy 2017/18 (reference/data/ho_offence_codes_2017_18.csv)"
COLUMNS = ["code", "offence", "group", "subgroup", "outcomes_only"]

# The file's group and subgroup names that the rules below key on (domain.md 4.1, 4.3).
SEXUAL_OFFENCES = "Sexual offences"
FRAUD = "Fraud offences"  # domain.md 4.1: recorded by Action Fraud and the NFIB [S28]
RAPE = "Rape"  # subgroup: domain.md 4.3 N100, reported rape or attempted rape


@dataclass(frozen=True)
class OffenceCode:
    code: str
    offence: str
    group: str
    subgroup: str
    outcomes_only: bool
    source: str = SOURCE

    @property
    def current(self) -> bool:
        """May be used on a new crime (domain.md 4.2: outcomes-only codes may not)."""
        return not self.outcomes_only

    @property
    def is_fraud(self) -> bool:
        return self.group == FRAUD

    @property
    def is_sexual(self) -> bool:
        return self.group == SEXUAL_OFFENCES

    @property
    def is_rape(self) -> bool:
        return self.is_sexual and self.subgroup == RAPE

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
    if not (row.get("group") or "").strip():
        raise BadRow(f"{code}: group is empty")
    if row.get("outcomes_only") not in ("yes", "no"):
        raise BadRow(f"{code}: outcomes_only must be yes or no")
    return OffenceCode(
        code=code,
        offence=row["offence"].strip(),
        group=row["group"].strip(),
        subgroup=(row.get("subgroup") or "").strip(),
        outcomes_only=row["outcomes_only"] == "yes",
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
    """Every code in the list, outcomes-only ones included (old crimes keep them)."""
    return read()


def current_codes() -> dict[str, OffenceCode]:
    """The codes a new crime may be recorded under (domain.md 4.2)."""
    return {code: o for code, o in all_codes().items() if o.current}


def groups() -> tuple[str, ...]:
    """The offence groups, in the order the published list first names them."""
    return tuple(dict.fromkeys(o.group for o in all_codes().values()))


def rape_codes() -> frozenset[str]:
    return frozenset(code for code, o in all_codes().items() if o.is_rape)


def lookup(code: str | None) -> OffenceCode | None:
    return all_codes().get((code or "").strip().upper())


def grouped_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The current codes for a form's offence list, grouped under their Home Office offence
    group (shown as option groups), each as "code offence", in the list's own order."""
    grouped: dict[str, list[tuple[str, str]]] = {}
    for code, _label in choices():
        offence = current_codes()[code]
        grouped.setdefault(offence.group, []).append((code, f"{code} {offence.offence}"))
    return list(grouped.items())


def notes() -> dict[str, str]:
    """A short description of each current code, for the page that offers them: what it is,
    and where it sits in the Home Office groups."""
    return {
        o.code: f"{o.offence}. {o.group}" + (f", {o.subgroup}." if o.subgroup else ".")
        for o in current_codes().values()
    }


def choices() -> list[tuple[str, str]]:
    """(code, label) choices for forms: the current codes only, by group in the list's order."""
    order = {group: n for n, group in enumerate(groups())}
    position = {code: n for n, code in enumerate(all_codes())}
    ordered = sorted(current_codes().values(), key=lambda o: (order[o.group], position[o.code]))
    return [(o.code, f"{o.code} {o.offence} ({o.group})") for o in ordered]
