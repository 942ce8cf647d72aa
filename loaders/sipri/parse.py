"""Parsers of the two SIPRI register export layouts (see the package docstring)."""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path

from armskb.errors import SourceError
from armskb.loaders.sipri.models import CONDITIONS, Delivery, RegisterDeal, RegisterImport, SupplyCondition
from armskb.loaders.sipri.names import categories, party
from armskb.namespace import slug

FORMAT_2024 = "sipri-2024"
FORMAT_2026 = "sipri-2026"

HEADER_2024 = ["Recipient", "Supplier", "Year of order", " ", "Number ordered", " "]
HEADER_2026 = "SIPRI AT Database ID,Supplier,"
_COLS_2024 = 16
_RELEASE_RE = re.compile(r"Data generated:\s*(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{4})")
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_EXCEL_NUM_RE = re.compile(r"^(\d)\.(\d+)E\+(\d+)$", re.IGNORECASE)


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


class _Reporter:
    """Collects problems; name-level ones are reported once per name with a row count."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.errors: list[SourceError] = []
        self.rejected: list[SourceError] = []
        self.truncated_at: int | None = None
        self._once: dict[tuple[str, str], list] = {}

    def row(self, line: int | None, reason: str) -> None:
        """A note: something repaired or read with a loss; the record still loads."""
        self.errors.append(SourceError(self.path, reason, line=line))

    def reject(self, line: int | None, reason: str) -> None:
        """A record (or a row of one) that does not load."""
        self.rejected.append(SourceError(self.path, reason, line=line))

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
    cond = CONDITIONS.get(t)
    if cond is None:
        rep.row(line, f"status: unknown value {text.strip()!r}; left empty")
    return cond


def _release_from_preamble(lines: Iterable[str]) -> str | None:
    for ln in lines:
        m = _RELEASE_RE.search(ln)
        if m:
            day, mon, year = m.groups()
            month = _MONTHS.get(mon.lower()[:3])
            if month:
                return f"{int(year):04d}-{month:02d}-{int(day):02d}"
    return None


def _split_lines(text: str) -> list[str]:
    # only CR/LF end a line (str.splitlines would also split on U+2028, VT, FS, ... in comments)
    lines = re.split(r"\r\n|\r|\n", text.lstrip("\ufeff"))
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _rows_2024(path: Path, lines: list[str], rep: _Reporter) -> Iterator[tuple[int, list[str]]]:
    """(first physical line, 16 fields) per record; records broken over two lines are joined."""
    pending: tuple[int, list[str]] | None = None
    short = False
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
                short = False
                continue
        if pending is not None:
            yield pending
        short = len(fields) < _COLS_2024
        if len(fields) != _COLS_2024:
            rep.row(lineno, f"expected {_COLS_2024} fields, got {len(fields)}; padded/truncated")
            fields = (fields + [""] * _COLS_2024)[:_COLS_2024]
        pending = (lineno, fields)
    if pending is not None:
        if short:
            # the file ends inside a record (a cut download): the partial record is not loaded
            rep.truncated_at = pending[0]
            rep.reject(pending[0], f"the file ends mid-record (line {pending[0]} has fewer than "
                                   f"{_COLS_2024} fields): truncated export? record not loaded")
            return
        yield pending


class _CsvError(Exception):
    """The csv module gave up (a field over its size limit, ...) at a physical line."""

    def __init__(self, line: int, reason: str) -> None:
        self.line = line
        self.reason = reason
        super().__init__(f"line {line}: {reason}")


def _csv_lines(lines: list[str], start: int) -> Iterator[tuple[int, list[str]]]:
    """Parse physical lines (numbered from `start`) as CSV, keeping quoted line breaks together."""
    reader = csv.reader(lines)
    consumed = 0
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            raise _CsvError(start + consumed, str(e)) from None
        yield start + consumed, fields
        consumed = reader.line_num


def _read_2024(path: Path, lines: list[str], rep: _Reporter) -> list[RegisterDeal]:
    deals: list[RegisterDeal] = []
    used: set[str] = set()
    seen: Counter[str] = Counter()
    for line, f in _rows_2024(path, lines[1:], rep):
        (recipient, supplier, order_year, oy_flag, n_ord, n_ord_flag, designation, description,
         n_del, n_del_flag, years, status, comments, tiv_unit, tiv_order, tiv_del) = f
        sup, sup_kind = party(supplier, "supplier", rep, line)
        rec, rec_kind = party(recipient, "recipient", rep, line)
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
        sipri_cat, cat = categories(description.strip() or None, None)
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
    last = max((i for i, ln in enumerate(lines) if ln.strip()), default=start)
    if last > start and not lines[last].endswith(";"):
        # every line of this export ends in ';': a last line without it was cut off
        rep.truncated_at = last + 1
    groups: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for lineno, fields in parsed[1:]:
        if not any(f.strip() for f in fields):
            continue
        if rep.truncated_at is not None and lineno >= rep.truncated_at:
            rep.reject(lineno, "the file ends mid-record (the last line lacks the closing ';'): "
                               "truncated export? row not loaded")
            continue
        if len(fields) != width:
            rep.row(lineno, f"expected {width} fields, got {len(fields)}; padded/truncated")
            fields = (fields + [""] * width)[:width]
        row = dict(zip(header, fields))
        did = row.get("SIPRI AT Database ID", "").strip()
        if not did:
            rep.reject(lineno, "no SIPRI AT Database ID; row not loaded")
            continue
        groups.setdefault(did, []).append((lineno, row))
    deals: list[RegisterDeal] = []
    for did, rows in groups.items():
        line, first = rows[0]
        for ln, r in rows[1:]:
            diff = [k for k in _DEAL_FIELDS_2026 if r.get(k, "").strip() != first.get(k, "").strip()]
            if diff:
                rep.row(ln, f"deal {did}: {', '.join(diff)} differ from line {line}; first row kept")
        sup, sup_kind = party(first["Supplier"], "supplier", rep, line)
        rec, rec_kind = party(first["Recipient"], "recipient", rep, line)
        designation = first["Designation"]
        desig = clean_designation(designation)
        if desig != designation.strip():
            rep.row(line, f"designation {designation!r} mangled by Excel into a number; read as {desig!r}")
        description = first["Description"].strip() or None
        sipri_cat, cat = categories(description, first["Armament category"].strip() or None)
        deliveries: dict[int, Delivery] = {}
        for ln, r in rows:
            year = _int(r["Delivery year"], rep, ln, "Delivery year")
            if year is None:
                rep.reject(ln, f"deal {did}: row without a delivery year; not loaded")
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


def read_register_text(path: str | Path, text: str, release: str | None = None) -> RegisterImport:
    """Parse the text of a SIPRI register export (see `read_register`)."""
    path = Path(path)
    lines = _split_lines(text)
    fmt = _format_of("\n".join(lines[:30]))
    if fmt is None:
        raise SourceError(str(path), "not a SIPRI register export (neither the 2024 nor the 2026 layout)", line=1)
    rep = _Reporter(str(path))
    try:
        deals = _read_2024(path, lines, rep) if fmt == FORMAT_2024 else _read_2026(path, lines, rep)
    except _CsvError as e:
        raise SourceError(str(path), f"unreadable CSV record: {e.reason}; nothing stored", line=e.line) from None
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
    rep.rejected.sort(key=lambda e: (e.location.line or 0, e.reason))
    return RegisterImport(release=release, source_format=fmt, deals=deals, notes=rep.finish(),
                          rejected=rep.rejected, truncated_at=rep.truncated_at)


def read_register(
    path: str | Path, release: str | None = None
) -> tuple[str, list[RegisterDeal], list[SourceError]]:
    """Read a SIPRI register export: (release, deals in file order, problems found).

    The release is the preamble's 'Data generated' date (``2026-02-12``) or, for exports without
    a preamble, the year range of the delivery years (else order years) in the data
    (``1950-2023``); `release` overrides both. Raises `SourceError` only when the file cannot be
    read or is not a SIPRI register export.
    """
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise SourceError(str(path), f"cannot read SIPRI export: {e}") from e
    reg = read_register_text(path, text, release)
    problems = sorted(reg.notes + reg.rejected, key=lambda e: (e.location.line or 0, e.reason))
    return reg.release, reg.deals, problems
