"""Write the authority lookup Commonweal ships (commonweal/spend_engine/reference/), from
mySociety's UK local authority names and codes (CC BY 4.0).

    python scripts/make_authority_lookup.py ../shared/data/geography/mysociety/uk_local_authorities_current.csv

Keeps the current English authorities, combined authorities and the Greater London Authority,
with the columns local areas are worked out from, in mySociety's own layout (so the product
reads it exactly as it reads a loaded copy). One correction, stated in the SOURCE file: the
North East Mayoral Combined Authority (E47000014) replaced the North East and North of Tyne
combined authorities on 7 May 2024, which the 2025-07-10 copy does not yet show.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

COLUMNS = (
    "local-authority-code",
    "official-name",
    "nice-name",
    "gss-code",
    "start-date",
    "nation",
    "region",
    "local-authority-type",
    "county-la",
    "combined-authority",
    "current-authority",
)
TARGET = (
    Path(__file__).parents[1] / "commonweal/spend_engine/reference/english_authorities_2025.csv"
)
NORTH_EAST = {
    "local-authority-code": "NEMCA",
    "official-name": "North East Mayoral Combined Authority",
    "nice-name": "North East",
    "gss-code": "E47000014",
    "start-date": "2024-05-07",
    "nation": "England",
    "region": "North East",
    "local-authority-type": "COMB",
    "county-la": "",
    "combined-authority": "",
    "current-authority": "True",
}
REPLACED_BY_NORTH_EAST = {"NECA", "NTCA"}


def main(source: Path) -> None:
    with source.open(encoding="utf-8", newline="") as handle:
        rows = [
            row
            for row in csv.DictReader(handle)
            if row["nation"] == "England" and row["current-authority"] == "True"
        ]
    kept = []
    for row in rows:
        if row["local-authority-code"] in REPLACED_BY_NORTH_EAST:
            continue
        if row["combined-authority"] in REPLACED_BY_NORTH_EAST:
            row["combined-authority"] = NORTH_EAST["local-authority-code"]
        kept.append({name: row[name] for name in COLUMNS})
    kept.append(NORTH_EAST)
    kept.sort(key=lambda row: (row["gss-code"], row["local-authority-code"]))
    with TARGET.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)
    print(f"Wrote {len(kept)} authorities to {TARGET}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
