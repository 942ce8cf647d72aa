"""Readers: one per source format, chosen by what a file's head says.

Every reader follows the `Reader` protocol: `sniff(path, head)` looks at the first bytes of the file
(read once by the caller) and says whether the format is its own; `read(path, data)` parses the
whole file (read once, by the caller) into ONE shape, a `Reading`: documents with their claims
(or `None` where claims are still to be extracted), a SIPRI register import, records rejected,
and notes (repairs that still loaded). `READERS` is the registry, most specific first; `reader_for`
picks the first that recognises a file. Readers raise `SourceError` for a file they recognise but
cannot load; `NotASource` for a file that is a known format armskb does not ingest (RDF dumps,
SIPRI's aggregate TIV tables), with what to use instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from armskb.errors import SourceError
from armskb.loaders import claims as claims_loader
from armskb.loaders import sipri
from armskb.loaders.documents import decode_text, looks_html, looks_jsonl, parse_html, parse_jsonl, parse_text
from armskb.models import Claim, Document

#: bytes of a file's head that sniffing sees
HEAD_BYTES = 65536

TEXT_SUFFIXES = frozenset({"", ".txt", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
RDF_SUFFIXES = frozenset({".trig", ".nq", ".nquads", ".ttl", ".nt", ".jsonld", ".rdf", ".owl", ".n3"})


class NotASource(Exception):
    """A file in a format armskb recognises but does not ingest; the message says what to do."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


@dataclass
class Item:
    """One document of a file, where it starts, and its claims (None: extract them)."""

    document: Document
    claims: list[Claim] | None = None
    line: int | None = None


@dataclass
class Reading:
    """What a reader made of one file (the one shape every reader returns)."""

    kind: str
    items: list[Item] = field(default_factory=list)
    register: sipri.RegisterImport | None = None
    rejected: list[SourceError] = field(default_factory=list)
    notes: list[SourceError] = field(default_factory=list)


class Reader(Protocol):
    """A source format: recognise it from a file's head, then read the whole file once."""

    name: str

    def sniff(self, path: Path, head: bytes) -> bool: ...

    def read(self, path: Path, data: bytes) -> Reading: ...


def _head_text(head: bytes) -> str:
    return head.decode("utf-8-sig", errors="replace")


def _text(path: Path, data: bytes) -> str:
    raw, err = decode_text(path, data)
    if err is not None:
        raise err
    return raw


class RdfDumpReader:
    """RDF files (a dump of a store, an ontology): never read as articles."""

    name = "rdf"

    def sniff(self, path: Path, head: bytes) -> bool:
        return path.suffix.lower() in RDF_SUFFIXES

    def read(self, path: Path, data: bytes) -> Reading:
        raise NotASource(str(path), "an RDF file, not a source: load a dump with `armskb restore FILE`")


class SipriTivTableReader:
    """SIPRI's TIV table export (TIV by recipient or supplier and year): refused, because it is an
    aggregate of the register that armskb computes itself, and storing both would count twice."""

    name = "sipri-tiv-table"

    def sniff(self, path: Path, head: bytes) -> bool:
        text = _head_text(head[:4096]).lower()
        return "tiv of arms" in text and "trend indicator value" in text

    def read(self, path: Path, data: bytes) -> Reading:
        raise NotASource(
            str(path),
            "a SIPRI TIV table (yearly TIV totals aggregated from the register), not a register of "
            "deals: ingest the SIPRI trade-register export instead; armskb computes these tables "
            "from it (named queries of `armskb queries`)",
        )


class SipriRegisterReader:
    """SIPRI Arms Transfers Database register exports (2024 per-deal, 2026 per-delivery-year)."""

    name = "sipri"

    def sniff(self, path: Path, head: bytes) -> bool:
        return sipri.sniff(path, _head_text(head))

    def read(self, path: Path, data: bytes) -> Reading:
        reg = sipri.read_register_text(path, _text(path, data))
        return Reading(kind=self.name, register=reg, rejected=list(reg.rejected), notes=list(reg.notes))


class ClaimsReader:
    """Structured claims (JSON Lines or CSV records of FORMAT.md)."""

    name = "claims"

    def sniff(self, path: Path, head: bytes) -> bool:
        return claims_loader.sniff(path, _head_text(head))

    def read(self, path: Path, data: bytes) -> Reading:
        parsed = claims_loader.parse_claims(path, _text(path, data))
        return Reading(
            kind=self.name,
            items=[Item(doc, cl, line) for doc, cl, line in parsed.located],
            rejected=list(parsed.errors),
        )


class HtmlReader:
    """An HTML page (trafilatura: main text, then comments)."""

    name = "html"

    def sniff(self, path: Path, head: bytes) -> bool:
        suffix = path.suffix.lower()
        return suffix in HTML_SUFFIXES or (suffix in TEXT_SUFFIXES and looks_html(_head_text(head)))

    def read(self, path: Path, data: bytes) -> Reading:
        doc = parse_html(_text(path, data), path.stem if path.suffix else path.name, str(path))
        return Reading(kind="article", items=[Item(doc)])


class JsonlArticlesReader:
    """Articles as JSON Lines (`url, title, published, language, text` per line)."""

    name = "jsonl"

    def sniff(self, path: Path, head: bytes) -> bool:
        suffix = path.suffix.lower()
        if suffix in (".jsonl", ".ndjson"):
            return True
        # a .json or text file only when it starts with an article record (not any JSON file)
        text = _head_text(head)
        return (suffix == ".json" or suffix in TEXT_SUFFIXES) and looks_jsonl(text) and '"text"' in text

    def read(self, path: Path, data: bytes) -> Reading:
        stem = path.stem if path.suffix else path.name
        located, errors = parse_jsonl(_text(path, data), stem, str(path))
        return Reading(kind="article", items=[Item(doc, None, line) for doc, line in located], rejected=errors)


class TextReader:
    """A plain-text article (header, seed or bare style)."""

    name = "text"

    def sniff(self, path: Path, head: bytes) -> bool:
        return path.suffix.lower() in TEXT_SUFFIXES

    def read(self, path: Path, data: bytes) -> Reading:
        doc = parse_text(_text(path, data), path.stem if path.suffix else path.name, str(path))
        return Reading(kind="article", items=[Item(doc)])


#: the registry, most specific first (content-sniffed formats before suffix-based ones)
READERS: tuple[Reader, ...] = (
    RdfDumpReader(),
    SipriTivTableReader(),
    SipriRegisterReader(),
    ClaimsReader(),
    HtmlReader(),
    JsonlArticlesReader(),
    TextReader(),
)


def reader_for(path: Path, head: bytes) -> Reader | None:
    """The first reader of the registry that recognises the file; None when none does (binary
    files, Markdown, spreadsheets, unrelated CSV, ...)."""
    if b"\x00" in head:
        return None
    for reader in READERS:
        if reader.sniff(path, head):
            return reader
    return None


def reader_names() -> list[str]:
    return [r.name for r in READERS]


__all__ = ["HEAD_BYTES", "READERS", "Item", "NotASource", "Reader", "Reading", "reader_for"]
