"""Synthetic news claims derived from the SIPRI register, for benchmarks at x1, x10, x100.

Every claim restates a real register deal the way news reports one: same supplier, recipient,
designation, category and years; a status drawn from the deal's stage (ordered / delivering /
delivered, plus the pre-order and cancelled statuses news reports and the register does not);
1-4 sources per deal, each a separate article of its own outlet and date; an evidence sentence of
news length. x1 is one claim per register deal on average (about 30,000 claims in about 10,000
articles); xN repeats the draw N times with other outlets and dates, so keys repeat as in real news.
Output: structured-claims JSON Lines files (FORMAT.md records plus a `source` object).
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Iterator
from pathlib import Path

import pycountry

from armskb.loaders.sipri import PartyKind, RegisterDeal, read_register

OUTLETS = ["Defense Daily Wire", "Balkan Security Review", "Asia Defence Monitor", "Gulf Military News",
           "Africa Arms Report", "Latin Defence Today", "Nordic Security Post", "Eurasia Arms Tracker"]
LANGUAGES = ["en", "en", "en", "fr", "de", "es", "ru"]
TEMPLATES = {
    "ordered": "{recipient} has signed a contract with {supplier} for {qty} {system} {category}, officials "
               "confirmed on {when}, in a deal that analysts say will reshape the country's forces.",
    "delivering": "The first {system} {category} ordered from {supplier} have arrived in {recipient}, "
                  "with {qty} expected in total and further batches due over the coming months.",
    "delivered": "{supplier} has completed the delivery of {qty} {system} {category} to {recipient}, "
                 "the defence ministry said in a statement released on {when}.",
    "negotiating": "{recipient} is in talks with {supplier} over the purchase of {qty} {system} {category}, "
                   "according to people familiar with the negotiations.",
    "offered": "{supplier} has offered {recipient} {qty} {system} {category} on favourable terms, a senior "
               "official told reporters on the sidelines of the exhibition.",
    "planned": "{recipient} plans to buy {qty} {system} {category} from {supplier}, the draft procurement "
               "programme published on {when} shows.",
    "cancelled": "{recipient} has cancelled its order for {qty} {system} {category} from {supplier}, citing "
                 "budget pressure and delays, the ministry said on {when}.",
}
HEDGES = ("reportedly ", "is said to have ", "")


def _name(code: str) -> str:
    c = pycountry.countries.get(alpha_3=code) or pycountry.historic_countries.get(alpha_3=code)
    return getattr(c, "common_name", None) or (c.name if c else code)


def _usable(d: RegisterDeal) -> bool:
    return (d.supplier_kind is PartyKind.state and d.recipient_kind is PartyKind.state and bool(d.supplier)
            and bool(d.recipient) and bool(d.designation) and d.order_year is not None)


def _status(d: RegisterDeal, rng: random.Random) -> tuple[str, int, str]:
    """(status, year, date role) as one source reports the deal."""
    years = d.delivery_years
    roll = rng.random()
    assert d.order_year is not None
    if roll < 0.12:
        return rng.choice(["negotiating", "offered", "planned"]), max(1950, d.order_year - rng.randint(0, 2)), "announcement"
    if roll < 0.15:
        return "cancelled", d.order_year + rng.randint(0, 2), "announcement"
    if not years or roll < 0.45:
        return "ordered", d.order_year, "order"
    if d.number_delivered is not None and d.number_ordered and d.number_delivered < d.number_ordered:
        return "delivering", rng.choice(years), "delivery"
    return "delivered", max(years), "delivery"


def _restatements(usable: list[RegisterDeal], n_claims: int, rng: random.Random) -> Iterator[dict[str, object]]:
    made = 0
    while made < n_claims:
        d = rng.choice(usable)
        for _ in range(rng.randint(1, 4)):  # 1-4 sources per deal
            status, year, role = _status(d, rng)
            qty = d.number_ordered if d.number_ordered else None
            text = TEMPLATES[status].format(
                recipient=_name(d.recipient or ""), supplier=_name(d.supplier or ""), system=d.designation,
                category=(d.category or "systems").replace("-", " "), qty=qty or "several",
                when=f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
            hedged = rng.random() < 0.1
            if hedged:
                text = text.replace(" has ", f" {rng.choice(HEDGES)}", 1)
            yield {
                "buyer": d.recipient, "seller": d.supplier, "seller_org": None,
                "system": d.designation, "system_canonical": None, "system_category": d.category,
                "quantity": qty, "quantity_group": None, "approx": False, "date": str(year), "date_role": role,
                "status": status, "hedged": hedged, "in_comment": False, "evidence": text,
            }
            made += 1
            if made >= n_claims:
                return


def claims(register: Path, scale: float, seed: int = 12) -> Iterator[dict[str, object]]:
    """Claim records (with `source`) at `scale` (1.0 = about one claim per register deal), in
    articles of 1-5 claims each; the sources of one deal are spread over different articles."""
    _, deals, _ = read_register(register)
    usable = [d for d in deals if _usable(d)]
    rng = random.Random(seed)
    stream = _restatements(usable, int(len(deals) * scale), rng)
    art = 0
    while True:
        window = list(itertools.islice(stream, 5_000))
        if not window:
            return
        rng.shuffle(window)
        i = 0
        while i < len(window):
            art += 1
            k = rng.randint(1, 5)
            year = max(int(str(c["date"])) for c in window[i : i + k])
            source = {"url": f"https://news.example/{art:08d}", "title": str(window[i]["evidence"])[:70],
                      "publisher": rng.choice(OUTLETS), "published": f"{year}-{rng.randint(1, 12):02d}",
                      "language": rng.choice(LANGUAGES)}
            for c in window[i : i + k]:
                yield {"article": f"synthetic-{art:08d}", **c, "source": source}
            i += k


def write(register: Path, out: Path, scale: float, per_file: int = 25_000) -> tuple[int, int, list[Path]]:
    """Write the claims of `scale` as JSON Lines files of `per_file` claims in `out`; returns
    (claims, articles, files)."""
    out.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    fh = None
    n = 0
    articles: set[str] = set()
    for rec in claims(register, scale):
        if n >= per_file * len(files) and rec["article"] not in articles:  # an article stays in one file
            if fh:
                fh.close()
            files.append(out / f"claims-{len(files):04d}.jsonl")
            fh = files[-1].open("w", encoding="utf-8")
        assert fh is not None
        fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        articles.add(str(rec["article"]))
        n += 1
    if fh:
        fh.close()
    return n, len(articles), files
