"""Embedded backend: pyoxigraph on disk (transactional) or in memory."""

from __future__ import annotations

import errno
import fcntl
import io
import itertools
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sized
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier, Node

from armskb.bind import bind, names_dataset
from armskb.catalog import internal
from armskb.errors import StoreError, StoreOpenError
from armskb.store import Quad, QueryResult, SelectResult, Store, Triple

#: version of the on-disk layout (graph names, IRIs, literal forms) this code reads and writes
LAYOUT_VERSION = 1
#: the file in a store directory that says it is an armskb store, and of which layout
MARKER = "armskb-store.json"
#: the advisory lock armskb processes take (exclusive to write, shared to read) and its holder
LOCK_FILE = "armskb.lock"
_ROCKSDB_FILES = ("CURRENT", "IDENTITY")


def is_store_dir(path: Path) -> bool:
    """True for a directory holding an armskb (or bare Oxigraph/RocksDB) store."""
    return (path / MARKER).is_file() or all((path / f).is_file() for f in _ROCKSDB_FILES)


def _check_layout(path: Path, create: bool) -> bool:
    """Refuse what is not a store of this layout (one-line messages); True when the marker must
    be written (a new store, or a store made before stores recorded their layout)."""
    if not path.exists():
        if not create:
            raise StoreOpenError(f"no store at {path} (`armskb ingest`, `armskb load` or `armskb restore` create one)")
        return True
    if not path.is_dir():
        raise StoreOpenError(f"{path} is a file, not a store directory")
    marker = path / MARKER
    if marker.is_file():
        try:
            layout = json.loads(marker.read_text(encoding="utf-8")).get("layout")
        except (OSError, ValueError, AttributeError) as e:
            raise StoreOpenError(f"{marker}: unreadable store marker ({e})") from None
        if layout != LAYOUT_VERSION:
            raise StoreOpenError(
                f"the store at {path} has layout version {layout}; this armskb reads version "
                f"{LAYOUT_VERSION}: dump it with the armskb that wrote it and `armskb restore` the dump"
            )
        return False
    if all((path / f).is_file() for f in _ROCKSDB_FILES):
        return True  # a store from before layout markers (version 1)
    if any(path.iterdir()):
        raise StoreOpenError(f"{path} is not an armskb store (no {MARKER}): give an empty or new directory")
    if not create:
        raise StoreOpenError(f"no store at {path} (`armskb ingest`, `armskb load` or `armskb restore` create one)")
    return True


class _Lock:
    """An advisory lock on the store directory: exclusive for the writer (its pid recorded in the
    file), shared for read-only openers, so a read-only store never sees a writer at work."""

    def __init__(self, path: Path, exclusive: bool) -> None:
        self.file = path / LOCK_FILE
        self._fd = os.open(self.file, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except OSError as e:
            if e.errno not in (errno.EAGAIN, errno.EACCES):
                os.close(self._fd)
                raise StoreOpenError(f"cannot lock the store {path}: {e.strerror}") from None
            by_writer = not exclusive or not self._shared_free()
            holder = self.holder() if by_writer else None
            os.close(self._fd)
            who = (f"open for writing in process {holder}" if holder else "open for writing in another process") \
                if by_writer else "open read-only in another process"
            raise StoreOpenError(
                f"the store {path} is {who}: wait for it or stop it; to share a store, serve it "
                f"(`armskb serve --store {path}`, then --endpoint URL) or open it read-only beside "
                "other readers when no writer holds it (KnowledgeBase.open(path, read_only=True))"
            ) from None
        if exclusive:
            os.ftruncate(self._fd, 0)
            os.write(self._fd, str(os.getpid()).encode())

    def _shared_free(self) -> bool:
        """Whether a shared lock is free (then the holders are readers, not a writer)."""
        try:
            fcntl.flock(self._fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            return False
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        return True

    def holder(self) -> str | None:
        """Pid recorded by the last writer, if the file names one."""
        try:
            text = self.file.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        return text if text.isdigit() else None

    def release(self) -> None:
        if self._fd >= 0:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = -1



@lru_cache(maxsize=262144)
def _named(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


@lru_cache(maxsize=262144)
def _uriref(iri: str) -> URIRef:
    return URIRef(iri)


def _has_blank_nodes(quads: Iterable[ox.Quad]) -> bool:
    return any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in quads)


def _data_update(verb: str, quads: Iterable[ox.Quad]) -> str:
    """`INSERT DATA` / `DELETE DATA` of quads grouped by graph, terms in N-Triples syntax
    (empty string when there are none)."""
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        by_graph.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
    body = " ".join(f"GRAPH {g} {{ {' '.join(lines)} }}" for g, lines in sorted(by_graph.items()))
    return f"{verb} DATA {{ {body} }}" if body else ""


#: the file in an on-disk store naming the graphs a bulk load is writing (removed when it finished)
BULK_JOURNAL = "armskb-bulk-journal.json"
_PROGRESS_EVERY = 20_000
#: fewer new triples than this go in one transaction instead of the bulk loader
BULK_MIN = 20_000


class _LineStream(io.RawIOBase):
    """A readable byte stream over an iterator of encoded lines, so Oxigraph's bulk loader parses
    N-Quads as they are produced instead of from one big string."""

    def __init__(self, lines: Iterator[bytes]) -> None:
        self._lines = lines
        self._buf = b""

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        while len(self._buf) < len(b):
            chunk = b"".join(itertools.islice(self._lines, 2_000))
            if not chunk:
                break
            self._buf += chunk
        n = min(len(b), len(self._buf))
        b[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n


def nquads_lines(
    graphs: Mapping[URIRef, Iterable[Triple]], progress: Callable[[int], None] | None = None
) -> Iterator[bytes]:
    """rdflib triples of named graphs as N-Quads lines. IRIs are written as they are (Oxigraph's
    parser validates them when the lines are loaded); literal forms come from Oxigraph's own
    serialiser, cached because registers repeat the same few thousand values."""
    literals: dict[Node, str] = {}

    def term(t: Node) -> str:
        if type(t) is URIRef:
            return f"<{t}>"
        text = literals.get(t)
        if text is None:
            text = literals[t] = str(to_ox(t))
        return text

    n = 0
    for name, triples in graphs.items():
        g = f"<{name}>"
        for s, p, o in triples:
            yield f"{term(s)} {term(p)} {term(o)} {g} .\n".encode()
            n += 1
            if progress is not None and n % _PROGRESS_EVERY == 0:
                progress(_PROGRESS_EVERY)
    if progress is not None:
        progress(n % _PROGRESS_EVERY)


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """rdflib term -> pyoxigraph term (IRIs cached: stores repeat the same few IRIs)."""
    if isinstance(term, URIRef):
        return _named(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot store {term!r}")


def from_ox(term: object) -> Identifier:
    """pyoxigraph term -> rdflib term."""
    if isinstance(term, ox.NamedNode):
        return _uriref(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(dt))
    raise TypeError(f"unexpected term {term!r}")


class OxigraphStore(Store):
    """The embedded default store. `path=None` keeps everything in memory.

    On disk, the directory records its layout version (`MARKER`) and an advisory lock: one
    writer, or any number of read-only openers (`read_only=True`, Oxigraph's `Store.read_only`,
    which its documentation calls undefined while another process writes: the shared lock rules
    that out among armskb processes). `create=False` refuses a path where no store is."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False, create: bool = True) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        self._lock: _Lock | None = None
        if self.path is None:
            self._handle: ox.Store | None = ox.Store()
            return
        fresh = _check_layout(self.path, create and not read_only)
        if read_only and fresh and not is_store_dir(self.path):
            raise StoreOpenError(f"no store at {self.path}")
        self.path.mkdir(parents=True, exist_ok=True)
        self._lock = _Lock(self.path, exclusive=not read_only)
        try:
            self._handle = ox.Store.read_only(str(self.path)) if read_only else ox.Store(str(self.path))
        except OSError as e:
            self._lock.release()
            first = str(e).splitlines()[0] if str(e) else type(e).__name__
            if "lock" in first.lower():
                first = "held by another program (an Oxigraph server?): " + first
            raise StoreOpenError(f"cannot open the store at {self.path}: {first}") from None
        if fresh and not read_only:
            (self.path / MARKER).write_text(
                json.dumps({"layout": LAYOUT_VERSION, "engine": f"pyoxigraph {ox.__version__}"}) + "\n",
                encoding="utf-8",
            )
        if not read_only:
            self._finish_interrupted_bulk_load()

    @property
    def writable(self) -> bool:
        return not self.read_only

    @property
    def _db(self) -> ox.Store:
        if self._handle is None:
            raise StoreError(f"the store {self.path or '(memory)'} is closed")
        return self._handle

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph store (for the rdflib view and bulk loads)."""
        return self._db

    def replace_graphs(self, graphs: Mapping[URIRef, Iterable[Triple]]) -> None:
        """Replace graphs in ONE SPARQL update (one Oxigraph transaction) that applies only the
        difference between old and new content. Deletes are what is slow in a transaction on
        disk, so re-ingest and re-reconcile stay cheap when little changed. Graphs with blank
        nodes (the ontology) are dropped and inserted whole; when there is nothing to remove the
        new quads go in with one `extend` transaction."""
        ops: list[str] = []
        additions: list[ox.Quad] = []
        try:
            for name, triples in graphs.items():
                node = _named(str(name))
                new = {
                    ox.Quad(to_ox(s), to_ox(p), to_ox(o), node)  # type: ignore[arg-type]
                    for s, p, o in triples
                }
                old = (
                    set(self._db.quads_for_pattern(None, None, None, node))
                    if self._db.contains_named_graph(node)
                    else set()
                )
                if not old:
                    additions += new
                elif _has_blank_nodes(old) or _has_blank_nodes(new):
                    ops += [f"DROP SILENT GRAPH {node}", _data_update("INSERT", new)]
                else:
                    ops += [_data_update("DELETE", old - new), _data_update("INSERT", new - old)]
            if not ops:
                self._db.extend(additions)
                return
            ops.append(_data_update("INSERT", additions))
            self._db.update(" ;\n".join(op for op in ops if op))
        except (OSError, SyntaxError) as e:
            raise StoreError(f"graph replacement failed, store unchanged: {e}") from e

    # -- bulk path -------------------------------------------------------------------------------
    def add_new_graphs(
        self, graphs: Mapping[URIRef, Iterable[Triple]], progress: Callable[[int], None] | None = None
    ) -> None:
        """Write graphs that are NOT in the store yet through Oxigraph's bulk loader (tens of times
        faster than a transaction, and it keeps memory flat: the triples stream through).

        The bulk loader is not one transaction, so the load is journalled: the graph names are
        written to `BULK_JOURNAL` in the store directory first and the journal is removed once the
        data is flushed. A load that fails drops what it wrote; a process killed mid-load leaves the
        journal, and the next open of the store drops those half-written graphs. Either way the
        store is as before the load (the graphs were new, so nothing old is touched). `progress`
        is called with the number of quads written since its last call."""
        present = [str(g) for g in graphs if self._db.contains_named_graph(_named(str(g)))]
        if present:
            raise StoreError(f"bulk load is for new graphs only; already in the store: {', '.join(present)}")
        self._bulk(
            [str(g) for g in graphs],
            lambda: self._db.bulk_load(
                io.BufferedReader(_LineStream(nquads_lines(graphs, progress)), 1 << 20), ox.RdfFormat.N_QUADS
            ),
        )

    def write_graphs(
        self, graphs: Mapping[URIRef, Iterable[Triple]], progress: Callable[[int], None] | None = None
    ) -> None:
        """New graphs go through the bulk loader (unless they hold fewer than `BULK_MIN` triples
        in all, where a transaction is cheaper than new files); existing ones are replaced in one
        transaction that applies the difference (all-or-nothing)."""
        new = {g: t for g, t in graphs.items() if not self._db.contains_named_graph(_named(str(g)))}
        rest = {g: t for g, t in graphs.items() if g not in new}
        sized = all(isinstance(t, Sized) for t in new.values())
        if new and (not sized or sum(len(t) for t in new.values()) >= BULK_MIN):  # type: ignore[arg-type]
            self.add_new_graphs(new, progress)
        else:
            rest.update(new)
        if rest:
            super().write_graphs(rest, progress)

    def bulk_load_nquads(self, path: Path, graphs: Iterable[URIRef]) -> None:
        """Bulk-load an N-Quads file whose quads all belong to `graphs`, none of which may be in
        the store yet (checked); journalled like `add_new_graphs`."""
        names = [str(g) for g in graphs]
        present = [g for g in names if self._db.contains_named_graph(_named(g))]
        if present:
            raise StoreError(f"bulk load is for new graphs only; already in the store: {', '.join(present)}")
        self._bulk(names, lambda: self._db.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS))

    def _journal(self) -> Path | None:
        return self.path / BULK_JOURNAL if self.path is not None else None

    def _bulk(self, graphs: list[str], load: Callable[[], None]) -> None:
        journal = self._journal()
        if journal is not None:
            tmp = journal.with_name(journal.name + ".part")
            tmp.write_text(json.dumps({"graphs": graphs}), encoding="utf-8")
            with tmp.open("rb") as fh:
                os.fsync(fh.fileno())
            tmp.replace(journal)
        try:
            load()
            if self.path is not None:
                self._db.flush()
        except BaseException as e:
            for g in graphs:
                self._db.remove_graph(_named(g))
            if journal is not None:
                journal.unlink(missing_ok=True)
            if isinstance(e, (OSError, SyntaxError, ValueError)):
                raise StoreError(f"bulk load failed, its graphs were dropped: {e}") from e
            raise
        if journal is not None:
            journal.unlink()

    def _finish_interrupted_bulk_load(self) -> None:
        """Drop the graphs of a bulk load that never finished (see `add_new_graphs`)."""
        journal = self._journal()
        if journal is None or not journal.exists():
            return
        try:
            graphs = json.loads(journal.read_text(encoding="utf-8"))["graphs"]
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise StoreError(f"{journal}: unreadable bulk-load journal ({e}); "
                             "the graphs it names may be half-written") from e
        for g in graphs:
            self._db.remove_graph(_named(g))
        self._db.flush()
        journal.unlink()

    def drop_graph(self, graph: URIRef) -> None:
        node = ox.NamedNode(str(graph))
        if self._db.contains_named_graph(node):
            self._db.remove_graph(node)

    def query(self, text: str, bindings: Mapping[str, Identifier] | None = None) -> QueryResult:
        try:
            bound = bind(text, bindings or {})
            # the union of graphs is the default graph unless the query names its own dataset
            res = self._db.query(bound, use_default_graph_as_union=not names_dataset(bound))
        except (SyntaxError, ValueError) as e:
            raise StoreError(f"SPARQL syntax error: {e}") from e
        if isinstance(res, ox.QueryBoolean):
            return bool(res)
        if isinstance(res, ox.QuerySolutions):
            names = [v.value for v in res.variables]
            rows = []
            for sol in res:
                row: dict[str, Identifier] = {}
                for n in names:
                    val = sol[n]
                    if val is not None:
                        row[n] = from_ox(val)
                rows.append(row)
            return SelectResult(variables=names, rows=rows)
        g = Graph()
        for t in res:
            g.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
        return g

    def update(self, text: str) -> None:
        try:
            self._db.update(text)
        except (OSError, SyntaxError) as e:
            raise StoreError(f"update failed: {e}") from e

    def graphs(self) -> list[URIRef]:
        return sorted(
            URIRef(g.value) for g in self._db.named_graphs() if isinstance(g, ox.NamedNode)
        )

    def quads(self, graph: URIRef | None = None) -> Iterator[Quad]:
        gname = ox.NamedNode(str(graph)) if graph is not None else None
        for q in self._db.quads_for_pattern(None, None, None, gname):
            g = q.graph_name
            yield (
                from_ox(q.subject),
                from_ox(q.predicate),
                from_ox(q.object),
                URIRef(g.value) if isinstance(g, ox.NamedNode) else None,
            )

    def count(self, graph: URIRef | None = None) -> int:
        if graph is None:
            return len(self._db)
        res = self.query(internal("graph-size"), {"g": graph})
        assert isinstance(res, SelectResult)
        return int(res.rows[0]["n"])  # type: ignore[arg-type]

    def close(self) -> None:
        """Flush and release the store (and its directory lock); later calls raise StoreError."""
        if self._handle is not None:
            if self.path is not None and not self.read_only:
                self._handle.flush()
            self._handle = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None
