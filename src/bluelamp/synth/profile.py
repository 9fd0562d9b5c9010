"""The real-world shape of the synthetic force, derived from public data and kept in
``synth/data/lancashire_profile.json`` so a fresh clone needs nothing else.

Regenerate it from the public files (data.police.uk street-level CSVs for Lancashire, 2018-11 to
2019-02, the ONS LSOA lookups, and the force-area population) with:

    .venv/bin/python -m bluelamp.synth.profile /path/to/shared/data

It records, all counted from those files (no typed-in numbers): crime and ASB counts by type; the
last-outcome mix by type; counts by month; counts by LSOA with the district (local authority) each
LSOA is in, its mean coordinates and its commonest street names; and the population."""

from __future__ import annotations

import csv
import functools
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

PROFILE = Path(__file__).parent / "data" / "lancashire_profile.json"
STREETS_PER_LSOA = 6


def derive(shared: Path) -> dict:
    lancashire = {}
    with (shared / "geo/lsoa11_lad19_pfa19_lancashire.csv").open(newline="") as file:
        for row in csv.DictReader(file):
            lancashire[row["LSOA11CD"]] = row["LAD19NM"]
    types, months, lsoas = Counter(), Counter(), Counter()
    outcomes: dict[str, Counter] = defaultdict(Counter)
    streets: dict[str, Counter] = defaultdict(Counter)
    coords: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    files = sorted((shared / "police_uk/lancashire").glob("*-lancashire-street.csv"))
    for path in files:
        with path.open(newline="", encoding="utf-8") as file:
            for row in csv.DictReader(file):
                kind = row["Crime type"]
                types[kind] += 1
                months[row["Month"]] += 1
                outcomes[kind][row["Last outcome category"] or "(none)"] += 1
                lsoa = row["LSOA code"]
                if lsoa in lancashire:
                    lsoas[lsoa] += 1
                    street = row["Location"].removeprefix("On or near ").strip()
                    if street and street != "No Location":
                        streets[lsoa][street] += 1
                    if row["Latitude"] and row["Longitude"]:
                        c = coords[lsoa]
                        c[0] += float(row["Latitude"])
                        c[1] += float(row["Longitude"])
                        c[2] += 1
    population = None
    with (shared / "population/pfa_population_2009_2019_england_LeonardoCastro.csv").open() as file:
        for row in csv.DictReader(file):  # one row per year, one column per force
            if row["year"] == "2019":
                population = int(row["Lancashire"])
    return {
        "source": {
            "crime": [p.name for p in files],
            "lsoas": "geo/lsoa11_lad19_pfa19_lancashire.csv",
            "population": "population/pfa_population_2009_2019_england_LeonardoCastro.csv (2019)",
        },
        "population": population,
        "months": dict(sorted(months.items())),
        "types": dict(types.most_common()),
        "outcomes": {k: dict(v.most_common()) for k, v in sorted(outcomes.items())},
        "lsoas": {
            code: {
                "district": lancashire[code],
                "count": lsoas[code],
                "lat": round(coords[code][0] / coords[code][2], 5) if coords[code][2] else None,
                "lon": round(coords[code][1] / coords[code][2], 5) if coords[code][2] else None,
                "streets": [s for s, _ in streets[code].most_common(STREETS_PER_LSOA)],
            }
            for code in sorted(lancashire)
        },
    }


@functools.cache
def load() -> dict:
    return json.loads(PROFILE.read_text())


if __name__ == "__main__":
    shared = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
    PROFILE.write_text(json.dumps(derive(shared), indent=0, ensure_ascii=False) + "\n")
    print(f"wrote {PROFILE} ({PROFILE.stat().st_size // 1024} KB)")
