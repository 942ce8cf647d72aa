"""SIPRI Arms Transfers Database register exports -> `RegisterDeal`s -> RDF.

Two export formats are recognised by content (`sniff`), never by file name:

* the 2024 web export, one row per deal (header ``Recipient,Supplier,Year of order, ,Number
  ordered, ,...``; 16 columns, ``?`` in the blank-headed columns marks an estimate; no deal id);
* the 2026 web export, one row per deal per delivery year (11 preamble lines ending in
  ``Data generated: 12 Feb 2026 ...``, then the header ``SIPRI AT Database ID,Supplier,...``;
  every line ends in a stray ``;``). Rows are grouped by deal id into one deal with per-year
  deliveries.

Quirks are repaired and reported as `SourceError`s (file and line), never raised:
Excel-mangled designations (``5.7E+07`` -> ``57E6``), records broken over two physical lines
(joined), ``*`` non-state and ``**`` organisation parties (kept as organisations by name),
``unknown supplier(s)``/``unknown recipient(s)`` (no party; the name is kept as a literal),
historical states and SIPRI's own spellings (``ontology/reference/sipri_names.csv``), descriptions
without a category (``ontology/reference/sipri_descriptions.csv``, made by
``scripts/gen_sipri_descriptions.py``), and unparsable values.

Source: SIPRI Arms Transfers Database (c) SIPRI, https://www.sipri.org/databases/armstransfers.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import cache, lru_cache
from pathlib import Path

from pydantic import BaseModel, Field
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from armskb.errors import SourceError
from armskb.mapping.literals import integer_literal
from armskb.namespace import (
    ARMS,
    category,
    delivery,
    organization,
    sipri_deal,
    sipri_graph,
    slug,
    state,
    system,
)
from armskb.reference import fold, resolve_state, resolve_system_slug, states
from armskb.reference import rows as reference_rows

__all__ = [
    "Delivery",
    "PartyKind",
    "RegisterDeal",
    "SupplyCondition",
    "read_register",
    "register_triples",
    "sniff",
]

FORMAT_2024 = "sipri-2024"
FORMAT_2026 = "sipri-2026"

HEADER_2024 = ["Recipient", "Supplier", "Year of order", " ", "Number ordered", " "]
HEADER_2026 = "SIPRI AT Database ID,Supplier,"
_COLS_2024 = 16
_RELEASE_RE = re.compile(r"Data generated:\s*(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{4})")
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_EXCEL_NUM_RE = re.compile(r"^(\d)\.(\d+)E\+(\d+)$", re.IGNORECASE)


class SupplyCondition(str, Enum):
    """SIPRI 'status' column: the condition of the items supplied."""

    new = "new"
    second_hand = "second-hand"
    second_hand_modernised = "second-hand-modernised"


_CONDITIONS = {
    "new": SupplyCondition.new,
    "second hand": SupplyCondition.second_hand,
    "second-hand": SupplyCondition.second_hand,
    "second hand but modernized": SupplyCondition.second_hand_modernised,
    "second-hand but modernized": SupplyCondition.second_hand_modernised,
    "second hand but modernised": SupplyCondition.second_hand_modernised,
}


class PartyKind(str, Enum):
    """What a supplier or recipient name stands for."""

    state = "state"
    non_state = "non-state"  # SIPRI '*' (armed groups, rival governments) and unlisted entities
    organization = "organization"  # SIPRI '**' (UN, NATO, African Union, ...)
    unknown = "unknown"  # 'unknown supplier(s)' / 'unknown recipient(s)': no party


class Delivery(BaseModel):
    """One delivery year of a deal (2026 export: one row)."""

    year: int
    year_estimated: bool | None = None
    quantity: int | None = Field(default=None, ge=0)
    quantity_estimated: bool | None = None
    tiv: Decimal | None = None
    line: int | None = None


class RegisterDeal(BaseModel):
    """One deal of a SIPRI register export."""

    deal_id: str
    source_format: str
    line: int
    supplier: str | None = None  # ISO alpha-3 code, or organisation name, or None (unknown)
    supplier_name: str
    supplier_kind: PartyKind
    recipient: str | None = None
    recipient_name: str
    recipient_kind: PartyKind
    designation: str
    designation_raw: str
    description: str | None = None
    sipri_category: str | None = None
    category: str | None = None  # armskb category concept (models.Category value)
    order_year: int | None = None
    order_year_estimated: bool | None = None
    number_ordered: int | None = Field(default=None, ge=0)
    number_ordered_estimated: bool | None = None
    number_delivered: int | None = Field(default=None, ge=0)
    number_delivered_estimated: bool | None = None
    delivery_years: list[int] = []
    deliveries: list[Delivery] = []  # per-year quantities (2026 export only)
    status: SupplyCondition | None = None
    comments: str | None = None
    tiv_unit: Decimal | None = None  # TIV per unit as supplied (second-hand discount applied)
    tiv_unit_new: Decimal | None = None  # TIV per unit of a new item ('SIPRI estimate', 2026)
    tiv_order: Decimal | None = None
    tiv_delivered: Decimal | None = None
    local_production: bool | None = None


# ---------------------------------------------------------------------------------------------
# reference data


@cache
def sipri_names() -> dict[str, tuple[str, str]]:
    """SIPRI spelling -> (code or '', canonical name) from sipri_names.csv."""
    return {
        r["sipri_name"]: ((r.get("code") or "").strip().upper(), (r.get("name") or "").strip())
        for r in reference_rows("sipri_names.csv")
    }


@cache
def sipri_descriptions() -> dict[str, tuple[str, str]]:
    """SIPRI description -> (SIPRI category, armskb category), keyed exactly and folded."""
    out: dict[str, tuple[str, str]] = {}
    rows = list(reference_rows("sipri_descriptions.csv"))
    for r in rows:
        out[r["description"]] = (r["category"], r["armskb_category"])
    for r in rows:
        out.setdefault(fold(r["description"]), (r["category"], r["armskb_category"]))
    return out


@cache
def _armskb_category_of_sipri() -> dict[str, str]:
    """SIPRI category -> most frequent armskb category in the table (fallback for 2026 rows)."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for r in reference_rows("sipri_descriptions.csv"):
        votes[r["category"]][r["armskb_category"]] += 1
    return {k: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for k, c in votes.items()}


# ---------------------------------------------------------------------------------------------
# sniffing


def _head(path: str | Path, size: int = 8192) -> str:
    with open(path, "rb") as fh:
        raw = fh.read(size)
    return raw.decode("utf-8-sig", errors="replace")


def _format_of(text: str) -> str | None:
    lines = text.splitlines()
    if lines and next(csv.reader([lines[0]]), [])[: len(HEADER_2024)] == HEADER_2024:
        return FORMAT_2024
    for ln in lines[:30]:
        if ln.startswith(HEADER_2026):
            return FORMAT_2026
    return None


def sniff(path: str | Path, head: str | None = None) -> bool:
    """True when the file is a SIPRI register export (2024 per-deal or 2026 per-delivery-year).
    `head` is the start of the file when the caller has already read it."""
    try:
        text = _head(path) if head is None else head.lstrip("\ufeff")
    except OSError:
        return False
    return _format_of(text) is not None


# ---------------------------------------------------------------------------------------------
# value parsing


class _Reporter:
    """Collects problems; name-level ones are reported once per name with a row count."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.errors: list[SourceError] = []
        self._once: dict[tuple[str, str], list] = {}

    def row(self, line: int | None, reason: str) -> None:
        self.errors.append(SourceError(self.path, reason, line=line))

    def once(self, key: tuple[str, str], line: int, reason: str) -> None:
        entry = self._once.get(key)
        if entry is None:
            self._once[key] = [line, reason, 1]
        else:
            entry[2] += 1

    def finish(self) -> list[SourceError]:
        for line, reason, n in self._once.values():
            suffix = f" ({n} records, first at this line)" if n > 1 else ""
            self.errors.append(SourceError(self.path, reason + suffix, line=line))
        self.errors.sort(key=lambda e: (e.location.line or 0, e.reason))
        return self.errors


def _int(text: str, rep: _Reporter, line: int, what: str) -> int | None:
    t = text.strip()
    if not t:
        return None
    try:
        return int(t)
    except ValueError:
        try:
            d = Decimal(t)
        except InvalidOperation:
            rep.row(line, f"{what}: not a number: {t!r}; left empty")
            return None
        if d == d.to_integral_value():
            return int(d)
        rep.row(line, f"{what}: not a whole number: {t!r}; left empty")
        return None


def _dec(text: str, rep: _Reporter, line: int, what: str) -> Decimal | None:
    t = text.strip()
    if not t:
        return None
    try:
        d = Decimal(t)
    except InvalidOperation:
        rep.row(line, f"{what}: not a decimal: {t!r}; left empty")
        return None
    if not d.is_finite():
        rep.row(line, f"{what}: not a finite decimal: {t!r}; left empty")
        return None
    return d


def _flag_2024(text: str, rep: _Reporter, line: int, what: str) -> bool:
    t = text.strip()
    if t == "?":
        return True
    if t:
        rep.row(line, f"{what}: unexpected estimate flag {t!r} (expected '?' or empty); read as estimated")
        return True
    return False


def _flag_yes_no(text: str, rep: _Reporter, line: int, what: str) -> bool | None:
    t = text.strip().lower()
    if t in ("yes", "y", "true", "1"):
        return True
    if t in ("no", "n", "false", "0"):
        return False
    if t:
        rep.row(line, f"{what}: expected Yes/No, got {text.strip()!r}; left empty")
    return None


def clean_designation(raw: str) -> str:
    """Undo Excel's number mangling: '5.7E+07' -> '57E6' (the digits, then E and the exponent)."""
    m = _EXCEL_NUM_RE.match(raw.strip())
    if not m:
        return raw.strip()
    lead, frac, exp = m.groups()
    frac = frac.rstrip("0")
    return f"{lead}{frac}E{int(exp) - len(frac)}"


def _condition(text: str, rep: _Reporter, line: int) -> SupplyCondition | None:
    t = " ".join(text.strip().lower().split())
    if not t:
        return None
    cond = _CONDITIONS.get(t)
    if cond is None:
        rep.row(line, f"status: unknown value {text.strip()!r}; left empty")
    return cond


def _party(raw: str, role: str, rep: _Reporter, line: int) -> tuple[str | None, PartyKind]:
    """(ISO code or organisation name or None, kind) of a SIPRI supplier/recipient name."""
    name = raw.strip()
    if not name:
        rep.row(line, f"{role}: empty; no party")
        return None, PartyKind.unknown
    if name.lower().startswith("unknown"):
        rep.once(("unknown", name), line, f"{role} {name!r}: no party; name kept as a literal")
        return None, PartyKind.unknown
    stars = len(name) - len(name.rstrip("*"))
    bare = name.rstrip("*").strip()
    mapped = sipri_names().get(name)
    if mapped is not None:
        code, canonical = mapped
        if code and code in states():
            rep.once(("mapped", name), line, f"{role} {name!r}: SIPRI spelling, mapped to state {code}")
            return code, PartyKind.state
        org = canonical or bare
        why = (f"state code {code} is not in states.csv" if code else "not a listed state")
        kind = PartyKind.organization if stars >= 2 else PartyKind.non_state
        rep.once(("mapped", name), line,
                 f"{role} {name!r}: {why}; kept as non-state party {org!r}")
        return org, kind
    if stars >= 2:
        rep.once(("org", name), line, f"{role} {name!r}: '**' international organisation; kept by name")
        return bare, PartyKind.organization
    if stars == 1:
        rep.once(("org", name), line, f"{role} {name!r}: '*' non-state party; kept by name")
        return bare, PartyKind.non_state
    code = resolve_state(name)
    if code is not None:
        ref = states().get(code)
        if ref is not None and ref.historical:
            rep.once(("historical", name), line, f"{role} {name!r}: historical state {code}")
        return code, PartyKind.state
    rep.once(("unresolved", name), line,
             f"{role} {name!r}: not a known state name; kept as non-state party by name")
    return name, PartyKind.non_state


def _categories(description: str | None, sipri_cat: str | None) -> tuple[str | None, str | None]:
    table = sipri_descriptions()
    hit = None
    if description:
        hit = table.get(description) or table.get(fold(description))
    if sipri_cat:
        armskb = hit[1] if hit and hit[0] == sipri_cat else _armskb_category_of_sipri().get(sipri_cat)
        return sipri_cat, armskb
    if hit:
        return hit
    return None, None


# ---------------------------------------------------------------------------------------------
# readers


def _release_from_preamble(lines: Iterable[str]) -> str | None:
    for ln in lines:
        m = _RELEASE_RE.search(ln)
        if m:
            day, mon, year = m.groups()
            month = _MONTHS.get(mon.lower()[:3])
            if month:
                return f"{int(year):04d}-{month:02d}-{int(day):02d}"
    return None


def _read_lines(path: Path) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        text = fh.read()
    # only CR/LF end a line (str.splitlines would also split on U+2028, VT, FS, ... in comments)
    lines = re.split(r"\r\n|\r|\n", text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _rows_2024(path: Path, lines: list[str], rep: _Reporter) -> Iterator[tuple[int, list[str]]]:
    """(first physical line, 16 fields) per record; records broken over two lines are joined."""
    pending: tuple[int, list[str]] | None = None
    for lineno, fields in _csv_lines(lines, start=2):
        if not any(f.strip() for f in fields):
            continue
        if pending is not None and not fields[0].strip():
            # A line without a recipient: the previous record broken over two lines (its last
            # non-empty field goes on here; both halves are padded to 16 fields by Excel).
            first, prev = pending
            k = max(i for i, f in enumerate(prev) if f.strip()) + 1
            joined = prev[: k - 1] + [prev[k - 1] + fields[0]] + fields[1:]
            if not any(f.strip() for f in joined[_COLS_2024:]):
                rep.row(lineno, f"record of line {first} broken over two lines; line {lineno} joined to it")
                pending = (first, joined[:_COLS_2024])
                continue
        if pending is not None:
            yield pending
        if len(fields) != _COLS_2024:
            rep.row(lineno, f"expected {_COLS_2024} fields, got {len(fields)}; padded/truncated")
            fields = (fields + [""] * _COLS_2024)[:_COLS_2024]
        pending = (lineno, fields)
    if pending is not None:
        yield pending


def _csv_lines(lines: list[str], start: int) -> Iterator[tuple[int, list[str]]]:
    """Parse physical lines (numbered from `start`) as CSV, keeping quoted line breaks together."""
    reader = csv.reader(lines)
    consumed = 0
    for fields in reader:
        yield start + consumed, fields
        consumed = reader.line_num


def _read_2024(path: Path, lines: list[str], rep: _Reporter) -> list[RegisterDeal]:
    deals: list[RegisterDeal] = []
    used: set[str] = set()
    seen: Counter[str] = Counter()
    for line, f in _rows_2024(path, lines[1:], rep):
        (recipient, supplier, order_year, oy_flag, n_ord, n_ord_flag, designation, description,
         n_del, n_del_flag, years, status, comments, tiv_unit, tiv_order, tiv_del) = f
        sup, sup_kind = _party(supplier, "supplier", rep, line)
        rec, rec_kind = _party(recipient, "recipient", rep, line)
        desig = clean_designation(designation)
        if desig != designation.strip():
            rep.row(line, f"designation {designation!r} mangled by Excel into a number; read as {desig!r}")
        delivery_years: list[int] = []
        for tok in re.split(r"[;,]", years):
            tok = tok.strip()
            if not tok:
                continue
            if tok.isdigit() and len(tok) == 4:
                delivery_years.append(int(tok))
            else:
                rep.row(line, f"Year(s) of delivery: not a year: {tok!r}; skipped")
        oy = _int(order_year, rep, line, "Year of order")
        base = slug(f"{recipient.strip()}-{supplier.strip()}-{order_year.strip()}-{desig}")
        seen[base] += 1
        n = seen[base]
        deal_id = base if n == 1 else f"{base}-dup{n}"
        while deal_id in used:
            n += 1
            deal_id = f"{base}-dup{n}"
        used.add(deal_id)
        sipri_cat, cat = _categories(description.strip() or None, None)
        if description.strip() and sipri_cat is None:
            rep.once(("description", description.strip()), line,
                     f"description {description.strip()!r}: no category in sipri_descriptions.csv")
        deals.append(
            RegisterDeal(
                deal_id=deal_id,
                source_format=FORMAT_2024,
                line=line,
                supplier=sup,
                supplier_name=supplier.strip(),
                supplier_kind=sup_kind,
                recipient=rec,
                recipient_name=recipient.strip(),
                recipient_kind=rec_kind,
                designation=desig,
                designation_raw=designation,
                description=description.strip() or None,
                sipri_category=sipri_cat,
                category=cat,
                order_year=oy,
                order_year_estimated=_flag_2024(oy_flag, rep, line, "order year"),
                number_ordered=_int(n_ord, rep, line, "Number ordered"),
                number_ordered_estimated=_flag_2024(n_ord_flag, rep, line, "number ordered"),
                number_delivered=_int(n_del, rep, line, "Number delivered"),
                number_delivered_estimated=_flag_2024(n_del_flag, rep, line, "number delivered"),
                delivery_years=sorted(set(delivery_years)),
                status=_condition(status, rep, line),
                comments=comments.strip() or None,
                tiv_unit=_dec(tiv_unit, rep, line, "SIPRI TIV per unit"),
                tiv_order=_dec(tiv_order, rep, line, "SIPRI TIV for total order"),
                tiv_delivered=_dec(tiv_del, rep, line, "SIPRI TIV of delivered weapons"),
            )
        )
    return deals


_DEAL_FIELDS_2026 = (
    "Supplier", "Recipient", "Designation", "Description", "Armament category", "Order date",
    "Order date is estimate", "Status", "SIPRI estimate", "TIV deal unit", "Local production",
)


def _read_2026(path: Path, lines: list[str], rep: _Reporter) -> list[RegisterDeal]:
    start = next(i for i, ln in enumerate(lines) if ln.startswith(HEADER_2026))
    stripped = [ln[:-1] if ln.endswith(";") else ln for ln in lines[start:]]
    parsed = list(_csv_lines(stripped, start=start + 1))
    header = [h.strip() for h in parsed[0][1]]
    width = len(header)
    groups: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for lineno, fields in parsed[1:]:
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != width:
            rep.row(lineno, f"expected {width} fields, got {len(fields)}; padded/truncated")
            fields = (fields + [""] * width)[:width]
        row = dict(zip(header, fields))
        did = row.get("SIPRI AT Database ID", "").strip()
        if not did:
            rep.row(lineno, "no SIPRI AT Database ID; row skipped")
            continue
        groups.setdefault(did, []).append((lineno, row))
    deals: list[RegisterDeal] = []
    for did, rows in groups.items():
        line, first = rows[0]
        for ln, r in rows[1:]:
            diff = [k for k in _DEAL_FIELDS_2026 if r.get(k, "").strip() != first.get(k, "").strip()]
            if diff:
                rep.row(ln, f"deal {did}: {', '.join(diff)} differ from line {line}; first row kept")
        sup, sup_kind = _party(first["Supplier"], "supplier", rep, line)
        rec, rec_kind = _party(first["Recipient"], "recipient", rep, line)
        designation = first["Designation"]
        desig = clean_designation(designation)
        if desig != designation.strip():
            rep.row(line, f"designation {designation!r} mangled by Excel into a number; read as {desig!r}")
        description = first["Description"].strip() or None
        sipri_cat, cat = _categories(description, first["Armament category"].strip() or None)
        deliveries: dict[int, Delivery] = {}
        for ln, r in rows:
            year = _int(r["Delivery year"], rep, ln, "Delivery year")
            if year is None:
                rep.row(ln, f"deal {did}: row without a delivery year; skipped")
                continue
            d = Delivery(
                year=year,
                year_estimated=_flag_yes_no(r["Delivery year is estimate"], rep, ln, "Delivery year is estimate"),
                quantity=_int(r["Numbers delivered"], rep, ln, "Numbers delivered"),
                quantity_estimated=_flag_yes_no(r["Numbers delivered is estimate"], rep, ln, "Numbers delivered is estimate"),
                tiv=_dec(r["TIV delivery values"], rep, ln, "TIV delivery values"),
                line=ln,
            )
            if year in deliveries:
                prev = deliveries[year]
                rep.row(ln, f"deal {did}: second row for delivery year {year}; quantities added")
                d = Delivery(
                    year=year,
                    year_estimated=prev.year_estimated or d.year_estimated,
                    quantity=None if prev.quantity is None and d.quantity is None
                    else (prev.quantity or 0) + (d.quantity or 0),
                    quantity_estimated=prev.quantity_estimated or d.quantity_estimated,
                    tiv=None if prev.tiv is None and d.tiv is None else (prev.tiv or 0) + (d.tiv or 0),
                    line=prev.line,
                )
            deliveries[year] = d
        dl = [deliveries[y] for y in sorted(deliveries)]
        qs = [d.quantity for d in dl if d.quantity is not None]
        tivs = [d.tiv for d in dl if d.tiv is not None]
        flags = [d.quantity_estimated for d in dl if d.quantity_estimated is not None]
        deals.append(
            RegisterDeal(
                deal_id=did,
                source_format=FORMAT_2026,
                line=line,
                supplier=sup,
                supplier_name=first["Supplier"].strip(),
                supplier_kind=sup_kind,
                recipient=rec,
                recipient_name=first["Recipient"].strip(),
                recipient_kind=rec_kind,
                designation=desig,
                designation_raw=designation,
                description=description,
                sipri_category=sipri_cat,
                category=cat,
                order_year=_int(first["Order date"], rep, line, "Order date"),
                order_year_estimated=_flag_yes_no(first["Order date is estimate"], rep, line, "Order date is estimate"),
                number_delivered=sum(qs) if qs else None,
                number_delivered_estimated=any(flags) if flags else None,
                delivery_years=[d.year for d in dl],
                deliveries=dl,
                status=_condition(first["Status"], rep, line),
                tiv_unit=_dec(first["TIV deal unit"], rep, line, "TIV deal unit"),
                tiv_unit_new=_dec(first["SIPRI estimate"], rep, line, "SIPRI estimate"),
                tiv_delivered=sum(tivs, Decimal(0)) if tivs else None,
                local_production=_flag_yes_no(first["Local production"], rep, line, "Local production"),
            )
        )
    return deals


def read_register(
    path: str | Path, release: str | None = None
) -> tuple[str, list[RegisterDeal], list[SourceError]]:
    """Read a SIPRI register export: (release, deals in file order, problems found and repaired).

    The release is the preamble's 'Data generated' date (``2026-02-12``) or, for exports without
    a preamble, the year range of the delivery years (else order years) in the data
    (``1950-2023``); `release` overrides both. Raises `SourceError` only when the file cannot be
    read or is not a SIPRI register export.
    """
    path = Path(path)
    try:
        lines = _read_lines(path)
    except (OSError, UnicodeDecodeError) as e:
        raise SourceError(str(path), f"cannot read SIPRI export: {e}") from e
    fmt = _format_of("\n".join(lines[:30]))
    if fmt is None:
        raise SourceError(str(path), "not a SIPRI register export (neither the 2024 nor the 2026 layout)", line=1)
    rep = _Reporter(str(path))
    if fmt == FORMAT_2024:
        deals = _read_2024(path, lines, rep)
    else:
        deals = _read_2026(path, lines, rep)
    if release is None:
        if fmt == FORMAT_2026:
            release = _release_from_preamble(lines[:30])
            if release is None:
                rep.row(None, "no 'Data generated' date in the preamble; release taken from the data")
        if release is None:
            years = [y for d in deals for y in d.delivery_years] or [
                d.order_year for d in deals if d.order_year is not None
            ]
            release = f"{min(years)}-{max(years)}" if years else "unknown"
    return release, deals, rep.finish()


# ---------------------------------------------------------------------------------------------
# RDF


def _dec_lit(d: Decimal) -> Literal:
    # canonical lexical form ('0.9', '100'), which stores keep unchanged
    return _dec_text_lit(format(d.normalize(), "f"))


@lru_cache(maxsize=65536)
def _dec_text_lit(text: str) -> Literal:
    return Literal(text, datatype=XSD.decimal)


@lru_cache(maxsize=65536)
def _str_lit(text: str) -> Literal:
    return Literal(text)


_TRUE = Literal(True)
_FALSE = Literal(False)


def _bool_lit(b: bool) -> Literal:
    return _TRUE if b else _FALSE


def _party_iri(code_or_name: str | None, kind: PartyKind) -> URIRef | None:
    if code_or_name is None or kind is PartyKind.unknown:
        return None
    if kind is PartyKind.state:
        return state(code_or_name)
    return organization(code_or_name)


#: every arms: term this loader writes (the ontology must declare them).
ARMS_TERMS: tuple[str, ...] = (
    "Delivery",
    "Organization",
    "RegisterDeal",
    "category",
    "comment",
    "dealId",
    "delivery",
    "deliveryYear",
    "deliveryYearEstimated",
    "description",
    "designation",
    "localProduction",
    "orderYear",
    "orderYearEstimated",
    "quantity",
    "quantityDelivered",
    "quantityDeliveredEstimated",
    "quantityEstimated",
    "quantityOrdered",
    "quantityOrderedEstimated",
    "recipient",
    "recipientName",
    "sipriCategory",
    "supplier",
    "supplierName",
    "supplyCondition",
    "system",
    "tivDelivered",
    "tivOrder",
    "tivUnit",
    "tivUnitNew",
)
_A_Delivery = ARMS.Delivery
_A_Organization = ARMS.Organization
_A_RegisterDeal = ARMS.RegisterDeal
_A_category = ARMS.category
_A_comment = ARMS.comment
_A_dealId = ARMS.dealId
_A_delivery = ARMS.delivery
_A_deliveryYear = ARMS.deliveryYear
_A_deliveryYearEstimated = ARMS.deliveryYearEstimated
_A_description = ARMS.description
_A_designation = ARMS.designation
_A_localProduction = ARMS.localProduction
_A_orderYear = ARMS.orderYear
_A_orderYearEstimated = ARMS.orderYearEstimated
_A_quantity = ARMS.quantity
_A_quantityDelivered = ARMS.quantityDelivered
_A_quantityDeliveredEstimated = ARMS.quantityDeliveredEstimated
_A_quantityEstimated = ARMS.quantityEstimated
_A_quantityOrdered = ARMS.quantityOrdered
_A_quantityOrderedEstimated = ARMS.quantityOrderedEstimated
_A_sipriCategory = ARMS.sipriCategory
_A_supplyCondition = ARMS.supplyCondition
_A_system = ARMS.system
_A_tivDelivered = ARMS.tivDelivered
_A_tivOrder = ARMS.tivOrder
_A_tivUnit = ARMS.tivUnit
_A_tivUnitNew = ARMS.tivUnitNew
_ROLE = {
    "supplier": (ARMS.supplier, ARMS.supplierName),
    "recipient": (ARMS.recipient, ARMS.recipientName),
}
_TYPE, _LABEL, _DERIVED = RDF.type, RDFS.label, PROV.wasDerivedFrom


def register_triples(release: str, deals: Iterable[RegisterDeal]) -> Iterator[tuple[URIRef, URIRef, object]]:
    """Triples of one register import, for the named graph `sipri_graph(release)`.

    Deterministic IRIs only (no blank nodes): deals are `sipri_deal(release, deal_id)`, per-year
    deliveries `<deal>/delivery/<year>`, parties `state(code)` or `organization(name)`.
    """
    source = sipri_graph(release)
    orgs_done: set[URIRef] = set()
    systems: dict[str, URIRef] = {}
    for d in deals:
        s = sipri_deal(release, d.deal_id)
        yield s, _TYPE, _A_RegisterDeal
        yield s, _A_dealId, Literal(d.deal_id)
        yield s, _DERIVED, source
        for role, code, kind, name in (
            ("supplier", d.supplier, d.supplier_kind, d.supplier_name),
            ("recipient", d.recipient, d.recipient_kind, d.recipient_name),
        ):
            iri = _party_iri(code, kind)
            if iri is not None:
                yield s, _ROLE[role][0], iri
                if kind is not PartyKind.state and iri not in orgs_done:
                    orgs_done.add(iri)
                    yield iri, _TYPE, _A_Organization
                    yield iri, _LABEL, Literal(code)
            if name:
                yield s, _ROLE[role][1], _str_lit(name)
        if d.designation:
            sys_iri = systems.get(d.designation)
            if sys_iri is None:
                sys_iri = systems[d.designation] = system(resolve_system_slug(d.designation))
            yield s, _A_system, sys_iri
            yield s, _A_designation, _str_lit(d.designation)
        if d.description:
            yield s, _A_description, _str_lit(d.description)
        if d.sipri_category:
            yield s, _A_sipriCategory, _str_lit(d.sipri_category)
        if d.category:
            yield s, _A_category, category(d.category)
        if d.order_year is not None:
            yield s, _A_orderYear, integer_literal(d.order_year)
        if d.order_year_estimated is not None:
            yield s, _A_orderYearEstimated, _bool_lit(d.order_year_estimated)
        if d.number_ordered is not None:
            yield s, _A_quantityOrdered, integer_literal(d.number_ordered)
        if d.number_ordered_estimated is not None and d.number_ordered is not None:
            yield s, _A_quantityOrderedEstimated, _bool_lit(d.number_ordered_estimated)
        if d.number_delivered is not None:
            yield s, _A_quantityDelivered, integer_literal(d.number_delivered)
        if d.number_delivered_estimated is not None and d.number_delivered is not None:
            yield s, _A_quantityDeliveredEstimated, _bool_lit(d.number_delivered_estimated)
        for y in d.delivery_years:
            yield s, _A_deliveryYear, integer_literal(y)
        for dl in d.deliveries:
            node = delivery(s, dl.year)
            yield s, _A_delivery, node
            yield node, _TYPE, _A_Delivery
            yield node, _A_deliveryYear, integer_literal(dl.year)
            if dl.year_estimated is not None:
                yield node, _A_deliveryYearEstimated, _bool_lit(dl.year_estimated)
            if dl.quantity is not None:
                yield node, _A_quantity, integer_literal(dl.quantity)
                if dl.quantity_estimated is not None:
                    yield node, _A_quantityEstimated, _bool_lit(dl.quantity_estimated)
            if dl.tiv is not None:
                yield node, _A_tivDelivered, _dec_lit(dl.tiv)
        if d.status is not None:
            yield s, _A_supplyCondition, _str_lit(d.status.value)
        if d.comments:
            yield s, _A_comment, Literal(d.comments)
        if d.tiv_unit is not None:
            yield s, _A_tivUnit, _dec_lit(d.tiv_unit)
        if d.tiv_unit_new is not None:
            yield s, _A_tivUnitNew, _dec_lit(d.tiv_unit_new)
        if d.tiv_order is not None:
            yield s, _A_tivOrder, _dec_lit(d.tiv_order)
        if d.tiv_delivered is not None:
            yield s, _A_tivDelivered, _dec_lit(d.tiv_delivered)
        if d.local_production is not None:
            yield s, _A_localProduction, _bool_lit(d.local_production)


def main(argv: list[str] | None = None) -> int:
    """`python -m armskb.loaders.sipri FILE [--release R] [--out FILE.nt]`: read, report, dump."""
    import argparse
    import sys
    import time

    from rdflib import Graph

    ap = argparse.ArgumentParser(prog="python -m armskb.loaders.sipri")
    ap.add_argument("path", type=Path)
    ap.add_argument("--release", help="override the release key (default: from the file)")
    ap.add_argument("--out", type=Path, help="write the graph as N-Triples")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    release, deals, errors = read_register(args.path, args.release)
    dt = time.perf_counter() - t0
    for e in errors:
        print(f"warning: {e}", file=sys.stderr)
    print(f"{args.path}: release {release}, {len(deals)} deals, {len(errors)} warnings, {dt:.2f}s")
    if args.out:
        g = Graph()
        for t in register_triples(release, deals):
            g.add(t)
        args.out.write_text(g.serialize(format="nt"), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
