#!/usr/bin/env python3
"""Generate ontology/reference/sipri_descriptions.csv: SIPRI weapon description -> category.

The 2026 SIPRI export (one row per delivery year) carries both 'Description' and 'Armament
category'; the 2024 export (one row per deal) only has the description, often abbreviated ('APC',
'SRAAM'). This script builds the mapping the SIPRI loader uses for the 2024 export:

1. every description of the 2026 export with its category as given (source `sipri-2026`);
2. every other description of the 2024 export (when given): the category most 2026 rows with the
   same weapon designation carry (source `designation-vote`), else the first matching keyword
   rule below (source `rule`).

`armskb_category` maps each row to the armskb SKOS category scheme (`armskb.models.Category`).
Deterministic: same inputs -> byte-identical file (rows sorted by description). The SIPRI files
themselves are not committed; this derived table is.

    python scripts/gen_sipri_descriptions.py \
        --deliveries ../shared/sipri/sipri_trade_register_deliveries_1995-2024.csv \
        --register ../shared/sipri/sipri_trade_register_all_1950-2023.csv \
        [--out ontology/reference/sipri_descriptions.csv]
"""

from __future__ import annotations

import argparse
import csv
import io
import re
from collections import Counter, defaultdict
from pathlib import Path

#: keyword rules for descriptions the 2026 export does not use (abbreviated 2024 spellings):
#: first match wins; patterns match the lower-cased description.
SIPRI_RULES: list[tuple[str, str]] = [
    (r"engine|reactor", "Engines"),
    (r"satellite", "Satellites"),
    (r"turret", "Other"),
    (r"radar|sonar|eo |eo/|eo system|sigint system|search system|recce system|surv", "Sensors"),
    (r"aircraft|helicopter|heli\b|uav|\bav\b|airship|ac/", "Aircraft"),
    (r"aa gun|sam system|aals", "Air-defence systems"),
    (r"asw (mrl|rocket|mortar)|naval mrl", "Naval weapons"),
    (r"mrl|mortar|coastal defence gun|ssm launcher|ssm tel", "Artillery"),
    (r"torpedo|missile|\bssm\b|\bsam\b|aam|\basm\b|slbm|guided rocket", "Missiles"),
    (r"apc|ifv|apv|arv|aev|afsv|alv|amv|\bcp\b|tank|armoured", "Armoured vehicles"),
    (r"craft|ship|boat|opv|fac|cruiser|frigate|corvette|submarine|ssb|icebreaker|tug", "Ships"),
]


def armskb_category(description: str, sipri_category: str) -> str:
    """The armskb category concept (models.Category value) of a SIPRI description and category."""
    d = description.lower()
    if sipri_category == "Aircraft":
        return "helicopter" if re.search(r"helicopter|\bheli\b", d) else "aircraft"
    if sipri_category == "Armoured vehicles":
        if re.search(r"\btank\b", d) and not re.search(r"destroyer|chassis", d):
            return "tank"
        return "armoured-vehicle"
    if sipri_category == "Ships":
        return "submarine" if "submarine" in d or d == "ssb" else "ship"
    if sipri_category == "Naval weapons":
        return "air-defence" if re.search(r"\bsam\b", d) else "other"
    return {
        "Air-defence systems": "air-defence",
        "Air defence systems": "air-defence",
        "Artillery": "artillery",
        "Missiles": "missile",
        "Sensors": "sensor",
        "Engines": "engine",
    }.get(sipri_category, "other")


def read_2026(path: Path) -> list[dict[str, str]]:
    text = path.read_text(encoding="utf-8-sig")
    lines = [ln[:-1] if ln.endswith(";") else ln for ln in text.splitlines()]
    start = next(i for i, ln in enumerate(lines) if ln.startswith("SIPRI AT Database ID,"))
    return list(csv.DictReader(io.StringIO("\n".join(lines[start:]))))


def read_2024(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    return [{"designation": r[6], "description": r[7]} for r in rows[1:] if len(r) >= 8 and r[0]]


def build(deliveries: Path, register: Path | None) -> list[tuple[str, str, str, str]]:
    given: dict[str, Counter[str]] = defaultdict(Counter)
    by_designation: dict[str, Counter[str]] = defaultdict(Counter)
    for r in read_2026(deliveries):
        given[r["Description"]][r["Armament category"]] += 1
        by_designation[r["Designation"]][r["Armament category"]] += 1
    out: dict[str, tuple[str, str]] = {
        d: (sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0], "sipri-2026")
        for d, c in given.items()
    }
    if register is not None:
        votes: dict[str, Counter[str]] = defaultdict(Counter)
        seen: set[str] = set()
        for r in read_2024(register):
            d = r["description"]
            if d in out:
                continue
            seen.add(d)
            votes[d].update(by_designation.get(r["designation"], Counter()))
        for d in sorted(seen):
            if votes[d]:
                cat = sorted(votes[d].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
                out[d] = (cat, "designation-vote")
                continue
            low = d.lower()
            cat = next((c for pat, c in SIPRI_RULES if re.search(pat, low)), "Other")
            out[d] = (cat, "rule")
    return [(d, cat, armskb_category(d, cat), src) for d, (cat, src) in sorted(out.items())]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--deliveries", type=Path, required=True, help="2026 export (per delivery year)")
    ap.add_argument("--register", type=Path, help="2024 export (per deal), for its extra spellings")
    ap.add_argument("--out", type=Path, default=Path("ontology/reference/sipri_descriptions.csv"))
    args = ap.parse_args()
    rows = build(args.deliveries, args.register)
    buf = io.StringIO()
    buf.write(
        "# Generated by scripts/gen_sipri_descriptions.py from the SIPRI Arms Transfers Database\n"
        "# exports (c) SIPRI; do not edit by hand. source: sipri-2026 (category as SIPRI gives it),\n"
        "# designation-vote (category of 2026 rows with the same designation), rule (keyword rule).\n"
    )
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["description", "category", "armskb_category", "source"])
    w.writerows(rows)
    args.out.write_text(buf.getvalue(), encoding="utf-8")
    print(f"wrote {len(rows)} descriptions to {args.out}")


if __name__ == "__main__":
    main()
