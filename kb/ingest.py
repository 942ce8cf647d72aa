"""Files into the store: walk the paths, let the reader registry read each file once, map what it
read to named graphs, and replace those graphs whole.

Every file is isolated: whatever goes wrong while reading or mapping it becomes a `Rejected` with
file, position and reason, and the rest of the batch still loads. Nothing stored is replaced
silently: a register export that ends mid-record, or that would shrink the stored graph of its
release by more than `SHRINK_TOLERANCE` of its deals, is refused unless the caller asks to replace; a document
identity seen twice in one batch is reported as a duplicate, never loaded twice.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from hashlib import sha256
from pathlib import Path

from pydantic import BaseModel
from rdflib import Literal, URIRef

from armskb import namespace as ns
from armskb.catalog import internal
from armskb.errors import SourceError, StoreError
from armskb.loaders.extract import ExtractionError, extract, language_warning
from armskb.loaders.readers import HEAD_BYTES, NotASource, Reading, reader_for, reader_names
from armskb.loaders.sipri import RegisterImport
from armskb.mapping.documents import document_graph
from armskb.mapping.register import register_triples
from armskb.namespace import ARMS
from armskb.progress import Meter, counted
from armskb.store import SelectResult, Store, Triple
from armskb.stores.oxigraph import is_store_dir

#: a register graph may lose this fraction of its deals on re-ingest before it is refused
SHRINK_TOLERANCE = 0.03


class Rejected(BaseModel):
    """A record or file that did not load, and where."""

    path: str
    line: int | None = None
    offset: int | None = None
    reason: str

    def __str__(self) -> str:
        where = self.path + (f":{self.line}" if self.line is not None else "")
        where += f" (offset {self.offset})" if self.offset is not None else ""
        return f"{where}: {self.reason}"


class Note(BaseModel):
    """Something repaired or mapped while reading (the record loaded): a warning, not a failure."""

    path: str
    line: int | None = None
    reason: str

    def __str__(self) -> str:
        return self.path + (f":{self.line}" if self.line is not None else "") + f": {self.reason}"


class Skipped(BaseModel):
    """A path not read, and why (store directories, dot-files, files no reader recognises)."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class Loaded(BaseModel):
    """What one file contributed."""

    path: str
    kind: str
    documents: int = 0
    claims: int = 0
    triples: int = 0


class IngestReport(BaseModel):
    """What an ingest loaded, rejected, skipped and noted."""

    loaded: list[Loaded] = []
    rejected: list[Rejected] = []
    skipped: list[Skipped] = []
    notes: list[Note] = []

    @property
    def ok(self) -> bool:
        return not self.rejected

    @property
    def claims(self) -> int:
        return sum(item.claims for item in self.loaded)

    @property
    def documents(self) -> int:
        return sum(item.documents for item in self.loaded)

    def records(self) -> Iterator[dict[str, object]]:
        """Every note, rejection and skipped path as a JSON-ready dict (for `--report FILE`)."""
        for kind, items in (("rejected", self.rejected), ("note", self.notes), ("skipped", self.skipped)):
            for item in items:
                yield {"kind": kind, **item.model_dump(exclude_none=True)}


def rejected(err: SourceError) -> Rejected:
    loc = err.location
    return Rejected(path=loc.path, line=loc.line, offset=loc.offset, reason=err.reason)


def _note(err: SourceError) -> Note:
    return Note(path=err.location.path, line=err.location.line, reason=err.reason)


# -- walking -------------------------------------------------------------------------------------


@dataclass
class Plan:
    """The files an ingest will read (named: given on the command line, not found in a folder),
    and the paths it already knows it will not read."""

    files: list[tuple[Path, bool]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)


def _kind_of(mode: int) -> str | None:
    """What a non-regular file is (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISDIR, "a directory")):
        if test(mode):
            return name
    return "not a regular file"


def plan(paths: Iterable[str | Path]) -> Plan:
    """Expand files and directories (sorted, each path once). In folders, dot-files, dot-folders
    and store directories are skipped; FIFOs, devices and sockets are refused anywhere."""
    out = Plan()
    seen: set[Path] = set()

    def add(p: Path, named: bool) -> None:
        try:
            mode = p.stat().st_mode
        except OSError as e:
            out.rejected.append(Rejected(path=str(p), reason=e.strerror or "cannot be read"))
            return
        kind = _kind_of(mode)
        if kind is not None:
            out.rejected.append(Rejected(path=str(p), reason=f"{kind}, not a regular file: refused"))
            return
        key = p.absolute()
        if key not in seen:
            seen.add(key)
            out.files.append((p, named))

    for p in map(Path, paths):
        if not p.exists() and not p.is_symlink():
            out.rejected.append(Rejected(path=str(p), reason="no such file or directory"))
        elif p.is_dir():
            if is_store_dir(p):
                out.skipped.append(Skipped(path=str(p), reason="an armskb store directory"))
                continue
            for root, dirs, files in os.walk(p):
                here = Path(root)
                for d in sorted(dirs):
                    if d.startswith("."):
                        out.skipped.append(Skipped(path=str(here / d), reason="hidden directory"))
                    elif is_store_dir(here / d):
                        out.skipped.append(Skipped(path=str(here / d), reason="an armskb store directory"))
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not is_store_dir(here / d))
                for f in sorted(files):
                    if f.startswith("."):
                        out.skipped.append(Skipped(path=str(here / f), reason="hidden file"))
                    else:
                        add(here / f, named=False)
        else:
            add(p, named=True)
    return out


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """The files an ingest of `paths` reads, in order."""
    return [p for p, _ in plan(paths).files]


# -- one file ------------------------------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing anything that turned out not to be a regular file (a FIFO
    swapped in after planning must not block the batch)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        kind = _kind_of(os.fstat(fd).st_mode)
        if kind is not None:
            raise SourceError(str(path), f"{kind}, not a regular file: refused")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read()
    finally:
        os.close(fd)


def _register_triples(reg: RegisterImport, digest: str, meter: Meter | None, label: str) -> Iterator[Triple]:
    """The triples of one register import (streamed, for the store's bulk path), then the
    export's content hash on the graph itself."""
    advance = meter.task(f"{label}: register deals", len(reg.deals)) if meter else None
    yield from register_triples(reg.release, counted(reg.deals, advance))
    yield ns.sipri_graph(reg.release), ARMS.contentHash, Literal(digest)


def _stored_deals(store: Store, graph: URIRef) -> int:
    res = store.query(internal("count-deals-in-graph"), {"g": graph, "c": ARMS.RegisterDeal})
    assert isinstance(res, SelectResult)
    return int(res.rows[0]["n"])  # type: ignore[arg-type]


class _Batch:
    """State shared by the files of one ingest: the store, options, identities seen, the report."""

    def __init__(self, store: Store, replace: bool, meter: Meter | None) -> None:
        self.store = store
        self.replace = replace
        self.meter = meter
        self.report = IngestReport()
        self.seen: dict[str, str] = {}  # document identity -> where it was first read

    def reject(self, path: Path, reason: str, line: int | None = None) -> None:
        self.report.rejected.append(Rejected(path=str(path), line=line, reason=reason))

    def file(self, path: Path, named: bool) -> None:
        """Read, map and store one file; every failure is recorded, none escapes."""
        try:
            data = _read_bytes(path)
        except SourceError as e:
            self.report.rejected.append(rejected(e))
            return
        except OSError as e:
            self.reject(path, f"cannot read: {e.strerror or e}")
            return
        try:
            reader = reader_for(path, data[:HEAD_BYTES])
        except Exception as e:  # noqa: BLE001 - a sniffer choking on a head is this file's problem
            self.reject(path, f"cannot tell the format: {type(e).__name__}: {e}")
            return
        if reader is None:
            why = "binary file" if b"\x00" in data[:HEAD_BYTES] else "no reader recognises this file"
            why += f" (readers: {', '.join(reader_names())})"
            if named:
                self.reject(path, why)
            else:
                self.report.skipped.append(Skipped(path=str(path), reason=why))
            return
        try:
            reading = reader.read(path, data)
        except NotASource as e:
            if named:
                self.reject(path, e.reason)
            else:
                self.report.skipped.append(Skipped(path=str(path), reason=e.reason))
            return
        except SourceError as e:
            self.report.rejected.append(rejected(e))
            return
        except Exception as e:  # noqa: BLE001 - any failure of one file must not stop the batch
            self.reject(path, f"cannot read as {reader.name}: {type(e).__name__}: {e}")
            return
        reg = reading.register
        refused_whole = reg is not None and reg.truncated_at is not None and not self.replace
        # a file refused whole for its cut-off end reports that once, not also its last record
        self.report.rejected += [rejected(e) for e in reading.rejected
                                 if not (refused_whole and reg and e.location.line == reg.truncated_at)]
        self.report.notes += [_note(e) for e in reading.notes]
        try:
            if reading.register is not None:
                self._register(path, reading.register, sha256(data).hexdigest())
            else:
                self._documents(path, reading)
        except SourceError as e:
            self.report.rejected.append(rejected(e))
        except Exception as e:  # noqa: BLE001 - as above: mapping or storing one file failed
            self.reject(path, f"not stored ({reader.name}): {type(e).__name__}: {e}")

    def _register(self, path: Path, reg: RegisterImport, digest: str) -> None:
        if reg.truncated_at is not None and not self.replace:
            self.reject(path, "the file ends mid-record (a truncated export?): nothing stored; "
                              "pass --replace to load its complete records", line=reg.truncated_at)
            return
        graph = ns.sipri_graph(reg.release)
        before = _stored_deals(self.store, graph) if graph in self.store.graphs() else 0
        after = len(reg.deals)
        if before and not self.replace and after < before * (1 - SHRINK_TOLERANCE):
            self.reject(path, f"would shrink the stored register graph {graph} from {before:,} to {after:,} "
                              f"deals ({1 - after / before:.0%} fewer): nothing stored; pass --replace "
                              "to replace it")
            return
        triples = 0

        def wrote(n: int) -> None:
            nonlocal triples
            triples += n

        # a large graph: the store's bulk path (Oxigraph's bulk loader for a new graph)
        self.store.write_graph(graph, _register_triples(reg, digest, self.meter, path.name), wrote)
        if before and after != before:
            self.report.notes.append(Note(path=str(path), reason=f"replaced register graph {graph}: "
                                                                f"{before:,} -> {after:,} deals"))
        self.report.loaded.append(Loaded(path=str(path), kind="sipri", documents=1, triples=triples))

    def _documents(self, path: Path, reading: Reading) -> None:
        graphs: dict[URIRef, list[Triple]] = {}
        added: list[str] = []
        n_claims = 0
        for item in reading.items:
            doc = item.document
            where = str(path) + (f":{item.line}" if item.line is not None else "")
            identity = doc.identity
            first = self.seen.get(identity)
            if first is not None:
                self.reject(path, f"duplicate document: same identity ({identity}) as {first}; "
                                  "not loaded twice", line=item.line)
                continue
            try:
                found = item.claims if item.claims is not None else extract(doc, warn=False)  # the note below reports it
                graph = list(document_graph(doc, found))
            except ExtractionError as e:
                self.reject(path, str(e), line=item.line)
                continue
            except Exception as e:  # noqa: BLE001 - one bad record must not stop its file
                self.reject(path, f"cannot map: {type(e).__name__}: {e}", line=item.line)
                continue
            self.seen[identity] = where
            added.append(identity)
            if item.claims is None and (warning := language_warning(doc)):
                self.report.notes.append(Note(path=str(path), line=item.line, reason=warning))
            graphs[ns.document_graph(doc.key)] = graph
            n_claims += len(found)
        if not graphs:
            if not reading.items:
                self.report.skipped.append(Skipped(path=str(path), reason=f"no records ({reading.kind})"))
            return
        try:
            self.store.write_graphs(graphs)  # a big claims file: the bulk path for its new graphs
        except StoreError:
            for identity in added:  # not stored: a later file with these identities may load
                del self.seen[identity]
            raise
        self.report.loaded.append(Loaded(path=str(path), kind=reading.kind, documents=len(graphs),
                                         claims=n_claims, triples=sum(len(g) for g in graphs.values())))


def ingest_paths(
    store: Store,
    paths: Iterable[str | Path] | Plan,
    *,
    replace: bool = False,
    progress: Callable[[Path], None] | None = None,
    meter: Meter | None = None,
) -> IngestReport:
    """Load files and directories into `store`; see the module docstring for the guarantees.
    `progress` is called after each file; `meter` shows the progress inside a long file."""
    todo = paths if isinstance(paths, Plan) else plan(paths)
    batch = _Batch(store, replace, meter)
    batch.report.rejected += todo.rejected
    batch.report.skipped += todo.skipped
    for path, named in todo.files:
        batch.file(path, named)
        if progress:
            progress(path)
    return batch.report
